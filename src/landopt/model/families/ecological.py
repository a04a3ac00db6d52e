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

from landopt.model.blocks import Meaning, RowBlock, area_sum_terms_at
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


def _inputs(spec: ModelSpec, cols: Columns) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What every floor reads, looked up once: the region and year codes of the targets rows and the baseline as
    a regions × land uses array (NaN where no row)."""
    grid = cols.grid
    return (grid.region_codes(spec.targets["region"]), grid.year_codes(spec.targets["year"]),
            grid.by_region_land_use(spec.baseline, "area_ha"))


def _floor_rows(spec: ModelSpec, cols: Columns, roles: tuple[str, ...], column: str, reg: np.ndarray, year: np.ndarray,
                base: np.ndarray) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The rows of one floor: every (region, year) with a floor given, or implied by no net loss; and their region
    and year codes."""
    grid = cols.grid
    R, T = len(grid.regions), len(grid.years)
    # the floors given on sheet targets, placed on the region × year grid (NaN where not given)
    value = spec.targets[column].to_numpy(dtype=float)
    known = ~np.isnan(value) & (reg >= 0) & (year >= 0)
    at = reg[known] * T + year[known]
    rhs = np.full(R * T, np.nan)
    rhs[at] = value[known]
    row = np.zeros(R * T, dtype=np.int64)
    row[at] = spec.targets[ROW].to_numpy()[known]
    implied = np.zeros(R * T, dtype=np.intp)  # 1 where the floor is the baseline (no net loss)
    if spec.settings.get("no_net_loss", True):
        lus = grid.land_uses.get_indexer(spec.land_uses_with_role(*roles))
        region_total = np.nansum(base[:, lus[lus >= 0]], axis=1)  # the baseline area of the roles, by region
        implied[np.isnan(rhs)] = 1
        rhs = np.where(implied == 1, np.repeat(region_total, T), rhs)
    keep = np.flatnonzero(~np.isnan(rhs) & (rhs > 0))
    rc, tc = np.divmod(keep, T)
    rows = pd.DataFrame({
        "region": take_ids(grid.regions, rc),
        "year": grid.years.to_numpy()[tc],
        ROW: row[keep],
        "sheet": take_ids(pd.Index(["targets", "baseline"]), implied[keep]),
        "column": take_ids(pd.Index([column, "area_ha (no net loss)"]), implied[keep]),
        "rhs": rhs[keep],
    })
    return rows, rc, tc


def floor_rule(spec: ModelSpec, cols: Columns, roles: tuple[str, ...], region_codes: np.ndarray, year_codes: np.ndarray):
    """:math:`\\sum_{l \\in L^k} x_{r,l,t} \\ge F^k_{r,t}` for the rows at ``region_codes`` × ``year_codes``"""
    return area_sum_terms_at(cols, region_codes, year_codes, spec.land_uses_with_role(*roles))


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    out = []
    inputs = _inputs(spec, cols)
    for role, (roles, column) in KINDS.items():
        if not spec.land_uses_with_role(*roles):
            continue
        rows, rc, tc = _floor_rows(spec, cols, roles, column, *inputs)
        out.append(RowBlock(f"{role}_floor", FAMILY, ">=", ("region", "year"), rows,
                            *floor_rule(spec, cols, roles, rc, tc), unit="ha", lever=CONSTRAINTS[f"{role}_floor"].lever))
    return out
