"""Decision variables (columns) of the land-allocation LP, as tidy tables.

Every variable kind is a table with one row per variable and a global column
position ``col``.  Families look variables up in bulk (vectorised joins on the
key columns), never one at a time.

=================  ===================================  ======  ==========================================
kind               index                                unit    meaning
=================  ===================================  ======  ==========================================
``area``           region, land_use, year               ha      area of a land use at a milestone year
``flow``           region, from_land_use, to_land_use,  ha      area converted during the period ending
                   year                                         at ``year``
``livestock``      region, year                         SU      livestock carried, in sheep units
``grazed``         region, year                         ha      grassland open to grazing
``rested``         region, year                         ha      grassland under grazing ban or rest
=================  ===================================  ======  ==========================================
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from landopt.spec import ModelSpec

KEYS: dict[str, tuple[str, ...]] = {
    "area": ("region", "land_use", "year"),
    "flow": ("region", "from_land_use", "to_land_use", "year"),
    "livestock": ("region", "year"),
    "grazed": ("region", "year"),
    "rested": ("region", "year"),
}
UNITS = {"area": "ha", "flow": "ha", "livestock": "SU", "grazed": "ha", "rested": "ha"}


@dataclass
class Columns:
    """All variables: ``tables[kind]`` has the key columns and the global position ``col``."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    n: int = 0
    _index: dict = field(default_factory=dict, repr=False, compare=False)  # kind -> (key index, col array)

    def add(self, kind: str, table: pd.DataFrame) -> None:
        table = table.reset_index(drop=True)
        table["col"] = np.arange(self.n, self.n + len(table), dtype=np.int64)
        self.tables[kind] = table
        self._index.pop(kind, None)
        self.n += len(table)

    def _key_index(self, kind: str, table: pd.DataFrame) -> tuple[pd.Index, np.ndarray]:
        """The (cached) index of ``kind``'s key columns; rebuilt if the table object was replaced."""
        cached = self._index.get(kind)
        if cached is not None and cached[0] is table:
            return cached[1], cached[2]
        cols = list(KEYS[kind])
        index = pd.MultiIndex.from_frame(table[cols]) if len(cols) > 1 else pd.Index(table[cols[0]])
        col = table["col"].to_numpy()
        self._index[kind] = (table, index, col)
        return index, col

    def lookup(self, kind: str, keys: pd.DataFrame) -> np.ndarray:
        """Global positions of the variables of ``kind`` whose keys are the rows of ``keys``.

        Returns -1 where no such variable exists.
        """
        table = self.tables.get(kind)
        cols = list(KEYS[kind])
        if table is None or table.empty or keys.empty:
            return np.full(len(keys), -1, dtype=np.int64)
        index, col = self._key_index(kind, table)
        probe = pd.MultiIndex.from_frame(keys[cols]) if len(cols) > 1 else pd.Index(keys[cols[0]])
        pos = index.get_indexer(probe)
        out = np.where(pos >= 0, col[np.maximum(pos, 0)], -1)
        return out.astype(np.int64)

    def labels(self) -> np.ndarray:
        """Readable names in global order, e.g. ``area[Lhasa,forest,2035]``."""
        out = np.empty(self.n, dtype=object)
        for kind, table in self.tables.items():
            keys = table[list(KEYS[kind])].astype(str)
            joined = keys.iloc[:, 0].str.cat([keys.iloc[:, i] for i in range(1, keys.shape[1])], sep=",") \
                if keys.shape[1] > 1 else keys.iloc[:, 0]
            out[table["col"].to_numpy()] = (kind + "[" + joined + "]").to_numpy()
        return out


def build_columns(spec: ModelSpec) -> Columns:
    """Create the variable tables for ``spec``."""
    cols = Columns()
    regions = spec.regions["region"].to_numpy()
    lus = spec.land_uses["land_use"].to_numpy()
    years = np.asarray(spec.years, dtype=np.int64)
    R, L, T = len(regions), len(lus), len(years)
    cols.add("area", pd.DataFrame({
        "region": np.repeat(regions, L * T),
        "land_use": np.tile(np.repeat(lus, T), R),
        "year": np.tile(years, R * L),
    }))
    tr = spec.transitions
    P = len(tr)
    cols.add("flow", pd.DataFrame({
        "region": np.repeat(regions, P * T),
        "from_land_use": np.tile(np.repeat(tr["from_land_use"].to_numpy(), T), R),
        "to_land_use": np.tile(np.repeat(tr["to_land_use"].to_numpy(), T), R),
        "year": np.tile(years, R * P),
    }))
    g = spec.grazing[["region", "year"]] if spec.family_on("grazing_balance") else spec.grazing.iloc[0:0][["region", "year"]]
    for kind in ("livestock", "grazed", "rested"):
        cols.add(kind, g.copy())
    return cols
