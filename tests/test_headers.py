"""Input sheet names and headers: the plain ids and the bilingual, Chinese-first form are both read (xlsx and CSV
folders), and messages quote sheets and columns as the user's file writes them (landopt.headers, landopt.reader)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import conftest
from landopt.errors import InputError
from landopt.headers import bilingual, parse_label, to_id
from landopt.reader import from_tables, read_workbook
from landopt.report.i18n import INPUT_COLUMNS, input_header_text, input_sheet_title
from landopt.schema import SCENARIOS_SHEET, SHEETS
from landopt.validate import load_spec


def bad_tables() -> dict[str, pd.DataFrame]:
    t = conftest.tiny_tables()
    t["baseline"].loc[0, "area_ha"] = -5  # row 2 of the baseline sheet
    return t


def renamed(t: dict[str, pd.DataFrame], sheet_names: dict[str, str] | None = None,
            headers: dict[str, str] | None = None) -> dict[str, pd.DataFrame]:
    """``t`` with sheets and columns renamed (default: the template's bilingual form)."""
    out = {}
    for name, df in t.items():
        cols = {c: (headers or {}).get(c) or input_header_text(c, SHEETS[name].column(c).unit) for c in df.columns}
        out[(sheet_names or {}).get(name) or input_sheet_title(name)] = df.rename(columns=cols)
    return out


def problems(path_or_tables) -> list[str]:
    with pytest.raises(InputError) as e:
        raw = from_tables(path_or_tables) if isinstance(path_or_tables, dict) else read_workbook(path_or_tables)
        load_spec(raw)
    return [str(p) for p in e.value.problems]


def test_parse_the_bilingual_form() -> None:
    assert parse_label("面积 area_ha (公顷)") == "area_ha"
    assert parse_label("耕地保有量 cropland_min_ha（公顷）") == "cropland_min_ha"  # full-width parentheses
    assert parse_label("  基期现状面积 baseline ") == "baseline"
    assert parse_label("碳通量（排放为正、碳汇为负） carbon_flux_tC_per_ha_yr (吨碳/公顷/年)") == "carbon_flux_tC_per_ha_yr"
    assert parse_label("area_ha") is None and parse_label("my area_ha") is None  # no Chinese: not the bilingual form
    assert parse_label("面积area_ha") is None  # the space is part of the form
    assert to_id("my note") == "my note" and to_id("area_ha") == "area_ha"
    assert bilingual("面积", "area_ha", "公顷") == "面积 area_ha (公顷)" and bilingual("", "x") == "x"


def test_every_template_header_parses_back_to_its_id() -> None:
    for sheet in [*SHEETS.values(), SCENARIOS_SHEET]:
        assert to_id(input_sheet_title(sheet.name)) == sheet.name
        assert len(input_sheet_title(sheet.name)) <= 31
        for c in sheet.columns:
            assert c.name in INPUT_COLUMNS, (sheet.name, c.name)  # one Chinese label per input column
            assert parse_label(input_header_text(c.name, c.unit)) == c.name, (sheet.name, c.name)


def test_plain_ids_and_bilingual_names_read_the_same(tmp_path: Path) -> None:
    t = conftest.tiny_tables()
    plain = load_spec(read_workbook(conftest.write_xlsx(t, tmp_path / "plain.xlsx")))
    raw = read_workbook(conftest.write_xlsx(renamed(t), tmp_path / "bilingual.xlsx"))
    assert raw.sheet_names["baseline"] == "基期现状面积 baseline"
    assert raw.headers["baseline"] == {"region": "区域编号 region", "land_use": "地类编号 land_use",
                                       "area_ha": "面积 area_ha (公顷)"}
    spec = load_spec(raw)
    pd.testing.assert_frame_equal(spec.baseline, plain.baseline)
    pd.testing.assert_frame_equal(spec.transitions, plain.transitions)
    assert spec.years == plain.years


def test_messages_quote_the_sheet_and_column_as_written(tmp_path: Path) -> None:
    t = bad_tables()
    assert problems(conftest.write_xlsx(t, tmp_path / "plain.xlsx")) == [
        "sheet 'baseline', row 2, column 'area_ha': value -5 — expected a number ≥ 0 ha"]
    assert problems(conftest.write_xlsx(renamed(t), tmp_path / "bilingual.xlsx")) == [
        "sheet '基期现状面积 baseline', row 2, column '面积 area_ha (公顷)': value -5 — expected a number ≥ 0 ha"]
    # a planner's own wording of the Chinese label and full-width parentheses: read, and quoted as written
    own = renamed(t, {"baseline": "基期面积表 baseline"}, {"area_ha": "现状面积 area_ha（ha）"})
    assert problems(conftest.write_xlsx(own, tmp_path / "own.xlsx")) == [
        "sheet '基期面积表 baseline', row 2, column '现状面积 area_ha（ha）': value -5 — expected a number ≥ 0 ha"]
    assert problems(renamed(t)) == [  # in-memory tables (from_tables) take both forms too
        "sheet '基期现状面积 baseline', row 2, column '面积 area_ha (公顷)': value -5 — expected a number ≥ 0 ha"]


def test_csv_folder_with_bilingual_file_names_and_headers(tmp_path: Path) -> None:
    for name, df in renamed(bad_tables()).items():
        df.to_csv(tmp_path / f"{name}.csv", index=False)
    assert problems(tmp_path) == [
        "file '基期现状面积 baseline.csv', row 2, column '面积 area_ha (公顷)': value -5 — expected a number ≥ 0 ha"]


def test_an_unknown_reference_names_the_bilingual_sheet(tmp_path: Path) -> None:
    t = conftest.tiny_tables()
    t["baseline"].loc[1, "region"] = "Z"
    msg = problems(conftest.write_xlsx(renamed(t), tmp_path / "b.xlsx"))
    assert msg[0].startswith("sheet '基期现状面积 baseline', row 3, column '区域编号 region': value 'Z' — ")
    assert "(see sheet '规划区域 regions')" in msg[0]


def test_a_sheet_or_column_written_twice_is_an_error_naming_both(tmp_path: Path) -> None:
    t = conftest.tiny_tables()
    two = dict(t) | {"基期现状面积 baseline": t["baseline"]}
    path = conftest.write_xlsx(two, tmp_path / "two_sheets.xlsx")
    with pytest.raises(InputError) as e:
        read_workbook(path)
    assert e.value.path == path and [str(p) for p in e.value.problems] == [
        "sheet '基期现状面积 baseline': both sheet 'baseline' and sheet '基期现状面积 baseline' "
        "hold sheet 'baseline'; keep only one of them"]
    dup = dict(t)
    dup["baseline"] = t["baseline"].assign(**{"面积 area_ha (公顷)": t["baseline"]["area_ha"]})
    with pytest.raises(InputError) as e:
        read_workbook(conftest.write_xlsx(dup, tmp_path / "two_columns.xlsx"))
    assert [str(p) for p in e.value.problems] == [
        "sheet 'baseline', row 1: columns 'area_ha' and '面积 area_ha (公顷)' both stand for column 'area_ha'; "
        "keep only one of them"]


def test_a_header_without_chinese_is_taken_as_written(tmp_path: Path) -> None:
    t = conftest.tiny_tables()
    t["baseline"] = t["baseline"].rename(columns={"area_ha": "baseline area_ha"})
    msg = problems(conftest.write_xlsx(t, tmp_path / "b.xlsx"))
    assert msg[0] == ("sheet 'baseline', row 1, column 'area_ha': required column is missing "
                      f"(ha: {SHEETS['baseline'].column('area_ha').description})")


def _with_extra_sheets(unc: pd.DataFrame, sc: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The tiny workbook plus its uncertainty and scenarios sheets, named and headed as the template writes them."""
    t = conftest.tiny_tables()
    t[input_sheet_title("uncertainty")] = unc.rename(columns=lambda c: input_header_text(c, ""))
    t[input_sheet_title("scenarios")] = sc.rename(columns=lambda c: input_header_text(c, ""))
    return t


def test_uncertainty_and_scenarios_problems_name_the_sheets_as_written() -> None:
    from landopt.scenarios import ScenarioError, load_scenarios
    from landopt.sweep.parameters import parse_uncertainty

    unc = pd.DataFrame([{"parameter": "a", "sheet": "land_usez", "column": "carbon_flux_tC_per_ha_yr", "where": "",
                         "low": -1, "high": 0}])
    sc = pd.DataFrame([{"scenario": "", "sheet": "targets", "column": "cropland_min_ha", "where": "",
                        "operation": "scale", "value": 2}])
    raw = from_tables(_with_extra_sheets(unc, sc))
    with pytest.raises(InputError) as e:
        parse_uncertainty(raw.tables["uncertainty"], raw)
    known = ", ".join(s for s in SHEETS if s not in ("sources", "uncertainty"))
    assert str(e.value) == ("发现 1 处问题 1 problem in sheet '不确定参数 uncertainty':\n"
                            "  - 工作表“不确定参数 uncertainty”第 2 行“工作表 sheet”列：填写值为 'land_usez'，不是可抽样的工作表；"
                            f"应为下列之一：{known.replace(', ', '、')}\n"
                            "    sheet '不确定参数 uncertainty', row 2, column '工作表 sheet': value 'land_usez' — unknown sheet; "
                            f"expected one of: {known}")
    with pytest.raises(ScenarioError) as e:
        load_scenarios(raw)
    assert "sheet '情景 scenarios', row 2, column 'scenario': a scenario name is required" in str(e.value)
