"""Warm re-solves for batches: one HiGHS instance kept per model structure, updated in place run after run.

A sweep's samples and most scenarios change only numbers of the model — objective coefficients (carbon
fluxes, CH4 factors), right-hand sides (targets, floors, areas) or matrix coefficients (forage yields, PV
densities) — not its structure (the same variables, rows and sparsity).  :class:`WarmModel` keeps a
:class:`~landopt.backends.highs.WarmHighs` for each structure it has seen (at most ``keep``), and for a
newly built model of a known structure hands HiGHS only what changed (``changeColsCost``,
``changeObjectiveOffset``, ``changeRowsBounds``, ``changeCoeff``) and re-solves from the previous basis.  The
objective's constant is data, not structure: under stock-change accounting it is the standing land's net removals,
which every sampled carbon stock or flux changes.  ``WarmHighs`` retries from
scratch on any status other than optimal, so a warm answer is the cold answer.  A model whose structure differs
(a scenario that switches a family off, another milestone list) gets a HiGHS instance of its own, solved cold.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from landopt.backends.highs import WarmHighs
from landopt.backends.outcome import SolveOutcome
from landopt.model.build import LandModel
from landopt.model.standard_form import StandardForm

log = logging.getLogger(__name__)

#: Settings read when a HiGHS instance is configured: a model whose settings differ here is not re-solved warm.
SOLVER_SETTINGS = ("solver_method", "time_limit_s")


@dataclass
class Structure:
    """What two models must share to be re-solved one after the other in one HiGHS instance."""

    blocks: tuple[tuple[str, int], ...]  # (constraint block name, rows) of every non-empty block, in order
    n_cols: int
    indptr: list[np.ndarray]
    indices: list[np.ndarray]
    col_lower: np.ndarray
    col_upper: np.ndarray
    solver: tuple[Any, ...]

    @classmethod
    def of(cls, lm: LandModel, form: StandardForm) -> "Structure":
        names = tuple((b.name, b.n) for b in lm.blocks if b.n)
        return cls(blocks=names, n_cols=form.n_cols, indptr=[B.indptr for B in form.row_blocks],
                   indices=[B.indices for B in form.row_blocks], col_lower=form.col_lower, col_upper=form.col_upper,
                   solver=tuple(lm.spec.settings.get(k) for k in SOLVER_SETTINGS))

    def matches(self, other: "Structure") -> bool:
        """Same blocks, shape and sparsity (position of every coefficient), same column bounds and solver settings."""
        if (self.blocks != other.blocks or self.n_cols != other.n_cols or self.solver != other.solver
                or len(self.indptr) != len(other.indptr)):
            return False
        if not (np.array_equal(self.col_lower, other.col_lower) and np.array_equal(self.col_upper, other.col_upper)):
            return False
        return all(np.array_equal(a, b) for a, b in zip(self.indptr, other.indptr)) and \
            all(np.array_equal(a, b) for a, b in zip(self.indices, other.indices))


@dataclass
class Changes:
    """What differs between the model a HiGHS instance holds and the next one (counts, for the log)."""

    costs: int = 0
    offset: bool = False  # the objective's constant changed (stock change: the standing land's removals)
    row_bounds: int = 0
    coefficients: int = 0


class WarmModel:
    """Solve a stream of built models, re-solving warm whenever a model has the structure of one solved before.

    ``solve(lm)`` returns the :class:`~landopt.backends.outcome.SolveOutcome` (in landopt's row and column
    order, as :func:`landopt.backends.solve` gives it) and sets :attr:`last_start` to ``"cold"``, ``"warm"`` or
    ``"warm→cold"`` (warm, then from scratch because the warm solve did not end optimal).  Not thread-safe:
    keep one per thread.  The outcome's arrays are its own, but its ``highs`` and ``form`` are the kept
    instance's: read ranging from them (``extract(..., with_ranging=True)``) before the next :meth:`solve`.
    """

    def __init__(self, threads: int | None = 1, keep: int = 2) -> None:
        self.threads = threads
        self.keep = max(1, int(keep))
        self._kept: OrderedDict[int, tuple[Structure, WarmHighs]] = OrderedDict()
        self._next_id = 0
        self.last_start = ""
        self.last_changes = Changes()
        self.counts = {"cold": 0, "warm": 0, "warm→cold": 0}

    def solve(self, lm: LandModel) -> SolveOutcome:
        form = lm.standard_form()
        structure = Structure.of(lm, form)
        for key, (known, wh) in self._kept.items():
            if known.matches(structure):
                self._kept.move_to_end(key)
                self.last_changes = apply_changes(wh, form)
                retries = wh.cold_retries
                out = wh.solve()
                self.last_start = "warm" if wh.cold_retries == retries else "warm→cold"
                break
        else:
            wh = WarmHighs(form, lm.spec.settings, threads=self.threads)
            out = wh.solve()
            self.last_changes = Changes()
            self.last_start = "cold"
            self._kept[self._next_id] = (structure, wh)
            self._next_id += 1
            while len(self._kept) > self.keep:
                self._kept.popitem(last=False)
        self.counts[self.last_start] += 1
        log.debug("%s solve: %s (%d costs, %d row bounds, %d coefficients changed)", self.last_start, out.status,
                  self.last_changes.costs, self.last_changes.row_bounds, self.last_changes.coefficients)
        return out


def apply_changes(wh: WarmHighs, form: StandardForm) -> Changes:
    """Hand ``wh`` what differs between the model it holds and ``form`` (same structure): costs and the objective's
    constant, row bounds, coefficients.  Returns how many of each changed."""
    held = wh.form
    ch = Changes()
    cost = np.asarray(form.cost, dtype=float)
    diff = cost != held.cost
    ch.offset = float(form.offset) != float(held.offset)
    if diff.any() or ch.offset:
        ch.costs = int(diff.sum())
        wh.set_cost(cost, float(form.offset))
    rows = np.flatnonzero((form.row_lower != held.row_lower) | (form.row_upper != held.row_upper))
    if len(rows):
        ch.row_bounds = len(rows)
        wh.set_row_bounds(rows, form.row_lower[rows], form.row_upper[rows])
    r_all, c_all, v_all = [], [], []
    for (B, span), H in zip(form.blocks_with_rows(), held.row_blocks):
        if np.array_equal(B.indptr, H.indptr) and np.array_equal(B.indices, H.indices):
            changed = np.flatnonzero(B.data != H.data)
            local_rows = np.repeat(np.arange(B.shape[0]), np.diff(B.indptr))[changed]
            cols, vals = B.indices[changed], B.data[changed]
        else:  # a coefficient set to 0 earlier left the held block without that entry
            D = (B != H).tocoo()
            local_rows, cols = D.row, D.col
            vals = np.asarray(B[local_rows, cols], dtype=float).ravel()
        if len(vals):
            r_all.append(local_rows + span.start)
            c_all.append(cols)
            v_all.append(vals)
    if r_all:
        rows_c, cols_c, vals = np.concatenate(r_all), np.concatenate(c_all), np.concatenate(v_all)
        ch.coefficients = len(vals)
        wh.set_coeffs(rows_c, cols_c, vals)
    return ch
