"""PV per named clean-energy base 清洁能源基地 and a province-wide PV target (sheets ``energy_bases``,
``province_targets``).

``energy_base[r,t]`` — the PV capacity of a region covers the minimums of its named bases

.. math::

    k_{r,t} \\sum_{l \\in L^{pv}} x_{r,l,t} \\ \\ge\\ \\sum_{b \\in \\mathcal{B}_r} m_{b,t}

``pv_total[t]`` — the PV capacity of all regions together meets the province-wide target

.. math::

    \\sum_{r : (r,t) \\in E} k_{r,t} \\sum_{l \\in L^{pv}} x_{r,l,t} \\ \\ge\\ P_t

==================  =====  ======================================================================================
symbol              unit   meaning
==================  =====  ======================================================================================
:math:`k_{r,t}`     MW/ha  PV capacity density (``energy.pv_mw_per_ha``; :math:`E` = the (region, year) rows of
                           sheet ``energy``)
:math:`\\mathcal{B}_r` —    the bases of region *r* (sheet ``energy_bases``)
:math:`m_{b,t}`     MW     the base's ``min_mw`` on its row with the latest ``year`` :math:`\\le t` (a base
                           keeps its capacity once built; 0 before its first row)
:math:`P_t`         MW     ``province_targets.pv_capacity_min_mw`` (blank: no row)
==================  =====  ======================================================================================

One ``energy_base`` row per region and milestone where at least one of its bases has a row at or before that
milestone and sheet ``energy`` has the (region, year) row; its provenance is the contributing ``energy_bases`` row
listed last.  Where the PV goes beyond the bases' minimums is the model's choice, within each region's suitable land
(``pv_suitability``), the red line and basic grassland (family ``protection``: no PV from that land), the conversion
rules and the carbon each conversion costs.  The per-region target ``energy.clean_capacity_min_mw`` (family
``energy_sites``) remains possible as an input.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.model.blocks import Meaning, RowBlock, area_sum_terms, cat, provenance, role_sum_terms
from landopt.model.columns import Columns
from landopt.reader import ROW
from landopt.spec import ModelSpec

FAMILY = "energy_bases"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "energy_base": Meaning("PV capacity of the named clean-energy bases", "清洁能源基地光伏装机",
                           "MW of base PV capacity", "兆瓦基地光伏装机", "MW"),
    "pv_total": Meaning("province-wide PV capacity target", "全域光伏装机目标",
                        "MW of province-wide PV target", "兆瓦全域光伏装机目标", "MW"),
}


def base_requirements(spec: ModelSpec) -> pd.DataFrame:
    """Per (region, year) with at least one base built by then and an ``energy`` row: the sum of the bases'
    minimums (``rhs``), the density ``mw_per_ha`` and the provenance row; regions in ``regions`` order, years
    ascending."""
    eb, en = spec.energy_bases, spec.energy
    out = {"region": [], "year": [], ROW: [], "rhs": [], "mw_per_ha": []}
    if not eb.empty and not en.empty:
        density = dict(zip(zip(en["region"], en["year"].astype(int)), en["pv_mw_per_ha"].astype(float)))
        # a few rows per base: plain Python (a pandas filter and group per region and year cost ~1 ms each)
        by_region: dict[str, list[tuple[int, int, str, float, float]]] = {}
        for pos, (r, y, base, mw, row) in enumerate(zip(eb["region"], eb["year"].astype(int), eb["base"],
                                                        eb["min_mw"].astype(float), eb[ROW].astype(float))):
            by_region.setdefault(r, []).append((int(y), pos, base, float(mw), float(row)))
        for r in (r for r in spec.region_ids if r in by_region):  # regions order; only those with a base
            mine = sorted(by_region[r], key=lambda e: e[0])  # by year, stable
            for t in spec.years:
                upto = [e for e in mine if e[0] <= t]
                if not upto or (r, t) not in density:
                    continue
                latest: dict[str, tuple[int, float]] = {}  # each base's latest minimum (a later year replaces it)
                for _y, pos, base, mw, _row in upto:
                    latest[base] = (pos, mw)
                out["region"].append(r)
                out["year"].append(int(t))
                out[ROW].append(int(max(e[4] for e in upto if e[4] == e[4])))
                out["rhs"].append(float(sum(mw for _pos, mw in sorted(latest.values()))))
                out["mw_per_ha"].append(density[(r, t)])
    rows = pd.DataFrame(out)
    rows["year"] = rows["year"].astype(np.int64)
    return provenance(rows, "energy_bases", "min_mw")


def pv_total_index(spec: ModelSpec) -> pd.DataFrame:
    pt = spec.province_targets
    if pt.empty or "pv_capacity_min_mw" not in pt.columns:
        return provenance(pd.DataFrame({"year": [], ROW: [], "rhs": []}), "province_targets", "pv_capacity_min_mw")
    given = pt[pt["pv_capacity_min_mw"].notna()]
    rows = pd.DataFrame({"year": given["year"].to_numpy(dtype=np.int64), ROW: given[ROW].to_numpy(),
                         "rhs": given["pv_capacity_min_mw"].to_numpy(dtype=float)})
    return provenance(rows, "province_targets", "pv_capacity_min_mw")


def pv_total_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`\\sum_{r} k_{r,t} \\sum_{l \\in L^{pv}} x_{r,l,t}` over the ``energy`` rows of year *t*"""
    en = spec.energy
    pv = spec.land_uses_with_role("pv")
    parts = []
    for i, t in enumerate(rows["year"].tolist()):
        e = en[en["year"].astype(int) == int(t)]
        if e.empty:
            continue
        r, c, v = area_sum_terms(cols, e[["region", "year"]].reset_index(drop=True), pv,
                                 e["pv_mw_per_ha"].to_numpy(dtype=float))
        parts.append((np.full(len(r), i, dtype=np.int64), c, v))
    return cat(*parts)


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    b = base_requirements(spec)
    p = pv_total_index(spec)
    return [
        RowBlock("energy_base", FAMILY, ">=", ("region", "year"), b,
                 *role_sum_terms(spec, cols, b, ("pv",), b["mw_per_ha"].to_numpy(dtype=float)),
                 unit="MW", lever=CONSTRAINTS["energy_base"].lever),
        RowBlock("pv_total", FAMILY, ">=", ("year",), p, *pv_total_rule(spec, p, cols),
                 unit="MW", lever=CONSTRAINTS["pv_total"].lever),
    ]
