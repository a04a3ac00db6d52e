"""The planner workbook (landopt.report.plan) and the shared Excel helpers (landopt.report.excel)."""

from __future__ import annotations

import conftest

import dataclasses
import math
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from landopt.model.build import build
from landopt.model.objective import TERMS
from landopt.reader import from_tables
from landopt.report.excel import (
    atomic_save,
    header_text,
    unique_table_name,
    unit_for,
    write_table,
)
from landopt.report.plan import write_plan_workbook
from landopt.results import PlanResult, extract
from landopt.solve import solve
from landopt.validate import load_spec

SHEETS_IN_ORDER = ["summary", "allocation", "conversions", "carbon", "grazing", "energy", "binding_constraints", "sensitivity",
                   "inputs"]
COEFFICIENT_LINE = "carbon coefficients are t C/ha/yr from the literature, converted ×44/12 to t CO2e"


# --------------------------------------------------------------------------- instances
def tiny_tables() -> dict[str, pd.DataFrame]:
    """The shared tiny instance (tests/conftest.py) with a Chinese region name."""
    return conftest.tiny_tables(regions={"region": ["A"], "name_zh": ["甲"], "total_area_ha": [100]})


def full_tables() -> dict[str, pd.DataFrame]:
    """Two regions, two milestones, grazing and energy rows: every sheet has content."""
    lus = ["crop", "forest", "grass", "urban", "pv", "unused"]
    ry = {"region": ["A", "B", "A", "B"], "year": [2025, 2025, 2030, 2030]}
    return {
        "settings": pd.DataFrame({"key": ["title", "baseline_year", "milestone_years", "include_avoided_emissions"],
                                  "value": ["Test plan 测试", "2020", "2025,2030", "yes"]}),
        "regions": pd.DataFrame({"region": ["A", "B"], "name_zh": ["甲", "乙"], "total_area_ha": [1000, 2000]}),
        "land_uses": pd.DataFrame({"land_use": lus, "name_zh": ["耕地", "林地", "草地", "城镇", "光伏", "未利用地"],
                                   "role": ["cropland", "forest", "grassland", "urban", "pv", "unused"],
                                   "carbon_flux_tC_per_ha_yr": [0.4, -0.6, -0.3, 10, 0, 0]}),
        "baseline": pd.DataFrame({"region": ["A"] * 6 + ["B"] * 6, "land_use": lus * 2,
                                  "area_ha": [300, 200, 300, 50, 0, 150, 400, 300, 900, 100, 0, 300]}),
        "transitions": pd.DataFrame({"from_land_use": ["crop", "unused", "unused", "grass"],
                                     "to_land_use": ["forest", "forest", "pv", "forest"], "allowed": ["yes"] * 4,
                                     "max_pct_per_period": [None, 50, None, 10]}),
        "targets": pd.DataFrame({**ry, "cropland_min_ha": [280, 380, 250, 350],
                                 "afforestation_potential_ha": [50, 100, 80, 150]}),
        "grazing": pd.DataFrame({**ry, "forage_yield_kg_per_ha": [900, 800, 900, 800], "utilisation_rate": [0.5] * 4,
                                 "intake_kg_per_su_yr": [657] * 4, "rest_min_ha": [30, 90, 30, 90],
                                 "livestock_min_su": [100, 300, 100, 300], "ch4_kg_per_su_yr": [8] * 4}),
        "energy": pd.DataFrame({**ry, "pv_suitable_ha": [20, 50, 40, 80], "pv_mw_per_ha": [0.28] * 4,
                                "clean_capacity_min_mw": [2, 5, 5, 10], "other_clean_capacity_mw": [1] * 4,
                                "pv_mwh_per_mw_yr": [1500] * 4, "grid_factor_tco2_per_mwh": [0.6] * 4}),
        "sources": pd.DataFrame({"sheet": ["land_uses"], "item": ["forest flux"], "value": ["-0.6"],
                                 "unit": ["t C/ha/yr"], "source": ["test"], "year": ["2020"],
                                 "status": ["estimate"], "note": [""]}),
    }


