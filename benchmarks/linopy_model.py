"""The peer: the same LP written idiomatically in linopy (benchmark-only dependency), solved with HiGHS through
linopy's direct interface.  Used by ``benchmarks/scale.py``.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from floor import TC_TO_TCO2, settings_of, truthy, years_of, highs_options, pick_method

# ============================================================================ linopy
def linopy_build(tables: dict[str, pd.DataFrame]):
    """The same LP, written idiomatically in linopy (labelled xarray dimensions, masks for blank cells)."""
    import linopy
    import xarray as xr

    st = settings_of(tables)
    years = years_of(st)
    T = len(years)
    regions = tables["regions"]["region"].astype(str).tolist()
    lu = tables["land_uses"].assign(land_use=lambda d: d["land_use"].astype(str))
    lus = lu["land_use"].tolist()
    roles = dict(zip(lus, lu["role"].astype(str)))
    with_role = lambda *rs: [l for l in lus if roles[l] in rs]  # noqa: E731
    tr = tables["transitions"]
    tr = tr[tr["allowed"].astype(str).str.strip().str.lower().isin(["yes", "y", "true", "1", "是", "on"])]
    pairs = [f"{a}->{b}" for a, b in zip(tr["from_land_use"], tr["to_land_use"])]
    p_from = xr.DataArray(tr["from_land_use"].astype(str).to_numpy(), coords={"pair": pairs}, dims="pair", name="land_use")
    p_to = xr.DataArray(tr["to_land_use"].astype(str).to_numpy(), coords={"pair": pairs}, dims="pair", name="land_use")
    share = xr.DataArray(pd.to_numeric(tr["max_pct_per_period"], errors="coerce").to_numpy() / 100.0,
                         coords={"pair": pairs}, dims="pair")

    def grid(df: pd.DataFrame, col: str, keys=("region", "year")) -> xr.DataArray:
        s = df.assign(region=df["region"].astype(str)).set_index(list(keys))[col].astype(float)
        coords = {"region": regions, "land_use": lus, "year": years}
        return xr.DataArray.from_series(s).reindex({k: coords[k] for k in keys})

    baseline = grid(tables["baseline"], "area_ha", ("region", "land_use")).fillna(0.0)
    flux = xr.DataArray(lu["carbon_flux_tC_per_ha_yr"].astype(float).to_numpy(), coords={"land_use": lus}, dims="land_use")
    flux = flux.broadcast_like(baseline).copy()
    cbr = tables.get("carbon_by_region")
    if cbr is not None and len(cbr):
        over = grid(cbr, "carbon_flux_tC_per_ha_yr", ("region", "land_use"))
        flux = over.where(over.notnull(), flux)
    tg, gz, en = tables["targets"], tables["grazing"], tables["energy"]

    linopy.options["semantics"] = "v1"  # linopy's strict arithmetic convention (no silent filling or reindexing)
    m = linopy.Model()
    area = m.add_variables(lower=0, coords=[pd.Index(regions, name="region"), pd.Index(lus, name="land_use"),
                                            pd.Index(years, name="year")], name="area")
    flow = m.add_variables(lower=0, coords=[pd.Index(regions, name="region"), pd.Index(pairs, name="pair"),
                                            pd.Index(years, name="year")], name="flow")
    ry = [pd.Index(regions, name="region"), pd.Index(years, name="year")]
    livestock = m.add_variables(lower=0, coords=ry, name="livestock")
    grazed = m.add_variables(lower=0, coords=ry, name="grazed")
    rested = m.add_variables(lower=0, coords=ry, name="rested")

    first = xr.DataArray(np.arange(T) == 0, coords={"year": years}, dims="year")
    m.add_constraints(area.sum("land_use") == baseline.sum("land_use"), name="area_total")
    # flows into / out of each land use: group the flow variables by their to / from land use
    inflow = (1.0 * flow).groupby(p_to).sum().reindex(land_use=lus).fillna(0)
    outflow = (1.0 * flow).groupby(p_from).sum().reindex(land_use=lus).fillna(0)
    prev = area.shift(year=1).fillna(0)  # the previous milestone's area; nothing before the first
    m.add_constraints(area - prev - inflow + outflow == baseline.where(first, 0.0), name="stock_flow")
    rated = [p for p, s in zip(pairs, share.values) if s == s]
    frm = p_from.sel(pair=rated)
    prev_from = prev.sel(land_use=frm).drop_vars("land_use")
    base_from = baseline.sel(land_use=frm).drop_vars("land_use")
    sh = share.sel(pair=rated)
    m.add_constraints(flow.sel(pair=rated) - sh * prev_from <= (sh * base_from).where(first, 0.0),
                      name="conversion_rate")
    aff = [p for p in pairs if roles[p.split("->")[0]] == "unused" and roles[p.split("->")[1]] == "forest"]
    pot = grid(tg, "afforestation_potential_ha")
    m.add_constraints(flow.sel(pair=aff).sum("pair").cumsum("year") <= pot.fillna(0), name="afforestation_limit",
                      mask=pot.notnull())

    def role_sum(*rs):
        return area.sel(land_use=with_role(*rs)).sum("land_use")

    crop = grid(tg, "cropland_min_ha")
    m.add_constraints(role_sum("cropland") >= crop.fillna(0), name="cropland_protection", mask=crop.notnull())
    bnd = grid(tg, "urban_boundary_ha")
    m.add_constraints(role_sum("urban") <= bnd.fillna(0), name="urban_boundary", mask=bnd.notnull())
    dem = grid(tg, "urban_population") * grid(tg, "urban_land_per_capita_m2") / 1e4
    m.add_constraints(role_sum("urban") >= dem.fillna(0), name="urban_demand", mask=dem.notnull())

    cap = grid(gz, "forage_yield_kg_per_ha") * grid(gz, "utilisation_rate") / grid(gz, "intake_kg_per_su_yr")
    m.add_constraints(grazed + rested - role_sum("grassland") == 0, name="grassland_split")
    m.add_constraints(livestock - cap * grazed <= 0, name="grazing_capacity")
    rest = grid(gz, "rest_min_ha")
    m.add_constraints(rested >= rest.fillna(0), name="grazing_rest", mask=rest.notnull())
    floor = grid(gz, "livestock_min_su")
    m.add_constraints(livestock >= floor.fillna(0), name="livestock_floor", mask=floor.notnull())

    suit = grid(en, "pv_suitable_ha")
    m.add_constraints(role_sum("pv") <= suit.fillna(0), name="pv_suitability", mask=suit.notnull())
    clean = grid(en, "clean_capacity_min_mw")
    need = clean - grid(en, "other_clean_capacity_mw").fillna(0.0)
    m.add_constraints(grid(en, "pv_mw_per_ha").fillna(0) * role_sum("pv") >= need.fillna(0), name="clean_capacity",
                      mask=clean.notnull())

    no_net_loss = truthy(st.get("no_net_loss", ""), True)
    for role, col in (("forest", "forest_min_ha"), ("wetland", "wetland_min_ha"), ("grassland", "grassland_min_ha")):
        if not with_role(role):
            continue
        f = grid(tg, col)
        if no_net_loss:
            f = f.fillna(baseline.sel(land_use=with_role(role)).sum("land_use"))
        m.add_constraints(role_sum(role) >= f.fillna(0), name=f"{role}_floor", mask=f.notnull() & (f > 0))

    ab = tables.get("area_bounds")
    if ab is not None and len(ab):
        for col, s in (("min_ha", ">="), ("max_ha", "<=")):
            v = grid(ab, col, ("region", "land_use", "year")).reindex(land_use=lus)
            if v.notnull().any():
                rhs = v.fillna(0)
                m.add_constraints(area >= rhs if s == ">=" else area <= rhs, name=f"area_{col[:3]}", mask=v.notnull())

    w = xr.DataArray(np.ones(T) if st.get("objective_years", "target") == "all" else (np.arange(T) == T - 1) * 1.0,
                     coords={"year": years}, dims="year")
    gwp = float(st.get("ch4_gwp") or 27.0)
    obj = (-TC_TO_TCO2 * flux * w * area).sum() - (grid(gz, "ch4_kg_per_su_yr") * gwp / 1000.0 * w * livestock).sum()
    if truthy(st.get("include_avoided_emissions", ""), False):
        per_ha = grid(en, "pv_mw_per_ha") * grid(en, "pv_mwh_per_mw_yr").fillna(0) * grid(en, "grid_factor_tco2_per_mwh").fillna(0)
        obj = obj + (per_ha.fillna(0) * w * role_sum("pv")).sum()
    m.add_objective(obj, sense="max")
    return m


def linopy_solve(tables: dict[str, pd.DataFrame], method: str | None = None, threads: int | None = None) -> dict:
    t0 = time.perf_counter()
    m = linopy_build(tables)
    t1 = time.perf_counter()
    n = int(m.nvars)
    method = pick_method(tables, n, method)
    opts = highs_options(method, threads, float(settings_of(tables).get("time_limit_s") or 0) or None)
    status, condition = m.solve(solver_name="highs", io_api="direct", progress=False, **opts)
    t2 = time.perf_counter()
    h = getattr(m, "solver_model", None)
    run_s = float(h.getRunTime()) if h is not None else float("nan")
    iterations = int(h.getInfo().simplex_iteration_count) if h is not None else -1
    x = np.concatenate([m.variables[name].solution.values.ravel() for name in m.variables])
    return {"status": condition, "objective": float(m.objective.value), "method": method, "vars": n,
            "rows": int(m.ncons), "build_s": t1 - t0, "solve_s": t2 - t1, "run_s": run_s, "iterations": iterations,
            "x": x}

