"""The ``landopt sweep`` command: arguments, exit codes, and stopping cleanly on Ctrl-C and SIGTERM."""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from landopt.scenarios import ScenarioError
from landopt.sweep.checkpoint import checkpoint_path
from landopt.sweep.run import run_sweep
from landopt.sweep.sampling import METHODS
from landopt.validate import InputError

EXIT_OK, EXIT_INPUT, EXIT_NO_PLAN, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 2, 3, 130, 143


class Terminated(Exception):
    """The process received SIGTERM (raised in the main thread so that the sweep shuts its workers down)."""


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


def register(subparsers: Any) -> argparse.ArgumentParser:
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
    p.add_argument("--cold", action="store_true",
                   help="solve every run from scratch (default: a worker re-solves warm when only numbers changed)")
    p.add_argument("--parquet", action="store_true", help="also write the long tables as Parquet (automatic above 2,000 runs)")
    p.add_argument("--no-progress", action="store_true", help="no progress line on stderr")
    p.add_argument("--json", action="store_true", help="print a one-line JSON summary on stdout")
    p.add_argument("-o", "--out", help="output workbook (default outputs/<input>_sweep.xlsx)")
    p.set_defaults(func=cmd_sweep)
    return p


def cmd_sweep(args: argparse.Namespace) -> int:
    inp = Path(args.input)
    stem = inp.stem if inp.suffix else inp.name
    out = Path(args.out) if args.out else Path("outputs") / f"{stem}_sweep.xlsx"
    try:
        with sigterm_raises():
            res = run_sweep(inp, args.samples, seed=args.seed, method=args.method, scenarios=args.scenarios,
                            workers=args.workers, scheduler=args.scheduler, resume=args.resume, out=out,
                            progress=not args.no_progress and not getattr(args, "quiet", False),
                            ranges=args.ranges, parquet=True if args.parquet else None, warm=not args.cold)
    except (InputError, ScenarioError) as e:
        print(str(e), file=sys.stderr)
        return EXIT_INPUT
    except (FileNotFoundError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print(f"interrupted; finished runs are kept in {checkpoint_path(out)} — run again with --resume to continue",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print(f"terminated (SIGTERM); the workers were stopped and finished runs are kept in {checkpoint_path(out)} — "
              "run again with --resume to continue", file=sys.stderr)
        return EXIT_TERMINATED
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
