"""Farmland protection 耕地保护制度: permanent basic farmland, 占补平衡, 进出平衡 and the reserve for new cropland.

``basic_farmland[r,t]`` — permanent basic farmland 永久基本农田 never converts: conversions out of cropland, summed
from the baseline up to milestone *t*, leave at least the basic farmland

.. math::

    \\sum_{t' \\le t} \\sum_{l \\in L^{crop}} \\sum_{m \\notin L^{crop}} y_{r,l\\to m,t'}
    \\ \\le\\ \\sum_{l \\in L^{crop}} X^0_{r,l} - B_{r,t}

``cropland_supplement_limit[r,t]`` — new cropland 补充耕地 only on reserve land 耕地后备资源

.. math::

    \\sum_{t' \\le t} \\sum_{m \\notin L^{crop}} \\sum_{l \\in L^{crop}} y_{r,m\\to l,t'} \\ \\le\\ S_{r,t}

``cropland_offset[r,t]`` — 占补平衡: cropland taken for construction or PV in a period is replaced, in the same
period and region, by at least as much new cropland (only when ``settings.farmland_balance`` is ``region`` or
``province``; with ``province`` the row is ``cropland_offset[t]`` and both sums run over every region)

.. math::

    \\sum_{l \\in L^{crop}} \\sum_{m \\in L^{con} \\cup L^{pv}} y_{r,l\\to m,t}
    - \\sum_{m \\notin L^{crop}} \\sum_{l \\in L^{crop}} y_{r,m\\to l,t} \\ \\le\\ 0

``cropland_in_out[r,t]`` — 进出平衡: all cropland converted to other uses (forest, garden, grassland, … and the
construction part) since the baseline is balanced by new cropland, except the ecological retirement quota
生态退耕 (same switch and scope as ``cropland_offset``)

.. math::

    \\sum_{t' \\le t} \\Big( \\sum_{l \\in L^{crop}} \\sum_{m \\notin L^{crop}} y_{r,l\\to m,t'}
    - \\sum_{m \\notin L^{crop}} \\sum_{l \\in L^{crop}} y_{r,m\\to l,t'} \\Big) \\ \\le\\ Q_{r,t}

==================  ====  =========================================================================================
symbol              unit  meaning
==================  ====  =========================================================================================
:math:`y_{r,l\\to m,t}` ha  area converted from *l* to *m* in region *r* in the period ending at milestone *t*
:math:`X^0_{r,l}`   ha    baseline area (sheet ``baseline``)
:math:`L^{crop}`    —     land uses with role ``cropland``; :math:`L^{con}`: roles urban, rural, other_construction;
                          :math:`L^{pv}`: role pv
:math:`B_{r,t}`     ha    ``targets.basic_farmland_min_ha`` (blank: no row)
:math:`S_{r,t}`     ha    ``targets.supplementary_cropland_potential_ha``, cumulative to *t* (blank: no row)
:math:`Q_{r,t}`     ha    ``targets.eco_retirement_quota_ha``, cumulative to *t* (blank: 0 — no exemption)
==================  ====  =========================================================================================

``cropland_offset`` is per period (new cropland made earlier does not count); ``cropland_in_out`` is cumulative,
so a surplus of new cropland in an earlier period balances a later period's retirement.  Neither row is built when
no conversion out of cropland is allowed (sheet ``transitions``).  A row of ``cropland_offset`` and
``cropland_in_out`` is traced to the ``allowed`` cell of the first conversion it restricts (its right-hand side is
0 or the quota, traced to its targets cell when given).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.model.blocks import Meaning, RowBlock, cat, negative_terms, provenance, rows_from_column
from landopt.model.columns import Columns, take_ids
from landopt.model.families.flowsum import flow_sum_terms, pairs_between
from landopt.reader import ROW
from landopt.schema import CONSTRUCTION_ROLES
from landopt.spec import ModelSpec

FAMILY = "farmland"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "basic_farmland": Meaning("permanent basic farmland", "永久基本农田",
                              "ha of cropland outside permanent basic farmland", "公顷永久基本农田以外的耕地", "ha"),
    "cropland_supplement_limit": Meaning("reserve land for new cropland", "耕地后备资源（补充耕地潜力）",
                                         "ha of reserve land for new cropland", "公顷耕地后备资源", "ha"),
    "cropland_offset": Meaning("cropland offset (占补平衡)", "耕地占补平衡",
                               "ha of cropland taken for construction without replacement", "公顷未补充的建设占用耕地", "ha"),
    "cropland_in_out": Meaning("cropland in-out balance (进出平衡)", "耕地进出平衡（生态退耕指标）",
                               "ha of ecological retirement quota", "公顷生态退耕指标", "ha"),
}
KEYS = ("region", "year")


def _crop_codes(spec: ModelSpec, cols: Columns) -> tuple[list[str], list[str]]:
    crop = spec.land_uses_with_role("cropland")
    return crop, [u for u in cols.grid.land_uses if u not in set(crop)]


def basic_farmland_index(spec: ModelSpec) -> pd.DataFrame:
    """Rows: (region, year) with a basic farmland figure; rhs = baseline cropland − basic farmland."""
    crop = spec.land_uses_with_role("cropland")
    b = spec.baseline[spec.baseline["land_use"].isin(crop)].groupby("region")["area_ha"].sum()
    return rows_from_column(spec.targets, "targets", "basic_farmland_min_ha", KEYS,
                            lambda d: d["region"].map(b).astype(float).fillna(0.0)
                            - pd.to_numeric(d["basic_farmland_min_ha"]).astype(float))


def basic_farmland_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`\\sum_{t' \\le t} \\sum_{l \\in L^{crop}, m \\notin L^{crop}} y_{r,l\\to m,t'}`"""
    crop, other = _crop_codes(spec, cols)
    return flow_sum_terms(cols, rows, pairs_between(cols.grid, crop, other), cumulative=True)


