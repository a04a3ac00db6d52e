"""Near-optimal ranges on forked copies of this process (Linux), for batches too small for the worker pool.

**Why.** On the shipped workbook the whole batch takes about 0.15 s on one core: far too little for the worker pool
(:mod:`landopt.analysis.ranges_parallel`: a fork server, an import of landopt and a cold solve per worker, about a
second), but enough for ``os.fork``: the child inherits the warm HiGHS instance, its basis and the search state by
copy-on-write — no rebuild, no cold solve, nothing sent to it — and ``fork`` plus the pipe back cost about 4 ms.

**How.** :func:`split` cuts the quantities into one contiguous chunk per worker (a region's quantities stay
together), balanced by the extremes still open (those not yet seen at a bound the rows prove).  HiGHS's global
scheduler is reset first, so that no HiGHS worker thread exists when the process forks (a child would inherit a
scheduler whose threads are gone).  Each child runs :meth:`landopt.analysis.ranges.Search.run` on its chunk with the
inherited instance, pickles its search arrays down a pipe and leaves with ``os._exit`` (no atexit handler, no flush
of the parent's stdio buffers); the parent runs the first chunk meanwhile, then reads every pipe and folds the
chunks together (:meth:`~landopt.analysis.ranges.Search.merge`).  The table equals the serial one: every extreme is
an LP optimum from the same starting basis; only which solves get skipped may differ.

**Failure.** A child asks the kernel to kill it when the parent dies (:func:`landopt.processes.die_with_parent`).
A child whose chunk raises sends an error record; one that dies sends nothing complete; one still running at the
deadline — ``max(30 s, 50 × the estimated serial time)`` — is killed (SIGKILL).  In each case the parent logs a
warning and solves that chunk itself.  Every child is reaped (``os.wait4``, which also gives its CPU time), also when
the parent's own chunk raises.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import selectors
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, NoReturn

import highspy
import numpy as np

from landopt.processes import die_with_parent

log = logging.getLogger(__name__)

TIMEOUT_FLOOR_S = 30.0  #: a child is given at least this long (seconds) ...
TIMEOUT_PER_ESTIMATE = 50.0  #: ... or this many times the estimated serial batch time, whichever is longer
_READ = 1 << 16


def available() -> bool:
    """Whether this process may fork workers now: Linux, ``fork`` offered, and no other Python thread running
    (forking a multi-threaded process can deadlock the child on a lock another thread held)."""
    return (sys.platform.startswith("linux") and hasattr(os, "fork")
            and "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1)


def child_hook(own: np.ndarray) -> None:
    """Called in every forked child just before it runs its chunk ``own`` (quantity indices); does nothing.

    A test hook: a test replaces it (``monkeypatch.setattr``) to make a child raise, die or hang, and checks that the
    parent redoes that chunk."""


def split(search: Any, workers: int) -> list[np.ndarray]:
    """``workers`` contiguous chunks of the quantities, cut where the running count of open extremes (minimum and
    maximum not yet proven) reaches each worker's equal share; empty chunks are dropped."""
    m = search.Q.shape[0]
    weight = (~search.at_lo).astype(float) + (~search.at_hi).astype(float) + 1e-3  # a proven quantity is near free
    cum = np.cumsum(weight)
    cuts = np.searchsorted(cum, cum[-1] * np.arange(1, workers) / workers, side="right") if m else []
    return [c for c in np.split(np.arange(m), cuts) if len(c)]


def state_of(search: Any, own: np.ndarray) -> dict[str, Any]:
    """The arrays :meth:`~landopt.analysis.ranges.Search.merge` folds in, for the chunk ``own``."""
    return {"own": own, "lo": search.lo, "hi": search.hi, "at_lo": search.at_lo, "at_hi": search.at_hi,
            "solved_lo": search.solved_lo, "solved_hi": search.solved_hi, "status": search.status,
            "solves": search.solves, "retries": search.retries}


@dataclass
class _Child:
    pid: int
    fd: int
    own: np.ndarray
    data: bytearray = field(default_factory=bytearray)
    eof: bool = False
    reaped: bool = False
    problem: str = ""


@dataclass
class ForkReport:
    """What the fork tier did: processes used (the parent included), chunks the parent redid, children's CPU."""

    workers: int
    redone: int = 0
    children_cpu_seconds: float = 0.0


