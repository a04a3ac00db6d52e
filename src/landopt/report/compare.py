"""Comparison and trade-off workbooks (``landopt compare``, ``landopt pareto``), Chinese first.

Written with :mod:`landopt.report.xlsx` like the plan: bilingual sheet names and headers (``lang``),
page one first, value axes from zero, one colour per land use, change charts (not stacks of totals) with
cropland and construction land in their own chart, print-ready, text from the inputs never a formula.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pandas as pd

from landopt.model.objective import ALL_TERMS as OBJ_TERMS
from landopt.report.brief import CONSTRUCTION, Names, binding_measures, estimates_banner, names_of, names_of_spec
from landopt.report.caveats import DEPENDS, Caveats
from landopt.report.caveats import HEADER as CAVEAT_HEADER
from landopt.report.caveats import RULE as CAVEAT_RULE
from landopt.report.i18n import (DEFAULT_LANG, UNITS, Label, check_lang, requirement_at, tr, unit, unit_text,
                                 with_unit)
from landopt.report.style import BANNER_FILL, POSITIVE, land_use_colours
from landopt.report.xlsx import FMT_2, FMT_INT, Book, write_note, write_table, write_title
from landopt.report.xlsx_blocks import bar_chart, chart_rows

log = logging.getLogger(__name__)
HEADER_ROW = 3
SHEETS = {"brief": ("摘要", "brief"), "net_sink": ("净碳汇", "net sink"), "change": ("用地变化", "land-use change"),
          "kpis": ("指标", "kpis"), "differences": ("分区差异", "differences"), "overrides": ("情景调整", "overrides"),
          "diagnoses": ("诊断", "diagnoses"), "frontier": ("权衡曲线", "frontier"), "allocations": ("各点用地", "allocations")}
AGAINST: dict[str, tuple[str, str]] = {"economic_output": ("经济产出", "economic output"), "food": ("粮食产量", "food"),
                                       "livestock": ("牲畜数量", "livestock"), "cost": ("公共财政投入", "public cost")}
AGAINST_UNITS: dict[str, tuple[str, str]] = {"yuan/yr": ("元/年", "yuan/yr"), "t/yr": ("吨/年", "t/yr"), "SU": ("羊单位", "SU"),
                                             "yuan": ("元", "yuan")}

#: A run's status in words, Chinese first (landopt.compare.ScenarioRun.status, the solver's statuses).
STATUS_WORDS: dict[str, tuple[str, str]] = {
    "optimal": ("最优", "optimal"), "infeasible": ("无解", "infeasible"), "unbounded": ("无界", "unbounded"),
    "time_limit": ("超时", "time limit"), "input_error": ("输入错误", "input error"), "error": ("运行错误", "error"),
    "not_solved": ("未求解", "not solved")}


def status_text(status: str, lang: str = DEFAULT_LANG) -> str:
    """'最优 optimal', '输入错误 input error' …; an unknown status as it is."""
    return tr(STATUS_WORDS.get(str(status), (str(status), str(status))), lang)


def sink_label(objective_unit: str, spec: Any, scale: str = "10kt") -> tuple[Label, str]:
    """The net sink's label and unit code in the objective's own unit: under stock-change accounting ('t CO2e') the
    cumulative net removals over the horizon ('净碳汇（2020–2035年累计）', '10kt CO2e'); under flux accounting the
    rate ('净碳汇', '10kt CO2e/yr').  ``scale``: '10kt' (万吨) or 't'."""
    if objective_unit == "t CO2e":
        span = spec.horizon
        return (f"净碳汇（{span}年累计）", f"net sink (cumulative {span})"), f"{scale} CO2e"
    return ("净碳汇", "net sink"), f"{scale} CO2e/yr"


def _sheet(book: Book, key: str, title: str, note: tuple[str, str] | None = None) -> Any:
    ws = book.sheet(tr(SHEETS[key], book.lang), HEADER_ROW)
    write_title(book, ws, 0, title)
    if note:
        write_note(book, ws, 1, tr(note, book.lang))
    ws.freeze_panes(HEADER_ROW + 1, 0)
    return ws


def _kpi_label(kpi: str, nm: Names | None, net: Label, lang: str, span: str | None = None) -> str:
    """A KPI's label, Chinese first: '2035年耕地面积 cropland area 2035', the objective's terms by their names
    (``span``: the horizon of a cumulative figure, '2020–2035', said in its label)."""
    en2zh = {v[1]: v[2] for v in OBJ_TERMS.values()} | {"status": "求解状态",
                                                         "additional removals against the reference": "相对基准情景的新增碳汇",
                                                         "net removals in the target year": "目标年净碳汇"}
    if kpi == "net sink":
        return tr(net, lang)
    if kpi in en2zh:
        return tr((f"{en2zh[kpi]}（{span}年累计）", f"{kpi} (cumulative {span})") if span else (en2zh[kpi], kpi), lang)
    m = re.match(r"(area|livestock|PV capacity) ?(.*?) ?(\d{4})$", kpi)
    if m:
        what, lu, year = m.groups()
        zh = {"area": "面积", "livestock": "牲畜数量", "PV capacity": "光伏装机"}[what]
        lu_zh = (nm.lu_zh.get(lu) or lu) if nm is not None and lu else lu
        return tr((f"{year}年{lu_zh}{zh}", f"{lu} {what} {year}".strip()), lang)
    return kpi


def write_comparison(cmp: Any, path: Path, lang: str = DEFAULT_LANG) -> Path:
    """Page one, net sink by scenario, land-use change against the reference, KPIs, differences, overrides, diagnoses."""
    check_lang(lang)
    book = Book(Path(path), lang, sidecar_dir=Path(path).with_name(Path(path).stem + "_tables"))
    try:
        _write_comparison(book, cmp, lang)
    except BaseException:
        book.discard()
        raise
    return book.close()


#: area differences below this are the solvers' round-off, shown as 0 (ha)
AREA_NOISE_HA = 1e-6
#: how many binding requirements the scenarios table names per run
MAIN_LIMITS = 3


def main_limits(result: Any, lang: str = DEFAULT_LANG, n: int = MAIN_LIMITS) -> str:
    """The ``n`` requirements that limit a plan's net sink most (by what relaxing each by 1 % would add), in words:
    '全区 2030年 森林覆盖率目标；…' — why a scenario's sink is what it is, beside its figure."""
    b = binding_measures(result, lang, n=n, worded=0, exact_first=True)
    if b.empty:
        return tr(("无政策约束起作用", "no policy requirement binds"), lang)
    nm = names_of(result)
    none = [None] * len(b)
    zh, en = [], []
    for k, lever, reg, year, lu in zip(b["constraint"], b["lever"], b.get("region", none), b.get("year", none),
                                       b.get("land_use", none)):
        (nz, ne), (wz, we) = requirement_at(k, lever, reg, year, lu, nm.region_zh, nm.lu_zh, lang)
        zh.append(f"{wz} {nz}".strip())
        en.append(f"{ne} in {we}")
    return tr(("；".join(zh), "; ".join(en)), lang)


