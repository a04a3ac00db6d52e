"""Area balance: every hectare is accounted for, and stocks follow flows.

Two constraints:

``area_total[r,t]`` — each region's land adds up to its total area

.. math::

    \\sum_{l \\in L} x_{r,l,t} = A_r \\qquad \\forall r \\in R,\\ t \\in T

``stock_flow[r,l,t]`` — a land use's area at a milestone is its area at the
previous milestone plus what was converted to it minus what was converted away

.. math::

    x_{r,l,t} = x_{r,l,t-1} + \\sum_{m:(m,l)\\in P} y_{r,m\\to l,t} - \\sum_{m:(l,m)\\in P} y_{r,l\\to m,t},
    \\qquad x_{r,l,t_0} = X^0_{r,l}

=============  ======  ===========================================================
symbol         unit    meaning
=============  ======  ===========================================================
:math:`x`      ha      area of land use *l* in region *r* at milestone *t*
:math:`y`      ha      area converted from one land use to another in the period ending at *t*
:math:`A_r`    ha      region total: the baseline areas' sum (equal to ``regions.total_area_ha``
                       within ``settings.area_tolerance_pct``, which validation checks)
:math:`X^0`    ha      baseline area (sheet ``baseline``)
:math:`P`      —       allowed conversions (sheet ``transitions``, allowed = yes)
=============  ======  ===========================================================

Both are accounting identities: always on, and their duals are not reported
as policy levers.  ``area_total`` is implied by ``stock_flow`` when the
baseline adds up; it is kept so that the written plan can be checked row by
row and so that an imbalance shows up by name.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.model.blocks import Meaning, RowBlock, area_sum_terms, provenance
from landopt.model.columns import Columns
from landopt.reader import ROW
from landopt.spec import ModelSpec

FAMILY = "area_balance"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "area_total": Meaning("regional total area", "区域土地总面积", "ha of total regional area", "公顷区域总面积", "ha"),
    "stock_flow": Meaning("land stock balance", "地类存量流量平衡", "ha of baseline area", "公顷基期面积", "ha"),
}
SWITCHABLE = False


def area_total_index(spec: ModelSpec) -> pd.DataFrame:
    """One row per region and milestone year; rhs = the region's baseline total."""
    totals = spec.baseline.groupby("region", sort=False)["area_ha"].sum()
    reg = spec.regions
    T = len(spec.years)
    rows = pd.DataFrame({
        "region": np.repeat(reg["region"].to_numpy(), T),
        "year": np.tile(np.asarray(spec.years), len(reg)),
        ROW: np.repeat(reg[ROW].to_numpy(), T),
    })
    rows["rhs"] = rows["region"].map(totals).astype(float).to_numpy()
    return provenance(rows, "regions", "total_area_ha")


def area_total_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`\\sum_l x_{r,l,t} = A_r`"""
    return area_sum_terms(cols, rows, spec.land_use_ids)


def stock_flow_index(spec: ModelSpec, cols: Columns) -> pd.DataFrame:
    """One row per area variable (region, land use, year), in the same order as the area columns."""
    area = cols.tables["area"]
    rows = area[["region", "land_use", "year"]]  # a new frame (copy-on-write): area stays as it is
    first = rows["year"].to_numpy() == spec.years[0]
    T = len(spec.years)
    b = np.repeat(cols.grid.by_region_land_use(spec.baseline, "area_ha").ravel(), T)  # rows are region, land use, year
    rows["rhs"] = np.where(first, b, 0.0)
    rows[ROW] = np.repeat(cols.grid.by_region_land_use(spec.baseline, ROW).ravel(), T)
    return provenance(rows, "baseline", "area_ha")


def stock_flow_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`x_{r,l,t} - x_{r,l,t-1} - \\sum_m y_{r,m\\to l,t} + \\sum_m y_{r,l\\to m,t} = 0` (baseline on the right at the first milestone)"""
    area, grid = cols.tables["area"], cols.grid
    L, P, T = len(grid.land_uses), len(grid.pair_from), len(grid.years)
    n = len(rows)
    i = np.arange(n)
    first = rows["year"].to_numpy() == spec.years[0]
    prev = i[~first]
    fcol = cols.tables["flow"]["col"].to_numpy()
    # rows are the area variables in column order, L·T rows per region; a region's flows, by conversion
    # and year, leave row (from, year) and enter row (to, year) of their region's rows
    pair, year = np.divmod(np.arange(P * T), T)
    inflow_rows = grid.per_region(grid.pair_to[pair] * T + year, L * T)
    outflow_rows = grid.per_region(grid.pair_from[pair] * T + year, L * T)
    r = np.concatenate([i, prev, inflow_rows, outflow_rows])
    c = np.concatenate([area["col"].to_numpy(), area["col"].to_numpy()[prev - 1], fcol, fcol])
    v = np.repeat([1.0, -1.0, -1.0, 1.0], [n, len(prev), len(fcol), len(fcol)])
    return r, c, v


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    out = []
    rows = area_total_index(spec)
    out.append(RowBlock("area_total", FAMILY, "==", ("region", "year"), rows, *area_total_rule(spec, rows, cols),
                        unit="ha", lever=CONSTRAINTS["area_total"].lever, policy=False))
    rows = stock_flow_index(spec, cols)
    out.append(RowBlock("stock_flow", FAMILY, "==", ("region", "land_use", "year"), rows,
                        *stock_flow_rule(spec, rows, cols), unit="ha", lever=CONSTRAINTS["stock_flow"].lever, policy=False))
    return out
