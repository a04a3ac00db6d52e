"""Near-optimal ranges: how far each planner quantity can move while the net sink stays within a slack.

For every quantity :math:`q_i = Q_i x` (see :func:`landopt.analysis.nearopt.planner_quantities`) two LPs
are solved over the near-optimal region :math:`\\{x \\text{ feasible}: c^\\top x + c_0 \\ge z^* - s|z^*|\\}`:
:math:`\\max Q_i x` and :math:`\\min Q_i x`, all on ONE warm HiGHS instance (each re-solve changes only the
cost vector and starts from the previous basis; a non-optimal warm end is retried from scratch).

The batch runs through :class:`~landopt.analysis.nearopt.BatchSolver` (only changed costs sent, primal simplex
from the previous basis, presolve off, the solution read once).  Where it runs depends on its estimated serial time
(:func:`landopt.analysis.ranges_parallel.choose_workers`): a batch that small runs here; a mid-sized one — the
shipped workbook — is shared with processes forked from this one, which inherit the warm instance
(:mod:`landopt.analysis.ranges_fork`: on two cores the 91 area ranges take ≈ 0.12 s of wall time instead of 0.17 s,
for ≈ 0.22 s of CPU time); a large one (above :data:`~landopt.analysis.ranges_parallel.PARALLEL_MIN_SECONDS`) goes to
worker processes of the sweep executor's pool, each with its own warm HiGHS instance
(:mod:`landopt.analysis.ranges_parallel`).  The table is the same in every case.

Solves that cannot change the answer are skipped: every solution visited (the optimum included) is evaluated
on every quantity, and a quantity already seen at a bound that follows from the rows one at a time (bound
propagation, :func:`landopt.analysis.ranges_bounds.implied_bounds`) — 0 for a sum of non-negative variables, the
cropland red line, an ecological floor, an ``area_bounds`` limit, the baseline for a land use no conversion reaches
— has that extreme proven.  Maxima are solved first, because pushing one land use up pushes others to their floors.

**Fixed or free.** A quantity is *fixed* when ``max − min <= abs_tol + rel_tol·|optimum|`` (defaults: one
unit — 1 ha or 1 sheep unit — plus 1e-6 of the value, i.e. below what a plan reports), else *free*.
Each range holds for that quantity on its own: two free quantities generally cannot both be at their
extremes in one plan.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np
import pandas as pd

from landopt.analysis.nearopt import NearOptimal, Quantities, planner_quantities
from landopt.analysis.ranges_bounds import proven_bounds
from landopt.model.build import LandModel
from landopt.spec import ModelSpec

log = logging.getLogger(__name__)

ABS_TOL = 1.0  #: a quantity whose range is at most this (ha or SU) plus REL_TOL of its value is fixed
REL_TOL = 1e-6
KINDS = ("area", "conversion", "livestock")
PROBES = 1  #: joint probes per direction before the one-by-one solves (see ``Search._probe``); each forked
#: process probes its own chunk, so more probes repeat work there (docs/alternatives.md: 1 is fastest in both tiers)
PROBE_MIN = 2  #: a probe must prove at least this many extremes for another to follow


@dataclass
class Ranges:
    """[min, optimum, max] of every planner quantity within the slack, and how it was computed."""

    table: pd.DataFrame  # one row per quantity; see ``near_optimal_ranges``
    slack: float  # fraction of |optimum|
    optimum: float  # net sink at the optimum, in ``unit``
    floor: float  # the lowest net sink allowed, in ``unit``
    spec: ModelSpec = field(repr=False)
    timing: dict[str, Any] = field(default_factory=dict)
    abs_tol: float = ABS_TOL
    rel_tol: float = REL_TOL
    unit: str = "t CO2e/yr"  # the objective's unit (stock-change accounting: t CO2e, cumulative over the horizon)

    @property
    def fixed(self) -> pd.DataFrame:
        return self.table[self.table["fixed"]]

    @property
    def free(self) -> pd.DataFrame:
        return self.table[~self.table["fixed"]]


def _baseline(lm: LandModel, table: pd.DataFrame) -> np.ndarray:
    """Baseline value of every quantity: baseline area (ha) for areas, 0 ha for conversions, blank for livestock."""
    b = lm.spec.baseline
    base = dict(zip(zip(b["region"].astype(str), b["land_use"].astype(str)), b["area_ha"].astype(float)))
    kind = table["kind"].to_numpy()
    out = np.full(len(table), np.nan)
    a = np.flatnonzero(kind == "area")
    out[a] = [base.get(k, 0.0) for k in zip(table["region"].to_numpy()[a], table["land_use"].to_numpy()[a])]
    out[kind == "conversion"] = 0.0
    return out


@dataclass
class Search:
    """What is known about every quantity's range during the batch: observed values (inner bounds), the bounds the
    rows prove (outer), which extremes were solved and which were seen at a proven bound."""

    Q: Any  # csr quantities × columns
    proven_lo: np.ndarray
    proven_hi: np.ndarray
    lo: np.ndarray  # least value seen so far (inside the true range)
    hi: np.ndarray
    at_lo: np.ndarray = field(init=False)
    at_hi: np.ndarray = field(init=False)
    solved_lo: np.ndarray = field(init=False)
    solved_hi: np.ndarray = field(init=False)
    status: np.ndarray = field(init=False)
    solves: int = 0
    retries: int = 0

    def __post_init__(self) -> None:
        m = self.Q.shape[0]
        self.at_lo, self.at_hi = np.zeros(m, dtype=bool), np.zeros(m, dtype=bool)
        self.solved_lo, self.solved_hi = np.zeros(m, dtype=bool), np.zeros(m, dtype=bool)
        self.status = np.array(["optimal"] * m, dtype=object)
        counts = np.diff(self.Q.indptr)
        self._all_rows = bool(len(counts) and (counts > 0).all())  # reduceat needs every row non-empty
        self._starts = self.Q.indptr[:-1]
        with np.errstate(invalid="ignore"):
            self._lo_tol = self.proven_lo + 1e-9 * np.maximum(1.0, np.abs(self.proven_lo))
            self._hi_tol = self.proven_hi - 1e-9 * np.maximum(1.0, np.abs(self.proven_hi))

    def visit(self, x: np.ndarray) -> None:
        """Every quantity's value at the feasible point ``x`` widens what is seen; one at a proven bound is done."""
        v = np.add.reduceat(self.Q.data * x[self.Q.indices], self._starts) if self._all_rows else self.Q @ x
        np.minimum(self.lo, v, out=self.lo)
        np.maximum(self.hi, v, out=self.hi)
        self.at_lo |= self.lo <= self._lo_tol
        self.at_hi |= self.hi >= self._hi_tol

    def run(self, solver: Any, own: np.ndarray, tasks: Iterable[tuple[float, int]] | None = None) -> None:
        """Solve the maxima, then the minima, of the quantities ``own`` that are not yet proven (maxima first:
        pushing one land use up pushes others to their floors, which proves their minima).

        ``tasks``: the (sense, quantity) solves to consider, +1 for a maximum, −1 for a minimum (default: every
        maximum of ``own``, then every minimum); the probe of ``own`` in a sense runs before the first task in that
        sense.  A task already proven or solved is skipped.  (Forked workers pass their share of a common list,
        :class:`landopt.analysis.ranges_fork.TaskBoard`.)"""
        Q = self.Q
        solves0, retries0 = solver.solves, solver.retries
        if tasks is None:
            tasks = [(sense, i) for sense in (+1.0, -1.0) for i in own.tolist()]
        probed: set[float] = set()
        for sense, i in tasks:
            if sense not in probed:
                probed.add(sense)
                self._probe(solver, own, sense)
            done, solved = (self.at_hi, self.solved_hi) if sense > 0 else (self.at_lo, self.solved_lo)
            if done[i] or solved[i]:
                continue
            s, e = Q.indptr[i], Q.indptr[i + 1]
            cols, vals = Q.indices[s:e], Q.data[s:e]
            st, x = solver.extreme(cols, sense * vals)
            if st != "optimal" or x is None:
                self.status[i] = st
                log.warning("range of quantity %d: %s", i, st)
                continue
            self.visit(x)
            v = float(vals @ x[cols])
            if sense > 0:
                self.hi[i], self.solved_hi[i] = max(self.hi[i], v), True
            else:
                self.lo[i], self.solved_lo[i] = min(self.lo[i], v), True
        self.solves += solver.solves - solves0
        self.retries += solver.retries - retries0

    def _probe(self, solver: Any, own: np.ndarray, sense: float) -> None:
        """Push many quantities towards their proven bounds in one LP: maximise (``sense`` +1) or minimise the sum
        of the open quantities with a finite proven bound, each weighted by 1 / (its distance to that bound).  Every
        quantity the plan found reaches its bound is proven at once (a bound the rows prove, attained by a feasible
        plan, is the extreme).  Repeated while a probe proves at least :data:`PROBE_MIN` quantities."""
        Q = self.Q
        bound = self.proven_hi if sense > 0 else self.proven_lo
        seen = self.hi if sense > 0 else self.lo
        done = self.at_hi if sense > 0 else self.at_lo
        for _ in range(PROBES):
            open_ = own[~done[own] & np.isfinite(bound[own])]
            if len(open_) < PROBE_MIN:
                return
            w = 1.0 / np.maximum(np.abs(bound[open_] - seen[open_]), 1e-6 * np.maximum(1.0, np.abs(bound[open_])))
            sub = Q[open_]
            vals = np.bincount(sub.indices, weights=sense * sub.data * np.repeat(w, np.diff(sub.indptr)),
                               minlength=Q.shape[1])
            cols = np.flatnonzero(vals)
            before = int(done[open_].sum())
            st, x = solver.extreme(cols, vals[cols])
            if st != "optimal" or x is None:
                return
            self.visit(x)
            if int(done[open_].sum()) - before < PROBE_MIN:
                return

    def merge(self, part: dict[str, Any]) -> None:
        """Fold in a worker's findings (:func:`landopt.analysis.ranges_parallel.solve_chunk`,
        :func:`landopt.analysis.ranges_fork.state_of`): values by min/max, proofs and solved flags by "or", a
        non-optimal status where the worker met one."""
        np.minimum(self.lo, part["lo"], out=self.lo)
        np.maximum(self.hi, part["hi"], out=self.hi)
        self.at_lo |= part["at_lo"]
        self.at_hi |= part["at_hi"]
        self.solved_lo |= part["solved_lo"]
        self.solved_hi |= part["solved_hi"]
        bad = part["status"] != "optimal"
        self.status[bad] = part["status"][bad]
        self.solves += part["solves"]
        self.retries += part["retries"]