def supplement_index(spec: ModelSpec) -> pd.DataFrame:
    return rows_from_column(spec.targets, "targets", "supplementary_cropland_potential_ha", KEYS)


def supplement_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`\\sum_{t' \\le t} \\sum_{m \\notin L^{crop}, l \\in L^{crop}} y_{r,m\\to l,t'}`"""
    crop, other = _crop_codes(spec, cols)
    return flow_sum_terms(cols, rows, pairs_between(cols.grid, other, crop), cumulative=True)


def balance_index(spec: ModelSpec, cols: Columns, restricted: np.ndarray, quota: bool) -> pd.DataFrame:
    """Rows of ``cropland_offset`` (``quota`` False, rhs 0) or ``cropland_in_out`` (rhs = the quota, blank = 0).

    One row per region and milestone (scope ``region``) or per milestone (scope ``province``); none when the
    balance is off or no conversion in ``restricted`` is allowed.
    """
    scope = spec.settings.get("farmland_balance") or "none"
    grid = cols.grid
    if scope == "none" or len(restricted) == 0:
        return provenance(pd.DataFrame({"region": [], "year": [], ROW: [], "rhs": []}), "transitions", "allowed")
    R, T = len(grid.regions), len(grid.years)
    first = spec.transitions[ROW].to_numpy()[restricted].min()  # the allowed cell of a restricted conversion
    rows = pd.DataFrame({"region": take_ids(grid.regions, np.repeat(np.arange(R), T)),
                         "year": np.tile(grid.years.to_numpy(), R)})
    rows[ROW] = int(first)
    rows["rhs"] = 0.0
    given = np.zeros(R * T, dtype=bool)
    if quota:
        q = spec.targets[spec.targets["eco_retirement_quota_ha"].notna()]
        reg, year = grid.region_codes(q["region"]), grid.year_codes(q["year"])
        known = (reg >= 0) & (year >= 0)
        at = reg[known] * T + year[known]
        rows.loc[at, "rhs"] = q["eco_retirement_quota_ha"].to_numpy(dtype=float)[known]
        rows.loc[at, ROW] = q[ROW].to_numpy()[known]
        given[at] = True
    rows["sheet"] = np.where(given, "targets", "transitions")
    rows["column"] = np.where(given, "eco_retirement_quota_ha", "allowed")
    if scope == "province":
        rows = rows.groupby("year", as_index=False, sort=False).agg(
            rhs=("rhs", "sum"), **{ROW: (ROW, "first"), "sheet": ("sheet", "first"), "column": ("column", "first")})
    return rows.reset_index(drop=True)


def balance_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns, out_pairs: np.ndarray, cumulative: bool):
    """:math:`\\sum (\\text{out of cropland}) - \\sum (\\text{into cropland})`, per period or cumulative"""
    crop, other = _crop_codes(spec, cols)
    return cat(flow_sum_terms(cols, rows, out_pairs, 1.0, cumulative),
               flow_sum_terms(cols, rows, pairs_between(cols.grid, other, crop), -1.0, cumulative))


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    crop, other = _crop_codes(spec, cols)
    taken = pairs_between(cols.grid, crop, spec.land_uses_with_role(*CONSTRUCTION_ROLES, "pv"))
    out = pairs_between(cols.grid, crop, other)
    b, s = basic_farmland_index(spec), supplement_index(spec)
    o, io = balance_index(spec, cols, taken, quota=False), balance_index(spec, cols, out, quota=True)
    keys = KEYS if "region" in o.columns else ("year",)
    io_keys = KEYS if "region" in io.columns else ("year",)
    offset = balance_rule(spec, o, cols, taken, cumulative=False)  # taken − supplemented ≤ 0: the supplement is the limit
    in_out = balance_rule(spec, io, cols, out, cumulative=True)  # out − in ≤ quota: the limit is quota + in
    return [
        RowBlock("basic_farmland", FAMILY, "<=", KEYS, b, *basic_farmland_rule(spec, b, cols),
                 unit="ha", lever=CONSTRAINTS["basic_farmland"].lever),
        RowBlock("cropland_supplement_limit", FAMILY, "<=", KEYS, s, *supplement_rule(spec, s, cols),
                 unit="ha", lever=CONSTRAINTS["cropland_supplement_limit"].lever),
        RowBlock("cropland_offset", FAMILY, "<=", keys, o, *offset, limit=negative_terms(offset),
                 unit="ha", lever=CONSTRAINTS["cropland_offset"].lever),
        RowBlock("cropland_in_out", FAMILY, "<=", io_keys, io, *in_out, limit=negative_terms(in_out),
                 unit="ha", lever=CONSTRAINTS["cropland_in_out"].lever),
    ]
