"""Decision variables (columns) of the land-allocation LP, as tidy tables.

Every variable kind is a table with one row per variable and a global column
position ``col``.  Families look variables up in bulk, never one at a time:
the area and flow variables form a regular grid (:class:`Grid`), so their
columns follow from integer positions by arithmetic; any kind can also be
looked up by its key columns (:meth:`Columns.lookup`).

=================  ===================================  ======  ==========================================
kind               index                                unit    meaning
=================  ===================================  ======  ==========================================
``area``           region, land_use, year               ha      area of a land use at a milestone year
``flow``           region, from_land_use, to_land_use,  ha      area converted during the period ending
                   year                                         at ``year``
``livestock``      region, year                         SU      livestock carried, in sheep units
``grazed``         region, year                         ha      grassland open to grazing
``rested``         region, year                         ha      grassland under grazing ban or rest
``rested_degraded`` region, year                        ha      degraded grassland among the rested (only
                                                                with a ``degraded_grassland`` land use)
``redevelop``      region, year                         ha      inefficient construction land redeveloped in
                                                                the period ending at ``year`` (rows of
                                                                ``targets`` with redevelopment_potential_ha)
=================  ===================================  ======  ==========================================
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from landopt.spec import ModelSpec

#: Up to this many rows (a block's, or a variable kind's) labels are made in plain Python: pandas' text arrays cost
#: ≈ 2 ms a call in overhead, which only pays above this size.
LABELS_IN_PYTHON = 100_000

KEYS: dict[str, tuple[str, ...]] = {
    "area": ("region", "land_use", "year"),
    "flow": ("region", "from_land_use", "to_land_use", "year"),
    "livestock": ("region", "year"),
    "grazed": ("region", "year"),
    "rested": ("region", "year"),
    "rested_degraded": ("region", "year"),
    "redevelop": ("region", "year"),
}
UNITS = {"area": "ha", "flow": "ha", "livestock": "SU", "grazed": "ha", "rested": "ha", "rested_degraded": "ha",
         "redevelop": "ha"}


def positions(index: pd.Index, values: pd.Series | pd.api.extensions.ExtensionArray | np.ndarray) -> np.ndarray:
    """``index.get_indexer(values)`` (-1 where missing), hashing each distinct value only once.

    Factorising first is several times faster on long columns of repeated ids (pyarrow-backed strings).
    """
    if len(values) <= SMALL and len(index) <= SMALL:  # a prefecture-size table: a dict beats pandas' per-call cost
        where = {v: i for i, v in enumerate(index.tolist())}
        return np.fromiter((where.get(v, -1) for v in values.tolist()), dtype=np.int64, count=len(values))
    found = _arrow_positions(index, values)
    if found is not None:
        return found
    codes, uniques = pd.factorize(values)
    return np.append(index.get_indexer(uniques), -1)[codes]  # code -1 (a missing value) picks the appended -1


def _arrow_positions(index: pd.Index, values) -> np.ndarray | None:
    """:func:`positions` by pyarrow's hash lookup (``index_in``), 3× faster than factorising, when both sides are
    pandas' pyarrow-backed text (pandas 3 with pyarrow); None otherwise (the caller factorises)."""
    arrow_text = getattr(pd.arrays, "ArrowStringArray", None)
    va = values.array if isinstance(values, (pd.Series, pd.Index)) else values
    if arrow_text is None or not isinstance(va, arrow_text) or not isinstance(index.array, arrow_text):
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    value_set = pa.array(index.array)
    if isinstance(value_set, pa.ChunkedArray):
        value_set = value_set.combine_chunks()
    try:
        found = pc.index_in(pa.array(va), value_set=value_set)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None
    return np.asarray(pc.fill_null(found, -1).to_numpy(), dtype=np.int64)


#: up to this many values and index entries :func:`positions` looks them up in a Python dict (6× faster at 20,
#: 3× at 300 values, slower from about 2,000)
SMALL = 1_000


def take_ids(ids: pd.Index | pd.Series, codes: np.ndarray) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """``ids[codes]`` as a column of pandas' string dtype, gathered by pyarrow rather than string by string.

    An empty column stays an object array, as pandas infers it for an empty list of ids.
    """
    if len(codes) == 0:
        return np.empty(0, dtype=object)
    return pd.array(ids, dtype="str").take(codes)


