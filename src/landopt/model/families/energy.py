"""Energy-site suitability: PV only on suitable land, and enough clean capacity.

``pv_suitability[r,t]`` — photovoltaic land only on sites suitable for it

.. math::

    \\sum_{l \\in L^{pv}} x_{r,l,t} \\le S^{pv}_{r,t}

``clean_capacity[r,t]`` — PV plus other clean capacity meets the target

.. math::

    k_{r,t} \\sum_{l \\in L^{pv}} x_{r,l,t} + H_{r,t} \\ge E^{min}_{r,t}

=================  ======  ==================================================================
symbol             unit    meaning
=================  ======  ==================================================================
:math:`S^{pv}`     ha      suitable PV land (``energy.pv_suitable_ha``)
:math:`k`          MW/ha   PV capacity density (``energy.pv_mw_per_ha``)
:math:`H`          MW      hydro, wind and other clean capacity (``energy.other_clean_capacity_mw``)
:math:`E^{min}`    MW      clean-energy capacity target (``energy.clean_capacity_min_mw``)
=================  ======  ==================================================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.model.blocks import Meaning, RowBlock, role_sum_terms, rows_from_column
from landopt.model.columns import Columns
from landopt.spec import ModelSpec

FAMILY = "energy_sites"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "pv_suitability": Meaning("PV-suitable land limit", "光伏适宜用地上限", "ha of PV-suitable land", "公顷光伏适宜用地", "ha"),
    "clean_capacity": Meaning("clean-energy capacity target (net of other clean capacity)", "清洁能源装机目标（扣除其他清洁能源装机）", "MW of clean-energy capacity target", "兆瓦清洁能源装机目标", "MW"),
}
KEYS = ("region", "year")


def pv_suitability_index(spec: ModelSpec) -> pd.DataFrame:
    return rows_from_column(spec.energy, "energy", "pv_suitable_ha", KEYS)


def clean_capacity_index(spec: ModelSpec) -> pd.DataFrame:
    e = spec.energy.dropna(subset=["clean_capacity_min_mw"])
    rows = rows_from_column(e, "energy", "clean_capacity_min_mw", KEYS,
                            lambda d: d["clean_capacity_min_mw"] - d["other_clean_capacity_mw"].fillna(0.0))
    rows["mw_per_ha"] = e["pv_mw_per_ha"].to_numpy(dtype=float)
    return rows


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    s = pv_suitability_index(spec)
    c = clean_capacity_index(spec)
    return [
        RowBlock("pv_suitability", FAMILY, "<=", KEYS, s, *role_sum_terms(spec, cols, s, ("pv",)),
                 unit="ha", lever=CONSTRAINTS["pv_suitability"].lever),
        RowBlock("clean_capacity", FAMILY, ">=", KEYS, c,
                 *role_sum_terms(spec, cols, c, ("pv",), c["mw_per_ha"].to_numpy()),
                 unit="MW", lever=CONSTRAINTS["clean_capacity"].lever),
    ]


ENERGY_COLUMNS = ["pv_ha", "suitable_ha", "pv_mw", "base_min_mw", "other_clean_mw", "clean_mw", "target_mw",
                  "pv_mwh_per_yr", "avoided_t_co2_per_yr"]


def result_tables(spec: ModelSpec, cols: Columns, x: np.ndarray, alloc: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``energy``: per (region, year) PV land and capacity, the PV minimum of the region's named clean-energy bases
    (sum of their ``min_mw``, family ``energy_bases``; 0 where none is built by then), other clean capacity, the target,
    PV output (MWh/yr) and, as a memo, the CO2 it avoids at the grid factor (t CO2/yr)."""
    from landopt.model.families.energy_bases import base_requirements

    en = spec.energy
    if en.empty:
        return {"energy": pd.DataFrame(columns=ENERGY_COLUMNS,
                                       index=pd.MultiIndex.from_arrays([[], []], names=["region", "year"]))}
    pv = alloc[alloc["land_use"].isin(spec.land_uses_with_role("pv"))].groupby(["region", "year"])["area_ha"].sum()
    e = en[["region", "year"]].copy()
    e["pv_ha"] = pv.reindex(pd.MultiIndex.from_frame(e)).fillna(0.0).to_numpy()
    e["suitable_ha"] = en["pv_suitable_ha"].to_numpy()
    e["pv_mw"] = e["pv_ha"] * en["pv_mw_per_ha"].to_numpy()
    bases = base_requirements(spec)
    base_min = dict(zip(zip(bases["region"], bases["year"].astype(int)), bases["rhs"].astype(float)))
    e["base_min_mw"] = [base_min.get((r, int(t)), 0.0) for r, t in zip(e["region"], e["year"])]
    e["other_clean_mw"] = en["other_clean_capacity_mw"].fillna(0.0).to_numpy()
    e["clean_mw"] = e["pv_mw"] + e["other_clean_mw"]
    e["target_mw"] = en["clean_capacity_min_mw"].to_numpy()
    e["pv_mwh_per_yr"] = e["pv_mw"] * en["pv_mwh_per_mw_yr"].fillna(0.0).to_numpy()
    # memo: emissions the PV output avoids at the grid factor (never part of the land sink in stock-change accounting)
    e["avoided_t_co2_per_yr"] = e["pv_mwh_per_yr"] * en["grid_factor_tco2_per_mwh"].fillna(0.0).to_numpy()
    return {"energy": e.set_index(["region", "year"])}
