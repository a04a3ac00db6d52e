"""Command-line interface: ``landopt solve | validate | template | compare | diagnose | pareto | sweep``.

Exit codes (one mapping, :func:`exit_code`): 0 success; 1 internal error (a bug: please report it);
2 bad input, bad arguments, a bad output path or an unreadable file (every problem listed);
3 no optimal plan (infeasible, unbounded, time limit or solver failure); 130 interrupted (Ctrl-C);
143 terminated (SIGTERM).  Progress goes to stderr; ``--json`` puts one JSON line on stdout.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import sys
import threading
import traceback
from typing import Any, NoReturn, Sequence

from landopt.errors import InputError, LandoptError, NoPlanError, Terminated, UsageError

log = logging.getLogger(__name__)

EXIT_OK, EXIT_BUG, EXIT_INPUT, EXIT_NO_PLAN, EXIT_INTERRUPT, EXIT_TERM = 0, 1, 2, 3, 130, 143
EXIT_PIPE = 141  #: stdout closed by its reader (128 + SIGPIPE, as a shell reports a command `| head` stopped)

#: Commands whose process leaves without the interpreter's teardown once :func:`main` has returned (see :func:`run`):
#: they start no worker pool or Dask cluster whose exit handlers must run (``compare``, ``sweep``, ``ranges`` and
#: ``pareto`` may, and exit normally).
FAST_EXIT = frozenset({"solve", "validate", "template", "diagnose", "report", "export", "alternatives"})
#: The collector's thresholds while the command line runs (Python's default: 700, 10, 10).
GC_THRESHOLDS = (50_000, 20, 20)
_command: str | None = None  # the command main() ran last (for run())


def exit_code(exc: BaseException) -> int:
    """The exit code of ``exc`` — the one place error types map to exit codes."""
    if isinstance(exc, (LandoptError, Terminated)):
        return int(exc.exit_code)
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPT
    return EXIT_BUG


def message(exc: BaseException) -> str:
    """What the user reads for ``exc`` (one line, except an input error's list of problems)."""
    if isinstance(exc, InputError):
        return str(exc)
    if isinstance(exc, UsageError):
        return f"错误 error: {exc}"
    if isinstance(exc, NoPlanError):
        return f"未得到规划方案 no plan: {exc}"
    if isinstance(exc, Terminated):
        return "已终止（SIGTERM）：每个输出文件或已完整写出，或保持原样 terminated (SIGTERM): stopped; every output is either complete or left as it was"
    if isinstance(exc, KeyboardInterrupt):
        return "已中断（Ctrl-C）：每个输出文件或已完整写出，或保持原样 interrupted (Ctrl-C): stopped; every output is either complete or left as it was"
    if isinstance(exc, LandoptError):
        return f"错误 error: {exc}"
    first = (str(exc).splitlines() or [""])[0]
    return (f"内部错误，请报告此问题（加 -v 重新运行可查看详情） internal error, please report it (run again with -v for the details): "
            f"{type(exc).__name__}: {first}")


def _console() -> None:
    """Never crash printing '—' or '≥' on an ASCII or cp1252 console: unencodable characters become '?'."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # a closed or detached stream: nothing to do
                pass


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Terminated()


def _quiet_shutdown() -> None:
    """After an interrupt the process is on its way out: background threads of a worker pool whose workers were
    just stopped may still fail on a closed pipe; their errors are not the user's business (``-v`` shows them)."""
    threading.excepthook = lambda args: None
    sys.unraisablehook = lambda unraisable: None


def _stdout_gone() -> None:
    """stdout's reader has left: point stdout at the null device, so that flushing it at exit raises nothing more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real file behind stdout (tests): nothing to redirect
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns its exit code (``python -m landopt.cli`` exits with it)."""
    from landopt.cli.logs import setup_logging
    from landopt.cli.parser import build_parser

    _console()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse: --help/--version (0) or a usage error (2, message already printed)
        return int(e.code or 0) if not isinstance(e.code, str) else EXIT_INPUT
    global _command
    _command = getattr(args, "command", None)
    verbose = int(getattr(args, "verbose", 0) or 0)
    setup_logging(verbose, bool(getattr(args, "quiet", False)))
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)  # so finally-blocks (temp-file cleanup) run
    try:
        return int(args.func(args))
    except BrokenPipeError:  # the reader of our output left (`| head`): nothing more to say, no error
        _stdout_gone()
        return EXIT_PIPE
    except (LandoptError, Terminated, KeyboardInterrupt) as e:
        if isinstance(e, (Terminated, KeyboardInterrupt)) and not verbose:
            _quiet_shutdown()
        print(message(e), file=sys.stderr)
        return exit_code(e)
    except Exception as e:  # a bug: one line, the traceback only with -v
        print(message(e), file=sys.stderr)
        if verbose:
            traceback.print_exc(file=sys.stderr)
        return EXIT_BUG
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        try:
            sys.stdout.flush()
        except BrokenPipeError:  # the reader left before the last lines: they are not wanted
            _stdout_gone()


def run() -> NoReturn:
    """The ``landopt`` command and ``python -m landopt.cli``: :func:`main`, then exit with its code.

    Two things only a process that is about to end may do (library code never does them):

    * the cyclic garbage collector's first threshold is raised (:data:`GC_THRESHOLDS`): pandas and Pyomo make many
      short-lived objects, and a run this short never needs most of the collections it would otherwise make;
    * a :data:`FAST_EXIT` command leaves with ``os._exit`` once stdout, stderr and the log handlers are flushed:
      its outputs are complete and closed (written to a temporary file and renamed) and its map painter ended, so
      the interpreter's teardown — finalising every module and object, ≈ 0.15–0.3 s after solving the shipped
      workbook — buys nothing.  Every other command exits normally, so that its exit handlers run.

    Together ≈ 0.25 s less wall time for ``landopt solve`` on the shipped workbook (docs/performance.md).  A
    SIGTERM after the work is done is ignored: a finished run must not turn into a killed one (exit −15) while the
    interpreter shuts down (Python puts the default handler back then, and does not reset an ignored signal).
    """
    gc.set_threshold(*GC_THRESHOLDS)
    code = main()
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if _command in FAST_EXIT:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe (| head): nothing left to say
                pass
        logging.shutdown()
        os._exit(code)
    sys.exit(code)


__all__ = ["main", "run", "exit_code", "message", "EXIT_OK", "EXIT_BUG", "EXIT_INPUT", "EXIT_NO_PLAN", "EXIT_INTERRUPT",
           "EXIT_PIPE",
           "EXIT_TERM"]
