"""Inputs of the carbon accounting: which accounting applies, and the carbon_stocks sheet as a full matrix."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from landopt.reader import ROW, RawWorkbook
from landopt.schema.labels import INPUT_SHEETS
from landopt.validate.cells import Checker, blank, column_zh
from landopt.validate.settings import setting_rows


def check_accounting(ck: Checker, raw: RawWorkbook, settings: dict[str, Any], t: dict[str, pd.DataFrame]) -> None:
    """Resolve ``settings.carbon_accounting`` and check that the inputs it needs are there."""
    mode = settings.get("carbon_accounting") or "auto"
    has_stocks = not t["carbon_stocks"].empty  # a sheet with at least one row (an empty template sheet does not count)
    if mode == "auto":
        mode = "stock_change" if has_stocks else "flux"
    settings["carbon_accounting"] = mode
    if mode == "stock_change" and not has_stocks:
        ck.add("carbon_stocks", None, None, None,
               (f"没有数据行：设置项“carbon_accounting”为 stock_change（碳储量变化法）时，须在工作表"
                f"“{INPUT_SHEETS['carbon_stocks']} carbon_stocks”中按碳库填写各地类的碳储量",
                "no rows: settings.carbon_accounting = stock_change needs a "
                "carbon_stocks sheet with carbon stocks by pool for the land uses"))
    if mode == "flux" and has_stocks:  # a filled carbon_stocks sheet the run will not read: say so
        ck.warn("carbon_stocks", None, None, None,
                (f"本表未使用：设置项“carbon_accounting”为 flux（通量法），按工作表“land_uses”（及“carbon_by_region”）"
                 f"中的单位面积碳通量核算；本表 {len(t['carbon_stocks'])} 行数据，连同其中的甲烷数据"
                 f"（“{column_zh('ch4_kg_per_ha_yr')}”“{column_zh('new_land_ch4_kg_per_ha_yr')}”两列），"
                 f"均不参与计算",
                 f"not used: settings.carbon_accounting = flux counts the per-hectare flux of land_uses (and "
                 f"carbon_by_region); the {len(t['carbon_stocks'])} carbon_stocks rows, their methane "
                 f"(ch4_kg_per_ha_yr, new_land_ch4_kg_per_ha_yr) included, are ignored"))
    if mode == "flux":
        lu = t["land_uses"]
        given = raw.tables.get("land_uses")
        col = "carbon_flux_tC_per_ha_yr"
        # blank cells only: a cell that is there but not a number is already reported where it was converted
        blank_rows = set() if given is None else (
            set(given[ROW].tolist()) if col not in given.columns
            else {int(r) for r, v in zip(given[ROW].tolist(), given[col].tolist()) if blank(v)})
        for r in lu.loc[lu[col].isna() & lu["land_use"].notna() & lu[ROW].isin(blank_rows), ROW].tolist():
            ck.add("land_uses", int(r), "carbon_flux_tC_per_ha_yr", None,
                   ("采用通量法核算时必须填写（设置项“carbon_accounting”为 flux，或没有工作表“carbon_stocks”）："
                    "该地类的碳通量（吨碳/公顷/年），排放为正、碳汇为负",
                    "required in flux accounting (settings.carbon_accounting = flux, or no carbon_stocks sheet): "
                    "the land use's carbon flux in t C/ha/yr, emission +, sink -"))
    years = settings.get("years") or ()
    rows = setting_rows(raw.tables.get("settings"))
    if mode == "flux" and settings.get("accounting_end_year") is not None \
            and (not years or settings["accounting_end_year"] != years[-1]):
        ck.add("settings", rows.get("accounting_end_year"), "value", settings["accounting_end_year"],
               ("设置项“accounting_end_year”（核算截止年）仅适用于碳储量变化法（通量法使目标函数年份的净碳汇最大化）；"
                "请留空",
                "setting 'accounting_end_year' applies to stock-change accounting only (flux accounting maximises the "
                "net sink of the objective years); leave it blank"))
    if not settings.get("soil_transition_years"):
        ck.add("settings", rows.get("soil_transition_years"), "value", settings.get("soil_transition_years"),
               ("设置项“soil_transition_years”（土壤碳过渡年数）应为大于 0 的年数（IPCC 默认值为 20 年）",
                "setting 'soil_transition_years' must be a number of years above 0 (IPCC default 20)"))
    cs = t["carbon_stocks"]
    if not cs.empty:  # one all-region row and at most one row per region for each land use
        key = cs[["land_use"]].assign(region=cs["region"].fillna(""))
        seen: dict[tuple, int] = {}
        for r, k in zip(cs[ROW].tolist(), map(tuple, key.to_numpy().tolist())):
            if k[0] is None:
                continue
            if k in seen:
                scope_zh = f"区域“{k[1]}”的" if k[1] else "适用于所有区域的"
                ck.add("carbon_stocks", int(r), "land_use", k[0],
                       (f"重复记录：第 {seen[k]} 行已有{scope_zh}地类“{k[0]}”",
                        f"duplicate entry; land use '{k[0]}' {'for region ' + repr(k[1]) if k[1] else 'for every region'} "
                        f"is already on row {seen[k]}"))
            else:
                seen[k] = int(r)


STOCK_COLUMNS = ("biomass_tC_per_ha", "dom_tC_per_ha", "soc_tC_per_ha", "maturity_years", "soil_transition_years",
                 "remaining_flux_tC_per_ha_yr", "ch4_kg_per_ha_yr", "remaining_flux_includes_soil",  # yes = 1
                 "new_land_ch4_kg_per_ha_yr")
#: carbon_stocks columns whose blank is not 0 but a fallback (marked NaN in the matrix): the setting's soil transition
#: time; the land use's own ch4_kg_per_ha_yr for land converted to it
BLANK_FALLS_BACK = ("soil_transition_years", "new_land_ch4_kg_per_ha_yr")


def stocks_matrix(regions: pd.DataFrame, land_uses: pd.DataFrame, cs: pd.DataFrame) -> pd.DataFrame:
    """The carbon_stocks sheet as a full region × land-use matrix: a region's own row, else the all-region row,
    else zeros (with the sheet row each value came from; 0 where none)."""
    grid = pd.MultiIndex.from_product([regions["region"], land_uses["land_use"]], names=["region", "land_use"]).to_frame(index=False)
    cols = list(STOCK_COLUMNS) + [ROW]
    allr = cs[cs["region"].isna()][["land_use", *cols]]
    out = grid.merge(allr, on="land_use", how="left")
    own = cs[cs["region"].notna()][["region", "land_use", *cols]]
    if not own.empty:
        o = grid.merge(own, on=["region", "land_use"], how="left")
        has = o[ROW].notna().to_numpy()
        for c in cols:
            out[c] = np.where(has, o[c].to_numpy(dtype=float), out[c].to_numpy(dtype=float))
    for c in STOCK_COLUMNS:  # blank = 0, except where a blank falls back to another value (marked NaN here)
        out[c] = out[c].astype(float) if c in BLANK_FALLS_BACK else out[c].astype(float).fillna(0.0)
    out[ROW] = out[ROW].fillna(0).astype(int)
    return out
