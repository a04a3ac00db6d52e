"""Scale benchmark: landopt against a bare highspy floor and linopy, on synthetic Tibet-like instances.

    python benchmarks/scale.py [--sizes 1e3,1e4,1e5,1e6] [--json] [--threads 1] [--method auto|simplex|ipm] [--repeat 3]

For every size (number of decision variables) the instance of
:func:`landopt.synthetic.generate` with that many variables is built and solved
three ways, each in a fresh Python subprocess (so that peak memory is clean:
the worker's own high-water mark ``VmHWM``, with ``ru_maxrss`` recorded too --
see :func:`_peak_mb`; imports are done before the clock starts):

* **landopt** -- build: ``from_tables`` + ``load_spec`` (validation) +
  ``build`` (Pyomo model); solve: ``compile_model`` (the Pyomo rows read
  as sparse row blocks) + ``solve_form`` (handed to HiGHS through its array
  API, ``run``, solution read back as arrays; ``keep_highs=False`` since no
  ranging is asked for) + ``extract`` (the tidy result tables, no ranging).  The
  labelled per-constraint and per-variable tables, made on first use, are
  timed separately (``labelled_tables_s``) and not included in the total.
* **floor** -- no modelling layer: :func:`floor_build` turns the same tables
  into the CSR matrix, bounds and costs with numpy/scipy directly (its own
  code, independent of landopt's), hands them to HiGHS through its array API
  (one ``addCols``, one ``addRows``; linopy's direct interface uses the same
  API with ``addVars`` and ``changeColsCost``), then ``run`` and the solution
  read back as arrays.
* **linopy** -- the same LP written idiomatically in linopy (benchmark-only
  dependency, imported in the worker only), solved with
  ``Model.solve(solver_name="highs", io_api="direct")``.

``--repeat K`` runs each approach K times (fresh processes, interleaved) and
reports the median run; ``overhead_s`` is each approach's time outside the
HiGHS run in that run, ``overheads_s`` / ``overhead_median_s`` the same in
every run and its median, and ``iterations`` HiGHS's simplex iteration counts
(equal counts: HiGHS did the same work for each approach).

All three use the same HiGHS settings: the method landopt picks for the
instance (``settings.solver_method = auto``: dual simplex) unless ``--method``
says otherwise (``ipm`` = interior point with crossover), the same
thread count, the time limit of the instance and HiGHS's default tolerances.
The three objectives must agree to a relative 1e-6 (asserted).

``floor_solve(tables)`` is importable (``tests/test_synthetic.py`` checks it
against landopt on a small instance).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

TC_TO_TCO2 = 44.0 / 12.0
CONSTRUCTION = ("urban", "rural", "other_construction")
INF = float("inf")
REL_TOL = 1e-6


# ============================================================================ settings shared by all three
def _settings(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    s = tables["settings"]
    return {str(k).strip(): ("" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip())
            for k, v in zip(s["key"], s["value"])}


def _years(settings: dict[str, str]) -> list[int]:
    return [int(float(p)) for p in settings["milestone_years"].replace(";", ",").split(",") if p.strip()]


def _yes(v: str, default: bool) -> bool:
    return default if v == "" else v.lower() in ("yes", "y", "true", "1", "是", "on")


def pick_method(tables: dict[str, pd.DataFrame], n_cols: int, method: str | None = None) -> str:
    """The HiGHS method all three approaches use: ``method`` if given, else what landopt's auto rule picks."""
    if method and method != "auto":
        return method
    from landopt.solve import choose_method

    return choose_method(_settings(tables).get("solver_method") or "auto", n_cols)


def highs_options(method: str, threads: int | None, time_limit: float | None) -> dict:
    """HiGHS options as landopt's ``solve_form`` sets them (everything else at HiGHS's defaults)."""
    opts: dict = {"output_flag": False, "solver": method}
    if method == "ipm":
        opts["run_crossover"] = "on"
    if threads:
        opts["threads"] = int(threads)
    if time_limit:
        opts["time_limit"] = float(time_limit)
    return opts


