"""Ecological floors: forest, wetland and basic grassland do not fall below their floors.

``forest_floor[r,t]``, ``wetland_floor[r,t]``, ``grassland_floor[r,t]``

.. math::

    \\sum_{l \\in L^{k}} x_{r,l,t} \\ge F^{k}_{r,t}, \\qquad k \\in \\{forest, wetland, grassland\\}

:math:`F^{k}_{r,t}` is the floor on sheet ``targets`` (``forest_min_ha``,
``wetland_min_ha``, ``grassland_min_ha``); where that cell is blank (or the
row is missing) and the setting ``no_net_loss`` is yes, the floor is the
baseline area :math:`\\sum_{l \\in L^k} X^0_{r,l}` (no net loss).

=================  ====  ===============================================
symbol             unit  meaning
=================  ====  ===============================================
:math:`L^{k}`      —     land uses with role *k* (grassland: roles grassland and degraded_grassland)
:math:`F^{k}`      ha    floor
:math:`X^0`        ha    baseline area (sheet ``baseline``)
=================  ====  ===============================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.model.blocks import Meaning, RowBlock, role_sum_terms
from landopt.model.columns import Columns, take_ids
from landopt.reader import ROW
from landopt.spec import ModelSpec

FAMILY = "ecological_floors"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "forest_floor": Meaning("forest floor", "林地面积底线", "ha of forest floor", "公顷林地底线", "ha"),
    "wetland_floor": Meaning("wetland floor", "湿地面积底线", "ha of wetland floor", "公顷湿地底线", "ha"),
    "grassland_floor": Meaning("grassland floor", "草地面积底线", "ha of grassland floor", "公顷草地面积底线", "ha"),
}
#: floor -> (the roles it sums, its column on sheet targets); grassland counts good and degraded grassland
KINDS = {"forest": (("forest",), "forest_min_ha"), "wetland": (("wetland",), "wetland_min_ha"),
         "grassland": (("grassland", "degraded_grassland"), "grassland_min_ha")}


def floor_index(spec: ModelSpec, cols: Columns, roles: tuple[str, ...], column: str) -> pd.DataFrame:
    """Rows: every (region, year) with a floor given, or implied by no net loss."""
    grid = cols.grid
    R, T = len(grid.regions), len(grid.years)
    # the floors given on sheet targets, placed on the region × year grid (NaN where not given)
    given = spec.targets[spec.targets[column].notna()]
    reg, year = grid.region_codes(given["region"]), grid.year_codes(given["year"])
    known = (reg >= 0) & (year >= 0)
    at = reg[known] * T + year[known]
    rhs = np.full(R * T, np.nan)
    rhs[at] = given[column].to_numpy(dtype=float)[known]
    row = np.zeros(R * T, dtype=np.int64)
    row[at] = given[ROW].to_numpy()[known]
    region = np.repeat(np.arange(R), T)
    implied = np.zeros(R * T, dtype=np.intp)  # 1 where the floor is the baseline (no net loss)
    if spec.settings.get("no_net_loss", True):
        lus = spec.land_uses_with_role(*roles)
        b = spec.baseline[spec.baseline["land_use"].isin(lus)].groupby("region")["area_ha"].sum()
        implied[np.isnan(rhs)] = 1
        rhs = np.where(implied == 1, b.reindex(grid.regions).fillna(0.0).to_numpy(dtype=float)[region], rhs)
    rows = pd.DataFrame({
        "region": take_ids(grid.regions, region),
        "year": np.tile(grid.years.to_numpy(), R),
        ROW: row,
        "sheet": take_ids(pd.Index(["targets", "baseline"]), implied),
        "column": take_ids(pd.Index([column, "area_ha (no net loss)"]), implied),
        "rhs": rhs,
    })
    return rows[~np.isnan(rhs) & (rhs > 0)].reset_index(drop=True)


def floor_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns, roles: tuple[str, ...]):
    """:math:`\\sum_{l \\in L^k} x_{r,l,t} \\ge F^k_{r,t}`"""
    return role_sum_terms(spec, cols, rows, roles)


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    out = []
    for role, (roles, column) in KINDS.items():
        if not spec.land_uses_with_role(*roles):
            continue
        rows = floor_index(spec, cols, roles, column)
        out.append(RowBlock(f"{role}_floor", FAMILY, ">=", ("region", "year"), rows,
                            *floor_rule(spec, rows, cols, roles), unit="ha", lever=CONSTRAINTS[f"{role}_floor"].lever))
    return out
