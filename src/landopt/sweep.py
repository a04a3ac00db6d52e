"""Scenario sweeps and Monte Carlo / Latin-hypercube sampling of uncertain parameters.

``landopt sweep INPUT --samples N`` draws ``N`` values of every uncertain
parameter (sheet ``uncertainty`` of the workbook, or ``--ranges FILE.csv``),
crosses them with the scenarios named by ``--scenarios`` and solves every
(scenario, sample) pair: the overrides of the scenario, then the sample's
values as ``set`` (or ``scale`` / ``add``) overrides, then validation, build,
solve.  Sample 0 of every scenario is its *base run* (no sampled values).

Runs go through one code path whatever the engine: a
:class:`concurrent.futures.Executor` -- a local process pool by default
(one HiGHS thread per worker) or a Dask distributed cluster
(``scheduler="tcp://host:port"``, via ``Client.get_executor()``).  Workers
receive the input (a path, or the raw tables) and the run's overrides, and
return a small record (a dict of numbers and strings).  Samples are drawn up
front in the parent from the seed and records are sorted by run id, so a
sweep gives the same records for the same seed on any executor and any
number of workers.

Faults: a run that is infeasible, invalid or raises is recorded with its
status and message and the sweep goes on; a run whose worker process dies is
retried (at most :data:`MAX_ATTEMPTS` attempts).  Every finished record is
appended to a checkpoint (``<out>.partial.jsonl``, flushed and fsynced per
record); ``resume=True`` reuses the checkpointed records and runs only the
rest.  See ``docs/sweep.md``.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as _dt
import hashlib
import json
import logging
import os
import socket
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from landopt.reader import ROW, RawWorkbook
from landopt.scenarios import Override, ScenarioError, _text
from landopt.schema import SETTINGS_KEYS, SHEETS
from landopt.validate import InputError, Problem, _blank, _to_float

log = logging.getLogger(__name__)

#: Columns of the ``uncertainty`` sheet / ``--ranges`` CSV.
UNCERTAINTY_COLUMNS = ("parameter", "sheet", "column", "where", "low", "high", "distribution", "mode", "operation", "note")
DISTRIBUTIONS = ("uniform", "triangular")
SAMPLE_OPERATIONS = ("set", "scale", "add")
METHODS = ("lhs", "mc")
MAX_ATTEMPTS = 2
#: A land use "changes" against the base run when its target-year area differs by more than this.
CHANGE_TOLERANCE_HA = 1.0
#: Above this many runs (or with ``parquet=True``) the long table goes to Parquet next to the workbook.
PARQUET_THRESHOLD = 2000
BASE = "base"  #: scenario label of runs on the unmodified workbook

OBJECTIVE = "net_sink_t_co2e_per_yr"
TERM_SUFFIX = "_t_co2e_per_yr"
#: Record columns that describe how a run went rather than what it found (they differ between executors).
RUN_INFO_COLUMNS = ("seconds", "attempt", "started_at", "worker")
RESERVED = {"run_id", "scenario", "sample_id", "status", "message", OBJECTIVE, *RUN_INFO_COLUMNS}
#: Statuses counted as failures (as opposed to a model answer such as infeasible).
FAILED = ("invalid", "error", "crashed", "lost")


# =========================================================================== uncertain parameters
@dataclass(frozen=True)
class UncertainParameter:
    """One uncertain coefficient: which cells it sets and how it is distributed."""

    name: str
    sheet: str
    column: str
    where: dict[str, str]
    low: float
    high: float
    distribution: str = "uniform"
    mode: float | None = None
    operation: str = "set"
    note: str = ""
    origin: str = ""
    where_text: str = ""

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Map uniform quantiles ``u`` in [0, 1) to values of the parameter (inverse CDF)."""
        u = np.asarray(u, dtype=float)
        lo, hi = self.low, self.high
        if hi == lo:
            return np.full_like(u, lo)
        if self.distribution == "triangular":
            c = (float(self.mode) - lo) / (hi - lo)
            left = lo + np.sqrt(u * (hi - lo) * (float(self.mode) - lo))
            right = hi - np.sqrt((1.0 - u) * (hi - lo) * (hi - float(self.mode)))
            return np.where(u < c, left, right)
        return lo + u * (hi - lo)

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """The distribution function (for checking stratification)."""
        x = np.asarray(x, dtype=float)
        lo, hi = self.low, self.high
        if hi == lo:
            return np.where(x < lo, 0.0, 1.0)
        if self.distribution == "triangular":
            m = float(self.mode)
            left = np.where(m > lo, (x - lo) ** 2 / ((hi - lo) * max(m - lo, 1e-300)), 0.0)
            right = 1.0 - np.where(hi > m, (hi - x) ** 2 / ((hi - lo) * max(hi - m, 1e-300)), 0.0)
            return np.clip(np.where(x <= m, left, right), 0.0, 1.0)
        return np.clip((x - lo) / (hi - lo), 0.0, 1.0)

    def override(self, value: float, sample_id: int) -> Override:
        return Override(sheet=self.sheet, column=self.column, where=dict(self.where), operation=self.operation,
                        value=float(value), origin=f"{self.origin}, parameter '{self.name}', sample {sample_id}",
                        where_text=self.where_text)

    def as_row(self) -> dict[str, Any]:
        return {"parameter": self.name, "sheet": self.sheet, "column": self.column, "where": self.where_text,
                "operation": self.operation, "distribution": self.distribution, "low": self.low, "high": self.high,
                "mode": self.mode, "note": self.note, "origin": self.origin}




def read_ranges(path: str | Path) -> pd.DataFrame:
    """Read a ``--ranges`` CSV (same columns as the ``uncertainty`` sheet) as a raw table with ``_row``."""
    from landopt.reader import _tidy

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"ranges file not found: {path}")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return _tidy(df)


class UncertaintyError(ScenarioError):
    """An uncertain parameter's ``where`` matches no cell (found by applying it once); each problem names its row."""

    def __init__(self, problems: list[str], label: str = "the uncertain parameters"):
        self.problems = problems
        ValueError.__init__(self, f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {label}:\n"
                            + "\n".join(f"  - {p}" for p in problems))