# ============================================================================ the floor: numpy/scipy -> highspy
class FloorLP:
    """The LP in HiGHS's terms: row-wise A (CSR), row and column bounds, costs (maximise)."""

    def __init__(self, A, row_lower, row_upper, cost, settings):
        self.A, self.row_lower, self.row_upper, self.cost, self.settings = A, row_lower, row_upper, cost, settings

    @property
    def shape(self) -> tuple[int, int]:
        return self.A.shape


def _codes(values, ids: np.ndarray) -> np.ndarray:
    """Position of every value in ``ids`` (-1 where absent), vectorised."""
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    v = np.asarray(values, dtype=object).astype(str) if len(values) else np.asarray([], dtype=str)
    pos = np.searchsorted(sorted_ids, v)
    pos = np.minimum(pos, len(ids) - 1)
    found = sorted_ids[pos] == v
    return np.where(found, order[pos], -1)


def _num(df: pd.DataFrame, col: str) -> np.ndarray:
    if col not in df.columns:
        return np.full(len(df), np.nan)
    return pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)


def floor_build(tables: dict[str, pd.DataFrame]) -> FloorLP:
    """Build landopt's LP straight from the input tables with numpy/scipy (no modelling layer).

    Same rows and columns in the same order as landopt (so that HiGHS takes the same path), written
    independently from the model description in ``docs/model.md``.  It assumes a clean instance like
    those of :mod:`landopt.synthetic` (every family on, every row referring to known ids).
    """
    import scipy.sparse as sp

    st = _settings(tables)
    years = np.asarray(_years(st), dtype=np.int64)
    T = len(years)
    if st.get("families_off"):
        raise ValueError("floor_build supports instances with every constraint family on")
    regions = tables["regions"]["region"].astype(str).to_numpy()
    R = len(regions)
    lu = tables["land_uses"]
    lus = lu["land_use"].astype(str).to_numpy()
    roles = lu["role"].astype(str).to_numpy()
    L = len(lus)
    role_of = {r: np.flatnonzero(roles == r) for r in set(roles)}
    ycode = {int(y): k for k, y in enumerate(years)}

    # baseline matrix and carbon fluxes (R x L)
    b = tables["baseline"]
    X0 = np.zeros((R, L))
    np.add.at(X0, (_codes(b["region"], regions), _codes(b["land_use"], lus)), _num(b, "area_ha"))
    flux = np.tile(_num(lu, "carbon_flux_tC_per_ha_yr"), (R, 1))
    cbr = tables.get("carbon_by_region")
    if cbr is not None and len(cbr):
        flux[_codes(cbr["region"], regions), _codes(cbr["land_use"], lus)] = _num(cbr, "carbon_flux_tC_per_ha_yr")

    # allowed pairs, in sheet order
    tr = tables["transitions"]
    ok = tr["allowed"].astype(str).str.strip().str.lower().isin(["yes", "y", "true", "1", "是", "on"]).to_numpy()
    pf = _codes(tr["from_land_use"][ok], lus)
    pt = _codes(tr["to_land_use"][ok], lus)
    pct = _num(tr, "max_pct_per_period")[ok]
    P = len(pf)

    # columns: area (r, l, t) | flow (r, p, t) | livestock, grazed, rested (grazing row order)
    gz = tables["grazing"]
    G = len(gz)
    n_area, n_flow = R * L * T, R * P * T
    area = lambda r, l, t: (r * L + l) * T + t  # noqa: E731
    flow = lambda r, p, t: n_area + (r * P + p) * T + t  # noqa: E731
    s0, g0, b0 = n_area + n_flow, n_area + n_flow + G, n_area + n_flow + 2 * G
    n = n_area + n_flow + 3 * G

    rows_i, cols_j, vals = [], [], []
    lo, hi = [], []
    m = 0

    def block(r, c, v, lower, upper):
        nonlocal m
        k = len(lower)
        rows_i.append(np.asarray(r, dtype=np.int64) + m)
        cols_j.append(np.asarray(c, dtype=np.int64))
        vals.append(np.asarray(v, dtype=float))
        lo.append(np.broadcast_to(np.asarray(lower, dtype=float), (k,)))
        hi.append(np.broadcast_to(np.asarray(upper, dtype=float), (k,)))
        m += k

    def sense(rhs, s):
        rhs = np.asarray(rhs, dtype=float)
        return (rhs, rhs) if s == "==" else (np.full(len(rhs), -INF), rhs) if s == "<=" else (rhs, np.full(len(rhs), INF))

    def role_rows(rr, tt, role, coef=1.0):
        """Terms coef * sum_{l in role} area[r, l, t] for rows (rr, tt)."""
        ls = role_of.get(role, np.empty(0, np.int64))
        k = len(ls)
        i = np.repeat(np.arange(len(rr)), k)
        c = area(np.repeat(rr, k), np.tile(ls, len(rr)), np.repeat(tt, k))
        v = np.repeat(np.broadcast_to(np.asarray(coef, dtype=float), (len(rr),)), k)
        return i, c, v

    rr_all = np.repeat(np.arange(R), T)
    tt_all = np.tile(np.arange(T), R)

    # area_total[r, t]: sum_l area = baseline total
    k = np.arange(R * T)
    block(np.repeat(k, L), area(np.repeat(rr_all, L), np.tile(np.arange(L), R * T), np.repeat(tt_all, L)),
          np.ones(R * T * L), *sense(X0.sum(axis=1)[rr_all], "=="))

    # stock_flow[r, l, t]: area - area[t-1] - inflow + outflow = baseline (first milestone) / 0
    ra, la, ta = np.repeat(np.arange(R), L * T), np.tile(np.repeat(np.arange(L), T), R), np.tile(np.arange(T), R * L)
    row_of = lambda r, l, t: (r * L + l) * T + t  # noqa: E731  (stock_flow rows follow the area columns)
    later = ta > 0
    rf, pp, tf = np.repeat(np.arange(R), P * T), np.tile(np.repeat(np.arange(P), T), R), np.tile(np.arange(T), R * P)
    fcol = flow(rf, pp, tf)
    block(np.concatenate([row_of(ra, la, ta), row_of(ra, la, ta)[later], row_of(rf, pt[pp], tf), row_of(rf, pf[pp], tf)]),
          np.concatenate([area(ra, la, ta), area(ra, la, ta - 1)[later], fcol, fcol]),
          np.concatenate([np.ones(len(ra)), -np.ones(later.sum()), -np.ones(len(fcol)), np.ones(len(fcol))]),
          *sense(np.where(ta == 0, X0[ra, la], 0.0), "=="))

    # conversion_rate[r, p, t]: flow - share * area[from, t-1] <= share * baseline[from] (first) / 0
    rated = ~np.isnan(pct[pp])
    rr, p2, t2 = rf[rated], pp[rated], tf[rated]
    share = pct[p2] / 100.0
    i = np.arange(len(rr))
    lt = t2 > 0
    block(np.concatenate([i, i[lt]]), np.concatenate([flow(rr, p2, t2), area(rr, pf[p2], t2 - 1)[lt]]),
          np.concatenate([np.ones(len(i)), -share[lt]]),
          *sense(np.where(t2 == 0, share * X0[rr, pf[p2]], 0.0), "<="))

    # afforestation_limit[r, t]: cumulative unused -> forest flows up to t <= potential
    tg = tables["targets"]
    tg_r, tg_t = _codes(tg["region"], regions), np.array([ycode[int(y)] for y in tg["year"]], dtype=np.int64)
    pot = _num(tg, "afforestation_potential_ha")
    sel = ~np.isnan(pot)
    aff_pairs = np.flatnonzero(np.isin(roles[pf], ["unused"]) & np.isin(roles[pt], ["forest"]))
    ri, ti = tg_r[sel], tg_t[sel]
    parts_i, parts_c = [], []
    for p in aff_pairs:
        for tp in range(T):
            ok_t = tp <= ti
            parts_i.append(np.flatnonzero(ok_t))
            parts_c.append(flow(ri[ok_t], p, tp))
    ai = np.concatenate(parts_i) if parts_i else np.empty(0, np.int64)
    ac = np.concatenate(parts_c) if parts_c else np.empty(0, np.int64)
    block(ai, ac, np.ones(len(ai)), *sense(pot[sel], "<="))

    # cropland_protection, urban_boundary, urban_demand (targets rows)
    for col, role, s, rhs_of in (
        ("cropland_min_ha", "cropland", ">=", None),
        ("urban_boundary_ha", "urban", "<=", None),
        ("urban_population", "urban", ">=", lambda: _num(tg, "urban_population") * _num(tg, "urban_land_per_capita_m2") / 1e4),
    ):
        rhs = rhs_of() if rhs_of else _num(tg, col)
        sel = ~np.isnan(rhs)
        block(*role_rows(tg_r[sel], tg_t[sel], role), *sense(rhs[sel], s))

    # grazing: split (g + b - grass = 0), capacity (s - g*Y*u/I <= 0), rest (b >= min), livestock floor (s >= min)
    gr, gt = _codes(gz["region"], regions), np.array([ycode[int(y)] for y in gz["year"]], dtype=np.int64)
    gi = np.arange(G)
    i2, c2, v2 = role_rows(gr, gt, "grassland", -1.0)
    block(np.concatenate([gi, gi, i2]), np.concatenate([g0 + gi, b0 + gi, c2]),
          np.concatenate([np.ones(G), np.ones(G), v2]), *sense(np.zeros(G), "=="))
    cap = _num(gz, "forage_yield_kg_per_ha") * _num(gz, "utilisation_rate") / _num(gz, "intake_kg_per_su_yr")
    block(np.concatenate([gi, gi]), np.concatenate([s0 + gi, g0 + gi]), np.concatenate([np.ones(G), -cap]),
          *sense(np.zeros(G), "<="))
    for col, base_col in (("rest_min_ha", b0), ("livestock_min_su", s0)):
        v = _num(gz, col)
        sel = np.flatnonzero(~np.isnan(v))
        block(np.arange(len(sel)), base_col + sel, np.ones(len(sel)), *sense(v[sel], ">="))

    # energy: pv_suitability (sum pv <= suitable), clean_capacity (k * sum pv >= target - other)
    en = tables["energy"]
    er, et = _codes(en["region"], regions), np.array([ycode[int(y)] for y in en["year"]], dtype=np.int64)
    v = _num(en, "pv_suitable_ha")
    sel = ~np.isnan(v)
    block(*role_rows(er[sel], et[sel], "pv"), *sense(v[sel], "<="))
    v = _num(en, "clean_capacity_min_mw")
    sel = ~np.isnan(v)
    other = np.nan_to_num(_num(en, "other_clean_capacity_mw"))
    block(*role_rows(er[sel], et[sel], "pv", _num(en, "pv_mw_per_ha")[sel]), *sense((v - other)[sel], ">="))

    # ecological floors on the (region, year) grid: given floor, else the baseline (no net loss)
    no_net_loss = _yes(st.get("no_net_loss", ""), True)
    for role, col in (("forest", "forest_min_ha"), ("wetland", "wetland_min_ha"), ("grassland", "grassland_min_ha")):
        if role not in role_of:
            continue
        floor = np.full((R, T), np.nan)
        given = _num(tg, col)
        sel = ~np.isnan(given)
        floor[tg_r[sel], tg_t[sel]] = given[sel]
        if no_net_loss:
            implied = np.isnan(floor)
            floor[implied] = np.broadcast_to(X0[:, role_of[role]].sum(axis=1)[:, None], (R, T))[implied]
        f = floor.reshape(-1)
        sel = ~np.isnan(f) & (f > 0)
        block(*role_rows(rr_all[sel], tt_all[sel], role), *sense(f[sel], ">="))

    # area_bounds: area_min then area_max, in sheet order
    ab = tables.get("area_bounds")
    if ab is not None and len(ab):
        ar, al = _codes(ab["region"], regions), _codes(ab["land_use"], lus)
        at = np.array([ycode[int(y)] for y in ab["year"]], dtype=np.int64)
        for col, s in (("min_ha", ">="), ("max_ha", "<=")):
            v = _num(ab, col)
            sel = np.flatnonzero(~np.isnan(v))
            block(np.arange(len(sel)), area(ar[sel], al[sel], at[sel]), np.ones(len(sel)), *sense(v[sel], s))

    A = sp.csr_array((np.concatenate(vals), (np.concatenate(rows_i), np.concatenate(cols_j))), shape=(m, n))

    # objective (maximise): -44/12 * flux * area - CH4 * GWP / 1000 * livestock (+ avoided PV emissions)
    weight_t = np.ones(T) if st.get("objective_years", "target") == "all" else (np.arange(T) == T - 1).astype(float)
    cost = np.zeros(n)
    cost[:n_area] = (-TC_TO_TCO2 * flux[ra, la]) * weight_t[ta]
    gwp = float(st.get("ch4_gwp") or 27.0)
    cost[s0:s0 + G] = -_num(gz, "ch4_kg_per_su_yr") * gwp / 1000.0 * weight_t[gt]
    if _yes(st.get("include_avoided_emissions", ""), False):
        per_ha = _num(en, "pv_mw_per_ha") * np.nan_to_num(_num(en, "pv_mwh_per_mw_yr")) \
            * np.nan_to_num(_num(en, "grid_factor_tco2_per_mwh"))
        for l in role_of.get("pv", []):
            cost[area(er, l, et)] += per_ha * weight_t[et]
    return FloorLP(A, np.concatenate(lo), np.concatenate(hi), cost, st)


