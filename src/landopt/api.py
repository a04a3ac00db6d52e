"""The Python API: read → optimize → write_plan, one call each."""

from __future__ import annotations

import logging
from pathlib import Path

from landopt.model.build import build
from landopt.reader import read_workbook
from landopt.results import PlanResult, extract
from landopt.solve import solve
from landopt.spec import ModelSpec
from landopt.validate import load_spec

log = logging.getLogger(__name__)


def read(path: str | Path, scenario: str | None = None) -> ModelSpec:
    """Read and validate an input workbook (or folder of CSV/Parquet tables), optionally applying a scenario.

    Raises :class:`landopt.InputError` listing every problem found.
    """
    raw = read_workbook(path)
    if scenario is not None:
        from landopt.scenarios import apply_scenario

        raw = apply_scenario(raw, scenario)
    spec = load_spec(raw)
    if scenario is not None:
        from dataclasses import replace

        spec = replace(spec, scenario=scenario, overrides=raw.overrides)
    return spec


def optimize(spec: ModelSpec, threads: int | None = None, backend: str = "auto") -> PlanResult:
    """Build the model for ``spec``, solve it with HiGHS and return the result (whatever the status)."""
    lm = build(spec)
    out = solve(lm, threads=threads)
    return extract(lm, out)


def write_plan(result: PlanResult, path: str | Path) -> Path:
    """Write the plan workbook for ``result`` to ``path`` atomically; returns the path written."""
    from landopt.report.plan import write_plan_workbook

    return write_plan_workbook(result, Path(path))
