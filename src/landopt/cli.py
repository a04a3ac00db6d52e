"""Command-line interface: ``landopt solve | validate | template | ...``.

Exit codes: 0 success; 1 unexpected error; 2 bad input (every problem listed);
3 no optimal plan (infeasible, unbounded, time limit or solver failure).
Progress goes to stderr; ``--json`` puts one JSON line on stdout.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Sequence

from landopt import __version__

log = logging.getLogger("landopt.cli")

EXIT_OK, EXIT_ERROR, EXIT_INPUT, EXIT_NO_PLAN = 0, 1, 2, 3


def _setup_logging(verbose: int, quiet: bool) -> None:
    """Progress lines from the CLI at INFO; library modules' own INFO lines with -v; DEBUG with -vv."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(message)s", "%H:%M:%S"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    lib = logging.getLogger("landopt")
    lib.setLevel(logging.WARNING if quiet else logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    log.setLevel(logging.WARNING if quiet else logging.DEBUG if verbose > 1 else logging.INFO)


def default_output(input_path: Path, suffix: str, scenario: str | None = None) -> Path:
    stem = input_path.stem if input_path.suffix else input_path.name
    if scenario:
        stem = f"{stem}_{scenario}"
    return Path("outputs") / f"{stem}_{suffix}.xlsx"


def cmd_solve(args: argparse.Namespace) -> int:
    from landopt.api import read, write_plan
    from landopt.model.build import build
    from landopt.results import extract
    from landopt.solve import solve

    t0 = time.perf_counter()
    inp = Path(args.input)
    out_path = Path(args.out) if args.out else default_output(inp, "plan", args.scenario)
    log.info("reading and validating %s%s", inp, f" (scenario {args.scenario})" if args.scenario else "")
    spec = read(inp, scenario=args.scenario)
    log.info("building the model: %d regions × %d land uses × %d milestones", len(spec.regions), len(spec.land_uses), len(spec.years))
    lm = build(spec)
    log.info("built %s variables and %s constraints in %.2f s; solving with HiGHS", f"{lm.columns.n:,}", f"{lm.n_rows:,}", lm.build_seconds)
    out = solve(lm, threads=args.threads)
    result = extract(lm, out, scenario=args.scenario)
    summary = result.summary()
    if not result.optimal:
        log.error("no plan: %s", result.message)
        written = _diagnose_on_failure(spec, lm, out_path, args)
        summary["output"] = str(written) if written else None
        summary["message"] = result.message
        if args.json:
            print(json.dumps(summary, ensure_ascii=False))
        return EXIT_NO_PLAN
    log.info("optimal: net sink %s t CO2e/yr (%s)", f"{result.objective:,.0f}", ", ".join(
        f"{k} {v:,.0f}" for k, v in result.terms.items() if v))
    path = write_plan(result, out_path)
    log.info("wrote %s in %.1f s total", path, time.perf_counter() - t0)
    summary["output"] = str(path)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(f"optimal plan written to {path}: net sink {result.objective:,.0f} t CO2e/yr")
    return EXIT_OK


def _diagnose_on_failure(spec, lm, out_path: Path, args: argparse.Namespace) -> Path | None:
    """On infeasibility, run the diagnosis on the model already built and write it instead of a plan."""
    from landopt.diagnose import diagnose, write_diagnosis

    diag = diagnose(spec, lm)
    if diag is None:
        return None
    path = out_path.with_name(out_path.stem.replace("_plan", "") + "_diagnosis.xlsx")
    for line in diag.lines():
        log.error("  %s", line)
    written = write_diagnosis(diag, path)
    log.error("diagnosis written to %s (no plan written)", written)
    return written


def cmd_validate(args: argparse.Namespace) -> int:
    from landopt.reader import read_workbook
    from landopt.validate import check

    raw = read_workbook(args.input)
    spec, problems = check(raw)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {args.input}:")
        for p in problems:
            print(f"  - {p}")
        return EXIT_INPUT
    assert spec is not None
    print(f"{args.input}: OK — {len(spec.regions)} regions, {len(spec.land_uses)} land uses, "
          f"milestones {', '.join(map(str, spec.years))} (baseline {spec.baseline_year})")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from landopt.template import build_from_csv, write_template

    path = Path(args.path)
    if path.exists() and not args.force:
        print(f"{path} exists; not overwriting it (use --force to replace it)", file=sys.stderr)
        return EXIT_INPUT
    if args.from_csv:
        build_from_csv(Path(args.from_csv), path)
    else:
        write_template(path)
    print(f"wrote {path}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="landopt", description="Land-allocation optimizer: maximise the net carbon sink of a territorial spatial plan.")
    p.add_argument("--version", action="version", version=f"landopt {__version__}")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more progress detail (-vv for solver internals)")
    p.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("solve", help="solve a workbook and write the plan workbook")
    s.add_argument("input", help="input workbook (.xlsx) or folder of CSV/Parquet tables")
    s.add_argument("-o", "--out", help="output workbook (default outputs/<input>_plan.xlsx)")
    s.add_argument("--scenario", help="scenario name from the workbook's scenarios sheet")
    s.add_argument("--json", action="store_true", help="print a one-line JSON summary on stdout")
    s.add_argument("--threads", type=int, default=None, help="HiGHS threads (default: HiGHS's choice)")
    s.set_defaults(func=cmd_solve)

    v = sub.add_parser("validate", help="check a workbook and list every problem (exit 0 clean, 2 not)")
    v.add_argument("input")
    v.set_defaults(func=cmd_validate)

    t = sub.add_parser("template", help="write an empty, annotated input workbook")
    t.add_argument("path")
    t.add_argument("--from-csv", metavar="FOLDER", help="fill it from a folder of <sheet>.csv files")
    t.add_argument("--force", action="store_true", help="replace an existing file")
    t.set_defaults(func=cmd_template)

    _add_workflow_commands(sub)
    for sp in sub.choices.values():  # -v/-q also after the sub-command (`landopt solve X -q`)
        sp.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS, help="more progress detail")
        sp.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="only warnings and errors")
    return p


def _add_workflow_commands(sub) -> None:
    """Analyst-workflow and scale commands (compare, diagnose, pareto, sweep)."""
    from landopt import workflow_cli

    workflow_cli.register(sub)


def main(argv: Sequence[str] | None = None) -> int:
    from landopt.model.build import ModelError
    from landopt.scenarios import ScenarioError
    from landopt.validate import InputError

    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_logging(args.verbose, args.quiet)
    try:
        return int(args.func(args))
    except (InputError, ScenarioError) as e:
        print(str(e), file=sys.stderr)
        return EXIT_INPUT
    except ModelError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_INPUT
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