def _write_comparison(book: Book, cmp: Any, lang: str) -> None:
    ok = [r for r in cmp.runs if r.result is not None and r.result.optimal]
    ref = next((r for r in ok if r.name == cmp.reference), None)
    t = lambda zh, en: tr((zh, en), lang)  # noqa: E731
    title = t(f"情景比较（参照情景 {cmp.reference}）", f"Scenario comparison (reference {cmp.reference})")
    ws = _sheet(book, "brief", title)
    base = ref or (ok[0] if ok else None)
    if base is not None:
        ws.merge_range(1, 0, 1, 6, estimates_banner(base.result, lang, what="comparison"),
                       book.fmt(bold=True, bg_color=BANNER_FILL, text_wrap=True, valign="top", border=1))
        ws.set_row(1, 36)
    ref_obj = ref.result.objective if ref is not None else None
    net, net_unit = sink_label(base.result.metadata.get("objective_unit", "t CO2e/yr"), base.result.spec) \
        if base is not None else (("净碳汇", "net sink"), "10kt CO2e/yr")
    nm = names_of(base.result) if base is not None else None
    rows = []
    for r in cmp.runs:
        obj = r.result.objective if r.result is not None and r.result.optimal else None
        rows.append({"scenario": r.name, "description": r.description, "status": status_text(r.status, lang),
                     "net": None if obj is None else obj / 1e4,
                     "delta": None if obj is None or ref_obj is None else (obj - ref_obj) / 1e4,
                     "delta_pct": None if obj is None or not ref_obj else (obj - ref_obj) / abs(ref_obj) * 100,
                     "limits": None if obj is None else main_limits(r.result, lang)})
    df = pd.DataFrame(rows)
    cav = Caveats.of(base.result.spec, lang) if base is not None else None
    df["basis"] = _scenario_flags(cmp, cav)
    heads = {"scenario": t("情景", "scenario"), "description": t("说明（原文）", "description (as written)"),
             "status": t("求解状态", "status"), "basis": tr(CAVEAT_HEADER, lang),
             "net": with_unit(net, net_unit, lang),
             "delta": with_unit(("相对参照情景变化", f"change against {cmp.reference}"), net_unit, lang),
             "delta_pct": with_unit(("变化率", "change"), "%", lang),
             "limits": t(f"主要起作用的约束（放宽1%增汇最多的{MAIN_LIMITS}项）",
                         f"main binding requirements (the {MAIN_LIMITS} whose 1% relaxation adds most)")}
    b = write_table(book, ws, df, HEADER_ROW, headers=heads, name="Scenarios", wrap={"limits": 60.0}, formats={"net": FMT_2, "delta": FMT_2, "delta_pct": "0.0"})
    bad = len(cmp.runs) - len(ok)
    r = write_note(book, ws, b.end_row + 1, t(f"{len(cmp.runs)} 个情景中 {bad} 个无最优方案（见“诊断”表）。",
                                              f"{bad} of {len(cmp.runs)} scenarios have no optimal plan (see diagnoses)."))
    r = write_note(book, ws, r, tr(CAVEAT_RULE, lang), wrap_cols=7)
    if cav is not None and cav.legend():
        write_note(book, ws, r, cav.legend(), wrap_cols=7)

    ws = _sheet(book, "net_sink", t(f"各情景{net[0]}", f"{net[1][0].upper()}{net[1][1:]} by scenario"),
                ("纵轴自零起算：柱高与数值成比例。", "The value axis starts at zero: bar heights are proportional to the values."))
    ns = pd.DataFrame({"scenario": [r.name for r in ok], "net": [r.result.objective / 1e4 for r in ok]})
    b = write_table(book, ws, ns, HEADER_ROW, headers={"scenario": heads["scenario"], "net": heads["net"]}, name="NetSink",
                    formats={"net": FMT_2})
    if len(ns):
        ch = bar_chart(book, ws, b, [("net", tr(net, lang), POSITIVE)], "scenario", data=ns,
                       title=t(f"各情景{net[0]}", f"{net[1][0].upper()}{net[1][1:]} by scenario"),
                       y_title=unit(net_unit, lang),
                       number_format=FMT_INT)
        ws.set_h_pagebreaks([b.end_row + 2])
        ws.insert_chart(b.end_row + 2, 0, ch)

    _change_sheet(book, cmp, ok, ref, lang)
    ws = _sheet(book, "kpis", t("各情景主要指标", "Key figures by scenario"))
    k = cmp.kpis().reset_index()
    k.columns = [str(c) for c in k.columns]
    span = base.result.spec.horizon if base is not None else None
    k["kpi"] = [_kpi_label(x, nm, net, lang, span if u == "t CO2e" else None) for x, u in zip(k["kpi"], k["unit"])]
    is_status = k["kpi"] == _kpi_label("status", nm, net, lang)
    for r in cmp.runs:
        k.loc[is_status, r.name] = [status_text(v, lang) for v in k.loc[is_status, r.name]]
    k["unit"] = [unit(u, lang) for u in k["unit"]]
    write_table(book, ws, k, HEADER_ROW, name="KPIs", headers={"kpi": t("指标", "figure"), "unit": t("单位", "unit")}
                | {r.name: f"{t('情景', 'scenario')} {r.name}" for r in cmp.runs})

    ws = _sheet(book, "differences", t(f"各区域分地类目标年面积相对 {cmp.reference} 的差异（公顷）",
                                       f"Target-year area against {cmp.reference} by region and land use (ha)"))
    diff = cmp.differences()
    if diff.empty:
        write_note(book, ws, HEADER_ROW, t(f"无差异表：参照情景 {cmp.reference} 无最优方案。",
                                            f"No differences: the reference scenario '{cmp.reference}' has no optimal plan."))
    else:
        d = _differences_table(cmp, diff, nm, lang)
        write_table(book, ws, d, HEADER_ROW, name="Differences", formats={c: FMT_INT for c in d.columns[2:]},
                    headers={"region": t("区域", "region"), "land_use": t("地类", "land use")}
                    | {c: f"{t('面积差异', 'difference')} {c} − {cmp.reference}（{tr(UNITS['ha'], lang, sep='/')}）"
                       for c in d.columns[2:]})
    ws = _sheet(book, "overrides", t("情景及其调整的输入", "Scenarios and the inputs they change"))
    desc = pd.DataFrame({"scenario": [r.name for r in cmp.runs], "description": [r.description for r in cmp.runs],
                         "status": [status_text(r.status, lang) for r in cmp.runs],
                         "seconds": [round(r.seconds, 3) for r in cmp.runs]})
    if not any(r.seconds > 0 for r in cmp.runs):  # not solved one by one (e.g. the alternatives): no times to show
        desc = desc.drop(columns="seconds")
    b = write_table(book, ws, desc, HEADER_ROW, name="ScenarioRuns", formats={"seconds": "0.000"},
                    headers={**heads, "seconds": with_unit(("耗时", "time"), "s", lang)})
    ov = cmp.overrides()
    if not ov.empty:
        from landopt.report.i18n import INPUT_COLUMNS

        extra = {"run": "运行情景", "origin": "来源", "old": "原值", "new": "新值", "value": "取值", "rows": "行数",
                 "rows_changed": "调整的行"}
        write_table(book, ws, ov, b.end_row + 3, name="OverridesApplied",
                    headers={str(c): tr(((INPUT_COLUMNS | extra).get(str(c), "字段"), str(c)), lang) for c in ov.columns})
    ws = _sheet(book, "diagnoses", t("无最优方案的情景：原因", "Scenarios without an optimal plan: why"))
    recs = [{"scenario": r.name, "status": status_text(r.status, lang), "message": line} for r in cmp.runs
            if r.status != "optimal"
            for line in (r.diagnosis or [r.message])]
    if recs:
        write_table(book, ws, pd.DataFrame(recs), HEADER_ROW, name="Diagnoses",
                    headers={"scenario": heads["scenario"], "status": heads["status"], "message": t("诊断", "diagnosis")})
    else:
        write_note(book, ws, HEADER_ROW, t("每个情景均有最优方案。", "Every scenario solved to optimality."))


