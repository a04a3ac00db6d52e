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

from landopt.cli import main  # noqa: E402

code = main()
# the work is done (outputs complete): a SIGTERM while the interpreter shuts down, when Python puts the default
# handler back, must not turn a finished run into a killed one (exit -15).  Ignored process-wide (a thread mask
# would cover this thread only, and HiGHS's worker threads could still take the signal); Python does not reset
# an ignored signal at shutdown.
signal.signal(signal.SIGTERM, signal.SIG_IGN)
sys.exit(code)
