"""Constraint blocks: one named, indexed set of rows built in bulk from the input tables.

A :class:`RowBlock` holds the rows of one constraint (e.g. ``cropland_protection``)
as a tidy table -- the index keys, the right-hand side, the sense, and the input
sheet/row/column each row came from -- plus its coefficients in coordinate
form (local row, global column, coefficient).  Readable names such as
``cropland_protection[Lhasa,2035]`` are made from the keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from landopt.model.columns import LABELS_IN_PYTHON, Columns
from landopt.reader import ROW
from landopt.spec import ModelSpec

SENSES = ("<=", ">=", "==")


@dataclass(frozen=True)
class Meaning:
    """What a constraint means, in planners' words (each family module lists its constraints' meanings in
    ``CONSTRAINTS``; diagnosis, shadow-price sentences and reports read them from there)."""

    noun: str  # e.g. "cropland red line"
    noun_zh: str  # e.g. "耕地保有量（耕地保护红线）"
    lever: str  # one unit of the right-hand side, e.g. "ha of cropland red line"
    lever_zh: str  # e.g. "公顷耕地保有量"
    unit: str  # unit of the right-hand side
    #: where the input cell is in another unit than the rhs (m²/person, % of area): (Chinese, English) of one step of
    #: it; the rows then carry ``per_input``, the rhs units in that step (population / 10⁴ ha per m²/person)
    input_step: tuple[str, str] | None = None


@dataclass
class RowBlock:
    name: str  # constraint name, e.g. "cropland_protection"
    family: str  # family (module) it belongs to; switched on/off as a whole
    sense: str  # "<=", ">=" or "=="
    keys: tuple[str, ...]  # index columns of rows, e.g. ("region", "year")
    rows: pd.DataFrame  # keys + rhs + sheet + _row + column
    row: np.ndarray  # local row index of each coefficient
    col: np.ndarray  # global column of each coefficient
    coef: np.ndarray
    unit: str  # unit of the right-hand side
    lever: str  # noun phrase for one unit of the right-hand side ("ha of cropland red line")
    policy: bool = True  # False for accounting identities (their duals are not policy levers)
    #: per coefficient: True where the term belongs to the requirement's limit, moved to the left-hand side with its
    #: sign flipped (a rate written as ``flow − share × area ≤ 0``: the area term); None: the limit is the rhs alone
    limit: np.ndarray | None = None

    def __post_init__(self) -> None:
        assert self.sense in SENSES, self.sense
        self.row = np.asarray(self.row, dtype=np.int64)
        self.col = np.asarray(self.col, dtype=np.int64)
        self.coef = np.asarray(self.coef, dtype=float)
        if self.limit is not None:
            self.limit = np.asarray(self.limit, dtype=bool)
            assert self.limit.shape == self.coef.shape, (self.name, self.limit.shape, self.coef.shape)
        keep = self.coef != 0.0
        if not keep.all():
            self.row, self.col, self.coef = self.row[keep], self.col[keep], self.coef[keep]
            if self.limit is not None:
                self.limit = self.limit[keep]

    @property
    def n(self) -> int:
        return len(self.rows)

    def labels(self) -> np.ndarray:
        """Readable row names, ``cropland_protection[Lhasa,2035]``: plain Python up to :data:`LABELS_IN_PYTHON` rows
        (pandas' text arrays cost ≈ 2 ms a block in overhead), pandas' vectorised text above."""
        if self.n <= LABELS_IN_PYTHON:
            keys = zip(*(self.rows[k].tolist() for k in self.keys))
            return np.array([f"{self.name}[{','.join(map(str, t))}]" for t in keys], dtype=object)
        keys = self.rows[list(self.keys)].astype(str)
        joined = keys.iloc[:, 0]
        for i in range(1, keys.shape[1]):
            joined = joined + "," + keys.iloc[:, i]
        return (self.name + "[" + joined + "]").to_numpy(dtype=object)

    def csr(self, ncols: int):
        import scipy.sparse as sp

        return sp.csr_array((self.coef, (self.row, self.col)), shape=(self.n, ncols))


#: Rows per shared chunk of a :func:`constant` column.
CONSTANT_CHUNK = 65_536


def constant(value: str, n: int) -> pd.api.extensions.ExtensionArray:
    """A text column of ``n`` copies of ``value``, as ``frame[c] = value`` makes it.

    Where pandas stores text in pyarrow (pandas 3 with pyarrow installed), the array behind it is
    chunked, and every chunk is the same one of at most :data:`CONSTANT_CHUNK` rows, so the text is
    stored once per chunk rather than once per row: the sheet and column names of a million rows
    cost next to no memory.  Otherwise (pyarrow is optional) the column is made as pandas makes it.
    """
    dtype = _TEXT_DTYPE
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return pd.array(np.full(n, value, dtype=object), dtype=dtype)
    import pyarrow as pa

    chunk = pa.repeat(pa.scalar(value, type=pa.large_string()), min(n, CONSTANT_CHUNK))
    full, rest = divmod(n, CONSTANT_CHUNK)
    chunks = [chunk] * full + ([chunk.slice(0, rest)] if rest else [])
    return pd.arrays.ArrowStringArray(pa.chunked_array(chunks, type=pa.large_string()), dtype=dtype)


#: The dtype pandas gives a column of text (``str`` backed by pyarrow or by Python objects, or ``object``).
_TEXT_DTYPE = pd.Series(["text"]).dtype


def provenance(rows: pd.DataFrame, sheet: str, column: str) -> pd.DataFrame:
    """Attach where each row's right-hand side came from (to a new frame; pandas' copy-on-write keeps ``rows`` as it was)."""
    rows = rows.copy(deep=False)
    rows["sheet"] = constant(sheet, len(rows))
    rows["column"] = constant(column, len(rows))
    if ROW not in rows.columns:
        rows[ROW] = 0
    rows[ROW] = rows[ROW].fillna(0).astype(int)
    return rows


def rows_from_column(table: pd.DataFrame, sheet: str, column: str, keys: Sequence[str],
                     transform: Callable[[pd.Series], pd.Series] | None = None) -> pd.DataFrame:
    """One constraint row per non-blank cell of ``table[column]``; rhs = the cell (optionally transformed)."""
    take = np.flatnonzero(table[column].notna().to_numpy())
    # one frame from the given rows' arrays (what filtering, copying and adding columns one by one makes, at a
    # fraction of pandas' per-call cost: every family builds several of these)
    data = {k: table[k].array.take(take) for k in keys}
    row = table[ROW].to_numpy(dtype=float)[take] if ROW in table.columns else np.zeros(len(take))
    data[ROW] = np.nan_to_num(row, nan=0.0).astype(int)
    given = table.iloc[take] if transform else None
    data["rhs"] = (transform(given) if transform else table[column].iloc[take]).astype(float).to_numpy()
    data["sheet"] = constant(sheet, len(take))
    data["column"] = constant(column, len(take))
    return pd.DataFrame(data)


def area_sum_terms(cols: Columns, rows: pd.DataFrame, land_uses: Sequence[str], coef: float | np.ndarray = 1.0
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Terms ``coef * Σ_{l in land_uses} area[r,l,t]`` for every row (region, year)."""
    if len(rows) == 0 or len(land_uses) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    grid = cols.grid
    return area_sum_terms_at(cols, grid.region_codes(rows["region"]), grid.year_codes(rows["year"]), land_uses, coef)


