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
        raise ValueError(f"--slack must be a percentage such as 1% or 0.5, not {slack!r}") from None
    if not np.isfinite(value) or value < 0 or value >= 100:
        raise ValueError(f"--slack must be at least 0% and below 100%, not {slack!r}")
    return value / 100.0


@dataclass
class Quantities:
    """Planner quantities: ``table`` (one row each: kind, region, land_use, from/to, year, unit, label) and the
    sparse matrix ``Q`` (quantities × columns) with ``Q @ x`` the value of every quantity."""

    table: pd.DataFrame
    Q: sp.csr_array

    def values(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(self.Q @ x, dtype=float)


def planner_quantities(lm: LandModel) -> Quantities:
    """Target-year area per (region, land use), conversion totals per (region, from, to) over the horizon,
    target-year livestock per region (when the grazing balance is in the model)."""
    spec = lm.spec
    ty = spec.target_year
    horizon = f"{spec.baseline_year}–{ty}"
    parts: list[pd.DataFrame] = []
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []

    area = lm.columns.tables["area"]
    a = area[area["year"].to_numpy() == ty].reset_index(drop=True)
    parts.append(pd.DataFrame({"kind": "area", "region": a["region"].astype(str), "land_use": a["land_use"].astype(str),
                               "from_land_use": "", "to_land_use": "", "period": str(ty), "unit": "ha"}))
    rows.append(np.arange(len(a)))
    cols.append(a["col"].to_numpy())

    flow = lm.columns.tables["flow"]
    if not flow.empty:
        key = ["region", "from_land_use", "to_land_use"]
        codes, uniq = pd.MultiIndex.from_frame(flow[key].astype(str)).factorize()
        n0 = sum(len(p) for p in parts)
        f = pd.DataFrame(list(uniq), columns=key)
        parts.append(pd.DataFrame({"kind": "conversion", "region": f["region"], "land_use": "",
                                   "from_land_use": f["from_land_use"], "to_land_use": f["to_land_use"],
                                   "period": horizon, "unit": "ha"}))
        rows.append(n0 + codes)
        cols.append(flow["col"].to_numpy())

    stock = lm.columns.tables.get("livestock")
    if stock is not None and not stock.empty:
        s = stock[stock["year"].to_numpy() == ty].reset_index(drop=True)
        n0 = sum(len(p) for p in parts)
        parts.append(pd.DataFrame({"kind": "livestock", "region": s["region"].astype(str), "land_use": "",
                                   "from_land_use": "", "to_land_use": "", "period": str(ty), "unit": "SU"}))
        rows.append(n0 + np.arange(len(s)))
        cols.append(s["col"].to_numpy())

    table = pd.concat(parts, ignore_index=True)
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
    floor: float = field(init=False)  # the net sink every near-optimal plan keeps, t CO2e/yr
    carbon: np.ndarray = field(init=False, repr=False)
    offset: float = field(init=False)
    seconds_optimum: float = field(init=False)
    batch_solves: int = field(default=0, init=False)
    batch_retries: int = field(default=0, init=False)
    _primal: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        form = self.lm.standard_form()
        self.carbon = np.array(form.cost, dtype=float)
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
        log.info("optimum %.6g t CO2e/yr; near-optimal floor %.6g (slack %.3g%%)", self.z_star, self.floor,
                 100 * self.slack)

    def net_sink(self, x: np.ndarray) -> float:
        return float(self.carbon @ x + self.offset)

    def extreme(self, cost: np.ndarray) -> SolveOutcome:
        """Maximise ``cost @ x`` over the near-optimal region (warm start; cold retry on a non-optimal end)."""
        self.warm.set_cost(cost)
        return self.warm.solve()

    def extreme_x(self, cost: np.ndarray) -> tuple[str, np.ndarray]:
        """:meth:`extreme` for a batch: status and x only.

        Each call changes only the cost vector, so the previous basis stays primal feasible: the batch runs HiGHS's
        primal simplex (``simplex_strategy`` 4), which on the shipped workbook needs about 9 iterations per re-solve
        where the dual simplex needs about 80.  The full outcome (activities, reduced costs) is not computed; a
        warm run that ends in any status but optimal is retried from scratch through :meth:`WarmHighs.solve`.
        """
        h = self.warm.h
        if not self._primal:
            h.setOptionValue("simplex_strategy", 4)
            self._primal = True
        self.warm.set_cost(cost)
        h.run()
        self.batch_solves += 1
        if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            return "optimal", np.asarray(h.getSolution().col_value, dtype=float)
        log.debug("warm re-solve ended %s; retrying from scratch", h.modelStatusToString(h.getModelStatus()))
        self.batch_retries += 1
        h.clearSolver()
        out = self.warm.solve()
        return out.status, out.x

    def as_plan_outcome(self, out: SolveOutcome, label: str) -> SolveOutcome:
        """``out`` re-labelled as a plan: its objective is the net sink of its x; the duals and reduced costs of
        the exploring LP (which are not the plan's shadow prices) are left out (zeros)."""
        from dataclasses import replace

        z = self.net_sink(out.x)
        gap = self.z_star - z
        pct = 100.0 * gap / abs(self.z_star) if self.z_star else 0.0
        msg = (f"近优备选方案 {label}：净碳汇 {z:,.1f} t CO2e/yr，比最优方案低 {gap:,.1f} t CO2e/yr（{pct:.3f}%）。"
               f"影子价格不适用于备选方案。 Near-optimal alternative {label}: net sink {z:,.1f} t CO2e/yr, "
               f"{gap:,.1f} t CO2e/yr ({pct:.3f}%) below the optimum. Shadow prices do not apply to an alternative.")
        m = self.lm.n_rows  # the plan's own rows: the near-optimality row is left out
        return replace(out, objective=z, message=msg, row_activity=out.row_activity[:m], dual=np.zeros(m),
                       reduced_cost=np.zeros_like(out.reduced_cost), highs=None, form=None)
