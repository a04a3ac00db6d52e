"""Grass-livestock balance 草畜平衡: livestock within what the grazed grassland carries.

``grassland_split[r,t]`` — grassland is either grazed or under grazing ban / rest (identity)

.. math::

    g_{r,t} + b_{r,t} = \\sum_{l \\in L^{grass}} x_{r,l,t}

``grazing_capacity[r,t]`` — livestock at most the carrying capacity of the grazed grassland

.. math::

    s_{r,t} \\le g_{r,t} \\cdot \\frac{Y_{r,t}\\, u_{r,t}}{I_{r,t}}

``grazing_rest[r,t]`` — grazing-ban and rest area 禁牧/休牧 at least its minimum

.. math::

    b_{r,t} \\ge B^{min}_{r,t}

``livestock_floor[r,t]`` — enough livestock for herders' livelihoods

.. math::

    s_{r,t} \\ge S^{min}_{r,t}

=================  ==============  =============================================================
symbol             unit            meaning
=================  ==============  =============================================================
:math:`s`          SU              livestock, standard sheep units (45 kg sheep, NY/T 635-2015)
:math:`g`          ha              grazed grassland
:math:`b`          ha              grassland under grazing ban or rest
:math:`Y`          kg hay/ha/yr    forage yield (``grazing.forage_yield_kg_per_ha``)
:math:`u`          fraction        utilisation rate (``grazing.utilisation_rate``)
:math:`I`          kg hay/SU/yr    intake of one sheep unit (``grazing.intake_kg_per_su_yr``, 657)
:math:`B^{min}`    ha              ``grazing.rest_min_ha``
:math:`S^{min}`    SU              ``grazing.livestock_min_su``
=================  ==============  =============================================================

Variables exist only for (region, year) rows of sheet ``grazing``; switching
the family off removes livestock from the model (and with it the methane term).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.model.blocks import Meaning, RowBlock, cat, provenance, role_sum_terms, rows_from_column
from landopt.model.columns import Columns
from landopt.reader import ROW
from landopt.spec import ModelSpec

FAMILY = "grazing_balance"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "grassland_split": Meaning("grazed + rested = grassland identity", "放牧草地与禁牧休牧草地之和等于草地", "ha of grassland", "公顷草地", "ha"),
    "grazing_capacity": Meaning("grass–livestock balance", "草畜平衡（理论载畜量）", "sheep unit of carrying capacity", "个羊单位载畜能力", "SU"),
    "grazing_rest": Meaning("grazing-ban/rest area minimum", "禁牧休牧面积下限", "ha of required grazing ban/rest area", "公顷禁牧休牧面积", "ha"),
    "livestock_floor": Meaning("livestock floor", "牲畜存栏下限", "sheep unit of livestock floor", "个羊单位牲畜下限", "SU"),
}
KEYS = ("region", "year")


def capacity_per_ha(g: pd.DataFrame) -> np.ndarray:
    """Sheep units one hectare of grazed grassland carries: Y·u/I (SU/ha)."""
    return (g["forage_yield_kg_per_ha"] * g["utilisation_rate"] / g["intake_kg_per_su_yr"]).to_numpy(dtype=float)


def grassland_split_index(spec: ModelSpec) -> pd.DataFrame:
    rows = spec.grazing[["region", "year", ROW]].copy()
    rows["rhs"] = 0.0
    return provenance(rows, "grazing", "region")


def grassland_split_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`g_{r,t} + b_{r,t} - \\sum_{l \\in L^{grass}} x_{r,l,t} = 0`"""
    i = np.arange(len(rows))
    return cat((i, cols.lookup("grazed", rows), np.ones(len(rows))),
               (i, cols.lookup("rested", rows), np.ones(len(rows))),
               role_sum_terms(spec, cols, rows, ("grassland",), -1.0))


def grazing_capacity_index(spec: ModelSpec) -> pd.DataFrame:
    g = spec.grazing
    rows = g[["region", "year", ROW]].copy()
    rows["su_per_ha"] = capacity_per_ha(g)
    rows["rhs"] = 0.0
    return provenance(rows, "grazing", "forage_yield_kg_per_ha")


def grazing_capacity_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`s_{r,t} - g_{r,t}\\,Y u / I \\le 0`"""
    i = np.arange(len(rows))
    return cat((i, cols.lookup("livestock", rows), np.ones(len(rows))),
               (i, cols.lookup("grazed", rows), -rows["su_per_ha"].to_numpy()))


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    split = grassland_split_index(spec)
    cap = grazing_capacity_index(spec)
    rest = rows_from_column(spec.grazing, "grazing", "rest_min_ha", KEYS)
    floor = rows_from_column(spec.grazing, "grazing", "livestock_min_su", KEYS)
    one = lambda rows, kind: (np.arange(len(rows)), cols.lookup(kind, rows), np.ones(len(rows)))  # noqa: E731
    return [
        RowBlock("grassland_split", FAMILY, "==", KEYS, split, *grassland_split_rule(spec, split, cols),
                 unit="ha", lever=CONSTRAINTS["grassland_split"].lever, policy=False),
        RowBlock("grazing_capacity", FAMILY, "<=", KEYS, cap, *grazing_capacity_rule(spec, cap, cols),
                 unit="SU", lever=CONSTRAINTS["grazing_capacity"].lever),
        RowBlock("grazing_rest", FAMILY, ">=", KEYS, rest, *one(rest, "rested"),
                 unit="ha", lever=CONSTRAINTS["grazing_rest"].lever),
        RowBlock("livestock_floor", FAMILY, ">=", KEYS, floor, *one(floor, "livestock"),
                 unit="SU", lever=CONSTRAINTS["livestock_floor"].lever),
    ]
