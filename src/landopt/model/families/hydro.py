"""Land footprint of hydropower projects 水电工程用地 (sheet ``hydro_projects``): scheduled conversions.

``hydro_inundation[r,t]`` — once the workbook lists a reservoir, land converts into water only as the reservoirs
scheduled for the period flood it, in every region

.. math::

    \\sum_{(l,w) \\in P : w \\in L^{wat}} y_{r,l\\to w,t} \\ =\\ \\sum_{p \\in \\mathcal{H}_{r,t}} I_p

``hydro_construction[r,t]`` — the dams, plants, roads and camps of the projects entering service in the period take
at least their area as new other construction land

.. math::

    \\sum_{(l,m) \\in P : m \\in L^{oc}} y_{r,l\\to m,t} \\ \\ge\\ \\sum_{p \\in \\mathcal{H}_{r,t}} C_p

====================  ====  ===================================================================================
symbol                unit  meaning
====================  ====  ===================================================================================
:math:`y_{r,l\\to m,t}` ha   area converted from *l* to *m* in region *r* in the period ending at milestone *t*
:math:`L^{wat}`       —     land uses with role water; :math:`L^{oc}`: role other_construction
:math:`\\mathcal{H}_{r,t}` — projects of region *r* whose ``year_in_service`` lies in the period ending at *t*
                            (after the previous milestone, or the baseline year, and at most *t*)
:math:`I_p`           ha    ``hydro_projects.inundated_ha`` (blank = 0)
:math:`C_p`           ha    ``hydro_projects.construction_ha`` (blank = 0)
====================  ====  ===================================================================================

Rows: ``hydro_inundation`` for every region and milestone as soon as one project (in any region, in service by the
target year) has a positive ``inundated_ha`` (right-hand side 0 where no reservoir is scheduled: no other flooding);
``hydro_construction`` for every (region, milestone) whose scheduled construction area is positive.  Provenance: the
project row listed last among those scheduled for the row (for a row with right-hand side 0: among all projects with
that area).  Projects after the target year have no row.

The model chooses from which land uses the land comes, among the allowed conversions (sheet ``transitions``) and
within the protection rows (family ``protection``: no construction from red-line land, no conversion of basic
grassland; reservoirs may flood red-line land, as major national projects may).  The carbon of these conversions is
counted by the stock-change accounting like any other conversion: the old use's biomass lost at once, its soil
moving to the new use's stock.  Hydro capacity itself counts in ``energy.other_clean_capacity_mw``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.model.blocks import Meaning, RowBlock, provenance
from landopt.model.columns import Columns
from landopt.model.families.flowsum import flow_sum_terms, pairs_between
from landopt.reader import ROW
from landopt.spec import ModelSpec

FAMILY = "hydro"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "hydro_inundation": Meaning("reservoir inundation of hydro projects", "水电工程水库淹没", "ha of reservoir inundation",
                                "公顷水库淹没", "ha"),
    "hydro_construction": Meaning("construction land of hydro projects", "水电工程枢纽及施工用地",
                                  "ha of hydro construction land", "公顷水电工程建设用地", "ha"),
}
KEYS = ("region", "year")


def period_of(spec: ModelSpec, year_in_service: np.ndarray) -> np.ndarray:
    """The milestone ending the period that contains each year (0 where after the target year)."""
    years = np.asarray(spec.years, dtype=np.int64)
    k = np.searchsorted(years, np.asarray(year_in_service, dtype=np.int64), side="left")
    return np.where(k < len(years), years[np.minimum(k, len(years) - 1)], 0)


def hydro_index(spec: ModelSpec, column: str, every_period: bool) -> pd.DataFrame:
    """Rows (region, year) with rhs = the scheduled area of ``column`` in the period; with ``every_period`` a row for
    every region and milestone as soon as any project has that area.  Regions in ``regions`` order, years ascending."""
    hp = spec.hydro_projects
    empty = provenance(pd.DataFrame({"region": pd.Series([], dtype=object), "year": pd.Series([], dtype=np.int64),
                                     ROW: [], "rhs": []}), "hydro_projects", column)
    if hp.empty:
        return empty
    area = hp[column].fillna(0.0).to_numpy(dtype=float)
    when = period_of(spec, hp["year_in_service"].to_numpy())
    listed = (area > 0) & (when > 0)
    if not listed.any():
        return empty
    regions = pd.Index(spec.region_ids)
    years = pd.Index(np.asarray(spec.years, dtype=np.int64))
    R, T = len(regions), len(years)
    r = regions.get_indexer(hp["region"].to_numpy(dtype=object))
    t = years.get_indexer(when)
    ok = listed & (r >= 0) & (t >= 0)
    rhs = np.zeros((R, T))
    np.add.at(rhs, (r[ok], t[ok]), area[ok])
    src = np.zeros((R, T), dtype=np.int64)  # provenance: the last-listed project scheduled for the row
    np.maximum.at(src, (r[ok], t[ok]), hp[ROW].to_numpy(dtype=np.int64)[ok])
    keep = np.ones((R, T), dtype=bool) if every_period else rhs > 0
    src = np.where(src > 0, src, int(hp.loc[listed, ROW].max()))
    ri, ti = np.nonzero(keep)
    rows = pd.DataFrame({"region": regions.to_numpy(dtype=object)[ri], "year": years.to_numpy()[ti],
                         ROW: src[ri, ti], "rhs": rhs[ri, ti]})
    return provenance(rows, "hydro_projects", column)


def hydro_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns, role: str):
    """:math:`\\sum y_{r,l\\to m,t}` over the allowed conversions into a land use of ``role``"""
    grid = cols.grid
    pairs = pairs_between(grid, list(grid.land_uses), spec.land_uses_with_role(role))
    return flow_sum_terms(cols, rows, pairs)


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    i = hydro_index(spec, "inundated_ha", every_period=True)
    c = hydro_index(spec, "construction_ha", every_period=False)
    return [
        RowBlock("hydro_inundation", FAMILY, "==", KEYS, i, *hydro_rule(spec, i, cols, "water"),
                 unit="ha", lever=CONSTRAINTS["hydro_inundation"].lever),
        RowBlock("hydro_construction", FAMILY, ">=", KEYS, c, *hydro_rule(spec, c, cols, "other_construction"),
                 unit="ha", lever=CONSTRAINTS["hydro_construction"].lever),
    ]
