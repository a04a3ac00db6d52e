"""Running the tasks: a local process pool (or any ``concurrent.futures`` executor, e.g. Dask's), with retries.

Local workers never outlive the sweep: each watches its parent (``os.getppid()``, and on Linux
``PR_SET_PDEATHSIG``) and a stop event the parent sets when the sweep ends abnormally (an exception, Ctrl-C,
SIGTERM turned into an exception by the CLI), and exits at once when either fires.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import logging
import os
import signal
import threading
import time
from collections import deque
from typing import Any, Callable, Sequence

from landopt.processes import die_with_parent
from landopt.sweep.progress import Progress
from landopt.sweep.tasks import lost, run_task

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 2
#: Modules a worker needs, imported once by the fork server (or by the parent before forking), so that every
#: worker starts warm.
PRELOAD = ["landopt.sweep", "landopt.api", "landopt.scenarios", "landopt.validate", "landopt.model.build",
           "landopt.backends.highs", "scipy.sparse"]
#: How often a worker checks that its parent is alive and the sweep still wants it (seconds).
WATCH_INTERVAL = 0.25
#: Exit status of a worker that stops because its parent died or the sweep was stopped.
ORPHAN_EXIT = 70


def warm_imports() -> None:
    """Import what a run needs (:data:`PRELOAD`), so that forked workers inherit it instead of importing it each."""
    import importlib

    for m in PRELOAD:
        importlib.import_module(m)


def start_method() -> str:
    """How local workers start: ``fork`` from a single-threaded parent that has not run HiGHS (instant, and works
    from any script, notebook or ``python -``); else ``forkserver`` (forked from a clean server process that has
    imported landopt once, since forking a multi-threaded process can deadlock); ``spawn`` where neither exists
    (Windows).  ``LANDOPT_SWEEP_START_METHOD`` overrides the choice."""
    import multiprocessing as mp

    from landopt.backends.highs import highs_started

    methods = mp.get_all_start_methods()
    wanted = os.environ.get("LANDOPT_SWEEP_START_METHOD", "").strip()
    if wanted in methods:
        return wanted
    # HiGHS keeps a pool of native threads once it has solved anything in this process; threading does not
    # see them, and a forked child inherits a broken scheduler, so fork only from a process that never solved
    if "fork" in methods and threading.active_count() == 1 and not highs_started():
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _watch(stop: Any, parent: int) -> None:
    while True:
        if os.getppid() != parent or stop.value:
            os._exit(ORPHAN_EXIT)
        time.sleep(WATCH_INTERVAL)


def init_worker(started: Any, stop: Any) -> None:
    """A local worker's first act: say it is up, and exit when its parent dies or ``stop`` is set.

    The parent's own SIGTERM handler (the CLI's, inherited through ``fork``) is not the worker's: SIGTERM ends it.
    ``started`` and ``stop`` are flags in shared memory without a lock (``RawValue``): a multiprocessing ``Event``
    is a condition variable, and setting one waits for every process asleep on it to wake — a worker killed while
    asleep on it (SIGTERM to the whole process group, as `timeout` sends) never does, and the parent hung for good.
    """
    parent = os.getppid()
    die_with_parent()
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(ORPHAN_EXIT)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_watch, args=(stop, parent), name="landopt-sweep-watch", daemon=True).start()
    started.value = 1


class LocalPool(cf.ProcessPoolExecutor):
    """A process pool whose workers say when they are up (:attr:`started`) and exit when :meth:`stop` is called
    or the parent dies."""

    def __init__(self, workers: int) -> None:
        import multiprocessing as mp

        method = start_method()
        ctx = mp.get_context(method)
        if method == "forkserver":
            ctx.set_forkserver_preload(PRELOAD)
        elif method == "fork":
            warm_imports()
        self.started = ctx.RawValue("b", 0)  # 1 once any worker is up: a pool that breaks before is a start-up failure
        self.stop_flag = ctx.RawValue("b", 0)  # 1: every worker exits now
        super().__init__(max_workers=workers, mp_context=ctx, initializer=init_worker,
                         initargs=(self.started, self.stop_flag))

    def stop(self) -> None:
        """Make every worker exit now (whatever it is running), then shut the pool down and wait for its manager
        thread: the workers leave within a watch interval, and a pool left closing in the background can fail on a
        closed pipe at interpreter exit (a stray 'Exception ignored … Bad file descriptor' after the user's message)."""
        self.stop_flag.value = 1
        with contextlib.suppress(Exception):
            self.shutdown(wait=True, cancel_futures=True)


START_FAILURE = ("the worker processes could not start (see the traceback above). Where workers are not forked "
                 "(a multi-threaded parent, Windows), a script that runs a sweep must guard its top level with "
                 "`if __name__ == \"__main__\":` because the workers re-import it")


def execute(tasks: Sequence[dict], make_executor: Callable[[], cf.Executor], *, window: int,
            owns_executor: bool = True, task_fn: Callable[[dict], dict] = run_task,
            emit: Callable[[dict], None], progress: Progress | None = None,
            max_attempts: int = MAX_ATTEMPTS) -> None:
    """Run ``tasks`` through executors from ``make_executor``, at most ``window`` at a time; ``emit`` every record.

    A future that fails (the worker died: ``BrokenProcessPool``, Dask's ``KilledWorker``/``CommError`` ...) is
    resubmitted with ``attempt + 1`` until ``max_attempts``, then recorded as ``lost``.  When a process pool
    breaks, every run it had in flight is suspect; when several were, they are retried one at a time so that a
    run that kills its worker again is caught alone and cannot take others down with it.
    """
    from concurrent.futures.process import BrokenProcessPool

    pending = deque(dict(t) for t in tasks)
    isolate: deque[dict] = deque()
    inflight: dict[cf.Future, dict] = {}
    ex = make_executor()

    def retry(task: dict, why: str, alone: bool) -> None:
        if task["attempt"] >= max_attempts:
            emit(lost(task, why))
            return
        task = dict(task, attempt=task["attempt"] + 1)
        if progress is not None:
            progress.retried += 1
        (isolate if alone else pending).appendleft(task)
        log.warning("run %s (%s, sample %s): %s; retrying (attempt %d of %d)", task["run_id"], task["scenario"],
                    task["sample_id"], why, task["attempt"], max_attempts)

    try:
        while pending or isolate or inflight:
            if isolate:
                if not inflight:
                    t = isolate.popleft()
                    inflight[ex.submit(task_fn, t)] = t
            else:
                while pending and len(inflight) < window:
                    t = pending.popleft()
                    inflight[ex.submit(task_fn, t)] = t
            done, _ = cf.wait(list(inflight), return_when=cf.FIRST_COMPLETED)
            suspects: list[dict] = []
            broken = False
            for f in done:
                t = inflight.pop(f)
                try:
                    rec = f.result()
                except BrokenProcessPool:
                    broken = True
                    suspects.append(t)
                    continue
                except (KeyboardInterrupt, SystemExit):
                    raise
                except BaseException as e:  # noqa: BLE001 - the run's worker went away (Dask: KilledWorker, CommError ...)
                    retry(t, f"{type(e).__name__}: {e}", alone=False)
                    continue
                emit(rec)
            if broken:
                # the pool is gone: every run still in flight failed with it (or finished just before)
                for f in cf.as_completed(list(inflight)):
                    t = inflight.pop(f)
                    try:
                        rec = f.result()
                    except BaseException:  # noqa: BLE001
                        suspects.append(t)
                        continue
                    emit(rec)
                if isinstance(ex, LocalPool) and not ex.started.value:
                    raise RuntimeError(START_FAILURE)
                if not owns_executor:
                    for t in suspects + list(isolate) + list(pending):
                        emit(lost(t, "the executor broke and was supplied by the caller, so it cannot be recreated"))
                    pending.clear()
                    isolate.clear()
                    break
                with contextlib.suppress(Exception):
                    ex.shutdown(wait=True)
                ex = make_executor()
                alone = len(suspects) > 1
                for t in sorted(suspects, key=lambda t: t["run_id"], reverse=True):
                    retry(t, "its worker process died", alone=alone)
            if progress is not None:
                progress.update()
    except BaseException:
        # stopped early (an exception in emit, Ctrl-C, SIGTERM): local workers exit now, mid-run
        if owns_executor and isinstance(ex, LocalPool):
            ex.stop()
        raise
    finally:
        if owns_executor:
            for f in inflight:
                f.cancel()
            with contextlib.suppress(Exception):
                try:
                    ex.shutdown(wait=False, cancel_futures=True)
                except TypeError:  # executors without cancel_futures (Dask's ClientExecutor)
                    ex.shutdown(wait=False)
