"""The second stage of a solve, on either backend: among the plans as good as the optimum, the one that changes
least (:mod:`landopt.model.least_change` holds the maths).

It runs on the standard form the first stage solved (the direct backend's arrays, or the Pyomo model as the Pyomo
backend compiled it, with a user's rows), in a HiGHS instance of its own: the first stage's instance keeps its optimal
basis for the sensitivity analysis, and both backends hand the same arrays over, so they reach the same plan.
"""

from __future__ import annotations

import dataclasses
import logging
import time

import highspy
import numpy as np

from landopt.backends.highs import configure, doubles, hold_objective, ints, model_status, new_highs, pass_to_highs
from landopt.backends.outcome import SolveOutcome
from landopt.model.build import LandModel
from landopt.model.least_change import SLACK, SLACK_ABS, LeastChange, least_change_terms

log = logging.getLogger(__name__)

#: above this many columns the second stage is skipped (it would cost another full solve: seconds at 1e5 columns)
MAX_COLUMNS = 50_000
#: HiGHS's ``simplex_strategy`` values: dual (its default, for a cold start) and primal (from the first stage's
#: vertex, which is feasible for the second stage: only the second objective is left to improve)
DUAL_SIMPLEX, PRIMAL_SIMPLEX = 1, 4


def least_change(lm: LandModel, out: SolveOutcome, threads: int | None = None) -> SolveOutcome:
    """``out`` with the least-change plan among those as good as its optimum (``out.x``, ``out.row_activity``);
    its objective, duals, reduced costs and HiGHS instance are the first stage's.  ``out.tie_break`` says what was
    done: ``least_change``, ``none`` (``settings.tie_break = none``), ``skipped`` (a model above
    :data:`MAX_COLUMNS` columns) or ``failed`` (the second stage did not solve: the first stage's plan is kept)."""
    if not out.optimal or out.form is None:
        return out
    if lm.spec.settings.get("tie_break", "least_change") == "none":
        return dataclasses.replace(out, tie_break="none")
    form = out.form
    if form.n_cols > MAX_COLUMNS:
        log.info("least-change plan among equally good plans skipped: %d columns (more than %d)", form.n_cols, MAX_COLUMNS)
        return dataclasses.replace(out, tie_break="skipped")
    t0 = time.perf_counter()
    terms = least_change_terms(lm)
    n, k = form.n_cols, terms.n_abs
    h = new_highs(threads)
    configure(h, lm.spec.settings, "simplex")
    pass_to_highs(form, h)
    cost = np.zeros(n)
    cost[: len(terms.cost)] = terms.cost
    h.changeObjectiveSense(highspy.ObjSense.kMinimize)
    h.changeObjectiveOffset(0.0)
    h.changeColsCost(n, ints(np.arange(n)), doubles(cost))
    if k:  # u_j >= 0, cost 1: one per absolute-value term
        h.addCols(k, doubles(np.ones(k)), doubles(np.zeros(k)), doubles(np.full(k, highspy.kHighsInf)), 0,
                  np.zeros(k, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0))
    # the first stage's objective held at its maximum: c'x >= c'x* (row `hold`, added last; see below)
    nz = np.flatnonzero(form.cost)
    z = float(form.cost[nz] @ out.x[nz])
    if k:  # u_j - x_a + x_b >= -anchor and u_j + x_a - x_b >= anchor (x_b absent where b = -1)
        starts, idx, val, lower = [], [], [], []
        for j in range(k):
            a, b, c = int(terms.a[j]), int(terms.b[j]), float(terms.anchor[j])
            for sign in (-1.0, 1.0):
                starts.append(len(idx))
                idx += [n + j, a] + ([b] if b >= 0 else [])
                val += [1.0, sign] + ([-sign] if b >= 0 else [])
                lower.append(sign * c)
        m = len(lower)
        h.addRows(m, doubles(lower), doubles(np.full(m, highspy.kHighsInf)), len(idx), ints(starts), ints(idx),
                  doubles(val))
    for cols, ref in terms.shares:  # mu_t, weight Σ S_ref: s + S·mu >= S and s - S·mu <= S for each herd
        h.addCol(float(ref.sum()), 0.0, highspy.kHighsInf, 0, np.zeros(0, dtype=np.int32), np.zeros(0))
        mu = h.getNumCol() - 1
        m = len(cols)
        idx = np.column_stack([cols, np.full(m, mu)]).ravel()
        starts = np.arange(0, 2 * m, 2)
        h.addRows(m, doubles(ref), doubles(np.full(m, highspy.kHighsInf)), 2 * m, ints(starts), ints(idx),
                  doubles(np.column_stack([np.ones(m), ref]).ravel()))
        h.addRows(m, doubles(np.full(m, -highspy.kHighsInf)), doubles(ref), 2 * m, ints(starts), ints(idx),
                  doubles(np.column_stack([np.ones(m), -ref]).ravel()))
    for region_cols, suit in terms.spread:  # nu_t, weight Σ A: Σ_l x_{r,l,t} - A_r·nu <= 0 for each region
        h.addCol(float(suit.sum()), 0.0, highspy.kHighsInf, 0, np.zeros(0, dtype=np.int32), np.zeros(0))
        nu = h.getNumCol() - 1
        idx = np.concatenate([np.append(c, nu) for c in region_cols])
        val = np.concatenate([np.append(np.ones(len(c)), -a) for c, a in zip(region_cols, suit)])
        starts = np.cumsum([0] + [len(c) + 1 for c in region_cols[:-1]])
        m = len(region_cols)
        h.addRows(m, doubles(np.full(m, -highspy.kHighsInf)), doubles(np.zeros(m)), len(idx), ints(starts), ints(idx),
                  doubles(val))
    slack = max(SLACK_ABS, SLACK * abs(z))
    loose = slack > SLACK_ABS  # a large objective: held within 1e-13 of it from the start (its last digits are noise)
    hold = hold_objective(h, form, z - slack if loose else z)
    start = start_basis(out, terms, h.getNumCol(), h.getNumRow())
    if start is not None:  # from the first stage's vertex: no presolve, and (basis primal feasible) primal simplex
        h.setBasis(start)
        h.setOptionValue("simplex_strategy", PRIMAL_SIMPLEX)
    h.run()
    status, detail = model_status(h)
    tried: set[str] = {"slack"} if loose else set()  # what the maximum's last digit or HiGHS's presolve trip on
    while status != "optimal":
        if status == "infeasible" and "slack" not in tried:  # the maximum, to the last digit, out of reach
            step = "slack"
            h.changeRowBounds(hold, z - slack, highspy.kHighsInf)
        elif "presolve off" not in tried:  # e.g. strict_grazing_ban: status Unknown after presolve
            step = "presolve off"
            h.setOptionValue("presolve", "off")
        else:
            break
        tried.add(step)
        log.debug("least-change plan: %s, trying again with %s", status, step)
        h.clearSolver()  # and its basis: the retry starts cold
        h.setOptionValue("simplex_strategy", DUAL_SIMPLEX)
        h.run()
        status, detail = model_status(h)
    seconds = time.perf_counter() - t0
    if status != "optimal":
        log.warning("the least-change plan among equally good plans was not found (%s%s); the first optimal plan is "
                    "kept", status, f": {detail}" if detail else "")
        return dataclasses.replace(out, tie_break="failed", tie_break_seconds=seconds)
    x = np.asarray(h.getSolution().col_value, dtype=float)[:n]
    log.info("least-change plan among equally good plans: %.3f s", seconds)
    activity = form.activity(x)
    extra = out.extra_rows
    if extra is not None and len(extra):  # a user's rows (Pyomo model) come after landopt's: their activity too
        extra = extra.assign(activity=activity[len(out.row_activity):len(out.row_activity) + len(extra)])
    return dataclasses.replace(out, x=x, row_activity=activity[: len(out.row_activity)], extra_rows=extra,
                               tie_break="least_change", tie_break_seconds=seconds)


