"""The input-workbook template (landopt.template): layout, annotations, dropdowns and round trips."""

from __future__ import annotations

import conftest

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from landopt.model.build import build
from landopt.reader import from_tables, read_workbook
from landopt.results import extract
from landopt.schema import ROLES, SETTINGS_KEYS, SHEETS
from landopt.solve import solve
from landopt.spec import ModelSpec
from landopt.schema import OPERATIONS
from landopt.headers import parse_label
from landopt.report.i18n import INPUT_SHEETS, input_header_text
from landopt.report.i18n import input_sheet_title as T
from landopt.schema.base import settings_value_hint
from landopt.template import (
    build_from_csv,
    read_csv_tables,
    to_number,
    write_template,
)
from landopt.validate import load_spec

SCENARIO_COLUMNS = ["scenario", "parent", "description", "sheet", "column", "where", "operation", "value", "note"]


def tiny_tables() -> dict[str, pd.DataFrame]:
    """The shared tiny instance (tests/conftest.py) with a Chinese region name."""
    return conftest.tiny_tables(regions={"region": ["A"], "name_zh": ["甲"], "total_area_ha": [100]})


NET_SINK = -44 / 12 * (0.4 * 30 - 0.6 * 60 + 10 * 10)


@pytest.fixture(scope="module")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_template(tmp_path_factory.mktemp("tpl") / "template.xlsx")


def header(ws: Worksheet) -> list[str]:
    return [c.value for c in ws[1] if c.value is not None]


def validations(ws: Worksheet) -> dict[str, tuple[str, str]]:
    """First cell of each validated range (e.g. 'A2') -> (type, formula1)."""
    out: dict[str, tuple[str, str]] = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.coord.split(":")[0]] = (dv.type, dv.formula1)
    return out


def letter(sheet: str, column: str) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[SHEETS[sheet].column_names.index(column)]


# --------------------------------------------------------------------------- layout and annotations
def test_every_schema_sheet_and_column(empty_template: Path) -> None:
    wb = load_workbook(empty_template)
    assert wb.sheetnames[0] == "填写说明 README"
    assert wb.sheetnames[1:] == [f"{INPUT_SHEETS[s]} {s}" for s in [*SHEETS, "scenarios"]]  # Chinese first
    assert wb.sheetnames[4] == "基期现状面积 baseline"
    for name, sheet in SHEETS.items():
        ws = wb[T(name)]
        assert header(ws) == [input_header_text(c.name, c.unit) for c in sheet.columns], name
        assert [parse_label(h) for h in header(ws)] == sheet.column_names, name  # the reader gets the ids back
        assert parse_label(ws.title) == name
        assert ws.freeze_panes == "A2"
        assert len(ws.tables) == 1
        for c, column in zip(ws[1], sheet.columns):
            assert c.comment is not None, (name, column.name)
            text = c.comment.text
            assert column.description.split(" (")[0] in text
            assert ("REQUIRED" if column.required else "Optional") in text
            if column.unit:
                assert f"Unit: {column.unit}" in text
            # required headers are dark, optional ones light
            assert c.fill.fgColor.rgb.endswith("9BC2E6" if column.required else "DDEBF7")
    assert [parse_label(h) for h in header(wb[T("scenarios")])] == SCENARIO_COLUMNS
    assert "中文" in wb[T("regions")]["C1"].comment.text
    assert header(wb[T("baseline")]) == ["区域编号 region", "地类编号 land_use", "面积 area_ha (公顷)"]
    assert header(wb[T("targets")])[2] == "耕地保有量 cropland_min_ha (公顷)"


