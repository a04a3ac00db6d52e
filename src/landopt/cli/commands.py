"""The core commands: solve, validate, template.  Stages are chained only through :mod:`landopt.api`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from landopt.errors import UsageError, problems_head, zh_list
from landopt.safety import DEFAULT_OUTPUT_DIR, back_up_before_replacing, check_outputs, warn_if_replacing

if TYPE_CHECKING:  # pragma: no cover
    from landopt.report.map_painter import MapPainter
    from landopt.results import PlanResult

log = logging.getLogger("landopt.cli")


def default_output(input_path: Path, suffix: str, scenario: str | None = None) -> Path:
    stem = input_path.stem if input_path.suffix else input_path.name
    if scenario:
        stem = f"{stem}_{scenario}"
    return Path(DEFAULT_OUTPUT_DIR) / f"{stem}_{suffix}.xlsx"


def diagnosis_path(out_path: Path) -> Path:
    """Where ``solve`` writes the diagnosis of an infeasible model instead of ``out_path``."""
    return out_path.with_name(out_path.stem.replace("_plan", "") + "_diagnosis.xlsx")


def inputs_of(path: Path) -> list[Path]:
    """Every file a command reads for ``path``: the workbook (or folder) and its scenarios YAML file."""
    from landopt.scenarios import yaml_path

    found = [path]
    y = yaml_path(path)
    if y.exists():
        found.append(y)
    return found


def require_input(path: Path) -> Path:
    if not path.exists():
        raise UsageError(f"找不到输入文件或文件夹 input not found: {path}")
    return path


def require_model_input(path: Path) -> Path:
    """An input workbook or folder that exists and is not a workbook landopt wrote (a plan given as input)."""
    from landopt.cli.workbooks import refuse_output_as_input

    refuse_output_as_input(require_input(path))
    return path


def cmd_solve(args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    inp = require_model_input(Path(args.input))
    out_path = Path(args.out) if args.out else default_output(inp, "plan", args.scenario)
    check_outputs([out_path], inputs_of(inp))  # before any work
    # the diagnosis workbook an infeasible plan writes beside it: named as such, not as the -o the user typed
    check_outputs([diagnosis_path(out_path)], inputs_of(inp), option="-o 对应的诊断工作簿 the diagnosis workbook of -o:")
    if args.pdf:
        check_outputs([out_path.with_suffix(".pdf")], inputs_of(inp), suffixes=(".pdf",), option="--pdf")
    painter = None
    if not args.no_maps:  # forked now, while this process is small: it draws the maps while we solve and write
        from landopt.report.map_painter import MapPainter

        painter = MapPainter.start()
    try:
        return _solve(args, inp, out_path, painter, t0)
    finally:
        if painter is not None:
            painter.close()


def _solve(args: argparse.Namespace, inp: Path, out_path: Path, painter: "MapPainter | None", t0: float) -> int:
    from landopt.api import optimize, read, write_plan
    from landopt.backends.outcome import INFEASIBLE
    from landopt.report.plan import preload_maps, start_maps

    log.info("reading and validating %s%s", inp, f" (scenario {args.scenario})" if args.scenario else "")
    spec = read(inp, scenario=args.scenario)
    if painter is not None:  # the painter reads the boundaries while the plan is built and solved
        preload_maps(spec, out_path, painter)
    for w in spec.settings.get("warnings", ()):
        log.warning("%s", w.bilingual())  # the validation's warnings: Problems
    log.info("solving: %d regions × %d land uses × %d milestones (backend %s)", len(spec.regions),
             len(spec.land_uses), len(spec.years), args.backend)
    # the maps are drawn while the other result tables are made and written
    result = optimize(spec, threads=args.threads, backend=args.backend,
                      on_plan=None if painter is None else lambda plan: start_maps(plan, out_path, args.lang, painter))
    summary = result.summary()
    if not result.optimal:
        # infeasible: the diagnosis runs here and now, so the outcome's advice to run `landopt diagnose` is left out
        log.error("no plan: %s", f"{INFEASIBLE[0]}诊断如下。 {INFEASIBLE[1]} The diagnosis follows."
                  if result.status == "infeasible" else result.message)
        written = _diagnose_on_failure(spec, out_path)
        summary["output"] = str(written) if written else None
        summary["message"] = result.message
        if args.json:
            print(json.dumps(summary, ensure_ascii=False))
        return 3
    log.info("optimal: %s (terms, %s: %s)", result.headline(), result.metadata.get("objective_unit"), ", ".join(
        f"{k} {v:,.0f}" for k, v in result.terms.items() if v))
    warn_if_replacing(out_path)
    path = write_plan(result, out_path, lang=args.lang, maps=painter if painter is not None else not args.no_maps)
    pdf = None
    if args.pdf:
        from landopt.api import write_brief

        warn_if_replacing(path.with_suffix(".pdf"))  # its name follows the plan's -o
        pdf = write_brief(result, path.with_suffix(".pdf"), lang=args.lang)
    log.info("wrote %s in %.1f s total", path, time.perf_counter() - t0)
    summary["output"] = str(path)
    if pdf is not None:
        summary["pdf"] = str(pdf)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(success_lines(result, path, pdf, args.lang))
    return 0


def success_lines(result: "PlanResult", path: Path, pdf: Path | None, lang: str = "both") -> str:
    """What ``landopt solve`` prints on success: where the plan (and the PDF brief) went and the headline figures,
    Chinese first (``--lang`` zh / en / both)."""
    from landopt.report.brief import headline
    from landopt.report.i18n import UNITS, tr

    lines = [tr(("最优规划方案已写入", "optimal plan written to"), lang) + f" {path}"]
    if lang != "en":
        rows = headline(result)
        order = {"cumulative_t_co2e": 0, "annual_target_t_co2e_per_yr": 1, "additional_t_co2e": 2, "objective": 3}
        rows = rows[rows["key"].isin(list(order))].sort_values("key", key=lambda k: k.map(order))
        lines.append("  " + "；".join(f"{r.zh} {r.t:,.0f} {UNITS.get(r.unit, (r.unit,))[0]}" for r in rows.itertuples()))
    if lang != "zh":
        lines.append(f"  {result.headline()}")
    if pdf is not None:
        lines.append(tr(("PDF 简报已写入", "PDF brief written to"), lang) + f" {pdf}")
    return "\n".join(lines)


def cmd_report(args: argparse.Namespace) -> int:
    """The PDF brief of a plan workbook (page one, maps, key charts)."""
    from landopt.api import write_brief

    from landopt.cli.workbooks import REPORT_TABLES, require_plan

    plan = require_plan(Path(args.plan), REPORT_TABLES)  # a comparison or a damaged file: exit 2, before any work
    out = Path(args.out) if args.out else plan.with_suffix(".pdf")
    if out.suffix.lower() != ".pdf":
        raise UsageError(f"-o {out}: 简报为 PDF，文件名应以 .pdf 结尾 the brief is a PDF; give a name ending in .pdf")
    check_outputs([out], [plan], suffixes=(".pdf",))
    warn_if_replacing(out)
    try:
        path = write_brief(plan, out, lang=args.lang)
    except (zipfile.BadZipFile, zlib.error) as e:  # a part of the plan's zip is damaged (its tables were readable)
        raise UsageError(f"{plan}: 规划方案工作簿已损坏，无法读取，请用 `landopt solve` 重新生成 the plan workbook is damaged and cannot be read ({e}); write it "
                         "again with `landopt solve`") from None
    from landopt.report.i18n import tr

    print(tr(("PDF 简报已写入", "PDF brief written to"), args.lang) + f" {path}")
    return 0


def _diagnose_on_failure(spec, out_path: Path) -> Path | None:
    """On infeasibility, run the diagnosis and write it instead of a plan."""
    from landopt.diagnose import diagnose, write_diagnosis

    diag = diagnose(spec)
    if diag is None:
        return None
    for line in diag.lines():
        log.error("  %s", line)
    warn_if_replacing(diagnosis_path(out_path))
    written = write_diagnosis(diag, diagnosis_path(out_path))
    log.error("诊断结果已写入 %s（未生成规划方案） diagnosis written to %s (no plan written)", written, written)
    return written


def cmd_validate(args: argparse.Namespace) -> int:
    """Every problem at once: the model sheets (with ``--scenario`` applied), every scenario applied as ``solve
    --scenario`` applies it, and the uncertainty sheet as ``sweep`` reads it."""
    from landopt.cli.checks import scenario_problems, uncertainty_problems
    from landopt.reader import read_workbook
    from landopt.validate import check_all

    inp = require_model_input(Path(args.input))
    raw = read_workbook(inp)
    main = raw
    if getattr(args, "scenario", None):
        from landopt.scenarios import apply_scenario

        main = apply_scenario(raw, args.scenario)
    spec, found, warned = check_all(main)
    problems, warnings = [p.bilingual() for p in found], [w.bilingual() for w in warned]
    more, more_warnings, n_scenarios = scenario_problems(raw, problems, warnings, skip=getattr(args, "scenario", None))
    unc, n_params = uncertainty_problems(raw, spec.accounting if spec is not None else None)
    problems += more + unc
    warnings += more_warnings
    if problems:
        print(f"{problems_head(len(problems))} in {args.input}:")
        for p in problems:
            print(f"  - {p}")
    if warnings:
        print(f"{problems_head(len(warnings), 'warning')}（请核对这些数值，不影响运行） (check these values; they do not stop a run):")
        for p in warnings:
            print(f"  - {p}")
    if problems:
        return 2
    assert spec is not None
    checked = [_count(n_scenarios, "scenario")] if n_scenarios else []
    checked += [_count(n_params, "uncertain parameter")] if n_params else []
    checked_zh = ([f"{n_scenarios} 个情景"] if n_scenarios else []) + ([f"{n_params} 个不确定参数"] if n_params else [])
    years = ", ".join(map(str, spec.years))
    print(f"{args.input}: 检查通过：{len(spec.regions)} 个区域、{len(spec.land_uses)} 个地类，规划年份 "
          f"{zh_list(spec.years)}（基期年 {spec.baseline_year}）" + (f"；已检查 {'和 '.join(checked_zh)}" if checked_zh else "")
          + f" OK — {_count(len(spec.regions), 'region')}, {_count(len(spec.land_uses), 'land use')}, "
          f"milestones {years} (baseline {spec.baseline_year})"
          + (f"; {' and '.join(checked)} checked" if checked else ""))
    return 0


def _count(n: int, noun: str) -> str:
    """'1 region', '7 regions'."""
    return f"{n} {noun}{'s' if n != 1 else ''}"


def cmd_template(args: argparse.Namespace) -> int:
    from landopt import template

    path = Path(args.path)
    sources = [Path(p) for p in (args.from_csv, args.from_wide) if p]
    for s in sources:
        require_input(s)
    check_outputs([path], sources, option="template")
    if path.exists() and not args.force:
        print(f"文件已存在，未覆盖（如需替换，请加 --force） {path} exists; not overwriting it (use --force to replace it)",
              file=sys.stderr)
        return 2
    if args.from_csv and args.from_wide:
        raise UsageError("--from-csv 与 --from-wide 填写的是相同的工作表，请只使用其中之一 "
                         "--from-csv and --from-wide fill the same sheets; give one of them")
    back_up_before_replacing(path)  # --force: the file replaced may be a filled workbook; nothing is lost
    if args.from_csv:
        template.build_from_csv(Path(args.from_csv), path)
    else:
        from landopt.onboarding import read_wide, standard_tables

        tables = standard_tables() if args.standard_classes or args.from_wide else None
        if args.from_wide:
            tables = {**(tables or {}), **read_wide(Path(args.from_wide))}
        template.write_template(path, tables)
    print(f"输入工作簿模板已写入 template written to {path}")
    return 0
