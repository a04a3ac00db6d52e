"""Stopping a sweep cleanly on SIGTERM when it runs outside the command line (scripts, notebooks).

The ``landopt sweep`` command itself lives in :mod:`landopt.cli` (its SIGTERM handler raises the same
:class:`~landopt.errors.Terminated`); a script can wrap :func:`~landopt.sweep.run_sweep` in :func:`sigterm_raises`
so that the workers are shut down and the checkpoint kept.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any

from landopt.errors import Terminated

__all__ = ["Terminated", "sigterm_raises"]


@contextlib.contextmanager
def sigterm_raises() -> Iterator[None]:
    """While inside, SIGTERM raises :class:`Terminated` in the main thread (the previous handler is restored)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
