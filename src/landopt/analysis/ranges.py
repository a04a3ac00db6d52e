"""Near-optimal ranges: how far each planner quantity can move while the net sink stays within a slack.

For every quantity :math:`q_i = Q_i x` (see :func:`landopt.analysis.nearopt.planner_quantities`) two LPs
are solved over the near-optimal region :math:`\\{x \\text{ feasible}: c^\\top x + c_0 \\ge z^* - s|z^*|\\}`:
:math:`\\max Q_i x` and :math:`\\min Q_i x`, all on ONE warm HiGHS instance (each re-solve changes only the
cost vector and starts from the previous basis; a non-optimal warm end is retried from scratch).

Solves that cannot change the answer are skipped: every solution visited (the optimum included) is evaluated
on every quantity, and a quantity already seen at a bound that follows from the rows one at a time (bound
propagation, :func:`implied_bounds`) — 0 for a sum of non-negative variables, the cropland red line, an ecological
floor, an ``area_bounds`` limit, the baseline for a land use no conversion reaches — has that extreme proven.  Maxima are solved first, because pushing one land use up
pushes others to their floors.

**Fixed or free.** A quantity is *fixed* when ``max − min <= abs_tol + rel_tol·|optimum|`` (defaults: one
unit — 1 ha or 1 sheep unit — plus 1e-6 of the value, i.e. below what a plan reports), else *free*.
Each range holds for that quantity on its own: two free quantities generally cannot both be at their
extremes in one plan.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from landopt.analysis.nearopt import NearOptimal, Quantities, planner_quantities
from landopt.model.build import LandModel
from landopt.spec import ModelSpec

log = logging.getLogger(__name__)

ABS_TOL = 1.0  #: a quantity whose range is at most this (ha or SU) plus REL_TOL of its value is fixed
REL_TOL = 1e-6
KINDS = ("area", "conversion", "livestock")


@dataclass
class Ranges:
    """[min, optimum, max] of every planner quantity within the slack, and how it was computed."""

    table: pd.DataFrame  # one row per quantity; see ``near_optimal_ranges``
    slack: float  # fraction of |optimum|
    optimum: float  # net sink at the optimum, t CO2e/yr
    floor: float  # the lowest net sink allowed, t CO2e/yr
    spec: ModelSpec = field(repr=False)
    timing: dict[str, Any] = field(default_factory=dict)
    abs_tol: float = ABS_TOL
    rel_tol: float = REL_TOL

    @property
    def fixed(self) -> pd.DataFrame:
        return self.table[self.table["fixed"]]

    @property
    def free(self) -> pd.DataFrame:
        return self.table[~self.table["fixed"]]


def _row_cost(Q: Any, i: int, n: int) -> np.ndarray:
    c = np.zeros(n)
    s, e = Q.indptr[i], Q.indptr[i + 1]
    c[Q.indices[s:e]] = Q.data[s:e]
    return c


def implied_bounds(form: Any, Q: Any, rounds: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """Bounds on every quantity that follow from the rows one at a time (bound propagation, as LP presolve does):
    for a quantity that is one column, that column's propagated bounds; -inf/+inf for sums.

    This catches a floor or limit on one variable (the cropland red line, an ecological floor, ``area_bounds``), a
    land use that no conversion reaches (its stock-flow rows cap it at the baseline: cropland and garden on the
    shipped workbook) and one that no conversion touches (pinned at the baseline: water).  A solution found at one
    of these bounds proves that extreme without a solve.
    """
    lo_c, hi_c = _propagate(form.A.tocsr(), form.row_lower, form.row_upper, np.array(form.col_lower, dtype=float),
                            np.array(form.col_upper, dtype=float), rounds)
    m = Q.shape[0]
    lo, hi = np.full(m, -np.inf), np.full(m, np.inf)
    single = np.flatnonzero(np.diff(Q.indptr) == 1)
    j = Q.indices[Q.indptr[single]]
    c = Q.data[Q.indptr[single]]
    lo[single] = np.where(c > 0, c * lo_c[j], c * hi_c[j])
    hi[single] = np.where(c > 0, c * hi_c[j], c * lo_c[j])
    return lo, hi


def _side(A: Any, lo: np.ndarray, hi: np.ndarray, low: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per entry of A: its term's least (``low``) or greatest value; per row: the sum of finite terms and the count
    of infinite ones."""
    col = A.indices
    a = A.data
    pick_lo = (a > 0) if low else (a < 0)
    term = a * np.where(pick_lo, lo[col], hi[col])
    inf = ~np.isfinite(term)
    rows = np.repeat(np.arange(A.shape[0]), np.diff(A.indptr))
    finite_sum = np.bincount(rows, weights=np.where(inf, 0.0, term), minlength=A.shape[0])
    n_inf = np.bincount(rows, weights=inf.astype(float), minlength=A.shape[0])
    return term, finite_sum, n_inf