def area_sum_terms_at(cols: Columns, region_codes: np.ndarray, year_codes: np.ndarray, land_uses: Sequence[str],
                      coef: float | np.ndarray = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`area_sum_terms` for rows given by their region and year codes (a family that has the codes already
    need not look its own text keys up again)."""
    n, k = len(region_codes), len(land_uses)
    if n == 0 or k == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    grid = cols.grid
    c = grid.area_cols(np.repeat(np.asarray(region_codes), k), np.tile(grid.land_uses.get_indexer(list(land_uses)), n),
                       np.repeat(np.asarray(year_codes), k))
    r = np.repeat(np.arange(n), k)
    v = np.repeat(np.broadcast_to(np.asarray(coef, dtype=float), (n,)), k)
    return r, c, v


def role_sum_terms(spec: ModelSpec, cols: Columns, rows: pd.DataFrame, roles: Sequence[str],
                   coef: float | np.ndarray = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Terms ``coef * Σ_{l with role in roles} area[r,l,t]`` for every row (region, year)."""
    return area_sum_terms(cols, rows, spec.land_uses_with_role(*roles), coef)


def negative_terms(terms: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    """:attr:`RowBlock.limit` of rows written as ``quantity − limit ⋚ rhs`` whose limit's terms are the negative
    ones (a rate's ``− share × area``, 占补平衡's ``− cropland supplemented``)."""
    return np.asarray(terms[2], dtype=float) < 0


def cat(*parts: tuple[np.ndarray, np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    return tuple(np.concatenate([p[i] for p in parts]) for i in range(3))  # type: ignore[return-value]
