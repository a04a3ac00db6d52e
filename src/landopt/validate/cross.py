"""Cross-sheet checks (ids, years, area sums, floors against totals, roles) and warnings for suspicious values."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from landopt.reader import ROW, RawWorkbook
from landopt.schema.base import ROLE_LABELS
from landopt.errors import zh_list
from landopt.validate.cells import Checker, column_zh, floats, show_value

SINK_ROLES = ("garden", "forest", "grassland", "wetland")

def role_zh(role: str) -> str:
    """'“forest”（林地）': a land-use role as a Chinese message names it (the id alone when it has no Chinese name)."""
    return f"“{role}”（{ROLE_LABELS[role][0]}）" if role in ROLE_LABELS else f"“{role}”"


def milestone_message(years) -> tuple[str, str]:
    """(Chinese, English) of a year that is not one of the milestone ``years``."""
    listed = ', '.join(map(str, years))
    return f"不是规划年份；应为下列之一：{zh_list(years)}", f"not a milestone year; expected one of: {listed}"


def cross_checks(ck: Checker, raw: RawWorkbook, t: dict[str, pd.DataFrame], settings: dict[str, Any]) -> None:
    """Every check that needs more than one cell; problems go to ``ck``."""
    years = settings["years"]
    regions, land_uses = t["regions"], t["land_uses"]
    # tolist: the same values as iterating, in bulk; a blank or invalid id cell (None/NaN) is reported already
    region_ids = [r for r in regions["region"].tolist() if isinstance(r, str) and r]
    lu_ids = [u for u in land_uses["land_use"].tolist() if isinstance(u, str) and u]
    for name, col, ids in (("regions", "region", region_ids), ("land_uses", "land_use", lu_ids)):
        df = raw.tables.get(name)
        if df is not None and col in df.columns and not ids:
            what_zh = "区域" if name == "regions" else "地类"
            ck.add(name, None, None, None, (f"未列出任何{what_zh}：请为每个{what_zh}填写一行",
                                            f"no {name.replace('_', ' ')} listed: add one row per {col.replace('_', ' ')}"))
    # ids can only be checked against a list that exists; a missing sheet or column is reported above
    if region_ids:
        for name in ("baseline", "carbon_by_region", "targets", "grazing", "energy", "area_bounds"):
            ck.refs(name, t[name], "region", region_ids, "regions")
        given = t["carbon_stocks"][t["carbon_stocks"]["region"].notna()]  # blank region = every region
        ck.refs("carbon_stocks", given, "region", region_ids, "regions")
    if lu_ids:
        for name in ("baseline", "carbon_by_region", "carbon_stocks", "area_bounds"):
            ck.refs(name, t[name], "land_use", lu_ids, "land_uses")
        ck.refs("transitions", t["transitions"], "from_land_use", lu_ids, "land_uses")
        ck.refs("transitions", t["transitions"], "to_land_use", lu_ids, "land_uses")
    if years:
        for name in ("targets", "province_targets", "grazing", "energy", "area_bounds"):
            y = floats(t[name]["year"])
            for i in np.flatnonzero(~np.isnan(y) & ~np.isin(y, years)).tolist():
                ck.add(name, int(t[name][ROW].iloc[i]), "year", t[name]["year"].iloc[i], milestone_message(years))
    tr = t["transitions"]
    for r, a, b in zip(tr[ROW], tr["from_land_use"], tr["to_land_use"]):
        if a is not None and a == b:
            ck.add("transitions", int(r), "to_land_use", b, ("转入地类与转出地类相同：地类不能转换为其自身",
                                                             "a land use cannot convert to itself"))
    ab = t["area_bounds"]
    lo_ab, hi_ab = floats(ab["min_ha"]), floats(ab["max_ha"])
    with np.errstate(invalid="ignore"):
        bad_ab = lo_ab > hi_ab  # False where either is blank (NaN)
    for i in np.flatnonzero(bad_ab).tolist():
        hi = show_value(ab['max_ha'].iloc[i])
        ck.add("area_bounds", int(ab[ROW].iloc[i]), "min_ha", ab["min_ha"].iloc[i],
               (f"大于同一行的“{column_zh('max_ha')}”（{hi} 公顷）；“{column_zh('min_ha')}”不得超过"
                f"“{column_zh('max_ha')}”",
                f"larger than max_ha on the same row ({hi} ha); min_ha must not exceed max_ha"))

    # baseline sums vs totals, floors vs totals
    base = t["baseline"]
    tol = settings.get("area_tolerance_pct") or 0.0
    totals = dict(zip(regions["region"].tolist(), regions["total_area_ha"].tolist()))
    reg_rows = dict(zip(regions["region"].tolist(), regions[ROW].tolist()))
    sums = base.dropna(subset=["area_ha"]).groupby("region")["area_ha"].sum().to_dict()
    # a region with a blank or invalid baseline area is already reported cell by cell; its sum would only mislead
    unsure = set(base.loc[base["area_ha"].isna(), "region"])
    for reg, total in totals.items():
        if reg is None or total != total or reg in unsure:
            continue
        s = float(sums.get(reg, 0.0))
        if total > 0 and abs(s - total) > tol / 100.0 * total + 1e-6:
            ratio = s / total
            apart = 50 <= ratio <= 200 or 0.005 <= ratio <= 0.02
            km2 = " — about 100× apart: is one of them in km² (1 km² = 100 ha)?" if apart else ""
            km2_zh = "；两者相差约 100 倍：是否其中之一误按平方公里填写（1 平方公里 = 100 公顷）？" if apart else ""
            ck.add("baseline", None, "area_ha", None,
                   (f"区域“{reg}”：基期各地类面积合计 {s:,.1f} 公顷，但其土地总面积（{raw.location_zh('regions')}第 "
                    f"{reg_rows[reg]} 行）为 {total:,.1f} 公顷，相差 {s - total:+,.1f} 公顷"
                    f"（{(s - total) / total * 100:+.3f}%），超过允许的面积容差 {tol:g}%{km2_zh}",
                    f"region '{reg}': baseline areas add up to {s:,.1f} ha but its total area ({raw.location('regions')}, row {reg_rows[reg]}) is "
                    f"{total:,.1f} ha — a gap of {s - total:+,.1f} ha ({(s - total) / total * 100:+.3f}%), more than the allowed {tol:g}%{km2}"))
    floor_cols = {
        "targets": ["cropland_min_ha", "forest_min_ha", "wetland_min_ha", "grassland_min_ha", "urban_boundary_ha",
                    "afforestation_potential_ha"],
        "grazing": ["rest_min_ha"],
        "energy": ["pv_suitable_ha"],
        "area_bounds": ["min_ha"],
    }
    # the region's total area next to every row (NaN where the region or its total is unknown)
    total_by_region = pd.Series({k: v for k, v in totals.items() if k is not None}, dtype=float)
    total_of = {name: floats(t[name]["region"].map(total_by_region)) for name in floor_cols}
    for name, cols in floor_cols.items():
        df, tot = t[name], total_of[name]
        for c in cols:
            v = floats(df[c])
            with np.errstate(invalid="ignore"):
                over = v > tot * (1 + 1e-9)  # False where either is NaN
            for i in np.flatnonzero(over).tolist():
                reg = df['region'].iloc[i]
                ck.add(name, int(df[ROW].iloc[i]), c, df[c].iloc[i],
                       (f"超过区域“{reg}”的土地总面积（{tot[i]:,.0f} 公顷）",
                        f"exceeds the total area of region '{reg}' ({tot[i]:,.0f} ha)"))
    tg = t["targets"]
    tot = total_of["targets"]
    floor_names = ("cropland", "forest", "wetland", "grassland")
    floor_zh = ("耕地", "林地", "湿地", "草地")
    floors = np.column_stack([floats(tg[f"{n}_min_ha"]) for n in floor_names]) if len(tg) else np.zeros((0, 4))
    sums = np.nansum(floors, axis=1)
    with np.errstate(invalid="ignore"):
        # each floor alone within the total (a single floor too large is reported above), together over it
        together = (sums > tot * (1 + 1e-9)) & np.all(np.isnan(floors) | (floors <= tot[:, None]), axis=1)
    for i in np.flatnonzero(together).tolist():
        vals = floors[i]
        parts = " + ".join(f"{n} {v:,.0f}" for n, v in zip(floor_names, vals) if v == v)
        parts_zh = " + ".join(f"{n} {v:,.0f}" for n, v in zip(floor_zh, vals) if v == v)
        reg = tg['region'].iloc[i]
        ck.add("targets", int(tg[ROW].iloc[i]), "cropland_min_ha", None,
               (f"耕地保有量与林地、湿地、草地面积下限合计 {sums[i]:,.0f} 公顷（{parts_zh}），"
                f"超过区域“{reg}”的土地总面积（{tot[i]:,.0f} 公顷）",
                f"the cropland, forest, wetland and grassland floors add up to {sums[i]:,.0f} ha ({parts}), "
                f"more than the total area of region '{reg}' ({tot[i]:,.0f} ha)"))
    pop, pc = floats(tg["urban_population"]), floats(tg["urban_land_per_capita_m2"])
    one_of = np.isnan(pop) != np.isnan(pc)
    with np.errstate(invalid="ignore"):
        demand = pop * pc / 1e4
        too_big = demand > tot  # False where any is NaN
    for i in np.flatnonzero(one_of | too_big).tolist():
        r = int(tg[ROW].iloc[i])
        if one_of[i]:
            ck.add("targets", r, "urban_land_per_capita_m2" if pop[i] == pop[i] else "urban_population", None,
                   (f"“{column_zh('urban_population')}”与“{column_zh('urban_land_per_capita_m2')}”须配套填写："
                    f"请同时填写或同时留空",
                    "urban_population and urban_land_per_capita_m2 go together: give both or neither"))
        if too_big[i]:
            reg = tg['region'].iloc[i]
            ck.add("targets", r, "urban_population", tg["urban_population"].iloc[i],
                   (f"城镇建设用地需求 {demand[i]:,.0f} 公顷，超过区域“{reg}”的土地总面积（{tot[i]:,.0f} 公顷）",
                    f"urban land demand {demand[i]:,.0f} ha exceeds the total area of region '{reg}' ({tot[i]:,.0f} ha)"))

    # roles needed by the data that is given
    roles = set(land_uses["role"].dropna())
    # skip when the land uses or a role are missing or invalid (reported above): the role may well be there once fixed
    roles_known = bool(lu_ids) and bool(land_uses["role"].notna().all())
    needs = [("targets", "cropland_min_ha", "cropland"), ("targets", "urban_boundary_ha", "urban"),
             ("targets", "urban_population", "urban"), ("targets", "forest_min_ha", "forest"),
             ("targets", "afforestation_potential_ha", "forest"), ("targets", "wetland_min_ha", "wetland"),
             ("targets", "grassland_min_ha", "grassland"), ("energy", "pv_suitable_ha", "pv"),
             ("energy", "clean_capacity_min_mw", "pv")]
    for name, col, role in needs:
        df = t[name]
        if roles_known and role not in roles and df[col].notna().any():
            r = int(df.loc[df[col].notna(), ROW].iloc[0])
            ck.add(name, r, col, None,
                   (f"本列约束角色为{role_zh(role)}的地类，但{raw.location_zh('land_uses')}中没有该角色的地类",
                    f"no land use on {raw.location('land_uses')} has role '{role}', which this column constrains"))
    if roles_known and not t["grazing"].empty and "grassland" not in roles:
        ck.add("grazing", None, None, None,
               (f"草畜平衡需要角色为{role_zh('grassland')}的地类，但{raw.location_zh('land_uses')}中没有该角色的地类",
                f"no land use on {raw.location('land_uses')} has role 'grassland', which the grazing balance needs"))


def suspicious(ck: Checker, t: dict[str, pd.DataFrame]) -> None:
    """Warnings (not errors) for values that are valid but look like a slip; listed by validate and the plan."""
    lu = t["land_uses"]
    for r, lid, role, c in zip(lu[ROW], lu["land_use"], lu["role"], floats(lu["carbon_flux_tC_per_ha_yr"])):
        if role in SINK_ROLES and c > 0:
            ck.warn("land_uses", int(r), "carbon_flux_tC_per_ha_yr", c, sink_sign_message(lid, role))
    roles = dict(zip(lu["land_use"], lu["role"]))
    cbr = t["carbon_by_region"]
    flux = floats(cbr["carbon_flux_tC_per_ha_yr"])
    sinks = {lid for lid, role in roles.items() if role in SINK_ROLES}
    slip = (flux > 0) & cbr["land_use"].isin(sinks).to_numpy(dtype=bool)  # one pass, not a Python loop per row
    for r, lid, c in zip(cbr[ROW].to_numpy()[slip], cbr["land_use"].to_numpy()[slip], flux[slip]):
        ck.warn("carbon_by_region", int(r), "carbon_flux_tC_per_ha_yr", float(c), sink_sign_message(lid, roles[lid]))
    tr = t["transitions"]
    pct = floats(tr["max_pct_per_period"])
    given = pct[~np.isnan(pct) & (pct > 0)]
    # every rate below 1%: more likely fractions (0.05 for 5%) than a sheet of tiny limits (small ones beside
    # larger ones, as 0.2% of a vast grassland, are normal)
    if len(given) >= 2 and (given < 1).all():
        first = int(np.flatnonzero(~np.isnan(pct) & (pct > 0))[0])
        ck.warn("transitions", int(tr[ROW].iloc[first]), "max_pct_per_period", float(pct[first]),
                ("本表所有转换比例均低于 1%；该列单位为 %（5% 应填 5，而不是 0.05），是否误按小数填写？",
                 "every rate on this sheet is below 1%; the column is in % (5% is written 5, not 0.05) — "
                 "were fractions typed?"))
    # a floor ~100× below the baseline area of its role: typed in km² instead of ha?
    base = t["baseline"]
    if base.empty or lu.empty:
        return
    b = base.assign(role=base["land_use"].map(roles)).groupby(["region", "role"])["area_ha"].sum()
    tg = t["targets"]
    present = set(b.index.unique(level="role").tolist())  # a set: `in` on the level's values hashes all of them
    for role in ("cropland", "forest", "wetland", "grassland"):
        col = f"{role}_min_ha"
        x = floats(tg[col])
        # the region's baseline area of the role beside every row, looked up once per column (0 where none)
        by_region = b.xs(role, level="role") if role in present else pd.Series(dtype=float)
        have = floats(tg["region"].map(by_region)) if len(by_region) else np.zeros(len(tg))
        have = np.nan_to_num(have, nan=0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = x / have
            hit = (x > 0) & (have > 0) & (ratio >= 0.005) & (ratio <= 0.02)  # False where x is blank (NaN)
        for i in np.flatnonzero(hit).tolist():
            reg = tg['region'].iloc[i]
            ck.warn("targets", int(tg[ROW].iloc[i]), col, float(x[i]),
                    (f"仅约为区域“{reg}”基期{ROLE_LABELS[role][0]}面积（{have[i]:,.0f} 公顷）的百分之一；"
                     f"是否误按平方公里而非公顷填写（1 平方公里 = 100 公顷）？",
                     f"about 100× below the baseline {role} of region '{reg}' ({have[i]:,.0f} ha); "
                     f"typed in km² instead of ha? (1 km² = 100 ha)"))


def sink_sign_message(land_use: str, role: str) -> tuple[str, str]:
    """(Chinese, English) of a sink land use whose carbon flux is written positive."""
    return (f"“{land_use}”（{ROLE_LABELS.get(role, (role,))[0]}）是碳汇地类，应填负值（排放为正、碳汇为负）；请核对正负号",
            f"'{land_use}' ({role}) is a carbon sink, written negative (emission positive, sink negative); "
            f"is the sign right?")
