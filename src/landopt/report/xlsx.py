"""Fast, bounded, formula-safe workbook writing with xlsxwriter (the plan writer's engine).

Why xlsxwriter: it writes cells straight to the sheet XML (no cell objects kept per style, no second
serialisation pass), so the plan writer at 1e5 variables takes seconds instead of minutes; it writes native
tables, charts with explicit colours and axis bounds, embedded images and complete page setup (repeat rows,
fit to width, manual page breaks).  It is created with ``strings_to_formulas=False`` and
``strings_to_urls=False``: text from the inputs (a title, a land-use name, a scenario name) that starts with
"=" is written as text, never as a formula or a link.

Long tables are *bounded*: :func:`write_table` writes at most ``cap`` rows (and never past Excel's
1,048,576-row limit) and writes the full table beside the workbook (``<plan>_tables/<name>.parquet``, or
``.csv`` without pyarrow), saying so under the table.  :class:`Book` writes to a temporary file in the
target folder and renames it into place on :meth:`Book.close`, so an existing output is replaced only by
a complete new one.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
import xlsxwriter

from landopt.errors import OutputError
from landopt.report.i18n import DEFAULT_LANG, W, tr
from landopt.report.style import FONT, HEADER_FILL, MAX_PRINT_PX, PRINT_PX_PER_CHAR, PRINT_SCALE_MIN, print_setup_xlsxwriter
from landopt.safety import move_into_place, new_temp, os_error_text

log = logging.getLogger(__name__)

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLS = 16_384
MAX_WIDTH, MIN_WIDTH, MAX_HEADER_WIDTH = 60.0, 6.0, 14.0
DEFAULT_WIDTH = 8.43  # Excel's width of a column no table widened
MAX_NOTE_LINES = 20  # a wrapped note's row shows at most this many lines (300 pt; Excel allows 409)
ROW_PX = 20  # default row height in pixels
REPEAT_OVER_ROWS = 30  # a table longer than this runs over a printed page: its header repeats on every page
TALL_ROWS_UP_TO = 60  # rows of a table up to this long are made tall enough for their wrapped text
FMT_INT, FMT_1, FMT_2, FMT_3, FMT_YEAR = "#,##0", "#,##0.0", "#,##0.00", "#,##0.000", "0"


@functools.lru_cache(maxsize=65_536)
def text_width(s: str) -> float:
    """Display width of ``s`` in Excel character units (CJK characters count double)."""
    if s.isascii():
        return float(len(s))
    return float(len(s) + sum(1 for ch in s if ord(ch) >= 0x1100 and unicodedata.east_asian_width(ch) in ("W", "F")))


def unique_headers(headers: Sequence[str]) -> list[str]:
    """Headers made unique (case-insensitive) by numbering repeats, as Excel tables require."""
    seen: set[str] = set()
    out: list[str] = []
    for h in headers:
        h = str(h).replace("\n", " ").strip() or "column"
        candidate, i = h, 2
        while candidate.lower() in seen:
            candidate, i = f"{h} {i}", i + 1
        seen.add(candidate.lower())
        out.append(candidate)
    return out


@dataclass
class Block:
    """Where :func:`write_table` put a table (0-based rows and columns, as xlsxwriter counts)."""

    sheet: str
    name: str
    header_row: int
    first_row: int
    last_row: int
    first_col: int
    last_col: int
    columns: dict[str, int] = field(default_factory=dict)
    n_rows: int = 0  # rows in the workbook
    n_total: int = 0  # rows in the full table
    total_row: int | None = None
    sidecar: Path | None = None

    @property
    def end_row(self) -> int:
        """Last row used (data, total row or the truncation note)."""
        return (self.total_row or self.last_row) + (1 if self.sidecar else 0)

    def col(self, column: str) -> int:
        return self.columns[column]


class Book:
    """An xlsxwriter workbook written atomically to ``path``, with cached formats and bounded tables."""

    def __init__(self, path: str | Path, lang: str = DEFAULT_LANG, sidecar_dir: Path | None = None) -> None:
        self.path = Path(path)
        self.tmp = new_temp(self.path)
        self.lang = lang
        # in_memory: each part's XML is assembled in memory, not in one temporary file per part (≈ 90 files for the
        # shipped plan, ≈ 0.08 s); the workbook's tables are capped, so the XML stays a few tens of MB at most
        self.wb = xlsxwriter.Workbook(str(self.tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                                      "strings_to_numbers": False, "nan_inf_to_errors": False,
                                                      "in_memory": True})
        self.wb.formats[0].set_font_name(FONT)
        self._formats: dict[tuple, Any] = {}
        self._names: set[str] = set()
        self._widths: dict[str, dict[int, float]] = {}
        self.sidecar_dir = sidecar_dir or self.path.with_name(self.path.stem + "_tables")
        self.sidecars: list[Path] = []
        self._sidecar_tmp: list[tuple[Path, Path]] = []
        self._spills: dict[str, list[tuple[Any, int, int, str, tuple]]] = {}  # unwrapped titles and notes per sheet
        self._paragraphs: dict[str, list[tuple[int, int, int, str, int]]] = {}  # wrapped notes: their rows' heights
        self._repeat: dict[str, tuple[Any, int, int]] = {}  # sheet -> (worksheet, header row, rows of its table)

    # ------------------------------------------------------------------ formats, sheets
    def fmt(self, **props: Any) -> Any:
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            f = self.wb.add_format({"font_name": FONT, **props})
            self._formats[key] = f
        return self._formats[key]

    def sheet(self, name: str, header_row: int | None = None) -> Any:
        """A new worksheet with its page set up; ``header_row``'s table header repeats on every printed page when
        that table runs over more than one page (:data:`REPEAT_OVER_ROWS` rows; decided at :meth:`close`)."""
        ws = self.wb.add_worksheet(name[:31])
        print_setup_xlsxwriter(ws, None)
        self._widths[ws.name] = {}
        if header_row is not None:
            self._repeat[ws.name] = (ws, header_row, 0)
        return ws

    def table_written(self, ws: Any, header_row: int, n_rows: int) -> None:
        """Note a table's size: the sheet's repeated header is kept only for a table longer than a page."""
        if ws.name in self._repeat and self._repeat[ws.name][1] == header_row:
            self._repeat[ws.name] = (ws, header_row, n_rows)

    def spill(self, ws: Any, row: int, col: int, text: str, props: dict[str, Any]) -> None:
        """Remember a title or note written in one cell (it spills over the empty cells to its right): at closing,
        one wider than the sheet's tables is wrapped within them (:meth:`wrap_spills`)."""
        self._spills.setdefault(ws.name, []).append((ws, row, col, text, tuple(sorted(props.items()))))

    def wrap_spills(self, ws: Any) -> None:
        """Titles and notes wider than the sheet's columns wrapped within them (merged over the columns).

        LibreOffice widens the printed page to show text that spills past the last column, so one long note would
        shrink a one-page-wide printout below 8 pt; wrapped, the page is as wide as the tables."""
        widths = self._widths.get(ws.name, {})
        if not widths:
            return
        last = max(widths)
        for _ws, row, col, text, props in self._spills.get(ws.name, []):
            p = dict(props)
            size = float(p.get("font_size", 11))
            avail = sum(widths.get(c, 8.43) for c in range(col, last + 1))
            need = text_width(text) * size / 11.0
            if last <= col or need <= avail:
                continue
            ws.merge_range(row, col, row, last, text, self.fmt(**p, text_wrap=True, valign="top"))
            ws.set_row(row, size * 1.4 * min(math.ceil(need / avail), MAX_NOTE_LINES))

    def paragraph(self, ws: Any, row: int, col: int, n_cols: int, text: str, max_lines: int) -> None:
        """Remember a paragraph merged over ``n_cols`` columns: at closing its row is made as high as its lines
        in the columns' final widths (:meth:`fit_paragraphs`)."""
        self._paragraphs.setdefault(ws.name, []).append((row, col, n_cols, text, max_lines))

    def fit_paragraphs(self, ws: Any) -> None:
        """Each paragraph's row as high as its wrapped lines (15 pt a line, at most its ``max_lines``): each line of
        its text wraps at the merged columns' width, so no note is cut off on screen or in print."""
        widths = self._widths.get(ws.name, {})
        for row, col, n_cols, text, max_lines in self._paragraphs.get(ws.name, []):
            avail = sum(widths.get(c, DEFAULT_WIDTH) for c in range(col, col + n_cols))
            ws.set_row(row, 15 * min(paragraph_lines(text, avail), max_lines))

    def widen(self, ws: Any, col: int, width: float) -> None:
        w = self._widths.setdefault(ws.name, {})
        w[col] = max(w.get(col, 0.0), max(MIN_WIDTH, min(MAX_WIDTH, width)))

    def table_name(self, wanted: str) -> str:
        name = re.sub(r"[^0-9A-Za-z_]", "_", wanted) or "Table"
        if not re.match(r"^[A-Za-z_]", name) or re.match(r"^([A-Za-z]{1,3}\d+|[RrCc]\d*)$", name):
            name = f"T_{name}"
        candidate, i = name[:250], 2
        while candidate.lower() in self._names:
            candidate, i = f"{name}_{i}", i + 1
        self._names.add(candidate.lower())
        return candidate

    # ------------------------------------------------------------------ side files
    def sidecar(self, df: pd.DataFrame, name: str) -> Path:
        """Write the full ``df`` beside the workbook (Parquet, or CSV without pyarrow); renamed into place on close."""
        try:
            import pyarrow  # noqa: F401

            ext = ".parquet"
        except ImportError:  # pragma: no cover - pyarrow is a dependency of the test set-up
            ext = ".csv"
        final = self.sidecar_dir / f"{name}{ext}"
        tmp = new_temp(final)
        flat = df.reset_index() if any(n is not None for n in df.index.names) else df
        flat = flat.copy()
        for c in flat.columns:  # mixed object columns (ids and NaN) as text so Parquet takes them
            if flat[c].dtype == object:
                flat[c] = flat[c].map(lambda v: None if v is None or v != v else str(v))
        if ext == ".parquet":
            flat.to_parquet(tmp, index=False)
        else:
            flat.to_csv(tmp, index=False, encoding="utf-8-sig")
        self._sidecar_tmp.append((tmp, final))
        self.sidecars.append(final)
        return final

    # ------------------------------------------------------------------ closing
    def close(self) -> Path:
        """Set column widths, save to the temporary file and rename it (and the side files) into place."""
        try:
            for ws, header_row, n_rows in self._repeat.values():
                if n_rows > REPEAT_OVER_ROWS:  # a short table's header repeated above charts on later pages: no
                    ws.repeat_rows(header_row)
            for ws in self.wb.worksheets():
                widths = self._widths.get(ws.name, {})
                for col, width in widths.items():
                    ws.set_column(col, col, width)
                self.wrap_spills(ws)
                self.fit_paragraphs(ws)
                px = sum(int(w * PRINT_PX_PER_CHAR + 5) for w in widths.values())
                if px > MAX_PRINT_PX:  # one page wide would print below 8 pt: print at 73 %, columns run on
                    ws.fit_to_pages(0, 0)
                    ws.set_print_scale(PRINT_SCALE_MIN)
                    ws.repeat_columns(0)
                    log.debug("sheet %s is %d px wide: printed at %d %%, over several pages wide", ws.name, px, PRINT_SCALE_MIN)
            self.wb.close()
            for tmp, final in self._sidecar_tmp:
                move_into_place(tmp, final)
            if self.sidecar_dir.is_dir():  # full tables of an earlier run of this workbook that this run did not write
                for old in [*self.sidecar_dir.glob("*.parquet"), *self.sidecar_dir.glob("*.csv")]:
                    if old not in self.sidecars:
                        old.unlink()
                with contextlib.suppress(OSError):
                    self.sidecar_dir.rmdir()  # only when empty
            move_into_place(self.tmp, self.path)
        except OSError as e:
            self.discard()
            raise OutputError(os_error_text(self.path, e), e.errno) from None
        except BaseException:
            self.discard()
            raise
        log.info("wrote %s%s", self.path, f" and {len(self.sidecars)} full tables in {self.sidecar_dir}" if self.sidecars else "")
        return self.path

    def discard(self) -> None:
        """Remove the temporary files (after a failure)."""
        for p in [self.tmp, *(t for t, _f in self._sidecar_tmp)]:
            with contextlib.suppress(OSError):
                p.unlink()




