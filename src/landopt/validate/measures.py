"""Checks of the construction and energy measures (issue #13): sheets ``energy_bases`` and ``hydro_projects`` and the
targets columns ``new_urban_land_per_capita_m2``, ``urban_land_per_capita_max_m2``, ``redevelopment_potential_ha``.

Each check names the sheet, row, column and value and says what was expected.  A hydro project whose land has no
land use to go to (no water or other-construction land use, or no allowed conversion into one) would make the plan
infeasible, so it is an error here rather than an infeasibility later.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from landopt.reader import ROW, RawWorkbook
from landopt.validate.cells import Checker, column_zh, floats
from landopt.validate.cross import milestone_message, role_zh

#: hydro_projects column -> the role of the land use its area converts into
HYDRO_TARGET_ROLE = {"inundated_ha": "water", "construction_ha": "other_construction"}


def check_measures(ck: Checker, raw: RawWorkbook, t: dict[str, pd.DataFrame], settings: dict[str, Any]) -> None:
    """Every check of the construction and energy measures' inputs; problems (and warnings) go to ``ck``."""
    region_ids = [r for r in t["regions"]["region"].tolist() if isinstance(r, str) and r]
    years = settings.get("years") or []
    base_year = settings.get("baseline_year")
    eb, hp = t["energy_bases"], t["hydro_projects"]
    for name, df in (("energy_bases", eb), ("hydro_projects", hp)):
        if region_ids and not df.empty:
            ck.refs(name, df, "region", region_ids, "regions")
    if years and not eb.empty:
        y = floats(eb["year"])
        for i in np.flatnonzero(~np.isnan(y) & ~np.isin(y, years)).tolist():
            ck.add("energy_bases", int(eb[ROW].iloc[i]), "year", eb["year"].iloc[i], milestone_message(years))
    if not hp.empty:
        _check_hydro(ck, raw, t, hp, base_year, years)
    tg = t["targets"]
    if not tg.empty:
        pop = floats(tg["urban_population"])
        for column in ("new_urban_land_per_capita_m2", "urban_land_per_capita_max_m2"):
            v = floats(tg[column])
            for i in np.flatnonzero(~np.isnan(v) & np.isnan(pop)).tolist():
                ck.add("targets", int(tg[ROW].iloc[i]), column, tg[column].iloc[i],
                       (f"人均指标需要同一行的城镇人口（“{column_zh('urban_population')}”列）："
                        f"请填写城镇人口，或将此单元格留空",
                        "a per-capita figure needs the urban population of the same row (column urban_population); "
                        "give it or leave this cell blank"))


def _check_hydro(ck: Checker, raw: RawWorkbook, t: dict[str, pd.DataFrame], hp: pd.DataFrame,
                 base_year: int | None, years: list[int]) -> None:
    lu = t["land_uses"]
    roles = dict(zip(lu["land_use"].tolist(), lu["role"].tolist()))
    tr = t["transitions"]
    allowed = tr[tr["allowed"].fillna(False).astype(bool)] if not tr.empty else tr
    into = {roles.get(b) for b in allowed["to_land_use"].tolist()} if not allowed.empty else set()
    yr = floats(hp["year_in_service"])
    for i in range(len(hp)):
        row = int(hp[ROW].iloc[i])
        if base_year is not None and not np.isnan(yr[i]) and yr[i] <= base_year:
            ck.add("hydro_projects", row, "year_in_service", hp["year_in_service"].iloc[i],
                   (f"应为基期年 {base_year} 之后的年份（届时已投产的工程，其用地已计入基期现状面积；请删除该行）",
                    f"a year after the baseline year {base_year} (a project in service by then is part of the "
                    f"baseline areas; remove its row)"))
        elif years and not np.isnan(yr[i]) and yr[i] > max(years):
            ck.warn("hydro_projects", row, "year_in_service", int(yr[i]),
                    (f"晚于规划目标年 {max(years)}：该工程用地不纳入本次规划",
                     f"after the target year {max(years)}: the project's land is not part of this plan"))
        for column, role in HYDRO_TARGET_ROLE.items():
            v = floats(hp[column].iloc[i:i + 1])[0]
            if np.isnan(v) or v <= 0:
                continue
            if role not in roles.values():
                ck.add("hydro_projects", row, column, hp[column].iloc[i],
                       (f"该面积须转为角色为{role_zh(role)}的地类，但{raw.location_zh('land_uses')}中没有该角色的地类",
                        f"no land use on {raw.location('land_uses')} has role '{role}', which this area converts into"))
            elif role not in into:
                ck.add("hydro_projects", row, column, hp[column].iloc[i],
                       (f"{raw.location_zh('transitions')}中没有允许转入角色为{role_zh(role)}地类的转换规则："
                        f"请至少允许一项（如 grassland → {role}），以便模型安排该工程用地",
                        f"no allowed conversion into a land use with role '{role}' on {raw.location('transitions')}: "
                        f"allow at least one (e.g. grassland → {role}) so that the model can place the project"))
