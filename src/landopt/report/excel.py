"""Shared openpyxl helpers for every workbook landopt writes.

* :func:`atomic_save` writes a workbook to a temporary file next to the target
  and renames it into place, so an existing output is replaced only by a
  complete new one.
* :func:`write_table` writes a DataFrame as a formatted Excel table: bold,
  wrapped header showing the unit ("area (ha)"), frozen header, thousands
  separators, fitted column widths and a native Excel table (filter buttons,
  banded rows).  Units and number formats come from the column-name suffix
  (``_ha`` → ha, ``_su`` → SU, ``t_co2e_per_yr`` → t CO2e/yr ...), see
  :data:`UNIT_SUFFIXES`.
* :func:`write_title`, :func:`write_note`, :func:`columns_span_cm` and
  :func:`bar_chart` are small building blocks for report sheets.
"""

from __future__ import annotations

import datetime as _dt
import logging
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from landopt.report.xlsx import unique_headers
from landopt.report.excel_charts import bar_chart, chart_rows  # noqa: F401  (re-exported: sweep, diagnose)
from landopt.report.units import (  # noqa: F401  (re-exported)
    FMT_2, FMT_3, FMT_FRACTION, FMT_INT, FMT_PCT_POINTS, FMT_SECONDS, FMT_YEAR, NAMED_COLUMNS, UNIT_SUFFIXES,
    CELL_LIKE, format_for, header_text, sheet_ref, strip_unit, unit_for,
)

log = logging.getLogger(__name__)

HEADER_FILL = "DDEBF7"
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
SUBTITLE_FONT = Font(bold=True, size=12)
NOTE_FONT = Font(italic=True, color="595959")
TOTAL_FONT = Font(bold=True)
TOTAL_BORDER = Border(top=Side(style="thin"), bottom=Side(style="double"))
TABLE_STYLE = "TableStyleLight9"
MAX_WIDTH = 60.0
MIN_WIDTH = 6.0
MAX_HEADER_WIDTH = 24.0  # headers wrap: they ask for at most this width (or their longest word)
EXCEL_MAX_ROWS = 1_048_576

# --------------------------------------------------------------------------- saving
def atomic_save(wb: Workbook, path: str | Path) -> Path:
    """Save ``wb`` to ``path`` atomically (:func:`landopt.safety.atomic_write`: temp file in the same folder,
    then :func:`os.replace`; the temp file removed on every exit path, an existing ``path`` left untouched)."""
    from landopt.report.style import print_scale_openpyxl
    from landopt.safety import atomic_write

    for ws in wb.worksheets:  # one page wide only where the text stays ≥ 8 pt
        print_scale_openpyxl(ws)
    return atomic_write(path, wb.save)


