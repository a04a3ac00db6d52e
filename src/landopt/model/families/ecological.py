"""Ecological floors: forest, wetland and basic grassland do not fall below their floors.

``forest_floor[r,t]``, ``wetland_floor[r,t]``, ``grassland_floor[r,t]``

.. math::

    \\sum_{l \\in L^{k}} x_{r,l,t} \\ge F^{k}_{r,t}, \\qquad k \\in \\{forest, wetland, grassland\\}

:math:`F^{k}_{r,t}` is the floor on sheet ``targets`` (``forest_min_ha``,
``wetland_min_ha``, ``grassland_min_ha``); where that cell is blank (or the
row is missing) and the setting ``no_net_loss`` is yes, the floor is the
baseline area :math:`\\sum_{l \\in L^k} X^0_{r,l}` (no net loss).

=================  ====  ===============================================
symbol             unit  meaning
=================  ====  ===============================================
:math:`L^{k}`      —     land uses with role *k*
:math:`F^{k}`      ha    floor
:math:`X^0`        ha    baseline area (sheet ``baseline``)
=================  ====  ===============================================
"""

from __future__ import annotations

import pandas as pd

from landopt.model.blocks import RowBlock, provenance, role_sum_terms
from landopt.model.columns import Columns
from landopt.reader import ROW
from landopt.spec import ModelSpec

FAMILY = "ecological_floors"
KINDS = (("forest", "forest_min_ha", "ha of forest floor"),
         ("wetland", "wetland_min_ha", "ha of wetland floor"),
         ("grassland", "grassland_min_ha", "ha of basic grassland floor"))


def floor_index(spec: ModelSpec, role: str, column: str) -> pd.DataFrame:
    """Rows: every (region, year) with a floor given, or implied by no net loss."""
    grid = pd.MultiIndex.from_product([spec.region_ids, list(spec.years)], names=["region", "year"]).to_frame(index=False)
    given = spec.targets[["region", "year", column, ROW]].dropna(subset=[column])
    rows = grid.merge(given, on=["region", "year"], how="left")
    rows = provenance(rows, "targets", column)
    rows["rhs"] = rows[column].astype(float)
    if spec.settings.get("no_net_loss", True):
        lus = spec.land_uses_with_role(role)
        b = spec.baseline[spec.baseline["land_use"].isin(lus)].groupby("region")["area_ha"].sum()
        implied = rows["rhs"].isna()
        rows.loc[implied, "rhs"] = rows.loc[implied, "region"].map(b).fillna(0.0).astype(float)
        rows.loc[implied, "sheet"] = "baseline"
        rows.loc[implied, "column"] = "area_ha (no net loss)"
        rows.loc[implied, ROW] = 0
    rows = rows[rows["rhs"].notna() & (rows["rhs"] > 0)].drop(columns=[column])
    return rows.reset_index(drop=True)


def floor_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns, role: str):
    """:math:`\\sum_{l \\in L^k} x_{r,l,t} \\ge F^k_{r,t}`"""
    return role_sum_terms(spec, cols, rows, (role,))


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    out = []
    for role, column, lever in KINDS:
        if not spec.land_uses_with_role(role):
            continue
        rows = floor_index(spec, role, column)
        out.append(RowBlock(f"{role}_floor", FAMILY, ">=", ("region", "year"), rows,
                            *floor_rule(spec, rows, cols, role), unit="ha", lever=lever))
    return out