@dataclass(frozen=True)
class Grid:
    """Where the area and flow variables are, from integer codes instead of string keys.

    A region, land use or year code is its position in ``regions``, ``land_uses`` or ``years``;
    a conversion code is its row in ``spec.transitions``.  Area columns are region-major, then
    land use, then year (``area0 + (r·L + l)·T + t``); flow columns region, conversion, year
    (``flow0 + (r·P + p)·T + t``).  Code -1 stands for an unknown key and gives column -1.
    """

    regions: pd.Index
    land_uses: pd.Index
    years: pd.Index
    pair_from: np.ndarray  # land-use code of each conversion's from-land-use
    pair_to: np.ndarray  # land-use code of each conversion's to-land-use
    area0: int  # column of the first area variable
    flow0: int  # column of the first flow variable

    def region_codes(self, values) -> np.ndarray:
        return positions(self.regions, values)

    def land_use_codes(self, values) -> np.ndarray:
        return positions(self.land_uses, values)

    def year_codes(self, values) -> np.ndarray:
        return positions(self.years, values)

    def area_cols(self, r, lu, t) -> np.ndarray:
        """Columns of ``area[r,lu,t]`` for code arrays (broadcast together)."""
        r, lu, t = np.broadcast_arrays(r, lu, t)
        col = np.asarray(self.area0 + (r * len(self.land_uses) + lu) * len(self.years) + t, dtype=np.int64)
        col[(r < 0) | (lu < 0) | (t < 0)] = -1
        return col

    def flow_cols(self, r, p, t) -> np.ndarray:
        """Columns of ``flow[r,p,t]`` (``p`` a conversion code) for code arrays (broadcast together)."""
        r, p, t = np.broadcast_arrays(r, p, t)
        col = np.asarray(self.flow0 + (r * len(self.pair_from) + p) * len(self.years) + t, dtype=np.int64)
        col[(r < 0) | (p < 0) | (t < 0)] = -1
        return col

    def area_codes(self, col: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Region, land-use and year codes of area columns ``col``."""
        r_lu, t = np.divmod(np.asarray(col, dtype=np.int64) - self.area0, len(self.years))
        r, lu = np.divmod(r_lu, len(self.land_uses))
        return r, lu, t

    def flow_codes(self, col: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Region, conversion and year codes of flow columns ``col``."""
        r_p, t = np.divmod(np.asarray(col, dtype=np.int64) - self.flow0, len(self.years))
        r, p = np.divmod(r_p, len(self.pair_from))
        return r, p, t

    def per_region(self, offsets: np.ndarray, stride: int) -> np.ndarray:
        """``r·stride + offsets`` for every region r in turn: positions in a layout that repeats in every region."""
        return (np.arange(len(self.regions))[:, None] * stride + np.asarray(offsets, dtype=np.int64)).ravel()

    def area_of(self, rows: pd.DataFrame) -> np.ndarray:
        """Columns of the area variables named by the ``region``, ``land_use`` and ``year`` of ``rows``."""
        return self.area_cols(self.region_codes(rows["region"]), self.land_use_codes(rows["land_use"]),
                              self.year_codes(rows["year"]))

    def _by_region(self, table: pd.DataFrame, column: str, key: str, index: pd.Index) -> np.ndarray:
        """``table[column]`` as a regions × ``index`` array, placed by ``table.region`` and ``table[key]``
        (NaN for pairs not in ``table``)."""
        out = np.full((len(self.regions), len(index)), np.nan)
        r, k = self.region_codes(table["region"]), positions(index, table[key])
        known = (r >= 0) & (k >= 0)
        out[r[known], k[known]] = table[column].to_numpy(dtype=float)[known]
        return out

    def by_region_land_use(self, table: pd.DataFrame, column: str) -> np.ndarray:
        """``table[column]`` as a regions × land uses array (NaN for pairs not in ``table``)."""
        return self._by_region(table, column, "land_use", self.land_uses)

    def by_region_year(self, table: pd.DataFrame, column: str) -> np.ndarray:
        """``table[column]`` as a regions × years array (NaN for pairs not in ``table``)."""
        return self._by_region(table, column, "year", self.years)


@dataclass
class Columns:
    """All variables: ``tables[kind]`` has the key columns and the global position ``col``."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    n: int = 0
    grid: Grid | None = None  # positions of the area and flow variables (set by build_columns)
    _index: dict = field(default_factory=dict, repr=False, compare=False)  # kind -> (table, key levels, key index, col)

    def add(self, kind: str, table: pd.DataFrame) -> None:
        table = table.reset_index(drop=True)
        table["col"] = np.arange(self.n, self.n + len(table), dtype=np.int64)
        self.tables[kind] = table
        self._index.pop(kind, None)
        self.n += len(table)

    def _key_index(self, kind: str, table: pd.DataFrame) -> tuple[list[pd.Index], pd.Index, np.ndarray]:
        """The (cached) key index of ``kind``; rebuilt if the table object was replaced.

        Each key column is coded by the position of its value among the column's distinct values
        (``levels``); a row's key is the mixed-radix number of its codes, so the index holds integers.
        """
        cached = self._index.get(kind)
        if cached is not None and cached[0] is table:
            return cached[1], cached[2], cached[3]
        levels: list[pd.Index] = []
        key = np.zeros(len(table), dtype=np.int64)
        for c in KEYS[kind]:
            codes, uniques = pd.factorize(table[c])
            levels.append(pd.Index(uniques))
            key = key * len(uniques) + codes
        index, col = pd.Index(key), table["col"].to_numpy()
        self._index[kind] = (table, levels, index, col)
        return levels, index, col

    def lookup(self, kind: str, keys: pd.DataFrame) -> np.ndarray:
        """Global positions of the variables of ``kind`` whose keys are the rows of ``keys``.

        Returns -1 where no such variable exists.
        """
        table = self.tables.get(kind)
        if table is None or table.empty or keys.empty:
            return np.full(len(keys), -1, dtype=np.int64)
        levels, index, col = self._key_index(kind, table)
        key = np.zeros(len(keys), dtype=np.int64)
        known = np.ones(len(keys), dtype=bool)
        for c, level in zip(KEYS[kind], levels):
            codes = positions(level, keys[c])
            known &= codes >= 0
            key = key * len(level) + codes
        pos = np.where(known, index.get_indexer(key), -1)
        return np.where(pos >= 0, col[np.maximum(pos, 0)], -1).astype(np.int64)

    def labels(self) -> np.ndarray:
        """Readable names in global order, e.g. ``area[Lhasa,forest,2035]`` (plain Python up to 100,000 columns of a
        kind, as :meth:`landopt.model.blocks.RowBlock.labels`; pandas' vectorised text above)."""
        out = np.empty(self.n, dtype=object)
        for kind, table in self.tables.items():
            if len(table) <= LABELS_IN_PYTHON:
                keys = zip(*(table[k].tolist() for k in KEYS[kind]))
                out[table["col"].to_numpy()] = [f"{kind}[{','.join(map(str, t))}]" for t in keys]
                continue
            keys = table[list(KEYS[kind])].astype(str)
            joined = keys.iloc[:, 0].str.cat([keys.iloc[:, i] for i in range(1, keys.shape[1])], sep=",") \
                if keys.shape[1] > 1 else keys.iloc[:, 0]
            out[table["col"].to_numpy()] = (kind + "[" + joined + "]").to_numpy()
        return out


def build_columns(spec: ModelSpec) -> Columns:
    """Create the variable tables for ``spec``."""
    cols = Columns()
    regions = pd.Index(spec.regions["region"])
    lus = pd.Index(spec.land_uses["land_use"])
    years = pd.Index(np.asarray(spec.years, dtype=np.int64))
    tr = spec.transitions
    R, L, T, P = len(regions), len(lus), len(years), len(tr)
    area0 = cols.n
    cols.add("area", pd.DataFrame({
        "region": take_ids(regions, np.repeat(np.arange(R), L * T)),
        "land_use": take_ids(lus, np.tile(np.repeat(np.arange(L), T), R)),
        "year": np.tile(years.to_numpy(), R * L),
    }))
    flow0 = cols.n
    pair = np.tile(np.repeat(np.arange(P), T), R)
    cols.add("flow", pd.DataFrame({
        "region": take_ids(regions, np.repeat(np.arange(R), P * T)),
        "from_land_use": take_ids(tr["from_land_use"], pair),
        "to_land_use": take_ids(tr["to_land_use"], pair),
        "year": np.tile(years.to_numpy(), R * P),
    }))
    cols.grid = Grid(regions=regions, land_uses=lus, years=years, pair_from=lus.get_indexer(tr["from_land_use"]),
                     pair_to=lus.get_indexer(tr["to_land_use"]), area0=area0, flow0=flow0)
    g = spec.grazing[["region", "year"]] if spec.family_on("grazing_balance") else spec.grazing.iloc[0:0][["region", "year"]]
    for kind in ("livestock", "grazed", "rested"):
        cols.add(kind, g.copy())
    if spec.land_uses_with_role("degraded_grassland"):
        cols.add("rested_degraded", g.copy())
    if spec.family_on("redevelopment") and "redevelopment_potential_ha" in spec.targets.columns:
        tg = spec.targets
        cols.add("redevelop", tg.loc[tg["redevelopment_potential_ha"].notna(), ["region", "year"]].copy())
    return cols