# --------------------------------------------------------------------------- cells
def write_title(book: Book, ws: Any, row: int, text: str, col: int = 0, level: int = 1) -> int:
    """A bold title (level 1, 14 pt) or block title (level 2, 12 pt); returns the next row."""
    props = {"bold": True, "font_size": 14 if level == 1 else 12}
    ws.write_string(row, col, text, book.fmt(**props))
    book.spill(ws, row, col, text, props)
    return row + 1


def paragraph_lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in ``width`` column-width units (each of its lines wraps on its own)."""
    return sum(max(1, math.ceil(text_width(x) / max(width, 1.0))) for x in text.split("\n"))


def write_paragraph(book: Book, ws: Any, row: int, text: str, wrap_cols: int, col: int = 0,
                    max_lines: int = MAX_NOTE_LINES, **props: Any) -> int:
    """``text`` merged over ``wrap_cols`` columns and wrapped; its row is made as high as its lines once the columns'
    widths are known (:meth:`Book.fit_paragraphs`, at most ``max_lines`` lines); returns the next row."""
    ws.merge_range(row, col, row, col + wrap_cols - 1, text, book.fmt(text_wrap=True, valign="top", **props))
    book.paragraph(ws, row, col, wrap_cols, text, max_lines)
    return row + 1


def write_note(book: Book, ws: Any, row: int, text: str, col: int = 0, wrap_cols: int = 0) -> int:
    """An italic grey note (merged over ``wrap_cols`` columns and wrapped when given); returns the next row."""
    if wrap_cols > 1:
        return write_paragraph(book, ws, row, text, wrap_cols, col, italic=True, font_color="#595959")
    ws.write_string(row, col, text, book.fmt(italic=True, font_color="#595959", text_wrap=bool(wrap_cols), valign="top"))
    book.spill(ws, row, col, text, {"italic": True, "font_color": "#595959"})
    return row + 1


def _column_values(s: pd.Series, lang: str) -> list[Any]:
    """A column as Python values xlsxwriter writes: NaN/None/inf → None, bools → 是/否, numpy → Python."""
    if pd.api.types.is_bool_dtype(s):
        yes, no = tr(W["yes"], lang), tr(W["no"], lang)
        return [yes if v else no for v in s.tolist()]
    if pd.api.types.is_numeric_dtype(s):
        a = s.to_numpy(dtype=float, na_value=np.nan)
        out: list[Any] = a.tolist()
        bad = ~np.isfinite(a)
        if bad.any():
            for i in np.flatnonzero(bad):
                out[i] = None
        return out
    if isinstance(s.dtype, pd.StringDtype):  # text only (or missing): blanks and missing cells → None
        return [v if v is not None and v.strip() else None for v in s.to_numpy(dtype=object, na_value=None).tolist()]
    vals = s.tolist()
    out = []
    for v in vals:
        if v is None or v is pd.NA or (isinstance(v, float) and not math.isfinite(v)):
            out.append(None)
        elif isinstance(v, (bool, np.bool_)):
            out.append(tr(W["yes"] if v else W["no"], lang))
        elif isinstance(v, (np.integer,)):
            out.append(int(v))
        elif isinstance(v, (float, int, str)):
            out.append(v if not (isinstance(v, str) and not v.strip()) else None)
        else:
            out.append(str(v))
    return out


#: text longer than this many characters is measured on its first WIDTH_PROBE ones: every width threshold (the
#: widest column, MAX_WIDTH; every wrap width) lies below it, and each character counts at least 1
WIDTH_PROBE = 128


def _shown_width(values: list[Any], fmt: str | None) -> float:
    w = 0.0
    for v in values[:300]:
        if v is None:
            continue
        if isinstance(v, float):
            txt = f"{v:,.2f}" if fmt and "." in fmt else f"{v:,.0f}"
        else:
            txt = str(v)
        w = max(w, text_width(txt[:WIDTH_PROBE]))
    return w


def write_table(book: Book, ws: Any, df: pd.DataFrame, row: int, col: int = 0, *,
                headers: Mapping[str, str] | None = None, formats: Mapping[str, str | None] | None = None,
                name: str | None = None, totals: Sequence[str] = (), total_label: str | None = None,
                cap: int | None = None, full_name: str | None = None, wrap_over: float = 36.0,
                autofilter: bool = True, full: pd.DataFrame | None = None,
                wrap: Mapping[str, float] | None = None) -> Block:
    """Write ``df`` as a native Excel table with its header at ``row`` (0-based).

    ``headers``: column → header text (default: the column name).  ``formats``: column → number format.
    ``totals``: numeric columns summed in a bold row under the table.  ``cap``: at most this many rows in the
    workbook; a longer table is written in full beside the workbook (name ``full_name``) and a note under
    the table says so.  ``full``: the table written beside the workbook when it is longer than ``df`` (for
    callers that word only the rows shown); default ``df``.  ``wrap``: column → width (characters) above which its
    text wraps, overriding ``wrap_over``.  Text cells are always written as text (never formulas).
    """
    if any(n is not None for n in df.index.names):
        df = df.reset_index()
    cols = [str(c) for c in df.columns]
    if not cols:
        raise ValueError("write_table: the DataFrame has no columns")
    heads = unique_headers([(headers or {}).get(c, c) for c in cols])
    n_total = len(df) if full is None else len(full)
    limit = EXCEL_MAX_ROWS - row - 3  # header, total row, note
    shown = min(len(df), cap if cap is not None else len(df), limit)
    sidecar = None
    if shown < n_total:
        sidecar = book.sidecar(df if full is None else full, full_name or name or f"{ws.name}_{row}")
        df = df.iloc[:shown]
    if col + len(cols) > EXCEL_MAX_COLS:
        raise ValueError(f"write_table: {len(cols)} columns do not fit on a sheet from column {col + 1}")

    hf = book.fmt(bold=True, bg_color=HEADER_FILL, text_wrap=True, valign="top", border=1)
    wrap_fmt = book.fmt(text_wrap=True, valign="top")
    first, n = row + 1, len(df)
    last = row + max(n, 1)
    block = Block(sheet=ws.name, name="", header_row=row, first_row=first, last_row=last, first_col=col,
                  last_col=col + len(cols) - 1, columns={c: col + j for j, c in enumerate(cols)}, n_rows=n,
                  n_total=n_total, sidecar=sidecar)
    header_lines = 1
    row_lines: dict[int, int] = {}  # data row -> lines its wrapped cells need (LibreOffice keeps the default height)
    for j, c in enumerate(cols):
        values = _column_values(df.iloc[:, j], book.lang)
        fmt_code = (formats or {}).get(c)
        if c not in (formats or {}) and pd.api.types.is_float_dtype(df.iloc[:, j]):
            fmt_code = FMT_2
        elif c not in (formats or {}) and pd.api.types.is_integer_dtype(df.iloc[:, j]):
            fmt_code = FMT_INT
        f = book.fmt(num_format=fmt_code) if fmt_code else None
        width = _shown_width(values, fmt_code)
        over = (wrap or {}).get(c, wrap_over)
        long_text = width > over
        if long_text:
            width = over
            f = wrap_fmt
            for i, v in enumerate(values if n <= TALL_ROWS_UP_TO else ()):  # only short tables get tall rows
                if isinstance(v, str) and text_width(v) > over:
                    row_lines[i] = max(row_lines.get(i, 1), math.ceil(text_width(v) / over))
        if n:
            ws.write_column(first, col + j, values, f)
        # headers wrap: Chinese breaks between any two characters, a Latin word only at its ends
        hw = max((text_width(w) for w in re.findall(r"[A-Za-z0-9_().,%/+-]+", heads[j])), default=0.0)
        width = max(width, hw, min(text_width(heads[j]), MAX_HEADER_WIDTH))
        book.widen(ws, col + j, width + 2)
        header_lines = max(header_lines, math.ceil(text_width(heads[j]) / max(width, 1.0)) + 1)
    book.table_written(ws, row, n)
    block.name = book.table_name(name or f"{ws.name}_{row}_{col}")
    ws.add_table(row, col, last, block.last_col, {
        "name": block.name, "style": "Table Style Light 9", "autofilter": autofilter,
        "columns": [{"header": h, "header_format": hf} for h in heads]})
    ws.set_row(row, 15 * min(header_lines, 6))
    if n <= TALL_ROWS_UP_TO:  # short tables (page one ...) print every line of their wrapped cells
        for i, lines in row_lines.items():
            ws.set_row(first + i, 15 * min(lines, 8))
    if totals:
        tr_ = last + 1
        label_at = next((j for j, c in enumerate(cols) if c not in totals), None)
        bold = book.fmt(bold=True, top=1, bottom=6)
        if label_at is not None:
            ws.write_string(tr_, col + label_at, total_label or tr(W["total"], book.lang), bold)
        for j, c in enumerate(cols):
            if c in totals:
                s = pd.to_numeric(df.iloc[:, j], errors="coerce")
                fmt_code = (formats or {}).get(c) or FMT_2
                ws.write_number(tr_, col + j, float(s.sum()), book.fmt(bold=True, top=1, bottom=6, num_format=fmt_code))
        block.total_row = tr_
    if sidecar is not None:
        note_row = (block.total_row or last) + 1
        rel = os.path.relpath(sidecar, book.path.parent)
        write_note(book, ws, note_row, tr(tuple(s.format(shown=shown, total=n_total, file=rel)  # type: ignore[arg-type]
                                                for s in W["more_rows"]), book.lang), col=col)
    return block
