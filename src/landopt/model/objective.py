"""The objective: maximise the net carbon sink, t CO2e per year.

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

A positive :math:`Z` is a net sink.  Each term is reported separately, with
construction emissions, livestock CH4 and avoided emissions as positive amounts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from landopt.model.columns import Columns
from landopt.schema import CONSTRUCTION_ROLES
from landopt.spec import TC_TO_TCO2, ModelSpec

#: term name -> (sign in the net sink, plain-English label, 中文)
TERMS: dict[str, tuple[int, str, str]] = {
    "sequestration": (+1, "Net sequestration by non-construction land", "非建设用地净固碳"),
    "construction_emissions": (-1, "Emissions from construction land", "建设用地碳排放"),
    "livestock_ch4": (-1, "Livestock enteric methane (CO2e)", "牲畜肠道甲烷排放（CO2当量）"),
    "avoided_emissions": (+1, "Emissions avoided by photovoltaic power", "光伏发电减排量"),
}
UNIT = "t CO2e/yr"


@dataclass
class ObjectiveTerms:
    """Per-column contribution of every term (positive amounts) for every year; weights pick the objective years."""

    coef: dict[str, np.ndarray]  # term -> contribution per unit of each column (positive amount)
    weight: np.ndarray  # per column: 1 if the column's year counts in the objective, else 0
    year: np.ndarray  # per column: its milestone year
    region_code: np.ndarray  # per column: its region, as a position in ``regions``
    regions: np.ndarray  # region ids (the model's regions, in order)

    def objective(self) -> np.ndarray:
        c = np.zeros_like(self.weight, dtype=float)
        for name, v in self.coef.items():
            c += TERMS[name][0] * v
        return c * self.weight


def objective_terms(spec: ModelSpec, cols: Columns) -> ObjectiveTerms:
    n = cols.n
    coef = {k: np.zeros(n) for k in TERMS}
    year = np.zeros(n, dtype=np.int64)
    region = np.empty(n, dtype=np.int64)
    grid = cols.grid
    ids = grid.regions.to_numpy(dtype=object)
    # area and flow columns are region-major: a run of this many columns per region, region after region
    run = {"area": len(grid.land_uses) * len(grid.years), "flow": len(grid.pair_from) * len(grid.years)}
    for kind, t in cols.tables.items():
        col = t["col"].to_numpy()
        year[col] = t["year"].to_numpy()
        region[col] = np.repeat(np.arange(len(ids)), run[kind]) if kind in run else grid.region_codes(t["region"])
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