def parse_uncertainty(df: pd.DataFrame | None, raw: RawWorkbook | None = None, *, sheet: str = "uncertainty",
                      kind: str = "xlsx", label: str | None = None) -> list[UncertainParameter]:
    """Check the ``uncertainty`` table and return its parameters; raises :class:`InputError` naming every bad row.

    ``sheet``/``kind`` say how to name the table in messages (``kind="folder"`` names it ``file '<sheet>.csv'``).
    With ``raw``, every parameter is also applied once (at its midpoint) to check that its ``where`` matches rows.
    """
    if df is None or df.empty:
        return []
    problems: list[Problem] = []

    def bad(row: int | None, column: str | None, value: Any, expected: str) -> None:
        problems.append(Problem.at(sheet, row, column, None if _blank(value) else value, expected, kind))

    missing = [c for c in ("sheet", "column", "low", "high") if c not in df.columns]
    if missing:
        for c in missing:
            bad(1, c, None, f"required column is missing (columns: {', '.join(UNCERTAINTY_COLUMNS)})")
        raise InputError(problems, label or sheet)
    for c in df.columns:
        if c != ROW and c not in UNCERTAINTY_COLUMNS:
            log.warning("%s: column '%s' is not used by landopt and is ignored", sheet, c)

    params: list[UncertainParameter] = []
    names: dict[str, int] = {}
    targets: dict[tuple, int] = {}
    for rec in df.to_dict("records"):
        row = int(rec[ROW])
        n0 = len(problems)
        sh, col = _text(rec.get("sheet")), _text(rec.get("column"))
        op = _text(rec.get("operation")).lower() or "set"
        dist = _text(rec.get("distribution")).lower() or "uniform"
        where_text = _text(rec.get("where"))
        where: dict[str, str] = {}
        for part in [p.strip() for p in where_text.split(";") if p.strip()]:
            if "=" not in part:
                bad(row, "where", part, "should look like key=value, several joined by ';' (e.g. region=Lhasa;year=2035)")
                continue
            k, v = part.split("=", 1)
            where[k.strip()] = v.strip()
        schema_col = None
        if sh not in SHEETS or sh == "sources":
            known = [s for s in SHEETS if s != "sources"]
            bad(row, "sheet", sh, f"unknown sheet; expected one of: {', '.join(known)}")
        elif col not in SHEETS[sh].column_names:
            bad(row, "column", col, f"sheet '{sh}' has no such column; expected one of: {', '.join(SHEETS[sh].column_names)}")
        else:
            schema_col = SHEETS[sh].column(col)
            for k in where:
                if k not in SHEETS[sh].column_names:
                    bad(row, "where", k, f"sheet '{sh}' has no column '{k}' to filter on; filter on: "
                                         f"{', '.join(SHEETS[sh].key or SHEETS[sh].column_names)}")
            if sh == "settings":
                key = where.get("key")
                if col != "value" or key is None:
                    bad(row, "where", where_text, "a setting is sampled as column 'value' with where key=<setting>, e.g. key=ch4_gwp")
                elif key not in SETTINGS_KEYS or SETTINGS_KEYS[key][0] != "number":
                    numeric = [k for k, v in SETTINGS_KEYS.items() if v[0] == "number"]
                    bad(row, "where", key, f"not a numeric setting; expected one of: {', '.join(numeric)}")
            elif schema_col.kind != "number":
                bad(row, "column", col, f"column '{col}' of sheet '{sh}' is not a numeric coefficient and cannot be sampled")
        if op not in SAMPLE_OPERATIONS:
            bad(row, "operation", op, f"expected one of: {', '.join(SAMPLE_OPERATIONS)} (blank = set)")
        if dist not in DISTRIBUTIONS:
            bad(row, "distribution", dist, f"expected one of: {', '.join(DISTRIBUTIONS)} (blank = uniform)")
        lo, hi = _to_float(rec.get("low")), _to_float(rec.get("high"))
        if lo is None:
            bad(row, "low", rec.get("low"), "expected a number" if not _blank(rec.get("low")) else "a value is required (the lowest value)")
        if hi is None:
            bad(row, "high", rec.get("high"), "expected a number" if not _blank(rec.get("high")) else "a value is required (the highest value)")
        if lo is not None and hi is not None and lo > hi:
            bad(row, "low", rec.get("low"), f"low exceeds high ({_text(rec.get('high'))}) on the same row")
        mode = None
        if dist == "triangular":
            mode = _to_float(rec.get("mode"))
            if mode is None:
                bad(row, "mode", rec.get("mode"), "a triangular distribution needs its mode (most likely value) as a number")
            elif lo is not None and hi is not None and lo <= hi and not (lo <= mode <= hi):
                bad(row, "mode", rec.get("mode"), f"the mode must lie between low ({lo:g}) and high ({hi:g})")
        elif not _blank(rec.get("mode")) and _to_float(rec.get("mode")) is None:
            bad(row, "mode", rec.get("mode"), "expected a number")
        if (schema_col is not None and op == "set" and lo is not None and hi is not None and sh != "settings"
                and len(problems) == n0):
            if schema_col.minimum is not None and lo < schema_col.minimum:
                bad(row, "low", rec.get("low"), f"below the smallest value column '{col}' accepts ({schema_col.minimum:g})")
            if schema_col.maximum is not None and hi > schema_col.maximum:
                bad(row, "high", rec.get("high"), f"above the largest value column '{col}' accepts ({schema_col.maximum:g})")
        name = _text(rec.get("parameter")) or (f"{sh}.{col}" + (f"[{where_text}]" if where_text else ""))
        if name in RESERVED or name.endswith(TERM_SUFFIX):
            bad(row, "parameter", name, "this name is used by a column of the results; choose another")
        elif name in names:
            bad(row, "parameter", name, f"duplicate parameter name; already used on row {names[name]}")
        names.setdefault(name, row)
        tkey = (sh, col, tuple(sorted(where.items())))
        if tkey in targets and len(problems) == n0:
            bad(row, "where", where_text or "(all rows)", f"samples the same cells as row {targets[tkey]}")
        targets.setdefault(tkey, row)
        if len(problems) > n0:
            continue
        origin = f"sheet '{sheet}', row {row}" if kind == "xlsx" else f"file '{sheet}.csv', row {row}"
        params.append(UncertainParameter(name=name, sheet=sh, column=col, where=where, low=float(lo), high=float(hi),
                                         distribution=dist, mode=mode, operation=op, note=_text(rec.get("note")),
                                         origin=origin, where_text=where_text))
    if problems:
        raise InputError(problems, label or (f"sheet '{sheet}'" if kind == "xlsx" else f"{sheet}.csv"))
    if raw is not None and params:
        from landopt.scenarios import apply_overrides

        mid = [(p.name, p.override((p.low + p.high) / 2.0, 0)) for p in params]
        try:
            apply_overrides(raw, mid)
        except ScenarioError as e:
            msgs = [str(m).replace(", sample 0", "") for m in e.problems]
            raise UncertaintyError(msgs, label or (f"sheet '{sheet}'" if kind == "xlsx" else f"{sheet}.csv")) from None
    return params