# --------------------------------------------------------------------------- cells
def cell_value(v: Any, bool_text: bool = True) -> Any:
    """A value openpyxl can write: numpy scalars → Python, NaN/None/NA/blank text → None, bools → yes/no."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return ("yes" if v else "no") if bool_text else bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(v, (frozenset, set, tuple, list)):
        return ",".join(str(x) for x in sorted(v, key=str)) if isinstance(v, (set, frozenset)) else ",".join(map(str, v))
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, _dt.datetime) and v.tzinfo is not None:
        return v.isoformat(timespec="seconds")
    if isinstance(v, Path):
        return str(v)
    if isinstance(v, str):
        return v if v.strip() else None
    if isinstance(v, (int, _dt.date)):
        return v
    return str(v)


def text_width(s: str) -> float:
    """Display width of ``s`` in Excel character units (CJK characters count double)."""
    w = 0.0
    for ch in s:
        w += 2.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 1.0
    return w


def _shown(v: Any, fmt: str | None) -> str:
    if v is None:
        return ""
    if isinstance(v, float) or isinstance(v, int) and not isinstance(v, bool):
        if fmt and "%" in fmt:
            return f"{v * 100:.1f}%"
        if fmt and "." in fmt:
            decimals = len(fmt.split(".", 1)[1].rstrip("%"))
            return f"{v:,.{decimals}f}"
        if fmt in (FMT_YEAR,):
            return f"{v:.0f}"
        if fmt:
            return f"{v:,.0f}"
        return f"{v:,.6g}" if isinstance(v, float) else str(v)
    return str(v)


def fit_width(ws: Worksheet, col: int, width: float) -> None:
    """Widen column ``col`` to ``width`` (never narrow it: blocks on a sheet share columns)."""
    letter = get_column_letter(col)
    width = max(MIN_WIDTH, min(MAX_WIDTH, width))
    dim = ws.column_dimensions[letter]
    current = dim.width if dim.customWidth else 0.0
    if width > (current or 0.0):
        dim.width = width


def column_width(ws: Worksheet, col: int) -> float:
    dim = ws.column_dimensions.get(get_column_letter(col))
    return float(dim.width) if dim is not None and dim.customWidth and dim.width else 8.43


def columns_span_cm(ws: Worksheet, first_col: int, last_col: int) -> float:
    """Approximate on-screen width in cm of columns ``first_col..last_col``."""
    px = sum(int(column_width(ws, c) * 7 + 5) for c in range(first_col, last_col + 1))
    return px / 96.0 * 2.54


def columns_for_cm(ws: Worksheet, first_col: int, cm: float) -> int:
    """The last column reached when ``cm`` centimetres are laid out from ``first_col``."""
    c, acc = first_col, 0.0
    while True:
        acc += columns_span_cm(ws, c, c)
        if acc >= cm:
            return c
        c += 1


def text_cell(ws: Worksheet, row: int, col: int, text: Any) -> Any:
    """Write ``text`` at (row, col) as text: a string starting with "=" stays text, never a formula."""
    cell = ws.cell(row=row, column=col, value=text)
    if isinstance(text, str) and text.startswith("="):
        cell.data_type = "s"
    return cell


def write_title(ws: Worksheet, row: int, text: str, col: int = 1, level: int = 1) -> int:
    """A bold title (level 1) or block title (level 2) at ``row``; returns the next row."""
    cell = text_cell(ws, row, col, text)
    cell.font = TITLE_FONT if level == 1 else SUBTITLE_FONT
    return row + 1


def write_note(ws: Worksheet, row: int, text: str, col: int = 1) -> int:
    """An italic grey note at ``row`` (not wrapped: it spills over empty cells); returns the next row."""
    cell = text_cell(ws, row, col, text)
    cell.font = NOTE_FONT
    return row + 1


# --------------------------------------------------------------------------- tables
@dataclass
class TableBlock:
    """Where :func:`write_table` put a table: header row, data rows and columns (1-based)."""

    sheet: str
    name: str
    header_row: int
    first_row: int  # first data row
    last_row: int  # last data row (== first_row for an empty table, whose single row is blank)
    first_col: int
    last_col: int
    columns: dict[str, int] = field(default_factory=dict)  # DataFrame column -> sheet column
    n_rows: int = 0
    total_row: int | None = None

    @property
    def ref(self) -> str:
        return f"{get_column_letter(self.first_col)}{self.header_row}:{get_column_letter(self.last_col)}{self.last_row}"

    @property
    def end_row(self) -> int:
        """Last row used (data or total row)."""
        return self.total_row or self.last_row

    def col(self, column: str) -> int:
        return self.columns[column]



def unique_table_name(wb: Workbook | None, wanted: str) -> str:
    """A valid, workbook-unique Excel table name derived from ``wanted``."""
    name = re.sub(r"[^0-9A-Za-z_]", "_", wanted) or "Table"
    if not re.match(r"^[A-Za-z_]", name) or CELL_LIKE.match(name):
        name = f"T_{name}"
    name = name[:250]
    taken: set[str] = set()
    if wb is not None:
        for ws in wb.worksheets:
            taken.update(n.lower() for n in ws.tables.keys())
            taken.update(n.lower() for n in wb.defined_names.keys())
    candidate, i = name, 2
    while candidate.lower() in taken:
        candidate, i = f"{name}_{i}", i + 1
    return candidate


def write_table(
    ws: Worksheet,
    df: pd.DataFrame,
    start_row: int = 1,
    units: Mapping[str, str] | None = None,
    number_formats: Mapping[str, str | None] | None = None,
    table_name: str | None = None,
    header_comments: Mapping[str, str] | None = None,
    *,
    start_col: int = 1,
    headers: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    freeze: bool = True,
    totals: Iterable[str] | None = None,
    total_label: str = "Total 合计",
    header_fill: str = HEADER_FILL,
    bool_text: bool = True,
    wrap_text_over: float = MAX_WIDTH,
) -> TableBlock:
    """Write ``df`` as a formatted Excel table with its header at ``start_row``.

    Parameters
    ----------
    units:
        column → unit, overriding the suffix map; the header reads "label (unit)".
    number_formats:
        column → Excel number format (None = General), overriding the suffix map.
    table_name:
        the Excel table's displayName (made valid and unique within the workbook).
    header_comments:
        column → text of a comment attached to the header cell.
    headers:
        column → full header text (no unit is appended).
    labels:
        column → label; the unit is appended as "(unit)".
    freeze:
        freeze the panes below the header, unless the sheet already has frozen panes.
    totals:
        numeric columns summed in a bold total row written just below the table (outside it).
    bool_text:
        write booleans as yes/no.

    A named (non-Range) index is reset into columns first.  An empty ``df`` gives a header
    and one blank row (Excel tables need a data row).  Returns a :class:`TableBlock`.
    """
    if any(n is not None for n in df.index.names):
        df = df.reset_index()
    df = df.loc[:, [str(c) != "_row" for c in df.columns]]  # a mask: repeated column names stay single
    cols = [str(c) for c in df.columns]
    if not cols:
        raise ValueError("write_table: the DataFrame has no columns")
    heads: list[str] = []
    for c in cols:
        if headers and c in headers:
            heads.append(headers[c])
        else:
            heads.append(header_text(c, units, labels.get(c) if labels else None))
    heads = unique_headers(heads)

    fmts: dict[str, str | None] = {}
    for j, c in enumerate(cols):
        if number_formats and c in number_formats:
            fmts[c] = number_formats[c]
        else:
            s = df.iloc[:, j]
            fmts[c] = format_for(c, s if not pd.api.types.is_object_dtype(s) else None)
            if fmts[c] is None and pd.api.types.is_object_dtype(s):
                fmts[c] = format_for(c, pd.to_numeric(s, errors="coerce").dropna())

    hr = start_row
    widths = {c: 0.0 for c in cols}
    fill = PatternFill("solid", fgColor=header_fill)
    for j, (c, h) in enumerate(zip(cols, heads)):
        cell = text_cell(ws, hr, start_col + j, h)
        cell.font = HEADER_FONT
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if header_comments and header_comments.get(c):
            text = header_comments[c]
            cm = Comment(text, "landopt")
            cm.width = 320
            cm.height = max(80, 18 * (1 + int(text_width(text) / 40) + text.count("\n")))
            cell.comment = cm
        words = max((text_width(w) for w in h.split()), default=0.0)
        widths[c] = max(words, min(text_width(h), MAX_HEADER_WIDTH))

    values = df.to_numpy(dtype=object)
    n = len(values)
    wrapped: list[tuple[int, int, float]] = []  # (row, column, text width) of wrapped cells
    for i in range(n):
        r = hr + 1 + i
        for j, c in enumerate(cols):
            v = cell_value(values[i, j], bool_text)
            if v is None:
                continue
            cell = ws.cell(row=r, column=start_col + j, value=v)
            if isinstance(v, str) and v.startswith("="):
                cell.data_type = "s"  # text such as "==" or "=A1" is data, not a formula
            fmt = fmts[c]
            if fmt and isinstance(v, (int, float)) and not isinstance(v, bool):
                cell.number_format = fmt
            w = text_width(_shown(v, fmt if isinstance(v, (int, float)) else None))
            if w > widths[c]:
                widths[c] = w
            if isinstance(v, str) and w > wrap_text_over:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                wrapped.append((r, start_col + j, w))
    last_row = hr + max(n, 1)
    last_col = start_col + len(cols) - 1

    block = TableBlock(sheet=ws.title, name="", header_row=hr, first_row=hr + 1, last_row=last_row,
                       first_col=start_col, last_col=last_col,
                       columns={c: start_col + j for j, c in enumerate(cols)}, n_rows=n)

    if totals:
        tr = last_row + 1
        summed = set(totals)
        label_at = next((j for j, c in enumerate(cols) if c not in summed), None)  # first column not summed
        if label_at is not None:
            ws.cell(row=tr, column=start_col + label_at, value=total_label).font = TOTAL_FONT
            widths[cols[label_at]] = max(widths[cols[label_at]], text_width(total_label))
        for j, c in enumerate(cols):
            cell = ws.cell(row=tr, column=start_col + j)
            cell.border = TOTAL_BORDER
            if c in summed:
                s = pd.to_numeric(df.iloc[:, j], errors="coerce")
                total = float(s.sum()) if s.notna().any() else None
                cell.value = total
                cell.font = TOTAL_FONT
                if fmts[c]:
                    cell.number_format = fmts[c]
                widths[c] = max(widths[c], text_width(_shown(total, fmts[c])))
        block.total_row = tr

    name = unique_table_name(ws.parent, table_name or f"{ws.title}_{hr}_{start_col}")
    tab = Table(displayName=name, ref=block.ref)
    tab.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True, showColumnStripes=False,
                                        showFirstColumn=False, showLastColumn=False)
    ws.add_table(tab)
    block.name = name

    for j, c in enumerate(cols):
        fit_width(ws, start_col + j, widths[c] + 2.0)
    # wrapped header: tall enough for its longest wrapped header
    lines = 1
    for j, h in enumerate(heads):
        w = max(column_width(ws, start_col + j) - 1.0, 1.0)
        lines = max(lines, math.ceil(text_width(h) / w))
    current = ws.row_dimensions[hr].height or 15.0
    ws.row_dimensions[hr].height = max(current, 15.0 * min(lines, 5))
    # wrapped long text: rows tall enough to show it (viewers do not all re-fit row heights on opening)
    for r, c, w in wrapped:
        lines = math.ceil(w / max(column_width(ws, c) - 1.0, 1.0))
        current = ws.row_dimensions[r].height or 15.0
        ws.row_dimensions[r].height = max(current, 15.0 * min(lines, 15))
    for r in sorted({r for r, _c, _w in wrapped}):  # the whole row reads from the top
        for j in range(len(cols)):
            cell = ws.cell(row=r, column=start_col + j)
            if not cell.alignment.wrap_text:
                cell.alignment = Alignment(vertical="top")

    if freeze and ws.freeze_panes is None:
        ws.freeze_panes = ws.cell(row=hr + 1, column=1).coordinate
    return block

