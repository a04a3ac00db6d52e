"""Grass-livestock balance 草畜平衡 and grassland condition: livestock within what the grazed grassland carries;
grazing ban and rest 禁牧休牧 let degraded grassland recover.

Grassland is good (role ``grassland``) or degraded (role ``degraded_grassland``).  Each (region, year) row of sheet
``grazing`` makes the variables livestock :math:`s`, grazed :math:`g` and rested :math:`b` grassland and, where a
degraded land use exists, the rested degraded grassland :math:`d`.

``grassland_split[r,t]`` — grassland (good and degraded) is either grazed or rested (identity)

.. math::

    g_{r,t} + b_{r,t} = \\sum_{l \\in L^{grass} \\cup L^{deg}} x_{r,l,t}

``grazing_capacity[r,t]`` — livestock at most the forage of the grazed grassland; degraded grassland that is not
rested is grazed and yields less

.. math::

    s_{r,t} \\le \\frac{u_{r,t}}{I_{r,t}}\\Big(Y_{r,t}\\, g_{r,t} - (Y_{r,t} - Y^{deg}_{r,t})
        \\big(\\textstyle\\sum_{l \\in L^{deg}} x_{r,l,t} - d_{r,t}\\big)\\Big)

``rest_degraded_share[r,t]`` and ``rest_degraded_area[r,t]`` — rested degraded grassland is part of the rested area
and of the degraded area

.. math::

    d_{r,t} \\le b_{r,t}, \\qquad d_{r,t} \\le \\sum_{l \\in L^{deg}} x_{r,l,t}

``restoration[r,t]`` — degraded grassland recovers only where it is rested, at most a share per year over the
period (built for every region and milestone when a degraded land use exists: with no grazing row there is no
rest and so no recovery)

.. math::

    \\sum_{l \\in L^{deg}} \\sum_{m \\in L^{grass}} y_{r,l\\to m,t} \\le \\frac{\\rho_{r,t}}{100}\\, \\Delta_t\\, d_{r,t}

``grazing_rest[r,t]`` — grazing-ban and rest area at least its minimum: :math:`b_{r,t} \\ge B^{min}_{r,t}`

``livestock_floor[r,t]`` — enough livestock for herders' livelihoods: :math:`s_{r,t} \\ge S^{min}_{r,t}`

=================  ==============  =============================================================
symbol             unit            meaning
=================  ==============  =============================================================
:math:`s`          SU              livestock, standard sheep units (45 kg sheep, NY/T 635-2015)
:math:`g`          ha              grazed grassland (good and degraded)
:math:`b`          ha              grassland under grazing ban or rest (good and degraded)
:math:`d`          ha              degraded grassland under grazing ban or rest
:math:`Y`          kg hay/ha/yr    forage yield of good grassland (``grazing.forage_yield_kg_per_ha``)
:math:`Y^{deg}`    kg hay/ha/yr    forage yield of degraded grassland (``grazing.degraded_yield_kg_per_ha``; blank = Y)
:math:`u`          fraction        utilisation rate (``grazing.utilisation_rate``)
:math:`I`          kg hay/SU/yr    intake of one sheep unit (``grazing.intake_kg_per_su_yr``, 657)
:math:`\\rho`       %/yr            recovery of rested degraded grassland (``grazing.restoration_pct_per_yr``; blank = 0)
:math:`\\Delta_t`   yr              length of the period ending at *t*
:math:`B^{min}`    ha              ``grazing.rest_min_ha``
:math:`S^{min}`    SU              ``grazing.livestock_min_su``
=================  ==============  =============================================================

The rested area of a milestone stands for the period that ends there.  Switching the family off removes livestock
from the model (and with it the methane term) and with the rest variables the ``restoration`` rows: degraded→grassland
conversions are then limited only by the transitions sheet and the budget.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.model.blocks import Meaning, RowBlock, cat, negative_terms, provenance, role_sum_terms, rows_from_column
from landopt.model.columns import Columns, take_ids
from landopt.reader import ROW
from landopt.spec import ModelSpec

FAMILY = "grazing_balance"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "grassland_split": Meaning("grazed + rested = grassland identity", "放牧草地与禁牧休牧草地之和等于草地", "ha of grassland", "公顷草地", "ha"),
    "grazing_capacity": Meaning("grass–livestock balance", "草畜平衡（理论载畜量）", "sheep unit of carrying capacity", "个羊单位载畜能力", "SU"),
    "grazing_rest": Meaning("grazing-ban/rest area minimum", "禁牧休牧面积下限", "ha of required grazing ban/rest area", "公顷禁牧休牧面积", "ha"),
    "livestock_floor": Meaning("livestock floor", "牲畜存栏下限", "sheep unit of livestock floor", "个羊单位牲畜下限", "SU"),
    "rest_degraded_share": Meaning("rested degraded grassland within the rested area", "退化草地禁牧休牧面积不超过禁牧休牧总面积",
                                   "ha of rested grassland", "公顷禁牧休牧草地", "ha"),
    "rest_degraded_area": Meaning("rested degraded grassland within the degraded area", "退化草地禁牧休牧面积不超过退化草地面积",
                                  "ha of degraded grassland", "公顷退化草地", "ha"),
    "restoration": Meaning("recovery of degraded grassland under grazing ban/rest", "禁牧休牧下退化草地恢复速度上限",
                           "ha of allowed recovery", "公顷可恢复面积", "ha"),
}
GRASS_ROLES = ("grassland", "degraded_grassland")
KEYS = ("region", "year")


def capacity_per_ha(g: pd.DataFrame) -> np.ndarray:
    """Sheep units one hectare of grazed good grassland carries: Y·u/I (SU/ha)."""
    return (g["forage_yield_kg_per_ha"] * g["utilisation_rate"] / g["intake_kg_per_su_yr"]).to_numpy(dtype=float)


def degraded_capacity_per_ha(g: pd.DataFrame) -> np.ndarray:
    """Sheep units one hectare of grazed degraded grassland carries: Y_deg·u/I (SU/ha; Y_deg blank = Y)."""
    y = g["degraded_yield_kg_per_ha"].fillna(g["forage_yield_kg_per_ha"]) if "degraded_yield_kg_per_ha" in g.columns \
        else g["forage_yield_kg_per_ha"]
    return (y * g["utilisation_rate"] / g["intake_kg_per_su_yr"]).to_numpy(dtype=float)


def grassland_split_index(spec: ModelSpec) -> pd.DataFrame:
    rows = spec.grazing[["region", "year", ROW]].copy()
    rows["rhs"] = 0.0
    return provenance(rows, "grazing", "region")


def grassland_split_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`g_{r,t} + b_{r,t} - \\sum_{l \\in L^{grass} \\cup L^{deg}} x_{r,l,t} = 0`"""
    i = np.arange(len(rows))
    return cat((i, cols.lookup("grazed", rows), np.ones(len(rows))),
               (i, cols.lookup("rested", rows), np.ones(len(rows))),
               role_sum_terms(spec, cols, rows, GRASS_ROLES, -1.0))


