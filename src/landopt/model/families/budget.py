"""Budget 资金约束: what the plan's public measures cost in each period stays within the period's budget.

``budget[t]``

.. math::

    \\sum_{r \\in R} \\sum_{(l,m) \\in P} c_{l,m}\\, y_{r,l\\to m,t} \\;+\\; \\sum_{r \\in R} k_{r,t}\\, \\Delta_t\\, b_{r,t}
      \\;+\\; \\sum_{r \\in R} q_{r,t}\\, z_{r,t} \\ \\le\\ M_t

=================  ============  ==================================================================
symbol             unit          meaning
=================  ============  ==================================================================
:math:`y`          ha            area converted in the period ending at milestone *t*
:math:`c_{l,m}`    yuan/ha       one-off cost of the conversion (``transitions.cost_yuan_per_ha``; blank = 0)
:math:`b_{r,t}`    ha            grassland under grazing ban or rest (grazing balance), held over the period
:math:`k_{r,t}`    yuan/ha/yr    ``grazing.rest_cost_yuan_per_ha_yr`` (禁牧补助; blank = 0)
:math:`\\Delta_t`   yr            length of the period ending at *t*
:math:`z_{r,t}`    ha            inefficient construction land redeveloped in the period (family ``redevelopment``)
:math:`q_{r,t}`    yuan/ha       ``targets.redevelopment_cost_yuan_per_ha`` (blank = 0)
:math:`M_t`        yuan          ``province_targets.budget_yuan`` (blank or no row: no budget row)
=================  ============  ==================================================================

With a budget the model must choose where to act: each yuan goes to the measure that removes the most carbon per
yuan, within every other requirement.  Costs borne by developers (construction, PV) are left at 0 in the shipped
data: the budget is public spending on land measures.  The same cost figures are reported for every plan.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.model.blocks import Meaning, RowBlock, cat, provenance
from landopt.model.columns import Columns
from landopt.reader import ROW
from landopt.spec import ModelSpec

FAMILY = "budget"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "budget": Meaning("public budget of the period", "时段公共财政投入上限", "yuan of budget", "元投入", "yuan"),
}


def period_lengths(spec: ModelSpec) -> pd.Series:
    """Length (years) of the period ending at each milestone."""
    starts = np.concatenate([[spec.baseline_year], np.asarray(spec.years[:-1])])
    return pd.Series(np.asarray(spec.years) - starts, index=list(spec.years), dtype=float)


def cost_coefficients(spec: ModelSpec, cols: Columns) -> np.ndarray:
    """Public cost (yuan) per unit of every column: conversion costs on flows, ban/rest cost × years on rested area,
    redevelopment cost on redeveloped area."""
    c = np.zeros(cols.n)
    grid, flow = cols.grid, cols.tables["flow"]
    if "cost_yuan_per_ha" in spec.transitions.columns:
        pair_cost = spec.transitions["cost_yuan_per_ha"].fillna(0.0).to_numpy(dtype=float)
        _r, p, _t = grid.flow_codes(flow["col"].to_numpy())
        c[flow["col"].to_numpy()] = pair_cost[p]
    rested = cols.tables.get("rested")
    if rested is not None and not rested.empty and "rest_cost_yuan_per_ha_yr" in spec.grazing.columns:
        k = spec.grazing.set_index(["region", "year"])["rest_cost_yuan_per_ha_yr"]
        per = k.reindex(pd.MultiIndex.from_frame(rested[["region", "year"]])).fillna(0.0).to_numpy(dtype=float)
        c[rested["col"].to_numpy()] = per * period_lengths(spec).reindex(rested["year"].to_numpy()).to_numpy()
    z = cols.tables.get("redevelop")
    if z is not None and not z.empty and "redevelopment_cost_yuan_per_ha" in spec.targets.columns:
        q = spec.targets.set_index(["region", "year"])["redevelopment_cost_yuan_per_ha"]
        c[z["col"].to_numpy()] = q.reindex(pd.MultiIndex.from_frame(z[["region", "year"]])).fillna(0.0).to_numpy(dtype=float)
    return c


def budget_index(spec: ModelSpec) -> pd.DataFrame:
    pt = spec.province_targets
    if pt.empty or "budget_yuan" not in pt.columns:
        return provenance(pd.DataFrame({"year": [], ROW: [], "rhs": []}), "province_targets", "budget_yuan")
    given = pt[pt["budget_yuan"].notna()]
    rows = pd.DataFrame({"year": given["year"].to_numpy(dtype=np.int64), ROW: given[ROW].to_numpy(),
                         "rhs": given["budget_yuan"].to_numpy(dtype=float)})
    return provenance(rows, "province_targets", "budget_yuan")


def budget_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`\\sum c\\,y + \\sum k\\,\\Delta\\,b \\le M_t`"""
    c = cost_coefficients(spec, cols)
    row_of = pd.Series(np.arange(len(rows)), index=rows["year"].to_numpy())
    parts = []
    for kind in ("flow", "rested", "redevelop"):
        t = cols.tables.get(kind)
        if t is None or t.empty or rows.empty:
            continue
        r = row_of.reindex(t["year"].to_numpy()).to_numpy()
        col = t["col"].to_numpy()
        keep = ~np.isnan(r) & (c[col] != 0)
        parts.append((r[keep].astype(np.int64), col[keep], c[col[keep]]))
    return cat(*parts) if parts else (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    rows = budget_index(spec)
    return [RowBlock("budget", FAMILY, "<=", ("year",), rows, *budget_rule(spec, rows, cols),
                     unit="yuan", lever=CONSTRAINTS["budget"].lever)]


def result_tables(spec: ModelSpec, cols: Columns, x: np.ndarray, alloc: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``costs``: public cost of the plan's measures by (region, period ending ``year``, measure), yuan — every
    conversion with a cost (measure ``from→to``), grazing ban/rest (measure ``grazing ban/rest``) and redevelopment
    (measure ``redevelopment of inefficient construction land``)."""
    c = cost_coefficients(spec, cols)
    parts = []
    flow = cols.tables["flow"]
    fc = flow["col"].to_numpy()
    f = flow.assign(cost_yuan=c[fc] * x[fc], area_ha=x[fc])
    f = f[f["cost_yuan"] > 1e-6]
    if not f.empty:
        parts.append(pd.DataFrame({"region": f["region"].to_numpy(), "year": f["year"].to_numpy(),
                                   "measure": (f["from_land_use"].astype(str) + "→" + f["to_land_use"].astype(str)).to_numpy(),
                                   "area_ha": f["area_ha"].to_numpy(), "cost_yuan": f["cost_yuan"].to_numpy()}))
    for kind, measure in (("rested", "grazing ban/rest"), ("redevelop", "redevelopment of inefficient construction land")):
        t = cols.tables.get(kind)
        if t is None or t.empty:
            continue
        tc = t["col"].to_numpy()
        r = t.assign(cost_yuan=c[tc] * x[tc], area_ha=x[tc])
        r = r[r["cost_yuan"] > 1e-6]
        if not r.empty:
            parts.append(pd.DataFrame({"region": r["region"].to_numpy(), "year": r["year"].to_numpy(),
                                       "measure": measure, "area_ha": r["area_ha"].to_numpy(),
                                       "cost_yuan": r["cost_yuan"].to_numpy()}))
    if not parts:
        return {"costs": pd.DataFrame(columns=["area_ha", "cost_yuan"],
                                      index=pd.MultiIndex.from_arrays([[], [], []], names=["region", "year", "measure"]))}
    return {"costs": pd.concat(parts, ignore_index=True).set_index(["region", "year", "measure"]).sort_index()}
