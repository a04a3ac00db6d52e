"""Near-optimal ranges split over worker processes (the sweep executor's pool), for large batches.

**When.** :func:`choose_workers` estimates the serial batch time as ``2 · quantities`` LPs at
:data:`WARM_FIXED_S` + :data:`WARM_SHARE` × one cold solve each (on the shipped workbook a warm re-solve costs
about 0.5 ms of HiGHS's fixed overhead plus a few iterations, against 9 ms for a cold solve) and goes parallel when
that estimate exceeds :data:`PARALLEL_MIN_SECONDS` (5 s) and the machine has more than one CPU.  Below that, starting
worker processes (a fork server, an import of landopt and one cold solve per worker: about a second) costs more than
it saves.  The shipped workbook (259 quantities, one solve 9 ms) estimates about 0.8 s, so it runs serially; a
county-level instance (thousands of quantities, one solve of seconds) runs in parallel.

**How.** The quantities are cut into one contiguous chunk per worker (contiguous: a region's land uses stay
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
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

PARALLEL_MIN_SECONDS = 5.0  #: estimated serial batch time above which the quantities are split over workers
WARM_FIXED_S = 5e-4  #: HiGHS's fixed cost per warm re-solve (measured on the shipped workbook, 2 cores)
WARM_SHARE = 0.1  #: a warm re-solve's iterations as a share of one cold solve's time
MAX_WORKERS = 8


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def estimated_serial_seconds(quantities: int, single_solve_seconds: float) -> float:
    return 2 * quantities * (WARM_FIXED_S + WARM_SHARE * single_solve_seconds)


def choose_workers(workers: int | None, quantities: int, single_solve_seconds: float) -> int:
    """Worker processes for a batch: ``workers`` when given (ValueError below 1), else 1 unless the estimated
    serial time exceeds :data:`PARALLEL_MIN_SECONDS`, then one per CPU (at most :data:`MAX_WORKERS`)."""
    if workers is not None:
        if int(workers) != workers or workers < 1:
            raise ValueError(f"workers must be a whole number of at least 1, not {workers!r}")
        return int(min(workers, max(quantities, 1)))
    if cpu_count() < 2 or estimated_serial_seconds(quantities, single_solve_seconds) <= PARALLEL_MIN_SECONDS:
        return 1
    return int(min(cpu_count(), MAX_WORKERS, max(quantities, 1)))


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