def floor_solve(tables: dict[str, pd.DataFrame], method: str | None = None, threads: int | None = None) -> dict:
    """Build with :func:`floor_build`, hand to HiGHS through its array API, solve, read the solution back."""
    import highspy

    t0 = time.perf_counter()
    lp = floor_build(tables)
    t1 = time.perf_counter()
    m, n = lp.shape
    method = pick_method(tables, n, method)
    h = highspy.Highs()
    for k, v in highs_options(method, threads, float(lp.settings.get("time_limit_s") or 0) or None).items():
        h.setOptionValue(k, v)
    # the bare array API: columns with their costs and bounds, then the rows as one CSR matrix
    A = lp.A
    h.addCols(n, lp.cost, np.zeros(n), np.full(n, highspy.kHighsInf), 0, np.zeros(n, dtype=np.int32),
              np.zeros(0, dtype=np.int32), np.zeros(0))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.addRows(m, lp.row_lower, lp.row_upper, A.nnz, A.indptr.astype(np.int32), A.indices.astype(np.int32), A.data)
    t2 = time.perf_counter()
    h.run()
    t3 = time.perf_counter()
    status = h.modelStatusToString(h.getModelStatus())
    sol = h.getSolution()
    x = np.asarray(sol.col_value)
    dual = np.asarray(sol.row_dual)
    info = h.getInfo()
    objective = float(info.objective_function_value)
    t4 = time.perf_counter()
    return {"status": status, "objective": objective, "method": method, "vars": n, "rows": m,
            "build_s": t1 - t0, "solve_s": t4 - t1, "run_s": t3 - t2, "iterations": int(info.simplex_iteration_count),
            "x": x, "dual": dual}