def _differences_table(cmp: Any, diff: pd.DataFrame, nm: Names | None, lang: str) -> pd.DataFrame:
    """The differences with regions and land uses named ('拉萨市 Lhasa', '耕地 cropland') in the workbook's order and
    the scenarios in run order; columns region, land_use, then one per scenario (its name)."""
    d = diff.copy()
    d.columns = [str(c).split(" − ")[0] for c in d.columns]  # 'tight − base (ha)' → 'tight'
    d = d[[r.name for r in cmp.runs if r.name in d.columns]]
    if nm is not None:
        regions = nm.regions + [r for r in d.index.get_level_values("region").unique() if r not in nm.regions]
        lus = nm.land_uses + [x for x in d.index.get_level_values("land_use").unique() if x not in nm.land_uses]
        d = d.reindex(pd.MultiIndex.from_tuples([(r, x) for r in regions for x in lus if (r, x) in d.index],
                                                names=["region", "land_use"]))
    d = d.reset_index()
    if nm is not None:
        d["region"] = [nm.region(r, lang) for r in d["region"]]
        d["land_use"] = [nm.land_use(x, lang) for x in d["land_use"]]
    return d


def _change_sheet(book: Book, cmp: Any, ok: list, ref: Any, lang: str) -> None:
    """Change of each land use against the reference, all regions, target year: two charts (large uses; cropland
    and construction), one colour per land use."""
    t = lambda zh, en: tr((zh, en), lang)  # noqa: E731
    ws = _sheet(book, "change", t(f"各情景相对 {cmp.reference} 的用地变化（全区，目标年，公顷）",
                                  f"Land-use change against {cmp.reference} (all regions, target year, ha)"))
    alloc = cmp.allocation()
    if alloc.empty or ref is None:
        write_note(book, ws, HEADER_ROW, t("无参照情景的最优方案，无法比较。", "The reference has no optimal plan: nothing to compare."))
        return
    nm = names_of(ref.result)
    tot = alloc["area_ha"].groupby(level=["scenario", "land_use"], sort=False).sum().unstack("land_use")
    tot = tot.reindex(index=[r.name for r in ok], columns=[x for x in nm.land_uses if x in tot.columns]).fillna(0.0)
    change = tot.sub(tot.loc[ref.name], axis=1).drop(index=ref.name)
    change = change.mask(change.abs() < AREA_NOISE_HA, 0.0)  # solver round-off (1e-10 ha) would print as "-0"
    if change.empty:
        write_note(book, ws, HEADER_ROW, t("只有参照情景。", "Only the reference scenario."))
        return
    lus = list(change.columns)
    df = change.reset_index()
    colours = land_use_colours(nm.land_uses, nm.roles)
    b = write_table(book, ws, df, HEADER_ROW, name="LandUseChange", formats={x: FMT_INT for x in lus},
                    headers={"scenario": t("情景", "scenario")} | {x: f"{nm.land_use(x, lang)}（{tr(UNITS['ha'], lang, sep='/')}）" for x in lus})
    small = [x for x in lus if nm.roles.get(x) in ("cropland", *CONSTRUCTION)]
    big = [x for x in lus if x not in small and (change[x].abs() > 1e-6).any()]
    row, breaks = b.end_row + 2, []
    for group, title in ((big, t("用地变化（耕地、建设用地见下图）", "Change (cropland and construction: next chart)")),
                         (small, t("耕地与建设用地变化", "Change of cropland and construction land"))):
        if group:
            ch = bar_chart(book, ws, b, [(x, nm.land_use(x, lang), colours[x]) for x in group], "scenario", data=df,
                           title=title, y_title=with_unit(("变化", "change"), "ha", lang))
            breaks.append(row)
            ws.insert_chart(row, 0, ch)
            row += chart_rows(400) + 1
    ws.set_h_pagebreaks(breaks)


