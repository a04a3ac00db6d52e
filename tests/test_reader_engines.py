"""The two .xlsx readers give the same tables: python-calamine (workbooks without formulas or error cells, the
usual case) and openpyxl (everything else, or when python-calamine is missing)."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import pandas as pd

from landopt import readers, xlsx_package
from landopt.reader import EXTRA_SHEETS, SHEETS

ROOT = Path(__file__).resolve().parents[1]
WANTED = set(SHEETS) | set(EXTRA_SHEETS)


def _with_openpyxl(path: Path, monkeypatch) -> tuple:
    with monkeypatch.context() as m:
        m.setattr(readers, "_read_calamine", lambda *a: None)
        return readers.read_xlsx(path, WANTED)


def _assert_same(fast: tuple, slow: tuple) -> None:
    assert fast[1:] == slow[1:]
    assert fast[0].keys() == slow[0].keys()
    for key, a in fast[0].items():
        b = slow[0][key]
        pd.testing.assert_frame_equal(a, b)
        for col in a.columns:  # equal values of the same Python type (2019 is an int in both, not 2019.0)
            assert [type(v) for v in a[col]] == [type(v) for v in b[col]], (key, col)


def test_shipped_workbook_reads_the_same_with_both_readers(monkeypatch):
    path = ROOT / "inputs" / "tibet_2035.xlsx"
    fast = readers._read_calamine(path, WANTED)
    assert fast is not None
    _assert_same(fast, _with_openpyxl(path, monkeypatch))
    settings = fast[0]["settings"]
    assert settings.loc[settings.iloc[:, 1] == "baseline_year"].iloc[:, 2].tolist() == [2019]


def test_cell_kinds_read_the_same(tmp_path, monkeypatch):
    """Blank and whitespace text, whole and fractional numbers, a number too large for an exact int, a date, a
    boolean, text behind the formula guard, a blank row inside the table, a numbered and a repeated header."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "targets"
    ws.append(["region", "year", "cropland_min_ha", "note", "note", 2035, None])
    ws.append(["Lhasa", 2035, 51073.5, "   ", "x", 1e20, None])
    ws.append([None, None, None, None, None, None, None])
    ws.append(["Nyingchi", 2030.0, 3, datetime.datetime(2024, 5, 1), True, -0.0, None])
    ws.append([readers.FORMULA_GUARD + "=1+1", 2025, None, "", "y", 7, None])
    ws["J9"] = "outside the header"
    path = tmp_path / "in.xlsx"
    wb.save(path)
    fast = readers._read_calamine(path, WANTED)
    assert fast is not None
    _assert_same(fast, _with_openpyxl(path, monkeypatch))
    t = fast[0]["targets"]
    assert list(t.columns) == ["_row", "region", "year", "cropland_min_ha", "note", "note.1", "2035"]
    assert t["_row"].tolist() == [2, 4, 5]
    assert t["region"].tolist() == ["Lhasa", "Nyingchi", "=1+1"]
    assert t["note"].tolist() == [None, datetime.datetime(2024, 5, 1), None]
    assert t["2035"].tolist() == [1e20, 0, 7]


def test_error_cells_and_formulas_go_to_openpyxl(tmp_path, monkeypatch):
    from openpyxl import Workbook

    def refuse(*_a):
        raise AssertionError("python-calamine must not read a workbook with error cells or formulas")

    for kind in ("error", "formula"):
        wb = Workbook()
        ws = wb.active
        ws.title = "targets"
        ws.append(["region", "year", "cropland_min_ha"])
        ws.append(["Lhasa", 2035, "#N/A" if kind == "error" else "=51000+73"])
        path = tmp_path / f"{kind}.xlsx"
        wb.save(path)
        monkeypatch.setattr(readers, "_read_calamine", refuse)
        tables = readers.read_xlsx(path, WANTED)[0]
        cell = tables["targets"]["cropland_min_ha"].iloc[0]
        assert isinstance(cell, readers.BadCell) and str(cell) == ("#N/A" if kind == "error" else "=51000+73")


def test_a_far_stray_cell_goes_to_openpyxl(tmp_path):
    """python-calamine holds a sheet's whole grid: a cell at XFD1048576 would be 17 billion cells."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "targets"
    ws.append(["region", "year", "cropland_min_ha"])
    ws["XFD1048576"] = "stray"
    path = tmp_path / "stray.xlsx"
    wb.save(path)
    assert xlsx_package.scan(path).dense_cells == 16384 * 1048576
    assert xlsx_package.dense_cells(b'<row r="3"><c r="C3" t="s"><v>1</v></c><c r="D3"/></row>') == 3 * 4
    assert xlsx_package.dense_cells(b'<row><c t="s"><v>1</v></c></row>') == -1  # no reference: unknown
    assert xlsx_package.dense_cells(b'<x:row><x:c r="A1"/></x:row>') == -1  # prefixed cells: unknown


def test_without_python_calamine_openpyxl_reads_it(monkeypatch):
    path = ROOT / "inputs" / "tibet_2035.xlsx"
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # import fails
    assert readers._read_calamine(path, WANTED) is None
    tables = readers.read_xlsx(path, WANTED)[0]
    assert len(tables["baseline"]) > 0
