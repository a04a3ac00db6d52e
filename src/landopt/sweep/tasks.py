"""The runs of a sweep: making the tasks in the parent, and running one in a worker.

A task is a small dict (picklable, the same on every executor): run id, scenario, sample id, the sampled values,
the input (a path, or the pickled raw tables) and the overrides to apply.  :func:`run_task` turns it into a
record (a JSON-serialisable dict); any error inside the run becomes the record's status and message.

With ``task["warm"]`` a worker keeps the model it solved last (one :class:`~landopt.sweep.warm.WarmModel` per
worker thread) and re-solves the next run warm when only numbers changed; the record's ``solve_start`` says
how each run was solved (``cold``, ``warm`` or ``warm→cold``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import pickle
import socket
import threading
import time
from pathlib import Path
from typing import Any, Sequence

from landopt.reader import RawWorkbook, read_workbook
from landopt.scenarios import Override, ScenarioError, as_text
from landopt.sweep.columns import OBJECTIVE
from landopt.sweep.parameters import UncertainParameter
from landopt.sweep.warm import WarmModel
from landopt.validate import InputError

log = logging.getLogger(__name__)

#: Raw workbooks a worker has read (by SHA-256), so that each worker reads the input once.
RAW_CACHE_SIZE = 4
_raw_cache: dict[str, RawWorkbook] = {}
_worker = threading.local()  # per worker thread: its WarmModel (Dask runs several tasks at once in one process)
_ready = False


def prepare_worker() -> None:
    """Once per process: keep HiGHS's banner and library chatter off the parent's progress line."""
    global _ready
    if _ready:
        return
    _ready = True
    logging.getLogger("landopt").setLevel(logging.ERROR)
    from landopt.backends.highs import silence_banner

    silence_banner()


def worker_warm_model() -> WarmModel:
    """This worker thread's kept model (made on first use, one HiGHS thread)."""
    wm = getattr(_worker, "warm", None)
    if wm is None:
        wm = _worker.warm = WarmModel(threads=1)
    return wm


def load_raw(source: tuple) -> RawWorkbook:
    """The input tables of a task's ``source`` (``("path", path, sha)`` or ``("tables", pickled, sha)``)."""
    kind, payload, sha = source
    raw = _raw_cache.get(sha)
    if raw is None:
        if kind == "path":
            raw = read_workbook(payload)
            if raw.sha256 != sha:
                raise RuntimeError(f"{payload} changed on disk during the sweep")
        else:
            raw = pickle.loads(payload)
        if len(_raw_cache) >= RAW_CACHE_SIZE:
            _raw_cache.clear()
        _raw_cache[sha] = raw
    return raw


def outputs(lm: Any, out: Any) -> tuple[dict[str, float], list[list[Any]]]:
    """Objective terms and target-year areas straight from the solution (what ``results.extract`` reports)."""
    x = out.x
    totals = lm.terms.totals(x)  # signed (removal +, emission −), constants included: they add up to the objective
    area_t = lm.columns.tables["area"]
    a = area_t[area_t["year"].to_numpy() == lm.spec.target_year]
    vals = x[a["col"].to_numpy()]
    areas = [[str(r), str(lu), float(v)] for r, lu, v in zip(a["region"], a["land_use"], vals)]
    return totals, areas


