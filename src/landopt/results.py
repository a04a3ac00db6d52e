"""Extract a solved model into a small typed result: tidy DataFrames plus run metadata.

Every table is indexed by named levels (``region``, ``land_use``, ``year`` ...)
and every value column carries its unit in its name.  Carbon is reported in
t CO2e/yr (coefficients in t C/ha/yr × 44/12); a positive net sink removes CO2.  Every reported carbon term is
its signed contribution to the net sink (removal +, emission −), so the terms add up to the net sink / objective.
"""

from __future__ import annotations

import datetime as _dt
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd

from landopt import __version__
from landopt.model.build import LandModel
from landopt.model.carbon import account as stock_account
from landopt.model.carbon import account_by_land_use
from landopt.model.carbon import cohorts as stock_cohorts
from landopt.model.carbon import reference_livestock
from landopt.model.columns import take_ids
from landopt.model.families import FAMILY_MODULES
from landopt.model.objective import TERMS, UNIT, ObjectiveTerms
from landopt.constraint_table import constraint_table, one_way_meanings
from landopt.solve import SolveOutcome
from landopt.spec import ModelSpec

log = logging.getLogger(__name__)


@dataclass
class PlanResult:
    status: str
    message: str
    objective: float | None  # the objective, in metadata['objective_unit'] (stock change: cumulative t CO2e)
    terms: pd.Series  # term -> signed contribution to the objective (removal +, emission −); sums to objective
    allocation: pd.DataFrame  # (region, land_use, year): baseline_ha, area_ha, change_ha, change_pct
    conversions: pd.DataFrame  # (region, from_land_use, to_land_use, year): area_ha
    carbon: pd.DataFrame  # (region, year, term): t_co2e_per_yr [, cumulative_t_co2e]; signed, terms sum to net_sink
    # (region, land_use, year): t_co2e_per_yr [, cumulative_t_co2e] (+ = sink); plus carbon's livestock_ch4 (and
    # avoided_emissions) it sums to net_sink.  Stock change: standing land under its baseline use, each conversion
    # under the use it goes to; flux: each land use's own flux on its area
    carbon_by_land_use: pd.DataFrame
    grazing: pd.DataFrame  # (region, year): grassland_ha, grazed_ha, rested_ha, capacity_su, livestock_su, ...
    energy: pd.DataFrame  # (region, year): pv_ha, suitable_ha, pv_mw, base_min_mw, other_clean_mw, clean_mw, target_mw, …
    metadata: dict[str, Any]
    spec: ModelSpec = field(repr=False)
    coef_ranging: pd.DataFrame = field(default_factory=pd.DataFrame)  # (region, land_use): flux interval keeping the plan
    rhs_ranging: pd.DataFrame = field(default_factory=pd.DataFrame)  # binding rows: rhs interval keeping the shadow price
    rejected_options: pd.DataFrame = field(default_factory=pd.DataFrame)  # variables at 0 with reduced costs, in words
    cohorts: pd.DataFrame = field(default_factory=pd.DataFrame)  # stock change: each conversion cohort's area and removals
    costs: pd.DataFrame = field(default_factory=pd.DataFrame)  # (region, year, measure): public cost of the plan's measures, yuan
    # (region, year): forest growing stock 森林蓄积量, stock_m3 / stock_yi_m3 / province_min_m3 (baseline year included)
    forest_stock: pd.DataFrame = field(default_factory=pd.DataFrame)
    # kind (pv_mw | livestock_su), region, year, unit, plan, min, max: how far each region's PV and herd can move
    # among plans with the optimal objective (landopt.analysis.face); empty without ranging or for a large model
    equally_good: pd.DataFrame = field(default_factory=pd.DataFrame)
    # label, gain_exact: the net-sink gain of relaxing a binding policy row by 1 % of its value, re-solved, for the rows
    # the brief's top ten need (landopt.analysis.relax); empty without ranging or for a large model
    relax_exact: pd.DataFrame = field(default_factory=pd.DataFrame)
    # label, what, item, year, change, unit, region, region_change, region_share: how the plan adjusts to each of those
    # relaxations — areas and other decisions of the row's year, and the carbon terms (landopt.analysis.relax)
    relax_response: pd.DataFrame = field(default_factory=pd.DataFrame)
    # the two tables with one row per constraint / per variable, made on first use (see ``constraints``)
    _deferred: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def constraints(self) -> pd.DataFrame:
        """One row per constraint: name, readable label, sense, rhs, activity, slack, dual (= shadow price,
        t CO2e/yr per unit of the row's rhs), binding, its meaning in words, and the input sheet/row/column.

        Made on first use and kept: at a million rows, labelling every row costs seconds that a run
        that only needs the plan need not pay (the duals themselves are read back with the solution).
        """
        return self._table("constraints")

    @property
    def reduced_costs(self) -> pd.DataFrame:
        """One row per variable (readable name): value and reduced cost (t CO2e/yr per unit); made on first use."""
        return self._table("reduced_costs")

    def _table(self, name: str) -> pd.DataFrame:
        value = self._deferred.get(name)
        if callable(value):
            value = self._deferred[name] = value()
            if name == "constraints" and value is not None:
                one_way_meanings(value, self.rhs_ranging, self.metadata.get("objective_unit", UNIT))
        return value if value is not None else pd.DataFrame()

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"

    @property
    def binding(self) -> pd.DataFrame:
        """Policy rows at their limit (docs/model.md §9), largest |shadow price| first; those with a zero price are
        at their limit without limiting the net sink (the plan workbook calls only rows with a price binding)."""
        c = self.constraints
        b = c[c["binding"] & c["policy"]]
        return b.reindex(b["shadow_price"].abs().sort_values(ascending=False).index)

    def headline(self) -> str:
        """The result in one line, with its unit (stock change: cumulative, annual and additional removals)."""
        m = self.metadata
        if self.objective is None:
            return f"no plan ({self.status})"
        if m.get("carbon_accounting") == "stock_change" and m.get("cumulative_t_co2e") is not None:
            return (f"cumulative net removals {m['horizon']}: {m['cumulative_t_co2e']:,.0f} t CO2e "
                    f"({m['annual_target_t_co2e_per_yr']:,.0f} t CO2e/yr in {m['target_year']}); "
                    f"additional to the reference pathway (land use frozen at the baseline): {m['additional_t_co2e']:,.0f} t CO2e")
        return f"net sink {self.objective:,.0f} {m.get('objective_unit', UNIT)}"

    def summary(self) -> dict[str, Any]:
        """The one-line JSON summary (``landopt solve --json``)."""
        return {
            "status": self.status,
            "objective": None if self.objective is None else round(self.objective, 3),
            "objective_unit": self.metadata.get("objective_unit", UNIT),
            "solve_seconds": round(self.metadata.get("solve_seconds", 0.0), 4),
            "scenario": self.metadata.get("scenario"),
            **({"horizon": self.metadata["horizon"]} if self.metadata.get("horizon") else {}),  # stock change: t0+1–E
            **{k: round(float(self.metadata[k]), 1) for k in ("annual_target_t_co2e_per_yr", "additional_t_co2e")
               if self.metadata.get(k) is not None},
        }


