"""A bilingual, print-ready, formula-safe sheet for the openpyxl-written workbooks (diagnosis, sweep, Pareto).

Other writers call :func:`write_sheet` so every workbook landopt writes reads the same: the title and note in
Chinese first, Chinese headers (from :mod:`landopt.report.i18n`), units, landscape A4 one page wide with the
header row repeated, and text from the inputs written as text (never a formula).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

import pandas as pd
from openpyxl.worksheet.worksheet import Worksheet

from landopt.report.excel import EXCEL_MAX_ROWS, TableBlock, header_text, write_note, write_table, write_title
from landopt.report.i18n import INPUT_COLUMNS, check_lang, tr
from landopt.report.style import print_setup_openpyxl


def write_sheet(ws: Worksheet, df: pd.DataFrame, *, title: Any, note: Any = None,
                headers: Mapping[str, Any] | None = None, lang: str = "both", table_name: str | None = None,
                number_formats: Mapping[str, str | None] | None = None, totals: Iterable[str] | None = None,
                max_rows: int | None = None) -> TableBlock:
    """One bilingual, print-ready, formula-safe sheet for the other workbooks (diagnosis, sweep, Pareto ...).

    ``title``/``note``: ``(zh, en)`` labels or text (row 1 and row 2).  ``headers``: column → ``(zh, en)`` label
    or text; a column without one gets the Chinese input-column label (:data:`landopt.report.i18n.INPUT_COLUMNS`)
    and its English header with unit.  The table's header is row 4, frozen and repeated on every printed page;
    the page is landscape A4, one page wide.  Text starting with "=" is written as text.  ``max_rows`` caps the
    rows written (a note says how many were left out); nothing is ever written past Excel's row limit.
    """
    check_lang(lang)
    write_title(ws, 1, tr(title, lang))
    if note is not None:
        write_note(ws, 2, tr(note, lang))
    heads: dict[str, str] = {}
    for c in map(str, df.columns):
        if headers and c in headers:
            heads[c] = tr(headers[c], lang)
        else:
            heads[c] = tr((INPUT_COLUMNS.get(c, ""), header_text(c)), lang)
    limit = EXCEL_MAX_ROWS - 6
    cap = min(len(df), limit if max_rows is None else min(max_rows, limit))
    blk = write_table(ws, df.iloc[:cap], 4, headers=heads, table_name=table_name or ws.title,
                      number_formats=number_formats, totals=totals, freeze=True)
    if cap < len(df):
        write_note(ws, blk.end_row + 1, tr((f"仅列出前 {cap:,} 行（共 {len(df):,} 行）",
                                            f"the first {cap:,} of {len(df):,} rows are listed"), lang))
    print_setup_openpyxl(ws, 4)
    return blk