def run_task(task: dict) -> dict:
    """Run one (scenario, sample): apply its overrides, validate, build, solve with one HiGHS thread.

    Returns a small, JSON-serialisable record; any error inside the run becomes the record's status and message.
    """
    from landopt.api import build_and_solve, spec_with_overrides
    from landopt.model.build import ModelError

    t0 = time.perf_counter()
    rec: dict[str, Any] = {
        "run_id": task["run_id"], "scenario": task["scenario"], "sample_id": task["sample_id"],
        "params": task["params"], "key": task["key"], "status": "crashed", "message": "", OBJECTIVE: None,
        "terms": {}, "areas": [], "attempt": task["attempt"],
        "started_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds"),
        "worker": f"{socket.gethostname()}:{os.getpid()}", "solve_start": "",
    }
    try:
        prepare_worker()
        raw = load_raw(task["source"])
        pairs = list(task["scenario_overrides"]) + [(f"sample {task['sample_id']}", o) for o in task["sample_overrides"]]
        spec = spec_with_overrides(raw, pairs)
        if spec.settings.get("carbon_accounting") == "stock_change":  # the years the cumulative net sink covers
            rec["horizon"] = spec.horizon
        warm = worker_warm_model() if task.get("warm", True) else None
        lm, out = build_and_solve(spec, threads=1, backend="highs", warm=warm)
        rec["solve_start"] = warm.last_start if warm is not None else "cold"
        rec["status"] = out.status
        if out.status == "optimal":
            totals, areas = outputs(lm, out)
            rec[OBJECTIVE] = float(out.objective)  # the objective in its own unit (stock change: cumulative t CO2e)
            rec["terms"] = totals
            rec["areas"] = areas
        else:
            rec["message"] = out.message
    except (InputError, ScenarioError, ModelError) as e:
        rec["status"] = "invalid"
        rec["message"] = str(e)
    except Exception as e:  # noqa: BLE001 - a crashed run is recorded and the sweep goes on
        rec["status"] = "crashed"
        rec["message"] = f"{type(e).__name__}: {e}"
    rec["seconds"] = time.perf_counter() - t0
    return rec


def lost(task: dict, why: str) -> dict:
    """The record of a run whose worker died on every attempt."""
    return {"run_id": task["run_id"], "scenario": task["scenario"], "sample_id": task["sample_id"],
            "params": task["params"], "key": task["key"], "status": "lost",
            "message": f"its worker died on each of {task['attempt']} attempt(s) (last: {why}); not retried further",
            OBJECTIVE: None, "terms": {}, "areas": [], "attempt": task["attempt"], "seconds": 0.0,
            "started_at": "", "worker": "", "solve_start": ""}


# ------------------------------------------------------------------------------------------ the parent side
def input_source(input_path: str | Path | RawWorkbook, ship_tables: bool) -> tuple[RawWorkbook, tuple]:
    """Read the input once in the parent; workers get its path (local pool) or its pickled tables (elsewhere)."""
    if isinstance(input_path, RawWorkbook):
        raw = input_path
        return raw, ("tables", pickle.dumps(raw, protocol=pickle.HIGHEST_PROTOCOL), raw.sha256)
    raw = read_workbook(input_path)
    if ship_tables:
        return raw, ("tables", pickle.dumps(raw, protocol=pickle.HIGHEST_PROTOCOL), raw.sha256)
    return raw, ("path", str(Path(input_path).resolve()), raw.sha256)


def task_key(scenario_pairs: list, values: dict[str, float]) -> str:
    """What makes a run the same run: its scenario's overrides and its sampled values (checkpoint reuse)."""
    h = hashlib.sha256()
    for scen, o in scenario_pairs:
        h.update(repr((scen, o.sheet, o.column, sorted(o.where.items()), o.operation, as_text(o.value))).encode())
    h.update(json.dumps(values, sort_keys=True).encode())
    return h.hexdigest()[:16]


def make_tasks(names: Sequence[str], scen_pairs: dict[str, list[tuple[str, Override]]],
               sample_values: list[dict[str, float]], params: Sequence[UncertainParameter], source: tuple,
               warm: bool = True) -> list[dict]:
    """One task per (scenario, sample), run id ``scenario index × (samples + 1) + sample id``; sample 0 is the base run."""
    n = len(sample_values)
    tasks: list[dict] = []
    for i, name in enumerate(names):
        for sid, values in enumerate(sample_values):
            ovs = [p.override(values[p.name], sid) for p in params] if values else []
            tasks.append({"run_id": i * n + sid, "scenario": name, "sample_id": sid, "params": values,
                          "key": task_key(scen_pairs[name], values), "source": source,
                          "scenario_overrides": scen_pairs[name], "sample_overrides": ovs, "attempt": 1,
                          "warm": warm})
    return tasks
