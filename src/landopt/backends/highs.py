"""The direct backend: the model's arrays handed to HiGHS through its array API, solved in memory.

:func:`solve_form` solves once; :class:`WarmHighs` keeps one HiGHS instance and re-solves it after
changing costs, bounds or coefficients in place (``changeColsCost``, ``changeColsBounds``,
``changeRowsBounds``, ``changeCoeff``), starting from the previous basis and retrying from scratch on any
status other than optimal.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from typing import Any

import highspy
import numpy as np

from landopt.backends.outcome import MESSAGES, SolveOutcome, failed
from landopt.model.sparse import as_scipy
from landopt.model.standard_form import StandardForm

log = logging.getLogger(__name__)

INF = highspy.kHighsInf
_BANNER_DONE = False
_VERSION: str | None = None  # 'HiGHS 1.16.0', read once
_THREADS = 0  # thread count HiGHS's global scheduler was last sized for by landopt (0 = HiGHS's default)


def _first_instance(keep_banner: bool = True) -> highspy.Highs:
    """This process's first HiGHS instance.  HiGHS prints its banner ("Running HiGHS 1.16.0 … Copyright …") once
    per process, on file descriptor 1, when its first instance is made: the banner is caught in a pipe, so it
    reaches neither stdout (kept clean for ``--json``) nor the console, and is logged once at INFO (``-v`` shows
    it; ``keep_banner=False`` drops it, for worker processes)."""
    global _BANNER_DONE
    with contextlib.suppress(AttributeError, OSError, ValueError):
        sys.stdout.flush()
    try:
        read_end, write_end = os.pipe()  # the banner (≈ 170 bytes) fits the pipe's buffer: no reader needed
    except OSError:  # out of file descriptors: make it as it comes
        h = highspy.Highs()
        _BANNER_DONE = True
        return h
    try:
        if min(read_end, write_end) <= 2:  # descriptor 1 was closed (a detached process): nothing can reach it
            raise OSError("no standard output")
        saved = os.dup(1)
    except OSError:
        os.close(read_end)
        os.close(write_end)
        h = highspy.Highs()
        _BANNER_DONE = True
        return h
    try:
        os.dup2(write_end, 1)
        try:
            h = highspy.Highs()
            _flush_c_stdout()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            banner = pipe.read().decode("utf-8", "replace")
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(read_end)
        raise
    _BANNER_DONE = True
    if keep_banner and banner.strip():
        log.info("%s", " ".join(line.strip() for line in banner.splitlines() if line.strip()))
    return h


def _flush_c_stdout() -> None:
    """Flush the C library's stdout buffer (HiGHS flushes its own log lines; this makes sure)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None).fflush(None)


def new_highs(threads: int | None = None) -> highspy.Highs:
    """A quiet HiGHS instance (no banner on the console: see :func:`_first_instance`)."""
    global _THREADS
    h = highspy.Highs() if _BANNER_DONE else _first_instance()
    h.setOptionValue("output_flag", False)
    if threads and int(threads) != _THREADS:
        # HiGHS sizes one global scheduler at its first run; a different thread count later makes run() fail
        # unless the scheduler is reset first
        highspy.Highs.resetGlobalScheduler(True)
        _THREADS = int(threads)
    if _THREADS:
        h.setOptionValue("threads", _THREADS)
    return h


def silence_banner() -> None:
    """Make this process's first HiGHS instance now, its banner dropped (for worker processes)."""
    if not _BANNER_DONE:
        _first_instance(keep_banner=False)


def highs_started() -> bool:
    """Whether this process has created a HiGHS instance (and so may hold HiGHS's native worker threads)."""
    return _BANNER_DONE


def solver_version() -> str:
    global _VERSION
    if _VERSION is None:
        h = highspy.Highs() if _BANNER_DONE else _first_instance()
        _VERSION = f"HiGHS {h.version()}" if hasattr(h, "version") else "HiGHS"
    return _VERSION


def doubles(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=float)


def ints(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.int32)


def pass_to_highs(form: StandardForm, h: highspy.Highs) -> None:
    """Hand ``form`` to an empty HiGHS instance through its array API (no Python object per entry).

    The columns (costs and bounds) go in with one ``addCols`` call, then each row block with one
    ``addRows`` call taking its row-wise matrix as it is.
    """
    if h.getNumCol() or h.getNumRow():
        h.clearModel()
    n = len(form.cost)
    statuses = [
        h.addCols(n, doubles(form.cost), doubles(form.col_lower), doubles(form.col_upper), 0,
                  np.zeros(n, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0)),  # entries come with the rows
        h.changeObjectiveSense(highspy.ObjSense.kMaximize),
        h.changeObjectiveOffset(float(form.offset)),
    ]
    for A, rows in form.blocks_with_rows():
        A = A if A.format == "csr" else A.tocsr()
        statuses.append(h.addRows(A.shape[0], doubles(form.row_lower[rows]), doubles(form.row_upper[rows]), A.nnz,
                                  ints(A.indptr), ints(A.indices), doubles(A.data)))
    if highspy.HighsStatus.kError in statuses:
        raise RuntimeError("HiGHS rejected the model")


