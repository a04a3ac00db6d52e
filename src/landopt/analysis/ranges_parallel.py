"""Near-optimal ranges split over processes: which tier runs a batch (:func:`choose_workers`), and the worker pool.

**When.** :func:`choose_workers` estimates the serial batch time as ``2 · quantities`` LPs at
:data:`WARM_FIXED_S` + :data:`WARM_SHARE` × one cold solve each (on the shipped workbook a warm re-solve costs
about 0.5 ms of HiGHS's fixed overhead plus a few iterations, against 12 ms for a cold solve; the estimate runs about
twice the measured time) and picks one of three tiers:

* ``serial`` — one process: one CPU, an estimate at most :data:`FORK_MIN_SECONDS`, or ``workers=1``;
* ``fork`` — up to :data:`PARALLEL_MIN_SECONDS`, on Linux with no other Python thread running
  (:func:`landopt.analysis.ranges_fork.available`) and at least one CPU idle right now (:func:`busy_elsewhere`: on
  a shared machine a child that has to share a CPU with another busy process made the batch slower than serial,
  0.27–0.37 s against 0.18 s): one process per idle CPU (at most :data:`MAX_WORKERS`, this one included), the
  others forked from this one with the warm instance (:mod:`landopt.analysis.ranges_fork`; about 4 ms to start).
  The shipped workbook (91 area quantities, one solve 12 ms: about 0.3 s estimated) runs here;
* ``pool`` — above :data:`PARALLEL_MIN_SECONDS` (or where forking is not possible): the sweep executor's process
  pool, below.  Starting its workers (a fork server, an import of landopt and one cold solve per worker: about a
  second) pays only for a large batch, e.g. a county-level instance (thousands of quantities, one solve of seconds).

``workers=N`` (N > 1) forces N processes: the fork tier when the batch is below :data:`PARALLEL_MIN_SECONDS` and
forking is possible, else the pool.

**How (pool).** The quantities are cut into one contiguous chunk per worker (contiguous: a region's land uses stay
together, so one worker's visited plans prove its own quantities' bounds).  Every worker gets the exploring LP (the
plan's rows plus the near-optimality row), solves it once from scratch, then runs
:meth:`landopt.analysis.ranges.Search.run` on its chunk with its own warm HiGHS instance — visiting, like the serial
batch, every quantity at every plan it finds.  The parent folds the chunks together
(:meth:`~landopt.analysis.ranges.Search.merge`): observed values by min/max, proofs by "or", solved flags from each
quantity's owner.  The table equals the serial one (each extreme is an LP optimum; only which solves get skipped may
differ).  A chunk whose worker dies twice (:func:`landopt.sweep.executor.execute` retries once) is solved in this
process.
"""

from __future__ import annotations

import logging
import os
from typing import Any, NamedTuple

import numpy as np

log = logging.getLogger(__name__)