def solve_tables(tables: dict[str, pd.DataFrame]) -> PlanResult:
    spec = load_spec(from_tables(tables))
    lm = build(spec)
    return extract(lm, solve(lm))


@pytest.fixture(scope="module")
def tiny_result() -> PlanResult:
    res = solve_tables(tiny_tables())
    assert res.optimal
    return res


@pytest.fixture(scope="module")
def full_result() -> PlanResult:
    res = solve_tables(full_tables())
    assert res.optimal
    return res


@pytest.fixture(scope="module")
def tiny_book(tiny_result: PlanResult, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("tiny") / "plan.xlsx"
    assert write_plan_workbook(tiny_result, path) == path
    return load_workbook(path)


@pytest.fixture(scope="module")
def full_book(full_result: PlanResult, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("full") / "out" / "plan.xlsx"  # the parent folder is created
    write_plan_workbook(full_result, path)
    return load_workbook(path)


# --------------------------------------------------------------------------- helpers
def find_table(wb: openpyxl.Workbook, name: str) -> tuple[Worksheet, Any]:
    for ws in wb.worksheets:
        if name in ws.tables:
            return ws, ws.tables[name]
    raise KeyError(f"no Excel table {name!r}; have {[n for w in wb.worksheets for n in w.tables]}")


def table_frame(wb: openpyxl.Workbook, name: str) -> pd.DataFrame:
    """An Excel table's cells as a DataFrame with the header texts as columns."""
    ws, tab = find_table(wb, name)
    rows = [[c.value for c in r] for r in ws[tab.ref]]
    df = pd.DataFrame(rows[1:], columns=rows[0])
    return df.dropna(how="all").reset_index(drop=True)


def col(df: pd.DataFrame, prefix: str) -> str:
    hits = [c for c in df.columns if str(c).startswith(prefix)]
    assert len(hits) == 1, (prefix, list(df.columns))
    return hits[0]


def table_cell(wb: openpyxl.Workbook, name: str, row: int, header_prefix: str) -> Any:
    """The openpyxl cell of data row ``row`` (0-based) in the column whose header starts with the prefix."""
    ws, tab = find_table(wb, name)
    cells = list(ws[tab.ref])
    j = [i for i, c in enumerate(cells[0]) if str(c.value).startswith(header_prefix)]
    assert len(j) == 1, header_prefix
    return cells[1 + row][j[0]]


# --------------------------------------------------------------------------- structure
def test_sheets_in_order(tiny_book: openpyxl.Workbook) -> None:
    assert tiny_book.sheetnames == SHEETS_IN_ORDER


def test_every_sheet_has_frozen_panes_and_a_table(full_book: openpyxl.Workbook) -> None:
    for ws in full_book.worksheets:
        assert ws.freeze_panes is not None, ws.title
        assert len(ws.tables) >= 1, ws.title
        widths = [d.width for d in ws.column_dimensions.values() if d.customWidth]
        assert widths and max(widths) <= 60, ws.title
    # single-table sheets freeze exactly below their header row
    assert full_book["conversions"].freeze_panes == "A5"
    assert full_book["allocation"].freeze_panes == "A5"


def test_table_names_unique_and_titles_bilingual(full_book: openpyxl.Workbook) -> None:
    names = [n.lower() for ws in full_book.worksheets for n in ws.tables]
    assert len(names) == len(set(names))
    assert full_book["allocation"]["A1"].value == "Land allocation 土地配置"
    assert full_book["carbon"]["A1"].value == "Carbon account 碳账户"


# --------------------------------------------------------------------------- summary
def test_summary_objective_and_coefficient_line(tiny_book: openpyxl.Workbook, tiny_result: PlanResult) -> None:
    res = table_frame(tiny_book, "Result")
    items = dict(zip(res["item"], res[col(res, "value")]))
    units = dict(zip(res["item"], res[col(res, "unit")]))
    assert items["status"] == "optimal"
    assert items["net carbon sink (objective)"] == pytest.approx(tiny_result.objective)
    assert items["net carbon sink (objective)"] == pytest.approx(-44 / 12 * (0.4 * 30 - 0.6 * 60 + 10 * 10))
    assert units["net carbon sink (objective)"] == "t CO2e/yr"
    assert items["carbon coefficients"] == COEFFICIENT_LINE
    assert "net carbon source" in items["reading"]
    cell = table_cell(tiny_book, "Result", 2, "value")
    assert cell.number_format == "#,##0.00"


def test_summary_terms_add_up_to_the_net(tiny_book: openpyxl.Workbook, tiny_result: PlanResult) -> None:
    terms = table_frame(tiny_book, "ObjectiveTerms")
    assert list(terms["term 分项"]) == list(TERMS)
    for _, row in terms.iterrows():
        sign, en, zh = TERMS[row["term 分项"]]
        assert row["sign 符号"] == sign
        assert row["label (English)"] == en
        assert row["名称（中文）"] == zh
        assert row[col(terms, "amount")] == pytest.approx(tiny_result.terms[row["term 分项"]])
    signed = terms[col(terms, "signed contribution")]
    assert (terms["sign 符号"] * terms[col(terms, "amount")]).tolist() == pytest.approx(signed.tolist())
    assert signed.sum() == pytest.approx(tiny_result.objective)
    # the total row under the table and the check line
    ws, tab = find_table(tiny_book, "ObjectiveTerms")
    last = int(tab.ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    contrib_col = [c.column for c in ws[tab.ref][0] if str(c.value).startswith("signed contribution")][0]
    assert ws.cell(row=last + 1, column=contrib_col).value == pytest.approx(tiny_result.objective)
    check = {ws.cell(row=r, column=1).value: r for r in range(last + 1, last + 4)}
    r = check["check 校核: net sink − Σ signed terms"]
    assert abs(ws.cell(row=r, column=contrib_col).value) < 1e-6
    assert ws.cell(row=r, column=contrib_col - 1).value == "OK ✓"


def test_summary_run_details(tiny_book: openpyxl.Workbook, tiny_result: PlanResult) -> None:
    run = table_frame(tiny_book, "Run")
    items = dict(zip(run["item"], run[col(run, "value")]))
    assert items["solver"] == "HiGHS"
    assert items["solver version"] and items["solver version"] != "unknown"
    assert items["method"] == tiny_result.metadata["method"]
    for key in ("build seconds", "compile seconds", "solve seconds"):
        assert isinstance(items[key], float) and items[key] >= 0
    assert items["variables"] == tiny_result.metadata["variables"]
    assert items["constraints"] == tiny_result.metadata["constraints"]
    assert items["input SHA-256"] == tiny_result.metadata["input_sha256"]
    assert items["scenario"] == "base"
    assert items["families switched off"] == "none"
    assert items["landopt version"] == tiny_result.metadata["landopt_version"]
    guide = table_frame(tiny_book, "SheetGuide")
    assert list(guide["sheet 工作表"]) == SHEETS_IN_ORDER


# --------------------------------------------------------------------------- allocation
def test_allocation_long_table_equals_result(full_book: openpyxl.Workbook, full_result: PlanResult) -> None:
    df = table_frame(full_book, "Allocation")
    got = df.set_index(["region 区域", "land use 地类", "year 年份"])
    want = full_result.allocation
    assert len(got) == len(want)
    for (r, lu, y), row in want.iterrows():
        g = got.loc[(r, lu, y)]
        assert g[col(df, "area")] == pytest.approx(row["area_ha"], abs=1e-9)
        assert g[col(df, "baseline")] == pytest.approx(row["baseline_ha"], abs=1e-9)
        assert g[col(df, "change 变化 (ha)")] == pytest.approx(row["change_ha"], abs=1e-9)
        if not math.isnan(row["change_pct"]):
            assert g[col(df, "change 变化率")] == pytest.approx(row["change_pct"])
        assert g["land-use name 地类名称"] == row["name_zh"]
        assert g["region name 区域名称"] == {"A": "甲", "B": "乙"}[r]
    # units in the headers, thousands separators
    assert "area 面积 (ha)" in df.columns and "change 变化率 (%)" in df.columns
    assert table_cell(full_book, "Allocation", 0, "area").number_format == "#,##0"
    assert table_cell(full_book, "Allocation", 0, "change 变化率").number_format == "0.0"


def test_allocation_pivot_for_the_target_year(tiny_book: openpyxl.Workbook) -> None:
    piv = table_frame(tiny_book, "AreaTargetYear")
    row = piv.iloc[0]
    assert row["region 区域"] == "A" and row["region name 区域名称"] == "甲"
    assert [row["crop (ha)"], row["forest (ha)"], row["urban (ha)"], row["unused (ha)"]] == pytest.approx([30, 60, 10, 0])
    assert row[col(piv, "total")] == pytest.approx(100)
    change = table_frame(tiny_book, "ChangeTargetYear").iloc[0]
    assert [change["crop (ha)"], change["forest (ha)"], change["unused (ha)"]] == pytest.approx([-10, 40, -30])


def test_conversions(tiny_book: openpyxl.Workbook, tiny_result: PlanResult) -> None:
    df = table_frame(tiny_book, "Conversions")
    got = {(f, t): a for f, t, a in zip(df["from 转出地类"], df["to 转入地类"], df[col(df, "area converted")])}
    want = {(f, t): a for (_r, f, t, _y), a in tiny_result.conversions["area_ha"].items()}
    assert got == pytest.approx(want)
    assert set(df["period start 起始年"]) == {2020} and set(df["period ending year 截止年"]) == {2030}


# --------------------------------------------------------------------------- carbon
def test_carbon_pivot_net_equals_objective(full_book: openpyxl.Workbook, full_result: PlanResult) -> None:
    piv = table_frame(full_book, "CarbonTargetYear")
    net = col(piv, "net sink")
    ty = full_result.spec.target_year
    for _, row in piv.iterrows():
        want = full_result.carbon.loc[(row["region 区域"], ty, "net_sink"), "t_co2e_per_yr"]
        assert row[net] == pytest.approx(want)
        # signed terms add up to the net in every region
        terms = [c for c in piv.columns if c not in ("region 区域", "region name 区域名称", net)]
        assert sum(row[c] for c in terms) == pytest.approx(row[net])
    assert piv[net].sum() == pytest.approx(full_result.objective)  # objective_years = target
    long = table_frame(full_book, "Carbon")
    assert len(long) == len(full_result.carbon)
    by_lu = table_frame(full_book, "CarbonByLandUse")
    assert len(by_lu) == len(full_result.carbon_by_land_use)


def test_native_charts_reference_workbook_cells(full_book: openpyxl.Workbook) -> None:
    alloc, carbon = full_book["allocation"], full_book["carbon"]
    assert len(alloc._charts) >= 2
    assert len(carbon._charts) >= 1
    assert sum(len(ws._charts) for ws in full_book.worksheets) >= 3
    change_chart = alloc._charts[0]
    assert change_chart.tagname == "barChart"
    refs = [s.val.numRef.f.replace("'", "") for s in change_chart.series]
    assert refs and all(f.startswith("allocation!$") for f in refs)
    # the change chart plots the ChangeTargetYear pivot's data rows (not its total row)
    _ws, tab = find_table(full_book, "ChangeTargetYear")
    first, last = tab.ref.split(":")
    first_data = int(first.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) + 1
    last_data = int(last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    assert all(f.endswith(f"${first_data}:${f.split('$')[-2]}${last_data}") for f in refs)
    carbon_refs = [s.val.numRef.f.replace("'", "") for s in carbon._charts[0].series]
    assert carbon_refs and all(f.startswith("carbon!$") for f in carbon_refs)
    assert carbon._charts[0].series[0].cat.numRef is not None or carbon._charts[0].series[0].cat.strRef is not None


# --------------------------------------------------------------------------- grazing, energy, constraints, inputs
def test_grazing_and_energy_sheets(full_book: openpyxl.Workbook, full_result: PlanResult) -> None:
    g = table_frame(full_book, "Grazing")
    assert len(g) == len(full_result.grazing)
    got = g.set_index(["region 区域", "year 年份"])
    for (r, y), row in full_result.grazing.iterrows():
        assert got.loc[(r, y), "livestock 牲畜 (SU)"] == pytest.approx(row["livestock_su"])
        assert got.loc[(r, y), "carrying capacity 理论载畜量 (SU)"] == pytest.approx(row["capacity_su"])
        assert got.loc[(r, y), "utilisation 载畜率 (%)"] == pytest.approx(row["utilisation_pct"])
    assert table_cell(full_book, "Grazing", 0, "livestock 牲畜").number_format == "#,##0"
    e = table_frame(full_book, "Energy").set_index(["region 区域", "year 年份"])
    for (r, y), row in full_result.energy.iterrows():
        assert e.loc[(r, y), "PV capacity 光伏装机 (MW)"] == pytest.approx(row["pv_mw"])
        assert e.loc[(r, y), "target 目标 (MW)"] == pytest.approx(row["target_mw"])
    assert table_cell(full_book, "Energy", 0, "PV capacity").number_format == "#,##0.00"


def test_empty_grazing_and_energy_still_written(tiny_book: openpyxl.Workbook) -> None:
    assert table_frame(tiny_book, "Grazing").empty
    assert "not modelled" in tiny_book["grazing"]["A3"].value


def test_binding_constraints_sheet(tiny_book: openpyxl.Workbook, tiny_result: PlanResult) -> None:
    b = table_frame(tiny_book, "BindingConstraints")
    assert len(b) == len(tiny_result.binding)
    row = b.set_index("constraint 约束").loc["cropland_protection[A,2030]"]
    assert row[col(b, "shadow price")] == pytest.approx(-44 / 12)
    assert row["unit 单位"] == "ha"
    assert row["right-hand side 约束值"] == pytest.approx(30)
    assert (row["source sheet 来源工作表"], row["source row 行"], row["source column 列"]) == ("targets", 2, "cropland_min_ha")
    assert "changes the net sink" in row["meaning 含义"]
    assert "t CO2e/yr per unit" in col(b, "shadow price")
    allc = table_frame(tiny_book, "AllConstraints")
    assert len(allc) == len(tiny_result.constraints)
    assert set(allc["sense 关系"]) <= {"≤", "≥", "="}
    assert set(allc[col(allc, "slack")].round(9)) >= {0.0}


def test_inputs_echo(full_book: openpyxl.Workbook, full_result: PlanResult) -> None:
    ws = full_book["inputs"]
    for name in ("settings", "regions", "land_uses", "baseline", "carbon_coefficients_used", "transitions",
                 "targets", "grazing", "energy", "sources"):
        assert f"Input_{name}" in ws.tables, name
    settings = table_frame(full_book, "Input_settings").set_index("key")
    assert settings.loc["milestone_years", "value"] == "2025,2030"
    assert settings.loc["baseline_year", "value"] == 2020
    assert settings.loc["include_avoided_emissions", "value"] == "yes"
    regions = table_frame(full_book, "Input_regions")
    assert list(regions["total_area_ha (ha)"]) == [1000, 2000]
    assert list(regions["name_zh"]) == ["甲", "乙"]
    assert len(table_frame(full_book, "Input_baseline")) == 12
    assert table_frame(full_book, "Input_sources")["status"].tolist() == ["estimate"]


# --------------------------------------------------------------------------- errors and atomic writes
def test_not_optimal_raises(tiny_result: PlanResult, tmp_path: Path) -> None:
    bad = dataclasses.replace(tiny_result, status="infeasible", message="No plan meets every requirement.")
    with pytest.raises(ValueError, match="infeasible"):
        write_plan_workbook(bad, tmp_path / "plan.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_the_existing_output(tiny_result: PlanResult, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(tiny_result, path)
    before = path.read_bytes()

    def broken_save(self: Workbook, filename: str | Path) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 half a workbook")  # partial output, then a crash
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        write_plan_workbook(tiny_result, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]  # no temp file left
    load_workbook(path)  # still a valid workbook


def test_atomic_save_creates_folders_and_replaces(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "out.xlsx"
    wb = Workbook()
    wb.active["A1"] = "first"
    assert atomic_save(wb, path) == path
    wb.active["A1"] = "second"
    atomic_save(wb, path)
    assert load_workbook(path).active["A1"].value == "second"
    assert [p.name for p in path.parent.iterdir()] == ["out.xlsx"]


# --------------------------------------------------------------------------- write_table
def test_units_from_column_suffixes() -> None:
    assert unit_for("area_ha") == "ha"
    assert unit_for("livestock_su") == "SU"
    assert unit_for("pv_mw") == "MW"
    assert unit_for("t_co2e_per_yr") == "t CO2e/yr"
    assert unit_for("ch4_t_co2e_per_yr") == "t CO2e/yr"
    assert unit_for("change_pct") == "%"
    assert unit_for("pv_mw_per_ha") == "MW/ha"
    assert unit_for("carbon_flux_tC_per_ha_yr") == "t C/ha/yr"
    assert unit_for("urban_population") == "persons"
    assert unit_for("region") == ""
    assert unit_for("area_ha", {"area_ha": "mu"}) == "mu"
    assert header_text("area_ha") == "area (ha)"
    assert header_text("change_pct") == "change (%)"
    assert header_text("t_co2e_per_yr") == "value (t CO2e/yr)"


def test_write_table_formats_and_structure(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "data"
    df = pd.DataFrame({"region": ["A", "B"], "area_ha": [1234.5, 10.0], "t_co2e_per_yr": [1.5, -2.25],
                       "change_pct": [12.5, None], "livestock_su": [1000, 2000], "sense": ["==", ">="],
                       "binding": [True, False]})
    blk = write_table(ws, df, 3, table_name="My table", header_comments={"area_ha": "Area of the region"},
                      totals=["area_ha"])
    write_table(ws, pd.DataFrame({"x": []}), blk.end_row + 2, table_name="My table")  # same name: made unique
    path = atomic_save(wb, tmp_path / "t.xlsx")
    ws = load_workbook(path)["data"]
    assert set(ws.tables) == {"My_table", "My_table_2"}
    assert ws.tables["My_table"].ref == "A3:G5"
    assert [c.value for c in ws[3]] == ["region", "area (ha)", "value (t CO2e/yr)", "change (%)", "livestock (SU)",
                                        "sense", "binding"]
    assert ws["B3"].font.b and ws["B3"].alignment.wrap_text and ws["B3"].fill.fgColor.rgb.endswith("DDEBF7")
    assert ws["B3"].comment.text == "Area of the region"
    assert ws.freeze_panes == "A4"
    assert ws["B4"].number_format == "#,##0" and ws["C4"].number_format == "#,##0.00"
    assert ws["D4"].number_format == "0.0" and ws["E4"].number_format == "#,##0"
    assert ws["D5"].value is None  # NaN -> empty cell
    assert ws["F4"].value == "==" and ws["F4"].data_type == "s"  # text, not a formula
    assert ws["G4"].value == "yes" and ws["G5"].value == "no"
    assert ws["A6"].value == "Total 合计" and ws["B6"].value == pytest.approx(1244.5)
    assert 6 <= ws.column_dimensions["B"].width <= 60
    assert ws.tables["My_table_2"].ref == "A8:A9"  # empty table: header plus one blank row


def test_unique_table_name_is_valid() -> None:
    wb = Workbook()
    assert unique_table_name(wb, "A1") == "T_A1"  # would read as a cell reference
    assert unique_table_name(wb, "2030 plan") == "T_2030_plan"
    assert unique_table_name(None, "carbon by land use") == "carbon_by_land_use"
