"""One function per command (``landopt ranges``, ``landopt alternatives``), argparse-friendly.

Each returns the path(s) written and raises landopt's errors: :class:`landopt.InputError` for a bad workbook,
ValueError with a plain message for a bad argument, :class:`~landopt.analysis.nearopt.NoOptimumError` when the
plan has no optimum to explore (the CLI's exit 3).
"""

from __future__ import annotations

import logging
from pathlib import Path

from landopt.analysis.nearopt import parse_slack

log = logging.getLogger(__name__)


def _stem(input: str | Path, scenario: str | None) -> str:
    p = Path(input)
    stem = p.stem if p.suffix else p.name
    return f"{stem}_{scenario}" if scenario else stem


def _not_the_input(out: Path, input: str | Path) -> None:
    src = Path(input)
    if out.resolve() == src.resolve() or (src.is_dir() and src.resolve() in out.resolve().parents):
        raise ValueError(f"输出 {out} 会覆盖输入 {src}，请用 -o 另选路径 the output {out} would overwrite the input {src}; "
                         "choose another path with -o")


def run_ranges(input: str | Path, slack_pct: float | str = 1.0, out: str | Path | None = None,
               scenario: str | None = None) -> Path:
    """``landopt ranges INPUT [--slack 1%] [-o OUT.xlsx]``: the near-optimal ranges workbook; returns its path
    (default ``outputs/<input>_ranges.xlsx``)."""
    from landopt import api
    from landopt.analysis.workbook import write_ranges

    slack = parse_slack(slack_pct)
    path = Path(out) if out else Path("outputs") / f"{_stem(input, scenario)}_ranges.xlsx"
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"-o must name an .xlsx workbook, not {str(path)!r}")
    _not_the_input(path, input)
    spec = api.read(input, scenario=scenario)
    r = api.near_optimal_ranges(spec, slack)
    t = r.timing
    log.info("ranges: %d quantities (%d fixed) in %.3f s, %.1f× one solve", len(r.table), int(r.table["fixed"].sum()),
             t["batch_seconds"], t["ratio_to_single_solve"])
    return write_ranges(r, path)


def run_alternatives(input: str | Path, n: int = 5, slack_pct: float | str = 1.0, out_dir: str | Path | None = None,
                     scenario: str | None = None) -> list[Path]:
    """``landopt alternatives INPUT --n K --slack 1% [-o FOLDER]``: writes ``optimum.xlsx``,
    ``alternative_1.xlsx`` … (plan workbooks), ``alternatives_summary.xlsx`` and ``comparison.xlsx`` (the compare
    workbook with every plan side by side) into FOLDER (default ``outputs/<input>_alternatives``); returns them."""
    from landopt import api
    from landopt.analysis.workbook import write_alternatives_summary
    from landopt.compare import Comparison, ScenarioRun
    from landopt.report.compare import write_comparison

    slack = parse_slack(slack_pct)
    try:
        k = int(n)
    except (TypeError, ValueError):
        raise ValueError(f"--n 应为方案个数（整数） --n must be a whole number of plans, not {n!r}") from None
    if k < 1 or k != float(n) or k > 100:
        raise ValueError(f"--n 应为 1 到 100 之间的整数 --n must be a whole number from 1 to 100, not {n!r}")
    folder = Path(out_dir) if out_dir else Path("outputs") / f"{_stem(input, scenario)}_alternatives"
    if folder.suffix.lower() in (".xlsx", ".csv"):
        raise ValueError(f"-o must name a folder for the plan workbooks, not a file ({folder})")
    _not_the_input(folder / "optimum.xlsx", input)
    spec = api.read(input, scenario=scenario)
    alts = api.alternative_plans(spec, k, slack)
    files: dict[str, Path] = {"optimum": api.write_plan(alts.optimum, folder / "optimum.xlsx")}
    for p in alts.plans:
        files[p.name] = api.write_plan(p.result, folder / f"{p.name}.xlsx")
    summary = write_alternatives_summary(alts, files, folder / "alternatives_summary.xlsx")
    runs = [ScenarioRun("optimum", alts.optimum.status, alts.optimum.message, alts.optimum,
                        description="最优方案 The optimal plan.")]
    runs += [ScenarioRun(p.name, p.result.status, p.result.message, p.result, description=p.description())
             for p in alts.plans]
    cmp = Comparison(runs=runs, reference="optimum", input_path=Path(input), input_sha256=spec.input_sha256)
    comparison = write_comparison(cmp, folder / "comparison.xlsx")
    return [*files.values(), summary, comparison]
