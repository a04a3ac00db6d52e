"""Redevelopment of inefficient construction land 存量建设用地盘活 / 低效用地再开发.

A decision variable :math:`z_{r,t}` (ha, column kind ``redevelop``) per region and milestone with
``targets.redevelopment_potential_ha`` given: inefficient existing construction land redeveloped in the period ending
at *t*.  Redeveloped land meets urban land demand without new land (it is added to the left-hand side of
``urban_demand``, family ``urban_boundary``), and its public cost goes into the period's ``budget`` row.

``redevelopment_limit[r,t]`` — no more than the inefficient stock is redeveloped, cumulatively

.. math::

    \\sum_{t' \\le t} z_{r,t'} \\ \\le\\ S_{r,t}

=================  =======  ==========================================================================
symbol             unit     meaning
=================  =======  ==========================================================================
:math:`z_{r,t}`    ha       inefficient construction land redeveloped in the period ending at *t*
:math:`S_{r,t}`    ha       ``targets.redevelopment_potential_ha``: inefficient stock that may be redeveloped
                            by *t* (cumulative; blank: no variable and no row for that milestone)
:math:`q_{r,t}`    yuan/ha  ``targets.redevelopment_cost_yuan_per_ha`` (blank = 0): cost of :math:`z_{r,t}`
                            in ``budget[t]``
=================  =======  ==========================================================================

**Why this is a trade-off.**  Urban land demand can be met in two ways.  New urban land is a conversion: the old
use's biomass is lost at once and its soil carbon moves to the urban stock over the soil transition (stock-change
accounting), so each new hectare costs carbon.  Redevelopment leaves the land as it is (no carbon change) but costs
:math:`q` yuan per hectare against the period's budget, whose shadow price :math:`\\lambda_t` (t CO2e/yuan) is the
carbon the marginal yuan buys elsewhere (afforestation, grassland restoration, grazing bans).  The model redevelops
where :math:`q\\,\\lambda_t` is below the carbon a new hectare would cost — or where new land is not allowed: when
the urban development boundary, the construction cap or the new-land-per-resident rule binds, the demand above it is
met by redevelopment, and the shadow price of that binding row is what one more hectare of new land would save
(:math:`q\\,\\lambda_t` less the carbon the new hectare costs).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.model.blocks import Meaning, RowBlock, rows_from_column
from landopt.model.columns import Columns
from landopt.spec import ModelSpec

FAMILY = "redevelopment"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "redevelopment_limit": Meaning("inefficient construction land available for redevelopment", "存量低效建设用地可盘活规模",
                                   "ha of inefficient construction land to redevelop", "公顷可盘活低效建设用地", "ha"),
}
KEYS = ("region", "year")


def redevelop_terms(cols: Columns, rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Terms :math:`\\sum_{t' \\le t} z_{r,t'}` for every row (region, year): redevelopment up to the row's year."""
    z = cols.tables.get("redevelop")
    if z is None or z.empty or rows.empty:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    left = pd.DataFrame({"region": rows["region"].to_numpy(dtype=object), "year": rows["year"].to_numpy(dtype=np.int64),
                         "row": np.arange(len(rows), dtype=np.int64)})
    right = pd.DataFrame({"region": z["region"].to_numpy(dtype=object), "z_year": z["year"].to_numpy(dtype=np.int64),
                          "col": z["col"].to_numpy()})
    m = left.merge(right, on="region", how="inner")  # at most one z per (region, milestone): rows × milestones
    m = m[m["z_year"] <= m["year"]]
    return m["row"].to_numpy(dtype=np.int64), m["col"].to_numpy(dtype=np.int64), np.ones(len(m))


def redevelopment_limit_index(spec: ModelSpec) -> pd.DataFrame:
    return rows_from_column(spec.targets, "targets", "redevelopment_potential_ha", KEYS)


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    rows = redevelopment_limit_index(spec)
    return [RowBlock("redevelopment_limit", FAMILY, "<=", KEYS, rows, *redevelop_terms(cols, rows),
                     unit="ha", lever=CONSTRAINTS["redevelopment_limit"].lever)]