def grazing_capacity_index(spec: ModelSpec) -> pd.DataFrame:
    g = spec.grazing
    rows = g[["region", "year", ROW]].copy()
    rows["su_per_ha"] = capacity_per_ha(g)
    rows["loss_per_ha"] = rows["su_per_ha"].to_numpy() - degraded_capacity_per_ha(g)  # SU/ha lost on degraded land
    rows["rhs"] = 0.0
    return provenance(rows, "grazing", "forage_yield_kg_per_ha")


def grazing_capacity_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`s_{r,t} - g_{r,t}\\,Y u/I + (Y - Y^{deg})\\,u/I\\,(\\sum_{L^{deg}} x_{r,l,t} - d_{r,t}) \\le 0`"""
    i = np.arange(len(rows))
    loss = rows["loss_per_ha"].to_numpy()
    d = cols.lookup("rested_degraded", rows)  # -1 without a degraded land use: no such term
    has = d >= 0
    return cat((i, cols.lookup("livestock", rows), np.ones(len(rows))),
               (i, cols.lookup("grazed", rows), -rows["su_per_ha"].to_numpy()),
               role_sum_terms(spec, cols, rows, ("degraded_grassland",), loss),
               (i[has], d[has], -loss[has]))


def restoration_index(spec: ModelSpec, cols: Columns) -> pd.DataFrame:
    """One row per region and milestone when a degraded land use exists; ρ·Δ from sheet grazing (0 without a row)."""
    grid = cols.grid
    R, T = len(grid.regions), len(grid.years)
    rows = pd.DataFrame({"region": take_ids(grid.regions, np.repeat(np.arange(R), T)),
                         "year": np.tile(grid.years.to_numpy(), R)})
    if not spec.land_uses_with_role("degraded_grassland"):
        rows = rows.iloc[0:0]
    g = spec.grazing
    rate = g.set_index(["region", "year"])["restoration_pct_per_yr"] if "restoration_pct_per_yr" in g.columns \
        else pd.Series(dtype=float)
    src = g.set_index(["region", "year"])[ROW]
    key = pd.MultiIndex.from_frame(rows[["region", "year"]])
    starts = np.concatenate([[spec.baseline_year], np.asarray(spec.years[:-1])])
    length = pd.Series(np.asarray(spec.years) - starts, index=list(spec.years))
    rows["share"] = rate.reindex(key).fillna(0.0).to_numpy(dtype=float) / 100.0 * \
        length.reindex(rows["year"]).to_numpy(dtype=float)
    rows[ROW] = src.reindex(key).fillna(0).to_numpy(dtype=np.int64)
    rows["rhs"] = 0.0
    return provenance(rows, "grazing", "restoration_pct_per_yr")


def restoration_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`\\sum_{L^{deg} \\to L^{grass}} y_{r,l\\to m,t} - \\rho\\,\\Delta_t\\, d_{r,t} \\le 0`"""
    tr = spec.transitions
    roles = spec.land_uses.set_index("land_use")["role"]
    pairs = tr[(tr["from_land_use"].map(roles) == "degraded_grassland") & (tr["to_land_use"].map(roles) == "grassland")]
    n, k = len(rows), len(pairs)
    i = np.arange(n)
    flows = pd.DataFrame({"region": np.repeat(rows["region"].to_numpy(), k),
                          "from_land_use": np.tile(pairs["from_land_use"].to_numpy(), n),
                          "to_land_use": np.tile(pairs["to_land_use"].to_numpy(), n),
                          "year": np.repeat(rows["year"].to_numpy(), k)})
    d = cols.lookup("rested_degraded", rows)  # -1 where sheet grazing has no row: no rest, so no recovery
    has = d >= 0
    return cat((np.repeat(i, k), cols.lookup("flow", flows), np.ones(n * k)),
               (i[has], d[has], -rows["share"].to_numpy()[has]))


