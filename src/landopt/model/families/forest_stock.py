"""Forest growing stock 森林蓄积量: a tracked linear quantity, with a province-wide floor per milestone.

``forest_stock[t]``

The stock :math:`V_{r,t}` (m³) of region *r* at milestone *t* is linear in the plan's areas and conversions:

.. math::

    d_{r,t} = s_r + g_r\\,(t - t_0), \\qquad s_r = V^0_r / X^0_{r,F} \\ (0 \\text{ when } X^0_{r,F} = 0)

    V_{r,t} = d_{r,t} \\sum_{l \\in L^{F}} x_{r,l,t}
      + \\sum_{t' \\le t} \\sum_{(l,m):\\, l \\notin L^F,\\, m \\in L^F} \\big( h_r\\,(t - \\tau_{t'}) - d_{r,t} \\big)\\, y_{r,l\\to m,t'}

    \\sum_{r \\in R} V_{r,t} \\ \\ge\\ V^{min}_t

======================  ========  ==================================================================================
symbol                  unit      meaning
======================  ========  ==================================================================================
:math:`x_{r,l,t}`       ha        area of land use *l* in region *r* at milestone *t*
:math:`y_{r,l\\to m,t}` ha        area converted from *l* to *m* in the period ending at milestone *t*
:math:`L^{F}`           —         land uses with role ``forest``
:math:`V^0_r`           m³        ``regions.forest_stock_m3``: growing stock of the baseline forest (blank = 0)
:math:`X^0_{r,F}`       ha        baseline forest area :math:`\\sum_{l \\in L^F} X^0_{r,l}`
:math:`g_r`             m³/ha/yr  ``regions.forest_growth_m3_per_ha_yr``: net growth per ha of standing forest (blank = 0)
:math:`h_r`             m³/ha/yr  ``regions.young_forest_growth_m3_per_ha_yr``: growth per ha of new forest (blank = 0)
:math:`t_0`             yr        baseline year; :math:`\\tau_{t'}`: mid-point of the period ending at :math:`t'`
:math:`V^{min}_t`       m³        ``province_targets.forest_stock_min_m3`` (blank or no row: no row here)
======================  ========  ==================================================================================

The linear rule: standing forest (the forest of the baseline, less what leaves forest) holds a growing stock per
hectare that starts at the baseline mean :math:`s_r` and rises by :math:`g_r` every year; a hectare that leaves forest
takes that density with it.  New forest (converted into a forest use from any other use) starts at zero at the
middle of its period (as the carbon cohorts do) and grows at the young-stand rate :math:`h_r` to the milestone; it is
never counted at the standing density within the horizon.  With no conversion out of forest,
:math:`V_{r,t} = V^0_r + g_r (t - t_0) X^0_{r,F} + \\sum h_r (t - \\tau_{t'}) \\, y`: the stock only rises, so the
floor binds only when it asks for more than standing growth gives, and then it is met by new forest.
The right-hand side's unit is m³; its shadow price is the net removals one more m³ of required stock costs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.model.blocks import Meaning, RowBlock, area_sum_terms, cat, provenance
from landopt.model.columns import Columns
from landopt.model.families.flowsum import flow_sum_terms, pairs_between
from landopt.reader import ROW
from landopt.spec import ModelSpec

FAMILY = "forest_stock"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "forest_stock": Meaning("forest growing-stock target", "森林蓄积量目标", "m³ of required growing stock",
                            "立方米森林蓄积目标", "m³"),
}
PARAMS = ("forest_stock_m3", "forest_growth_m3_per_ha_yr", "young_forest_growth_m3_per_ha_yr")


def parameters(spec: ModelSpec) -> pd.DataFrame:
    """Per region: baseline stock V0 (m³), baseline forest X0 (ha), density s (m³/ha), growth g and young growth h."""
    reg = spec.regions.set_index("region")
    p = pd.DataFrame({c: (pd.to_numeric(reg[c]) if c in reg.columns else pd.Series(np.nan, index=reg.index))
                      .astype(float).fillna(0.0) for c in PARAMS}, index=reg.index)
    forest = spec.land_uses_with_role("forest")
    x0 = spec.baseline[spec.baseline["land_use"].isin(forest)].groupby("region")["area_ha"].sum()
    p["forest_ha"] = x0.reindex(p.index).fillna(0.0).to_numpy(dtype=float)
    p["density_m3_per_ha"] = np.where(p["forest_ha"] > 0, p["forest_stock_m3"] / p["forest_ha"].where(p["forest_ha"] > 0, 1.0), 0.0)
    return p


def stock_terms(spec: ModelSpec, cols: Columns, rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Terms of :math:`V_{r,t}` for every row (region, year) of ``rows``."""
    if rows.empty:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    p = parameters(spec)
    grid = cols.grid
    forest = spec.land_uses_with_role("forest")
    other = [u for u in grid.land_uses if u not in set(forest)]
    year = rows["year"].to_numpy(dtype=float)
    reg = rows["region"].to_numpy()
    d = p["density_m3_per_ha"].reindex(reg).to_numpy() + p["forest_growth_m3_per_ha_yr"].reindex(reg).to_numpy() \
        * (year - spec.baseline_year)
    h = p["young_forest_growth_m3_per_ha_yr"].reindex(reg).to_numpy()
    standing = area_sum_terms(cols, rows, forest, d)
    r, c, _v = flow_sum_terms(cols, rows, pairs_between(grid, other, forest), cumulative=True)
    starts = np.concatenate([[spec.baseline_year], np.asarray(spec.years[:-1], dtype=float)])
    mid = pd.Series((starts + np.asarray(spec.years, dtype=float)) / 2.0, index=list(spec.years))
    _fr, _p, t_code = grid.flow_codes(c)
    tau = mid.reindex(grid.years.to_numpy()[t_code]).to_numpy()
    new = (r, c, h[r] * (year[r] - tau) - d[r])
    return cat(standing, new)