def _propagate(A: Any, row_lower: np.ndarray, row_upper: np.ndarray, lo: np.ndarray, hi: np.ndarray,
               rounds: int) -> tuple[np.ndarray, np.ndarray]:
    """Tighten column bounds ``lo``/``hi`` with every row ``row_lower <= A x <= row_upper`` in turn, ``rounds`` times
    (or until nothing changes by more than 1e-9 relative)."""
    rows = np.repeat(np.arange(A.shape[0]), np.diff(A.indptr))
    col, a = A.indices, A.data
    for _ in range(rounds):
        t_min, s_min, k_min = _side(A, lo, hi, low=True)
        t_max, s_max, k_max = _side(A, lo, hi, low=False)
        # activity of the rest of the row (without this entry): least and greatest
        with np.errstate(invalid="ignore"):
            rest_min = np.where(np.isfinite(t_min), np.where(k_min[rows] == 0, s_min[rows] - t_min, -np.inf),
                                np.where(k_min[rows] == 1, s_min[rows], -np.inf))
            rest_max = np.where(np.isfinite(t_max), np.where(k_max[rows] == 0, s_max[rows] - t_max, np.inf),
                                np.where(k_max[rows] == 1, s_max[rows], np.inf))
            up = (row_upper[rows] - rest_min) / a  # a·x <= U − rest_min
            down = (row_lower[rows] - rest_max) / a  # a·x >= L − rest_max
        new_hi = np.where(a > 0, up, down)
        new_lo = np.where(a > 0, down, up)
        hi2, lo2 = hi.copy(), lo.copy()
        np.minimum.at(hi2, col, np.nan_to_num(new_hi, nan=np.inf, posinf=np.inf, neginf=-np.inf))
        np.maximum.at(lo2, col, np.nan_to_num(new_lo, nan=-np.inf, posinf=np.inf, neginf=-np.inf))
        hi2 = np.maximum(hi2, lo2)  # rounding must never cross the bounds
        with np.errstate(invalid="ignore"):
            changed = (np.abs(hi2 - hi) > 1e-9 * np.maximum(1.0, np.abs(hi2))) | (np.abs(lo2 - lo) > 1e-9 * np.maximum(1.0, np.abs(lo2)))
        lo, hi = lo2, hi2
        if not changed.any():
            break
    return lo, hi


def _baseline(lm: LandModel, table: pd.DataFrame) -> np.ndarray:
    """Baseline value of every quantity: baseline area (ha) for areas, 0 ha for conversions, blank for livestock."""
    base = lm.spec.baseline.set_index(["region", "land_use"])["area_ha"]
    out = np.full(len(table), np.nan)
    a = (table["kind"] == "area").to_numpy()
    keys = pd.MultiIndex.from_arrays([table.loc[a, "region"], table.loc[a, "land_use"]])
    out[a] = base.reindex(keys).fillna(0.0).to_numpy(dtype=float)
    out[(table["kind"] == "conversion").to_numpy()] = 0.0
    return out


