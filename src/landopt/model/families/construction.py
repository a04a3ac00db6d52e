"""Total construction land 建设用地总规模: construction land stays within the plan's cap.

``construction_cap[r,t]``

.. math::

    \\sum_{l \\in L^{con}} x_{r,l,t} \\ \\le\\ C^{max}_{r,t}

=================  ====  ==========================================================================
symbol             unit  meaning
=================  ====  ==========================================================================
:math:`x_{r,l,t}`  ha    area of land use *l* in region *r* at milestone *t*
:math:`L^{con}`    —     land uses with role urban, rural or other_construction (城乡建设用地 + 区域基础设施等)
:math:`C^{max}`    ha    ``targets.construction_max_ha`` (blank: no row)
=================  ====  ==========================================================================

PV land is not counted: under 自然资办发〔2023〕12号 the PV array on unused land or grassland keeps its land
class (only substations and access roads are construction land, which the model does not separate), so the
cap covers the three construction roles only.  The cap and the urban boundary both bound urban land; when
the urban demand, rural land and other construction land add up to the cap, the cap binds and its shadow
price says what one more hectare of total construction land would gain in net removals.
"""

from __future__ import annotations

import pandas as pd

from landopt.model.blocks import Meaning, RowBlock, role_sum_terms, rows_from_column
from landopt.model.columns import Columns
from landopt.schema import CONSTRUCTION_ROLES
from landopt.spec import ModelSpec

FAMILY = "construction_cap"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "construction_cap": Meaning("total construction land cap", "建设用地总规模", "ha of total construction land",
                                "公顷建设用地总规模", "ha"),
}


def construction_cap_index(spec: ModelSpec) -> pd.DataFrame:
    return rows_from_column(spec.targets, "targets", "construction_max_ha", ("region", "year"))


def construction_cap_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`\\sum_{l \\in L^{con}} x_{r,l,t}`"""
    return role_sum_terms(spec, cols, rows, CONSTRUCTION_ROLES)


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    rows = construction_cap_index(spec)
    return [RowBlock("construction_cap", FAMILY, "<=", ("region", "year"), rows,
                     *construction_cap_rule(spec, rows, cols), unit="ha", lever=CONSTRAINTS["construction_cap"].lever)]
