"""The objective, in one of two accountings (``settings.carbon_accounting``).

**stock_change** (IPCC stock-change accounting, :mod:`landopt.model.carbon`): maximise the cumulative net removals
from the baseline year to the target year :math:`T`, t CO2e:

.. math::

    \\max\\ Z = \\sum_r \\mathrm{Standing}_r(T)
      + \\sum_{r,(l,m),k} R^{CO_2e}_{r,l\\to m,k}(T)\\, y_{r,l\\to m,k}
      - \\sum_{r,k} \\Delta_k\\, s_{r,k}\\, e^{CH_4}_{r,k}\\, \\tfrac{GWP}{1000}

with each cohort's removals :math:`R` and the standing land's removals as in :mod:`landopt.model.carbon`.  Area
variables carry no carbon of their own: what land *is* earns its remaining-land flux through the standing term
and the cohorts, what land *becomes* earns the stock difference.  Cropland is neutral (no flux of its own unless
the carbon_stocks sheet gives one): losing cropland is never rewarded for its own sake.  Avoided emissions of PV
power are a memo item, never in :math:`Z`.

**flux** (the simplified per-hectare flux on standing area, t CO2e per year):

.. math::

    \\max\\ Z = \\sum_{t \\in T^{obj}} \\Big[
        \\underbrace{-\\tfrac{44}{12} \\sum_{r} \\sum_{l \\notin L^{con}} c_{r,l}\\, x_{r,l,t}}_{\\text{sequestration}}
      - \\underbrace{\\tfrac{44}{12} \\sum_{r} \\sum_{l \\in L^{con}} c_{r,l}\\, x_{r,l,t}}_{\\text{construction emissions}}
      - \\underbrace{\\sum_r s_{r,t}\\, e^{CH_4}_{r,t}\\, \\tfrac{GWP}{1000}}_{\\text{livestock CH}_4}
      + \\underbrace{\\delta \\sum_r \\sum_{l \\in L^{pv}} x_{r,l,t}\\, k_{r,t}\\, h_{r,t}\\, f_{r,t}}_{\\text{avoided emissions}}
    \\Big]

==================  ================  =====================================================================
symbol              unit              meaning
==================  ================  =====================================================================
:math:`c_{r,l}`     t C/ha/yr         carbon flux, literature sign: emission +, sink − (``land_uses`` /
                                      ``carbon_by_region``)
:math:`44/12`       t CO2 / t C       molar-mass ratio converting carbon to CO2
:math:`L^{con}`     —                 construction land: roles urban, rural, other_construction
:math:`e^{CH_4}`    kg CH4/SU/yr      enteric methane (``grazing.ch4_kg_per_su_yr``)
:math:`GWP`         t CO2e / t CH4    ``settings.ch4_gwp`` (AR6: 27)
:math:`k, h, f`     MW/ha, MWh/MW/yr,  PV density, yield, avoided-emission factor (sheet ``energy``)
                    t CO2/MWh
:math:`\\delta`      0/1               ``settings.include_avoided_emissions``
:math:`T^{obj}`     —                 the target year, or all milestones (``settings.objective_years``)
==================  ================  =====================================================================

A positive :math:`Z` is a net sink.  Inside the model each term's per-column amount (:attr:`ObjectiveTerms.coef`)
enters :math:`Z` with the sign of :data:`ALL_TERMS` (construction emissions and livestock CH4 are positive amounts
entering with −).  Every *reported* term (``PlanResult.terms``, the carbon tables, :meth:`ObjectiveTerms.totals`)
is the signed contribution to the net sink — removal +, emission − — so the terms add up to :math:`Z`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from landopt.model import carbon as stock
from landopt.model.columns import Columns
from landopt.schema import CONSTRUCTION_ROLES
from landopt.spec import TC_TO_TCO2, ModelSpec

#: flux-accounting terms: name -> (sign with which the term's per-column amount enters the net sink, English, 中文)
FLUX_TERMS: dict[str, tuple[int, str, str]] = {
    "sequestration": (+1, "Net sequestration by non-construction land", "非建设用地净固碳"),
    "construction_emissions": (-1, "Emissions from construction land", "建设用地碳排放"),
    "livestock_ch4": (-1, "Livestock enteric methane (CO2e)", "牲畜肠道甲烷排放（CO2当量）"),
    "avoided_emissions": (+1, "Emissions avoided by photovoltaic power", "光伏发电减排量"),
}
#: the flux-accounting terms under their historical name
TERMS = FLUX_TERMS
#: every term of either accounting
ALL_TERMS: dict[str, tuple[int, str, str]] = {**FLUX_TERMS, **stock.STOCK_TERMS}
UNIT = "t CO2e/yr"  #: unit of the flux-accounting objective
STOCK_UNIT = "t CO2e"  #: unit of the stock-change objective (cumulative over the horizon)


@dataclass
class ObjectiveTerms:
    """Per-column amount of every term for every year (entering the objective with the sign of :data:`ALL_TERMS`);
    weights pick the objective years.  :meth:`totals` gives the signed contributions that are reported."""

    coef: dict[str, np.ndarray]  # term -> amount per unit of each column (enters with ALL_TERMS[term][0])
    weight: np.ndarray  # per column: 1 if the column's year counts in the objective, else 0
    year: np.ndarray  # per column: its milestone year
    region_code: np.ndarray  # per column: its region, as a position in ``regions``
    regions: np.ndarray  # region ids (the model's regions, in order)
    accounting: str = "flux"  # 'flux' or 'stock_change'
    offset: dict[str, float] | None = None  # term -> constant part of the objective (stock change: standing land)

    @property
    def unit(self) -> str:
        return STOCK_UNIT if self.accounting == "stock_change" else UNIT

    def objective(self) -> np.ndarray:
        c = np.zeros_like(self.weight, dtype=float)
        for name, v in self.coef.items():
            c += ALL_TERMS[name][0] * v
        return c * self.weight

    def constant(self) -> float:
        """The objective's constant (no decision changes it)."""
        return float(sum(ALL_TERMS[k][0] * v for k, v in (self.offset or {}).items()))

    def totals(self, x: np.ndarray) -> dict[str, float]:
        """Every term's signed contribution to the objective at the plan ``x`` (removal +, emission −), constants
        included, in :attr:`unit`: the values add up to the objective value."""
        out = {name: ALL_TERMS[name][0] * float((coef * x * self.weight).sum()) for name, coef in self.coef.items()}
        for name, v in (self.offset or {}).items():
            out[name] = out.get(name, 0.0) + ALL_TERMS[name][0] * float(v)
        return {name: v + 0.0 for name, v in out.items()}  # + 0.0: an emission of 0 is 0, not −0


