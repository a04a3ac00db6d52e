"""Analyst-workflow commands: compare, diagnose, pareto, sweep (outputs checked before any work)."""

from __future__ import annotations

import argparse
import json
import logging
import socket
import sys
from pathlib import Path
from urllib.parse import urlparse

from landopt.cli.commands import default_output, inputs_of, require_input, require_model_input
from landopt.cli.parser import scenario_names
from landopt.errors import LandoptError, Terminated, UsageError
from landopt.safety import check_outputs, check_writable, warn_if_replacing

log = logging.getLogger("landopt.cli")


def cmd_compare(args: argparse.Namespace) -> int:
    from landopt.compare import compare
    from landopt.report.compare import write_comparison

    inp = require_model_input(Path(args.input))
    out = Path(args.out) if args.out else default_output(inp, "compare")
    check_outputs([out], inputs_of(inp))
    cmp = compare(inp, scenarios=scenario_names(args.scenarios), reference=args.reference, progress=not args.no_progress,
                  warm=not args.cold)
    warn_if_replacing(out)
    path = write_comparison(cmp, out)
    for run in cmp.runs:
        obj = run.result.objective if run.result is not None and run.result.optimal else None
        lines = run.message.splitlines() or [""]
        print(f"{run.name:<24} {run.status:<12} " + (run.result.headline() if obj is not None else lines[0]))
        if obj is None:
            for extra in lines[1:]:  # every problem of a scenario, not only the count
                print(f"  {extra.rstrip()}")
        for d in run.diagnosis:
            print(f"    {d}")
    print(f"情景比较工作簿已写入 comparison written to {path}")
    return compare_exit(cmp.runs, inp)


def compare_exit(runs: list, inp: Path) -> int:
    """2 when a run had input errors (a scenario that could not be read or applied is bad input: the comparison
    lacks it, and a script must not take it for complete), else 0 when a run is optimal (infeasible runs are
    findings, with their diagnosis), else 3.  The comparison of the other runs is written either way."""
    broken = [r.name for r in runs if r.status == "input_error"]
    if broken:
        n = len(broken)
        print(f"错误 error: {n} 个运行的输入有误，未得到结果（{'、'.join(broken)}；问题已在上方列出，"
              f"也可用 `landopt validate {inp}` 查看）；比较工作簿只包含其余运行 {n} run{'s' if n != 1 else ''} had input errors and no result "
              f"({', '.join(broken)}; every problem is listed above, and `landopt validate {inp}` lists them too); "
              "the comparison holds the other runs", file=sys.stderr)
        return 2
    return 0 if any(r.status == "optimal" for r in runs) else 3


def cmd_diagnose(args: argparse.Namespace) -> int:
    from landopt.api import read
    from landopt.diagnose import FEASIBLE_LINES, diagnose, write_diagnosis

    inp = require_model_input(Path(args.input))
    out = Path(args.out) if args.out else default_output(inp, "diagnosis", args.scenario)
    check_outputs([out], inputs_of(inp))
    spec = read(inp, scenario=args.scenario)
    diag = diagnose(spec)
    if diag is None:
        print("\n".join(FEASIBLE_LINES))
        return 0
    for line in diag.lines():
        print(line)
    warn_if_replacing(out)
    path = write_diagnosis(diag, out)
    print(f"诊断结果已写入 diagnosis written to {path}")
    return 3


def cmd_pareto(args: argparse.Namespace) -> int:
    from landopt.api import read
    from landopt.pareto import pareto
    from landopt.report.compare import write_frontier

    inp = require_model_input(Path(args.input))
    out = Path(args.out) if args.out else default_output(inp, f"pareto_{args.against}", args.scenario)
    check_outputs([out], inputs_of(inp))
    spec = read(inp, scenario=args.scenario)
    try:
        fr = pareto(spec, args.against, args.points)
    except ValueError as e:  # pareto says what the input lacks (e.g. no food_t_per_ha_yr values) as a ValueError
        if isinstance(e, (LandoptError,)):
            raise
        raise UsageError(f"{inp}: {e}") from None
    warn_if_replacing(out)
    path = write_frontier(fr, out)
    print(fr.table().to_string(index=False))  # headers with units: the net sink in the objective's own unit
    print(f"权衡曲线工作簿已写入 trade-off curve written to {path}")
    return 0


def check_scheduler(address: str, timeout: float = 5.0) -> None:
    """Fail fast (a few seconds, not Dask's 30) with a clear message when the scheduler cannot be reached."""
    url = urlparse(address if "://" in address else f"tcp://{address}")
    if url.scheme not in ("tcp", "tls") or not url.hostname or not url.port:
        raise UsageError(f"--scheduler {address}: 地址格式应为 tcp://主机:端口 expected an address like tcp://HOST:PORT")
    try:
        with socket.create_connection((url.hostname, url.port), timeout=timeout):
            pass
    except OSError as e:
        raise UsageError(f"--scheduler {address}: 无法连接 Dask 调度器，请先启动（dask scheduler）或核对地址和端口 "
                         f"cannot reach the Dask scheduler ({e.strerror or e}); "
                         "start it (dask scheduler) or check the address and port") from None


