"""Checks of the plan's protection inputs (issue #13 part A): sheet ``protected_land`` and the targets columns
``basic_farmland_min_ha``, ``eco_retirement_quota_ha``, ``supplementary_cropland_potential_ha`` and
``construction_max_ha``.

Each check names the sheet, row, column and value, and says what was expected; a protected area larger than the
land it protects would make the plan infeasible, so it is an error here rather than an infeasibility later.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.reader import ROW, RawWorkbook
from landopt.schema import CONSTRUCTION_ROLES
from landopt.validate.cells import Checker, column_zh, floats
from landopt.validate.cross import role_zh

#: targets columns of the farmland family -> the role they constrain
FARMLAND_COLUMNS = ("basic_farmland_min_ha", "eco_retirement_quota_ha", "supplementary_cropland_potential_ha")


def _ids(df: pd.DataFrame, column: str) -> list[str]:
    return [v for v in df[column].tolist() if isinstance(v, str) and v]


def check_protection(ck: Checker, raw: RawWorkbook, t: dict[str, pd.DataFrame]) -> None:
    """Every check of the protection inputs; problems (and warnings) go to ``ck``."""
    regions, land_uses, base, tg = t["regions"], t["land_uses"], t["baseline"], t["targets"]
    region_ids, lu_ids = _ids(regions, "region"), _ids(land_uses, "land_use")
    roles = dict(zip(land_uses["land_use"].tolist(), land_uses["role"].tolist()))
    roles_known = bool(lu_ids) and bool(land_uses["role"].notna().all())
    # baseline area by (region, land use) and by (region, role); a blank or invalid cell is reported already
    b = base.dropna(subset=["region", "land_use", "area_ha"])
    unsure = set(base.loc[base["area_ha"].isna(), "region"])  # a region whose baseline is incomplete: no sums
    crop, cap = floats(tg["basic_farmland_min_ha"]), floats(tg["construction_max_ha"])
    # the (region, land use) lookups are made only when a sheet needs them (at 1e6 variables they cost seconds)
    need_area = not t["protected_land"].empty or not (np.isnan(crop).all() and np.isnan(cap).all())
    area = ({(r, l): float(a) for r, l, a in zip(b["region"].tolist(), b["land_use"].tolist(),
                                                 floats(b["area_ha"]).tolist())} if need_area else {})

    pl = t["protected_land"]
    if not pl.empty:
        base_row = dict(zip(zip(b["region"].tolist(), b["land_use"].tolist()), b[ROW].tolist()))
        if region_ids:
            ck.refs("protected_land", pl, "region", region_ids, "regions")
        if lu_ids:
            ck.refs("protected_land", pl, "land_use", lu_ids, "land_uses")
        for column, what, what_zh in (("redline_ha", "inside the ecological protection red line", "生态保护红线内面积"),
                                      ("basic_grassland_ha", "basic grassland", "基本草原面积"),
                                      ("in_urban_boundary_ha", "inside the urban development boundary",
                                       "城镇开发边界内面积")):
            v = floats(pl[column])
            for i in np.flatnonzero(~np.isnan(v)).tolist():
                reg, lu, row = pl["region"].iloc[i], pl["land_use"].iloc[i], int(pl[ROW].iloc[i])
                if column == "basic_grassland_ha" and roles_known and lu in roles and roles[lu] != "grassland":
                    ck.add("protected_land", row, column, pl[column].iloc[i],
                           (f"基本草原仅适用于角色为{role_zh('grassland')}的地类；地类“{lu}”的角色为{role_zh(roles[lu])}，"
                            f"请将此单元格留空",
                            f"basic grassland applies to land uses with role 'grassland' only; '{lu}' has role "
                            f"'{roles[lu]}' (leave the cell blank)"))
                    continue
                if reg in unsure or lu not in roles or reg not in region_ids:
                    continue
                have = area.get((reg, lu), 0.0)
                if v[i] > have * (1 + 1e-9) + 1e-9:
                    where = (f"{raw.location('baseline')}, row {base_row[(reg, lu)]}" if (reg, lu) in base_row
                             else f"no row on {raw.location('baseline')}")
                    where_zh = (f"见{raw.location_zh('baseline')}第 {base_row[(reg, lu)]} 行" if (reg, lu) in base_row
                                else f"{raw.location_zh('baseline')}中没有该区域该地类的行")
                    ck.add("protected_land", row, column, pl[column].iloc[i],
                           (f"{what_zh}不能超过区域“{reg}”基期地类“{lu}”的面积（{have:,.1f} 公顷，{where_zh}）",
                            f"the area {what} cannot exceed the baseline {lu} of region '{reg}' ({have:,.1f} ha; "
                            f"{where})"))

    if tg.empty:
        return
    role_area: dict[tuple[str, str], float] = {}
    for (reg, lu), a in area.items():
        key = (reg, roles.get(lu) or "")
        role_area[key] = role_area.get(key, 0.0) + a
    for i in np.flatnonzero(~np.isnan(crop)).tolist():
        reg = tg["region"].iloc[i]
        if not roles_known or reg in unsure or reg not in region_ids or "cropland" not in roles.values():
            continue
        have = role_area.get((reg, "cropland"), 0.0)
        if crop[i] > have * (1 + 1e-9) + 1e-9:
            ck.add("targets", int(tg[ROW].iloc[i]), "basic_farmland_min_ha", tg["basic_farmland_min_ha"].iloc[i],
                   (f"永久基本农田是基期耕地的一部分，不能超过区域“{reg}”的基期耕地面积（{have:,.1f} 公顷，"
                    f"见{raw.location_zh('baseline')}）",
                    f"permanent basic farmland is part of the baseline cropland, which is {have:,.1f} ha in "
                    f"region '{reg}' ({raw.location('baseline')}); expected at most that"))
    needs = [(c, "cropland") for c in FARMLAND_COLUMNS] + [("construction_max_ha", "urban")]
    present = set(roles.values())
    for column, role in needs:
        given = tg[column].notna()
        ok = role in present if role == "cropland" else bool(present & set(CONSTRUCTION_ROLES))
        if roles_known and given.any() and not ok:
            what = f"role '{role}'" if role == "cropland" else "a construction role (" + ", ".join(CONSTRUCTION_ROLES) + ")"
            what_zh = (f"角色为{role_zh(role)}的地类" if role == "cropland"
                       else "建设用地（角色为 " + "、".join(CONSTRUCTION_ROLES) + " 之一的地类）")
            ck.add("targets", int(tg.loc[given, ROW].iloc[0]), column, None,
                   (f"本列约束{what_zh}，但{raw.location_zh('land_uses')}中没有{'该角色的' if role == 'cropland' else '这类'}地类",
                    f"no land use on {raw.location('land_uses')} has {what}, which this column constrains"))
    for i in np.flatnonzero(~np.isnan(cap)).tolist():
        reg = tg["region"].iloc[i]
        if not roles_known or reg in unsure or reg not in region_ids:
            continue
        have = sum(role_area.get((reg, r), 0.0) for r in CONSTRUCTION_ROLES)
        if cap[i] < have * (1 - 1e-9):
            ck.warn("targets", int(tg[ROW].iloc[i]), "construction_max_ha", float(cap[i]),
                    (f"低于区域“{reg}”的基期建设用地面积（{have:,.1f} 公顷）：只有在{raw.location_zh('transitions')}"
                     f"中允许建设用地转为其他地类时，才能满足该上限",
                     f"below the baseline construction land of region '{reg}' ({have:,.1f} ha): the cap can only be "
                     f"met if construction land may convert to other uses ({raw.location('transitions')})"))
    _check_boundary_overlaps(ck, raw, t, area, role_area, roles, unsure)


def _check_boundary_overlaps(ck: Checker, raw: RawWorkbook, t: dict[str, pd.DataFrame], area: dict,
                             role_area: dict[tuple[str, str], float], roles: dict, unsure: set) -> None:
    """三区三线 do not overlap: land inside the urban development boundary (``protected_land.in_urban_boundary_ha``) is
    neither red-line land nor permanent basic farmland.  A figure that only fits by overlapping is a warning."""
    pl, tg = t["protected_land"], t["targets"]
    if pl.empty or "in_urban_boundary_ha" not in pl.columns:
        return
    site, red = floats(pl["in_urban_boundary_ha"]), floats(pl["redline_ha"])
    bf = floats(tg["basic_farmland_min_ha"]) if not tg.empty else np.empty(0)
    farm: dict[str, float] = {}  # region -> its largest permanent basic farmland
    for i in np.flatnonzero(~np.isnan(bf)).tolist():
        reg = tg["region"].iloc[i]
        farm[reg] = max(farm.get(reg, 0.0), float(bf[i]))
    for i in np.flatnonzero(~np.isnan(site)).tolist():
        reg, lu, row = pl["region"].iloc[i], pl["land_use"].iloc[i], int(pl[ROW].iloc[i])
        if reg in unsure or (reg, lu) not in area:
            continue
        have = area[(reg, lu)]
        if not np.isnan(red[i]) and site[i] > have - red[i] + 1e-9 * max(1.0, have):
            ck.warn("protected_land", row, "in_urban_boundary_ha", float(site[i]),
                    (f"超过区域“{reg}”生态保护红线外的地类“{lu}”面积（{have:,.1f} − {red[i]:,.1f} = {have - red[i]:,.1f} "
                     f"公顷）：城镇开发边界将与生态保护红线重叠",
                     f"more than the {lu} of region '{reg}' outside the ecological protection red line ({have:,.1f} − "
                     f"{red[i]:,.1f} = {have - red[i]:,.1f} ha): the urban development boundary would hold red-line land"))
        if roles.get(lu) == "cropland" and reg in farm:
            free = role_area.get((reg, "cropland"), 0.0) - farm[reg]
            if site[i] > free + 1e-9 * max(1.0, have):
                ck.warn("protected_land", row, "in_urban_boundary_ha", float(site[i]),
                        (f"超过区域“{reg}”永久基本农田以外的耕地面积（{free:,.1f} 公顷，见{raw.location_zh('targets')}"
                         f"的“{column_zh('basic_farmland_min_ha')}”列）：城镇开发边界将与永久基本农田重叠",
                         f"more than the cropland of region '{reg}' outside its permanent basic farmland "
                         f"({free:,.1f} ha; {raw.location('targets')}, basic_farmland_min_ha): the urban development "
                         f"boundary would hold basic farmland"))