def _degraded_blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    """The rows that only exist with a degraded-grassland land use."""
    if not spec.land_uses_with_role("degraded_grassland"):
        return []
    i_rows = spec.grazing[["region", "year", ROW]].copy()
    i_rows["rhs"] = 0.0
    share = provenance(i_rows, "grazing", "rest_min_ha")
    area = provenance(i_rows.copy(), "grazing", "region")
    n = len(i_rows)
    i = np.arange(n)
    d = cols.lookup("rested_degraded", i_rows)
    rest = restoration_index(spec, cols)
    recovery = restoration_rule(spec, rest, cols)
    return [
        RowBlock("rest_degraded_share", FAMILY, "<=", KEYS, share,
                 *cat((i, d, np.ones(n)), (i, cols.lookup("rested", i_rows), -np.ones(n))),
                 unit="ha", lever=CONSTRAINTS["rest_degraded_share"].lever, policy=False),
        RowBlock("rest_degraded_area", FAMILY, "<=", KEYS, area,
                 *cat((i, d, np.ones(n)), role_sum_terms(spec, cols, i_rows, ("degraded_grassland",), -1.0)),
                 unit="ha", lever=CONSTRAINTS["rest_degraded_area"].lever, policy=False),
        RowBlock("restoration", FAMILY, "<=", KEYS, rest, *recovery, limit=negative_terms(recovery),
                 unit="ha", lever=CONSTRAINTS["restoration"].lever),
    ]


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    split = grassland_split_index(spec)
    cap = grazing_capacity_index(spec)
    rest = rows_from_column(spec.grazing, "grazing", "rest_min_ha", KEYS)
    floor = rows_from_column(spec.grazing, "grazing", "livestock_min_su", KEYS)
    one = lambda rows, kind: (np.arange(len(rows)), cols.lookup(kind, rows), np.ones(len(rows)))  # noqa: E731
    capacity = grazing_capacity_rule(spec, cap, cols)  # the herd's term is the quantity, every other term the limit
    return [
        RowBlock("grassland_split", FAMILY, "==", KEYS, split, *grassland_split_rule(spec, split, cols),
                 unit="ha", lever=CONSTRAINTS["grassland_split"].lever, policy=False),
        RowBlock("grazing_capacity", FAMILY, "<=", KEYS, cap, *capacity,
                 limit=~np.isin(capacity[1], cols.lookup("livestock", cap)),
                 unit="SU", lever=CONSTRAINTS["grazing_capacity"].lever),
        RowBlock("grazing_rest", FAMILY, ">=", KEYS, rest, *one(rest, "rested"),
                 unit="ha", lever=CONSTRAINTS["grazing_rest"].lever),
        *_degraded_blocks(spec, cols),
        RowBlock("livestock_floor", FAMILY, ">=", KEYS, floor, *one(floor, "livestock"),
                 unit="SU", lever=CONSTRAINTS["livestock_floor"].lever),
    ]