def cmd_sweep(args: argparse.Namespace) -> int:
    import numpy as np
    import pandas as pd

    from landopt.sweep import checkpoint_path, run_sweep

    inp = require_model_input(Path(args.input))
    out = Path(args.out) if args.out else default_output(inp, "sweep")
    ranges = [require_input(Path(args.ranges))] if args.ranges else []
    check_outputs([out], inputs_of(inp) + ranges)
    if args.scheduler:
        check_scheduler(args.scheduler)
    try:
        res = run_sweep(inp, args.samples, seed=args.seed, method=args.method, scenarios=scenario_names(args.scenarios),
                        workers=args.workers, scheduler=args.scheduler, resume=args.resume, out=out,
                        progress=not args.no_progress and not getattr(args, "quiet", False),
                        ranges=args.ranges, parquet=True if args.parquet else None, warm=not args.cold,
                        on_checked=lambda: warn_if_replacing(out))
    except (KeyboardInterrupt, Terminated):
        log.warning("finished runs are kept in %s — run again with --resume to continue", checkpoint_path(out))
        raise
    m = res.metadata
    ns = res.summary["net_sink"]
    summary = {"runs": m["runs"], "optimal": m["optimal"], "infeasible": m["infeasible"], "failed": m["failed"],
               "output": str(res.path), "parquet": [str(p) for p in res.parquet_paths],
               "net_sink_p50": {r["scenario"]: (None if pd.isna(r.get("net_sink_p50")) else round(float(r["net_sink_p50"]), 3))
                                for r in ns.to_dict("records")},
               "net_sink_unit": m["objective_unit"],  # t CO2e (cumulative) in stock-change accounting
               "wall_seconds": round(m["wall_seconds"], 2)}
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(f"不确定性抽样工作簿已写入（{m['runs']} 次运行：最优 {m['optimal']}、无解 {m['infeasible']}、失败 {m['failed']}） "
              f"sweep of {m['runs']} runs written to {res.path}: {m['optimal']} optimal, {m['infeasible']} infeasible, "
              f"{m['failed']} failed")
        unit = m.get("objective_unit", "t CO2e/yr")  # t CO2e (cumulative) in stock-change accounting
        for r in ns.to_dict("records"):
            if not pd.isna(r.get("net_sink_p50", np.nan)):
                print(f"  {r['scenario']}: net sink P5 {r['net_sink_p5']:,.0f} · P50 {r['net_sink_p50']:,.0f} · "
                      f"P95 {r['net_sink_p95']:,.0f} {unit}")
            elif not pd.isna(r.get("net_sink_base_run", np.nan)):
                print(f"  {r['scenario']}: net sink {r['net_sink_base_run']:,.0f} {unit} (base run)")
    return 0 if m["optimal"] > 0 else 3


def _usage(fn, *a, **kw):
    """Run an analysis command; a bad argument (ValueError with a plain message) is a usage error (exit 2)."""
    try:
        return fn(*a, **kw)
    except LandoptError:
        raise
    except ValueError as e:
        raise UsageError(str(e)) from None


def cmd_ranges(args: argparse.Namespace) -> int:
    """Near-optimal ranges: [min, optimum, max] of each quantity within a slack of the optimum."""
    from landopt.analysis.commands import run_ranges
    from landopt.cli.workbooks import refuse_output_as_input

    refuse_output_as_input(Path(args.input))
    check_writable(args.out or "outputs", folder=not args.out)  # before any work
    path = _usage(run_ranges, args.input, args.slack, args.out, args.scenario)
    print(f"近优区间工作簿已写入 near-optimal ranges written to {path}")
    return 0


def cmd_alternatives(args: argparse.Namespace) -> int:
    """K maximally different near-optimal plans (Hop-Skip-Jump MGA)."""
    from landopt.analysis.commands import run_alternatives
    from landopt.cli.workbooks import refuse_output_as_input

    refuse_output_as_input(Path(args.input))
    check_writable(args.out or "outputs", folder=True)  # before any work
    for path in _usage(run_alternatives, args.input, args.n, args.slack, args.out, args.scenario):
        print(path)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Hand the plan to a spatial allocation model (PLUS/FLUS, CLUE-S) or GIS."""
    from landopt.cli.workbooks import EXPORT_TABLES, require_plan
    from landopt.export.commands import run_export

    require_plan(Path(args.plan), EXPORT_TABLES)  # a comparison or a damaged file: exit 2, one line, before any work
    check_writable(args.out or "outputs", folder=not (args.out and args.to == "gpkg"))
    for path in _usage(run_export, args.plan, args.to, args.out, args.boundaries):
        print(path)
    return 0