def test_readme_explains_the_sheets(empty_template: Path) -> None:
    ws = load_workbook(empty_template)["填写说明 README"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    for name in [*SHEETS, "scenarios"]:
        assert name in text
    for role in ROLES:
        assert role in text
    assert "landopt validate" in text


def test_dropdowns(empty_template: Path) -> None:
    wb = load_workbook(empty_template)
    regions = "='规划区域 regions'!$A$2:$A$1000"
    land_uses = "='地类 land_uses'!$A$2:$A$1000"
    for name, sheet in SHEETS.items():
        dv = validations(wb[T(name)])
        for column in sheet.columns:
            cell = f"{letter(name, column.name)}2"
            if column.ref == "regions":
                assert dv[cell] == ("list", regions), (name, column.name)
            elif column.ref == "land_uses":
                assert dv[cell] == ("list", land_uses), (name, column.name)
            elif column.kind == "bool":
                assert dv[cell] == ("list", '"yes,no"'), (name, column.name)
    assert validations(wb[T("land_uses")])["C2"] == ("list", '"' + ",".join(ROLES) + '"')
    # the setting names are the README's settings table (an inline list is limited to 255 characters)
    kind, formula = validations(wb[T("settings")])["A2"]
    assert kind == "list" and formula.startswith("='填写说明 README'!$A$")
    first, last = (int(x) for x in formula.split("!$A$", 1)[1].split(":$A$"))
    readme = wb["填写说明 README"]
    assert [readme.cell(row=r, column=1).value for r in range(first, last + 1)] == list(SETTINGS_KEYS)
    assert validations(wb[T("sources")])[f"{letter('sources', 'status')}2"] == ("list", '"verified,estimate"')
    assert validations(wb[T("scenarios")])["G2"] == ("list", '"' + ",".join(OPERATIONS) + '"')
    # transitions: both land-use columns; numbers: range checks
    tr = validations(wb[T("transitions")])
    assert tr["A2"] == ("list", land_uses) and tr["B2"] == ("list", land_uses)
    assert validations(wb[T("baseline")])["C2"] == ("decimal", "0")
    # the regions sheet's own id column is free text
    assert "A2" not in validations(wb[T("regions")])


def test_settings_prefilled(empty_template: Path) -> None:
    ws = load_workbook(empty_template)[T("settings")]
    rows = {r[0]: r[1:] for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    assert list(rows) == list(SETTINGS_KEYS)
    for key, (_kind, default, desc) in SETTINGS_KEYS.items():
        value, unit, description = rows[key]
        assert value == to_number(default), key  # "" -> None, "27" -> 27, "no" -> "no"
        assert (unit or "") == settings_value_hint(key)
        assert description == desc
    assert rows["ch4_gwp"][0] == 27  # a number, not text
    assert (rows["ch4_gwp"][1], rows["objective_years"][1], rows["no_net_loss"][1]) == ("t CO2e/t CH4", "target | all", "yes/no")
    assert rows["baseline_year"][0] is None  # no default: left for the user


def test_empty_template_reads_back_blank(empty_template: Path) -> None:
    raw = read_workbook(empty_template)
    assert raw.unknown_sheets == ["填写说明 README"]
    assert raw.sheet_label("baseline") == "基期现状面积 baseline"
    assert raw.column_label("baseline", "area_ha") == "面积 area_ha (公顷)"
    assert len(raw.tables["settings"]) == len(SETTINGS_KEYS)
    for name in SHEETS:
        if name != "settings":
            assert raw.tables[name].empty, name
            assert list(raw.tables[name].columns[1:]) == SHEETS[name].column_names


# --------------------------------------------------------------------------- round trips
def _same_spec(a: ModelSpec, b: ModelSpec) -> None:
    assert a.years == b.years and a.baseline_year == b.baseline_year
    assert {k: v for k, v in a.settings.items()} == {k: v for k, v in b.settings.items()}
    for name in ("regions", "land_uses", "baseline", "transitions", "targets", "grazing", "energy", "carbon"):
        x = getattr(a, name).drop(columns=["_row"], errors="ignore").reset_index(drop=True)
        y = getattr(b, name).drop(columns=["_row"], errors="ignore").reset_index(drop=True)
        pd.testing.assert_frame_equal(x, y, check_dtype=False, obj=name)


def _objective(spec: ModelSpec) -> float:
    lm = build(spec)
    res = extract(lm, solve(lm))
    assert res.optimal
    return float(res.objective)


def test_filled_template_round_trips(tmp_path: Path) -> None:
    tables = tiny_tables()
    path = write_template(tmp_path / "filled.xlsx", tables)
    wb = load_workbook(path)
    base = wb[T("baseline")]
    assert [c.value for c in base[2]] == ["A", "crop", 40]
    assert base["C2"].data_type == "n"
    tr = wb[T("transitions")]
    assert tr["D2"].value is None  # blank stays blank
    assert tr["C2"].value == "yes"
    # land_uses has columns the DataFrame lacked: present in the header, blank below
    assert [parse_label(h) for h in header(wb[T("land_uses")])] == SHEETS["land_uses"].column_names
    assert wb[T("land_uses")]["B2"].value is None

    from_xlsx = load_spec(read_workbook(path))
    direct = load_spec(from_tables(tables))
    _same_spec(from_xlsx, direct)
    assert _objective(from_xlsx) == pytest.approx(NET_SINK)


def _write_csvs(folder: Path, tables: dict[str, pd.DataFrame]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_csv(folder / f"{name}.csv", index=False, encoding="utf-8")


def test_build_from_csv(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["sources"] = pd.DataFrame({"sheet": ["land_uses"], "item": ["forest flux"], "value": ["-0.6"],
                                      "unit": ["t C/ha/yr"], "source": ["IPCC 2006"], "year": ["2006"],
                                      "status": ["estimate"], "note": [""]})
    tables["scenarios"] = pd.DataFrame({"scenario": ["strict"], "parent": [""], "description": ["stricter red line"],
                                        "sheet": ["targets"], "column": ["cropland_min_ha"], "where": ["region=A"],
                                        "operation": ["set"], "value": ["35"], "note": [""]})
    folder = tmp_path / "csv"
    _write_csvs(folder, tables)
    out = build_from_csv(folder, tmp_path / "book" / "inputs.xlsx")
    wb = load_workbook(out)
    regions = wb[T("regions")]
    assert regions["C2"].value == 100 and regions["C2"].data_type == "n"  # numbers are numbers
    assert wb[T("land_uses")]["D3"].value == pytest.approx(-0.6)
    assert wb[T("sources")]["C2"].value == pytest.approx(-0.6)
    assert wb[T("sources")]["H2"].value is None  # empty -> empty cell
    assert wb[T("scenarios")]["H2"].value == 35
    settings = {r[0]: r[1] for r in wb[T("settings")].iter_rows(min_row=2, values_only=True)}
    assert settings["baseline_year"] == 2020 and settings["milestone_years"] == 2030
    spec = load_spec(read_workbook(out))
    _same_spec(spec, load_spec(from_tables(tiny_tables())))
    assert _objective(spec) == pytest.approx(NET_SINK)
    raw = read_workbook(out)
    assert raw.tables["scenarios"]["scenario"].tolist() == ["strict"]


def test_csv_ids_keep_their_text(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "regions.csv").write_text("region,name_zh,total_area_ha\n540102,城关区,52500\n007,x,1.5e3\n",
                                        encoding="utf-8")
    t = read_csv_tables(folder)["regions"]
    assert t["region"].tolist() == ["540102", "007"]
    assert t["total_area_ha"].tolist() == [52500, 1500.0]


def test_to_number() -> None:
    assert to_number("2020") == 2020 and isinstance(to_number("2020"), int)
    assert to_number(" 0.28 ") == pytest.approx(0.28)
    assert to_number("-0.6") == pytest.approx(-0.6)
    assert to_number(".5") == pytest.approx(0.5)
    assert to_number("") is None
    for text in ("2025,2030,2035", "007", "yes", "1,000", "nan", "inf"):
        assert to_number(text) == text
    assert to_number(3) == 3


def test_template_replaces_only_complete_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import Workbook

    path = write_template(tmp_path / "t.xlsx")
    before = path.read_bytes()

    def broken(self: Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"partial")
        raise RuntimeError("crash while saving")

    monkeypatch.setattr(Workbook, "save", broken)
    with pytest.raises(RuntimeError):
        write_template(path, tiny_tables())
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]
