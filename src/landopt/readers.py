"""Open input files the way users hand them over, or refuse them with a message naming file and fix.

* :func:`read_xlsx` — an .xlsx workbook.  A workbook with no formula and no error cell (the usual case: the
  shipped workbook, every template landopt writes) is read with python-calamine (Rust; ≈ 5 ms for the shipped
  workbook where openpyxl takes ≈ 200 ms, and openpyxl is then never imported); every other workbook, or when
  python-calamine is not installed, with openpyxl in read-only mode (streamed, bounded memory:
  only the columns under a header and only non-blank rows are kept, so a stray cell at XFD1048576 costs
  neither memory nor a 16,384-column frame).  Both give the same tables: blank text is a missing value, a whole
  number an ``int``, a date a ``datetime`` (tests/test_reader_engines.py compares the two, value and type).  Cells are taken as
  the workbook shows them: a formula whose
  saved value is an Excel error (#N/A, #REF!, #DIV/0! …) or that has no computed saved value (written by a
  program that does not compute formulas: no value at all, or XlsxWriter's placeholder 0 in a workbook flagged
  ``fullCalcOnLoad``) becomes a :class:`BadCell` that the validator reports with its
  sheet, row and column.  The second (formula) pass runs only when a worksheet holds formulas.
A folder of ``<sheet>.csv`` / ``<sheet>.parquet`` files is read by :mod:`landopt.folder_tables`.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from landopt.errors import InputError, Problem, UsageError
from landopt.headers import to_id
from landopt.safety import FORMULA_GUARD, FORMULA_START
from landopt.xlsx_package import DENSE_CELLS_MAX, scan

log = logging.getLogger(__name__)

ROW = "_row"
ERROR_VALUES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!",
                "#CALC!")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, and every password-protected .xlsx
FIX_FORMULA = "open the workbook in Excel or LibreOffice and save it (so formulas are computed), or type the value"
FIX_FORMULA_ZH = "请用 Excel 或 LibreOffice 打开并保存该工作簿（使公式得到计算），或直接填写数值"


@dataclass(frozen=True)
class BadCell:
    """A cell that cannot be taken as the workbook shows it: an error value or a formula with no saved value."""

    error: str = ""  # "#N/A", "#REF!" … (the formula's saved value)
    formula: str = ""  # "=51000+73" when the formula has no saved value

    def __str__(self) -> str:
        return self.error or self.formula

    def message(self) -> tuple[str, str]:
        """(Chinese, English) of what is wrong with the cell."""
        if self.error:
            return ("单元格显示 Excel 错误值（公式计算失败）：请修正公式或直接填写数值",
                    "the cell shows an Excel error (its formula failed); fix the formula or type the value")
        return (f"公式没有保存计算结果（该文件由不计算公式的程序写入）；{FIX_FORMULA_ZH}",
                f"a formula with no saved value (written by a program that does not compute formulas); {FIX_FORMULA}")


# --------------------------------------------------------------------------- xlsx
def _file_kind_problem(path: Path) -> str | None:
    """Why ``path`` is not an .xlsx workbook landopt can open, judged from its name and first bytes."""
    suffix = path.suffix.lower()
    folder = "landopt 只能读取 .xlsx 工作簿，或每张表一个 CSV/Parquet 文件的文件夹"
    known = {
        ".csv": f"是单个 CSV 文件；{folder}（settings.csv、regions.csv、land_uses.csv、baseline.csv 等） "
                "is a single CSV file; landopt reads an .xlsx workbook, or a folder holding one CSV per sheet "
                "(settings.csv, regions.csv, land_uses.csv, baseline.csv, …)",
        ".ods": "是 OpenDocument 表格：请在 LibreOffice 中另存为 Excel 工作簿 .xlsx（文件 > 另存为 > Excel 2007-365） "
                "is an OpenDocument spreadsheet; save it as an Excel workbook (.xlsx) in LibreOffice "
                "(File > Save As > Excel 2007-365)",
        ".xls": "是旧版 Excel 97-2003 工作簿：请用 Excel 或 LibreOffice 打开并另存为 .xlsx "
                "is a legacy Excel 97-2003 workbook; open it in Excel or LibreOffice and save it as .xlsx",
        ".txt": f"是文本文件；{folder} is a text file; landopt reads an .xlsx workbook or a folder of CSV/Parquet tables",
        ".parquet": f"是单个 Parquet 文件；{folder} "
                    "is a single Parquet file; landopt reads an .xlsx workbook or a folder holding one table per sheet",
    }
    if suffix in known:
        return known[suffix]
    if suffix not in (".xlsx", ".xlsm"):
        return (f"不是 .xlsx 工作簿；{folder} "
                "is not an .xlsx workbook; landopt reads an .xlsx workbook or a folder of CSV/Parquet tables")
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as e:
        return f"无法打开 cannot be opened ({e.strerror or e})"
    if not head:
        return "文件为空（0 字节），未完整保存：请在 Excel 中重新保存 is empty (0 bytes); it was not saved completely — save it again from Excel"
    if head == OLE_MAGIC:
        return ("设有打开密码（已加密），或是改了扩展名的旧版 .xls 文件：请取消密码（文件 > 信息 > 保护工作簿）"
                "或另存为 .xlsx 后再运行 "
                "is password-protected (encrypted) or a legacy .xls file renamed to .xlsx; remove the password "
                "(File > Info > Protect Workbook) or save it as .xlsx, then run again")
    if head[:4] != ZIP_MAGIC:
        return ("不是 Excel .xlsx 工作簿（文件内容不是 zip 压缩包）：请重新另存为 .xlsx "
                "is not an Excel .xlsx workbook (its content is not a zip package); save it again as .xlsx")
    return None


def _corrupted(path: Path) -> UsageError:
    return UsageError(f"{path}: 工作簿已损坏或不完整，无法读取：请用 Excel 打开（可能自动修复）后重新保存，或使用最近一份完好的副本 "
                      "the workbook is damaged or truncated and cannot be read; "
                      "open it in Excel (which may repair it) and save it again, or use the last good copy")


def _text(v: str) -> str | None:
    """A text cell as both readers give it: blank text is a missing value (python-calamine reads it as empty);
    text behind the guard landopt's own writers put before text that looks like a formula loses the guard."""
    if not v.strip():
        return None
    return v[1:] if v.startswith(FORMULA_GUARD) and v[1:2] in FORMULA_START else v


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _header(ws: Any) -> list[str]:
    for row in ws.iter_rows(min_row=1, max_row=1, values_only=True):
        return _header_of(row)
    return []


