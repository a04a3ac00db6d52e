"""The sweep's progress line on stderr."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from landopt.sweep.columns import FAILED


class Progress:
    """One status line on stderr: runs done/total, failed, infeasible, rate and ETA.

    On a terminal the line is redrawn in place (``\\r``); otherwise a line is printed every few seconds.
    """

    def __init__(self, total: int, already: int = 0, enabled: bool = True, stream: TextIO | None = None,
                 label: str = "sweep") -> None:
        self.total, self.done, self.new = total, already, 0
        self.failed = self.infeasible = self.retried = 0
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.t0 = time.monotonic()
        self.last = 0.0
        self.label = label

    def count(self, rec: dict, new: bool = True) -> None:
        self.done += 1
        self.new += int(new)
        if rec["status"] in FAILED:
            self.failed += 1
        elif rec["status"] == "infeasible":
            self.infeasible += 1

    def line(self) -> str:
        el = time.monotonic() - self.t0
        rate = self.new / el if el > 0 else 0.0
        left = self.total - self.done
        eta = clock(left / rate) if rate > 0 else "?"
        pct = 100.0 * self.done / self.total if self.total else 100.0
        extra = f" · {self.retried} retried" if self.retried else ""
        return (f"{self.label} {self.done}/{self.total} ({pct:.0f}%) · {self.failed} failed · {self.infeasible} infeasible"
                f"{extra} · {rate * 60:.0f} runs/min · elapsed {clock(el)} · ETA {eta}")

    def update(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.last < (0.1 if self.tty else 5.0):
            return
        self.last = now
        if self.tty:
            self.stream.write("\r" + self.line() + "\x1b[K")
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.update(force=True)
            if self.tty:
                self.stream.write("\n")
                self.stream.flush()


def clock(s: float) -> str:
    """Seconds as m:ss or h:mm:ss."""
    s = int(round(s))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"