def near_optimal_ranges(lm: LandModel, slack: float, kinds: tuple[str, ...] = KINDS, abs_tol: float = ABS_TOL,
                        rel_tol: float = REL_TOL, threads: int | None = None, workers: int | None = None) -> Ranges:
    """Min and max of every planner quantity of ``kinds`` with the net sink held within ``slack`` (a fraction).

    The table has: kind, region, land_use, from_land_use, to_land_use, period, unit, baseline, min, optimum, max,
    range, fixed (bool), direction (what the range says about the change from the baseline) and solved_min /
    solved_max (False where a solve was skipped because the answer was already proven).

    ``workers``: None decides by size (:func:`landopt.analysis.ranges_parallel.choose_workers`: serial, forked
    workers or the worker pool), 1 runs in this process, more splits the quantities over that many processes.
    ``timing`` says which tier ran (``tier``, ``workers``) and gives the batch's wall time (``batch_seconds``) and
    CPU time (``batch_cpu_seconds``: this process plus its child processes, ``children_cpu_seconds``).
    """
    from landopt.analysis.ranges_fork import ForkReport, solve_forked
    from landopt.analysis.ranges_parallel import choose_workers, estimated_serial_seconds, solve_parallel

    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown quantity kind(s) {', '.join(unknown)}; choose from {', '.join(KINDS)}")
    t0 = time.perf_counter()
    nx = NearOptimal(lm, slack, threads=threads)
    t_opt, c_opt = time.perf_counter(), time.process_time()
    qs = planner_quantities(lm, tuple(kinds))
    keep = qs.table["kind"].isin(kinds).to_numpy()
    q = Quantities(table=qs.table[keep].reset_index(drop=True), Q=qs.Q[np.flatnonzero(keep)])
    m = len(q.table)
    opt = q.values(nx.optimum.x)
    t_q = time.perf_counter()
    proven_lo, proven_hi = proven_bounds(nx.warm.form, q.Q)
    search = Search(Q=q.Q, proven_lo=proven_lo, proven_hi=proven_hi, lo=opt.copy(), hi=opt.copy())
    search.visit(nx.optimum.x)
    tier, n_workers = choose_workers(workers, m, nx.seconds_optimum)
    kids0 = children_cpu_seconds()
    report = ForkReport(workers=1)
    t_b = time.perf_counter()
    try:
        if tier == "fork":
            report = solve_forked(nx.batch(), search, n_workers, estimated_serial_seconds(m, nx.seconds_optimum))
            n_workers = report.workers
        elif tier == "pool":
            solve_parallel(nx, search, n_workers, threads)
        else:
            search.run(nx.batch(), np.arange(m))
        t_s = time.perf_counter()
        t = _table(lm, q.table, search, opt, abs_tol, rel_tol)
    finally:
        report.reap()  # forked children still exiting (done after the table, which overlaps their exit)
    lps = int(search.solved_lo.sum() + search.solved_hi.sum())
    t_end, c_end, kids = time.perf_counter(), time.process_time(), children_cpu_seconds() - kids0
    timing = {"single_solve_seconds": nx.seconds_optimum, "batch_seconds": t_end - t_opt,
              "batch_cpu_seconds": c_end - c_opt + kids, "children_cpu_seconds": kids,
              "total_seconds": time.perf_counter() - t0, "lps": lps, "skipped": 2 * m - lps,
              "warm_solves": search.solves, "cold_retries": search.retries, "quantities": m, "tier": tier,
              "workers": n_workers, "children_lost": report.redone}
    timing["ratio_to_single_solve"] = timing["batch_seconds"] / max(nx.seconds_optimum, 1e-12)
    log.debug("ranges: quantities %.1f ms, bounds %.1f ms, solves %.1f ms, table and reaping %.1f ms",
              1e3 * (t_q - t_opt), 1e3 * (t_b - t_q), 1e3 * (t_s - t_b), 1e3 * (t_end - t_s))
    log.info("ranges: %d quantities, %d LPs (%d skipped) in %.3f s = %.1f× one solve (%.4f s); %d cold retries; "
             "tier %s, %d process(es), CPU %.3f s (%.3f s in child processes)", m, lps, timing["skipped"],
             timing["batch_seconds"], timing["ratio_to_single_solve"], nx.seconds_optimum, search.retries, tier,
             n_workers, timing["batch_cpu_seconds"], kids)
    return Ranges(table=t, slack=slack, optimum=nx.z_star, floor=nx.floor, spec=lm.spec, timing=timing,
                  abs_tol=abs_tol, rel_tol=rel_tol, unit=nx.unit)