def _header_of(row: Any) -> list[str]:
    """Column names from the first row's values (trailing blanks dropped, duplicates numbered as pandas does)."""
    values = list(row)
    while values and _blank(values[-1]):
        values.pop()
    names: list[str] = []
    for i, v in enumerate(values):
        name = f"Unnamed: {i}" if _blank(v) else str(v).strip()
        base, k = name, 1
        while name in names:  # as pandas does: x, x.1, x.2
            name, k = f"{base}.{k}", k + 1
        names.append(name)
    return names


def _sheet_cells(ws: Any, width: int, formulas: bool) -> dict[int, list[Any]]:
    """Non-blank rows under the header (row number -> values of the first ``width`` columns)."""
    rows: dict[int, list[Any]] = {}
    if width == 0:
        return rows
    last_empty: Any = None
    for r, cells in enumerate(ws.iter_rows(min_row=2, max_col=width), start=2):
        if cells is last_empty:  # openpyxl's filler for missing rows (one shared tuple): nothing to look at
            continue
        values: list[Any] = []
        any_value = False
        for c in cells:
            v = c.value
            if type(v) is str:
                v = _text(v)
            if formulas:
                v = c if getattr(c, "data_type", None) == "f" else None
            elif getattr(c, "data_type", None) == "e" or (isinstance(v, str) and v in ERROR_VALUES
                                                          and getattr(c, "data_type", None) != "s"):
                v = BadCell(error=str(v))
            if not _blank(v):
                any_value = True
            values.append(v)
        if any_value:
            values.extend([None] * (width - len(values)))
            rows[r] = values
        elif not values or len(values) == width:
            last_empty = cells
    return rows


def read_xlsx(path: Path, wanted: set[str]) -> tuple[dict[str, pd.DataFrame], list[str], dict[str, str]]:
    """Known sheets of the workbook ``path`` as frames with a ``_row`` column; the other sheets' names; each known
    sheet's name as written (``'基期现状面积 baseline'`` for ``baseline``: :mod:`landopt.headers`).

    Raises :class:`InputError` when two sheets stand for the same id (``baseline`` and ``基期现状面积 baseline``).
    """
    why = _file_kind_problem(path)
    if why:
        raise UsageError(f"{path}: {why}")
    try:
        formulas, stale, errors, dense = scan(path)
    except Exception:  # zipfile.BadZipFile, zlib.error, KeyError …: all mean a damaged package
        raise _corrupted(path) from None
    if not (formulas or errors) and 0 <= dense <= DENSE_CELLS_MAX:
        fast = _read_calamine(path, wanted)
        if fast is not None:
            return fast
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # zipfile.BadZipFile, zlib.error, KeyError, XML errors …: all mean a damaged package
        raise _corrupted(path) from None
    tables: dict[str, pd.DataFrame] = {}
    try:
        wbf = load_workbook(path, read_only=True, data_only=False) if formulas else None
        names, unknown, problems = _known_sheets(wb.sheetnames, wanted, path)
        try:
            for key, name in names.items():
                ws = wb[name]
                header = _header(ws)
                rows = _sheet_cells(ws, len(header), formulas=False)
                if wbf is not None:
                    for r, fcells in _sheet_cells(wbf[name], len(header), formulas=True).items():
                        values = rows.setdefault(r, [None] * len(header))
                        for i, fc in enumerate(fcells):
                            if fc is not None and (values[i] is None or stale and not isinstance(values[i], BadCell)):
                                values[i] = BadCell(formula=_formula_text(fc.value))
                    rows = dict(sorted(rows.items()))
                tables[key] = _frame(header, rows)
        finally:
            if wbf is not None:
                wbf.close()
    except UsageError:
        raise
    except Exception:
        raise _corrupted(path) from None
    finally:
        wb.close()
    if problems:
        raise InputError(problems, path)
    return tables, unknown, names


