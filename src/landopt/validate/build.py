"""Run every check and resolve clean tables into a :class:`~landopt.spec.ModelSpec`."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from landopt.errors import InputError, Problem
from landopt.reader import ROW, RawWorkbook
from landopt.schema import DATA_SHEETS, SHEETS
from landopt.spec import ModelSpec
from landopt.validate.carbon import check_accounting, stocks_matrix
from landopt.validate.cells import Checker
from landopt.validate.cross import cross_checks, suspicious
from landopt.validate.landcover import check_landcover
from landopt.validate.measures import check_measures
from landopt.validate.protection import check_protection
from landopt.validate.settings import settings as read_settings


def check_all(raw: RawWorkbook) -> tuple[ModelSpec | None, list[Problem], list[Problem]]:
    """Run every check; return the spec (when there is no error), the errors and the warnings."""
    ck = Checker(raw)
    t: dict[str, pd.DataFrame] = {}
    for name in DATA_SHEETS:
        t[name] = ck.table(name)
        if name in ("regions", "land_uses"):  # later sheets may name a region or land use by its Chinese name
            ck.learn_names(name, t[name], "region" if name == "regions" else "land_use")
    if "sources" in raw.tables:  # not model data, but its required columns and status (verified/estimate) are checked
        ck.table("sources")
    settings = read_settings(ck, t["settings"])
    if any(SHEETS[n].required and n not in raw.tables for n in DATA_SHEETS):
        # a required sheet is missing: every check across sheets would only repeat it (a region's baseline adding up
        # to 0 ha, a red line larger than no land ...)
        return None, ck.problems, ck.warnings
    cross_checks(ck, raw, t, settings)
    check_accounting(ck, raw, settings, t)
    check_protection(ck, raw, t)
    check_landcover(ck, raw, t)  # sandy land and forest growing stock (issue #13)
    check_measures(ck, raw, t, settings)
    if not ck.problems:
        suspicious(ck, t)
    if ck.problems:
        return None, ck.problems, ck.warnings
    settings["warnings"] = tuple(ck.warnings)
    return resolve(raw, settings, t), [], ck.warnings


def check(raw: RawWorkbook) -> tuple[ModelSpec | None, list[Problem]]:
    """Run every check; return the spec (when clean) and the list of problems (errors only)."""
    spec, errors, _warnings = check_all(raw)
    return spec, errors


def resolve(raw: RawWorkbook, settings: dict[str, Any], t: dict[str, pd.DataFrame]) -> ModelSpec:
    regions = t["regions"][["region", "name_zh", "total_area_ha", ROW,
                            # forest growing stock (issue #13)
                            "forest_stock_m3", "forest_growth_m3_per_ha_yr", "young_forest_growth_m3_per_ha_yr"]
                           ].reset_index(drop=True)
    land_uses = t["land_uses"][["land_use", "name_zh", "role", "carbon_flux_tC_per_ha_yr", "output_yuan_per_ha_yr",
                                 "food_t_per_ha_yr", "description", ROW]].reset_index(drop=True)
    grid = pd.MultiIndex.from_product([regions["region"], land_uses["land_use"]], names=["region", "land_use"]).to_frame(index=False)
    base = grid.merge(t["baseline"][["region", "land_use", "area_ha", ROW]], on=["region", "land_use"], how="left")
    base["area_ha"] = base["area_ha"].fillna(0.0)
    base[ROW] = base[ROW].fillna(0).astype(int)
    default = land_uses[["land_use", "carbon_flux_tC_per_ha_yr", ROW]].assign(sheet="land_uses")
    carbon = grid.merge(default, on="land_use", how="left")
    cbr = t["carbon_by_region"]
    if not cbr.empty:
        # a region's own coefficient replaces the land use's default (with its own sheet and row)
        over = cbr[["region", "land_use", "carbon_flux_tC_per_ha_yr", ROW]]
        o = carbon[["region", "land_use"]].merge(over, on=["region", "land_use"], how="left")
        has = o["carbon_flux_tC_per_ha_yr"].notna().to_numpy()
        for c in ("carbon_flux_tC_per_ha_yr", ROW):
            carbon[c] = np.where(has, o[c].to_numpy(dtype=float), carbon[c].to_numpy(dtype=float))
        carbon["sheet"] = np.where(has, "carbon_by_region", carbon["sheet"].to_numpy(dtype=object))
        carbon[ROW] = carbon[ROW].astype(int)
    tr = t["transitions"]
    tr = tr[tr["allowed"].astype(bool)][["from_land_use", "to_land_use", "max_pct_per_period", "cost_yuan_per_ha",
                                         "soil_transition_years", "soil_change_pct", "biomass_loss_pct", ROW]].reset_index(drop=True)
    for name in ("targets", "province_targets", "grazing", "energy", "area_bounds"):
        df = t[name]
        df["year"] = df["year"].astype(int)
        t[name] = df.reset_index(drop=True)
    sources = raw.tables.get("sources", pd.DataFrame())
    return ModelSpec(
        title=settings.get("title") or "landopt plan",
        baseline_year=int(settings["baseline_year"]),
        years=tuple(settings["years"]),
        settings=settings,  # settings["warnings"]: the suspicious values, listed with the plan
        regions=regions,
        land_uses=land_uses,
        carbon=carbon,
        baseline=base,
        transitions=tr,
        targets=t["targets"],
        grazing=t["grazing"],
        energy=t["energy"],
        area_bounds=t["area_bounds"],
        stocks=stocks_matrix(regions, land_uses, t["carbon_stocks"]),
        province_targets=t["province_targets"],
        protected_land=t["protected_land"].reset_index(drop=True),
        energy_bases=_with_int(t["energy_bases"], "year"),
        hydro_projects=_with_int(t["hydro_projects"], "year_in_service"),
        sources=sources,
        input_path=raw.path,
        input_sha256=raw.sha256,
        location_kind=raw.kind,
        sheet_names=dict(raw.sheet_names), column_headers={k: dict(v) for k, v in raw.headers.items()}, files=dict(raw.files),
    )


def _with_int(df: pd.DataFrame, column: str) -> pd.DataFrame:
    df = df.reset_index(drop=True)
    if not df.empty:
        df[column] = df[column].astype(int)
    return df


def load_spec(raw: RawWorkbook) -> ModelSpec:
    """Validate ``raw`` and return the spec, or raise :class:`InputError` listing every problem."""
    spec, problems = check(raw)
    if problems:
        raise InputError(problems, raw.path)
    assert spec is not None
    return spec
