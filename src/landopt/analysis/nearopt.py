"""The near-optimal region of the plan LP and the quantities a planner reads off it.

:class:`NearOptimal` solves the plan once on one warm HiGHS instance, then adds a single row that keeps
the net sink within a slack of its optimum :math:`z^*`:

.. math::

    c^\\top x + c_0 \\;\\ge\\; z^* - s\\,|z^*|

(``s`` = slack as a fraction; the absolute value keeps the row on the right side of the optimum when
:math:`z^* < 0`, where :math:`(1-s)\\,z^*` would lie *above* the optimum and make the LP infeasible).
Every later solve on the same instance (:meth:`NearOptimal.extreme`) changes only the cost vector and
starts from the previous basis.

:func:`planner_quantities` lists what a planner asks about, each as a row of a sparse matrix ``Q``
(quantity = ``Q @ x``): the area of every land use per region in the target year, every conversion
total per region and (from, to) pair over the whole horizon, and the livestock per region in the
target year.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import highspy
import numpy as np
import pandas as pd
import scipy.sparse as sp

from landopt.errors import NoPlanError
from landopt.backends.highs import INF, WarmHighs
from landopt.backends.outcome import SolveOutcome
from landopt.model.build import LandModel

log = logging.getLogger(__name__)

EXACT = 1e-9  #: with a slack of 0, the floor sits this far (relative) below z* so the optimum stays feasible


class NoOptimumError(NoPlanError):
    """The plan has no optimal solution, so there is no near-optimal region to explore."""


def parse_slack(slack: float | str) -> float:
    """A slack in percent (``1``, ``1.0``, ``"1%"``, ``"0.5 %"``) as a fraction; ValueError with a plain message."""
    text = str(slack).strip()
    try:
        value = float(text[:-1].strip() if text.endswith("%") else text)
    except ValueError:
        raise ValueError(f"--slack 应为百分数，如 1% 或 0.5 --slack must be a percentage such as 1% or 0.5, "
                         f"not {slack!r}") from None
    if not np.isfinite(value) or value < 0 or value >= 100:
        raise ValueError(f"--slack 应不小于 0% 且小于 100% --slack must be at least 0% and below 100%, not {slack!r}")
    return value / 100.0


@dataclass
class Quantities:
    """Planner quantities: ``table`` (one row each: kind, region, land_use, from/to, year, unit, label) and the
    sparse matrix ``Q`` (quantities × columns) with ``Q @ x`` the value of every quantity."""

    table: pd.DataFrame
    Q: sp.csr_array

    def values(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(self.Q @ x, dtype=float)


def planner_quantities(lm: LandModel, kinds: tuple[str, ...] = ("area", "conversion", "livestock")) -> Quantities:
    """Target-year area per (region, land use), conversion totals per (region, from, to) over the horizon,
    target-year livestock per region (when the grazing balance is in the model).

    Built with numpy on the column tables' arrays (one DataFrame made at the end): it runs before every batch of
    range LPs, so it is kept to a few milliseconds on the shipped workbook.
    """
    spec = lm.spec
    ty = spec.target_year
    horizon = f"{spec.baseline_year}–{ty}"
    kind: list[np.ndarray] = []
    region: list[np.ndarray] = []
    land_use: list[np.ndarray] = []
    frm: list[np.ndarray] = []
    to: list[np.ndarray] = []
    period: list[str] = []
    unit: list[str] = []
    sizes: list[int] = []
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []

    def part(k: str, reg: np.ndarray, lu: np.ndarray | str, f: np.ndarray | str, t: np.ndarray | str, per: str,
             u: str, r: np.ndarray, c: np.ndarray) -> None:
        n0 = sum(sizes)
        size = len(reg)
        kind.append(np.full(size, k, dtype=object))
        region.append(reg)
        for target, v in ((land_use, lu), (frm, f), (to, t)):
            target.append(v if isinstance(v, np.ndarray) else np.full(size, v, dtype=object))
        period.append(per)
        unit.append(u)
        sizes.append(size)
        rows.append(n0 + r)
        cols.append(c)

    def strings(frame: pd.DataFrame, name: str) -> np.ndarray:
        return frame[name].to_numpy(dtype=object).astype(str).astype(object)

    area = lm.columns.tables["area"]
    a = area[area["year"].to_numpy() == ty] if "area" in kinds else area.iloc[:0]
    part("area", strings(a, "region"), strings(a, "land_use"), "", "", str(ty), "ha", np.arange(len(a)),
         a["col"].to_numpy())

    flow = lm.columns.tables["flow"]
    if not flow.empty and "conversion" in kinds:
        key = np.char.add(np.char.add(np.char.add(np.char.add(strings(flow, "region").astype(str), "\x1f"),
                                                  strings(flow, "from_land_use").astype(str)), "\x1f"),
                          strings(flow, "to_land_use").astype(str))
        codes, uniq = pd.factorize(key)  # in order of first appearance
        parts = [u.split("\x1f") for u in uniq]
        part("conversion", np.array([p[0] for p in parts], dtype=object), "",
             np.array([p[1] for p in parts], dtype=object), np.array([p[2] for p in parts], dtype=object),
             horizon, "ha", codes, flow["col"].to_numpy())

    stock = lm.columns.tables.get("livestock")
    if stock is not None and not stock.empty and "livestock" in kinds:
        s = stock[stock["year"].to_numpy() == ty]
        part("livestock", strings(s, "region"), "", "", "", str(ty), "SU", np.arange(len(s)), s["col"].to_numpy())

    table = pd.DataFrame({"kind": np.concatenate(kind), "region": np.concatenate(region),
                          "land_use": np.concatenate(land_use), "from_land_use": np.concatenate(frm),
                          "to_land_use": np.concatenate(to), "period": np.repeat(period, sizes),
                          "unit": np.repeat(unit, sizes)})
    r, c = np.concatenate(rows), np.concatenate(cols)
    Q = sp.csr_array((np.ones(len(r)), (r, c)), shape=(len(table), lm.columns.n))
    return Quantities(table=table, Q=Q)


@dataclass
class NearOptimal:
    """One warm HiGHS instance holding the plan LP plus the near-optimality row."""

    lm: LandModel
    slack: float  # fraction of |z*|
    threads: int | None = None
    warm: WarmHighs = field(init=False)
    optimum: SolveOutcome = field(init=False)
    z_star: float = field(init=False)
    floor: float = field(init=False)  # the net sink every near-optimal plan keeps, in :attr:`unit`
    unit: str = field(init=False)  # the objective's unit: t CO2e/yr (flux accounting) or t CO2e (stock change, cumulative)
    carbon: np.ndarray = field(init=False, repr=False)
    offset: float = field(init=False)
    seconds_optimum: float = field(init=False)

    def __post_init__(self) -> None:
        form = self.lm.standard_form()
        self.carbon = np.array(form.cost, dtype=float)
        self.unit = self.lm.terms.unit
        self.offset = float(form.offset)
        self.warm = WarmHighs(form, {**self.lm.spec.settings, "solver_method": "simplex"}, threads=self.threads)
        t0 = time.perf_counter()
        out = self.warm.solve_cold()
        self.seconds_optimum = time.perf_counter() - t0
        if not out.optimal:
            raise NoOptimumError(out.message)
        self.optimum = out
        self.z_star = float(out.objective)
        self.floor = self.z_star - self.slack * abs(self.z_star)
        if self.slack == 0:  # the optimum itself, within a hair so that the row does not cut it off
            self.floor -= EXACT * max(1.0, abs(self.z_star))
        idx = np.flatnonzero(self.carbon)
        self.warm.add_row(self.floor - self.offset, INF, idx, self.carbon[idx])
        log.info("optimum %.6g %s; near-optimal floor %.6g (slack %.3g%%)", self.z_star, self.unit, self.floor,
                 100 * self.slack)

    def net_sink(self, x: np.ndarray) -> float:
        return float(self.carbon @ x + self.offset)

    def extreme(self, cost: np.ndarray) -> SolveOutcome:
        """Maximise ``cost @ x`` over the near-optimal region (warm start; cold retry on a non-optimal end)."""
        self.warm.set_cost(cost)
        return self.warm.solve()

    def batch(self) -> "BatchSolver":
        """A :class:`BatchSolver` on this instance (its objective is replaced: call :meth:`extreme` afterwards only
        with a full cost vector, as before)."""
        return BatchSolver(self.warm)

    def as_plan_outcome(self, out: SolveOutcome, label: str) -> SolveOutcome:
        """``out`` re-labelled as a plan: its objective is the net sink of its x; the duals and reduced costs of
        the exploring LP (which are not the plan's shadow prices) are left out (zeros)."""
        from dataclasses import replace

        z = self.net_sink(out.x)
        gap = self.z_star - z
        pct = 100.0 * gap / abs(self.z_star) if self.z_star else 0.0
        u = self.unit
        msg = (f"近优备选方案 {label}：净碳汇 {z:,.1f} {u}，比最优方案低 {gap:,.1f} {u}（{pct:.3f}%）。"
               f"影子价格不适用于备选方案。 Near-optimal alternative {label}: net sink {z:,.1f} {u}, "
               f"{gap:,.1f} {u} ({pct:.3f}%) below the optimum. Shadow prices do not apply to an alternative.")
        m = self.lm.n_rows  # the plan's own rows: the near-optimality row is left out
        return replace(out, objective=z, message=msg, row_activity=out.row_activity[:m], dual=np.zeros(m),
                       reduced_cost=np.zeros_like(out.reduced_cost), highs=None, form=None)


class BatchSolver:
    """Many re-solves of one warm instance whose objectives each have a few non-zero costs (a planner quantity).

    Tuned for HiGHS's fixed cost per run, which dominates at the shipped size (a run that needs no iteration takes
    about 0.3 ms; a cold solve of the plan about 9 ms):

    * only the costs that change are sent (the previous quantity's columns set to 0, this one's set);
    * each change leaves the previous basis primal feasible, so HiGHS's primal simplex (``simplex_strategy`` 4)
      continues from it — about 10 iterations per re-solve where the dual simplex needs about 80;
    * every re-solve starts from the basis the instance held when the batch began (the optimum of the plan, when
      made by :meth:`NearOptimal.batch`), not from the previous quantity's extreme: each extreme then lies a few
      pivots from the optimum, where chaining from one extreme to the next first undoes the previous quantity's
      moves (on the shipped workbook: about 2,400 iterations for the 168 area extremes against 3,300 chained, and
      no warm run that fails);
    * presolve is off: a warm run from a valid basis does not presolve anyway, and a cold retry of an LP this
      small gains nothing from it;
    * the solution is read once (``col_value``), the full outcome (activities, reduced costs) is never built.

    A run that ends in any status but optimal is retried from scratch through :meth:`WarmHighs.solve` (``retries``).
    """

    def __init__(self, warm: WarmHighs) -> None:
        self.warm = warm
        h = warm.h
        h.setOptionValue("simplex_strategy", 4)
        h.setOptionValue("presolve", "off")
        self.start = h.getBasis()
        warm.set_cost(np.zeros(warm.n_cols))
        self._cols = np.zeros(0, dtype=np.int32)
        self._moved = True  # whether the instance may hold another basis than ``start``
        self.solves = 0
        self.retries = 0

    def extreme(self, cols: np.ndarray, values: np.ndarray) -> tuple[str, np.ndarray | None]:
        """Maximise ``Σ values·x[cols]`` over the instance's region: status and x (None unless optimal)."""
        if len(self._cols):
            self.warm.set_cost_entries(self._cols, np.zeros(len(self._cols)))
        self.warm.set_cost_entries(cols, values)
        self._cols = np.asarray(cols, dtype=np.int32)
        h = self.warm.h
        if self._moved:  # setting a basis refactorises (≈0.15 ms): skip it while the instance still holds the start
            h.setBasis(self.start)
        h.run()
        self.solves += 1
        self._moved = h.getInfo().simplex_iteration_count > 0
        if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            return "optimal", np.asarray(h.getSolution().col_value, dtype=float)
        log.debug("warm re-solve ended %s; retrying from scratch", h.modelStatusToString(h.getModelStatus()))
        self.retries += 1
        self._moved = True
        h.clearSolver()
        out = self.warm.solve()
        return out.status, (out.x if out.optimal else None)
