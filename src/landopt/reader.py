"""Read an input workbook (or a folder of CSV/Parquet tables) into raw tables.

Nothing is validated or converted here beyond trimming header names: every
table keeps its cells as read plus a ``_row`` column holding the spreadsheet
row number (header = row 1), so that later stages can point back at the cell.
The input file is opened read-only and never written.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from landopt.errors import InputError, Problem, UsageError
from landopt.headers import to_id
from landopt.schema import SCENARIOS_SHEET, SHEETS

log = logging.getLogger(__name__)

ROW = "_row"  # spreadsheet row number of every record (header is row 1)
EXTRA_SHEETS = ("sources", "scenarios", "uncertainty")


@dataclass
class RawWorkbook:
    """Raw tables keyed by sheet name, as read, each with a ``_row`` column."""

    path: Path
    tables: dict[str, pd.DataFrame]
    sha256: str
    kind: str = "xlsx"  # "xlsx" or "folder"
    unknown_sheets: list[str] = field(default_factory=list)
    overrides: pd.DataFrame | None = None  # scenario overrides applied to these tables, if any
    files: dict[str, str] = field(default_factory=dict)  # folder input: sheet -> file name (baseline.parquet)
    sheet_names: dict[str, str] = field(default_factory=dict)  # sheet id -> name as written, where it differs
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # sheet id -> column id -> header as written
    #: what was already said about these tables (a column landopt ignores): shared with every scenario's copy, so that
    #: checking nine scenarios says it once
    told: set[tuple[str, str]] = field(default_factory=set, repr=False, compare=False)

    def file_of(self, sheet: str) -> str:
        """The file a table came from (folder input), or '' for a sheet of a workbook."""
        return "" if self.kind == "xlsx" else self.files.get(sheet, f"{sheet}.csv")

    def sheet_label(self, sheet: str) -> str:
        """A sheet's name as the user's workbook writes it (``'基期现状面积 baseline'``), else its id."""
        return self.sheet_names.get(sheet, sheet)

    def column_label(self, sheet: str, column: str | None) -> str:
        """A column's header as the user's file writes it (``'面积 area_ha (公顷)'``, holding the id), else its id."""
        if not column:
            return ""
        return self.headers.get(sheet, {}).get(column, column)

    def location(self, sheet: str) -> str:
        """How to name a sheet in messages: a sheet of a workbook (as written), or a file in a folder."""
        return f"sheet '{self.sheet_label(sheet)}'" if self.kind == "xlsx" else f"file '{self.file_of(sheet)}'"

    def location_zh(self, sheet: str) -> str:
        """:meth:`location` in Chinese: ``工作表“规划区域 regions”`` or ``文件“regions.csv”``."""
        return f"工作表“{self.sheet_label(sheet)}”" if self.kind == "xlsx" else f"文件“{self.file_of(sheet)}”"


def known_columns(sheet: str) -> set[str]:
    """The column ids of a sheet landopt knows (schema sheets and the scenarios sheet), else empty."""
    if sheet in SHEETS:
        return set(SHEETS[sheet].column_names)
    return set(SCENARIOS_SHEET.column_names) if sheet == SCENARIOS_SHEET.name else set()


def column_ids(tables: dict[str, pd.DataFrame], names: dict[str, str], files: dict[str, str]
               ) -> tuple[dict[str, pd.DataFrame], dict[str, dict[str, str]]]:
    """Tables with bilingual headers renamed to their ids (``'面积 area_ha (公顷)'`` → ``area_ha``) and, per sheet,
    the headers as written; raises :class:`InputError` naming every column written twice (as id and bilingual).

    ``names``: sheet id → sheet name as written (workbook); ``files``: sheet id → file name (folder input).
    """
    out: dict[str, pd.DataFrame] = {}
    written: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for name, df in tables.items():
        known = known_columns(name) | {ROW}
        ids = [to_id(c, known) if isinstance(c, str) else c for c in df.columns]
        seen: dict[str, str] = {}
        for c, i in zip(df.columns, ids):
            if i in seen:  # plain repeats were already renamed x, x.1: a repeat here is an id and its bilingual form
                problems.append(Problem(f"columns '{seen[i]}' and '{c}' both stand for column '{i}'; keep only one "
                                        "of them", file=files.get(name, ""), sheet=names.get(name, name), row=1,
                                        message_zh=f"列“{seen[i]}”与“{c}”对应同一列“{i}”：请只保留其一"))
            seen.setdefault(i, str(c))
        labels = {i: str(c) for c, i in zip(df.columns, ids) if i != c}
        if labels:
            df = df.copy()
            df.columns = ids
            written[name] = labels
        out[name] = df
    if problems:
        raise InputError(problems)
    return out, written


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    if path.is_dir():
        for f in sorted(path.iterdir()):
            if f.is_file():
                h.update(f.name.encode())
                h.update(f.read_bytes())
    else:
        h.update(path.read_bytes())
    return h.hexdigest()


def _tidy(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df.columns = [str(c).strip() for c in df.columns]
    # drop Excel's unnamed trailing columns created by stray formatting
    df = df[[c for c in df.columns if not c.startswith("Unnamed:")]]
    df.insert(0, ROW, range(2, len(df) + 2))
    empty = _blank_rows(df.drop(columns=ROW))
    return df[~empty].reset_index(drop=True) if empty.any() else df


def tidy(df: pd.DataFrame) -> pd.DataFrame:
    """A table as read from a sheet or CSV: stripped headers, a ``_row`` column (the spreadsheet row), blank rows dropped."""
    return _tidy(df)


def _blank_rows(values: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty or only spaces (column by column, stopping once no row can be blank)."""
    if values.shape[1] == 0:
        return np.zeros(len(values), dtype=bool)
    empty = np.ones(len(values), dtype=bool)
    for c in values.columns:
        col = values[c]
        b = col.isna().to_numpy(dtype=bool)
        if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
            try:  # .str.strip() leaves non-strings missing, so only a string of spaces counts as blank here
                b = b | (col.str.strip() == "").fillna(False).to_numpy(dtype=bool)
            except AttributeError:  # an object column without a single string: nothing more can be blank
                pass
        empty &= b
        if not empty.any():
            break
    return empty