# =========================================================================== sampling
def latin_hypercube(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """``n × k`` quantiles in [0, 1): in every column each of the ``n`` strata [i/n, (i+1)/n) holds exactly one."""
    u = np.empty((n, k))
    for j in range(k):
        u[:, j] = (rng.permutation(n) + rng.random(n)) / n
    return u


def draw_samples(params: Sequence[UncertainParameter], n: int, seed: int = 0, method: str = "lhs") -> pd.DataFrame:
    """``n`` samples of ``params`` (one column each, index ``sample_id`` = 1..n), reproducible from ``seed``."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    rng = np.random.default_rng(seed)
    k = len(params)
    u = latin_hypercube(n, k, rng) if method == "lhs" else rng.random((n, k))
    data = {p.name: p.ppf(u[:, j]) for j, p in enumerate(params)}
    return pd.DataFrame(data, index=pd.RangeIndex(1, n + 1, name="sample_id"), columns=[p.name for p in params])


# =========================================================================== the worker side
_RAW_CACHE: dict[str, RawWorkbook] = {}
_WORKER_READY = False


def _init_worker() -> None:
    """Once per process: keep HiGHS's banner and library chatter off the parent's progress line."""
    global _WORKER_READY
    if _WORKER_READY:
        return
    _WORKER_READY = True
    logging.getLogger("landopt").setLevel(logging.ERROR)
    from landopt.solve import silence_banner

    silence_banner()


def _load_raw(source: tuple) -> RawWorkbook:
    kind, payload, sha = source
    raw = _RAW_CACHE.get(sha)
    if raw is None:
        if kind == "path":
            from landopt.reader import read_workbook

            raw = read_workbook(payload)
            if raw.sha256 != sha:
                raise RuntimeError(f"{payload} changed on disk during the sweep")
        else:
            import pickle

            raw = pickle.loads(payload)
        if len(_RAW_CACHE) >= 4:
            _RAW_CACHE.clear()
        _RAW_CACHE[sha] = raw
    return raw


def _outputs(lm: Any, out: Any) -> tuple[dict[str, float], list[list[Any]]]:
    """Objective terms and target-year areas straight from the solution (what ``results.extract`` reports)."""
    x = out.x
    terms = lm.terms
    totals = {name: float((coef * x * terms.weight).sum()) for name, coef in terms.coef.items()}
    area_t = lm.columns.tables["area"]
    ty = lm.spec.target_year
    sel = area_t["year"].to_numpy() == ty
    a = area_t[sel]
    vals = x[a["col"].to_numpy()]
    areas = [[str(r), str(lu), float(v)] for r, lu, v in zip(a["region"], a["land_use"], vals)]
    return totals, areas


def run_task(task: dict) -> dict:
    """Run one (scenario, sample): apply its overrides, validate, build, solve with one HiGHS thread.

    Returns a small, JSON-serialisable record; any error inside the run becomes the record's status and message.
    """
    from landopt.model.build import ModelError, build
    from landopt.model.objective import TERMS
    from landopt.scenarios import apply_overrides
    from landopt.solve import solve
    from landopt.validate import load_spec

    t0 = time.perf_counter()
    rec: dict[str, Any] = {
        "run_id": task["run_id"], "scenario": task["scenario"], "sample_id": task["sample_id"],
        "params": task["params"], "key": task["key"], "status": "crashed", "message": "", OBJECTIVE: None,
        "terms": {}, "areas": [], "attempt": task["attempt"],
        "started_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="microseconds"),
        "worker": f"{socket.gethostname()}:{os.getpid()}",
    }
    try:
        _init_worker()
        raw = _load_raw(task["source"])
        pairs = list(task["scenario_overrides"]) + [(f"sample {task['sample_id']}", o) for o in task["sample_overrides"]]
        if pairs:
            raw = apply_overrides(raw, pairs)
        spec = load_spec(raw)
        lm = build(spec)
        out = solve(lm, backend="highs", threads=1, keep_highs=False)
        rec["status"] = out.status
        if out.status == "optimal":
            rec["message"] = ""
            totals, areas = _outputs(lm, out)
            rec[OBJECTIVE] = float(sum(TERMS[k][0] * v for k, v in totals.items()))
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


# =========================================================================== results
@dataclass
class SweepResult:
    """Everything a sweep produced.

    ``records``: one row per run (run_id, scenario, sample_id, parameter values, status, net sink, terms,
    seconds, attempt, started_at, worker, message), sorted by run id.  ``areas``: target-year area per run
    (index run_id, columns (region, land_use)).  ``summary``: the report tables (see :func:`summarize`).
    """

    records: pd.DataFrame
    areas: pd.DataFrame
    summary: dict[str, pd.DataFrame]
    parameters: list[UncertainParameter]
    metadata: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    parquet_paths: list[Path] = field(default_factory=list)

    @property
    def n_runs(self) -> int:
        return len(self.records)

    @property
    def n_optimal(self) -> int:
        return int((self.records["status"] == "optimal").sum()) if len(self.records) else 0

    def comparable(self) -> pd.DataFrame:
        """The records without the columns that depend on the executor (timings, worker, attempt)."""
        return self.records.drop(columns=[c for c in RUN_INFO_COLUMNS if c in self.records.columns])


def _records_frame(recs: Iterable[dict], params: Sequence[UncertainParameter]) -> tuple[pd.DataFrame, pd.DataFrame]:
    from landopt.model.objective import TERMS

    rows = []
    area_rows: dict[int, dict[tuple[str, str], float]] = {}
    for r in sorted(recs, key=lambda r: r["run_id"]):
        row: dict[str, Any] = {"run_id": r["run_id"], "scenario": r["scenario"], "sample_id": r["sample_id"]}
        for p in params:
            v = (r.get("params") or {}).get(p.name)
            row[p.name] = np.nan if v is None else float(v)
        row["status"] = r["status"]
        row[OBJECTIVE] = np.nan if r.get(OBJECTIVE) is None else float(r[OBJECTIVE])
        for t in TERMS:
            v = (r.get("terms") or {}).get(t)
            row[t + TERM_SUFFIX] = np.nan if v is None else float(v)
        row["seconds"] = float(r.get("seconds") or 0.0)
        row["attempt"] = int(r.get("attempt") or 1)
        row["started_at"] = r.get("started_at") or ""
        row["worker"] = r.get("worker") or ""
        row["message"] = r.get("message") or ""
        rows.append(row)
        if r.get("areas"):
            area_rows[r["run_id"]] = {(a[0], a[1]): float(a[2]) for a in r["areas"]}
    cols = (["run_id", "scenario", "sample_id"] + [p.name for p in params] + ["status", OBJECTIVE]
            + [t + TERM_SUFFIX for t in TERMS] + ["seconds", "attempt", "started_at", "worker", "message"])
    records = pd.DataFrame(rows, columns=cols)
    records = records.astype({"run_id": "int64", "sample_id": "int64", "attempt": "int64"}) if len(records) else records
    if area_rows:
        areas = pd.DataFrame.from_dict(area_rows, orient="index")
        areas.columns = pd.MultiIndex.from_tuples(areas.columns, names=["region", "land_use"])
        areas.index.name = "run_id"
        areas = areas.sort_index()
    else:
        areas = pd.DataFrame(index=pd.Index([], name="run_id", dtype="int64"),
                             columns=pd.MultiIndex.from_tuples([], names=["region", "land_use"]))
    return records, areas


def _histogram(values: pd.Series, by: pd.Series, max_bins: int = 20) -> pd.DataFrame:
    v = values.dropna()
    if v.empty:
        return pd.DataFrame(columns=["bin", "from_t_co2e_per_yr", "to_t_co2e_per_yr"])
    lo, hi = float(v.min()), float(v.max())
    if hi - lo <= 1e-9 * max(1.0, abs(hi)):
        edges = np.array([lo - 0.5, hi + 0.5])
    else:
        edges = np.histogram_bin_edges(v.to_numpy(), bins="auto")
        if len(edges) - 1 > max_bins:
            edges = np.linspace(lo, hi, max_bins + 1)
    out = pd.DataFrame({"from_t_co2e_per_yr": edges[:-1], "to_t_co2e_per_yr": edges[1:]})
    out.insert(0, "bin", [f"{a:,.0f} – {b:,.0f}" for a, b in zip(edges[:-1], edges[1:])])
    for name in pd.unique(by.loc[v.index]):
        counts, _ = np.histogram(v[by.loc[v.index] == name].to_numpy(), bins=edges)
        out[f"runs: {name}"] = counts.astype(int)
    return out


def summarize(records: pd.DataFrame, areas: pd.DataFrame, params: Sequence[UncertainParameter]) -> dict[str, pd.DataFrame]:
    """The report tables: ``net_sink`` (distribution per scenario), ``histogram``, ``influence``, ``areas``,
    ``statuses``."""
    from scipy.stats import spearmanr

    out: dict[str, pd.DataFrame] = {}
    scen_order = list(pd.unique(records["scenario"])) if len(records) else []
    sampled = records[records["sample_id"] > 0]
    ok = sampled[sampled["status"] == "optimal"]

    # distribution of the net sink
    rows = []
    for s in scen_order:
        base = records[(records["scenario"] == s) & (records["sample_id"] == 0)]
        base_v = float(base[OBJECTIVE].iloc[0]) if len(base) and base["status"].iloc[0] == "optimal" else np.nan
        all_s = sampled[sampled["scenario"] == s]
        v = ok.loc[ok["scenario"] == s, OBJECTIVE].to_numpy(dtype=float)
        row = {"scenario": s, "runs": len(all_s), "optimal": len(v),
               "infeasible": int((all_s["status"] == "infeasible").sum()),
               "failed": int(all_s["status"].isin(FAILED).sum()),
               "base_run_t_co2e_per_yr": base_v}
        if len(v):
            q = np.percentile(v, [5, 25, 50, 75, 95])
            row.update({"P5_t_co2e_per_yr": q[0], "P25_t_co2e_per_yr": q[1], "P50_t_co2e_per_yr": q[2],
                        "P75_t_co2e_per_yr": q[3], "P95_t_co2e_per_yr": q[4], "mean_t_co2e_per_yr": float(v.mean()),
                        "std_t_co2e_per_yr": float(v.std(ddof=1)) if len(v) > 1 else np.nan,
                        "min_t_co2e_per_yr": float(v.min()), "max_t_co2e_per_yr": float(v.max())})
        rows.append(row)
    cols = ["scenario", "runs", "optimal", "infeasible", "failed", "base_run_t_co2e_per_yr", "P5_t_co2e_per_yr",
            "P25_t_co2e_per_yr", "P50_t_co2e_per_yr", "P75_t_co2e_per_yr", "P95_t_co2e_per_yr", "mean_t_co2e_per_yr",
            "std_t_co2e_per_yr", "min_t_co2e_per_yr", "max_t_co2e_per_yr"]
    out["net_sink"] = pd.DataFrame(rows, columns=cols)

    # histogram (sampled runs; the base runs when nothing was sampled)
    hist_src = ok if len(ok) else records[records["status"] == "optimal"]
    out["histogram"] = _histogram(hist_src[OBJECTIVE], hist_src["scenario"])

    # influence: Spearman rank correlation of every parameter with the net sink, per scenario
    rows = []
    for s in scen_order:
        sub = ok[ok["scenario"] == s]
        for p in params:
            x = sub[p.name].to_numpy(dtype=float)
            y = sub[OBJECTIVE].to_numpy(dtype=float)
            rho = pval = np.nan
            if len(sub) >= 3 and np.ptp(x) > 0 and np.ptp(y) > 0:
                res = spearmanr(x, y)
                rho, pval = float(res.statistic), float(res.pvalue)
            rows.append({"scenario": s, "parameter": p.name, "spearman_rho": rho, "abs_rho": abs(rho),
                         "p_value": pval, "runs": len(sub), "sheet": p.sheet, "column": p.column,
                         "where": p.where_text, "low": p.low, "high": p.high})
    inf = pd.DataFrame(rows, columns=["scenario", "parameter", "spearman_rho", "abs_rho", "p_value", "runs", "sheet",
                                      "column", "where", "low", "high"])
    if len(inf):
        inf["_s"] = inf["scenario"].map({s: i for i, s in enumerate(scen_order)})
        inf = inf.sort_values(["_s", "abs_rho"], ascending=[True, False], na_position="last").drop(columns="_s")
        inf.insert(2, "rank", inf.groupby("scenario").cumcount() + 1)
    out["influence"] = inf.reset_index(drop=True)

    # target-year area per region × land use: range over the sampled runs and how often it moves off the base run
    rows = []
    if len(areas.columns):
        for s in scen_order:
            base_ids = records.loc[(records["scenario"] == s) & (records["sample_id"] == 0) & (records["status"] == "optimal"), "run_id"]
            base = areas.loc[base_ids.iloc[0]] if len(base_ids) and base_ids.iloc[0] in areas.index else None
            ids = ok.loc[ok["scenario"] == s, "run_id"]
            a = areas.reindex(ids.to_numpy())
            for (reg, lu) in areas.columns:
                v = a[(reg, lu)].to_numpy(dtype=float) if len(a) else np.array([])
                b = float(base[(reg, lu)]) if base is not None else np.nan
                changed = int((np.abs(v - b) > CHANGE_TOLERANCE_HA).sum()) if base is not None and len(v) else None
                rows.append({"scenario": s, "region": reg, "land_use": lu, "base_run_ha": b,
                             "min_ha": float(v.min()) if len(v) else np.nan, "max_ha": float(v.max()) if len(v) else np.nan,
                             "mean_ha": float(v.mean()) if len(v) else np.nan,
                             "P5_ha": float(np.percentile(v, 5)) if len(v) else np.nan,
                             "P95_ha": float(np.percentile(v, 95)) if len(v) else np.nan,
                             "range_ha": float(v.max() - v.min()) if len(v) else np.nan,
                             "runs": len(v), "changed_runs": changed,
                             "changed_pct": (changed / len(v) * 100.0) if changed is not None and len(v) else np.nan})
    out["areas"] = pd.DataFrame(rows, columns=["scenario", "region", "land_use", "base_run_ha", "min_ha", "max_ha",
                                               "mean_ha", "P5_ha", "P95_ha", "range_ha", "runs", "changed_runs", "changed_pct"])

    st = records.groupby(["scenario", "status"], sort=False).size().rename("runs").reset_index() if len(records) else \
        pd.DataFrame(columns=["scenario", "status", "runs"])
    out["statuses"] = st
    return out


# =========================================================================== checkpoint
class Checkpoint:
    """Finished records, one JSON line each, flushed and fsynced as they arrive.

    The first line is a header naming the input's SHA-256; a record is reused on resume only if the run with
    its id would be the same run now (same scenario overrides and sampled values: its ``key``).
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self._f = None

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
    out = Path(out)
    return out.with_name(out.name + ".partial.jsonl")


# =========================================================================== progress
class Progress:
    """One status line on stderr: runs done/total, failed, infeasible, rate and ETA.

    On a terminal the line is redrawn in place (``\\r``); otherwise a line is printed every few seconds.
    """

    def __init__(self, total: int, already: int = 0, enabled: bool = True, stream=None, label: str = "sweep"):
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
        eta = _clock(left / rate) if rate > 0 else "?"
        pct = 100.0 * self.done / self.total if self.total else 100.0
        extra = f" · {self.retried} retried" if self.retried else ""
        return (f"{self.label} {self.done}/{self.total} ({pct:.0f}%) · {self.failed} failed · {self.infeasible} infeasible"
                f"{extra} · {rate * 60:.0f} runs/min · elapsed {_clock(el)} · ETA {eta}")

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


def _clock(s: float) -> str:
    s = int(round(s))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


# =========================================================================== execution
#: Modules the fork server imports once, so that every worker forked from it starts warm.
#: (scipy.sparse is what Pyomo's standard-form compiler imports lazily on its first use: about 1-2 s.)
PRELOAD = ["landopt.sweep", "landopt.scenarios", "landopt.validate", "landopt.model.build", "landopt.solve",
           "pyomo.repn.plugins.standard_form", "scipy.sparse"]


def warm_imports() -> None:
    """Import what a run needs (:data:`PRELOAD`), so that forked workers inherit it instead of importing it each."""
    import importlib

    for m in PRELOAD:
        importlib.import_module(m)


def _worker_started(event) -> None:
    event.set()


def start_method() -> str:
    """How local workers start: ``fork`` from a single-threaded parent that has not run HiGHS (instant, and works from any script,
    notebook or ``python -``); else ``forkserver`` (forked from a clean server process that has imported
    landopt once, since forking a multi-threaded process can deadlock); ``spawn`` where neither exists
    (Windows).  ``LANDOPT_SWEEP_START_METHOD`` overrides the choice."""
    import multiprocessing as mp
    import threading

    methods = mp.get_all_start_methods()
    wanted = os.environ.get("LANDOPT_SWEEP_START_METHOD", "").strip()
    if wanted in methods:
        return wanted
    from landopt import solve as _solve

    # HiGHS keeps a pool of native threads once it has solved anything in this process; threading does not
    # see them, and a forked child inherits a broken scheduler, so fork only from a process that never solved
    if "fork" in methods and threading.active_count() == 1 and not _solve.highs_started():
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _local_pool(workers: int) -> cf.ProcessPoolExecutor:
    """A process pool of ``workers`` processes started with :func:`start_method`."""
    import multiprocessing as mp

    method = start_method()
    ctx = mp.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(PRELOAD)
    elif method == "fork":
        warm_imports()
    started = ctx.Event()
    pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_started, initargs=(started,))
    pool._landopt_started = started  # set once any worker is up: a pool that breaks before is a start-up failure
    return pool


