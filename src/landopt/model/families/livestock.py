"""Livestock layout 宜牧则牧: the region's total herd requirement, placed across prefectures by the model.

``livestock_total[t]``

.. math::

    \\sum_{r \\in R} s_{r,t} \\ \\ge\\ S^{tot}_t

=================  ====  ======================================================================
symbol             unit  meaning
=================  ====  ======================================================================
:math:`s_{r,t}`    SU    livestock of region *r* at milestone *t* (variables of the grazing balance)
:math:`S^{tot}_t`  SU    ``province_targets.livestock_min_su`` (blank or no row: no row here)
=================  ====  ======================================================================

Each prefecture stays within its own carrying capacity (``grazing_capacity``) and above its own floor
(``livestock_floor``, possibly lower than today's herd), so the model decides where the herd grazes: where it
costs least carbon — on productive grassland that need not be rested for recovery.  Regions without a grazing row
have no livestock.  A switched-off grazing balance leaves no livestock variables, and this row then cannot be met.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.model.blocks import Meaning, RowBlock, provenance
from landopt.model.columns import Columns
from landopt.reader import ROW
from landopt.spec import ModelSpec

FAMILY = "livestock_layout"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "livestock_total": Meaning("region-wide livestock requirement", "全区牲畜存栏总量要求",
                               "sheep unit of region-wide livestock", "个羊单位全区牲畜存栏", "SU"),
}


def livestock_total_index(spec: ModelSpec) -> pd.DataFrame:
    pt = spec.province_targets
    if pt.empty or "livestock_min_su" not in pt.columns:
        return provenance(pd.DataFrame({"year": [], ROW: [], "rhs": []}), "province_targets", "livestock_min_su")
    given = pt[pt["livestock_min_su"].notna()]
    rows = pd.DataFrame({"year": given["year"].to_numpy(dtype=np.int64), ROW: given[ROW].to_numpy(),
                         "rhs": given["livestock_min_su"].to_numpy(dtype=float)})
    return provenance(rows, "province_targets", "livestock_min_su")


def livestock_total_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`\\sum_r s_{r,t} \\ge S^{tot}_t`"""
    ls = cols.tables.get("livestock")
    if ls is None or ls.empty or rows.empty:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    row_of = pd.Series(np.arange(len(rows)), index=rows["year"].to_numpy())
    r = row_of.reindex(ls["year"].to_numpy()).to_numpy()
    keep = ~np.isnan(r)
    return r[keep].astype(np.int64), ls["col"].to_numpy()[keep], np.ones(int(keep.sum()))


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    rows = livestock_total_index(spec)
    return [RowBlock("livestock_total", FAMILY, ">=", ("year",), rows, *livestock_total_rule(spec, rows, cols),
                     unit="SU", lever=CONSTRAINTS["livestock_total"].lever)]
