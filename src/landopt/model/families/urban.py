"""Urban development boundary 城镇开发边界, urban land demand and the per-capita caps 人均城镇建设用地.

``urban_boundary[r,t]`` — urban construction land stays inside the boundary

.. math::

    \\sum_{l \\in L^{urb}} x_{r,l,t} \\le B_{r,t}

``urban_demand[r,t]`` — enough urban land for the projected urban population, new or redeveloped

.. math::

    \\sum_{l \\in L^{urb}} x_{r,l,t} + \\sum_{t' \\le t} z_{r,t'} \\ge \\frac{N_{r,t} \\cdot a_{r,t}}{10\\,000}

``urban_per_capita_cap[r,t]`` — urban land per resident at most the cap

.. math::

    \\sum_{l \\in L^{urb}} x_{r,l,t} \\le \\frac{N_{r,t} \\cdot a^{max}_{r,t}}{10\\,000}

``urban_new_land[r,t]`` — new urban land at most the growth of the urban population × the standard for new land
(milestones after the first, where the previous milestone's population is given too)

.. math::

    \\sum_{l \\in L^{urb}} x_{r,l,t} - \\sum_{l \\in L^{urb}} x_{r,l,t-1}
      \\le \\frac{\\max(N_{r,t} - N_{r,t-1},\\ 0) \\cdot a^{new}_{r,t}}{10\\,000}

``urban_site[r,l,t]`` — 城镇开发边界内现状用地: new urban land is built inside the boundary, so what land use *l*
gives to urban land, summed from the baseline up to milestone *t*, is at most the area of *l* lying inside the
boundary at the baseline (rows only where ``protected_land.in_urban_boundary_ha`` is given)

.. math::

    \\sum_{t' \\le t} \\sum_{m \\in L^{urb}} y_{r,l\\to m,t'} \\le U_{r,l}

=================  ==========  ===========================================================
symbol             unit        meaning
=================  ==========  ===========================================================
:math:`L^{urb}`    —           land uses with role ``urban``
:math:`B`          ha          urban development boundary (``targets.urban_boundary_ha``)
:math:`N`          persons     projected urban population (``targets.urban_population``)
:math:`a`          m²/person   urban construction land per capita (``targets.urban_land_per_capita_m2``)
:math:`z_{r,t}`    ha          inefficient construction land redeveloped in the period ending at *t*
                               (family ``redevelopment``; none when it is off or has no rows)
:math:`a^{max}`    m²/person   per-capita cap (``targets.urban_land_per_capita_max_m2``; blank: no row)
:math:`a^{new}`    m²/person   new urban land per new resident (``targets.new_urban_land_per_capita_m2``;
                               blank: no row); :math:`t-1` is the previous milestone
:math:`y`          ha          area converted from *l* to *m* in region *r* in the period ending at *t*
                               (:math:`y_{r,l\\to m,t}`)
:math:`U_{r,l}`    ha          baseline area of land use *l* inside the urban development boundary
                               (``protected_land.in_urban_boundary_ha``; blank or no row: no ``urban_site`` row)
=================  ==========  ===========================================================

The sites make *where* the town grows a trade-off: where the boundary holds too little unused and sandy land for the
demand, the town takes cropland (which 占补平衡 and 进出平衡 then make the plan replace, at the budget's cost and
within the reserve for new cropland) or grassland (which loses more carbon), or redevelops inefficient land.
The caps make the boundary and the demand a real trade-off: where the demand rises faster than new land may, the
rest is met by redeveloping inefficient land (costed against the budget), and the binding cap's shadow price is what
one more hectare of new land would save.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.model.blocks import Meaning, RowBlock, cat, role_sum_terms, rows_from_column
from landopt.model.columns import Columns
from landopt.model.families.flowsum import pairs_between
from landopt.model.families.protection import protected_index, protected_rule
from landopt.model.families.redevelopment import redevelop_terms
from landopt.reader import ROW
from landopt.spec import ModelSpec

FAMILY = "urban_boundary"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "urban_boundary": Meaning("urban development boundary", "城镇开发边界", "ha of urban development boundary", "公顷城镇开发边界", "ha"),
    "urban_demand": Meaning("urban land demand", "城镇建设用地需求", "ha of urban land demand", "公顷城镇建设用地需求", "ha"),
    "urban_per_capita_cap": Meaning("per-capita urban land cap", "人均城镇建设用地上限",
                                    "ha of urban land allowed by the per-capita cap", "公顷人均标准允许的城镇建设用地", "ha",
                                    input_step=("人均标准每提高1平方米", "1 m² per person of the standard")),
    "urban_site": Meaning("land inside the urban development boundary", "城镇开发边界内现状用地",
                          "ha of this land use inside the urban development boundary", "公顷城镇开发边界内该地类现状面积", "ha"),
    "urban_new_land": Meaning("new-urban-land allowance (new residents × standard)", "新增城镇建设用地上限（新增人口×人均标准）",
                              "ha of new urban land allowed by population growth", "公顷人口增长允许的新增城镇建设用地", "ha"),
}
KEYS = ("region", "year")
SITE_KEYS = ("region", "land_use", "year")


def urban_boundary_index(spec: ModelSpec) -> pd.DataFrame:
    return rows_from_column(spec.targets, "targets", "urban_boundary_ha", KEYS)


def urban_demand_index(spec: ModelSpec) -> pd.DataFrame:
    t = spec.targets.dropna(subset=["urban_population", "urban_land_per_capita_m2"])
    return rows_from_column(t, "targets", "urban_population", KEYS,
                            lambda d: d["urban_population"] * d["urban_land_per_capita_m2"] / 1e4)


def urban_per_capita_cap_index(spec: ModelSpec) -> pd.DataFrame:
    t = spec.targets.dropna(subset=["urban_population"])
    rows = rows_from_column(t, "targets", "urban_land_per_capita_max_m2", KEYS,
                            lambda d: d["urban_population"] * d["urban_land_per_capita_max_m2"] / 1e4)
    # one m² per person more of the standard is population / 10⁴ ha more of the cap
    pop = t.set_index(["region", "year"])["urban_population"]
    rows["per_input"] = pop.reindex(pd.MultiIndex.from_frame(rows[["region", "year"]])).to_numpy(dtype=float) / 1e4
    return rows


def urban_new_land_index(spec: ModelSpec) -> pd.DataFrame:
    """Rows for milestones after the first with the standard given and the population at this and the previous
    milestone given; the ``prev_year`` column names the previous milestone."""
    years = list(spec.years)
    prev = dict(zip(years[1:], years[:-1]))
    tg = spec.targets
    pop = tg.set_index(["region", "year"])["urban_population"]
    t = tg[tg["new_urban_land_per_capita_m2"].notna() & tg["urban_population"].notna()
           & tg["year"].isin(list(prev))].copy()
    t["prev_year"] = t["year"].map(prev).astype(np.int64)
    before = pop.reindex(pd.MultiIndex.from_arrays([t["region"], t["prev_year"]])).to_numpy(dtype=float)
    t = t[~np.isnan(before)].assign(prev_pop=before[~np.isnan(before)])
    rows = rows_from_column(t, "targets", "new_urban_land_per_capita_m2", KEYS,
                            lambda d: np.maximum(d["urban_population"] - d["prev_pop"], 0.0)
                            * d["new_urban_land_per_capita_m2"] / 1e4)
    rows["prev_year"] = t["prev_year"].to_numpy()
    return rows


def urban_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`\\sum_{l \\in L^{urb}} x_{r,l,t}` (left-hand side of the boundary and the per-capita cap)"""
    return role_sum_terms(spec, cols, rows, ("urban",))


