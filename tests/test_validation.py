"""Input validation: one exact-message test per kind of bad input, all problems at once, xlsx = CSV rows,
the input never modified, and scenario errors.

Every test asserts the full ``str(problem)`` so that the wording users see is
pinned.  Spreadsheet rows: the header is row 1, so the i-th data row (0-based)
of a sheet built with ``tiny_tables`` is row i + 2.  The tiny instance (see
conftest): region A of 100 ha; land uses crop, forest, urban, unused with
baseline 40/20/10/30 ha on baseline rows 2-5; baseline year 2020, one
milestone 2030; transitions crop→forest (row 2) and unused→forest (row 3);
targets A 2030 cropland_min_ha 30 (row 2).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import tiny_tables, write_xlsx

import landopt
from landopt.reader import from_tables, read_workbook
from landopt.scenarios import ScenarioError, apply_scenario
from landopt.validate import InputError, Problem, check, load_spec

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "inputs" / "tibet_2035"
SCENARIO_COLUMNS = ["scenario", "parent", "description", "sheet", "column", "where", "operation", "value", "note"]


def problems(tables: dict[str, pd.DataFrame]) -> list[str]:
    """The English lines of every problem ``tables`` has; each problem must also read in Chinese (shown first)."""
    spec, found = check(from_tables(tables))
    assert (spec is None) == bool(found)
    assert all(p.message_zh for p in found), [str(p) for p in found if not p.message_zh]
    return [str(p) for p in found]


def only(tables: dict[str, pd.DataFrame]) -> str:
    """The single problem ``tables`` has (fails listing them all if there are more)."""
    found = problems(tables)
    assert len(found) == 1, "\n".join(found)
    return found[0]


def base(sheet: str) -> pd.DataFrame:
    return tiny_tables()[sheet].copy()


def with_cell(sheet: str, index: int, column: str, value) -> pd.DataFrame:
    df = base(sheet)
    df[column] = df[column].astype(object)
    df.loc[index, column] = value
    return df


GRASS_LAND_USES = pd.DataFrame({
    "land_use": ["crop", "forest", "urban", "unused", "grass"],
    "role": ["cropland", "forest", "urban", "unused", "grassland"],
    "carbon_flux_tC_per_ha_yr": [0.4, -0.6, 10.0, 0.0, -0.02],
})


def grazing_row(**changes) -> list[dict]:
    row = dict(region="A", year=2030, forage_yield_kg_per_ha=500, utilisation_rate=0.5, intake_kg_per_su_yr=657,
               ch4_kg_per_su_yr=5.5)
    row.update(changes)
    return [row]


# --- structure ----------------------------------------------------------------


def test_missing_sheet():
    assert only(tiny_tables(regions=None)) == (
        "sheet 'regions': not found (expected columns: region, name_zh, total_area_ha, forest_stock_m3, "
        "forest_growth_m3_per_ha_yr, young_forest_growth_m3_per_ha_yr)")


def test_missing_optional_sheets_are_fine():
    tables = tiny_tables()
    assert not {"carbon_by_region", "area_bounds", "sources", "scenarios"} & set(tables)
    assert problems(tables) == []


def test_missing_required_column():
    assert only(tiny_tables(baseline=base("baseline").drop(columns="area_ha"))) == (
        "sheet 'baseline', row 1, column 'area_ha': required column is missing (ha: Baseline area)")


def test_blank_required_cell():
    assert only(tiny_tables(baseline=with_cell("baseline", 1, "area_ha", None))) == (
        "sheet 'baseline', row 3, column 'area_ha': a value is required (Baseline area)")


def test_empty_regions_sheet():
    found = problems(tiny_tables(regions=pd.DataFrame(columns=["region", "total_area_ha"])))
    assert found == ["sheet 'regions': no regions listed: add one row per region"]


# --- cell values --------------------------------------------------------------


def test_non_numeric_area():
    assert only(tiny_tables(baseline=with_cell("baseline", 1, "area_ha", "twenty"))) == (
        "sheet 'baseline', row 3, column 'area_ha': value 'twenty' — expected a number in ha")


def test_negative_area():
    assert only(tiny_tables(baseline=with_cell("baseline", 1, "area_ha", -5))) == (
        "sheet 'baseline', row 3, column 'area_ha': value -5 — expected a number ≥ 0 ha")


def test_large_numbers_get_thousands_separators():
    assert only(tiny_tables(baseline=with_cell("baseline", 1, "area_ha", -12345.5))) == (
        "sheet 'baseline', row 3, column 'area_ha': value -12,345.5 — expected a number ≥ 0 ha")


def test_value_above_maximum():
    assert only(tiny_tables(land_uses=GRASS_LAND_USES, grazing=grazing_row(utilisation_rate=1.5))) == (
        "sheet 'grazing', row 2, column 'utilisation_rate': value 1.5 — expected a number between 0 and 1")


def test_percentage_above_100():
    assert only(tiny_tables(transitions=with_cell("transitions", 0, "max_pct_per_period", 150))) == (
        "sheet 'transitions', row 2, column 'max_pct_per_period': value 150 — "
        "expected a number between 0 and 100 (% of from-area)")


def test_bad_choice():
    assert only(tiny_tables(land_uses=with_cell("land_uses", 3, "role", "desert"))) == (
        "sheet 'land_uses', row 5, column 'role': value 'desert' — expected one of: cropland, garden, forest, "
        "grassland, degraded_grassland, wetland, water, urban, rural, other_construction, pv, unused, sandy")


def test_bad_bool_cell():
    assert only(tiny_tables(transitions=with_cell("transitions", 1, "allowed", "perhaps"))) == (
        "sheet 'transitions', row 3, column 'allowed': value 'perhaps' — expected yes or no")


@pytest.mark.parametrize("year, shown", [(2030.5, "2030.5"), ("2030a", "'2030a'")])
def test_non_integer_year(year, shown):
    assert only(tiny_tables(targets=[dict(region="A", year=year, cropland_min_ha=30)])) == (
        f"sheet 'targets', row 2, column 'year': value {shown} — expected a year (a whole number such as 2030)")


def test_year_not_a_milestone():
    assert only(tiny_tables(targets=[dict(region="A", year=2035, cropland_min_ha=30)])) == (
        "sheet 'targets', row 2, column 'year': value 2035 — not a milestone year; expected one of: 2030")


# --- ids and keys -------------------------------------------------------------


def test_unknown_region_id():
    assert only(tiny_tables(targets=[dict(region="B", year=2030, cropland_min_ha=30)])) == (
        "sheet 'targets', row 2, column 'region': value 'B' — unknown region id (see sheet 'regions'); "
        "expected one of: A")


def test_unknown_region_in_baseline_also_leaves_its_area_out_of_the_sum():
    assert problems(tiny_tables(baseline=with_cell("baseline", 1, "region", "B"))) == [
        "sheet 'baseline', row 3, column 'region': value 'B' — unknown region id (see sheet 'regions'); "
        "expected one of: A",
        "sheet 'baseline', column 'area_ha': region 'A': baseline areas add up to 80.0 ha but its total area "
        "(sheet 'regions', row 2) is 100.0 ha — a gap of -20.0 ha (-20.000%), more than the allowed 0.1%",
    ]


def test_unknown_land_use_in_baseline():
    assert only(tiny_tables(baseline=with_cell("baseline", 1, "land_use", "forrest"))) == (
        "sheet 'baseline', row 3, column 'land_use': value 'forrest' — unknown land-use id "
        "(see sheet 'land_uses'); did you mean 'forest'? expected one of: crop, forest, unused, urban")


def test_unknown_land_use_in_transitions_from_and_to():
    tr = base("transitions")
    tr.loc[0, "from_land_use"] = "crops"
    tr.loc[1, "to_land_use"] = "wood"
    assert problems(tiny_tables(transitions=tr)) == [
        "sheet 'transitions', row 2, column 'from_land_use': value 'crops' — unknown land-use id "
        "(see sheet 'land_uses'); did you mean 'crop'? expected one of: crop, forest, unused, urban",
        "sheet 'transitions', row 3, column 'to_land_use': value 'wood' — unknown land-use id "
        "(see sheet 'land_uses'); expected one of: crop, forest, unused, urban",
    ]


def test_duplicate_key_rows_cite_the_first_row():
    b = base("baseline")
    extra = pd.DataFrame({"region": ["A", "A"], "land_use": ["crop", "crop"], "area_ha": [0.0, 0.0]})
    b = pd.concat([b, extra], ignore_index=True)  # rows 6 and 7 repeat row 2
    assert problems(tiny_tables(baseline=b)) == [
        "sheet 'baseline', row 6, column 'region': value 'region=A, land_use=crop' — duplicate entry; "
        "the same region and land_use is already on row 2",
        "sheet 'baseline', row 7, column 'region': value 'region=A, land_use=crop' — duplicate entry; "
        "the same region and land_use is already on row 2",
    ]


def test_duplicate_year_written_as_integer_and_decimal_and_blank_keys_are_not_duplicates():
    # 2030 and 2030.0 are the same milestone; rows with a blank key cell are reported by the cell check only
    tg = pd.DataFrame({"region": ["A", "A", None, None], "year": [2030, 2030.0, 2030, 2030],
                       "cropland_min_ha": [30.0, 31.0, 1.0, 1.0]}, dtype=object)
    required = "a value is required (Region id (e.g. Lhasa); must be listed on the regions sheet)"
    assert problems(tiny_tables(targets=tg)) == [
        f"sheet 'targets', row 4, column 'region': {required}",
        f"sheet 'targets', row 5, column 'region': {required}",
        "sheet 'targets', row 3, column 'region': value 'region=A, year=2030' — duplicate entry; "
        "the same region and year is already on row 2",
    ]


def test_regional_sink_written_as_emission_is_a_warning_on_its_row():
    cbr = pd.DataFrame({"region": ["A", "A"], "land_use": ["crop", "forest"],
                        "carbon_flux_tC_per_ha_yr": [0.3, 0.8]})  # cropland emits (fine); forest is a sink
    spec = load_spec(from_tables(tiny_tables(carbon_by_region=cbr)))
    assert [str(w) for w in spec.settings["warnings"]] == [
        "sheet 'carbon_by_region', row 3, column 'carbon_flux_tC_per_ha_yr': warning: value 0.8 — 'forest' (forest) "
        "is a carbon sink, written negative (emission positive, sink negative); is the sign right?"]


def test_duplicate_transition():
    tr = pd.concat([base("transitions"), base("transitions").iloc[[0]]], ignore_index=True)
    assert only(tiny_tables(transitions=tr)) == (
        "sheet 'transitions', row 4, column 'from_land_use': value 'from_land_use=crop, to_land_use=forest' — "
        "duplicate entry; the same from_land_use and to_land_use is already on row 2")


def test_transition_to_itself():
    assert only(tiny_tables(transitions=with_cell("transitions", 1, "to_land_use", "unused"))) == (
        "sheet 'transitions', row 3, column 'to_land_use': value 'unused' — a land use cannot convert to itself")


# --- areas --------------------------------------------------------------------


def test_baseline_not_adding_up_to_total():
    assert only(tiny_tables(baseline=with_cell("baseline", 1, "area_ha", 25.0))) == (
        "sheet 'baseline', column 'area_ha': region 'A': baseline areas add up to 105.0 ha but its total area "
        "(sheet 'regions', row 2) is 100.0 ha — a gap of +5.0 ha (+5.000%), more than the allowed 0.1%")


def test_baseline_gap_within_tolerance_is_fine():
    assert problems(tiny_tables(baseline=with_cell("baseline", 1, "area_ha", 20.05))) == []
    assert problems(tiny_tables(baseline=with_cell("baseline", 1, "area_ha", 25.0),
                                settings={"area_tolerance_pct": "5"})) == []


def test_invalid_baseline_cell_is_not_also_reported_as_a_gap():
    assert problems(tiny_tables(baseline=with_cell("baseline", 1, "area_ha", "n/a"))) == [
        "sheet 'baseline', row 3, column 'area_ha': value 'n/a' — expected a number in ha"]


def test_cropland_floor_above_region_total():
    assert only(tiny_tables(targets=[dict(region="A", year=2030, cropland_min_ha=150)])) == (
        "sheet 'targets', row 2, column 'cropland_min_ha': value 150 — exceeds the total area of region 'A' (100 ha)")


def test_combined_floors_above_region_total():
    assert only(tiny_tables(targets=[dict(region="A", year=2030, cropland_min_ha=60, forest_min_ha=50)])) == (
        "sheet 'targets', row 2, column 'cropland_min_ha': the cropland, forest, wetland and grassland floors "
        "add up to 110 ha (cropland 60 + forest 50), more than the total area of region 'A' (100 ha)")


def test_area_bounds_min_above_max():
    bounds = [dict(region="A", land_use="urban", year=2030, min_ha=12, max_ha=8)]
    assert only(tiny_tables(area_bounds=bounds)) == (
        "sheet 'area_bounds', row 2, column 'min_ha': value 12 — larger than max_ha on the same row (8 ha); "
        "min_ha must not exceed max_ha")


# --- settings -----------------------------------------------------------------
# tiny settings rows: baseline_year (row 2), milestone_years (row 3), then added keys (row 4, ...)


@pytest.mark.parametrize("settings, message", [
    ({"milestone_years": "2035,2030"},
     "sheet 'settings', row 3, column 'value': value '2035,2030' — milestone years must be increasing and distinct"),
    ({"milestone_years": "2030,2030"},
     "sheet 'settings', row 3, column 'value': value '2030,2030' — milestone years must be increasing and distinct"),
    ({"milestone_years": "2020,2030"},
     "sheet 'settings', row 3, column 'value': value '2020,2030' — milestone years must come after the baseline "
     "year 2020"),
    ({"milestone_years": "2030,twenty"},
     "sheet 'settings', row 3, column 'value': value '2030,twenty' — setting 'milestone_years' needs years "
     "separated by commas, e.g. 2025,2030,2035 ('twenty' is not a year)"),
    ({"baseline_year": "2020.5"},
     "sheet 'settings', row 2, column 'value': value '2020.5' — setting 'baseline_year' needs a whole number "
     "(e.g. 2019)"),
    ({"objective_years": "every"},
     "sheet 'settings', row 4, column 'value': value 'every' — setting 'objective_years' must be one of: target, all"),
    ({"no_net_loss": "maybe"},
     "sheet 'settings', row 4, column 'value': value 'maybe' — setting 'no_net_loss' needs yes or no"),
    ({"ch4_gwp": "-1"},
     "sheet 'settings', row 4, column 'value': value '-1' — setting 'ch4_gwp' needs a number ≥ 0"),
    ({"families_off": "grazing_balance,grazing"},
     "sheet 'settings', row 4, column 'value': value 'grazing' — unknown constraint family; expected one of: "
     "transitions, cropland_protection, urban_boundary, grazing_balance, livestock_layout, energy_sites, ecological_floors, "
     "forest_cover, farmland, protection, construction_cap, economic_output, budget, desertification_control, forest_stock, redevelopment, energy_bases, hydro, area_bounds"),
], ids=["milestones-decreasing", "milestones-repeated", "milestones-not-after-baseline", "milestones-not-years",
        "baseline-year-fraction", "objective-years-choice", "bad-bool", "negative-number", "unknown-family"])
def test_bad_setting(settings, message):
    assert only(tiny_tables(settings=settings)) == message


def test_missing_milestone_years():
    s = pd.DataFrame({"key": ["baseline_year"], "value": ["2020"]})
    assert problems(tiny_tables(settings=s))[0] == (
        "sheet 'settings', column 'value': setting 'milestone_years' is required, e.g. 2025,2030,2035")


def test_unknown_settings_key():
    s = pd.DataFrame({"key": ["baseline_year", "milestone_years", "milestones"], "value": ["2020", "2030", "2030"]})
    assert only(tiny_tables(settings=s)) == (
        "sheet 'settings', row 4, column 'key': value 'milestones' — unknown setting; did you mean 'milestone_years'? expected one of: "
        "title, baseline_year, "
        "milestone_years, objective_years, include_avoided_emissions, ch4_gwp, carbon_accounting, soil_transition_years, "
        "accounting_end_year, memo_fossil_emissions_t_co2_per_yr, area_tolerance_pct, no_net_loss, "
        "families_off, tie_break, solver_method, time_limit_s, farmland_balance")


# --- roles and pairs ----------------------------------------------------------


def _without_urban() -> dict:
    lu = base("land_uses")
    lu = lu[lu["role"] != "urban"]
    b = pd.DataFrame({"region": ["A"] * 3, "land_use": ["crop", "forest", "unused"], "area_ha": [40.0, 20.0, 40.0]})
    return dict(land_uses=lu, baseline=b)


def test_column_constrained_without_a_land_use_with_that_role():
    targets = [dict(region="A", year=2030, cropland_min_ha=30, urban_boundary_ha=20)]
    assert only(tiny_tables(targets=targets, **_without_urban())) == (
        "sheet 'targets', row 2, column 'urban_boundary_ha': no land use on sheet 'land_uses' has role 'urban', "
        "which this column constrains")


def test_grazing_without_grassland_role():
    assert only(tiny_tables(grazing=grazing_row())) == (
        "sheet 'grazing': no land use on sheet 'land_uses' has role 'grassland', which the grazing balance needs")


@pytest.mark.parametrize("given, missing", [("urban_population", "urban_land_per_capita_m2"),
                                            ("urban_land_per_capita_m2", "urban_population")])
def test_urban_population_and_per_capita_go_together(given, missing):
    targets = [{"region": "A", "year": 2030, "cropland_min_ha": 30, given: 1000}]
    assert only(tiny_tables(targets=targets)) == (
        f"sheet 'targets', row 2, column '{missing}': urban_population and urban_land_per_capita_m2 go together: "
        "give both or neither")


def test_sources_status_is_checked():
    sources = [dict(sheet="regions", item="area of A", source="survey", status="verifed")]
    assert only(tiny_tables(sources=sources)) == (
        "sheet 'sources', row 2, column 'status': value 'verifed' — expected one of: verified, estimate")


# --- all at once, clean, file forms -------------------------------------------


def five_errors() -> dict[str, pd.DataFrame]:
    """Five different errors on three sheets (land_uses, baseline, targets)."""
    lu = with_cell("land_uses", 3, "carbon_flux_tC_per_ha_yr", "high")      # land_uses row 5
    b = with_cell("baseline", 1, "area_ha", -5)                               # baseline row 3
    b.loc[3, "land_use"] = "unsued"                                           # baseline row 5
    targets = [dict(region="A", year=2035, cropland_min_ha=30),              # targets row 2: not a milestone
               dict(region="A", year=2030, cropland_min_ha=150)]             # targets row 3: above the total
    return tiny_tables(land_uses=lu, baseline=b, targets=targets)


FIVE = [
    "sheet 'land_uses', row 5, column 'carbon_flux_tC_per_ha_yr': value 'high' — expected a number in t C/ha/yr",
    "sheet 'baseline', row 3, column 'area_ha': value -5 — expected a number ≥ 0 ha",
    "sheet 'baseline', row 5, column 'land_use': value 'unsued' — unknown land-use id (see sheet 'land_uses'); "
    "did you mean 'unused'? expected one of: crop, forest, unused, urban",
    "sheet 'targets', row 2, column 'year': value 2035 — not a milestone year; expected one of: 2030",
    "sheet 'targets', row 3, column 'cropland_min_ha': value 150 — exceeds the total area of region 'A' (100 ha)",
]


#: the same problems in Chinese, the line the command line shows first (English on the next line)
FIVE_ZH = [
    "工作表“land_uses”第 5 行“carbon_flux_tC_per_ha_yr”列：填写值为 'high'，应填数字（吨碳/公顷/年）",
    "工作表“baseline”第 3 行“area_ha”列：填写值为 -5，应填不小于 0 的数字（公顷）",
    "工作表“baseline”第 5 行“land_use”列：填写值为 'unsued'，地类编号不存在（见工作表“land_uses”）；是否应为 'unused'？"
    "应为下列之一：crop、forest、unused、urban",
    "工作表“targets”第 2 行“year”列：填写值为 2035，不是规划年份；应为下列之一：2030",
    "工作表“targets”第 3 行“cropland_min_ha”列：填写值为 150，超过区域“A”的土地总面积（100 公顷）",
]


def test_all_problems_reported_at_once():
    assert problems(five_errors()) == FIVE
    with pytest.raises(InputError) as e:
        load_spec(from_tables(five_errors()))
    assert [str(p) for p in e.value.problems] == FIVE
    assert [p.zh() for p in e.value.problems][:len(FIVE_ZH)] == FIVE_ZH
    lines = [f"  - {zh}\n    {en}" if zh else f"  - {en}" for zh, en in zip([p.zh() for p in e.value.problems], FIVE)]
    assert str(e.value) == "\n".join(["发现 5 处问题 5 problems in <memory>:"] + lines)


def test_clean_instance_has_no_problems():
    spec, found = check(from_tables(tiny_tables()))
    assert found == []
    assert spec is not None and spec.years == (2030,)


@pytest.mark.skipif(not SHIPPED.is_dir(), reason="shipped dataset not present")
def test_shipped_dataset_has_no_problems():
    spec, found = check(read_workbook(SHIPPED))
    assert [str(p) for p in found] == []
    assert spec is not None



def write_folder(tables: dict[str, pd.DataFrame], folder: Path) -> Path:
    folder.mkdir()
    for name, df in tables.items():
        df.to_csv(folder / f"{name}.csv", index=False)
    return folder


def with_blank_row(df: pd.DataFrame, at: int) -> pd.DataFrame:
    """``df`` with an all-blank row inserted before data row ``at`` (0-based)."""
    blank = pd.DataFrame([[None] * len(df.columns)], columns=df.columns)
    return pd.concat([df.iloc[:at], blank, df.iloc[at:]], ignore_index=True)


def test_xlsx_and_csv_folder_give_the_same_rows(tmp_path):
    tables = five_errors()
    tables["baseline"] = with_blank_row(tables["baseline"], 2)  # shifts baseline rows 4+ down by one
    tables["grazing"] = pd.DataFrame(grazing_row())
    found_x = check(read_workbook(write_xlsx(tables, tmp_path / "x.xlsx")))[1]
    found_f = check(read_workbook(write_folder(tables, tmp_path / "x")))[1]
    expected = [m.replace("baseline', row 5", "baseline', row 6") for m in FIVE] + [
        "sheet 'grazing': no land use on sheet 'land_uses' has role 'grassland', which the grazing balance needs"]
    assert [str(p) for p in found_x] == expected
    assert {p.kind for p in found_x} == {"xlsx"} and {p.kind for p in found_f} == {"folder"}
    assert [(p.sheet, p.row, p.column) for p in found_f] == [(p.sheet, p.row, p.column) for p in found_x]
    # the folder form says file 'x.csv' wherever the workbook form says sheet 'x'
    wording = [str(p) for p in found_f]
    assert wording[0] == ("file 'land_uses.csv', row 5, column 'carbon_flux_tC_per_ha_yr': value 'high' — "
                          "expected a number in t C/ha/yr")
    assert wording[2] == ("file 'baseline.csv', row 6, column 'land_use': value 'unsued' — unknown land-use id "
                          "(see file 'land_uses.csv'); did you mean 'unused'? expected one of: crop, forest, unused, urban")
    assert wording[-1] == ("file 'grazing.csv': no land use on file 'land_uses.csv' has role 'grassland', "
                           "which the grazing balance needs")
    for f, x in zip(wording, expected):
        for sheet in ("land_uses", "baseline", "targets", "grazing", "regions"):
            f = f.replace(f"file '{sheet}.csv'", f"sheet '{sheet}'")
        assert f == x


def test_folder_problem_wording():
    assert str(Problem.at("baseline", 7, "area_ha", -5, "expected a number ≥ 0 ha", kind="folder")) == (
        "file 'baseline.csv', row 7, column 'area_ha': value -5 — expected a number ≥ 0 ha")
    assert str(Problem.at("baseline", 7, "area_ha", -5, "expected a number ≥ 0 ha")) == (
        "sheet 'baseline', row 7, column 'area_ha': value -5 — expected a number ≥ 0 ha")


def test_csv_empty_line_keeps_row_numbers(tmp_path):
    folder = tmp_path / "x"
    write_folder(tiny_tables(), folder)
    lines = (folder / "baseline.csv").read_text().splitlines()
    lines.insert(3, "")  # an empty line (not ",,") where spreadsheet row 4 would be
    lines[-1] = lines[-1].replace("30.0", "-30.0")  # spreadsheet row 6
    (folder / "baseline.csv").write_text("\n".join(lines) + "\n")
    rows = [p.row for p in check(read_workbook(folder))[1] if p.column == "area_ha" and p.row is not None]
    assert rows == [6]


# --- the input is never modified ----------------------------------------------


def fingerprint(path: Path) -> dict[str, tuple[str, int]]:
    files = sorted(path.iterdir()) if path.is_dir() else [path]
    return {f.name: (hashlib.sha256(f.read_bytes()).hexdigest(), os.stat(f).st_mtime_ns) for f in files}


@pytest.mark.parametrize("form", ["xlsx", "folder"])
def test_input_never_modified(tmp_path, form):
    tables = tiny_tables()
    inp_dir = tmp_path / "in"
    inp_dir.mkdir()
    src = write_xlsx(tables, inp_dir / "tiny.xlsx") if form == "xlsx" else write_folder(tables, inp_dir / "tiny")
    before, listing = fingerprint(src), sorted(p.name for p in inp_dir.iterdir())
    spec = landopt.read(src)
    result = landopt.optimize(spec)
    assert result.optimal
    landopt.write_plan(result, tmp_path / "out" / "plan.xlsx")
    assert fingerprint(src) == before
    assert sorted(p.name for p in inp_dir.iterdir()) == listing  # no lock or temporary files left next to it


@pytest.mark.skipif(not SHIPPED.is_dir(), reason="shipped dataset not present")
def test_shipped_input_never_modified_by_read_and_solve(tmp_path):
    folder = tmp_path / "tibet_2035"
    shutil.copytree(SHIPPED, folder)
    before = fingerprint(folder)
    result = landopt.optimize(landopt.read(folder, scenario="ecological_priority"))
    assert result.optimal
    assert fingerprint(folder) == before


# --- scenarios ----------------------------------------------------------------


def R(*cells) -> list:
    return list(cells) + [None] * (len(SCENARIO_COLUMNS) - len(cells))


def scenario_problems(rows: list[list], name: str) -> list[str]:
    raw = from_tables(tiny_tables(scenarios=pd.DataFrame(rows, columns=SCENARIO_COLUMNS)))
    with pytest.raises(ScenarioError) as e:
        apply_scenario(raw, name)
    return [str(p) for p in e.value.problems]


def test_scenario_applies_and_is_validated_like_the_base():
    rows = [R("tight", "", "Less cropland.", "targets", "cropland_min_ha", "region=A;year=2030", "set", 25)]
    raw = apply_scenario(from_tables(tiny_tables(scenarios=pd.DataFrame(rows, columns=SCENARIO_COLUMNS))), "tight")
    assert load_spec(raw).targets["cropland_min_ha"].tolist() == [25.0]
    rows = [R("bad", "", "Negative floor.", "targets", "cropland_min_ha", "", "set", -1)]
    raw = apply_scenario(from_tables(tiny_tables(scenarios=pd.DataFrame(rows, columns=SCENARIO_COLUMNS))), "bad")
    assert [str(p) for p in check(raw)[1]] == [
        "sheet 'targets', row 2, column 'cropland_min_ha': value -1 — expected a number ≥ 0 ha"]


def test_unknown_scenario_name():
    rows = [R("high", "", "More.", "targets", "cropland_min_ha", "", "scale", 1.1),
            R("low", "", "Less.", "targets", "cropland_min_ha", "", "scale", 0.9)]
    assert scenario_problems(rows, "medium") == [
        "unknown scenario 'medium'; known scenarios: high (sheet 'scenarios', row 2); low (sheet 'scenarios', row 3)"]


def test_scenario_unknown_sheet():
    assert scenario_problems([R("s", "", "", "target", "cropland_min_ha", "", "set", 1)], "s") == [
        "sheet 'scenarios', row 2, column 'sheet': unknown sheet 'target'; expected one of: settings, regions, "
        "land_uses, baseline, carbon_by_region, carbon_stocks, province_targets, transitions, targets, grazing, energy, "
        "area_bounds, protected_land, energy_bases, hydro_projects, families"]


def test_scenario_cannot_change_the_sources_sheet():
    """The sources sheet exists, but it documents the data: a scenario changing it is told so, not 'unknown sheet'."""
    raw = from_tables(tiny_tables(scenarios=pd.DataFrame([R("s", "", "", "sources", "status", "", "set", "verified")],
                                                         columns=SCENARIO_COLUMNS)))
    with pytest.raises(ScenarioError) as e:
        apply_scenario(raw, "s")
    (p,) = e.value.problems
    listed = ("settings, regions, land_uses, baseline, carbon_by_region, carbon_stocks, province_targets, transitions, "
              "targets, grazing, energy, area_bounds, protected_land, energy_bases, hydro_projects, families")
    assert str(p) == ("sheet 'scenarios', row 2, column 'sheet': sheet 'sources' holds documentation or sweep ranges, "
                      f"not model data: a scenario cannot change it; expected one of: {listed}")
    assert p.zh() == ("工作表“scenarios”第 2 行“sheet”列：工作表“sources”是说明或抽样范围，不是模型数据，情景不能调整；"
                      f"应为下列之一：{listed.replace(', ', '、')}")


def test_scenario_unknown_column():
    assert scenario_problems([R("s", "", "", "targets", "cropland_ha", "", "set", 1)], "s") == [
        "sheet 'scenarios', row 2, column 'column': sheet 'targets' has no column 'cropland_ha'; expected one of: "
        "region, year, cropland_min_ha, urban_boundary_ha, urban_population, urban_land_per_capita_m2, "
        "forest_min_ha, wetland_min_ha, grassland_min_ha, afforestation_potential_ha, basic_farmland_min_ha, "
        "eco_retirement_quota_ha, supplementary_cropland_potential_ha, construction_max_ha, sandy_restoration_min_ha, urban_land_per_capita_max_m2, "
        "new_urban_land_per_capita_m2, redevelopment_potential_ha, redevelopment_cost_yuan_per_ha"]


def test_scaling_or_adding_to_blank_cells_is_an_error_not_a_silent_no_op():
    """The tiny workbook's targets leave urban_boundary_ha blank: ×1.3 or +5 would change nothing (a shipped scenario
    once scaled a blank column and changed nothing); set gives it a value."""
    assert scenario_problems([R("s", "", "", "targets", "urban_boundary_ha", "", "scale", 1.3),
                              R("s", "", "", "targets", "urban_boundary_ha", "", "add", 5)], "s") == [
        "sheet 'scenarios', row 2: column 'urban_boundary_ha' is blank on every matching row of sheet 'targets'; "
        "nothing to scale (use set to give it a value)",
        "sheet 'scenarios', row 3: column 'urban_boundary_ha' is blank on every matching row of sheet 'targets'; "
        "nothing to add to (use set to give it a value)"]


def test_scenario_unknown_region_id():
    assert scenario_problems([R("s", "", "", "targets", "cropland_min_ha", "region=Z", "set", 1)], "s") == [
        "sheet 'scenarios', row 2, column 'where': unknown region 'Z' (see sheet 'regions'); expected one of: A"]


def test_scenario_where_on_unknown_column():
    assert scenario_problems([R("s", "", "", "targets", "cropland_min_ha", "zone=A", "set", 1)], "s") == [
        "sheet 'scenarios', row 2, column 'where': sheet 'targets' has no column 'zone'; filter on: region, year"]


def test_scenario_unknown_family_and_operation():
    rows = [R("s", "", "", "families", "grazing", "", "off"),
            R("s", "", "", "targets", "cropland_min_ha", "", "double", 2)]
    assert scenario_problems(rows, "s") == [
        "sheet 'scenarios', row 2, column 'column': unknown constraint family 'grazing'; expected one of: "
        "transitions, cropland_protection, urban_boundary, grazing_balance, livestock_layout, energy_sites, "
        "ecological_floors, forest_cover, farmland, protection, construction_cap, economic_output, budget, desertification_control, forest_stock, redevelopment, energy_bases, hydro, area_bounds",
        "sheet 'scenarios', row 3, column 'operation': 'double' is not one of set, scale, add, off, on"]


def test_scenario_parent_cycle():
    rows = [R("a", "b", "A.", "targets", "cropland_min_ha", "", "scale", 1.1),
            R("b", "a", "B.", "targets", "cropland_min_ha", "", "scale", 1.1)]
    assert scenario_problems(rows, "a") == [
        "sheet 'scenarios', row 2: scenarios inherit from each other in a cycle: a → b → a"]


def test_scenario_unknown_parent():
    rows = [R("a", "main", "A.", "targets", "cropland_min_ha", "", "scale", 1.1)]
    assert scenario_problems(rows, "a") == [
        "sheet 'scenarios', row 2, column 'parent': unknown parent scenario 'main'; known: a"]


def test_scenario_errors_through_landopt_read(tmp_path):
    tables = tiny_tables(scenarios=pd.DataFrame([R("a", "main", "A.", "targets", "cropland_min_ha", "", "scale", 1.1)],
                                                columns=SCENARIO_COLUMNS))
    path = write_xlsx(tables, tmp_path / "w.xlsx")
    with pytest.raises(ScenarioError) as e:
        landopt.read(path, scenario="a")
    assert str(e.value) == ("发现 1 处问题 1 problem in the scenarios:\n"
                            "  - 工作表“scenarios”第 2 行“parent”列：上级情景 'main' 不存在；已有的情景：a\n"
                            "    sheet 'scenarios', row 2, column 'parent': unknown parent scenario 'main'; known: a")


def test_scenarios_from_yaml_next_to_the_workbook(tmp_path):
    path = write_xlsx(tiny_tables(), tmp_path / "w.xlsx")
    (tmp_path / "w.scenarios.yaml").write_text(
        "scenarios:\n"
        "  less_cropland:\n"
        "    description: Cropland target 25 ha.\n"
        "    overrides:\n"
        "      - {sheet: targets, column: cropland_min_ha, where: region=A, operation: set, value: 25}\n"
        "  no_crop_floor:\n"
        "    parent: less_cropland\n"
        "    overrides:\n"
        "      - {sheet: families, column: cropland_protection, operation: 'off'}\n"
        "  broken:\n"
        "    overrides:\n"
        "      - {sheet: targets, column: cropland_min_ha, where: {region: Z}, operation: set, value: 1}\n",
        encoding="utf-8")
    spec = landopt.read(path, scenario="no_crop_floor")
    assert spec.targets["cropland_min_ha"].tolist() == [25.0]
    assert not spec.family_on("cropland_protection")
    assert spec.overrides["scenario"].tolist() == ["less_cropland", "no_crop_floor"]
    with pytest.raises(ScenarioError) as e:
        landopt.read(path, scenario="broken")
    assert [str(p) for p in e.value.problems] == [
        "w.scenarios.yaml, scenario 'broken', override 1, column 'where': unknown region 'Z' (see sheet 'regions'); "
        "expected one of: A"]


def test_yaml_unquoted_off_gets_a_hint(tmp_path):
    path = write_xlsx(tiny_tables(), tmp_path / "w.xlsx")
    (tmp_path / "w.scenarios.yaml").write_text(
        "scenarios:\n  s:\n    overrides:\n      - {sheet: families, column: cropland_protection, operation: off}\n",
        encoding="utf-8")
    with pytest.raises(ScenarioError) as e:
        landopt.read(path, scenario="s")
    assert [str(p) for p in e.value.problems] == [
        "w.scenarios.yaml, scenario 's', override 1, column 'operation': 'false' is not one of set, scale, add, off, on "
        "(in YAML write 'off' in quotes: unquoted on/off mean true/false)"]
