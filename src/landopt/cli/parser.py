"""The argument parser of ``landopt``: every command, its options and their checks."""

from __future__ import annotations

import argparse

from landopt import __version__

BACKENDS = ("auto", "pyomo", "highs")
METHODS = ("lhs", "mc")  # landopt.sweep.METHODS (not imported here: the sweep module is heavy to load)


#: the largest values the counting options take: beyond them a run would hang (HiGHS with 100,000 threads),
#: run out of memory (10⁹ samples) or run for days, and is a typing slip rather than a plan
MAX_THREADS, MAX_SAMPLES, MAX_POINTS, MAX_WORKERS = 256, 1_000_000, 1_000, 256


def points(text: str) -> int:
    """``--points``: a whole number from 2 (a curve needs two ends) to :data:`MAX_POINTS`."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数 expected a whole number ≥ 2, got '{text}'") from None
    if n < 2:
        raise argparse.ArgumentTypeError(f"权衡曲线至少需要 2 个点 expected a whole number ≥ 2 (a trade-off curve needs "
                                         f"two ends), got {n}")
    if n > MAX_POINTS:
        raise argparse.ArgumentTypeError(f"最多 {MAX_POINTS:,} 个点 expected at most {MAX_POINTS:,} points, got {n:,}")
    return n


def scenario_names(given: list[str] | None) -> list[str] | None:
    """The names given to ``--scenarios``, as ``a b`` or ``a,b`` (compare and sweep take both); None when not given."""
    if given is None:
        return None
    return [n.strip() for g in given for n in g.split(",") if n.strip()]


def count(minimum: int, maximum: int | None = None) -> "type[int] | object":
    """A whole-number option from ``minimum`` (to ``maximum``, where given)."""
    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"应为整数 expected a whole number ≥ {minimum}, got '{text}'") from None
        if n < minimum or (maximum is not None and n > maximum):
            span = f"≥ {minimum}" if maximum is None else f"from {minimum} to {maximum:,}"
            span_zh = f"不小于 {minimum}" if maximum is None else f"在 {minimum} 到 {maximum:,} 之间"
            raise argparse.ArgumentTypeError(f"应为{span_zh}的整数 expected a whole number {span}, got {n:,}")
        return n
    return parse


def build_parser() -> argparse.ArgumentParser:
    from landopt.cli import commands, workflow

    p = argparse.ArgumentParser(prog="landopt", description="Land-allocation optimizer: maximise the net carbon "
                                "sink of a territorial spatial plan.",
                                epilog="exit codes: 0 ok · 1 internal error · 2 bad input or arguments · "
                                       "3 no optimal plan · 130 Ctrl-C · 143 SIGTERM")
    p.add_argument("--version", action="version", version=f"landopt {__version__}")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more progress detail (-vv for solver internals)")
    p.add_argument("-q", "--quiet", action="store_true", help="log only warnings and errors (no progress bars or information lines); the result summary is still printed")
    sub = p.add_subparsers(dest="command", required=True, help="the command to run (landopt COMMAND --help for its options)")

    s = sub.add_parser("solve", help="solve a workbook and write the plan workbook")
    s.add_argument("input", help="input workbook (.xlsx) or folder of CSV/Parquet tables")
    s.add_argument("-o", "--out", help="output workbook (default outputs/<input>_plan.xlsx)")
    s.add_argument("--scenario", help="scenario name from the workbook's scenarios sheet")
    s.add_argument("--json", action="store_true", help="print a one-line JSON summary on stdout")
    s.add_argument("--threads", type=count(1, MAX_THREADS), default=None, help="HiGHS threads (default: HiGHS's choice)")
    s.add_argument("--backend", choices=BACKENDS, default="auto",
                   help="model backend: pyomo, highs (direct array API) or auto (by model size; default)")
    s.add_argument("--lang", choices=("zh", "en", "both"), default="both",
                   help="language of the plan workbook: Chinese, English or both (Chinese first; default)")
    s.add_argument("--no-maps", action="store_true", help="do not draw the choropleth maps")
    s.add_argument("--pdf", action="store_true", help="also write the PDF brief beside the plan (<plan>.pdf)")
    s.set_defaults(func=commands.cmd_solve)

    rp = sub.add_parser("report", help="write the PDF brief of a plan workbook (page one, binding measures, responses, charts, maps)")
    rp.add_argument("plan", help="plan workbook written by landopt solve")
    rp.add_argument("-o", "--out", help="PDF to write (default: the plan's name with .pdf)")
    rp.add_argument("--lang", choices=("zh", "en", "both"), default="both", help="language of the brief's own words and amounts (default both, Chinese first); text read from a plan workbook stays as the workbook wrote it: write the plan with solve --lang zh for a Chinese-only brief")
    rp.set_defaults(func=commands.cmd_report)

    v = sub.add_parser("validate", help="check a workbook and list every problem and warning (exit 0 clean, 2 not)")
    v.add_argument("input", help="input workbook (.xlsx) or folder of CSV/Parquet tables")
    v.add_argument("--scenario", help="validate the workbook with this scenario applied")
    v.set_defaults(func=commands.cmd_validate)

    t = sub.add_parser("template", help="write an empty, annotated input workbook")
    t.add_argument("path", help="workbook to write (.xlsx)")
    t.add_argument("--from-csv", metavar="FOLDER", help="fill it from a folder of <sheet>.csv files")
    t.add_argument("--standard-classes", action="store_true",
                   help="pre-fill the first-level classes of the third national land survey (三调) with their codes "
                        "and a default transition matrix")
    t.add_argument("--from-wide", metavar="FILE", help="fill regions and baseline from a wide region × land-use "
                   "table as statistical yearbooks print it (.csv or .xlsx; first column the region)")
    t.add_argument("--force", action="store_true",
                   help="replace an existing file (a copy of it is kept beside it as <name>.replaced-<date-time>.xlsx)")
    t.set_defaults(func=commands.cmd_template)

    c = sub.add_parser("compare", help="solve the base and all (or named) scenarios and compare them side by side")
    c.add_argument("input", help="input workbook (.xlsx) or folder of CSV/Parquet tables")
    c.add_argument("--scenarios", nargs="+", metavar="NAME",
                   help="scenario names, space- or comma-separated (default: all on the scenarios sheet)")
    c.add_argument("--reference", default="base", help="scenario the differences are taken against (default: base)")
    c.add_argument("-o", "--out", help="comparison workbook (default outputs/<input>_compare.xlsx)")
    c.add_argument("--no-progress", action="store_true", help="no progress bar")
    c.add_argument("--cold", action="store_true", help="solve every scenario from scratch (default: warm re-solves)")
    c.set_defaults(func=workflow.cmd_compare)

    d = sub.add_parser("diagnose", help="explain an infeasible model: conflicting requirements and the smallest relaxation")
    d.add_argument("input", help="input workbook (.xlsx) or folder of CSV/Parquet tables")
    d.add_argument("--scenario", help="scenario name from the workbook's scenarios sheet (default: the workbook as is)")
    d.add_argument("-o", "--out", help="diagnosis workbook (default outputs/<input>_diagnosis.xlsx; with --scenario "
                                       "outputs/<input>_<scenario>_diagnosis.xlsx)")
    d.set_defaults(func=workflow.cmd_diagnose)

    pa = sub.add_parser("pareto", help="trade-off curve between the net sink and a second objective")
    pa.add_argument("input", help="input workbook (.xlsx) or folder of CSV/Parquet tables")
    pa.add_argument("--against", required=True, choices=["economic_output", "food", "livestock", "cost"],
                    help="second objective (cost: the public cost of the plan's measures, minimised)")
    pa.add_argument("--points", type=points, default=7, help="points on the curve (≥ 2; default 7)")
    pa.add_argument("--scenario", help="scenario name from the workbook's scenarios sheet (default: the workbook as is)")
    pa.add_argument("-o", "--out", help="trade-off workbook (default outputs/<input>_pareto_<against>.xlsx)")
    pa.set_defaults(func=workflow.cmd_pareto)

    w = sub.add_parser(
        "sweep", help="Monte Carlo / Latin-hypercube sampling of uncertain parameters and scenario grids",
        description="Solve the plan for every scenario × sample of the uncertain parameters (sheet 'uncertainty' "
                    "or --ranges) and write the distribution of the net sink. See docs/sweep.md.")
    w.add_argument("input", help="input workbook (.xlsx) or folder of CSV/Parquet tables")
    w.add_argument("--samples", type=count(0, MAX_SAMPLES), default=0, metavar="N", help="samples per scenario (0 = base runs only)")
    w.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    w.add_argument("--method", choices=METHODS, default="lhs", help="lhs = Latin hypercube (default), mc = Monte Carlo")
    w.add_argument("--scenarios", nargs="+", default=None, metavar="NAME",
                   help="scenarios to cross with the samples, space- or comma-separated ('base' = the workbook as is)")
    w.add_argument("--ranges", metavar="FILE.csv", help="uncertain parameters from this CSV instead of the 'uncertainty' sheet")
    w.add_argument("--workers", type=count(1, MAX_WORKERS), default=None, metavar="K", help="local worker processes (default: CPU count)")
    w.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT", help="run on this Dask distributed cluster")
    w.add_argument("--resume", action="store_true", help="continue an interrupted sweep from its checkpoint")
    w.add_argument("--parquet", action="store_true", help="also write the long tables as Parquet (automatic above 2,000 runs)")
    w.add_argument("--no-progress", action="store_true", help="no progress line on stderr")
    w.add_argument("--cold", action="store_true", help="solve every run from scratch (default: warm re-solves per worker)")
    w.add_argument("--json", action="store_true", help="print a one-line JSON summary on stdout")
    w.add_argument("-o", "--out", help="output workbook (default outputs/<input>_sweep.xlsx)")
    w.set_defaults(func=workflow.cmd_sweep)

    r = sub.add_parser("ranges", help="min / optimum / max of each quantity within a slack of the optimum (what is fixed, what is free)")
    r.add_argument("input", help="input workbook (.xlsx) or folder of CSV/Parquet tables")
    r.add_argument("--slack", default="1%", help="how far below the optimum the net removals may fall (default 1%%)")
    r.add_argument("-o", "--out", help="output workbook (default outputs/<input>_ranges.xlsx)")
    r.add_argument("--scenario", help="scenario name from the workbook's scenarios sheet")
    r.set_defaults(func=workflow.cmd_ranges)

    al = sub.add_parser("alternatives", help="K maximally different near-optimal plans (Hop-Skip-Jump MGA)")
    al.add_argument("input", help="input workbook (.xlsx) or folder of CSV/Parquet tables")
    al.add_argument("--n", type=count(1), default=5, help="number of alternative plans (default 5)")
    al.add_argument("--slack", default="1%", help="how far below the optimum each plan may be (default 1%%)")
    al.add_argument("-o", "--out", help="output folder (default outputs/<input>_alternatives)")
    al.add_argument("--scenario", help="scenario name from the workbook's scenarios sheet")
    al.set_defaults(func=workflow.cmd_alternatives)

    ex = sub.add_parser("export", help="hand the plan to PLUS/FLUS, CLUE-S, CSV or GIS (GeoPackage)")
    ex.add_argument("plan", help="plan workbook written by landopt solve")
    ex.add_argument("--to", required=True, choices=["plus", "clue", "csv", "gpkg"], help="target format")
    ex.add_argument("-o", "--out", help="output folder or file (default outputs/<plan>_<format>)")
    ex.add_argument("--boundaries", help="boundary GeoJSON with a region (or name) property, for --to gpkg")
    ex.set_defaults(func=workflow.cmd_export)

    for sp in sub.choices.values():  # -v/-q also after the sub-command (`landopt solve X -q`)
        sp.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS, help="more progress detail")
        sp.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="log only warnings and errors (no progress bars or information lines); the result summary is still printed")
    return p