AREA_TOL = 1e-6  #: ha: areas and changes smaller than this in the result tables are solver noise, reported as 0


def _zero_below(v: np.ndarray, tol: float = AREA_TOL) -> np.ndarray:
    """``v`` with every |value| < ``tol`` set to 0."""
    v = np.asarray(v, dtype=float)
    return np.where(np.abs(v) < tol, 0.0, v)


def carbon_table(terms: ObjectiveTerms, x: np.ndarray) -> pd.DataFrame:
    """Every objective term, signed (removal +, emission −), and the net sink (their sum) for every (region, year),
    t CO2e/yr, indexed (region, year, term)."""
    rcode, regions = terms.region_code, terms.regions
    ycode, years = pd.factorize(terms.year)
    group = rcode * len(years) + ycode
    seen = np.flatnonzero(np.bincount(group, minlength=len(regions) * len(years)))  # (region, year) pairs with columns
    names = list(terms.coef) + ["net_sink"]
    values = np.empty((len(seen), len(names)))
    for k, (name, coef) in enumerate(terms.coef.items()):
        values[:, k] = TERMS[name][0] * np.bincount(group, weights=coef * x, minlength=len(regions) * len(years))[seen] + 0.0
    values[:, -1] = values[:, :-1].sum(axis=1)
    # index (region, year, term) from codes, sorted as set_index(...).sort_index() would sort it
    rlev, rc = _sorted_level(pd.Index(regions), seen // len(years))
    ylev, yc = _sorted_level(pd.Index(np.asarray(years, dtype=np.int64)), seen % len(years))
    tlev, tc = _sorted_level(pd.Index(names), np.arange(len(names)))
    codes = [np.repeat(rc, len(names)), np.repeat(yc, len(names)), np.tile(tc, len(seen))]
    order = np.lexsort(codes[::-1])
    index = pd.MultiIndex(levels=[rlev, ylev, tlev], codes=[c[order] for c in codes], names=["region", "year", "term"],
                          verify_integrity=False)
    return pd.DataFrame({"t_co2e_per_yr": values.ravel()[order]}, index=index)


def _sorted_level(level: pd.Index, codes: np.ndarray) -> tuple[pd.Index, np.ndarray]:
    """``level`` sorted, and ``codes`` (positions in ``level``) as positions in the sorted level."""
    order = level.argsort()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return level[order], rank[codes]


def extract(lm: LandModel, out: SolveOutcome, scenario: str | None = None, with_ranging: bool = True,
            on_plan: Callable[[PlanResult], None] | None = None, relax: bool | None = None) -> PlanResult:
    """The plan's result tables from a solve.  ``with_ranging``: also the sensitivity analysis (reduced costs of the
    options left unused, objective and right-hand-side ranging, the ranges among equally good plans, the binding
    requirements' 1 % gains re-solved).  ``relax``: re-solve the binding requirements' 1 % gains (default: with
    ``with_ranging``; ``compare`` asks for them alone, so that its runs rank their measures as the brief does).  ``on_plan``:
    called once, as soon as the allocation, the conversions and the carbon account exist, with a :class:`PlanResult`
    holding those (its other tables empty, no metadata), so that work that needs only them overlaps the rest —
    ``landopt solve`` starts drawing the maps."""
    t_start = time.perf_counter()
    spec = lm.spec
    cols = lm.columns
    x = out.x
    area_t = cols.tables["area"]
    acol = area_t["col"].to_numpy()
    grid = cols.grid
    reg, lu, yr = grid.area_codes(acol)  # region and land-use positions of every area column, by arithmetic
    alloc = area_t[["region", "land_use", "year"]].copy()
    alloc["area_ha"] = _zero_below(x[acol])  # solver noise (|v| < 1e-6 ha) prints as "-0": it is 0
    alloc["baseline_ha"] = grid.by_region_land_use(spec.baseline, "area_ha")[reg, lu]
    alloc["change_ha"] = _zero_below(alloc["area_ha"].to_numpy() - alloc["baseline_ha"].to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        alloc["change_pct"] = np.where(alloc["baseline_ha"] > 0, alloc["change_ha"] / alloc["baseline_ha"] * 100.0, np.nan)
    names = spec.land_uses.set_index("land_use")["name_zh"].reindex(grid.land_uses)
    alloc["name_zh"] = take_ids(names, lu)
    # the (region, land_use, year) index straight from the grid codes: what set_index makes, without hashing strings
    index = pd.MultiIndex(*zip(*map(_sorted_level, (grid.regions, grid.land_uses, grid.years), (reg, lu, yr))),
                          names=["region", "land_use", "year"], verify_integrity=False)
    allocation = alloc[["name_zh", "baseline_ha", "area_ha", "change_ha", "change_pct"]].set_axis(index)

    flow_t = cols.tables["flow"]
    conv = flow_t[["region", "from_land_use", "to_land_use", "year"]].copy()
    conv["area_ha"] = x[flow_t["col"].to_numpy()]
    conv = conv[conv["area_ha"] > AREA_TOL]  # below 1e-6 ha: no conversion
    conversions = conv.set_index(["region", "from_land_use", "to_land_use", "year"])

    terms = lm.terms
    term_totals = pd.Series(terms.totals(x), name=terms.unit)  # signed: they add up to the objective
    # carbon account: every term for every region and milestone (stock change: annual rate and cumulative since the
    # baseline; flux: every year, not only the objective years)
    carbon = stock_account(spec, cols, x) if terms.accounting == "stock_change" else carbon_table(terms, x)
    if on_plan is not None:  # the allocation and the carbon account, as early as they exist (the maps need no more)
        on_plan(PlanResult(status=out.status, message=out.message, objective=out.objective, terms=term_totals,
                           allocation=allocation, conversions=conversions, carbon=carbon,
                           carbon_by_land_use=pd.DataFrame(), grazing=pd.DataFrame(), energy=pd.DataFrame(),
                           metadata={}, spec=spec))
    stock_meta: dict[str, Any] = {}
    cohort_table = pd.DataFrame()
    if terms.accounting == "stock_change":
        carbon_by_land_use = account_by_land_use(spec, cols, x).reindex(allocation.index)
        cohort_table = stock_cohorts(spec, cols, x)
        if out.optimal:
            stock_meta = _stock_headline(spec, cols, x, carbon)
    else:
        carbon_by_land_use = pd.DataFrame(  # the same rows as the allocation, in the same order
            {"t_co2e_per_yr": (terms.coef["sequestration"][acol] - terms.coef["construction_emissions"][acol]) * x[acol]},
            index=allocation.index)

    # each family's own result tables (grazing balance, energy, costs ...), from the plan's allocation
    tables: dict[str, pd.DataFrame] = {}
    for mod in FAMILY_MODULES.values():
        if hasattr(mod, "result_tables"):
            tables.update(mod.result_tables(spec, cols, x, alloc))
    grazing, energy = tables.pop("grazing"), tables.pop("energy")
    costs = tables.pop("costs", pd.DataFrame())
    forest_stock = tables.pop("forest_stock", pd.DataFrame())

    deferred = {
        "constraints": (lambda: constraint_table(lm, out)) if out.optimal else lm.row_table,
        "reduced_costs": lambda: pd.DataFrame({"variable": lm.column_labels(), "value": x,
                                               "reduced_cost": out.reduced_cost}).set_index("variable"),
    }
    meta = {
        "title": spec.title,
        "status": out.status,
        "message": out.message,
        "objective_t_co2e_per_yr": out.objective,  # (kept name) the objective, in objective_unit
        "objective_unit": terms.unit,
        "carbon_accounting": terms.accounting,
        "objective_years": spec.settings.get("objective_years"),
        "target_year": spec.target_year,
        "baseline_year": spec.baseline_year,
        "milestone_years": ",".join(map(str, spec.years)),
        "solver": out.solver,
        "method": out.method,
        "build_seconds": lm.build_seconds,
        "compile_seconds": out.compile_seconds,
        "solve_seconds": out.solve_seconds,
        "variables": lm.columns.n,
        "constraints": lm.n_rows + (0 if out.extra_rows is None else len(out.extra_rows)),
        # the objective solved is not the net sink: a user replaced it in the Pyomo model (the plan's carbon figures are
        # still the net sink of the plan found)
        "objective_replaced": bool(out.objective_replaced),
        # which of the equally good plans this is (landopt.backends.least_change): least_change | none | skipped | failed
        "tie_break": out.tie_break or "none",
        "tie_break_seconds": float(out.tie_break_seconds),
        # constraints a user added to the Pyomo model before solving it (landopt.solve_pyomo): their Pyomo names
        "user_constraints": ", ".join(map(str, out.extra_rows["constraint"])) if out.extra_rows is not None
        and len(out.extra_rows) else "none",
        "input_file": str(spec.input_path) if spec.input_path else "",
        "input_sha256": spec.input_sha256,
        "scenario": scenario or spec.scenario or "base",
        "families_off": ",".join(sorted(spec.settings.get("families_off", ()))) or "none",
        "include_avoided_emissions": bool(spec.settings.get("include_avoided_emissions")),
        "landopt_version": __version__,
        "timestamp": _dt.datetime.now(_dt.timezone.utc).astimezone().isoformat(timespec="seconds"),
        "backend": out.backend,
        "public_cost_yuan": float(costs["cost_yuan"].sum()) if not costs.empty else 0.0,
        # forest growing stock 森林蓄积量 of all regions per milestone (m³), the baseline year included
        "forest_stock_m3": {int(y): float(v) for y, v in forest_stock.groupby(level="year")["stock_m3"].sum().items()}
        if not forest_stock.empty else {},
        # memo only, never in the objective: the region's fossil-energy and cement CO2 from an inventory
        "memo_fossil_emissions_t_co2_per_yr": spec.settings.get("memo_fossil_emissions_t_co2_per_yr"),
        # memo only in stock-change accounting: CO2 avoided by the target year's PV output at the grid factor
        "memo_pv_avoided_t_co2_per_yr": float(energy.xs(spec.target_year, level="year")["avoided_t_co2_per_yr"].sum())
        if not energy.empty and spec.target_year in energy.index.get_level_values("year") else 0.0,
        **stock_meta,
    }
    from landopt.sensitivity import reduced_cost_table

    rejected = reduced_cost_table(lm, out) if with_ranging else pd.DataFrame()
    coef_rg, rhs_rg = (pd.DataFrame(), pd.DataFrame())
    if with_ranging and out.optimal:
        from landopt.sensitivity import ranging

        coef_rg, rhs_rg = ranging(lm, out)
    equally_good = pd.DataFrame()
    if with_ranging and out.optimal:
        from landopt.analysis.face import equally_good_ranges

        equally_good = equally_good_ranges(lm, out)
    relax_exact, relax_response = pd.DataFrame(), pd.DataFrame()
    if (with_ranging if relax is None else relax) and out.optimal:
        from landopt.analysis.relax import binding_rows, exact_relax_gains

        relax_exact, relax_response = exact_relax_gains(out, binding_rows(lm, out), lm=lm)
    log.info("result tables made in %.4f s%s", time.perf_counter() - t_start, " (with ranging)" if with_ranging else "")
    return PlanResult(status=out.status, message=out.message, objective=out.objective, terms=term_totals,
                      allocation=allocation, conversions=conversions, carbon=carbon,
                      carbon_by_land_use=carbon_by_land_use, grazing=grazing, energy=energy, metadata=meta, spec=spec,
                      coef_ranging=coef_rg, rhs_ranging=rhs_rg, rejected_options=rejected, cohorts=cohort_table,
                      costs=costs, forest_stock=forest_stock, equally_good=equally_good, relax_exact=relax_exact,
                      relax_response=relax_response,
                      _deferred=deferred)


def _stock_headline(spec: ModelSpec, cols, x: np.ndarray, carbon: pd.DataFrame) -> dict[str, Any]:
    """Headline figures of a stock-change plan: cumulative and target-year removals, the frozen reference pathway
    (no conversions, the plan's own livestock) and the plan's additional removals against it."""
    T, E = spec.target_year, spec.accounting_end_year
    ref = stock_account(spec, cols, x, flows_x=np.zeros(len(cols.tables["flow"])),
                        livestock_x=reference_livestock(spec, cols, x))
    net = carbon.xs("net_sink", level="term").groupby(level="year").sum()
    rnet = ref.xs("net_sink", level="term").groupby(level="year").sum()
    standing = carbon.xs("standing_land", level="term").groupby(level="year").sum()
    return {
        # from the baseline (end of its year) to the end of the accounting end year (the target year unless later)
        "horizon": spec.horizon,
        "accounting_end_year": E,
        "cumulative_t_co2e": float(net.loc[E, "cumulative_t_co2e"]),
        "annual_target_t_co2e_per_yr": float(net.loc[T, "t_co2e_per_yr"]),
        "reference_cumulative_t_co2e": float(rnet.loc[E, "cumulative_t_co2e"]),
        "reference_annual_t_co2e_per_yr": float(rnet.loc[T, "t_co2e_per_yr"]),
        "additional_t_co2e": float(net.loc[E, "cumulative_t_co2e"] - rnet.loc[E, "cumulative_t_co2e"]),
        "additional_annual_t_co2e_per_yr": float(net.loc[T, "t_co2e_per_yr"] - rnet.loc[T, "t_co2e_per_yr"]),
        "standing_t_co2e": float(standing.loc[E, "cumulative_t_co2e"]),
        # the annual rate in the accounting end year (land use held at the target year's), when it is later
        **({"annual_end_t_co2e_per_yr": float(net.loc[E, "t_co2e_per_yr"])} if E > T else {}),
        "reference_pathway": ("land use frozen at the baseline (no conversions), "
                              + ("the reference herd (grazing.reference_livestock_su)"
                                 if "reference_livestock_su" in spec.grazing.columns
                                 and spec.grazing["reference_livestock_su"].notna().any() else "the plan's own herd")),
    }
