"""Bounds on planner quantities that follow from the rows one at a time (bound propagation, as LP presolve does).

A solution found at one of these bounds proves that extreme of the quantity without a solve
(:class:`landopt.analysis.ranges.Search`).
"""

from __future__ import annotations

from typing import Any

import numpy as np


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


def _terms(a: np.ndarray, x: np.ndarray, rows: np.ndarray, n_rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                                              np.ndarray]:
    """Per entry of A (values ``a`` at ``rows``, the column's bound ``x`` picked per entry): the term ``a·x``, whether
    it is infinite; per row: the sum of the finite terms and the count of infinite ones."""
    with np.errstate(invalid="ignore"):
        term = a * x
    inf = ~np.isfinite(term)
    finite_sum = np.bincount(rows, weights=np.where(inf, 0.0, term), minlength=n_rows)
    n_inf = np.bincount(rows, weights=inf, minlength=n_rows)
    return term, inf, finite_sum, n_inf


def _rest(term: np.ndarray, inf: np.ndarray, finite_sum: np.ndarray, n_inf: np.ndarray, rows: np.ndarray,
          none: float) -> np.ndarray:
    """Per entry: the row's extreme activity without this entry's term (``none``: ±inf when unbounded)."""
    k, total = n_inf[rows], finite_sum[rows]
    with np.errstate(invalid="ignore"):
        return np.where(inf, np.where(k == 1, total, none), np.where(k == 0, total - term, none))


def _propagate(A: Any, row_lower: np.ndarray, row_upper: np.ndarray, lo: np.ndarray, hi: np.ndarray,
               rounds: int) -> tuple[np.ndarray, np.ndarray]:
    """Tighten column bounds ``lo``/``hi`` with every row ``row_lower <= A x <= row_upper`` in turn, ``rounds`` times
    (or until nothing changes by more than 1e-9 relative).  Each round is a handful of vectorised passes over the
    entries of the rows that hold a column whose bounds moved in the previous round (the others would repeat what
    they gave); the per-column minimum/maximum is a ``reduceat`` over the entries sorted by column."""
    n_rows = A.shape[0]
    rows = np.repeat(np.arange(n_rows), np.diff(A.indptr))
    order = np.argsort(A.indices, kind="stable")
    col, a, rows = A.indices[order], A.data[order], rows[order]
    upper, lower = np.asarray(row_upper, dtype=float)[rows], np.asarray(row_lower, dtype=float)[rows]
    sel = np.arange(len(col))  # entries of the rows to go through this round: all, at first
    for _ in range(rounds):
        if not len(sel):
            break
        c, av, r = col[sel], a[sel], rows[sel]
        pos = av > 0
        lo_e, hi_e = lo[c], hi[c]
        t_min, i_min, s_min, k_min = _terms(av, np.where(pos, lo_e, hi_e), r, n_rows)  # least term per entry
        t_max, i_max, s_max, k_max = _terms(av, np.where(pos, hi_e, lo_e), r, n_rows)  # greatest
        # activity of the rest of the row (without this entry): least and greatest
        rest_min = _rest(t_min, i_min, s_min, k_min, r, -np.inf)
        rest_max = _rest(t_max, i_max, s_max, k_max, r, np.inf)
        with np.errstate(invalid="ignore", divide="ignore"):
            up = (upper[sel] - rest_min) / av  # a·x <= U − rest_min
            down = (lower[sel] - rest_max) / av  # a·x >= L − rest_max
        new_hi = np.nan_to_num(np.where(pos, up, down), nan=np.inf, posinf=np.inf, neginf=-np.inf)
        new_lo = np.nan_to_num(np.where(pos, down, up), nan=-np.inf, posinf=np.inf, neginf=-np.inf)
        starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
        touched = c[starts]
        hi2, lo2 = hi.copy(), lo.copy()
        hi2[touched] = np.minimum(hi2[touched], np.minimum.reduceat(new_hi, starts))
        lo2[touched] = np.maximum(lo2[touched], np.maximum.reduceat(new_lo, starts))
        hi2 = np.maximum(hi2, lo2)  # rounding must never cross the bounds
        with np.errstate(invalid="ignore"):
            changed = ((np.abs(hi2 - hi) > 1e-9 * np.maximum(1.0, np.abs(hi2)))
                       | (np.abs(lo2 - lo) > 1e-9 * np.maximum(1.0, np.abs(lo2))))
            moved = (hi2 != hi) | (lo2 != lo)
        lo, hi = lo2, hi2
        if not changed.any():
            break
        active = np.zeros(n_rows, dtype=bool)
        active[rows[moved[col]]] = True
        sel = np.flatnonzero(active[rows])
    return lo, hi


def proven_bounds(form: Any, Q: Any) -> tuple[np.ndarray, np.ndarray]:
    """:func:`implied_bounds`, with 0 as the floor of every quantity that is a non-negative sum of columns with
    non-negative lower bounds."""
    lo, hi = implied_bounds(form, Q)
    rows = np.repeat(np.arange(Q.shape[0]), np.diff(Q.indptr))
    bad = (Q.data <= 0) | (np.asarray(form.col_lower)[Q.indices] < 0)
    nonneg = (np.bincount(rows, weights=bad.astype(float), minlength=Q.shape[0]) == 0) & (np.diff(Q.indptr) > 0)
    lo[nonneg] = np.maximum(lo[nonneg], 0.0)
    return lo, hi
