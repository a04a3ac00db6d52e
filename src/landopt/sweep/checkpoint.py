"""The sweep's checkpoint: finished records as JSON lines, so that an interrupted sweep can resume."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any, Iterable


class Checkpoint:
    """Finished records, one JSON line each, flushed and fsynced as they arrive.

    The first line is a header naming the input's SHA-256; a record is reused on resume only if the run with
    its id would be the same run now (same scenario overrides and sampled values: its ``key``).
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._f: Any = None

    def load(self, input_sha: str) -> dict[int, dict]:
        if not self.path.exists():
            return {}
        found: dict[int, dict] = {}
        with self.path.open(encoding="utf-8") as f:
            lines = f.read().splitlines()
        if not lines:
            return {}
        try:
            head = json.loads(lines[0])
        except json.JSONDecodeError:
            head = {}
        if head.get("kind") != "landopt-sweep-checkpoint":
            raise ValueError(f"{self.path} is not a landopt sweep checkpoint")
        if head.get("input_sha256") != input_sha:
            raise ValueError(f"{self.path} was written for a different input (the workbook changed since); "
                             "delete it or run without --resume")
        for line in lines[1:]:
            try:
                r = json.loads(line)
            except json.JSONDecodeError:  # a line cut short by the interruption
                continue
            if isinstance(r, dict) and "run_id" in r:
                found[int(r["run_id"])] = r
        return found

    def open(self, input_sha: str, keep: Iterable[dict] = ()) -> None:
        """Start the file afresh with the header and the records in ``keep`` (written atomically)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as f:
            f.write(json.dumps({"kind": "landopt-sweep-checkpoint", "input_sha256": input_sha}) + "\n")
            for r in keep:
                f.write(json.dumps(r) + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
        self._f = self.path.open("a", encoding="utf-8")

    def write(self, rec: dict) -> None:
        if self._f is None:
            return
        self._f.write(json.dumps(rec) + "\n")
        self._f.flush()
        os.fsync(self._f.fileno())

    def close(self) -> None:
        if self._f is not None:
            self._f.close()
            self._f = None

    def remove(self) -> None:
        self.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def checkpoint_path(out: str | Path) -> Path:
    """Where the checkpoint of a sweep writing ``out`` lives: ``<out>.partial.jsonl``."""
    out = Path(out)
    return out.with_name(out.name + ".partial.jsonl")
