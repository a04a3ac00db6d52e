"""Land-based economic output 用地经济产出: the output of all regions' land at least a requirement, per milestone.

``economic_output[t]``

.. math::

    \\sum_{r \\in R} \\sum_{l \\in L} v_l \\, x_{r,l,t} \\ \\ge\\ E_t

=================  =================  ==================================================================
symbol             unit               meaning
=================  =================  ==================================================================
:math:`x_{r,l,t}`  ha                 area of land use *l* in region *r* at milestone *t*
:math:`v_l`        yuan/ha/yr         output of one hectare of *l* (``land_uses.output_yuan_per_ha_yr``; blank = 0)
:math:`E_t`        yuan/yr            ``province_targets.economic_output_min_yuan_per_yr`` (blank or no row: no row)
=================  =================  ==================================================================

Why it is a planning trade-off: a plan that only maximises the carbon sink has no reason to build, plant
orchards or put up PV beyond what the demand rows force, so the urban development boundary, the ecological red
line and basic grassland are never tested.  A development requirement — the output the territory's land must
yield in the milestone year (a rate, yuan per year, at constant per-hectare output) — makes the LP weigh
development against carbon: it converts land to higher-output uses (construction, garden, PV) where that costs
the least net removals, up to the urban boundary, the suitable PV land, the red line and the budget.  Its shadow
price is the net removals (t CO2e, the objective's unit) given up per yuan/yr of extra required output; ``landopt
pareto --against economic_output`` traces the same trade-off as a curve.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.model.blocks import Meaning, RowBlock, provenance
from landopt.model.columns import Columns
from landopt.reader import ROW
from landopt.spec import ModelSpec

FAMILY = "economic_output"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "economic_output": Meaning("land-based economic output requirement", "用地经济产出要求",
                               "yuan/yr of required land-based output", "元/年用地经济产出要求", "yuan/yr"),
}
COLUMN = "economic_output_min_yuan_per_yr"


def economic_output_index(spec: ModelSpec) -> pd.DataFrame:
    """One row per milestone year with a requirement (``province_targets`` order); rhs = :math:`E_t` (yuan/yr)."""
    pt = spec.province_targets
    if pt.empty or COLUMN not in pt.columns:
        return provenance(pd.DataFrame({"year": [], ROW: [], "rhs": []}), "province_targets", COLUMN)
    given = pt[pt[COLUMN].notna()]
    rows = pd.DataFrame({"year": given["year"].to_numpy(dtype=np.int64), ROW: given[ROW].to_numpy(),
                         "rhs": given[COLUMN].to_numpy(dtype=float)})
    return provenance(rows, "province_targets", COLUMN)


def output_per_ha(spec: ModelSpec) -> pd.Series:
    """:math:`v_l` (yuan/ha/yr) per land use; blank or no column = 0."""
    lu = spec.land_uses.set_index("land_use")
    if "output_yuan_per_ha_yr" not in lu.columns:
        return pd.Series(0.0, index=lu.index)
    return lu["output_yuan_per_ha_yr"].astype(float).fillna(0.0)


def economic_output_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`\\sum_r \\sum_l v_l\\, x_{r,l,t} \\ge E_t` (every region's area of every land use in year *t*)."""
    grid = cols.grid
    col = cols.tables["area"]["col"].to_numpy()
    _r, lu, t = grid.area_codes(col)  # from the column numbers: no text lookups over every area variable
    v = output_per_ha(spec).reindex(grid.land_uses).fillna(0.0).to_numpy(dtype=float)[lu]
    row_of_year = np.full(len(grid.years), -1, dtype=np.int64)
    at = grid.year_codes(rows["year"].to_numpy(dtype=np.int64))
    row_of_year[at[at >= 0]] = np.flatnonzero(at >= 0)
    local = row_of_year[t]
    keep = (local >= 0) & (v != 0.0)
    return local[keep], col[keep], v[keep]


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    rows = economic_output_index(spec)
    return [RowBlock("economic_output", FAMILY, ">=", ("year",), rows, *economic_output_rule(spec, rows, cols),
                     unit="yuan/yr", lever=CONSTRAINTS["economic_output"].lever)]
