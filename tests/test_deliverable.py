"""The planner's deliverable (issue #14) and bounded writing (issue #11 item 7), checked on the written files.

* every sheet name, table header and sentence cell holds Chinese (and English with lang=both, Chinese first);
* no chart's value axis starts above zero: its minimum is 0, or its maximum is 0 (all data ≤ 0), or its
  data have both signs (the axis then crosses zero on its own) — a bar is always measured from zero;
* text that came from the inputs (title, land-use and region names, scenario) is never a formula;
* long tables are capped in the workbook, written in full beside it, and never past Excel's row limit;
* the unused-options table is written when no policy row binds.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from landopt.report import context
from landopt.report.plan import write_plan_workbook
from landopt.report.xlsx import EXCEL_MAX_ROWS, Book, write_table
from landopt.results import PlanResult

from test_report import find_table, full_tables, solve_tables, table_frame

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
EVIL = '=HYPERLINK("http://example.invalid","x")'
#: columns of a table whose cells are sentences written by landopt (not data echoed from the inputs)
SENTENCE_HEADS = ("含义", "解读", "内容", "meaning", "what it means", "contents")


@pytest.fixture(scope="module")
def result() -> PlanResult:
    res = solve_tables(full_tables())
    assert res.optimal
    return res


@pytest.fixture(scope="module", params=["both", "zh", "en"])
def book(request: pytest.FixtureRequest, result: PlanResult, tmp_path_factory: pytest.TempPathFactory
         ) -> tuple[str, openpyxl.Workbook]:
    path = tmp_path_factory.mktemp(request.param) / "plan.xlsx"
    write_plan_workbook(result, path, lang=request.param, maps=False)
    return request.param, load_workbook(path)


def _texts(wb: openpyxl.Workbook) -> tuple[list[str], list[str], list[str]]:
    """(sheet names, header cells, sentence cells): titles, notes, banners and sentence columns."""
    heads, sentences = [], []
    for ws in wb.worksheets:
        in_table: set[tuple[int, int]] = set()
        for tab in ws.tables.values():
            c1, r1, c2, r2 = range_boundaries(tab.ref)
            row = [ws.cell(row=r1, column=c).value for c in range(c1, c2 + 1)]
            heads += [str(h) for h in row]
            for j, h in enumerate(row):
                if any(k in str(h) for k in SENTENCE_HEADS):
                    sentences += [ws.cell(row=r, column=c1 + j).value for r in range(r1 + 1, r2 + 1)
                                  if isinstance(ws.cell(row=r, column=c1 + j).value, str)]
            in_table |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        for r in ws.iter_rows():
            for c in r:
                if isinstance(c.value, str) and (c.row, c.column) not in in_table and not c.value.startswith("甲"):
                    sentences.append(c.value)
    return wb.sheetnames, heads, sentences


def test_every_sheet_name_header_and_sentence_is_in_the_chosen_language(book: tuple[str, openpyxl.Workbook]) -> None:
    lang, wb = book
    names, heads, sentences = _texts(wb)
    assert len(heads) > 150 and len(sentences) > 40
    for text in names + heads + sentences:
        if lang in ("zh", "both"):
            assert CJK.search(text), text
        if lang == "both":
            assert LATIN.search(text), text
            assert CJK.search(text).start() <= LATIN.search(text).start() or text.startswith(("Test plan", "t CO2e")), text
    if lang == "en":  # no Chinese in sheet names and headers (names of places and land uses are data)
        assert not [t for t in names + heads if CJK.search(t) and not t.startswith(("甲", "乙"))]
        assert names[0] == "brief" and "constraints" in names


def _chart_values(wb: openpyxl.Workbook, chart) -> list[float]:
    vals = []
    for s in chart.series:
        ref = s.val.numRef.f
        sheet, rng = ref.rsplit("!", 1)
        ws = wb[sheet.strip("'").replace("''", "'")]
        c1, r1, c2, r2 = range_boundaries(rng.replace("$", ""))
        vals += [ws.cell(row=r, column=c).value or 0.0 for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]
    return vals


def test_no_value_axis_starts_above_zero(book: tuple[str, openpyxl.Workbook]) -> None:
    _lang, wb = book
    charts = [ch for ws in wb.worksheets for ch in ws._charts]
    assert len(charts) == 3
    for ch in charts:
        v = _chart_values(wb, ch)
        lo, hi = ch.y_axis.scaling.min, ch.y_axis.scaling.max
        assert lo == 0 or hi == 0 or (min(v) < 0 < max(v)), (ch.title, lo, hi, v)
        if min(v) >= 0:
            assert lo == 0
        if max(v) <= 0:
            assert hi == 0


def test_text_from_the_inputs_is_never_a_formula(tmp_path: Path) -> None:
    t = full_tables()
    t["settings"].loc[t["settings"]["key"] == "title", "value"] = EVIL
    t["land_uses"].loc[1, "name_zh"] = EVIL
    t["regions"].loc[0, "name_zh"] = EVIL
    res = solve_tables(t)
    res = dataclasses.replace(res, spec=dataclasses.replace(res.spec, scenario=EVIL),
                              metadata=dict(res.metadata, scenario=EVIL))
    wb = load_workbook(write_plan_workbook(res, tmp_path / "plan.xlsx", maps=False))
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str) and EVIL in c.value:
                    assert c.data_type == "s"
                    seen += 1
    assert wb["土地配置 allocation"]["A1"].value == f"土地配置 allocation — {EVIL}"
    assert f"{EVIL} forest" in table_frame(wb, "Allocation")["地类 land use"].tolist()
    run = table_frame(wb, "Run").set_index("项目 item")
    assert run.loc["情景 scenario", "数值 value"] == EVIL
    assert seen > 20


def test_long_tables_are_capped_and_written_in_full_beside_the_workbook(result: PlanResult, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(context, "CAP_ROWS", 3)  # the caps live in report.context since the grid-level caps
    path = write_plan_workbook(result, tmp_path / "plan.xlsx", maps=False)
    wb = load_workbook(path)
    allc = table_frame(wb, "AllConstraints")
    n = len(result.constraints)
    assert len(allc) == 3 and n > 3
    full = pd.read_parquet(tmp_path / "plan_tables" / "constraints.parquet")
    assert len(full) == n
    assert full["label"].tolist() == result.constraints["label"].tolist()
    ws, tab = find_table(wb, "AllConstraints")
    below = ws.cell(row=range_boundaries(tab.ref)[3] + 1, column=1).value
    assert below == (f"工作簿仅列出前 3 行（共 {n:,} 行）；完整表格见 plan_tables/constraints.parquet "
                     f"the workbook lists the first 3 of {n:,} rows; the full table is in plan_tables/constraints.parquet")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx", "plan_tables"]  # no temp files left
    monkeypatch.setattr(context, "CAP_ROWS", 10**6)  # the same plan again, nothing capped: no stale full tables
    write_plan_workbook(result, tmp_path / "plan.xlsx", maps=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_never_past_the_excel_row_limit(tmp_path: Path) -> None:
    book = Book(tmp_path / "big.xlsx")
    ws = book.sheet("s")
    df = pd.DataFrame({"x": range(10)})
    blk = write_table(book, ws, df, EXCEL_MAX_ROWS - 6, name="Big")
    assert blk.n_rows == 3 and blk.n_total == 10
    assert blk.end_row < EXCEL_MAX_ROWS  # 0-based: the last row Excel has is EXCEL_MAX_ROWS - 1
    assert not blk.sidecar.exists()  # side files are renamed into place with the workbook
    book.close()
    assert pd.read_parquet(blk.sidecar)["x"].tolist() == list(range(10))


def test_unused_options_written_when_no_policy_row_binds(tmp_path: Path) -> None:
    import landopt

    result = landopt.optimize(landopt.read(Path(__file__).resolve().parents[1] / "inputs" / "tibet_2035.xlsx"))
    assert len(result.rejected_options) > 100  # the shipped plan leaves many options unused
    res = dataclasses.replace(result, rhs_ranging=pd.DataFrame())
    wb = load_workbook(write_plan_workbook(res, tmp_path / "plan.xlsx", maps=False))
    rc = table_frame(wb, "ReducedCosts")
    assert len(rc) == len(result.rejected_options)
    assert rc["未采用方案 option left unused"].tolist() == result.rejected_options["variable"].tolist()
    ws = wb["敏感性 sensitivity"]
    assert "无起作用的政策约束。 No binding policy requirement." in [c.value for r in ws.iter_rows() for c in r]


def test_write_sheet_for_the_other_workbooks(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from landopt.report.bilingual import write_sheet
    from landopt.report.excel import atomic_save

    wb = Workbook()
    ws = wb.active
    ws.title = "放宽 relaxations"
    df = pd.DataFrame({"region": ["A", EVIL], "cropland_min_ha": [30.0, 45.0], "relaxation": [5.0, 0.0]})
    blk = write_sheet(ws, df, title=("最小放宽", "smallest relaxation"), note=("放宽后可行", "feasible once relaxed"),
                      headers={"relaxation": ("放宽量", "relaxation")}, table_name="Relax", max_rows=1)
    assert blk.header_row == 4 and blk.n_rows == 1
    ws = load_workbook(atomic_save(wb, tmp_path / "d.xlsx"))["放宽 relaxations"]
    assert ws["A1"].value == "最小放宽 smallest relaxation" and ws["A2"].value == "放宽后可行 feasible once relaxed"
    assert [c.value for c in ws[4]] == ["区域编号 region", "耕地保有量 cropland min (ha)", "放宽量 relaxation"]
    assert ws["A6"].value == "仅列出前 1 行（共 2 行） the first 1 of 2 rows are listed"
    assert ws.print_title_rows == "$4:$4" and ws.page_setup.orientation == "landscape"
    assert ws.freeze_panes == "A5"
    with pytest.raises(ValueError, match="lang must be one of zh, en, both; got 'de'"):
        write_sheet(ws, df, title="x", lang="de")


@pytest.fixture(scope="module")
def other_books(result: PlanResult, tmp_path_factory: pytest.TempPathFactory) -> dict[str, openpyxl.Workbook]:
    """The comparison (shipped workbook, every scenario) and Pareto (livestock, 3 points) workbooks."""
    from landopt.compare import compare
    from landopt.pareto import pareto
    from landopt.report.compare import write_comparison, write_frontier

    folder = tmp_path_factory.mktemp("other")
    cmp = compare(Path(__file__).resolve().parents[1] / "inputs" / "tibet_2035.xlsx", progress=False)
    fr = pareto(result.spec, "livestock", points=3)
    return {"compare": load_workbook(write_comparison(cmp, folder / "cmp.xlsx")),
            "pareto": load_workbook(write_frontier(fr, folder / "pareto.xlsx"))}


@pytest.mark.parametrize("name", ["compare", "pareto"])
def test_comparison_and_pareto_workbooks_are_chinese_first_with_honest_axes(other_books: dict[str, openpyxl.Workbook],
                                                                            name: str) -> None:
    wb = other_books[name]
    names, heads, sentences = _texts(wb)
    for text in names + heads + sentences:
        if text.startswith(("Tibet", "base", "point", "T_")):
            continue
        assert CJK.search(text), text
        assert CJK.search(text).start() <= (LATIN.search(text).start() if LATIN.search(text) else 10**6), text
    charts = [ch for ws in wb.worksheets for ch in ws._charts]
    assert charts
    for ch in charts:
        if ch.tagname == "scatterChart":
            continue
        v = _chart_values(wb, ch)
        lo, hi = ch.y_axis.scaling.min, ch.y_axis.scaling.max
        assert lo == 0 or hi == 0 or (min(v) < 0 < max(v)), (ch.title, lo, hi, v)
    if name == "compare":
        net = wb["净碳汇 net sink"]._charts[0]
        assert net.y_axis.scaling.min == 0  # +1.6 % no longer looks three times taller
        assert wb.sheetnames[0] == "摘要 brief"
        src = load_workbook(Path(__file__).resolve().parents[1] / "inputs" / "tibet_2035.xlsx",
                            read_only=True)["数据来源 sources"]
        status = [r[6] for r in src.iter_rows(min_row=2, values_only=True) if r[0]]
        v, e = status.count("verified"), status.count("estimate")
        assert e * 2 > v + e  # the shipped case rests mostly on estimates, and page one says so
        assert wb["摘要 brief"]["A2"].value == (
            f"数据来源：{v + e} 项输入数据中 {v} 项已核实、{e} 项为估算。本比较主要基于估算数据，结果仅供参考。\n"
            f"Sources: of {v + e} input figures {v} are verified and {e} are estimates. This comparison rests mostly "
            "on estimates: read its figures as indicative.")
    else:
        assert wb["权衡曲线 frontier"]["A1"].value == "净碳汇与牲畜数量的权衡 Net sink against livestock"


# --------------------------------------------------------------------------- caveats travel with the numbers
CARBON_FLAG = "估算 estimate [1]"  # full_tables' sources: the land uses' carbon flux is an estimate
CARBON_LEGEND = "估算的输入 estimated inputs：[1] 碳通量（排放为正、碳汇为负） land_uses.carbon_flux_tC_per_ha_yr"


def test_caveat_rule_marks_named_columns_named_regions_or_the_whole_sheet() -> None:
    from landopt.report.caveats import Caveats

    src = pd.DataFrame({"sheet": ["targets", "land_uses", "baseline", "carbon_stocks", "grazing"],
                        "item": ["cropland_min_ha B..C", "carbon flux forest", "cropland A", "forest: biomass", "x"],
                        "status": ["estimate", "Estimate ", "estimate", "illustrative", "verified"]})
    cav = Caveats(src, ["A", "B", "C", "D"], accounting="stock_change")
    req = [("targets", "cropland_min_ha")]
    assert [cav.words(req, r) for r in "ABCD"] == ["—", "估算：耕地保有量 estimate: targets.cropland_min_ha",
                                                    "估算：耕地保有量 estimate: targets.cropland_min_ha", "—"]
    assert cav.words(req) == "估算：耕地保有量 estimate: targets.cropland_min_ha"  # a province-wide figure
    assert cav.words([("targets", "urban_boundary_ha")]) == "—"  # another column of the sheet
    assert cav.words([("land_uses", "output_yuan_per_ha_yr")]) == \
        "估算：单位面积经济产出 estimate: land_uses.output_yuan_per_ha_yr"  # no column named: the whole sheet
    assert cav.words(cav.carbon, "B") == "估算：碳库与净通量 estimate: carbon_stocks"  # baseline: region A only
    assert cav.words(cav.carbon, "A") == "估算：碳库与净通量、基期现状面积 estimate: carbon_stocks, baseline.area_ha"
    assert cav.words([("grazing", "ch4_kg_per_su_yr")]) == "—"  # verified
    # the short flags number the inputs in order of use; the legend lists them
    assert cav.legend() == ""
    assert cav.flag(cav.carbon, "B") == "估算 estimate [1]"
    assert cav.flag([*cav.carbon, *req], "C") == "估算 estimate [1, 2]"
    assert cav.flag(cav.carbon, "A") == "估算 estimate [1, 3]"
    assert cav.flag(req, "A") == "—"
    assert cav.legend() == ("估算的输入 estimated inputs：[1] 碳库与净通量 carbon_stocks；[2] 耕地保有量 "
                            "targets.cropland_min_ha；[3] 基期现状面积 baseline.area_ha")
    zh = Caveats(src, ["A"], lang="zh")
    assert zh.flag(req) == "估算 [1]" and zh.legend() == "估算的输入：[1] 耕地保有量"
    assert Caveats(src, ["A"], lang="en").words(req) == "estimate: targets.cropland_min_ha"
    assert Caveats(None).flag(req) == "—"


def test_plan_figures_carry_their_data_basis(book: tuple[str, openpyxl.Workbook], result: PlanResult) -> None:
    lang, wb = book
    if lang != "both":
        return
    for name in ("Headline", "BriefLandUse", "BriefTopChanges", "CarbonTargetYear"):
        df = table_frame(wb, name)
        assert set(df["数据状态 data basis"].dropna()) == {CARBON_FLAG}, name
    bind = table_frame(wb, "BriefBinding")
    assert len(bind) and all(v.startswith("估算 estimate [1") for v in bind["数据状态 data basis"])
    notes = [c.value for c in wb["摘要 brief"]["A"] if isinstance(c.value, str)]
    assert any(n.startswith("“数据状态”列标出该行数值所依赖") for n in notes)
    assert any(n.startswith(CARBON_LEGEND) for n in notes)
    carbon = wb["碳账户 carbon"]
    assert "“数据状态”列标出" in carbon["A2"].value  # the rule in the sheet's description
    assert CARBON_LEGEND in [c.value for c in carbon["A"]]


def test_costs_on_page_one_with_their_basis(tmp_path: Path) -> None:
    t = full_tables()
    t["transitions"]["cost_yuan_per_ha"] = [1000.0 if (a, b) == ("unused", "forest") else None
                                            for a, b in zip(t["transitions"]["from_land_use"], t["transitions"]["to_land_use"])]
    t["sources"] = pd.concat([t["sources"], pd.DataFrame({"sheet": ["transitions"], "item": ["cost_yuan_per_ha"],
                                                          "source": ["test"], "status": ["estimate"]})], ignore_index=True)
    res = solve_tables(t)
    costs = res.costs.reset_index()
    assert costs["cost_yuan"].sum() > 0
    wb = load_workbook(write_plan_workbook(res, tmp_path / "plan.xlsx", maps=False))
    c = table_frame(wb, "BriefCosts")
    by = costs.groupby("year")["cost_yuan"].sum()
    assert c["投入 cost（元/yuan）"].tolist() == pytest.approx([by.get(2025, 0.0), by.get(2030, 0.0), by.sum()]
                                                            if len(by) == 2 else [*by.tolist(), by.sum()])
    assert c["时段 period"].iloc[-1] == "合计 2021–2030年 total 2021–2030"
    assert c["投入 cost（亿元/100 million yuan）"].iloc[-1] == pytest.approx(by.sum() / 1e8)
    assert set(c["数据状态 data basis"]) == {"估算 estimate [2]"}  # [1] is the carbon flux of the headline
    notes = [c.value for c in wb["摘要 brief"]["A"] if isinstance(c.value, str)]
    assert CARBON_LEGEND + "；[2] 每公顷转换成本 transitions.cost_yuan_per_ha" in notes


def test_pareto_and_comparison_rows_carry_their_basis(other_books: dict[str, openpyxl.Workbook]) -> None:
    pts = table_frame(other_books["pareto"], "Frontier")
    assert set(pts["数据状态 data basis"]) == {CARBON_FLAG}  # livestock: the grazing inputs are not estimates here
    ws = other_books["pareto"]["权衡曲线 frontier"]
    ch = ws._charts[0]
    assert "".join(r.t for p in ch.title.tx.rich.p for r in (p.r or [])) == \
        "净碳汇与牲畜数量的权衡（基于估算数据） Net sink against livestock (based on estimates)"
    assert "“数据状态”列标出" in ws["A2"].value
    assert CARBON_LEGEND in [c.value for c in ws["A"]]
    wb = other_books["compare"]
    sc = table_frame(wb, "Scenarios").set_index("情景 scenario")["数据状态 data basis"]
    # the stock-change coefficients include the conversions' soil share (PV keeps its soil: an estimate)
    assert sc["base"] == "估算 estimate [1, 2, 3, 4]"
    assert sc["ecological_priority"].startswith("估算 estimate [1, 2, 3, 4, 5")
    legend = next(c.value for c in wb["摘要 brief"]["A"] if str(c.value).startswith("估算的输入"))
    assert legend.startswith("估算的输入 estimated inputs：[1] 碳库与净通量 carbon_stocks；[2] 土壤及枯落物碳储量差的"
                             "实现比例 transitions.soil_change_pct；[3] 基期现状面积 baseline.area_ha；[4] 羊单位甲烷排放 "
                             "grazing.ch4_kg_per_su_yr；[5] 情景 scenarios")


# --------------------------------------------------------------------------- the other workbooks, Chinese first
def _chinese_first(texts: list[str], skip: tuple[str, ...] = ()) -> None:
    for text in texts:
        if text.startswith(skip):
            continue
        assert CJK.search(text), text
        assert LATIN.search(text), text
        assert CJK.search(text).start() <= LATIN.search(text).start(), text


@pytest.fixture(scope="module")
def sweep_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[openpyxl.Workbook, object]:
    from landopt.reader import from_tables
    from landopt.sweep import run_sweep, write_sweep_workbook

    from test_sweep import sweep_tables

    res = run_sweep(from_tables(sweep_tables()), 12, seed=3, workers=1, progress=False)
    return load_workbook(write_sweep_workbook(res, tmp_path_factory.mktemp("sweep") / "sweep.xlsx")), res


def test_sweep_workbook_headers_are_chinese_first(sweep_book) -> None:
    wb, _res = sweep_book
    names, heads, _sentences = _texts(wb)
    _chinese_first(names + heads)
    assert table_frame(wb, "runs").columns[:4].tolist() == ["运行编号 run id", "情景 scenario", "样本编号 sample id",
                                                             "抽样值 forest flux"]


def test_sweep_histogram_marks_the_plan_and_the_share_without_a_plan(sweep_book) -> None:
    from landopt.sweep.report import positions

    wb, res = sweep_book
    ws = wb["净碳汇分布 net_sink"]
    h = table_frame(wb, "histogram")
    (sc, base, _pct, no_plan), = positions(res)
    assert no_plan > 0  # this instance has sampled runs without a plan
    marker = h["本方案所在区间 plan: base"]
    i = int(marker.first_valid_index())
    assert marker.notna().sum() == 1 and marker[i] == h["运行次数 runs: base"].max()
    lo, hi = h["区间下限 from (t CO2e/yr)"][i], h["区间上限 to (t CO2e/yr)"][i]
    assert lo <= base <= hi  # the marked bin holds the plan itself
    ch, = ws._charts
    assert ch.overlap == 100 and len(ch.series) == 2
    assert ch.series[0].graphicalProperties.solidFill.srgbClr == "C00000"  # the marker is red, behind the runs
    title = "".join(r.t for p in ch.title.tx.rich.p for r in (p.r or []))
    assert f"无最优方案的运行（未计入）：base {no_plan:.1f}%" in title and f"base {no_plan:.1f}%" in title
    notes = [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    assert f"无最优方案的抽样运行占比（直方图未计入）：base {no_plan:.1f}%。 Share of sampled runs without an optimal " \
           f"plan (left out of the histogram): base {no_plan:.1f}%." in notes
    assert ch.y_axis.scaling.min == 0


def test_template_is_chinese_first(tmp_path: Path) -> None:
    from landopt.template import write_template

    wb = load_workbook(write_template(tmp_path / "t.xlsx"))
    names, heads, _sentences = _texts(wb)
    data_heads = [c.value for ws in wb.worksheets[1:] for c in ws[1] if c.value is not None]
    _chinese_first(names + data_heads)
    assert wb.sheetnames[4] == "基期现状面积 baseline"


@pytest.fixture(scope="module")
def tibet_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[PlanResult, openpyxl.Workbook]:
    import landopt

    res = landopt.optimize(landopt.read(Path(__file__).resolve().parents[1] / "inputs" / "tibet_2035.xlsx"))
    path = write_plan_workbook(res, tmp_path_factory.mktemp("tibet") / "plan.xlsx", maps=False)
    return res, load_workbook(path)


def test_shipped_title_is_chinese_first_on_every_sheet(tibet_book: tuple[PlanResult, openpyxl.Workbook]) -> None:
    """R14: the shipped plan title heads every sheet Chinese first."""
    res, wb = tibet_book
    assert res.spec.title == "西藏自治区国土空间碳汇优化（2019–2035年） Tibet land use 2019–2035: maximise the net carbon sink"
    for ws in wb.worksheets:
        a1 = ws["A1"].value
        assert a1 == (f"{res.spec.title} — 规划摘要 plan brief" if ws.title == "摘要 brief" else f"{ws.title} — {res.spec.title}")


def test_constraint_sources_families_and_units_in_planning_words(tibet_book: tuple[PlanResult, openpyxl.Workbook]) -> None:
    """R13: the constraints sheet names the source sheet as the workbook writes it and the column by its bilingual
    header; every family is bilingual and every unit a word (公顷 ha, 元 yuan, 羊单位 SU), never a raw id."""
    _res, wb = tibet_book
    b = table_frame(wb, "BindingConstraints")
    cover = b[b["约束 requirement"] == "森林覆盖率目标 forest-cover target"].iloc[0]
    assert (cover["来源工作表 source sheet"], cover["来源列 source column"], cover["约束族 family"], cover["单位 unit"]) == (
        "全域目标 province_targets", "森林覆盖率目标 forest_cover_min_pct", "森林覆盖率 forest cover", "公顷 ha")
    budget = b[b["约束族 family"] == "资金约束 public budget"]
    assert len(budget) and set(budget["单位 unit"]) == {"元 yuan"}
    assert set(budget["来源列 source column"]) == {"时段财政投入上限 budget_yuan"}
    allc = table_frame(wb, "AllConstraints")
    assert all(CJK.match(f) for f in allc["约束族 family"]), sorted(set(allc["约束族 family"]))
    assert set(allc["单位 unit"]) <= {"公顷 ha", "羊单位 SU", "元 yuan", "元/年 yuan/yr", "兆瓦 MW", "立方米 m³"}
    assert "羊单位 SU" in set(allc["单位 unit"])
    sheets = {s for s in allc["来源工作表 source sheet"] if s}
    assert all(CJK.match(s) for s in sheets), sheets  # every sheet as the shipped workbook names it ('草畜平衡 grazing')


def test_unused_options_say_what_one_more_unit_is(tibet_book: tuple[PlanResult, openpyxl.Workbook]) -> None:
    """R13: an unused redevelopment option reads as 存量建设用地盘活 in 公顷, not 'redevelop 增加1个单位'."""
    from landopt.report.i18n import num

    res, wb = tibet_book
    rc = table_frame(wb, "ReducedCosts").set_index("未采用方案 option left unused")
    rej = res.rejected_options.set_index("variable")
    v = num(float(rej.loc["redevelop[Nyingchi,2025]", "reduced_cost"]))
    row = rc.loc["redevelop[Nyingchi,2025]"]
    assert row["含义 meaning"] == (f"林芝市 截至2025年的规划期内存量建设用地盘活增加1公顷，累计净碳汇变化 {v} 吨CO2e；One more ha of "
                                   f"redevelopment of inefficient construction land in Nyingchi (period ending 2025) "
                                   f"changes the cumulative net removals by {v} t CO2e")
    assert row["决策变量（单位） decision variable (unit)"] == "存量建设用地盘活 redevelopment（公顷 ha）"
    assert not rc["含义 meaning"].str.contains("个单位|unit of").any()


def test_run_sheet_has_no_raw_keys_and_units_on_figures(tibet_book: tuple[PlanResult, openpyxl.Workbook]) -> None:
    """R13: every item of the run sheet is bilingual (no 'public_cost_yuan'), and every figure in t CO2e has its unit."""
    res, wb = tibet_book
    run = table_frame(wb, "Run")
    items = dict(zip(run["项目 item"], zip(run["数值 value"], run["单位 unit"])))
    assert not [k for k in items if "_" in k or not CJK.search(k)]  # no raw key; every item has its Chinese name
    assert items["公共财政投入（全部时段合计） public cost, all periods"] == (pytest.approx(res.metadata["public_cost_yuan"]), "元 yuan")
    assert items["累计净碳汇 cumulative net removals"] == (pytest.approx(res.metadata["cumulative_t_co2e"]), "吨CO2e t CO2e")
