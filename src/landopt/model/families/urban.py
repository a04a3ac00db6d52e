"""Urban development boundary 城镇开发边界 and urban land demand.

``urban_boundary[r,t]`` — urban construction land stays inside the boundary

.. math::

    \\sum_{l \\in L^{urb}} x_{r,l,t} \\le B_{r,t}

``urban_demand[r,t]`` — enough urban land for the projected urban population

.. math::

    \\sum_{l \\in L^{urb}} x_{r,l,t} \\ge \\frac{N_{r,t} \\cdot a_{r,t}}{10\\,000}

=================  ==========  ===========================================================
symbol             unit        meaning
=================  ==========  ===========================================================
:math:`L^{urb}`    —           land uses with role ``urban``
:math:`B`          ha          urban development boundary (``targets.urban_boundary_ha``)
:math:`N`          persons     projected urban population (``targets.urban_population``)
:math:`a`          m²/person   urban construction land per capita (``targets.urban_land_per_capita_m2``)
=================  ==========  ===========================================================
"""

from __future__ import annotations

import pandas as pd

from landopt.model.blocks import Meaning, RowBlock, role_sum_terms, rows_from_column
from landopt.model.columns import Columns
from landopt.spec import ModelSpec

FAMILY = "urban_boundary"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "urban_boundary": Meaning("urban development boundary", "城镇开发边界", "ha of urban development boundary", "公顷城镇开发边界", "ha"),
    "urban_demand": Meaning("urban land demand", "城镇建设用地需求", "ha of urban land demand", "公顷城镇建设用地需求", "ha"),
}


def urban_boundary_index(spec: ModelSpec) -> pd.DataFrame:
    return rows_from_column(spec.targets, "targets", "urban_boundary_ha", ("region", "year"))


def urban_demand_index(spec: ModelSpec) -> pd.DataFrame:
    t = spec.targets.dropna(subset=["urban_population", "urban_land_per_capita_m2"])
    return rows_from_column(t, "targets", "urban_population", ("region", "year"),
                            lambda d: d["urban_population"] * d["urban_land_per_capita_m2"] / 1e4)


def urban_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`\\sum_{l \\in L^{urb}} x_{r,l,t}` (left-hand side of both constraints)"""
    return role_sum_terms(spec, cols, rows, ("urban",))


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    b = urban_boundary_index(spec)
    d = urban_demand_index(spec)
    return [
        RowBlock("urban_boundary", FAMILY, "<=", ("region", "year"), b, *urban_rule(spec, b, cols),
                 unit="ha", lever=CONSTRAINTS["urban_boundary"].lever),
        RowBlock("urban_demand", FAMILY, ">=", ("region", "year"), d, *urban_rule(spec, d, cols),
                 unit="ha", lever=CONSTRAINTS["urban_demand"].lever),
    ]