def forest_stock_index(spec: ModelSpec) -> pd.DataFrame:
    """One row per milestone with a ``forest_stock_min_m3`` cell; rhs = that cell (m³)."""
    pt = spec.province_targets
    if pt.empty or "forest_stock_min_m3" not in pt.columns:
        return provenance(pd.DataFrame({"year": [], ROW: [], "rhs": []}), "province_targets", "forest_stock_min_m3")
    given = pt[pt["forest_stock_min_m3"].notna()]
    rows = pd.DataFrame({"year": given["year"].to_numpy(dtype=np.int64), ROW: given[ROW].to_numpy(),
                         "rhs": given["forest_stock_min_m3"].to_numpy(dtype=float)})
    return provenance(rows, "province_targets", "forest_stock_min_m3")


def forest_stock_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`\\sum_r V_{r,t} \\ge V^{min}_t` (the terms of every region's :math:`V_{r,t}`, summed into the year's row)"""
    regions = spec.region_ids
    R = len(regions)
    per_region = pd.DataFrame({"year": np.repeat(rows["year"].to_numpy(dtype=np.int64), R),
                               "region": np.tile(np.asarray(regions, dtype=object), len(rows))})
    r, c, v = stock_terms(spec, cols, per_region)
    return r // R if len(r) else r, c, v


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    rows = forest_stock_index(spec)
    return [RowBlock("forest_stock", FAMILY, ">=", ("year",), rows, *forest_stock_rule(spec, rows, cols),
                     unit="m3", lever=CONSTRAINTS["forest_stock"].lever)]


def result_tables(spec: ModelSpec, cols: Columns, x: np.ndarray, alloc: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``forest_stock``: the plan's growing stock per (region, milestone) — m³ and 亿m³ — from the linear rule above,
    with the baseline year's stock as its own row, and the province target where given (on every region's row)."""
    years = [spec.baseline_year, *spec.years]
    rows = pd.DataFrame({"region": np.repeat(np.asarray(spec.region_ids, dtype=object), len(spec.years)),
                         "year": np.tile(np.asarray(spec.years, dtype=np.int64), len(spec.region_ids))})
    r, c, v = stock_terms(spec, cols, rows)
    stock = np.bincount(r, weights=v * x[c], minlength=len(rows)) if len(r) else np.zeros(len(rows))
    p = parameters(spec)
    base = pd.DataFrame({"region": spec.region_ids, "year": spec.baseline_year,
                         "stock_m3": p["forest_stock_m3"].reindex(spec.region_ids).to_numpy()})
    out = pd.concat([base, rows.assign(stock_m3=stock)], ignore_index=True)
    out["stock_yi_m3"] = out["stock_m3"] / 1e8
    target = forest_stock_index(spec).set_index("year")["rhs"]
    out["province_min_m3"] = target.reindex(out["year"].to_numpy()).to_numpy()
    out["year"] = pd.Categorical(out["year"], categories=years, ordered=True)
    out = out.sort_values(["region", "year"]).reset_index(drop=True)
    out["year"] = out["year"].astype(np.int64)
    return {"forest_stock": out.set_index(["region", "year"])}
