"""Desertification control 防沙治沙: sandy land restored to vegetation reaches its target by every milestone.

``desertification_control[r,t]``

.. math::

    \\sum_{t' \\le t} \\sum_{l \\in L^{sandy}} \\sum_{m \\in L^{veg}} y_{r,l\\to m,t'} \\ \\ge\\ D_{r,t}

=======================  ====  ======================================================================================
symbol                   unit  meaning
=======================  ====  ======================================================================================
:math:`y_{r,l\\to m,t}`  ha    area converted from *l* to *m* in region *r* in the period ending at milestone *t*
:math:`L^{sandy}`        —     land uses with role ``sandy`` (沙化土地 that can be restored, 可治理沙化土地)
:math:`L^{veg}`          —     land uses with role ``grassland``, ``forest``, ``garden`` or ``wetland`` (vegetated uses;
                               degraded grassland does not count as restored)
:math:`D_{r,t}`          ha    ``targets.sandy_restoration_min_ha``: cumulative from the baseline year to *t*
                               (blank or no row: no row here)
=======================  ====  ======================================================================================

The restoration itself is an ordinary conversion (sheet ``transitions``: sandy → grassland by 沙化土地治理 and
grass planting, sandy → forest by shrub planting where suitable), with its own pace (``max_pct_per_period``), cost
(``cost_yuan_per_ha``, against the budget) and carbon (sheet ``carbon_stocks``).  The right-hand side's unit is
hectares restored; the shadow price is what one more hectare of required restoration costs in net removals
(negative when the target forces restoration that the budget would rather spend elsewhere).
"""

from __future__ import annotations

import numpy as np

from landopt.model.blocks import Meaning, RowBlock, rows_from_column
from landopt.model.columns import Columns
from landopt.model.families.flowsum import flow_sum_terms, pairs_between
from landopt.spec import ModelSpec

FAMILY = "desertification_control"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "desertification_control": Meaning("desertification-control target", "防沙治沙（沙化土地治理）目标",
                                       "ha of sandy land to restore", "公顷沙化土地治理任务", "ha"),
}
#: roles a restored hectare of sandy land may go to
VEGETATED_ROLES = ("grassland", "forest", "garden", "wetland")
KEYS = ("region", "year")


def restoration_pairs(spec: ModelSpec, cols: Columns) -> np.ndarray:
    """Codes of the allowed conversions from sandy land into a vegetated use."""
    return pairs_between(cols.grid, spec.land_uses_with_role("sandy"), spec.land_uses_with_role(*VEGETATED_ROLES))


def desertification_index(spec: ModelSpec):
    """One row per (region, year) with a ``sandy_restoration_min_ha`` cell; rhs = that cell (ha)."""
    return rows_from_column(spec.targets, "targets", "sandy_restoration_min_ha", KEYS)


def desertification_rule(spec: ModelSpec, rows, cols: Columns):
    """:math:`\\sum_{t' \\le t} \\sum_{l \\in L^{sandy}, m \\in L^{veg}} y_{r,l\\to m,t'}`"""
    return flow_sum_terms(cols, rows, restoration_pairs(spec, cols), cumulative=True)


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    if "sandy_restoration_min_ha" not in spec.targets.columns:
        return []
    rows = desertification_index(spec)
    return [RowBlock("desertification_control", FAMILY, ">=", KEYS, rows, *desertification_rule(spec, rows, cols),
                     unit="ha", lever=CONSTRAINTS["desertification_control"].lever)]