def _table(lm: LandModel, quantities: pd.DataFrame, search: Search, opt: np.ndarray, abs_tol: float,
           rel_tol: float) -> pd.DataFrame:
    """The ranges table (see :func:`near_optimal_ranges`) from the finished search (its new columns made at once:
    one insert per column costs more than the rest of the table)."""
    base = _baseline(lm, quantities)
    # seen at a proven bound: report the bound
    lo = np.where(search.at_lo, np.maximum(search.lo, search.proven_lo), search.lo)
    hi = np.where(search.at_hi, np.minimum(search.hi, search.proven_hi), search.hi)
    tol = abs_tol + rel_tol * np.abs(opt)
    fixed = hi - lo <= tol
    new = pd.DataFrame({"baseline": base, "min": lo, "optimum": opt, "max": hi, "range": hi - lo, "fixed": fixed,
                        "direction": _direction(quantities["kind"].to_numpy(), base, lo, hi, fixed, tol),
                        "solved_min": search.solved_lo, "solved_max": search.solved_hi, "status": search.status},
                       index=quantities.index)
    return pd.concat([quantities, new], axis=1)


def children_cpu_seconds() -> float:
    """CPU time (user + system, seconds) of this process's child processes that have ended and been waited for
    (0 where the platform does not say)."""
    try:
        import resource
    except ImportError:  # not Unix
        return 0.0
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def _direction(kinds: np.ndarray, baseline: np.ndarray, low: np.ndarray, high: np.ndarray, is_fixed: np.ndarray,
               tol: np.ndarray) -> list[str]:
    """What every near-optimal plan does to the quantity, in words (Chinese first)."""
    out = []
    for kind, base, lo, hi, fixed, tl in zip(kinds.tolist(), baseline.tolist(), low.tolist(), high.tolist(),
                                             is_fixed.tolist(), tol.tolist()):
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