# ============================================================================ landopt
def landopt_solve(tables: dict[str, pd.DataFrame], method: str | None = None, threads: int | None = None) -> dict:
    from landopt.model.build import build
    from landopt.reader import from_tables
    from landopt.results import extract
    from landopt.solve import solve_form
    from landopt.validate import load_spec

    t0 = time.perf_counter()
    raw = from_tables(tables)
    ta = time.perf_counter()
    spec = load_spec(raw)
    t1 = time.perf_counter()
    lm = build(spec)
    t2 = time.perf_counter()
    form = lm.standard_form()
    t3 = time.perf_counter()
    method = pick_method(tables, lm.columns.n, method)
    out = solve_form(form, spec.settings, threads=threads, method=method, keep_highs=False)  # no ranging here
    t4 = time.perf_counter()
    result = extract(lm, out, with_ranging=False)
    t5 = time.perf_counter()
    # not in the total: the per-row and per-variable tables with readable labels, made on first use
    labelled = len(result.constraints) + len(result.reduced_costs)
    t6 = time.perf_counter()
    return {"labelled_tables_s": t6 - t5, "labelled_rows": labelled, "status": out.status, "objective": result.objective, "method": method, "vars": lm.columns.n,
            "rows": lm.n_rows, "build_s": t2 - t0, "solve_s": t5 - t2, "from_tables_s": ta - t0, "validate_s": t1 - ta, "model_s": t2 - t1,
            "compile_s": t3 - t2, "run_s": out.solve_seconds, "iterations": out.iterations, "handover_run_s": t4 - t3,
            "extract_s": t5 - t4}