def read_workbook(path: str | Path) -> RawWorkbook:
    """Read every known sheet of ``path`` (.xlsx, or a folder of .csv/.parquet files).

    Raises :class:`~landopt.errors.UsageError` for a file landopt cannot open (missing, wrong type, empty,
    corrupted, password-protected) and :class:`~landopt.errors.InputError` listing every unreadable table of
    a folder (encoding, quotes, extra fields, empty file, corrupt Parquet, both CSV and Parquet for a sheet).
    """
    from landopt.folder_tables import read_folder
    from landopt.readers import read_xlsx

    path = Path(path)
    if not path.exists():
        raise UsageError(f"找不到输入文件或文件夹 input not found: {path}")
    wanted = set(SHEETS) | set(EXTRA_SHEETS)
    if path.is_dir():
        tables, unknown, files = read_folder(path, wanted)
        kind, names = "folder", {}
    else:
        tables, unknown, names = read_xlsx(path, wanted)
        files, kind = {}, "xlsx"
    tables, headers = column_ids(tables, names, files)
    tables = {k: _tidy(v) if ROW not in v.columns else v for k, v in tables.items()}
    log.info("read %d tables from %s", len(tables), path)
    return RawWorkbook(path=path, tables=tables, sha256=file_hash(path), kind=kind, unknown_sheets=unknown,
                       files=files, sheet_names={k: n for k, n in names.items() if n != k}, headers=headers)


def from_tables(tables: dict[str, pd.DataFrame], name: str = "<memory>") -> RawWorkbook:
    """Raw tables from in-memory DataFrames (one per sheet), as if read from a workbook."""
    known = set(SHEETS) | set(EXTRA_SHEETS)
    names = {to_id(k, known): k for k in tables}
    ided, headers = column_ids({to_id(k, known): v for k, v in tables.items()}, names, {})
    tidy = {k: _tidy(v) for k, v in ided.items()}
    return RawWorkbook(path=Path(name), tables=tidy, sha256=tables_hash(tidy), kind="xlsx",
                       sheet_names={i: k for i, k in names.items() if i != k}, headers=headers)


def tables_hash(tables: dict[str, pd.DataFrame]) -> str:
    """SHA-256 fingerprint of in-memory tables: sheet names, column names and every cell's value, in bulk."""
    h = hashlib.sha256()
    for name, df in sorted(tables.items()):
        h.update(f"{name}\x00{len(df)}\x00".encode())
        for c in df.columns:
            h.update(f"{c}\x00".encode())
            col = df[c]
            if col.dtype == object:
                col = col.map(repr)  # mixed cells: hash each value's repr, so 1 and "1" differ
            h.update(pd.util.hash_pandas_object(col, index=False).to_numpy().tobytes())
    return h.hexdigest()
