"""Near-optimal ranges on forked copies of this process (Linux), for batches too small for the worker pool.

**Why.** On the shipped workbook the area batch takes about 0.17 s on one core: far too little for the worker pool
(:mod:`landopt.analysis.ranges_parallel`: a fork server, an import of landopt and a cold solve per worker, about a
second), but enough for ``os.fork``: the child inherits the warm HiGHS instance, its basis and the search state by
copy-on-write — no rebuild, no cold solve, nothing sent to it.  What forking costs: the ``fork`` itself (≈ 2–4 ms
for this ≈ 150 MB process), about 1,300 copy-on-write page faults in each process as HiGHS writes to its arrays
(a few ms each side), the pipe back (< 1 ms) and the child's exit (overlapped with the table): forking pays from
about 0.05 s of serial work (:data:`landopt.analysis.ranges_parallel.FORK_MIN_SECONDS`).

**How.** :func:`split` cuts the quantities into one contiguous chunk per process (a region's quantities stay
together), balanced by the extremes still open (those not yet seen at a bound the rows prove), and a
:class:`TaskBoard` in shared memory holds every chunk's solves: each process takes its own from the front, then
steals the others' from the back, so that all finish together whatever each solve costs.  HiGHS's global scheduler
is reset first, so that no HiGHS worker thread exists when the process forks (a child would inherit a scheduler
whose threads are gone).  Each child runs :meth:`landopt.analysis.ranges.Search.run` on its claims with the
inherited instance, pickles its search arrays down a pipe and leaves with ``os._exit`` (no atexit handler, no flush
of the parent's stdio buffers); the parent runs its own claims meanwhile, then reads every pipe (``select``) and
folds the results together (:meth:`~landopt.analysis.ranges.Search.merge`).  The table equals the serial one: every
extreme is an LP optimum from the same starting basis; only which solves get skipped may differ.

**Failure.** A child asks the kernel to kill it when the parent dies (:func:`landopt.processes.die_with_parent`).
A child whose work raises sends an error record; one that dies sends nothing complete; one still running at the
deadline — ``max(30 s, 50 × the estimated serial time)`` — is killed (SIGKILL).  In each case the parent logs a
warning and solves whatever is left itself (every extreme not yet proven or solved).  Every child is reaped
(``os.waitpid``): at once when killed or when the parent's own work raises, else by :meth:`ForkReport.reap`.
"""

from __future__ import annotations

import logging
import mmap
import multiprocessing
import os
import pickle
import selectors
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Iterator, NoReturn

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
    """``workers`` contiguous chunks of the quantities with about equal numbers of open extremes (minimum and maximum
    not yet proven): a quantity goes to the chunk its midpoint on the running count falls in; empty chunks are
    dropped.  (Only a first guess: the processes even out the rest through the :class:`TaskBoard`.)"""
    m = search.Q.shape[0]
    if m == 0:
        return []
    weight = (~search.at_lo).astype(float) + (~search.at_hi).astype(float) + 1e-3  # a proven quantity is near free
    cum = np.cumsum(weight)
    cuts = np.searchsorted(cum - weight / 2, cum[-1] * np.arange(1, workers) / workers)
    return [c for c in np.split(np.arange(m), cuts) if len(c)]


class TaskBoard:
    """The solves of every chunk — its maxima, then its minima — shared by the processes through a few words of
    anonymous shared memory and one lock (:func:`multiprocessing.Lock`): each process claims its own chunk's tasks
    from the front and, once they are gone, another chunk's from the back (the chunk with the most left), so that all
    finish together however the cost is spread.  A lock not obtained before the deadline (a process died holding it)
    marks the board ``broken``: claiming stops and the parent finishes every chunk itself."""

    def __init__(self, chunks: list[np.ndarray], deadline: float) -> None:
        self.chunks = chunks
        self.deadline = deadline
        self.broken = False
        self._mem = mmap.mmap(-1, 16 * len(chunks))  # MAP_SHARED | MAP_ANONYMOUS: children see the same words
        self._ends = np.frombuffer(self._mem, dtype=np.int64).reshape(len(chunks), 2)  # next front, next back
        self._ends[:, 0] = 0
        self._ends[:, 1] = [2 * len(c) - 1 for c in chunks]
        self._lock = multiprocessing.get_context("fork").Lock()

    def claims(self, me: int) -> Iterator[tuple[float, int]]:
        """The (sense, quantity) tasks process ``me`` (its chunk's index) gets, until none is left."""
        while (task := self._take(me)) is not None:
            yield task

    def _take(self, me: int) -> tuple[float, int] | None:
        if self.broken or not self._lock.acquire(timeout=max(0.0, self.deadline - time.monotonic())):
            self.broken = True
            return None
        try:
            front, back = (int(v) for v in self._ends[me])
            if front <= back:
                c, pos = me, front
                self._ends[me, 0] = front + 1
            else:
                left = self._ends[:, 1] - self._ends[:, 0]
                c = int(np.argmax(left))
                if left[c] < 0:
                    return None
                pos = int(self._ends[c, 1])
                self._ends[c, 1] = pos - 1
        finally:
            self._lock.release()
        n = len(self.chunks[c])
        return (1.0 if pos < n else -1.0), int(self.chunks[c][pos % n])


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
    problem: str = ""