def hold_objective(h: highspy.Highs, form: StandardForm, floor: float) -> int:
    """Append to ``h`` (holding ``form``) the row ``c'x >= floor`` over the form's objective coefficients (without
    its constant): the optimal face, on which a second objective is then optimised.  Returns the row's position."""
    idx = np.flatnonzero(form.cost)
    h.addRow(float(floor), highspy.kHighsInf, len(idx), ints(idx), doubles(np.asarray(form.cost, dtype=float)[idx]))
    return h.getNumRow() - 1


def choose_method(spec_method: str | None, n_cols: int) -> str:
    """``auto`` is HiGHS's dual simplex at every size: on these land-allocation LPs it measured 3 s against 6 s
    for interior point + crossover at 1e5 columns and 35 s against 255 s at 1e6 (docs/performance.md)."""
    if spec_method in ("simplex", "ipm"):
        return spec_method
    return "simplex"


def configure(h: highspy.Highs, settings: dict, method: str) -> None:
    h.setOptionValue("solver", method)
    if method == "ipm":
        h.setOptionValue("run_crossover", "on")
    if settings.get("time_limit_s"):
        h.setOptionValue("time_limit", float(settings["time_limit_s"]))


def model_status(h: highspy.Highs) -> tuple[str, str]:
    ms = h.getModelStatus()
    S = highspy.HighsModelStatus
    if ms == S.kOptimal:
        return "optimal", ""
    if ms == S.kInfeasible or ms == S.kUnboundedOrInfeasible:
        return "infeasible", ""
    if ms == S.kUnbounded:
        return "unbounded", ""
    if ms == S.kTimeLimit:
        return "time_limit", ""
    return "error", h.modelStatusToString(ms)


def _outcome(h: highspy.Highs, form: StandardForm, method: str, seconds: float, backend: str,
             keep_highs: bool) -> SolveOutcome:
    status, detail = model_status(h)
    n, m = form.n_cols, form.n_rows
    iterations = int(h.getInfo().simplex_iteration_count)
    common = dict(solver=solver_version(), method=method, compile_seconds=form.compile_seconds, solve_seconds=seconds,
                  iterations=iterations, backend=backend, highs=h if keep_highs else None, form=form)
    log.info("HiGHS (%s): %s in %.2f s", method, status, seconds)
    if status != "optimal":
        return failed(status, detail, n, m, **common)
    sol = h.getSolution()
    x = np.asarray(sol.col_value, dtype=float)
    dual = np.asarray(sol.row_dual, dtype=float)
    basis = h.getBasis()  # a copy (two status arrays): the second stage starts from it
    return SolveOutcome(status=status, message=MESSAGES["optimal"], objective=float(h.getInfo().objective_function_value),
                        x=x, row_activity=form.activity(x), dual=dual, reduced_cost=form.reduced_costs(dual),
                        basis=basis if basis.valid else None, **common)


def solve_form(form: StandardForm, settings: dict, threads: int | None = None, keep_highs: bool = True,
               method: str | None = None, backend: str = "highs") -> SolveOutcome:
    """Solve ``form`` once with a fresh HiGHS instance."""
    h = new_highs(threads)
    method = choose_method(method or settings.get("solver_method", "auto"), form.n_cols)
    configure(h, settings, method)
    t_in = time.perf_counter()
    pass_to_highs(form, h)
    t0 = time.perf_counter()
    h.run()
    t1 = time.perf_counter()
    out = _outcome(h, form, method, t1 - t0, backend, keep_highs)
    # the time around HiGHS's own run, for benchmarks/scale.py (what its floor spends on the same two steps)
    log.info("hand-over to HiGHS %.4f s, solution read back %.4f s", t0 - t_in, time.perf_counter() - t1)
    if not keep_highs:
        del h
        _return_freed_memory()
    return out


def _return_freed_memory() -> None:
    """Hand the heap memory HiGHS just freed back to the operating system (glibc only; a no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (e.g. musl): nothing to do
        pass


def _bound_arrays(idx: Any, lower: Any, upper: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions as int32 and their bounds as float arrays of the same length (scalars broadcast)."""
    idx = ints(np.atleast_1d(idx))
    return (idx, np.broadcast_to(doubles(lower), idx.shape).copy(), np.broadcast_to(doubles(upper), idx.shape).copy())