def objective_terms(spec: ModelSpec, cols: Columns) -> ObjectiveTerms:
    if spec.accounting == "stock_change":
        return stock_objective_terms(spec, cols)
    return flux_objective_terms(spec, cols)


def _years_and_regions(cols: Columns) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per column: its milestone year and its region code; and the region ids."""
    n = cols.n
    year = np.zeros(n, dtype=np.int64)
    region = np.empty(n, dtype=np.int64)
    grid = cols.grid
    ids = grid.regions.to_numpy(dtype=object)
    run = {"area": len(grid.land_uses) * len(grid.years), "flow": len(grid.pair_from) * len(grid.years)}
    for kind, t in cols.tables.items():
        col = t["col"].to_numpy()
        year[col] = t["year"].to_numpy()
        region[col] = np.repeat(np.arange(len(ids)), run[kind]) if kind in run else grid.region_codes(t["region"])
    return year, region, ids


def stock_objective_terms(spec: ModelSpec, cols: Columns) -> ObjectiveTerms:
    """Cumulative net removals from the baseline year to the accounting end year (t CO2e), term by term: the target
    year unless ``settings.accounting_end_year`` is later (land use then held at its target-year state)."""
    n = cols.n
    year, region, ids = _years_and_regions(cols)
    coef = {k: np.zeros(n) for k in stock.STOCK_TERMS if k != "standing_land"}
    T = spec.accounting_end_year
    fcol = cols.tables["flow"]["col"].to_numpy()
    for k, v in stock.flow_terms(spec, cols, T, "cumulative").items():
        coef[k][fcol] = v
    ls = cols.tables.get("livestock")
    if ls is not None and not ls.empty:
        coef["livestock_ch4"][ls["col"].to_numpy()] = stock.livestock_terms(spec, cols, T, "cumulative")
    offset = {"standing_land": float(stock.standing(spec, cols, T, "cumulative").sum())}
    return ObjectiveTerms(coef=coef, weight=np.ones(n), year=year, region_code=region, regions=ids,
                          accounting="stock_change", offset=offset)


def flux_objective_terms(spec: ModelSpec, cols: Columns) -> ObjectiveTerms:
    """The net sink (t CO2e/yr) in the objective years from per-hectare fluxes on standing area."""
    n = cols.n
    coef = {k: np.zeros(n) for k in FLUX_TERMS}
    year, region, ids = _years_and_regions(cols)
    grid = cols.grid
    acol = cols.tables["area"]["col"].to_numpy()
    reg, lu, yr = grid.area_codes(acol)
    c = grid.by_region_land_use(spec.carbon, "carbon_flux_tC_per_ha_yr")[reg, lu] * TC_TO_TCO2
    construction = np.isin(lu, grid.land_uses.get_indexer(spec.land_uses_with_role(*CONSTRUCTION_ROLES)))
    coef["sequestration"][acol[~construction]] = -c[~construction]
    coef["construction_emissions"][acol[construction]] = c[construction]
    if "livestock" in cols.tables and not cols.tables["livestock"].empty:
        ls = cols.tables["livestock"]
        g = spec.grazing.set_index(["region", "year"])["ch4_kg_per_su_yr"]
        e = g.reindex(pd.MultiIndex.from_frame(ls[["region", "year"]])).to_numpy(dtype=float)
        coef["livestock_ch4"][ls["col"].to_numpy()] = e * float(spec.settings.get("ch4_gwp") or 0.0) / 1000.0
    if spec.settings.get("include_avoided_emissions") and not spec.energy.empty:
        e = spec.energy
        e = e.assign(per_ha=e["pv_mw_per_ha"] * e["pv_mwh_per_mw_yr"].fillna(0.0) * e["grid_factor_tco2_per_mwh"].fillna(0.0))
        pv = np.isin(lu, grid.land_uses.get_indexer(spec.land_uses_with_role("pv")))
        v = grid.by_region_year(e, "per_ha")[reg[pv], yr[pv]]
        coef["avoided_emissions"][acol[pv]] = np.where(np.isnan(v), 0.0, v)  # no energy row: nothing avoided
    if spec.settings.get("objective_years", "target") == "all":
        weight = np.ones(n)
    else:
        weight = (year == spec.target_year).astype(float)
    return ObjectiveTerms(coef=coef, weight=weight, year=year, region_code=region, regions=ids)
