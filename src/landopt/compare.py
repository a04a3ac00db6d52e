"""Solve several scenarios and compare them side by side along a ``scenario`` index level.

One infeasible or failed scenario never stops the batch: it is recorded with
its status and, for infeasibility, its diagnosis.

Scenarios run warm where the model's structure allows: one kept HiGHS instance per structure
(:class:`landopt.sweep.warm.WarmModel`) gets only the changed costs, right-hand sides and coefficients and
re-solves from the previous basis; a scenario that changes the structure (switches a family off, changes the
milestones) is solved cold.  ``ScenarioRun.solve_start`` records which.
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from landopt.api import optimize_run, spec_from_raw
from landopt.model.build import ModelError
from landopt.model.objective import ALL_TERMS, UNIT

#: stock-change headline figures shown as KPIs: metadata key, label, unit
HEADLINE_KPIS = (("additional_t_co2e", "additional removals against the reference", "t CO2e"),
                 ("annual_target_t_co2e_per_yr", "net removals in the target year", "t CO2e/yr"))
from landopt.reader import RawWorkbook, read_workbook
from landopt.results import PlanResult
from landopt.scenarios import ScenarioError, chain, load_scenarios
from landopt.sweep.warm import WarmModel
from landopt.validate import InputError

log = logging.getLogger(__name__)
BASE = "base"


@dataclass
class ScenarioRun:
    name: str
    status: str  # optimal | infeasible | unbounded | input_error | error ...
    message: str
    result: PlanResult | None = None
    diagnosis: list[str] = field(default_factory=list)
    overrides: pd.DataFrame = field(default_factory=pd.DataFrame)
    description: str = ""
    seconds: float = 0.0
    solve_start: str = ""  # cold | warm | warm→cold ('' when nothing was solved)


@dataclass
class Comparison:
    runs: list[ScenarioRun]
    reference: str
    input_path: Path
    input_sha256: str

    @property
    def names(self) -> list[str]:
        return [r.name for r in self.runs]

    def kpis(self) -> pd.DataFrame:
        """KPIs (rows) × scenarios (columns): status, net sink and terms, areas by land use, livestock, PV MW."""
        data: dict[str, dict[tuple[str, str], object]] = {}
        for run in self.runs:
            col: dict[tuple[str, str], object] = {("status", ""): run.status}
            res = run.result
            if res is not None and res.optimal:
                unit = res.metadata.get("objective_unit", UNIT)
                col[("net sink", unit)] = res.objective
                for key, label, u in HEADLINE_KPIS:
                    if res.metadata.get(key) is not None:
                        col[(label, u)] = res.metadata[key]
                for name, v in res.terms.items():
                    col[(ALL_TERMS[name][1], unit)] = v
                ty = res.spec.target_year
                a = res.allocation.xs(ty, level="year").groupby(level="land_use", sort=False)["area_ha"].sum()
                for lu, v in a.items():
                    col[(f"area {lu} {ty}", "ha")] = v
                g = res.grazing
                if not g.empty:
                    col[(f"livestock {ty}", "SU")] = g.xs(ty, level="year")["livestock_su"].sum()
                e = res.energy
                if not e.empty:
                    col[(f"PV capacity {ty}", "MW")] = e.xs(ty, level="year")["pv_mw"].sum()
            data[run.name] = col
        df = pd.DataFrame(data)
        df.index = pd.MultiIndex.from_tuples(df.index, names=["kpi", "unit"])
        df.columns.name = "scenario"
        return df

    def allocation(self) -> pd.DataFrame:
        """Target-year area by (scenario, region, land_use)."""
        parts = []
        for run in self.runs:
            if run.result is not None and run.result.optimal:
                ty = run.result.spec.target_year
                a = run.result.allocation.xs(ty, level="year")[["area_ha"]]
                parts.append(pd.concat({run.name: a}, names=["scenario"]))
        return pd.concat(parts) if parts else pd.DataFrame()

    def differences(self) -> pd.DataFrame:
        """Region × land-use target-year area differences against the reference scenario (ha)."""
        alloc = self.allocation()
        if alloc.empty:
            return alloc
        wide = alloc["area_ha"].unstack("scenario")
        if self.reference not in wide.columns:
            return pd.DataFrame()
        diff = wide.sub(wide[self.reference], axis=0).drop(columns=[self.reference])
        diff.columns = [f"{c} − {self.reference} (ha)" for c in diff.columns]
        return diff

    def overrides(self) -> pd.DataFrame:
        parts = [r.overrides.assign(run=r.name) for r in self.runs if r.overrides is not None and not r.overrides.empty]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["run"])


class Progress:
    """A one-line progress bar on stderr: done/total, failed, infeasible, elapsed and ETA."""

    def __init__(self, total: int, label: str = "solving", stream=None, enabled: bool = True):
        self.total, self.label, self.stream = total, label, stream or sys.stderr
        self.done = self.failed = self.infeasible = 0
        self.t0 = time.perf_counter()
        self.enabled = enabled

    def update(self, status: str, name: str = "") -> None:
        self.done += 1
        if status == "infeasible":
            self.infeasible += 1
        elif status != "optimal":
            self.failed += 1
        if not self.enabled:
            return
        el = time.perf_counter() - self.t0
        eta = el / self.done * (self.total - self.done) if self.done else 0.0
        width = 24
        fill = int(width * self.done / max(self.total, 1))
        self.stream.write(f"\r{self.label} [{'#' * fill}{'.' * (width - fill)}] {self.done}/{self.total} "
                          f"failed {self.failed} infeasible {self.infeasible} | {el:,.1f}s ETA {eta:,.1f}s {name[:24]:<24}")
        if self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()


def run_one(raw: RawWorkbook, name: str, descriptions: dict[str, str], warm: WarmModel | None = None,
            strict: bool = False) -> ScenarioRun:
    """Solve one scenario (``base``: the workbook as it is); with ``warm``, re-solve warm where the structure allows.
    ``strict``: the workbook's own input problems are raised (every scenario builds on it), not kept in the run."""
    t0 = time.perf_counter()
    try:
        spec = spec_from_raw(raw, None if name == BASE else name)
        if name == BASE:
            spec = replace(spec, scenario=name, overrides=pd.DataFrame())
        lm, res = optimize_run(spec, scenario=name, warm=warm)
        run = ScenarioRun(name, res.status, res.message, res, overrides=spec.overrides, description=descriptions.get(name, ""),
                          solve_start=warm.last_start if warm is not None else "cold")
        if res.status == "infeasible":
            from landopt.diagnose import diagnose

            diag = diagnose(spec, lm)
            if diag is not None:
                run.diagnosis = diag.lines()
    except (InputError, ScenarioError, ModelError) as e:
        if strict:
            raise
        run = ScenarioRun(name, "input_error", str(e), description=descriptions.get(name, ""))
    except Exception as e:  # one failed scenario never stops the batch
        log.exception("scenario %s failed", name)
        run = ScenarioRun(name, "error", f"{type(e).__name__}: {e}", description=descriptions.get(name, ""))
    run.seconds = time.perf_counter() - t0
    return run


