"""Checks of the sandy-land and forest-growing-stock inputs (issue #13): ``targets.sandy_restoration_min_ha``,
``province_targets.forest_stock_min_m3`` and the ``regions`` forest-stock columns.

A restoration target larger than the region's sandy land, or a target on a role no land use has, would make the
plan infeasible (or the column meaningless): each is an error naming sheet, row, column and value here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.reader import ROW, RawWorkbook
from landopt.validate.cells import Checker, floats
from landopt.validate.cross import role_zh


def check_landcover(ck: Checker, raw: RawWorkbook, t: dict[str, pd.DataFrame]) -> None:
    """Every check of the sandy-land and growing-stock inputs; problems go to ``ck``."""
    land_uses, base, tg, pt = t["land_uses"], t["baseline"], t["targets"], t["province_targets"]
    roles = dict(zip(land_uses["land_use"].tolist(), land_uses["role"].tolist()))
    if not roles or land_uses["role"].isna().any():
        return  # unknown roles are reported by the cell checks
    present = set(roles.values())
    for sheet, df, column, role, what in (
            ("targets", tg, "sandy_restoration_min_ha", "sandy", "sandy land 沙化土地"),
            ("province_targets", pt, "forest_stock_min_m3", "forest", "forest 林地"),
            ("regions", t["regions"], "forest_stock_m3", "forest", "forest 林地")):
        if column not in df.columns:
            continue
        given = df[column].notna()
        if given.any() and role not in present:
            ck.add(sheet, int(df.loc[given, ROW].iloc[0]), column, None,
                   (f"本列需要角色为{role_zh(role)}的地类，但{raw.location_zh('land_uses')}中没有该角色的地类",
                    f"no land use on {raw.location('land_uses')} has role '{role}' ({what}), which this column needs"))
    if tg.empty or "sandy_restoration_min_ha" not in tg.columns or "sandy" not in present:
        return
    b = base.dropna(subset=["region", "land_use", "area_ha"])
    sandy = {}
    for reg, lu, a in zip(b["region"], b["land_use"], floats(b["area_ha"])):
        if roles.get(lu) == "sandy" and not np.isnan(a):
            sandy[reg] = sandy.get(reg, 0.0) + float(a)
    unsure = set(base.loc[base["area_ha"].isna(), "region"])
    need = floats(tg["sandy_restoration_min_ha"])
    for i in np.flatnonzero(~np.isnan(need)).tolist():
        reg = tg["region"].iloc[i]
        if reg in unsure or not isinstance(reg, str):
            continue
        have = sandy.get(reg, 0.0)
        if need[i] > have * (1 + 1e-9) + 1e-9:
            ck.add("targets", int(tg[ROW].iloc[i]), "sandy_restoration_min_ha", tg["sandy_restoration_min_ha"].iloc[i],
                   (f"沙化土地治理面积不能超过区域“{reg}”的基期沙化土地面积（{have:,.1f} 公顷，"
                    f"见{raw.location_zh('baseline')}）",
                    f"sandy land restored cannot exceed the baseline sandy land of region '{reg}' "
                    f"({have:,.1f} ha; {raw.location('baseline')}); expected at most that"))