START_FAILURE = ("the worker processes could not start (see the traceback above). Where workers are not forked "
                 "(a multi-threaded parent, Windows), a script that runs a sweep must guard its top level with "
                 "`if __name__ == \"__main__\":` because the workers re-import it")


def _lost(task: dict, why: str) -> dict:
    return {"run_id": task["run_id"], "scenario": task["scenario"], "sample_id": task["sample_id"],
            "params": task["params"], "key": task["key"], "status": "lost",
            "message": f"its worker died on each of {task['attempt']} attempt(s) (last: {why}); not retried further",
            OBJECTIVE: None, "terms": {}, "areas": [], "attempt": task["attempt"], "seconds": 0.0,
            "started_at": "", "worker": ""}


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
            emit(_lost(task, why))
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
                started = getattr(ex, "_landopt_started", None)
                if started is not None and not started.is_set():
                    raise RuntimeError(START_FAILURE)
                if not owns_executor:
                    for t in suspects + list(isolate) + list(pending):
                        emit(_lost(t, "the executor broke and was supplied by the caller, so it cannot be recreated"))
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
    finally:
        if owns_executor:
            for f in inflight:
                f.cancel()
            with contextlib.suppress(Exception):
                try:
                    ex.shutdown(wait=False, cancel_futures=True)
                except TypeError:  # executors without cancel_futures (Dask's ClientExecutor)
                    ex.shutdown(wait=False)


