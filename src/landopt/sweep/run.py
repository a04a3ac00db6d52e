"""``run_sweep``: sample the uncertain parameters, cross them with the scenarios, solve every run, summarise."""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import logging
import os
import time
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from landopt.reader import ROW, RawWorkbook, tidy
from landopt.sweep.checkpoint import Checkpoint, checkpoint_path
from landopt.sweep.columns import BASE, FAILED
from landopt.sweep.executor import LocalPool, execute
from landopt.sweep.parameters import parse_uncertainty, read_ranges, warn_unread
from landopt.sweep.progress import Progress
from landopt.sweep.report import write_sweep_workbook
from landopt.sweep.sampling import METHODS, draw_samples
from landopt.sweep.summary import SweepResult, accounting_terms, display_names, records_frame, summarize
from landopt.sweep.tasks import input_source, make_tasks, run_task
from landopt.validate import InputError, Problem

log = logging.getLogger(__name__)


def objective_unit(raw: RawWorkbook) -> str:
    """Unit of the net sink the runs report: 't CO2e' (stock-change accounting, cumulative) or 't CO2e/yr' (flux), as
    validation resolves ``settings.carbon_accounting`` for the workbook (a scenario that switches the accounting
    is not looked at)."""
    st = raw.tables.get("settings")
    mode = "auto"
    if st is not None and {"key", "value"} <= set(st.columns):
        hit = st.loc[st["key"].astype(str).str.strip() == "carbon_accounting", "value"]
        if len(hit) and isinstance(hit.iloc[0], str) and hit.iloc[0].strip():
            mode = hit.iloc[0].strip()
    if mode == "auto":
        cs = raw.tables.get("carbon_stocks")
        mode = "stock_change" if cs is not None and not cs.dropna(how="all").empty else "flux"
    return "t CO2e" if mode == "stock_change" else "t CO2e/yr"


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
    on_checked: Callable[[], None] | None = None,
    task_fn: Callable[[dict], dict] = run_task,
    warm: bool = True,
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
    on_checked:
        called once the workbook, its scenarios and the uncertain parameters have been checked, before the first
        run (the CLI says there that ``out`` will be replaced: not before refusing bad input).
    task_fn:
        the function a worker runs per task (default :func:`run_task`; a picklable wrapper for instrumentation).
    warm:
        each worker keeps the model it solved last and re-solves the next run from the previous basis when only
        costs, right-hand sides or coefficients changed (the default); ``False`` solves every run from scratch.
        Either way the answers are the same; the record's ``solve_start`` says how each run was solved.

    Raises :class:`~landopt.validate.InputError` / :class:`~landopt.scenarios.ScenarioError` for bad input.
    """
    from landopt import __version__
    from landopt.scenarios import chain, load_scenarios

    t_start = time.perf_counter()
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if samples < 0:
        raise ValueError("samples must be ≥ 0")
    raw, source = input_source(input_path, ship_tables=scheduler is not None or executor is not None)

    # uncertain parameters
    if ranges is not None:
        if isinstance(ranges, pd.DataFrame):
            table, name, kind = (ranges if ROW in ranges.columns else tidy(ranges)), "ranges", "folder"
        else:
            table, name, kind = read_ranges(ranges), Path(ranges).stem, "folder"
        label = f"{ranges}" if not isinstance(ranges, pd.DataFrame) else "the ranges"
    else:
        table, name, kind = raw.tables.get("uncertainty"), "uncertainty", raw.kind
        label = f"{raw.path} ({raw.location('uncertainty')})"
    params = parse_uncertainty(table, raw, sheet=name, kind=kind, label=label)
    if samples > 0 and not params:
        raise InputError([Problem.at("uncertainty", None, None, None, (
            "抽样需要不确定参数：请添加工作表“不确定参数 uncertainty”，或用 --ranges FILE.csv 给出取值范围",
            "sampling needs uncertain parameters: add an 'uncertainty' sheet or pass --ranges FILE.csv"), raw.kind)],
            raw.path)

    # the workbook itself: with input problems every run would fail on them; they are raised before any run
    from landopt.api import spec_from_raw

    warn_unread(params, spec_from_raw(raw).accounting)

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
    tasks = make_tasks(names, scen_pairs, sample_values, params, source, warm=warm)
    if on_checked is not None:
        on_checked()

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
        make = lambda: LocalPool(n_workers)  # noqa: E731
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

    unit = objective_unit(raw)
    recs_df, areas = records_frame(records.values(), params, accounting_terms(unit))
    summary = summarize(recs_df, areas, params)
    meta = {
        "input": str(raw.path), "input_sha256": raw.sha256, "samples": samples, "seed": seed, "method": method,
        "scenarios": ",".join(names), "parameters": len(params), "runs": len(tasks),
        "optimal": int((recs_df["status"] == "optimal").sum()),
        "infeasible": int((recs_df["status"] == "infeasible").sum()),
        "failed": int(recs_df["status"].isin(FAILED).sum()),
        "reused_from_checkpoint": len(tasks) - len(todo), "engine": engine, "workers": n_workers,
        "warm_starts": int((recs_df["solve_start"] == "warm").sum()),
        "solves_from_scratch": int(recs_df["solve_start"].isin(["cold", "warm→cold"]).sum()),
        "objective_unit": unit,
        # stock change: the years the cumulative net sink covers (one for every run: a scenario may not change them)
        **({"horizon": h} if (h := next((r["horizon"] for r in records.values() if r.get("horizon")), None)) else {}),
        "wall_seconds": round(time.perf_counter() - t_start, 2), "landopt_version": __version__,
        "finished_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    result = SweepResult(records=recs_df, areas=areas, summary=summary, parameters=list(params), metadata=meta,
                         names=display_names(raw.tables))
    if out is not None:
        write_sweep_workbook(result, out, parquet=parquet)
        if ck is not None and not keep_checkpoint:
            ck.remove()
    return result
