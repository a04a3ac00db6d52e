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

from landopt.errors import UsageError
from landopt.schema import SHEETS

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

    def file_of(self, sheet: str) -> str:
        """The file a table came from (folder input), or '' for a sheet of a workbook."""
        return "" if self.kind == "xlsx" else self.files.get(sheet, f"{sheet}.csv")

    def location(self, sheet: str) -> str:
        """How to name a sheet in messages: a sheet of a workbook, or a file in a folder."""
        return f"sheet '{sheet}'" if self.kind == "xlsx" else f"file '{self.file_of(sheet)}'"


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
    from landopt.readers import read_folder, read_xlsx

    path = Path(path)
    if not path.exists():
        raise UsageError(f"input not found: {path}")
    wanted = set(SHEETS) | set(EXTRA_SHEETS)
    if path.is_dir():
        tables, unknown, files = read_folder(path, wanted)
        kind = "folder"
    else:
        tables, unknown = read_xlsx(path, wanted)
        files = {}
        kind = "xlsx"
    tables = {k: _tidy(v) if ROW not in v.columns else v for k, v in tables.items()}
    log.info("read %d tables from %s", len(tables), path)
    return RawWorkbook(path=path, tables=tables, sha256=file_hash(path), kind=kind, unknown_sheets=unknown,
                       files=files)


def from_tables(tables: dict[str, pd.DataFrame], name: str = "<memory>") -> RawWorkbook:
    """Raw tables from in-memory DataFrames (one per sheet), as if read from a workbook."""
    tidy = {k: _tidy(v) for k, v in tables.items()}
    return RawWorkbook(path=Path(name), tables=tidy, sha256=tables_hash(tidy), kind="xlsx")


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
