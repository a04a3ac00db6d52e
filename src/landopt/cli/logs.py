"""Logging set-up of the command line (the only place landopt configures logging)."""

from __future__ import annotations

import logging
import sys


class OneLineFormatter(logging.Formatter):
    """Log lines without tracebacks (a failed scenario in a batch is one line); -v keeps them."""

    def __init__(self, keep_tracebacks: bool):
        super().__init__("%(asctime)s %(levelname)-7s %(message)s", "%H:%M:%S")
        self.keep = keep_tracebacks

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and not self.keep:
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        return super().format(record)


def setup_logging(verbose: int, quiet: bool) -> None:
    """Progress lines from the CLI at INFO; library modules' own INFO lines with -v; DEBUG with -vv."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter(keep_tracebacks=verbose > 0))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    lib = logging.getLogger("landopt")
    lib.setLevel(logging.WARNING if quiet else logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    cli = logging.getLogger("landopt.cli")
    cli.setLevel(logging.WARNING if quiet else logging.DEBUG if verbose > 1 else logging.INFO)