# ============================================================================ linopy
def linopy_build(tables: dict[str, pd.DataFrame]):
    """The same LP, written idiomatically in linopy (labelled xarray dimensions, masks for blank cells)."""
    import linopy
    import xarray as xr

    st = _settings(tables)
    years = _years(st)
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

    no_net_loss = _yes(st.get("no_net_loss", ""), True)
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
    if _yes(st.get("include_avoided_emissions", ""), False):
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
    opts = highs_options(method, threads, float(_settings(tables).get("time_limit_s") or 0) or None)
    status, condition = m.solve(solver_name="highs", io_api="direct", progress=False, **opts)
    t2 = time.perf_counter()
    h = getattr(m, "solver_model", None)
    run_s = float(h.getRunTime()) if h is not None else float("nan")
    iterations = int(h.getInfo().simplex_iteration_count) if h is not None else -1
    return {"status": condition, "objective": float(m.objective.value), "method": method, "vars": n,
            "rows": int(m.ncons), "build_s": t1 - t0, "solve_s": t2 - t1, "run_s": run_s, "iterations": iterations}


# ============================================================================ worker and driver
APPROACHES = {"landopt": landopt_solve, "floor": floor_solve, "linopy": linopy_solve}


def _synthetic():
    """``landopt.synthetic`` loaded on its own (numpy + pandas only), so that the floor and linopy workers do
    not import the landopt package (and Pyomo with it)."""
    import importlib.util

    if "landopt.synthetic" in sys.modules:
        return sys.modules["landopt.synthetic"]
    spec = importlib.util.spec_from_file_location("_landopt_synthetic", ROOT / "src" / "landopt" / "synthetic.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _maxrss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024.0 if sys.platform != "darwin" else kb / 2**20


def _peak_mb() -> float:
    """Peak resident memory of this process, MB.

    On Linux ``ru_maxrss`` of a freshly started child also counts the parent's resident set at the
    moment of the fork (the kernel carries the high-water mark across ``execve``), so the worker
    reads the high-water mark of its own address space, ``VmHWM`` in ``/proc/self/status``; elsewhere
    it falls back to ``ru_maxrss``.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return _maxrss_mb()


def _worker(args: argparse.Namespace) -> None:
    # imports before the clock (each approach pays its own)
    import highspy  # noqa: F401
    import scipy.sparse  # noqa: F401

    generate = _synthetic().generate

    if args.worker == "landopt":
        import landopt.model.build  # noqa: F401
        import landopt.model.families  # noqa: F401
        import landopt.results  # noqa: F401
        import landopt.solve  # noqa: F401
        import landopt.validate  # noqa: F401
        from pyomo.common.dependencies import scipy as _deferred

        _deferred.sparse  # resolve Pyomo's deferred scipy import (it pulls in scipy.stats) before the clock
    elif args.worker == "linopy":
        import linopy  # noqa: F401
        import xarray  # noqa: F401
    tables = generate(args.n_regions, seed=args.seed)
    rss_before = _peak_mb()
    res = APPROACHES[args.worker](tables, method=args.method, threads=args.threads)
    if args.worker == "landopt":
        from landopt.solve import choose_method

        res["auto_method"] = choose_method("auto", res["vars"])  # what landopt's auto rule picks for this size
    res = {k: v for k, v in res.items() if not isinstance(v, np.ndarray)}
    res["peak_mb"] = _peak_mb()
    res["ru_maxrss_mb"] = _maxrss_mb()
    res["peak_mb_after_setup"] = rss_before
    res["total_s"] = res["build_s"] + res["solve_s"]
    print(json.dumps(res))


def run_one(approach: str, n_regions: int, seed: int, method: str, threads: int | None) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", approach, "--n-regions", str(n_regions),
           "--seed", str(seed), "--method", method]
    if threads:
        cmd += ["--threads", str(threads)]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise RuntimeError(f"{approach} worker failed:\n{p.stderr[-4000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def machine() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    def v(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1]) / 2**20
    except (OSError, StopIteration):
        mem = float("nan")
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem, 1), "python": platform.python_version(),
            "pyomo": v("pyomo"), "highspy": v("highspy"), "pandas": v("pandas"), "numpy": v("numpy"),
            "scipy": v("scipy"), "linopy": v("linopy")}


def _median_run(runs: list[dict]) -> dict:
    """The run with the median total time (the lower middle one for an even count)."""
    return sorted(runs, key=lambda r: r["total_s"])[(len(runs) - 1) // 2]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1e3,1e4,1e5,1e6", help="decision variables per instance, comma-separated")
    ap.add_argument("--json", action="store_true", help="one JSON object per size on stdout")
    ap.add_argument("--threads", type=int, default=None, help="HiGHS threads (same for all three)")
    ap.add_argument("--method", default="auto", choices=["auto", "simplex", "ipm"], help="HiGHS method for all three")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs per approach and size (fresh process each, interleaved); the median run is reported")
    ap.add_argument("--approaches", default="landopt,floor,linopy", help=argparse.SUPPRESS)
    ap.add_argument("--worker", choices=list(APPROACHES), help=argparse.SUPPRESS)
    ap.add_argument("--n-regions", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        _worker(args)
        return 0

    # the driver stays lean (numpy + pandas): the workers are forked from it
    size_for_vars, vars_per_region = _synthetic().size_for_vars, _synthetic().vars_per_region

    approaches = args.approaches.split(",")
    if "linopy" in approaches and importlib.util.find_spec("linopy") is None:
        print("benchmarks/scale.py: linopy (the peer modelling layer it compares against) is not installed; "
              "install the benchmark extra first: pip install -e \".[bench]\"", file=sys.stderr)
        return 2
    if not args.json:
        mc = machine()
        print(f"# {mc['nproc']} cores, {mc['cpu']}, {mc['ram_gib']} GiB; Python {mc['python']}, Pyomo {mc['pyomo']}, "
              f"highspy {mc['highspy']}, linopy {mc['linopy']}; threads={args.threads or 'default'}, method={args.method}")
        print(f"{'vars':>9} {'method':>7} | {'landopt build':>13} {'solve':>7} {'total':>7} {'MB':>6} | "
              f"{'floor total':>11} {'MB':>6} | {'linopy total':>12} {'MB':>6} | {'/floor':>6} {'/linopy':>7} | objective")
    for size in [float(s) for s in args.sizes.split(",") if s.strip()]:
        R = size_for_vars(size)
        # one method for all three, decided here; "auto" is landopt's rule (checked against landopt below)
        from landopt.solve import choose_method

        method = args.method if args.method != "auto" else choose_method("auto", R * vars_per_region())
        runs: dict[str, list[dict]] = {a: [] for a in approaches}
        for _ in range(max(1, args.repeat)):
            for a in approaches:  # interleaved, so that a slow spell of the machine hits every approach
                runs[a].append(run_one(a, R, args.seed, method, args.threads))
        res = {a: _median_run(rs) for a, rs in runs.items()}
        if args.method == "auto" and "landopt" in res:
            assert res["landopt"]["auto_method"] == method, "landopt's auto rule and the benchmark's disagree"
        objs = {a: r["objective"] for a, r in res.items()}
        ref = objs[approaches[0]]
        agree = all(abs(o - ref) <= REL_TOL * max(1.0, abs(ref)) for o in objs.values())
        methods = {r["method"] for r in res.values()}
        assert len(methods) == 1, f"approaches used different methods: {methods}"
        lo, fl, li = res.get("landopt"), res.get("floor"), res.get("linopy")
        row = {
            "vars": lo["vars"] if lo else R * vars_per_region(),
            "regions": R,
            "rows": lo["rows"] if lo else None,
            "method": methods.pop(),
            "threads": args.threads,
            "landopt_build_s": lo and round(lo["build_s"], 3),
            "landopt_solve_s": lo and round(lo["solve_s"], 3),
            "landopt_s": lo and round(lo["total_s"], 3),
            "floor_s": fl and round(fl["total_s"], 3),
            "linopy_s": li and round(li["total_s"], 3),
            "ratio_floor": lo and fl and round(lo["total_s"] / fl["total_s"], 3),
            "ratio_linopy": lo and li and round(lo["total_s"] / li["total_s"], 3),
            "peak_mb": lo and round(lo["peak_mb"], 1),
            "floor_peak_mb": fl and round(fl["peak_mb"], 1),
            "linopy_peak_mb": li and round(li["peak_mb"], 1),
            "overhead_s": {a: round(r["total_s"] - r["run_s"], 3) for a, r in res.items()},
            "repeat": max(1, args.repeat),
            "totals_s": {a: [round(r["total_s"], 3) for r in rs] for a, rs in runs.items()},
            # time outside the HiGHS run in every run, and its median: far less noisy than the totals
            "overheads_s": {a: [round(r["total_s"] - r["run_s"], 3) for r in rs] for a, rs in runs.items()},
            "overhead_median_s": {a: round(float(np.median([r["total_s"] - r["run_s"] for r in rs])), 3)
                                  for a, rs in runs.items()},
            # HiGHS's simplex iterations: the same number means HiGHS did the same work for each approach
            "iterations": {a: sorted({int(r.get("iterations", -1)) for r in rs}) for a, rs in runs.items()},
            "objective": ref,
            "objectives_agree": agree,
            "detail": res,
        }
        if args.json:
            print(json.dumps(row), flush=True)
        else:
            f = lambda v, w=7: f"{v:>{w}.2f}" if isinstance(v, (int, float)) else f"{'-':>{w}}"  # noqa: E731
            print(f"{row['vars']:>9,} {row['method']:>7} | {f(row['landopt_build_s'], 13)} {f(row['landopt_solve_s'])} "
                  f"{f(row['landopt_s'])} {f(row['peak_mb'], 6)} | {f(row['floor_s'], 11)} {f(row['floor_peak_mb'], 6)} | "
                  f"{f(row['linopy_s'], 12)} {f(row['linopy_peak_mb'], 6)} | {f(row['ratio_floor'], 6)} "
                  f"{f(row['ratio_linopy'])} | {ref:,.1f} {'(all agree)' if agree else '(DISAGREE)'}", flush=True)
            print(f"{'':>17} time outside the HiGHS run: "
                  + ", ".join(f"{a} {v:.2f} s" for a, v in row["overhead_s"].items())
                  + (f" (in the median run; median over the {row['repeat']} runs each: "
                     + ", ".join(f"{a} {v:.2f} s" for a, v in row["overhead_median_s"].items()) + ")"
                     if row["repeat"] > 1 else ""), flush=True)
            print(f"{'':>17} HiGHS simplex iterations: "
                  + ", ".join(f"{a} {'/'.join(map(str, v))}" for a, v in row["iterations"].items()), flush=True)
        assert agree, f"objectives differ beyond {REL_TOL:g}: {objs}"
    return 0


if __name__ == "__main__":
    sys.exit(main())
