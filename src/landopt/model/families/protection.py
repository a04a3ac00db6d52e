"""Ecological protection red line 生态保护红线 and basic grassland 基本草原 (sheet ``protected_land``).

``redline[r,l,t]`` — no construction and no PV on land inside the red line: conversions of land use *l* into
construction or PV, summed from the baseline up to milestone *t*, come only from its area outside the red line

.. math::

    \\sum_{t' \\le t} \\sum_{m \\in L^{con} \\cup L^{pv}} y_{r,l\\to m,t'} \\ \\le\\ X^0_{r,l} - RL_{r,l}

``basic_grassland[r,l,t]`` — basic grassland keeps its use: no conversion of it to anything

.. math::

    \\sum_{t' \\le t} \\sum_{m \\ne l} y_{r,l\\to m,t'} \\ \\le\\ X^0_{r,l} - BG_{r,l}

==================  ====  ==================================================================================
symbol              unit  meaning
==================  ====  ==================================================================================
:math:`y_{r,l\\to m,t}` ha  area converted from *l* to *m* in region *r* in the period ending at milestone *t*
:math:`X^0_{r,l}`   ha    baseline area (sheet ``baseline``)
:math:`L^{con}`     —     land uses with role urban, rural or other_construction; :math:`L^{pv}`: role pv
:math:`RL_{r,l}`    ha    ``protected_land.redline_ha`` (blank or no row: no ``redline`` row)
:math:`BG_{r,l}`    ha    ``protected_land.basic_grassland_ha``, grassland-role land uses only (blank: no row)
==================  ====  ==================================================================================

One row per ``protected_land`` row with the figure given and every milestone, for land uses that have an allowed
conversion the row restricts (sheet ``transitions``); a land use that cannot convert needs no row.

**Overlap rule.**  The two rows are independent: where red line and basic grassland cover the same grassland,
construction and PV may take at most :math:`X^0 - \\max(RL, BG)` and other conversions at most :math:`X^0 - BG`
— that is, the red-line part of a grassland is assumed to lie inside its basic grassland as far as the two
figures allow (the reading that needs no overlap figure).  If they are known to be disjoint, enter ``redline_ha``
as red line + basic grassland (the land closed to construction and PV) — the validator checks each figure
against the baseline area.  Red-line land may still change between non-construction uses (e.g. unused land
restored to grassland or wetland).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.model.blocks import Meaning, RowBlock, provenance
from landopt.model.columns import Columns
from landopt.model.families.flowsum import flow_sum_terms, pairs_between
from landopt.reader import ROW
from landopt.schema import CONSTRUCTION_ROLES
from landopt.spec import ModelSpec

FAMILY = "protection"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "redline": Meaning("ecological protection red line", "生态保护红线",
                       "ha of land outside the red line open to construction and PV", "公顷红线外可建设（含光伏）用地", "ha"),
    "basic_grassland": Meaning("basic grassland", "基本草原",
                               "ha of grassland outside basic grassland", "公顷基本草原以外的草地", "ha"),
}
KEYS = ("region", "land_use", "year")


def protected_index(spec: ModelSpec, cols: Columns, column: str, pairs: np.ndarray,
                    less_baseline: bool = True) -> pd.DataFrame:
    """Rows: (region, land use, year) for every ``protected_land`` row with ``column`` given whose land use has
    one of the conversions ``pairs``; rhs = baseline area − the protected area (``less_baseline``), else the
    figure itself (the land inside the urban development boundary, family ``urban_boundary``)."""
    pl, grid = spec.protected_land, cols.grid
    if pl.empty or column not in pl.columns:
        return provenance(pd.DataFrame({k: [] for k in KEYS} | {ROW: [], "rhs": []}), "protected_land", column)
    given = pl[pl[column].notna()]
    movable = np.unique(grid.pair_from[pairs])
    given = given[np.isin(grid.land_use_codes(given["land_use"]), movable)]
    T = len(grid.years)
    base = grid.by_region_land_use(spec.baseline, "area_ha")
    x0 = base[grid.region_codes(given["region"]), grid.land_use_codes(given["land_use"])]
    figure = given[column].to_numpy(dtype=float)
    rows = pd.DataFrame({
        "region": np.repeat(given["region"].to_numpy(dtype=object), T),
        "land_use": np.repeat(given["land_use"].to_numpy(dtype=object), T),
        "year": np.tile(grid.years.to_numpy(), len(given)),
        ROW: np.repeat(given[ROW].to_numpy(), T),
        "rhs": np.repeat(np.nan_to_num(x0) - figure if less_baseline else figure, T),
    })
    return provenance(rows, "protected_land", column)


def protected_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns, pairs: np.ndarray):
    """:math:`\\sum_{t' \\le t} \\sum_{m} y_{r,l\\to m,t'}` over the conversions ``pairs`` out of the row's land use"""
    return flow_sum_terms(cols, rows, pairs, cumulative=True,
                          land_use_of_row=cols.grid.land_use_codes(rows["land_use"]))


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    grid = cols.grid
    built = pairs_between(grid, list(grid.land_uses), spec.land_uses_with_role(*CONSTRUCTION_ROLES, "pv"))
    grass = spec.land_uses_with_role("grassland")
    leaving = pairs_between(grid, grass, list(grid.land_uses))
    red = protected_index(spec, cols, "redline_ha", built)
    basic = protected_index(spec, cols, "basic_grassland_ha", leaving)
    basic = basic[basic["land_use"].isin(grass)].reset_index(drop=True)
    return [
        RowBlock("redline", FAMILY, "<=", KEYS, red, *protected_rule(spec, red, cols, built),
                 unit="ha", lever=CONSTRAINTS["redline"].lever),
        RowBlock("basic_grassland", FAMILY, "<=", KEYS, basic, *protected_rule(spec, basic, cols, leaving),
                 unit="ha", lever=CONSTRAINTS["basic_grassland"].lever),
    ]
