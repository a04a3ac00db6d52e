"""Seeded synthetic instances that scale the Tibet case to any number of regions.

:func:`generate` returns the input tables (keyed by sheet name, with the
columns of :mod:`landopt.schema`) for ``n_regions`` planning regions --
counties or grid cells -- built like the Tibet case:

* the 11 land uses and roles of the Tibet case with its carbon fluxes
  (t C/ha/yr, emission +, sink −): cropland +0.422, garden −0.2 (estimate),
  forest −0.581, grassland −0.021, wetland −0.567, water −0.253, urban, rural
  and other construction +40 (estimate), PV −0.01, unused −0.005;
* a Tibet-like land mix: region sizes are lognormal (median 500,000 ha,
  σ = 1); land-use shares are drawn around grassland ≈ 66 %, unused ≈ 18 %,
  forest ≈ 9 % -- concentrated in a quarter of the regions (the south-east
  forest belt), scarce elsewhere --, wetland ≈ 3.5 %, water ≈ 2.5 %,
  cropland ≈ 0.4 % and small shares of garden, construction and PV;
  baselines are rounded to 0.01 ha and each region's ``total_area_ha`` is the
  sum of its rounded baseline areas, so the baselines add up exactly;
* a transitions sheet of 25 allowed conversions with per-period rate limits
  (plus a few explicitly forbidden ones) -- the same for every region;
* targets per region and milestone year (cropland red line ≤ baseline
  cropland, urban boundary ≥ urban demand from population × land per capita,
  forest / wetland / basic-grassland floors, some left blank so that
  ``no_net_loss`` applies, afforestation potential), grazing rows (forage
  yield, utilisation, intake 657 kg/SU/yr, rest minimum, a livestock floor the
  grass can carry, enteric CH4), energy rows (PV suitability, PV density,
  clean-capacity target) and a transport-land minimum on ``area_bounds``;
  regional forest and grassland fluxes on ``carbon_by_region``.

Feasible by construction
------------------------
Every instance is feasible, because the generator first builds an explicit
*reference plan* and then sets every requirement so that the reference plan
meets it:

* Reference plan: in every period at most a share ``a·p`` of the region's
  unused land at the start of the period (``a`` in [0.3, 0.9], ``p`` the
  pair's ``max_pct_per_period``/100) is converted to forest, urban, other
  construction and PV (urban, transport and PV growth is further capped at
  5-15 %, 3-10 % and 20-100 % of their baseline per period); every other
  flow is zero.  These four rates add up to
  12 % < 100 %, so unused land stays non-negative, every conversion-rate row
  ``y ≤ p·x[t-1]`` holds, and since flows only move area between uses,
  ``stock_flow`` and ``area_total`` hold with the exact baseline totals.
  Cropland, garden, grassland, wetland, water and rural land stay at their
  baselines; forest, urban, other construction and PV only grow.
* Every floor is at most the reference value (rounded *down* to 0.01):
  cropland red line = baseline × [0.90, 1.00]; forest/wetland floors =
  baseline × [0.95, 1.00] or blank (no net loss → baseline, which the
  reference keeps); basic grassland = baseline × [0.85, 0.95]; urban demand =
  reference urban × [0.90, 1.00], expressed as a whole population
  ``floor(demand·10⁴ / m²-per-capita)`` so that population × per-capita
  ≤ demand; transport-land minimum = reference other construction ×
  [0.90, 1.00]; clean-capacity target = other clean capacity +
  [0.5, 1.0] × reference PV MW.
* Every cap is at least the reference value (rounded *up*, and never above the
  region total, which the reference values never exceed): urban boundary =
  reference urban × [1.05, 1.30]; PV suitability = reference PV × [1.2, 3.0];
  afforestation potential = cumulative reference afforestation × [1.0, 1.5].
* Grazing: with grassland at its baseline ``G``, the reference rests
  ``rest_min = ρ·G`` (ρ in [0.2, 0.4]) and grazes the rest; the livestock
  floor is ``floor(λ·(G − rest_min)·Y·u/I)`` with λ in [0.5, 0.9], within
  the carrying capacity of the grazed part.
* The floors on cropland, forest, wetland and grassland are each at most the
  reference area, so together they never exceed the region total; every
  floor and cap lies within the total; validation therefore finds nothing to
  report.

The LP is bounded because every variable is bounded by the region totals
(livestock by the carrying capacity), so it has an optimal solution.

Sizes
-----
With the default 3 milestones a region has 11 × 3 area columns, 25 × 3 flow
columns and 3 × 3 grazing columns (livestock, grazed, rested): 117 decision
variables (:func:`vars_per_region`).  :func:`size_for_vars` turns a target
number of variables into a number of regions.  Large instances exceed Excel's
1,048,576 rows per sheet: write them with :func:`write_tables` (Parquet or
CSV) and read them back with :func:`landopt.reader.read_workbook` on the
folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

BASELINE_YEAR = 2019  #: third national land survey (三调)

#: land use -> (role, name_zh, carbon flux t C/ha/yr, Tibet-like mean share of the area, status of the flux)
LAND_USES: dict[str, tuple[str, str, float, float, str]] = {
    "cropland": ("cropland", "耕地", 0.422, 0.0040, "Tibet case"),
    "garden": ("garden", "园地", -0.2, 0.0002, "estimate"),
    "forest": ("forest", "林地", -0.581, 0.0900, "Tibet case"),
    "grassland": ("grassland", "草地", -0.021, 0.6600, "Tibet case"),
    "wetland": ("wetland", "湿地", -0.567, 0.0350, "Tibet case"),
    "water": ("water", "水域", -0.253, 0.0250, "Tibet case"),
    "urban": ("urban", "城镇建设用地", 40.0, 0.0004, "estimate"),
    "rural": ("rural", "村庄建设用地", 40.0, 0.0008, "estimate"),
    "other_construction": ("other_construction", "交通、采矿及其他建设用地", 40.0, 0.0012, "estimate"),
    "pv": ("pv", "光伏用地", -0.01, 0.0001, "estimate"),
    "unused": ("unused", "其他土地（未利用地）", -0.005, 0.1833, "Tibet case"),
}

#: allowed conversions (from, to, max % of the from-area per period)
TRANSITIONS: tuple[tuple[str, str, float], ...] = (
    ("cropland", "garden", 5.0), ("cropland", "forest", 5.0), ("cropland", "grassland", 5.0),
    ("cropland", "urban", 2.0), ("cropland", "rural", 1.0), ("cropland", "other_construction", 1.0),
    ("garden", "cropland", 5.0), ("garden", "forest", 5.0),
    ("forest", "other_construction", 0.5),
    ("grassland", "cropland", 0.5), ("grassland", "forest", 2.0), ("grassland", "wetland", 1.0),
    ("grassland", "urban", 0.5), ("grassland", "other_construction", 0.5), ("grassland", "pv", 1.0),
    ("water", "wetland", 2.0),
    ("rural", "cropland", 3.0), ("rural", "urban", 3.0),
    ("unused", "cropland", 2.0), ("unused", "forest", 5.0), ("unused", "grassland", 5.0), ("unused", "wetland", 1.0),
    ("unused", "urban", 2.0), ("unused", "other_construction", 2.0), ("unused", "pv", 3.0),
)
#: conversions listed as forbidden (allowed = no): they get no flow variable
FORBIDDEN: tuple[tuple[str, str], ...] = (
    ("forest", "cropland"), ("wetland", "cropland"), ("forest", "pv"), ("wetland", "pv"), ("cropland", "pv"),
)
#: conversions the reference plan uses (all from unused land)
_REFERENCE = ("forest", "urban", "other_construction", "pv")
GRAZING_VARS = 3  # livestock, grazed, rested
INTAKE_KG_PER_SU_YR = 657.0  # NY/T 635-2015: 1.8 kg hay/day


def vars_per_region(years: Sequence[int] = (2025, 2030, 2035)) -> int:
    """Decision variables per region: (land uses + allowed conversions + grazing variables) × milestones."""
    return (len(LAND_USES) + len(TRANSITIONS) + GRAZING_VARS) * len(years)


def size_for_vars(n_vars: int | float, years: Sequence[int] = (2025, 2030, 2035)) -> int:
    """Number of regions whose instance has about ``n_vars`` decision variables (at least 1)."""
    return max(1, int(round(float(n_vars) / vars_per_region(years))))


def _floor2(x: np.ndarray) -> np.ndarray:
    return np.floor(np.asarray(x, dtype=float) * 100.0) / 100.0


def _ceil2(x: np.ndarray) -> np.ndarray:
    return np.ceil(np.asarray(x, dtype=float) * 100.0) / 100.0


def generate(n_regions: int, seed: int = 0, years: Sequence[int] = (2025, 2030, 2035)) -> dict[str, pd.DataFrame]:
    """Input tables for a feasible Tibet-like instance with ``n_regions`` regions (see the module docstring).

    The same ``n_regions``, ``seed`` and ``years`` give identical tables.
    """
    if n_regions < 1:
        raise ValueError("n_regions must be at least 1")
    years = [int(y) for y in years]
    if not years or sorted(set(years)) != years or years[0] <= BASELINE_YEAR:
        raise ValueError(f"years must be increasing, distinct and after {BASELINE_YEAR}")
    rng = np.random.default_rng(seed)
    R, T = int(n_regions), len(years)
    lus = list(LAND_USES)
    L = len(lus)
    li = {l: i for i, l in enumerate(lus)}
    width = max(5, len(str(R)))
    region = np.array([f"R{i:0{width}d}" for i in range(1, R + 1)], dtype=object)
    name_zh = np.array([f"合成区{i}" for i in range(1, R + 1)], dtype=object)

    # --- land mix and baseline -------------------------------------------------------------
    size = np.clip(rng.lognormal(np.log(5e5), 1.0, R), 2e3, 5e7)
    mean = np.array([LAND_USES[l][3] for l in lus])
    share = mean[None, :] * rng.lognormal(0.0, 0.5, (R, L))
    forested = rng.random(R) < 0.25
    share[:, li["forest"]] *= np.where(forested, 3.5, 0.15)
    share /= share.sum(axis=1, keepdims=True)
    area = np.round(share * size[:, None], 2)
    area = np.maximum(area, 0.01)  # every land use present, however little
    total = np.round(area.sum(axis=1), 2)
    # put the rounding difference on grassland so that the rounded areas add up to the total exactly
    area[:, li["grassland"]] = np.round(total - (area.sum(axis=1) - area[:, li["grassland"]]), 2)

    # --- reference plan: a share of the unused land converts to forest/urban/other/PV each period
    rate = {(a, b): p / 100.0 for a, b, p in TRANSITIONS}
    a_fac = rng.uniform(0.3, 0.9, (R, len(_REFERENCE)))
    # growth per period as a share of the land use's own baseline (urban 5-15 %, transport 3-10 %, PV 20-100 %);
    # afforestation is limited by the conversion rate only
    growth = np.column_stack([np.full(R, np.inf), rng.uniform(0.05, 0.15, R), rng.uniform(0.03, 0.10, R),
                              rng.uniform(0.2, 1.0, R)])
    unused = area[:, li["unused"]].copy()
    ref = {l: np.empty((R, T)) for l in _REFERENCE}
    cum = {l: area[:, li[l]].copy() for l in _REFERENCE}
    aff_cum = np.zeros((R, T))
    acc = np.zeros(R)
    for k in range(T):
        out = np.zeros(R)
        for j, l in enumerate(_REFERENCE):
            y = np.minimum(a_fac[:, j] * rate[("unused", l)] * unused, growth[:, j] * area[:, li[l]])
            cum[l] = cum[l] + y
            ref[l][:, k] = cum[l]
            out += y
            if l == "forest":
                acc = acc + y
        aff_cum[:, k] = acc
        unused = unused - out

    rows_r = np.repeat(region, T)
    rows_y = np.tile(np.asarray(years, dtype=np.int64), R)

    def per_ry(x: np.ndarray) -> np.ndarray:  # (R,) or (R, T) -> R*T in (region, year) order
        x = np.asarray(x, dtype=float)
        return (np.repeat(x, T) if x.ndim == 1 else x.reshape(-1))

    base = lambda l: area[:, li[l]]  # noqa: E731
    u = lambda lo, hi, shape=(R,): rng.uniform(lo, hi, shape)  # noqa: E731

    # --- targets ---------------------------------------------------------------------------
    crop_min = _floor2(base("cropland") * u(0.90, 1.00))
    forest_min = _floor2(base("forest") * u(0.95, 1.00))
    forest_min[rng.random(R) < 0.3] = np.nan  # blank: no net loss applies
    wetland_min = _floor2(base("wetland") * u(0.95, 1.00))
    wetland_min[rng.random(R) < 0.3] = np.nan
    grass_min = _floor2(base("grassland") * u(0.85, 0.95))
    demand = ref["urban"] * u(0.90, 1.00)[:, None]
    per_capita = np.round(u(100.0, 140.0), 1)[:, None] * np.ones((1, T))
    population = np.floor(demand * 1e4 / per_capita)
    boundary = np.minimum(_ceil2(ref["urban"] * u(1.05, 1.30)[:, None]), total[:, None])
    boundary = np.maximum(boundary, ref["urban"])
    aff_pot = np.minimum(_ceil2(aff_cum * u(1.0, 1.5)[:, None]), total[:, None])
    targets = pd.DataFrame({
        "region": rows_r,
        "year": rows_y,
        "cropland_min_ha": per_ry(crop_min),
        "urban_boundary_ha": per_ry(boundary),
        "urban_population": per_ry(population),
        "urban_land_per_capita_m2": per_ry(per_capita),
        "forest_min_ha": per_ry(forest_min),
        "wetland_min_ha": per_ry(wetland_min),
        "grassland_min_ha": per_ry(grass_min),
        "afforestation_potential_ha": per_ry(aff_pot),
    })

    # --- grazing: grass-livestock balance ---------------------------------------------------
    yield_kg = np.round(rng.lognormal(np.log(600.0), 0.3, (R, T)), 1)
    util = np.round(u(0.50, 0.70, (R, T)), 3)
    rest_min = _floor2(base("grassland")[:, None] * u(0.2, 0.4)[:, None] * np.ones((1, T)))
    cap_per_ha = yield_kg * util / INTAKE_KG_PER_SU_YR
    livestock_min = np.floor(u(0.5, 0.9)[:, None] * (base("grassland")[:, None] - rest_min) * cap_per_ha)
    grazing = pd.DataFrame({
        "region": rows_r,
        "year": rows_y,
        "forage_yield_kg_per_ha": per_ry(yield_kg),
        "utilisation_rate": per_ry(util),
        "intake_kg_per_su_yr": INTAKE_KG_PER_SU_YR,
        "rest_min_ha": per_ry(rest_min),
        "livestock_min_su": per_ry(livestock_min),
        "ch4_kg_per_su_yr": per_ry(np.round(u(5.0, 8.0, (R, T)), 2)),
    })

    # --- energy: PV siting and clean capacity ---------------------------------------------
    mw_per_ha = np.round(u(0.25, 0.32), 3)
    suitable = np.minimum(_ceil2(ref["pv"] * u(1.2, 3.0)[:, None]), total[:, None])
    suitable = np.maximum(suitable, ref["pv"])
    other_mw = np.round(size * u(0.0, 2e-4), 1)
    clean_min = np.floor((other_mw[:, None] + u(0.5, 1.0)[:, None] * ref["pv"] * mw_per_ha[:, None]) * 100.0) / 100.0
    energy = pd.DataFrame({
        "region": rows_r,
        "year": rows_y,
        "pv_suitable_ha": per_ry(suitable),
        "pv_mw_per_ha": per_ry(mw_per_ha),
        "clean_capacity_min_mw": per_ry(clean_min),
        "other_clean_capacity_mw": per_ry(other_mw),
        "pv_mwh_per_mw_yr": per_ry(np.round(u(1400.0, 1800.0), 0)),
        "grid_factor_tco2_per_mwh": per_ry(np.round(u(0.4, 0.6), 3)),
    })

    # --- transport land demand ------------------------------------------------------------
    area_bounds = pd.DataFrame({
        "region": rows_r,
        "land_use": "other_construction",
        "year": rows_y,
        "min_ha": per_ry(_floor2(ref["other_construction"] * u(0.90, 1.00, (R, T)))),
        "max_ha": np.nan,
    })

    # --- static sheets -----------------------------------------------------------------------
    settings = pd.DataFrame({
        "key": ["title", "baseline_year", "milestone_years", "objective_years", "include_avoided_emissions",
                "ch4_gwp", "area_tolerance_pct", "no_net_loss", "families_off", "solver_method", "time_limit_s"],
        "value": [f"Synthetic Tibet-like instance, {R} regions, seed {seed}", str(BASELINE_YEAR),
                  ",".join(map(str, years)), "target", "no", "27", "0.1", "yes", "", "auto", "3600"],
    })
    regions = pd.DataFrame({"region": region, "name_zh": name_zh, "total_area_ha": total})
    land_uses = pd.DataFrame({
        "land_use": lus,
        "name_zh": [LAND_USES[l][1] for l in lus],
        "role": [LAND_USES[l][0] for l in lus],
        "carbon_flux_tC_per_ha_yr": [LAND_USES[l][2] for l in lus],
        "description": [f"flux: {LAND_USES[l][4]}" for l in lus],
    })
    baseline = pd.DataFrame({
        "region": np.repeat(region, L),
        "land_use": np.tile(np.asarray(lus, dtype=object), R),
        "area_ha": area.reshape(-1),
    })
    carbon_by_region = pd.DataFrame({
        "region": np.repeat(region, 2),
        "land_use": np.tile(np.array(["forest", "grassland"], dtype=object), R),
        "carbon_flux_tC_per_ha_yr": np.column_stack([
            np.round(LAND_USES["forest"][2] * u(0.7, 1.3), 4),
            np.round(LAND_USES["grassland"][2] * u(0.5, 1.5), 4),
        ]).reshape(-1),
    })
    transitions = pd.DataFrame(
        [(a, b, "yes", p) for a, b, p in TRANSITIONS] + [(a, b, "no", np.nan) for a, b in FORBIDDEN],
        columns=["from_land_use", "to_land_use", "allowed", "max_pct_per_period"])
    sources = pd.DataFrame({
        "sheet": ["land_uses"] * L + ["all"],
        "item": [f"carbon flux of {l}" for l in lus] + ["every regional figure"],
        "value": [f"{LAND_USES[l][2]:g}" for l in lus] + [""],
        "unit": ["t C/ha/yr"] * L + [""],
        "source": ["Tibet case coefficient" if LAND_USES[l][4] == "Tibet case" else "estimate used in the Tibet case"
                   for l in lus] + [f"landopt.synthetic.generate(n_regions={R}, seed={seed})"],
        "year": [""] * (L + 1),
        "status": ["estimate"] * (L + 1),
        "note": ["synthetic instance"] * L + ["random draws around Tibet-like shares; feasible by construction"],
    })
    return {
        "settings": settings,
        "regions": regions,
        "land_uses": land_uses,
        "baseline": baseline,
        "carbon_by_region": carbon_by_region,
        "transitions": transitions,
        "targets": targets,
        "grazing": grazing,
        "energy": energy,
        "area_bounds": area_bounds,
        "sources": sources,
    }


def write_tables(tables: dict[str, pd.DataFrame], folder: str | Path, fmt: str = "parquet") -> Path:
    """Write ``tables`` as ``<folder>/<sheet>.parquet`` (or ``.csv``), readable by ``read_workbook(folder)``."""
    if fmt not in ("parquet", "csv"):
        raise ValueError("fmt must be 'parquet' or 'csv'")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        path = folder / f"{name}.{fmt}"
        if fmt == "csv":
            df.to_csv(path, index=False, encoding="utf-8")
        else:
            df.to_parquet(path, index=False)
    return folder