GRAZING_COLUMNS = ["grassland_ha", "degraded_ha", "grazed_ha", "rested_ha", "rested_degraded_ha", "rest_min_ha",
                   "capacity_su", "capacity_all_su", "livestock_su", "livestock_min_su", "utilisation_pct",
                   "ch4_t_co2e_per_yr"]


def result_tables(spec: ModelSpec, cols: Columns, x: np.ndarray, alloc: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``grazing``: per (region, year) grassland (good + degraded), grazed and rested area, the carrying capacity of
    the grazed part (``capacity_su``) and of all grassland if none were rested (``capacity_all_su``), livestock,
    utilisation of the grazed part's capacity, and livestock methane (t CO2e/yr)."""
    empty = pd.DataFrame(columns=GRAZING_COLUMNS, index=pd.MultiIndex.from_arrays([[], []], names=["region", "year"]))
    if "livestock" not in cols.tables or cols.tables["livestock"].empty:
        return {"grazing": empty}
    gz = spec.grazing
    g = gz[["region", "year"]].copy()
    for kind in ("livestock", "grazed", "rested", "rested_degraded"):
        c = cols.lookup(kind, g)
        g[kind] = np.where(c >= 0, x[np.maximum(c, 0)], 0.0)
    key = pd.MultiIndex.from_frame(g[["region", "year"]])
    by_role = lambda role: alloc[alloc["land_use"].isin(spec.land_uses_with_role(role))] \
        .groupby(["region", "year"])["area_ha"].sum().reindex(key).fillna(0.0).to_numpy()  # noqa: E731
    good, deg = by_role("grassland"), by_role("degraded_grassland")
    per_ha, per_ha_deg = capacity_per_ha(gz), degraded_capacity_per_ha(gz)
    g["grassland_ha"] = good + deg
    g["degraded_ha"] = deg
    g["capacity_su"] = g["grazed"] * per_ha - (per_ha - per_ha_deg) * (deg - g["rested_degraded"])
    g["capacity_all_su"] = good * per_ha + deg * per_ha_deg
    g["utilisation_pct"] = np.where(g["capacity_su"] > 0, g["livestock"] / g["capacity_su"] * 100.0, np.nan)
    g["rest_min_ha"] = gz["rest_min_ha"].to_numpy()
    g["livestock_min_su"] = gz["livestock_min_su"].to_numpy()
    g["ch4_t_co2e_per_yr"] = g["livestock"] * gz["ch4_kg_per_su_yr"].to_numpy() * float(spec.settings.get("ch4_gwp") or 0) / 1000
    out = g.rename(columns={"livestock": "livestock_su", "grazed": "grazed_ha", "rested": "rested_ha",
                            "rested_degraded": "rested_degraded_ha"}).set_index(["region", "year"])[GRAZING_COLUMNS]
    return {"grazing": out}