PARALLEL_MIN_SECONDS = 5.0  #: estimated serial batch time above which the quantities go to the worker pool
FORK_MIN_SECONDS = 0.1  #: estimated serial batch time above which forked workers pay (measured: break-even ≈ 0.09 s)
WARM_FIXED_S = 5e-4  #: HiGHS's fixed cost per warm re-solve (measured on the shipped workbook, 2 cores)
WARM_SHARE = 0.1  #: a warm re-solve's iterations as a share of one cold solve's time
MAX_WORKERS = 8


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def busy_elsewhere(loadavg: str | None = None) -> int:
    """Processes (threads) running or waiting for a CPU right now, besides this one: the kernel's count of runnable
    tasks (the fourth field of ``/proc/loadavg``, e.g. ``3/92``: an instantaneous sample, this process included)
    minus one; 0 where the system does not say.  ``loadavg``: that file's text (read when None)."""
    try:
        if loadavg is None:
            with open("/proc/loadavg", encoding="ascii") as f:
                loadavg = f.read()
        running = int(loadavg.split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return 0
    return max(running - 1, 0)


def estimated_serial_seconds(quantities: int, single_solve_seconds: float) -> float:
    return 2 * quantities * (WARM_FIXED_S + WARM_SHARE * single_solve_seconds)


class Tier(NamedTuple):
    """How a batch runs: ``name`` is ``serial``, ``fork`` or ``pool``; ``workers`` counts processes (this one
    included for ``fork``)."""

    name: str
    workers: int


def choose_workers(workers: int | None, quantities: int, single_solve_seconds: float) -> Tier:
    """The tier and process count for a batch (see the module docstring); ValueError when ``workers`` is not a whole
    number of at least 1."""
    from landopt.analysis import ranges_fork

    if workers is not None:
        if int(workers) != workers or workers < 1:
            raise ValueError(f"workers must be a whole number of at least 1, not {workers!r}")
        n = int(min(workers, max(quantities, 1)))
        if n == 1:
            return Tier("serial", 1)
        small = estimated_serial_seconds(quantities, single_solve_seconds) <= PARALLEL_MIN_SECONDS
        return Tier("fork" if small and ranges_fork.available() else "pool", n)
    estimate = estimated_serial_seconds(quantities, single_solve_seconds)
    n = int(min(cpu_count(), MAX_WORKERS, max(quantities, 1)))
    if n < 2 or estimate <= FORK_MIN_SECONDS:
        return Tier("serial", 1)
    if estimate <= PARALLEL_MIN_SECONDS:
        free = min(n, cpu_count() - busy_elsewhere())  # a child on a CPU another process holds only slows both
        return Tier("fork", free) if free >= 2 and ranges_fork.available() else Tier("serial", 1)
    return Tier("pool", n)


def solve_chunk(task: dict) -> dict:
    """Worker side: the exploring LP solved once, then the chunk's extremes on a warm instance.  Returns the
    worker's :class:`~landopt.analysis.ranges.Search` arrays (picklable)."""
    from landopt.analysis.nearopt import BatchSolver
    from landopt.analysis.ranges import Search
    from landopt.backends.highs import WarmHighs, silence_banner

    p = task["params"]
    silence_banner()
    warm = WarmHighs(p["form"], p["settings"], threads=p["threads"])
    out = warm.solve_cold()
    s = Search(Q=p["Q"], proven_lo=p["proven_lo"], proven_hi=p["proven_hi"], lo=p["lo"].copy(), hi=p["hi"].copy())
    own = p["own"]
    if not out.optimal:  # the parent solved this LP; a worker that cannot leaves its chunk to the parent
        return {"run_id": task["run_id"], "status": "lost", "message": f"the exploring LP ended {out.status}"}
    s.visit(out.x)
    s.run(BatchSolver(warm), own)
    return {"run_id": task["run_id"], "status": "optimal", "own": own, "lo": s.lo, "hi": s.hi, "at_lo": s.at_lo,
            "at_hi": s.at_hi, "solved_lo": s.solved_lo, "solved_hi": s.solved_hi, "status_of": s.status,
            "solves": s.solves, "retries": s.retries}


def solve_parallel(nx: Any, search: Any, workers: int, threads: int | None = None) -> None:
    """Run ``search`` over all its quantities on ``workers`` processes (see the module docstring); updates it in
    place."""
    from landopt.sweep.executor import LocalPool, execute

    m = search.Q.shape[0]
    form = nx.warm.form  # the plan's rows, the near-optimality row and (still) the carbon objective
    chunks = [c for c in np.array_split(np.arange(m), workers) if len(c)]
    base = {"form": form, "settings": dict(nx.lm.spec.settings), "threads": threads, "Q": search.Q,
            "proven_lo": search.proven_lo, "proven_hi": search.proven_hi, "lo": search.lo, "hi": search.hi}
    tasks = [{"run_id": k, "attempt": 1, "scenario": "ranges", "sample_id": k, "key": k,
              "params": {**base, "own": own}} for k, own in enumerate(chunks)]
    left: list[np.ndarray] = []

    def emit(rec: dict) -> None:
        if rec.get("status") != "optimal":
            log.warning("ranges chunk %s: %s; solving it in this process", rec["run_id"], rec.get("message"))
            left.append(chunks[rec["run_id"]])
            return
        rec["status"] = rec.pop("status_of")
        search.merge(rec)

    execute(tasks, lambda: LocalPool(len(chunks)), window=len(chunks), task_fn=solve_chunk, emit=emit)
    if left:
        search.run(nx.batch(), np.concatenate(left))
    log.info("ranges: %d quantities on %d worker processes (%d chunk(s) redone here)", m, len(chunks), len(left))