def _child_main(solver: Any, search: Any, own: np.ndarray, fd: int, parent: int) -> NoReturn:
    """A forked child's whole life: run the chunk, send the result (or the error) down ``fd``, ``os._exit``."""
    code = 70
    try:
        die_with_parent()
        if os.getppid() != parent:  # the parent died before the kernel was asked to watch it
            os._exit(code)
        try:
            child_hook(own)
            solves, retries, t0 = search.solves, search.retries, time.perf_counter()
            search.run(solver, own)
            record: dict[str, Any] = {"ok": True, **state_of(search, own), "seconds": time.perf_counter() - t0}
            record["solves"], record["retries"] = search.solves - solves, search.retries - retries  # this chunk's
        except BaseException as e:  # noqa: BLE001 - everything goes back to the parent, which redoes the chunk
            record = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        view = memoryview(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
        while view:
            view = view[os.write(fd, view):]
        code = 0
    finally:
        os._exit(code)


def _start(solver: Any, search: Any, own: np.ndarray) -> _Child | None:
    """Fork one child for the chunk ``own`` (None when the system refuses a process)."""
    r, w = os.pipe()
    try:
        pid = os.fork()
    except OSError as e:
        os.close(r)
        os.close(w)
        log.warning("ranges: cannot fork a worker (%s); its chunk is solved in this process", e)
        return None
    if pid == 0:  # the child
        os.close(r)
        _child_main(solver, search, own, w, os.getppid())
    os.close(w)
    return _Child(pid=pid, fd=r, own=own)


def _collect(kids: list[_Child], deadline: float) -> None:
    """Read every child's pipe to its end, or until ``deadline`` (``time.monotonic``)."""
    with selectors.DefaultSelector() as sel:
        for k in kids:
            sel.register(k.fd, selectors.EVENT_READ, k)
        while sel.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                break
            for key, _ in sel.select(left):
                k = key.data
                chunk = os.read(k.fd, _READ)
                if chunk:
                    k.data += chunk
                else:
                    k.eof = True
                    sel.unregister(k.fd)


def _reap(k: _Child, report: ForkReport) -> None:
    """Kill ``k`` unless it has sent everything, then wait for it (no zombie) and add its CPU time."""
    if k.reaped:
        return
    if not k.eof:
        try:
            os.kill(k.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        _, status, usage = os.wait4(k.pid, 0)
    except ChildProcessError:
        status, usage = 0, None
    k.reaped = True
    os.close(k.fd)
    if usage is not None:
        report.children_cpu_seconds += usage.ru_utime + usage.ru_stime
    if not k.eof:
        k.problem = "no answer before the deadline: killed"
    elif os.WIFSIGNALED(status):
        k.problem = f"ended by signal {os.WTERMSIG(status)}"


def _record(k: _Child) -> dict[str, Any] | None:
    """The child's result, or None (and ``k.problem`` says why) when there is none to use."""
    if k.problem and not k.data:
        return None
    try:
        rec = pickle.loads(bytes(k.data))
    except Exception as e:  # noqa: BLE001 - a child that died mid-write leaves a truncated record
        k.problem = k.problem or f"incomplete answer ({type(e).__name__})"
        return None
    if not rec.get("ok"):
        k.problem = f"raised {rec.get('error')}"
        return None
    return rec


def solve_forked(solver: Any, search: Any, workers: int, estimate_seconds: float) -> ForkReport:
    """Run ``search`` over all its quantities on this process and ``workers − 1`` forked children sharing the warm
    ``solver`` (a :class:`~landopt.analysis.nearopt.BatchSolver`); updates ``search`` in place."""
    chunks = split(search, workers)
    report = ForkReport(workers=len(chunks))
    if len(chunks) < 2:
        search.run(solver, np.arange(search.Q.shape[0]))
        return report
    t0 = time.perf_counter()
    deadline = time.monotonic() + max(TIMEOUT_FLOOR_S, TIMEOUT_PER_ESTIMATE * estimate_seconds)
    highspy.Highs.resetGlobalScheduler(True)  # no HiGHS worker thread may exist at fork time
    kids: list[_Child] = []
    redo: list[np.ndarray] = []
    try:
        for own in chunks[1:]:
            k = _start(solver, search, own)
            if k is None:
                redo.append(own)
            else:
                kids.append(k)
        t_forked = time.perf_counter()
        search.run(solver, chunks[0])
        t_own = time.perf_counter()
        _collect(kids, deadline)
        t_read = time.perf_counter()
    finally:
        for k in kids:
            _reap(k, report)
    for k in kids:
        rec = _record(k)
        if rec is None:
            log.warning("ranges: worker process %d (%d quantities): %s; its chunk is solved in this process",
                        k.pid, len(k.own), k.problem)
            redo.append(k.own)
        else:
            search.merge(rec)
            log.debug("ranges: worker process %d ran %d quantities in %.1f ms", k.pid, len(k.own), 1e3 * rec["seconds"])
    for own in redo:
        search.run(solver, own)
    report.redone = len(redo)
    log.debug("ranges: forked %d in %.1f ms, own %d quantities done at %.1f ms, pipes read at %.1f ms, all at %.1f ms",
              len(kids), 1e3 * (t_forked - t0), len(chunks[0]), 1e3 * (t_own - t0), 1e3 * (t_read - t0),
              1e3 * (time.perf_counter() - t0))
    return report
