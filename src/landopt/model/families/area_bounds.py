"""Area bounds: any land use kept within a given range in a region and year.

``area_min[r,l,t]`` and ``area_max[r,l,t]``

.. math::

    x_{r,l,t} \\ge \\underline{X}_{r,l,t}, \\qquad x_{r,l,t} \\le \\overline{X}_{r,l,t}

=========================  ====  ==============================================
symbol                     unit  meaning
=========================  ====  ==============================================
:math:`\\underline{X}`      ha    ``area_bounds.min_ha`` (e.g. transport land demand)
:math:`\\overline{X}`       ha    ``area_bounds.max_ha``
=========================  ====  ==============================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.model.blocks import Meaning, RowBlock, rows_from_column
from landopt.model.columns import Columns
from landopt.spec import ModelSpec

FAMILY = "area_bounds"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "area_min": Meaning("minimum area", "面积下限", "ha of minimum area", "公顷面积下限", "ha"),
    "area_max": Meaning("maximum area", "面积上限", "ha of maximum area", "公顷面积上限", "ha"),
}
KEYS = ("region", "land_use", "year")


def bound_index(spec: ModelSpec, column: str) -> pd.DataFrame:
    return rows_from_column(spec.area_bounds, "area_bounds", column, KEYS)


def bound_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`x_{r,l,t}`"""
    return np.arange(len(rows)), cols.grid.area_of(rows), np.ones(len(rows))


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    lo, hi = bound_index(spec, "min_ha"), bound_index(spec, "max_ha")
    return [
        RowBlock("area_min", FAMILY, ">=", KEYS, lo, *bound_rule(spec, lo, cols), unit="ha", lever=CONSTRAINTS["area_min"].lever),
        RowBlock("area_max", FAMILY, "<=", KEYS, hi, *bound_rule(spec, hi, cols), unit="ha", lever=CONSTRAINTS["area_max"].lever),
    ]
