"""What an .xlsx package's worksheets say before a reader opens them (:func:`scan`): formulas, error cells, how
large each sheet's grid is, and whether every member is intact.  :func:`landopt.readers.read_xlsx` picks its reader
from it."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import NamedTuple


class Scan(NamedTuple):
    formulas: bool  # any worksheet holds a formula
    stale: bool  # the saved formula values are stale
    errors: bool  # any worksheet holds an error cell
    dense_cells: int  # the largest worksheet's rows × columns up to its last cell (-1: unknown)


def scan(path: Path) -> Scan:
    """What the worksheets' XML says before any reader opens them (see :class:`Scan`).

    Stale: the workbook asks to be fully recalculated when opened (``fullCalcOnLoad``), as programs that
    do not compute formulas (XlsxWriter, which saves 0 as every formula's value) write it; Excel and
    LibreOffice drop the flag when they save the computed values.  Error cells (``t="e"``: #N/A, #REF! …)
    and sheets whose grid up to the last cell is large (a stray cell at XFD1048576) send the workbook to
    openpyxl, which tells errors from text and streams rows (python-calamine reads errors as blank and holds
    the whole grid).
    """
    found = errors = False
    dense = 0
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            data = z.read(info)  # every member, so that a damaged one fails here (CRC, zlib) whichever reader follows
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                errors = errors or b' t="e"' in data or b" t='e'" in data
                dense = -1 if dense < 0 else max(dense, dense_cells(data))
                if b"<f>" in data or b"<f " in data or b"<x:f" in data or b"<f/>" in data:
                    found = True
                    break
        stale = False
        if found and "xl/workbook.xml" in z.namelist():
            wbxml = z.read("xl/workbook.xml")
            stale = bool(re.search(rb'fullCalcOnLoad="(1|true)"', wbxml))
    return Scan(found, stale, errors, dense)


def dense_cells(data: bytes) -> int:
    """Rows × columns of a worksheet's grid up to its last cell, from the cells' references (-1 when a cell has none,
    or may be written with a namespace prefix, ``<x:c``: only a full parse would tell)."""
    refs = _CELL_REF.findall(data)
    if len(refs) != data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/>") or b":c " in data:
        return -1
    if not refs:
        return 0
    width = max(column_number(c) for c in {c for c, _ in refs})
    return max(int(r) for _, r in refs) * width


def column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = 26 * n + ch - 64
    return n


_CELL_REF = re.compile(rb"""<c\s[^>]*?\br=["']([A-Z]{1,3})(\d+)["']""")
DENSE_CELLS_MAX = 1_000_000  #: a larger sheet grid (rows × columns up to the last cell) is streamed by openpyxl
