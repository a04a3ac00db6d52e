"""The plan's maps drawn in a second process, while the first reads, solves and writes the tables.

Drawing five choropleth maps costs about a second (importing matplotlib, rendering, PNG compression) — as much as
reading, solving and writing a prefecture-size plan.  ``landopt solve`` therefore starts a :class:`MapPainter`
first thing: a child process (forked while the parent is still small) imports matplotlib, finds a CJK font and
waits.  When the plan is solved, the plan writer sends it a :class:`~landopt.report.map_draw.MapRequest`
(boundaries, values, titles: a few hundred kB), writes every other sheet meanwhile and inserts the PNGs it gets
back last.  On a machine with two or more cores the maps are then nearly free in wall time.

Anything that goes wrong in the painter (no ``fork`` on this platform, matplotlib missing, the child died, a
timeout) falls back to drawing in the writer's own process, so the workbook is the same either way.  The child
dies with its parent (``PR_SET_PDEATHSIG`` on Linux, and a daemon process otherwise) and ignores Ctrl-C (the
parent handles it and ends the child).
"""

from __future__ import annotations

import importlib.util
import logging
import multiprocessing
import signal
import threading
from typing import Any

from landopt.report.map_draw import BoundaryFiles, MapRequest

log = logging.getLogger(__name__)

#: Seconds the writer waits for the painter's maps before drawing them itself.
WAIT_SECONDS = 120.0


def _serve(conn: Any) -> None:
    """The child: import the drawing code, report the CJK font, then draw each request until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # a SIGTERM sent to the whole process group (timeout, systemd) ends the child quietly: the handler inherited
    # from the command line raises Terminated, whose traceback multiprocessing would print
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from landopt.processes import die_with_parent

    die_with_parent()
    try:
        from landopt.report.map_draw import Boundaries, BoundaryFiles, cjk_font, draw, warm_up

        font = cjk_font()
        conn.send(("ready", font))
        warm_up(font)  # while the parent is still solving
        loaded: dict[tuple, Boundaries] = {}  # boundary files read ahead (MapPainter.preload)
        while True:
            req = conn.recv()
            if req is None:
                return
            if isinstance(req, BoundaryFiles):  # read now, while the parent solves; no answer
                try:
                    loaded[req.files] = req.load()
                except Exception:  # noqa: BLE001 - the request that needs them reads them again and reports it
                    pass
                continue
            if isinstance(req.boundaries, BoundaryFiles) and req.boundaries.files in loaded:
                req.boundaries = loaded[req.boundaries.files]
            try:
                conn.send(("done", draw(req)))
            except Exception as e:  # reported to the parent, which draws the maps itself
                conn.send(("error", f"{type(e).__name__}: {e}"))
    except (EOFError, OSError, KeyboardInterrupt):
        return
    except Exception as e:
        try:
            conn.send(("error", f"{type(e).__name__}: {e}"))
        except (OSError, ValueError):
            pass
    finally:
        conn.close()


class MapPainter:
    """A child process that draws the plan's maps (see the module docstring).  Use :meth:`start`."""

    def __init__(self, conn: Any, proc: Any) -> None:
        self._conn, self._proc = conn, proc
        self._font: tuple[str | None] | None = None
        self._pending = False
        self.failed: str | None = None
        #: set by :func:`landopt.report.plan.start_maps`: the plan's maps were asked for early (``request``: what was
        #: sent, None when the plan has no maps); the plan writer then uses them instead of asking again
        self.prepared = False
        self.request: MapRequest | None = None

    @classmethod
    def start(cls) -> "MapPainter | None":
        """Start the painter, or None where it cannot run (no ``fork``, threads already running, no matplotlib)."""
        if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
            return None
        if importlib.util.find_spec("matplotlib") is None:
            return None
        ctx = multiprocessing.get_context("fork")
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(child,), name="landopt-maps", daemon=True)
        try:
            proc.start()
        except OSError as e:
            log.info("maps drawn in this process: cannot start the map painter (%s)", e)
            return None
        child.close()
        return cls(parent, proc)

    @property
    def pid(self) -> int | None:
        """The painter process's id (None once closed)."""
        return self._proc.pid if self._proc is not None else None

    def _expect(self, kind: str, timeout: float) -> Any:
        """The value of the painter's next message, which must be ``kind``; any failure ends the painter."""
        try:
            if not self._conn.poll(timeout):
                raise TimeoutError(f"no answer in {timeout:.0f} s")
            got, value = self._conn.recv()
        except (EOFError, OSError, TimeoutError) as e:
            raise self._fail(str(e) or type(e).__name__) from e
        if got != kind:
            raise self._fail(str(value))
        return value

    def font(self, timeout: float = WAIT_SECONDS) -> str | None:
        """The CJK font the painter draws with (None: none installed).  Raises RuntimeError if the painter failed."""
        if self._font is None:
            self._font = (self._expect("ready", timeout),)
        return self._font[0]

    def preload(self, files: BoundaryFiles) -> None:
        """Have the painter read the boundary ``files`` now (while the plan is solved), for the request that follows.
        Raises RuntimeError if the painter failed."""
        try:
            self._conn.send(files)
        except (OSError, ValueError) as e:
            raise self._fail(str(e)) from e

    def submit(self, req: MapRequest) -> None:
        """Send a request; collect the maps with :meth:`result`."""
        try:
            self._conn.send(req)
        except (OSError, ValueError) as e:
            raise self._fail(str(e)) from e
        self._pending = True

    def result(self, timeout: float = WAIT_SECONDS) -> list[tuple[str, bytes]]:
        """The maps of the last request, [(key, png)].  Raises RuntimeError if the painter failed."""
        if not self._pending:
            raise RuntimeError("no map request was sent")
        self._pending = False
        return self._expect("done", timeout)

    def _fail(self, why: str) -> RuntimeError:
        self.failed = why
        self.close()
        return RuntimeError(f"the map painter failed ({why})")

    def close(self) -> None:
        """Stop the child (idempotent)."""
        if self._proc is None:
            return
        try:
            self._conn.send(None)
        except (OSError, ValueError):
            pass
        self._conn.close()
        self._proc.join(timeout=2.0)
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(timeout=2.0)
        self._proc = None

    def __enter__(self) -> "MapPainter":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
