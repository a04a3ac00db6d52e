"""Cropland protection 耕地保护: cropland stays at or above the red-line target.

``cropland_protection[r,t]``

.. math::

    \\sum_{l \\in L^{crop}} x_{r,l,t} \\ge C^{min}_{r,t}

==================  ====  =================================================================
symbol              unit  meaning
==================  ====  =================================================================
:math:`x_{r,l,t}`   ha    area of land use *l* in region *r* at milestone *t*
:math:`L^{crop}`    —     land uses with role ``cropland`` (sheet ``land_uses``)
:math:`C^{min}`     ha    cropland protection target 耕地保有量 (sheet ``targets``, column ``cropland_min_ha``)
==================  ====  =================================================================
"""

from __future__ import annotations

import pandas as pd

from landopt.model.blocks import Meaning, RowBlock, role_sum_terms, rows_from_column
from landopt.model.columns import Columns
from landopt.spec import ModelSpec

FAMILY = "cropland_protection"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "cropland_protection": Meaning("cropland red line", "耕地保有量（耕地保护红线）", "ha of cropland red line", "公顷耕地保有量", "ha"),
}


def cropland_protection_index(spec: ModelSpec) -> pd.DataFrame:
    """Rows: (region, year) with a cropland target."""
    return rows_from_column(spec.targets, "targets", "cropland_min_ha", ("region", "year"))


def cropland_protection_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`\\sum_{l \\in L^{crop}} x_{r,l,t} \\ge C^{min}_{r,t}`"""
    return role_sum_terms(spec, cols, rows, ("cropland",))


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    rows = cropland_protection_index(spec)
    return [RowBlock("cropland_protection", FAMILY, ">=", ("region", "year"), rows,
                     *cropland_protection_rule(spec, rows, cols), unit="ha", lever=CONSTRAINTS["cropland_protection"].lever)]