def near_optimal_ranges(lm: LandModel, slack: float, kinds: tuple[str, ...] = KINDS, abs_tol: float = ABS_TOL,
                        rel_tol: float = REL_TOL, threads: int | None = None) -> Ranges:
    """Min and max of every planner quantity of ``kinds`` with the net sink held within ``slack`` (a fraction).

    The table has: kind, region, land_use, from_land_use, to_land_use, period, unit, baseline, min, optimum, max,
    range, fixed (bool), direction (what the range says about the change from the baseline) and solved_min /
    solved_max (False where a solve was skipped because the answer was already proven).
    """
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown quantity kind(s) {', '.join(unknown)}; choose from {', '.join(KINDS)}")
    t0 = time.perf_counter()
    nx = NearOptimal(lm, slack, threads=threads)
    t_opt = time.perf_counter()
    qs = planner_quantities(lm)
    keep = qs.table["kind"].isin(kinds).to_numpy()
    q = Quantities(table=qs.table[keep].reset_index(drop=True), Q=qs.Q[np.flatnonzero(keep)])
    n, m = lm.columns.n, len(q.table)
    opt = q.values(nx.optimum.x)
    lo, hi = opt.copy(), opt.copy()  # seen so far: inside the true [min, max]
    solved_lo, solved_hi = np.zeros(m, dtype=bool), np.zeros(m, dtype=bool)
    status = np.array(["optimal"] * m, dtype=object)
    col_lower = nx.warm.form.col_lower
    nonneg = np.array([bool(np.all(q.Q.data[q.Q.indptr[i]:q.Q.indptr[i + 1]] > 0)) and
                       bool(np.all(col_lower[q.Q.indices[q.Q.indptr[i]:q.Q.indptr[i + 1]]] >= 0)) for i in range(m)])
    proven_lo, proven_hi = implied_bounds(nx.warm.form, q.Q)
    proven_lo[nonneg] = np.maximum(proven_lo[nonneg], 0.0)
    at_lo, at_hi = np.zeros(m, dtype=bool), np.zeros(m, dtype=bool)  # seen at a bound the LP states outright

    def visit(x: np.ndarray) -> None:
        v = q.values(x)
        np.minimum(lo, v, out=lo)
        np.maximum(hi, v, out=hi)
        with np.errstate(invalid="ignore"):
            at_lo[:] |= lo <= proven_lo + 1e-9 * np.maximum(1.0, np.abs(proven_lo))
            at_hi[:] |= hi >= proven_hi - 1e-9 * np.maximum(1.0, np.abs(proven_hi))

    visit(nx.optimum.x)
    for sense in (+1.0, -1.0):
        for i in range(m):
            if (at_hi if sense > 0 else at_lo)[i]:
                continue  # already seen at a bound the LP states: that extreme is proven
            c = _row_cost(q.Q, i, n)
            st, x = nx.extreme_x(sense * c)
            if st != "optimal":
                status[i] = st
                log.warning("range of %s: %s", q.table.loc[i, "kind"], st)
                continue
            visit(x)
            v = float(c @ x)
            if sense > 0:
                hi[i], solved_hi[i] = max(hi[i], v), True
            else:
                lo[i], solved_lo[i] = min(lo[i], v), True
    t_end = time.perf_counter()

    t = q.table.copy()
    t["baseline"] = _baseline(lm, t)
    lo = np.where(at_lo, np.maximum(lo, proven_lo), lo)  # seen at the bound (within 1e-9): report the bound itself
    hi = np.where(at_hi, np.minimum(hi, proven_hi), hi)
    t["min"], t["optimum"], t["max"] = lo, opt, hi
    t["range"] = hi - lo
    tol = abs_tol + rel_tol * np.abs(opt)
    t["fixed"] = t["range"].to_numpy() <= tol
    t["direction"] = _direction(t, tol)
    t["solved_min"], t["solved_max"], t["status"] = solved_lo, solved_hi, status
    timing = {"single_solve_seconds": nx.seconds_optimum, "batch_seconds": t_end - t_opt,
              "total_seconds": t_end - t0, "lps": int(solved_lo.sum() + solved_hi.sum()),
              "skipped": int(2 * m - solved_lo.sum() - solved_hi.sum()), "warm_solves": nx.batch_solves,
              "cold_retries": nx.batch_retries, "quantities": m}
    timing["ratio_to_single_solve"] = timing["batch_seconds"] / max(nx.seconds_optimum, 1e-12)
    log.info("ranges: %d quantities, %d LPs (%d skipped) in %.3f s = %.1f× one solve (%.4f s); %d cold retries",
             m, timing["lps"], timing["skipped"], timing["batch_seconds"], timing["ratio_to_single_solve"],
             nx.seconds_optimum, nx.batch_retries)
    return Ranges(table=t, slack=slack, optimum=nx.z_star, floor=nx.floor, spec=lm.spec, timing=timing,
                  abs_tol=abs_tol, rel_tol=rel_tol)


def _direction(t: pd.DataFrame, tol: np.ndarray) -> list[str]:
    """What every near-optimal plan does to the quantity, in words (Chinese first)."""
    out = []
    for kind, base, lo, hi, fixed, tl in zip(t["kind"], t["baseline"], t["min"], t["max"], t["range"] <= tol, tol):
        if kind == "area":
            if lo > base + tl:
                out.append("必须增加 must increase")
            elif hi < base - tl:
                out.append("必须减少 must decrease")
            elif fixed:
                out.append("保持基期 stays at the baseline")
            elif lo >= base - tl:
                out.append("可增不减 may rise, never falls")
            elif hi <= base + tl:
                out.append("可减不增 may fall, never rises")
            else:
                out.append("可增可减 may rise or fall")
        elif kind == "conversion":
            if lo > tl:
                out.append("必须转换 required")
            elif hi <= tl:
                out.append("不转换 not used")
            else:
                out.append("可选 optional")
        else:
            out.append("固定 fixed" if fixed else "可调 adjustable")
    return out