def compare(input_path: str | Path, scenarios: list[str] | None = None, reference: str = BASE,
            progress: bool = True, warm: bool = True) -> Comparison:
    """Solve the base workbook and the given (default: all) scenarios.

    ``warm``: re-solve each scenario from the previous one's basis when only numbers differ (same answers; ``False``
    solves every scenario from scratch).
    """
    raw = read_workbook(input_path)
    defined = load_scenarios(raw)
    names = list(scenarios) if scenarios else list(defined)
    if reference != BASE and reference not in defined:  # before any solve, as an unknown --scenarios name
        known = "; ".join(f"{n} ({defined[n].origin})" for n in sorted(defined))
        known_zh = "；".join(f"{n}（{defined[n].origin_zh or defined[n].origin}）" for n in sorted(defined))
        raise ScenarioError([(f"参照情景 '{reference}'（--reference）不存在；已有的情景：{BASE}（工作簿原值，不作情景调整）"
                              f"{'；' + known_zh if known_zh else ''}",
                              f"unknown reference scenario '{reference}' (--reference); known: {BASE} (the workbook "
                              f"without overrides){'; ' + known if known else ''}")])
    for n in names:
        if n != BASE:
            chain(defined, n)  # unknown names and inheritance cycles: the same errors as `landopt solve --scenario`
    if reference != BASE and reference not in names:
        chain(defined, reference)
        names.insert(0, reference)
    runs_order = [BASE] + [n for n in names if n != BASE]
    descriptions = {n: s.description for n, s in defined.items()}
    descriptions[BASE] = "工作簿原值，不作情景调整。 The base workbook without overrides."
    bar = Progress(len(runs_order), "scenarios", enabled=progress)
    runs = []
    kept = WarmModel(threads=None) if warm else None
    for name in runs_order:
        # the workbook itself with input problems: every run would fail on them; nothing is compared or written
        run = run_one(raw, name, descriptions, kept, strict=name == BASE)
        bar.update(run.status, name)
        log.info("scenario %s: %s (%s)", name, run.status, run.solve_start or "not solved")
        runs.append(run)
    return Comparison(runs=runs, reference=reference, input_path=Path(input_path), input_sha256=raw.sha256)