# =========================================================================== the sweep
def _input_source(input_path: str | Path | RawWorkbook, ship_tables: bool) -> tuple[RawWorkbook, tuple]:
    import pickle

    from landopt.reader import read_workbook

    if isinstance(input_path, RawWorkbook):
        raw = input_path
        return raw, ("tables", pickle.dumps(raw, protocol=pickle.HIGHEST_PROTOCOL), raw.sha256)
    raw = read_workbook(input_path)
    if ship_tables:
        return raw, ("tables", pickle.dumps(raw, protocol=pickle.HIGHEST_PROTOCOL), raw.sha256)
    return raw, ("path", str(Path(input_path).resolve()), raw.sha256)


def _task_key(scenario_pairs: list, values: dict[str, float]) -> str:
    h = hashlib.sha256()
    for scen, o in scenario_pairs:
        h.update(repr((scen, o.sheet, o.column, sorted(o.where.items()), o.operation, _text(o.value))).encode())
    h.update(json.dumps(values, sort_keys=True).encode())
    return h.hexdigest()[:16]


def run_sweep(
    input_path: str | Path | RawWorkbook,
    samples: int,
    seed: int = 0,
    method: str = "lhs",
    scenarios: Sequence[str] | str | None = None,
    executor: cf.Executor | Callable[[], cf.Executor] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    out: str | Path | None = None,
    progress: bool = True,
    *,
    ranges: str | Path | pd.DataFrame | None = None,
    parquet: bool | None = None,
    checkpoint: str | Path | None = None,
    keep_checkpoint: bool = False,
    on_record: Callable[[dict], None] | None = None,
    task_fn: Callable[[dict], dict] = run_task,
) -> SweepResult:
    """Sample the uncertain parameters and/or sweep scenarios; solve every run; summarise.

    Parameters
    ----------
    input_path:
        input workbook (.xlsx) or folder of CSV/Parquet tables, or a :class:`~landopt.reader.RawWorkbook`.
    samples:
        number of samples per scenario (0 = only the base run of each scenario: a plain scenario grid).
    seed, method:
        the random seed and ``"lhs"`` (Latin hypercube) or ``"mc"`` (plain Monte Carlo).
    scenarios:
        scenario names (list or comma-separated); ``"base"`` is the unmodified workbook.  None = base only.
    executor:
        a ``concurrent.futures.Executor`` (not shut down here; cannot be recreated if it breaks) or a
        zero-argument factory returning one.  Default: a local process pool of ``workers`` processes, or the
        Dask cluster at ``scheduler``.
    resume:
        reuse the records in the checkpoint and run only the rest.
    out:
        write the sweep workbook here (atomically); the checkpoint defaults to ``<out>.partial.jsonl`` and is
        removed once the workbook is written (unless ``keep_checkpoint``).
    ranges:
        a CSV file (or DataFrame) with the columns of the ``uncertainty`` sheet, used instead of that sheet.
    parquet:
        write the long tables to Parquet next to the workbook (default: when there are more than 2,000 runs).
    on_record:
        called in the parent with every new record (e.g. to stop after a number of runs).
    task_fn:
        the function a worker runs per task (default :func:`run_task`; a picklable wrapper for instrumentation).

    Raises :class:`~landopt.validate.InputError` / :class:`~landopt.scenarios.ScenarioError` for bad input.
    """
    from landopt import __version__
    from landopt.scenarios import chain, load_scenarios

    t_start = time.perf_counter()
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if samples < 0:
        raise ValueError("samples must be ≥ 0")
    raw, source = _input_source(input_path, ship_tables=scheduler is not None or executor is not None)

    # uncertain parameters
    if ranges is not None:
        if isinstance(ranges, pd.DataFrame):
            from landopt.reader import _tidy

            table, name, kind = (ranges if ROW in ranges.columns else _tidy(ranges)), "ranges", "folder"
        else:
            table, name, kind = read_ranges(ranges), Path(ranges).stem, "folder"
        label = f"{ranges}" if not isinstance(ranges, pd.DataFrame) else "the ranges"
    else:
        table, name, kind = raw.tables.get("uncertainty"), "uncertainty", raw.kind
        label = f"{raw.path} ({raw.location('uncertainty')})"
    params = parse_uncertainty(table, raw, sheet=name, kind=kind, label=label)
    if samples > 0 and not params:
        raise InputError([Problem.at("uncertainty", None, None, None,
                                  "sampling needs uncertain parameters: add an 'uncertainty' sheet or pass --ranges FILE.csv",
                                  raw.kind)], raw.path)

    # scenarios
    if isinstance(scenarios, str):
        scenarios = [s.strip() for s in scenarios.split(",") if s.strip()]
    names = list(dict.fromkeys(scenarios or [BASE]))
    defined = load_scenarios(raw) if any(n != BASE for n in names) else {}
    scen_pairs: dict[str, list] = {}
    for n in names:
        if n == BASE and n not in defined:
            scen_pairs[n] = []
        else:
            scen_pairs[n] = [(sc.name, o) for sc in chain(defined, n) for o in sc.overrides]

    # samples, drawn up front from the seed; sample 0 is the base run
    table_s = draw_samples(params, samples, seed, method) if samples > 0 else pd.DataFrame(columns=[p.name for p in params])
    sample_values: list[dict[str, float]] = [{}] + [
        {p.name: float(v) for p, v in zip(params, row)} for row in table_s.itertuples(index=False)]
    tasks: list[dict] = []
    for i, n in enumerate(names):
        for sid, values in enumerate(sample_values):
            ovs = [p.override(values[p.name], sid) for p in params] if values else []
            tasks.append({"run_id": i * (samples + 1) + sid, "scenario": n, "sample_id": sid, "params": values,
                          "key": _task_key(scen_pairs[n], values), "source": source,
                          "scenario_overrides": scen_pairs[n], "sample_overrides": ovs, "attempt": 1})

    # checkpoint and resume
    ck_path = Path(checkpoint) if checkpoint else (checkpoint_path(out) if out else None)
    if resume and ck_path is None:
        raise ValueError("resume needs a checkpoint: give out= (or checkpoint=)")
    ck = Checkpoint(ck_path) if ck_path else None
    records: dict[int, dict] = {}
    if ck is not None:
        old = ck.load(raw.sha256) if resume else {}
        if ck_path.exists() and not resume:
            log.warning("%s exists and is replaced (use --resume to continue from it)", ck_path)
        by_id = {t["run_id"]: t for t in tasks}
        for rid, r in old.items():
            t = by_id.get(rid)
            if t is not None and r.get("key") == t["key"] and r.get("status") != "lost":  # lost runs get another go
                records[rid] = r
        if resume:
            log.info("resuming: %d of %d runs already done (%s)", len(records), len(tasks), ck_path)
        ck.open(raw.sha256, keep=[records[k] for k in sorted(records)])
    todo = [t for t in tasks if t["run_id"] not in records]

    # executor
    client = None
    owns = True
    if executor is not None:
        if isinstance(executor, cf.Executor):
            owns = False
            _ex = executor
            make = lambda: _ex  # noqa: E731
        else:
            make = executor
        n_workers = workers or 2
        window = max(1, 2 * n_workers)
        engine = "executor"
    elif scheduler is not None:
        from distributed import Client

        client = Client(scheduler, set_as_default=False)
        n_workers = max(1, sum(client.nthreads().values()))
        window = 2 * n_workers
        make = lambda: client.get_executor(pure=False)  # noqa: E731
        engine = f"dask {scheduler}"
    else:
        n_workers = max(1, int(workers or os.cpu_count() or 1))
        window = n_workers  # every run in flight is running: a dead worker's run is known
        make = lambda: _local_pool(n_workers)  # noqa: E731
        engine = "local process pool"

    bar = Progress(len(tasks), enabled=progress)
    for r in records.values():
        bar.count(r, new=False)

    def emit(rec: dict) -> None:
        records[rec["run_id"]] = rec
        if ck is not None:
            ck.write(rec)
        bar.count(rec)
        bar.update()
        if on_record is not None:
            on_record(rec)

    log.info("sweep: %d runs (%d scenarios × %d samples + base), %d to do, on %s with %d workers",
             len(tasks), len(names), samples, len(todo), engine, n_workers)
    try:
        if todo:
            execute(todo, make, window=window, owns_executor=owns, task_fn=task_fn, emit=emit, progress=bar)
    finally:
        bar.close()
        if ck is not None:
            ck.close()
        if client is not None:
            with contextlib.suppress(Exception):
                client.close()

    recs_df, areas = _records_frame(records.values(), params)
    summary = summarize(recs_df, areas, params)
    meta = {
        "input": str(raw.path), "input_sha256": raw.sha256, "samples": samples, "seed": seed, "method": method,
        "scenarios": ",".join(names), "parameters": len(params), "runs": len(tasks),
        "optimal": int((recs_df["status"] == "optimal").sum()),
        "infeasible": int((recs_df["status"] == "infeasible").sum()),
        "failed": int(recs_df["status"].isin(FAILED).sum()),
        "reused_from_checkpoint": len(tasks) - len(todo), "engine": engine, "workers": n_workers,
        "wall_seconds": round(time.perf_counter() - t_start, 2), "landopt_version": __version__,
        "finished_at": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    result = SweepResult(records=recs_df, areas=areas, summary=summary, parameters=list(params), metadata=meta)
    if out is not None:
        write_sweep_workbook(result, out, parquet=parquet)
        if ck is not None and not keep_checkpoint:
            ck.remove()
    return result


# =========================================================================== the workbook
def _atomic_parquet(df: pd.DataFrame, path: Path) -> Path:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path


def _areas_long(result: SweepResult) -> pd.DataFrame:
    a = result.areas
    if a.empty:
        return pd.DataFrame(columns=["run_id", "region", "land_use", "area_ha"])
    long = a.stack(["region", "land_use"], future_stack=True).rename("area_ha").reset_index()
    return long.dropna(subset=["area_ha"])


def write_sweep_workbook(result: SweepResult, path: str | Path, parquet: bool | None = None) -> Path:
    """Write the sweep workbook (and, for large sweeps or ``parquet=True``, Parquet long tables next to it).

    Sheets: about, net_sink (percentiles + histogram chart), influence (table + chart), areas, runs, parameters.
    Returns the workbook path; ``result.path`` and ``result.parquet_paths`` are set.
    """
    from openpyxl import Workbook

    from landopt.report.excel import atomic_save, bar_chart, write_note, write_table, write_title

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    s = result.summary
    meta = result.metadata
    use_parquet = parquet if parquet is not None else len(result.records) > PARQUET_THRESHOLD
    pq_paths: list[Path] = []
    if use_parquet:
        stem = path.stem
        pq_paths.append(_atomic_parquet(result.records, path.with_name(f"{stem}.runs.parquet")))
        pq_paths.append(_atomic_parquet(_areas_long(result), path.with_name(f"{stem}.areas.parquet")))

    wb = Workbook()
    ws = wb.active
    ws.title = "about"
    r = write_title(ws, 1, "landopt sweep: distribution of the net carbon sink")
    r = write_note(ws, r, "Every run solves the plan for one scenario and one sample of the uncertain parameters; "
                          "sample 0 of each scenario is its base run (workbook values).")
    r += 1
    about = pd.DataFrame({"item": list(meta.keys()), "value": [str(v) if not isinstance(v, (int, float)) else v
                                                               for v in meta.values()]})
    if pq_paths:
        about = pd.concat([about, pd.DataFrame({"item": ["runs_parquet", "areas_parquet"],
                                                "value": [p.name for p in pq_paths]})], ignore_index=True)
    write_table(ws, about, start_row=r, table_name="about", number_formats={"value": None})

    # net sink distribution + histogram chart
    ws = wb.create_sheet("net_sink")
    r = write_title(ws, 1, "Net carbon sink over the sampled runs (t CO2e/yr; positive = net sink)")
    r = write_note(ws, r, "Percentiles over the optimal sampled runs of each scenario; base run = the scenario with "
                          "the workbook's values.")
    blk = write_table(ws, s["net_sink"], start_row=r + 1, table_name="net_sink")
    r = blk.end_row + 2
    h = s["histogram"]
    if len(h):
        r = write_title(ws, r, "Histogram (runs per net-sink bin)", level=2)
        hb = write_table(ws, h, start_row=r, table_name="histogram", freeze=False)
        series = [c for c in h.columns if c.startswith("runs: ")]
        ch = bar_chart(ws, hb, series, "bin", "Net sink: runs per bin", "runs", width_cm=20, height_cm=9)
        ch.x_axis.title = "net sink (t CO2e/yr)"
        ch.gapWidth = 10
        if len(series) == 1:
            ch.legend = None
        ws.add_chart(ch, f"{_col_letter(hb.last_col + 2)}{hb.header_row}")

    # influence
    ws = wb.create_sheet("influence")
    r = write_title(ws, 1, "Most influential parameters: Spearman rank correlation with the net sink")
    r = write_note(ws, r, "ρ near +1: higher values of the parameter give a larger net sink; near −1: a smaller one; "
                          "near 0: little monotone effect.")
    inf = s["influence"]
    ib = write_table(ws, inf, start_row=r + 1, table_name="influence",
                     number_formats={"spearman_rho": "0.000", "abs_rho": "0.000", "p_value": "0.0000",
                                     "low": "General", "high": "General"})
    if len(inf) and inf["spearman_rho"].notna().any():
        # one row per parameter (most influential first), one column of ρ per scenario: the chart's data
        scen = list(pd.unique(inf["scenario"]))
        piv = inf.pivot(index="parameter", columns="scenario", values="spearman_rho")[scen]
        piv = piv.loc[piv.abs().max(axis=1).sort_values(ascending=False, na_position="last").index]
        piv.columns = [f"ρ: {c}" for c in piv.columns]
        piv = piv.reset_index()
        r = write_title(ws, ib.end_row + 2, "Spearman ρ by parameter and scenario (chart data)", level=2)
        pb = write_table(ws, piv, start_row=r, table_name="influence_chart", freeze=False,
                         number_formats={c: "0.000" for c in piv.columns[1:]})
        ch = bar_chart(ws, pb, list(piv.columns[1:]), "parameter", "Influence on the net sink (Spearman ρ)",
                       "Spearman ρ", horizontal=True, width_cm=18,
                       height_cm=max(6.0, 2.5 + 0.45 * len(piv) * len(scen)), number_format="0.00")
        if len(scen) == 1:
            ch.legend = None
        ch.y_axis.scaling.min = -1
        ch.y_axis.scaling.max = 1
        ch.x_axis.scaling.orientation = "maxMin"  # most influential on top
        ws.add_chart(ch, f"{_col_letter(pb.last_col + 2)}{pb.header_row}")

    # areas
    ws = wb.create_sheet("areas")
    r = write_title(ws, 1, "Target-year area per region and land use over the sampled runs")
    r = write_note(ws, r, f"changed runs = optimal sampled runs whose area differs from the base run by more than "
                          f"{CHANGE_TOLERANCE_HA:g} ha.")
    write_table(ws, s["areas"], start_row=r + 1, table_name="areas",
                number_formats={"changed_pct": "0.0", "runs": "#,##0", "changed_runs": "#,##0"})

    # runs (long table)
    ws = wb.create_sheet("runs")
    rec = result.records
    if len(rec) <= PARQUET_THRESHOLD or not pq_paths:
        fm = {p.name: "General" for p in result.parameters}
        fm.update({"run_id": "0", "sample_id": "0", "attempt": "0"})
        write_table(ws, rec, start_row=1, table_name="runs", number_formats=fm, wrap_text_over=1e9)
    else:
        write_title(ws, 1, f"{len(rec):,} runs: the long table is in {pq_paths[0].name} (next to this workbook)")
        write_note(ws, 2, "Read it with pandas.read_parquet, or Excel's Data → Get Data → From File → From Parquet.")
        write_table(ws, s["statuses"], start_row=4, table_name="statuses")

    # parameters
    ws = wb.create_sheet("parameters")
    write_title(ws, 1, "Uncertain parameters sampled")
    prm = pd.DataFrame([p.as_row() for p in result.parameters],
                       columns=["parameter", "sheet", "column", "where", "operation", "distribution", "low", "high",
                                "mode", "note", "origin"])
    write_table(ws, prm, start_row=3, table_name="parameters",
                number_formats={"low": "General", "high": "General", "mode": "General"})

    atomic_save(wb, path)
    result.path = path
    result.parquet_paths = pq_paths
    return path


def _col_letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


# =========================================================================== the command line
EXIT_OK, EXIT_INPUT, EXIT_NO_PLAN = 0, 2, 3


def register(subparsers) -> Any:
    """Add the ``sweep`` sub-command to an ``argparse`` sub-parsers object."""
    p = subparsers.add_parser(
        "sweep", help="Monte Carlo / Latin-hypercube sampling of uncertain parameters and scenario grids",
        description="Solve the plan for every scenario × sample of the uncertain parameters (sheet 'uncertainty' "
                    "or --ranges) and write the distribution of the net sink. See docs/sweep.md.")
    p.add_argument("input", help="input workbook (.xlsx) or folder of CSV/Parquet tables")
    p.add_argument("--samples", type=int, default=0, metavar="N", help="samples per scenario (0 = base runs only)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--method", choices=METHODS, default="lhs", help="lhs = Latin hypercube (default), mc = Monte Carlo")
    p.add_argument("--scenarios", default=None, metavar="A,B",
                   help="comma-separated scenarios to cross with the samples ('base' = the workbook as is)")
    p.add_argument("--ranges", metavar="FILE.csv", help="uncertain parameters from this CSV instead of the 'uncertainty' sheet")
    p.add_argument("--workers", type=int, default=None, metavar="K", help="local worker processes (default: CPU count)")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT", help="run on this Dask distributed cluster")
    p.add_argument("--resume", action="store_true", help="continue an interrupted sweep from its checkpoint")
    p.add_argument("--parquet", action="store_true", help="also write the long tables as Parquet (automatic above 2,000 runs)")
    p.add_argument("--no-progress", action="store_true", help="no progress line on stderr")
    p.add_argument("--json", action="store_true", help="print a one-line JSON summary on stdout")
    p.add_argument("-o", "--out", help="output workbook (default outputs/<input>_sweep.xlsx)")
    p.set_defaults(func=cmd_sweep)
    return p


def cmd_sweep(args) -> int:
    inp = Path(args.input)
    stem = inp.stem if inp.suffix else inp.name
    out = Path(args.out) if args.out else Path("outputs") / f"{stem}_sweep.xlsx"
    try:
        res = run_sweep(inp, args.samples, seed=args.seed, method=args.method, scenarios=args.scenarios,
                        workers=args.workers, scheduler=args.scheduler, resume=args.resume, out=out,
                        progress=not args.no_progress and not getattr(args, "quiet", False),
                        ranges=args.ranges, parquet=True if args.parquet else None)
    except (InputError, ScenarioError) as e:
        print(str(e), file=sys.stderr)
        return EXIT_INPUT
    except (FileNotFoundError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        ck = checkpoint_path(out)
        print(f"interrupted; finished runs are kept in {ck} — run again with --resume to continue", file=sys.stderr)
        return 130
    m = res.metadata
    ns = res.summary["net_sink"]
    summary = {"runs": m["runs"], "optimal": m["optimal"], "infeasible": m["infeasible"], "failed": m["failed"],
               "output": str(res.path), "parquet": [str(p) for p in res.parquet_paths],
               "p50_t_co2e_per_yr": {r["scenario"]: (None if pd.isna(r.get("P50_t_co2e_per_yr")) else round(float(r["P50_t_co2e_per_yr"]), 3))
                                     for r in ns.to_dict("records")},
               "wall_seconds": round(m["wall_seconds"], 2)}
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(f"sweep of {m['runs']} runs written to {res.path}: {m['optimal']} optimal, {m['infeasible']} infeasible, "
              f"{m['failed']} failed")
        for r in ns.to_dict("records"):
            if not pd.isna(r.get("P50_t_co2e_per_yr", np.nan)):
                print(f"  {r['scenario']}: net sink P5 {r['P5_t_co2e_per_yr']:,.0f} · P50 {r['P50_t_co2e_per_yr']:,.0f} · "
                      f"P95 {r['P95_t_co2e_per_yr']:,.0f} t CO2e/yr")
            elif not pd.isna(r.get("base_run_t_co2e_per_yr", np.nan)):
                print(f"  {r['scenario']}: net sink {r['base_run_t_co2e_per_yr']:,.0f} t CO2e/yr (base run)")
    return EXIT_OK if m["optimal"] > 0 else EXIT_NO_PLAN
