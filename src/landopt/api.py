"""The Python API, and the one place where the stages are chained: read → build → solve → extract → write.

Every command (cli, compare, sweep, pareto), the tests and the benchmarks go through these functions.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from landopt.model.build import LandModel, build
from landopt.reader import RawWorkbook, read_workbook
from landopt.results import PlanResult, extract
from landopt.spec import ModelSpec
from landopt.validate import load_spec

if TYPE_CHECKING:  # pragma: no cover
    import pyomo.environ as pyo

    from landopt.backends.outcome import SolveOutcome
    from landopt.scenarios import Override
    from landopt.sweep.warm import WarmModel
    from landopt.analysis.alternatives import Alternatives
    from landopt.report.map_painter import MapPainter
    from landopt.analysis.ranges import Ranges

log = logging.getLogger(__name__)


def read(path: str | Path, scenario: str | None = None) -> ModelSpec:
    """Read and validate an input workbook (or folder of CSV/Parquet tables), optionally applying a scenario.

    Raises :class:`landopt.InputError` listing every problem found.
    """
    return spec_from_raw(read_workbook(path), scenario)


def spec_from_raw(raw: RawWorkbook, scenario: str | None = None) -> ModelSpec:
    """Validate raw tables already read (optionally with a scenario's overrides) into a :class:`ModelSpec`."""
    if scenario is not None:
        from landopt.scenarios import apply_scenario

        raw = apply_scenario(raw, scenario)
    spec = load_spec(raw)
    if scenario is not None:
        spec = replace(spec, scenario=scenario, overrides=raw.overrides)
    return spec


def spec_with_overrides(raw: RawWorkbook, overrides: "list[tuple[str, Override]]") -> ModelSpec:
    """Validate raw tables after applying ``overrides`` ((label, override) pairs: a scenario's, a sample's)."""
    from landopt.scenarios import apply_overrides

    return load_spec(apply_overrides(raw, overrides) if overrides else raw)


def build_and_solve(spec: ModelSpec, threads: int | None = None, backend: str = "auto",
                    warm: "WarmModel | None" = None) -> "tuple[LandModel, SolveOutcome]":
    """Build and solve without extracting the plan tables (batches: sweep, compare).

    With ``warm`` (a :class:`landopt.sweep.warm.WarmModel` kept by the caller), the model is re-solved in a kept
    HiGHS instance from the previous basis when only its numbers changed, and solved cold otherwise.
    """
    from landopt.backends import solve
    from landopt.backends.least_change import least_change

    lm = build(spec)
    if warm is None:
        return lm, solve(lm, backend=backend, threads=threads, keep_highs=False)
    return lm, least_change(lm, warm.solve(lm), threads=threads)


def optimize_run(spec: ModelSpec, scenario: str | None = None, warm: "WarmModel | None" = None,
                 threads: int | None = None, with_ranging: bool = False,
                 relax: bool = True) -> "tuple[LandModel, PlanResult]":
    """:func:`optimize` for one run of a batch (``compare``): the built model too, and warm re-solves with ``warm``;
    ``relax``: the binding requirements' 1 % gains re-solved (:mod:`landopt.analysis.relax`), which rank them."""
    lm, out = build_and_solve(spec, threads=threads, warm=warm)
    return lm, extract(lm, out, scenario=scenario, with_ranging=with_ranging, relax=relax)


def optimize(spec: ModelSpec, threads: int | None = None, backend: str = "auto", with_ranging: bool = True,
             on_plan: "Callable[[PlanResult], None] | None" = None) -> PlanResult:
    """Build the model for ``spec``, solve it and return the result (whatever the status).

    ``backend``: ``pyomo`` (a standard Pyomo model solved with HiGHS), ``highs`` (the arrays straight to HiGHS)
    or ``auto`` (Pyomo up to :data:`landopt.backends.PYOMO_MAX_COLUMNS` variables); both give the same plan.
    ``on_plan``: called with the plan's tables before the sensitivity analysis (see :func:`landopt.results.extract`).
    """
    from landopt.backends import solve

    lm = build(spec)
    out = solve(lm, backend=backend, threads=threads)
    return extract(lm, out, with_ranging=with_ranging, on_plan=on_plan)


def model(spec: ModelSpec) -> LandModel:
    """The built model (labelled arrays) for ``spec``."""
    return build(spec)


def to_pyomo(spec: ModelSpec | LandModel) -> "pyo.ConcreteModel":
    """A standard Pyomo ``ConcreteModel`` of the plan: variables ``m.area[region, land_use, year]``,
    ``m.flow[region, from, to, year]``, ``m.livestock/grazed/rested[region, year]``, one constraint per family
    block (``m.cropland_protection[region, year]`` …) and the objective ``m.net_sink``.

    Edit it with ordinary Pyomo (add a constraint, fix a variable) and pass it to :func:`solve_pyomo`; Pyomo's
    solver and writer plugins (``SolverFactory``, ``m.write('plan.lp')``) are loaded here, as ``import pyomo.environ``
    does (``landopt solve`` builds its Pyomo model with ``pyomo.core`` alone and does not load them).
    """
    import pyomo.environ  # noqa: F401 - registers the plugins for the user's model

    from landopt.backends.pyomo import to_pyomo as _to_pyomo

    return _to_pyomo(spec if isinstance(spec, LandModel) else build(spec))


def solve_pyomo(m: "pyo.ConcreteModel", threads: int | None = None, with_ranging: bool = True) -> PlanResult:
    """Solve a Pyomo model made by :func:`to_pyomo` (as edited) and return the plan, as :func:`optimize` does."""
    from landopt.backends.least_change import least_change
    from landopt.backends.pyomo import column_vars, landopt_model, solve_pyomo_model

    lm = landopt_model(m)
    out = least_change(lm, solve_pyomo_model(m, threads=threads), threads=threads)
    if out.tie_break == "least_change":  # the model's variables hold the plan reported
        for v, val in zip(column_vars(m, lm), out.x):
            v.set_value(float(val), skip_validation=True)
    return extract(lm, out, with_ranging=with_ranging)


def write_plan(result: PlanResult, path: str | Path, lang: str = "both", maps: "bool | MapPainter" = True) -> Path:
    """Write the plan workbook for ``result`` to ``path`` atomically; returns the path written.

    ``lang``: ``zh``, ``en`` or ``both`` (Chinese first, the default); ``maps``: embed choropleth maps when a
    boundary source is available — pass a :class:`landopt.report.map_painter.MapPainter` (started before the
    solve) to have them drawn in a second process while the other sheets are written.
    """
    from landopt.report.plan import write_plan_workbook

    return write_plan_workbook(result, Path(path), lang=lang, maps=maps)


def write_brief(plan: PlanResult | str | Path, pdf_path: str | Path, lang: str = "both") -> Path:
    """Write the PDF brief of a result or of a plan workbook (page one, binding measures, how the plan adjusts, key
    charts, maps: 5 pages on the shipped inputs)."""
    from landopt.report.pdf import write_brief as _write_brief

    return _write_brief(plan, pdf_path, lang=lang)


# --------------------------------------------------------------------------- beyond one optimum (issue #15)
def near_optimal_ranges(spec: ModelSpec, slack: float = 0.01, kinds: tuple[str, ...] | None = None,
                        threads: int | None = None) -> "Ranges":
    """[min, optimum, max] of every planner quantity with the net sink within ``slack`` (a fraction) of its optimum,
    on one warm HiGHS instance (:mod:`landopt.analysis.ranges`)."""
    from landopt.analysis.ranges import KINDS
    from landopt.analysis.ranges import near_optimal_ranges as _ranges

    return _ranges(build(spec), slack, kinds=kinds or KINDS, threads=threads)


def alternative_plans(spec: ModelSpec, n: int = 5, slack: float = 0.01, threads: int | None = None) -> "Alternatives":
    """The optimum and ``n`` maximally different plans within ``slack`` of it (Hop-Skip-Jump MGA,
    :mod:`landopt.analysis.alternatives`), each a :class:`PlanResult`."""
    from landopt.analysis.alternatives import mga

    return mga(build(spec), optimize(spec, threads=threads), n, slack, threads=threads)