def urban_demand_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`\\sum_{l \\in L^{urb}} x_{r,l,t} + \\sum_{t' \\le t} z_{r,t'}`"""
    return cat(urban_rule(spec, rows, cols), redevelop_terms(cols, rows))


def urban_new_land_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`\\sum_{l \\in L^{urb}} x_{r,l,t} - \\sum_{l \\in L^{urb}} x_{r,l,t-1}`"""
    before = pd.DataFrame({"region": rows["region"].to_numpy(), "year": rows["prev_year"].to_numpy(),
                           ROW: rows[ROW].to_numpy()})
    return cat(urban_rule(spec, rows, cols), role_sum_terms(spec, cols, before, ("urban",), -1.0))


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    b = urban_boundary_index(spec)
    d = urban_demand_index(spec)
    c = urban_per_capita_cap_index(spec)
    n = urban_new_land_index(spec)
    into_urban = pairs_between(cols.grid, list(cols.grid.land_uses), spec.land_uses_with_role("urban"))
    s = protected_index(spec, cols, "in_urban_boundary_ha", into_urban, less_baseline=False)
    return [
        RowBlock("urban_boundary", FAMILY, "<=", KEYS, b, *urban_rule(spec, b, cols),
                 unit="ha", lever=CONSTRAINTS["urban_boundary"].lever),
        RowBlock("urban_demand", FAMILY, ">=", KEYS, d, *urban_demand_rule(spec, d, cols),
                 unit="ha", lever=CONSTRAINTS["urban_demand"].lever),
        RowBlock("urban_per_capita_cap", FAMILY, "<=", KEYS, c, *urban_rule(spec, c, cols),
                 unit="ha", lever=CONSTRAINTS["urban_per_capita_cap"].lever),
        RowBlock("urban_new_land", FAMILY, "<=", KEYS, n, *urban_new_land_rule(spec, n, cols),
                 unit="ha", lever=CONSTRAINTS["urban_new_land"].lever),
        RowBlock("urban_site", FAMILY, "<=", SITE_KEYS, s, *protected_rule(spec, s, cols, into_urban),
                 unit="ha", lever=CONSTRAINTS["urban_site"].lever),
    ]