def _scenario_flags(cmp: Any, cav: Caveats | None) -> list[str]:
    """Per scenario, the estimated inputs its net sink rests on: the carbon inputs, and for a scenario with
    overrides the scenarios sheet and every input column it changes (:mod:`landopt.report.caveats`)."""
    if cav is None:
        return ["—"] * len(cmp.runs)
    ov = cmp.overrides()
    out = []
    for r in cmp.runs:
        mine = ov[ov["run"] == r.name] if "run" in ov.columns else ov.iloc[0:0]
        deps = list(cav.carbon)
        if len(mine):
            deps.append(("scenarios", None))
            deps += [(str(sh), str(co) if isinstance(co, str) and co else None)
                     for sh, co in zip(mine.get("sheet", []), mine.get("column", []))]
        out.append(cav.flag(deps))
    return out


def write_frontier(fr: Any, path: Path, lang: str = DEFAULT_LANG) -> Path:
    """The trade-off table, a scatter chart (axes from zero where the data allow), and each point's allocation."""
    check_lang(lang)
    book = Book(Path(path), lang)
    try:
        t = lambda zh, en: tr((zh, en), lang)  # noqa: E731
        what = AGAINST.get(fr.against, (fr.against, fr.against))
        a_unit = unit_text(AGAINST_UNITS.get(fr.unit, (fr.unit, fr.unit)), lang)
        cav = Caveats.of(fr.spec, lang)
        flag = cav.flag((*cav.carbon, *DEPENDS.get(fr.against, ())))
        ws = _sheet(book, "frontier", t(f"净碳汇与{what[0]}的权衡", f"Net sink against {what[1]}"),
                    ("ε约束法：逐点限定第二目标，求最大净碳汇。" + CAVEAT_RULE[0],
                     "Epsilon-constraint: the second objective is bounded point by point, the net sink maximised. "
                     + CAVEAT_RULE[1]))
        pts = fr.points.copy()
        pts["status"] = [status_text(v, lang) for v in pts["status"]]
        pts["basis"] = flag
        net, sink_unit = sink_label(fr.sink_unit, fr.spec, scale="t")
        sink_head = with_unit(net, sink_unit, lang)
        b = write_table(book, ws, pts, HEADER_ROW, name="Frontier", headers={
            "point": t("点", "point"), "epsilon": f"{t('第二目标界限', 'epsilon')}（{a_unit}）", "net_sink": sink_head,
            fr.against: f"{tr(what, lang)}（{a_unit}）", "status": t("求解状态", "status"), "basis": tr(CAVEAT_HEADER, lang)},
            formats={"net_sink": FMT_2})
        okp = pts.drop(columns=["basis"]).dropna()  # the points with a plan (the others have no net sink)
        if len(okp) >= 2 and fr.against in pts.columns:
            ch = book.wb.add_chart({"type": "scatter", "subtype": "straight_with_markers"})
            xc, yc = b.col(fr.against), b.col("net_sink")
            ch.add_series({"name": t("权衡曲线", "frontier"), "categories": [ws.name, b.first_row, xc, b.last_row, xc],
                           "values": [ws.name, b.first_row, yc, b.last_row, yc], "marker": {"type": "circle"}})
            from landopt.report.style import value_axis_bounds

            ch.set_x_axis({"name": f"{tr(what, lang)}（{a_unit}）", **value_axis_bounds(okp[fr.against])})
            ch.set_y_axis({"name": sink_head, **value_axis_bounds(okp["net_sink"])})
            est = ("（基于估算数据）", " (based on estimates)") if flag != "—" else ("", "")
            ch.set_title({"name": t(f"净碳汇与{what[0]}的权衡{est[0]}", f"Net sink against {what[1]}{est[1]}")})
            ch.set_size({"width": 720, "height": 400})
            ws.set_h_pagebreaks([b.end_row + 3])
            ws.insert_chart(b.end_row + 3, 0, ch)
        if cav.legend():
            write_note(book, ws, b.end_row + 1, cav.legend())
        ws = _sheet(book, "allocations", t("各点目标年用地（公顷）", "Target-year area at each point (ha)"))
        if not fr.allocations.empty:
            wide = fr.allocations["area_ha"].unstack("point")
            nm = names_of_spec(fr.spec)  # the workbook's order, regions and land uses by name (拉萨市 Lhasa, 耕地 cropland)
            order = [(r, x) for r in nm.regions for x in nm.land_uses if (r, x) in wide.index]
            wide = wide.reindex(pd.MultiIndex.from_tuples(order, names=["region", "land_use"])) if order else wide
            wide.columns = [f"{t('点', 'point')} {c}（{tr(UNITS['ha'], lang, sep='/')}）" for c in wide.columns]
            wide = wide.reset_index()
            wide["region"] = [nm.region(r, lang) for r in wide["region"]]
            wide["land_use"] = [nm.land_use(x, lang) for x in wide["land_use"]]
            write_table(book, ws, wide, HEADER_ROW, name="PointAllocations",
                        headers={"region": t("区域", "region"), "land_use": t("地类", "land use")},
                        formats={c: FMT_INT for c in wide.columns[2:]})
    except BaseException:
        book.discard()
        raise
    return book.close()