def _known_sheets(sheet_names: list[str], wanted: set[str], path: Path) -> tuple[dict[str, str], list[str],
                                                                                list[Problem]]:
    """Each sheet id the workbook holds → its sheet's name as written (in the workbook's order); the other sheets'
    names; a problem for every sheet that holds an id another sheet already holds."""
    names: dict[str, str] = {}
    unknown: list[str] = []
    problems: list[Problem] = []
    for name in sheet_names:
        key = to_id(name, wanted)
        if key not in wanted:
            unknown.append(name)
        elif key in names:
            problems.append(Problem(f"both sheet '{names[key]}' and sheet '{name}' hold sheet '{key}'; "
                                    "keep only one of them", file=path.name, sheet=name,
                                    message_zh=f"工作表“{names[key]}”与“{name}”对应同一张表“{key}”：请只保留其一"))
        else:
            names[key] = name
    return names, unknown, problems


def _frame(header: list[str], rows: dict[int, list[Any]]) -> pd.DataFrame:
    """A sheet's table: its named columns (blank headers dropped) and the ``_row`` column (the Excel row number)."""
    df = pd.DataFrame(list(rows.values()), columns=header, dtype=object) if rows else \
        pd.DataFrame({h: pd.Series([], dtype=object) for h in header})
    df = df[[c for c in df.columns if not c.startswith("Unnamed:")]]
    df.insert(0, ROW, list(rows.keys()))
    df[ROW] = df[ROW].astype(int)
    return df.reset_index(drop=True)


def _read_calamine(path: Path, wanted: set[str]) -> tuple[dict[str, pd.DataFrame], list[str], dict[str, str]] | None:
    """:func:`read_xlsx` for a workbook with no formula and no error cell, with python-calamine; None when it is not
    installed or cannot read the package (the caller then reads it with openpyxl, which words any problem).

    Values are made what openpyxl gives: blank text (calamine's empty cell) is None, a whole number below 2⁵³ an
    ``int``, a date a ``datetime`` at midnight; text behind landopt's formula guard loses the guard."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return None
    tables: dict[str, pd.DataFrame] = {}
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as e:  # noqa: BLE001 - openpyxl reads it again and words the problem
        log.debug("python-calamine could not open %s (%s); reading it with openpyxl", path, e)
        return None
    try:
        names, unknown, problems = _known_sheets(wb.sheet_names, wanted, path)
        for key, name in names.items():
            grid = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            header = _header_of([_calamine_value(v) for v in grid[0]] if grid else [])
            width = len(header)
            rows: dict[int, list[Any]] = {}
            for r, raw in enumerate(grid[1:], start=2) if width else ():
                values = [_calamine_value(v) for v in raw[:width]]
                if any(not _blank(v) for v in values):
                    values.extend([None] * (width - len(values)))
                    rows[r] = values
            tables[key] = _frame(header, rows)
    except Exception as e:  # noqa: BLE001 - openpyxl reads it again and words the problem
        log.debug("python-calamine could not read %s (%s); reading it with openpyxl", path, e)
        return None
    finally:
        wb.close()
    if problems:
        raise InputError(problems, path)
    return tables, unknown, names


_MIDNIGHT = datetime.time()


def _calamine_value(v: Any) -> Any:
    t = type(v)
    if t is float:
        return int(v) if v.is_integer() and abs(v) < 9007199254740992.0 else v
    if t is str:
        return _text(v)
    if t is datetime.date:
        return datetime.datetime.combine(v, _MIDNIGHT)
    return v


def _formula_text(v: Any) -> str:
    text = getattr(v, "text", None)  # ArrayFormula
    return str(text if text is not None else v)


# --------------------------------------------------------------------------- folder
