"""Analyst-workflow commands: compare, diagnose, pareto (and sweep, registered by its own module)."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

log = logging.getLogger("landopt.cli")


def cmd_compare(args: argparse.Namespace) -> int:
    from landopt.compare import compare
    from landopt.report.compare import write_comparison

    cmp = compare(args.input, scenarios=args.scenarios, reference=args.reference, progress=not args.no_progress)
    out = Path(args.out) if args.out else Path("outputs") / f"{Path(args.input).stem}_compare.xlsx"
    path = write_comparison(cmp, out)
    for run in cmp.runs:
        obj = run.result.objective if run.result is not None and run.result.optimal else None
        line = f"{run.name:<24} {run.status:<12} " + (f"net sink {obj:,.0f} t CO2e/yr" if obj is not None else run.message.splitlines()[0])
        print(line)
        for d in run.diagnosis:
            print(f"    {d}")
    print(f"comparison written to {path}")
    return 0 if any(r.status == "optimal" for r in cmp.runs) else 3


def cmd_diagnose(args: argparse.Namespace) -> int:
    from landopt.api import read
    from landopt.diagnose import diagnose, write_diagnosis

    spec = read(args.input, scenario=args.scenario)
    diag = diagnose(spec)
    if diag is None:
        print("The model is feasible: every requirement can be met at once (nothing to diagnose).")
        return 0
    for line in diag.lines():
        print(line)
    out = Path(args.out) if args.out else Path("outputs") / (
        f"{Path(args.input).stem}{'_' + args.scenario if args.scenario else ''}_diagnosis.xlsx")
    path = write_diagnosis(diag, out)
    print(f"diagnosis written to {path}")
    return 3


def cmd_pareto(args: argparse.Namespace) -> int:
    from landopt.api import read
    from landopt.pareto import pareto
    from landopt.report.compare import write_frontier

    spec = read(args.input, scenario=args.scenario)
    fr = pareto(spec, args.against, args.points)
    out = Path(args.out) if args.out else Path("outputs") / f"{Path(args.input).stem}_pareto_{args.against}.xlsx"
    path = write_frontier(fr, out)
    print(fr.points.to_string(index=False))
    print(f"trade-off curve written to {path}")
    return 0


def register(sub) -> None:
    c = sub.add_parser("compare", help="solve the base and all (or named) scenarios and compare them side by side")
    c.add_argument("input")
    c.add_argument("--scenarios", nargs="+", help="scenario names (default: all on the scenarios sheet)")
    c.add_argument("--reference", default="base", help="scenario the differences are taken against (default: base)")
    c.add_argument("-o", "--out", help="comparison workbook (default outputs/<input>_compare.xlsx)")
    c.add_argument("--no-progress", action="store_true", help="no progress bar")
    c.set_defaults(func=cmd_compare)

    d = sub.add_parser("diagnose", help="explain an infeasible model: conflicting requirements and the smallest relaxation")
    d.add_argument("input")
    d.add_argument("--scenario")
    d.add_argument("-o", "--out", help="diagnosis workbook (default outputs/<input>_diagnosis.xlsx)")
    d.set_defaults(func=cmd_diagnose)

    p = sub.add_parser("pareto", help="trade-off curve between the net sink and a second objective")
    p.add_argument("input")
    p.add_argument("--against", required=True, choices=["economic_output", "food", "livestock"])
    p.add_argument("--points", type=int, default=7)
    p.add_argument("--scenario")
    p.add_argument("-o", "--out")
    p.set_defaults(func=cmd_pareto)

    from landopt import sweep

    sweep.register(sub)