@dataclass
class ForkReport:
    """What the fork tier did: processes used (this one included) and children lost (their work redone here).

    Children that sent their whole answer may still be exiting (tearing down their copy of the address space takes
    a few ms): :meth:`reap` waits for them.  Call it once the results are used (:func:`near_optimal_ranges` does,
    after the table); it is idempotent."""

    workers: int
    redone: int = 0
    pending: list[int] = field(default_factory=list)

    def reap(self) -> None:
        """Wait for every child still exiting (no zombie is left)."""
        while self.pending:
            _wait(self.pending.pop())


def _wait(pid: int, flags: int = 0) -> int | None:
    """``os.waitpid``: the exit status, or None when ``flags`` has WNOHANG and the child is still running."""
    try:
        got, status = os.waitpid(pid, flags)
    except ChildProcessError:  # already reaped
        return 0
    return status if got else None


def _child_main(solver: Any, search: Any, board: TaskBoard, me: int, fd: int, parent: int) -> NoReturn:
    """A forked child's whole life: run the chunk, send the result (or the error) down ``fd``, ``os._exit``."""
    code = 70
    own = board.chunks[me]
    try:
        die_with_parent()
        if os.getppid() != parent:  # the parent died before the kernel was asked to watch it
            os._exit(code)
        try:
            child_hook(own)
            solves, retries, t0 = search.solves, search.retries, time.perf_counter()
            search.run(solver, own, board.claims(me))
            record: dict[str, Any] = {"ok": True, **state_of(search, own), "seconds": time.perf_counter() - t0,
                                      "sent": time.perf_counter()}
            record["solves"], record["retries"] = search.solves - solves, search.retries - retries  # this chunk's
        except BaseException as e:  # noqa: BLE001 - everything goes back to the parent, which redoes the chunk
            record = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        view = memoryview(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
        while view:
            view = view[os.write(fd, view):]
        os.close(fd)  # the end of the record now, not after this process's memory is torn down
        code = 0
    finally:
        os._exit(code)


def _start(solver: Any, search: Any, board: TaskBoard, me: int) -> _Child | None:
    """Fork one child for the chunk ``me`` of ``board`` (None when the system refuses a process)."""
    parent = os.getpid()
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
        _child_main(solver, search, board, me, w, parent)
    os.close(w)
    return _Child(pid=pid, fd=r, own=board.chunks[me])


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


def _finish(k: _Child, report: ForkReport, kill: bool) -> None:
    """Close ``k``'s pipe; kill it when it has not sent everything (or ``kill``) and wait for it; else reap it if it
    has exited, or leave it to :meth:`ForkReport.reap`."""
    os.close(k.fd)
    if kill or not k.eof:
        try:
            os.kill(k.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _wait(k.pid)
        if not k.eof:
            k.problem = "no answer before the deadline: killed"
        return
    status = _wait(k.pid, os.WNOHANG)
    if status is None:
        report.pending.append(k.pid)
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
    ``solver`` (a :class:`~landopt.analysis.nearopt.BatchSolver`); updates ``search`` in place.  Call the report's
    :meth:`~ForkReport.reap` when done with the results."""
    chunks = split(search, workers)
    report = ForkReport(workers=len(chunks))
    if len(chunks) < 2:
        search.run(solver, np.arange(search.Q.shape[0]))
        return report
    t0 = time.perf_counter()
    deadline = time.monotonic() + max(TIMEOUT_FLOOR_S, TIMEOUT_PER_ESTIMATE * estimate_seconds)
    board = TaskBoard(chunks, deadline)
    highspy.Highs.resetGlobalScheduler(True)  # no HiGHS worker thread may exist at fork time
    kids: list[_Child] = []
    failed = True
    try:
        for me in range(1, len(chunks)):
            k = _start(solver, search, board, me)
            if k is not None:  # else this process takes that chunk's tasks from the board
                kids.append(k)
        t_forked = time.perf_counter()
        search.run(solver, chunks[0], board.claims(0))
        t_own = time.perf_counter()
        _collect(kids, deadline)
        t_read = time.perf_counter()
        failed = False
    finally:
        for k in kids:
            _finish(k, report, kill=failed)
    for k in kids:
        rec = _record(k)
        if rec is None:
            log.warning("ranges: worker process %d (%d quantities): %s; its work is done in this process",
                        k.pid, len(k.own), k.problem)
            report.redone += 1
        else:
            search.merge(rec)
            log.debug("ranges: worker process %d ran in %.1f ms, sent at %.1f ms", k.pid, 1e3 * rec["seconds"],
                      1e3 * (rec["sent"] - t0))
    if report.redone or board.broken:  # a lost child's solves (its chunk's and any it took from others): redone
        search.run(solver, np.arange(search.Q.shape[0]))  # here, skipping every extreme already proven or solved
    log.debug("ranges: forked %d in %.1f ms, own chunk and shares done at %.1f ms, pipes read at %.1f ms, all at "
              "%.1f ms", len(kids), 1e3 * (t_forked - t0), 1e3 * (t_own - t0), 1e3 * (t_read - t0),
              1e3 * (time.perf_counter() - t0))
    return report