class WarmHighs:
    """One HiGHS instance kept warm across re-solves of the same model with changed data.

    Change costs, bounds or coefficients in place, then :meth:`solve`: HiGHS starts from the previous optimal
    basis.  If that solve ends in any status other than optimal, the solver state is cleared and the model solved
    again from scratch (a warm start can end as 'unknown' or even 'infeasible' on a degenerate LP that is
    feasible), so a warm answer is never worse than a cold one.  ``cold_retries`` counts those retries.
    """

    def __init__(self, form: StandardForm, settings: dict | None = None, threads: int | None = None,
                 method: str | None = None) -> None:
        settings = settings or {}
        self.method = choose_method(method or settings.get("solver_method", "auto"), form.n_cols)
        self.h = new_highs(threads)
        configure(self.h, settings, self.method)
        pass_to_highs(form, self.h)
        # the outcome's activity and reduced costs are computed from a copy of the form kept in step with changes
        self.form = StandardForm(row_blocks=[as_scipy(B).copy() for B in form.row_blocks],  # set_coeff edits them as scipy matrices
                                 row_lower=form.row_lower.copy(),
                                 row_upper=form.row_upper.copy(), col_lower=form.col_lower.copy(),
                                 col_upper=form.col_upper.copy(), cost=np.array(form.cost, dtype=float),
                                 offset=form.offset, compile_seconds=form.compile_seconds, compiled_by=form.compiled_by)
        self.solves = 0
        self.cold_retries = 0

    @property
    def n_cols(self) -> int:
        return self.form.n_cols

    def set_cost(self, cost: np.ndarray, offset: float = 0.0) -> None:
        """Replace the whole objective (maximised): cost vector and constant."""
        cost = doubles(cost)
        n = self.n_cols
        self.h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
        self.h.changeObjectiveOffset(float(offset))
        self.form.cost = cost.copy()
        self.form.offset = float(offset)

    def set_cost_entries(self, cols: np.ndarray, values: np.ndarray) -> None:
        """Change the costs of ``cols`` only (the rest and the constant stay): one ``changeColsCost`` call of that
        length, for batches of re-solves whose objectives differ in a few columns."""
        cols, values = ints(cols), doubles(values)
        self.h.changeColsCost(len(cols), cols, values)
        self.form.cost[cols] = values

    def set_col_bounds(self, cols: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        cols, lower, upper = _bound_arrays(cols, lower, upper)
        self.h.changeColsBounds(len(cols), cols, lower, upper)
        self.form.col_lower[cols], self.form.col_upper[cols] = lower, upper

    def set_row_bounds(self, rows: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        rows, lower, upper = _bound_arrays(rows, lower, upper)
        self.h.changeRowsBounds(len(rows), rows, lower, upper)
        self.form.row_lower[rows], self.form.row_upper[rows] = lower, upper

    def set_coeff(self, row: int, col: int, value: float) -> None:
        """Change one matrix coefficient (``row``, ``col`` in global order)."""
        self.h.changeCoeff(int(row), int(col), float(value))
        first = 0
        for k, B in enumerate(self.form.row_blocks):
            if row < first + B.shape[0]:
                B = B.tolil()
                B[row - first, col] = value
                self.form.row_blocks[k] = B.tocsr()
                self.form._A = None
                return
            first += B.shape[0]
        raise IndexError(f"row {row} is not in the model ({first} rows)")

    def set_coeffs(self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray) -> None:
        """Change many matrix coefficients (global ``rows``, ``cols``); the kept form is updated once per block."""
        rows, cols, values = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64), doubles(values)
        for r, c, v in zip(rows.tolist(), cols.tolist(), values.tolist()):
            self.h.changeCoeff(r, c, v)
        for k, (B, span) in enumerate(self.form.blocks_with_rows()):
            sel = (rows >= span.start) & (rows < span.stop)
            if sel.any():
                B = B.tolil()
                B[rows[sel] - span.start, cols[sel]] = values[sel]
                self.form.row_blocks[k] = B.tocsr()
        self.form._A = None

    def add_row(self, lower: float, upper: float, cols: np.ndarray, values: np.ndarray) -> int:
        """Append a row ``lower <= Σ values·x[cols] <= upper``; returns its global position."""
        import scipy.sparse as sp

        cols, values = ints(cols), doubles(values)
        self.h.addRow(float(lower), float(upper), len(cols), cols, values)
        B = sp.csr_array((values, (np.zeros(len(cols), dtype=np.int64), cols)), shape=(1, self.n_cols))
        self.form.row_blocks.append(B)
        self.form._A = None
        self.form.row_lower = np.append(self.form.row_lower, lower)
        self.form.row_upper = np.append(self.form.row_upper, upper)
        return self.form.n_rows - 1

    def solve(self) -> SolveOutcome:
        """Re-solve from the previous basis; cold retry on any non-optimal status."""
        t0 = time.perf_counter()
        self.h.run()
        self.solves += 1
        if model_status(self.h)[0] != "optimal":
            log.debug("warm re-solve ended %s; solving again from scratch", model_status(self.h)[0])
            self.cold_retries += 1
            self.h.clearSolver()
            self.h.run()
        return _outcome(self.h, self.form, self.method, time.perf_counter() - t0, "highs", keep_highs=True)

    def solve_cold(self) -> SolveOutcome:
        """Solve from scratch (the previous basis discarded)."""
        self.h.clearSolver()
        t0 = time.perf_counter()
        self.h.run()
        self.solves += 1
        return _outcome(self.h, self.form, self.method, time.perf_counter() - t0, "highs", keep_highs=True)


