"""``python -m landopt.cli``: run the command line and exit with its code.

SIGTERM is handled from the first line (before the imports, which take a moment), so a run stopped at any
moment exits 143 with one line; :func:`landopt.cli.main` installs its own handler while a command runs.
"""

import signal
import sys


def _terminated_early(signum, frame):  # type: ignore[no-untyped-def]
    sys.stderr.write("terminated (SIGTERM): stopped; every output is either complete or left as it was\n")
    raise SystemExit(143)


signal.signal(signal.SIGTERM, _terminated_early)

from landopt.cli import run  # noqa: E402

# main(), then the exit: fast for the short commands, and a SIGTERM once the work is done is ignored (see run)
run()
