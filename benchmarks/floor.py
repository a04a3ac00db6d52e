"""The benchmark's floor: landopt's LP built straight from the input tables with numpy/scipy and handed to a bare
highspy instance through its array API (no modelling layer), plus the HiGHS settings shared by every approach.

Used by ``benchmarks/scale.py`` (stage table and end-to-end runs) and by ``tests/test_synthetic.py``.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

TC_TO_TCO2 = 44.0 / 12.0
INF = float("inf")

# ============================================================================ settings shared by all three
def settings_of(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    s = tables["settings"]
    return {str(k).strip(): ("" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip())
            for k, v in zip(s["key"], s["value"])}


def years_of(settings: dict[str, str]) -> list[int]:
    return [int(float(p)) for p in settings["milestone_years"].replace(";", ",").split(",") if p.strip()]


def truthy(v: str, default: bool) -> bool:
    return default if v == "" else v.lower() in ("yes", "y", "true", "1", "是", "on")


def pick_method(tables: dict[str, pd.DataFrame], n_cols: int, method: str | None = None) -> str:
    """The HiGHS method all three approaches use: ``method`` if given, else what landopt's auto rule picks."""
    if method and method != "auto":
        return method
    from landopt.backends.highs import choose_method

    return choose_method(settings_of(tables).get("solver_method") or "auto", n_cols)


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

    st = settings_of(tables)
    years = np.asarray(years_of(st), dtype=np.int64)
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
    no_net_loss = truthy(st.get("no_net_loss", ""), True)
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
    if truthy(st.get("include_avoided_emissions", ""), False):
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