def start_basis(out: SolveOutcome, terms: LeastChange, n_cols: int, n_rows: int) -> highspy.HighsBasis | None:
    """A starting basis for the second stage at the first stage's optimal vertex ``out.x``, primal feasible.

    The first stage's basis is kept for its columns and rows.  Every new term starts basic at its value there, and
    one of its rows -- one it makes tight -- leaves the basis in exchange, so the count of basic variables stays the
    count of rows and the basis stays nonsingular (each new row holds its own slack or the one new column that made
    it tight):

    * ``u_j`` = |x_a - x_b - anchor| is basic; of its two rows ``u - x_a + x_b >= -anchor`` and
      ``u + x_a - x_b >= anchor`` the one that holds with equality is at its lower bound, the other basic;
    * ``mu_t`` = max_i |s_i - S_i| / S_i is basic, the row of the herd that sets it at its bound (``s + S mu >= S``
      at lower, ``s - S mu <= S`` at upper), every other row basic; where every herd sits at its reference
      (``mu_t`` = 0), ``mu_t`` stays at its bound 0 and all its rows are basic;
    * ``nu_t`` = max_r P_r / A_r (PV land over PV-suitable land) is basic, the row of the region that sets it at its
      upper bound (``P - A nu <= 0``), every other row basic (``nu_t`` = 0: at its bound, all rows basic);
    * the objective-hold row is basic.

    None when the first stage left no basis of the same shape (the second stage then starts cold).
    """
    first = out.basis
    form = out.form
    if first is None or form is None or not first.valid:
        return None
    cols, rows = list(first.col_status), list(first.row_status)
    if len(cols) != form.n_cols or len(rows) != form.n_rows:
        return None
    S = highspy.HighsBasisStatus
    x = out.x
    k = terms.n_abs
    if k:
        xb = np.where(terms.b >= 0, x[np.maximum(terms.b, 0)], 0.0)
        first_tight = (x[terms.a] - xb - terms.anchor) >= 0  # u = x_a - x_b - anchor >= 0: the first row is tight
        cols += [S.kBasic] * k
        for t in first_tight.tolist():
            rows += [S.kLower, S.kBasic] if t else [S.kBasic, S.kLower]
    for herd_cols, ref in terms.shares:
        m = len(herd_cols)
        s = x[herd_cols]
        over, under = (s - ref) / ref, (ref - s) / ref  # mu >= over (upper rows), mu >= under (lower rows)
        low, up = [S.kBasic] * m, [S.kBasic] * m
        i_up, i_low = int(np.argmax(over)), int(np.argmax(under))
        if max(over[i_up], under[i_low]) <= 0.0:
            cols.append(S.kLower)
        else:
            cols.append(S.kBasic)
            if over[i_up] >= under[i_low]:
                up[i_up] = S.kUpper
            else:
                low[i_low] = S.kLower
        rows += low + up
    for region_cols, suit in terms.spread:  # nu_t = max_r P_r / A_r basic, the row of the region that sets it at upper
        share = np.array([x[c].sum() for c in region_cols]) / suit
        rs = [S.kBasic] * len(region_cols)
        i = int(np.argmax(share))
        if share[i] <= 0.0:
            cols.append(S.kLower)
        else:
            cols.append(S.kBasic)
            rs[i] = S.kUpper
        rows += rs
    rows.append(S.kBasic)  # the objective-hold row
    if len(cols) != n_cols or len(rows) != n_rows:  # the second stage grew otherwise than this function knows
        return None
    basis = highspy.HighsBasis()
    basis.col_status, basis.row_status = cols, rows
    basis.valid = True
    return basis
