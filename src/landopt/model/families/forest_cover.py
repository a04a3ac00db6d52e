"""Forest cover 森林覆盖率: forest land of all regions together at least a share of their total area, per milestone.

``forest_cover[t]``

.. math::

    \\sum_{r \\in R} \\sum_{l \\in L^{forest}} x_{r,l,t} \\ \\ge\\ \\frac{P_t}{100} \\sum_{r \\in R} A_r

=================  =================  ==================================================================
symbol             unit               meaning
=================  =================  ==================================================================
:math:`x_{r,l,t}`  ha                 area of land use *l* in region *r* at milestone *t*
:math:`L^{forest}` —                  land uses with role ``forest``
:math:`P_t`        % of total area    ``province_targets.forest_cover_min_pct`` (blank or no row: no row here)
:math:`A_r`        ha                 region total area (``regions.total_area_ha``)
=================  =================  ==================================================================

It makes milestone timing real: whatever the objective rewards, forest cover must reach each milestone's target
by that milestone (Tibet: 12.31% in 2020 → 12.51% by 2025).  The right-hand side's unit is hectares of forest;
its shadow price is what one more hectare of required forest costs (or gains) in net removals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.model.blocks import Meaning, RowBlock, area_sum_terms, provenance
from landopt.model.columns import Columns
from landopt.reader import ROW
from landopt.spec import ModelSpec

FAMILY = "forest_cover"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "forest_cover": Meaning("forest-cover target", "森林覆盖率目标", "ha of required forest cover", "公顷森林覆盖目标", "ha",
                            input_step=("森林覆盖率每提高0.01个百分点", "0.01 percentage point of forest cover")),
}


def forest_cover_index(spec: ModelSpec) -> pd.DataFrame:
    """One row per milestone year with a forest-cover target; rhs = the target share × the total area (ha)."""
    pt = spec.province_targets
    if pt.empty or "forest_cover_min_pct" not in pt.columns:
        return provenance(pd.DataFrame({"year": [], ROW: [], "rhs": []}), "province_targets", "forest_cover_min_pct")
    given = pt[pt["forest_cover_min_pct"].notna()]
    total = float(spec.regions["total_area_ha"].sum())
    rows = pd.DataFrame({"year": given["year"].to_numpy(dtype=np.int64), ROW: given[ROW].to_numpy(),
                         "rhs": given["forest_cover_min_pct"].to_numpy(dtype=float) / 100.0 * total})
    rows["per_input"] = total / 1e4  # 0.01 percentage point of the target is total / 10⁴ ha of forest
    return provenance(rows, "province_targets", "forest_cover_min_pct")


def forest_cover_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`\\sum_r \\sum_{l \\in L^{forest}} x_{r,l,t} \\ge P_t/100 \\cdot \\sum_r A_r`"""
    regions = spec.region_ids
    R = len(regions)
    per_region = rows.loc[rows.index.repeat(R), ["year"]].reset_index(drop=True)
    per_region["region"] = np.tile(regions, len(rows))
    r, c, v = area_sum_terms(cols, per_region, spec.land_uses_with_role("forest"))
    return r // R if len(r) else r, c, v  # each (year, region) term belongs to its year's row


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    rows = forest_cover_index(spec)
    return [RowBlock("forest_cover", FAMILY, ">=", ("year",), rows, *forest_cover_rule(spec, rows, cols),
                     unit="ha", lever=CONSTRAINTS["forest_cover"].lever)]
