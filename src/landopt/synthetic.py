"""Seeded synthetic instances that scale the Tibet case to any number of regions.

:func:`generate` returns the input tables (keyed by sheet name, with the
columns of :mod:`landopt.schema`) for ``n_regions`` planning regions --
counties or grid cells -- built like the shipped Tibet case
(``inputs/tibet_2035``, explained in ``docs/data.md``):

* the 11 land uses and roles of the Tibet case with its carbon fluxes
  (t C/ha/yr, emission +, sink −): cropland +0.422, garden −0.73, forest
  −0.581, grassland −0.021, wetland −0.567, water −0.253, urban / rural /
  other construction +8.2, PV 0, unused −0.005 (all estimates, see
  ``docs/data.md`` §3); one regional grassland flux per region on
  ``carbon_by_region`` (field values range from about 0 on alpine steppe to
  −0.41 on Nagqu meadow), drawn around −0.021;
* a Tibet-like land mix: region sizes are lognormal (median 1,000,000 ha,
  σ = 1, clipped to [10,000, 40,000,000] ha); forest is concentrated in a
  quarter of the regions (20–60 % of their area, the south-east forest belt)
  and scarce elsewhere (≈1 %); the other shares are drawn around Tibet's
  (grassland 68 %, unused 9.6 %, wetland 5.4 %, water 3.9 %, cropland
  0.37 %, tiny garden, construction and PV shares).  Areas are rounded to
  0.01 ha, grassland takes the rounding remainder, and each region's
  ``total_area_ha`` is the sum of its baseline areas, so baselines add up
  exactly;
* the Tibet transitions sheet: 18 allowed conversions with the same per-period
  rate limits (unused → forest unlimited, capped by the afforestation
  potential) and the 5 explicitly forbidden ones;
* targets per region and milestone year (cropland red line below baseline,
  an urban boundary above the urban demand from population × land per
  capita, forest / wetland / basic-grassland floors -- blank in most regions
  so that ``no_net_loss`` applies --, cumulative afforestation potential),
  grazing rows (forage yield around 578.8 kg/ha, utilisation 0.5, intake
  657 kg/SU/yr, rest minimum rising 1 point of the grassland per milestone, a
  livestock floor of 75–90 % of what the grazeable grass carries, 5.5 kg
  CH4/SU/yr), energy rows (PV suitability, 0.2778 MW/ha, clean-capacity
  target = other clean capacity + PV), and ``area_bounds`` with a growing
  transport-land minimum and rural land kept at its baseline.

Feasible by construction
------------------------
Every instance is feasible: the generator first builds an explicit
*reference plan* and then sets every requirement so that the reference plan
meets it.

* **Reference plan.** In the period ending at milestone *k*, with ``U`` the
  region's unused land at the start of the period, the plan converts
  unused → urban ``min(a·1 %·U, g·urban₀)``, unused → other construction
  ``min(a·1 %·U, g·other₀)``, unused → PV ``min(a·2 %·U, g·pv₀)`` and
  unused → forest ``a·1 %·U`` (independent ``a`` in [0.3, 0.9] and growth
  caps ``g``); every other flow is zero.  Each flow is at most its pair's
  ``max_pct_per_period`` share of ``U`` (unused → forest has no limit), the
  four add up to at most 5 % of ``U``, so unused land stays positive, every
  ``conversion_rate`` row holds, and because flows only move area between
  uses, ``stock_flow`` and ``area_total`` hold with the exact baseline totals.
  Cropland, garden, grassland, wetland, water and rural land stay at their
  baselines; forest, urban, other construction and PV only grow.
* **Floors ≤ reference** (rounded *down* to 0.01): cropland red line =
  baseline × [0.95, 1.00]; forest and wetland floors = baseline × [0.98,
  1.00] or blank (no net loss → the baseline, which the reference keeps or
  exceeds); basic grassland = baseline × [0.90, 1.00] or blank; urban demand
  is a whole population ``floor(f · reference urban · 10⁴ / m² per capita)``
  (f in [0.9, 1.0]), so population × per-capita / 10⁴ ≤ reference urban;
  transport-land minimum = reference other construction × [0.95, 1.00];
  rural minimum = baseline; clean-capacity target = other clean capacity +
  [0.8, 1.0] × reference PV × 0.2778 MW/ha.
* **Caps ≥ reference** (rounded *up*, never above the region total, which no
  reference area exceeds): urban boundary = final reference urban × [1.5,
  2.5] (every earlier milestone needs less); PV suitability = final reference
  PV × [1.5, 3.0]; afforestation potential = cumulative reference
  afforestation × [1.0, 1.5].
* **Grazing.** The reference keeps grassland ``G`` at its baseline, rests
  exactly ``rest_min = ρ_k·G`` (ρ_k ≤ 0.15) and grazes the rest; the livestock
  floor ``floor(λ·(G − rest_min)·Y·u/I)`` with λ in [0.75, 0.90] is within the
  carrying capacity of the grazed part.
* The cropland, forest, wetland and grassland floors are each at most the
  reference area of that use, so together they stay within the region total;
  validation therefore reports nothing.

Every variable is bounded (areas by the region totals, livestock by the
carrying capacity), so the feasible LP has an optimal solution.

Sizes
-----
With the default 3 milestones a region has 11 × 3 area columns, 18 × 3 flow
columns and 3 × 3 grazing columns (livestock, grazed, rested): 96 decision
variables (:func:`vars_per_region`); :func:`size_for_vars` turns a target
number of variables into a number of regions.  Large instances exceed Excel's
1,048,576 rows per sheet: write them with :func:`write_tables` (Parquet or
CSV) and read them back with :func:`landopt.reader.read_workbook` on the folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

BASELINE_YEAR = 2019  #: third national land survey (三调)

#: land use -> (role, name_zh, carbon flux t C/ha/yr, Tibet share of the area outside forest)
LAND_USES: dict[str, tuple[str, str, float, float]] = {
    "cropland": ("cropland", "耕地", 0.422, 0.00420),
    "garden": ("garden", "园地", -0.73, 0.00010),
    "forest": ("forest", "林地", -0.581, 0.0),  # drawn separately: concentrated in some regions
    "grassland": ("grassland", "草地", -0.021, 0.77800),
    "wetland": ("wetland", "湿地", -0.567, 0.06190),
    "water": ("water", "陆地水域", -0.253, 0.04480),
    "urban": ("urban", "城镇建设用地", 8.2, 0.00019),
    "rural": ("rural", "村庄建设用地", 8.2, 0.00067),
    "other_construction": ("other_construction", "交通采矿及其他建设用地", 8.2, 0.00095),
    "pv": ("pv", "光伏用地", 0.0, 0.00003),
    "unused": ("unused", "其他土地/未利用地", -0.005, 0.10930),
}

#: allowed conversions of the Tibet case (from, to, max % of the from-area per period; None = no limit)
TRANSITIONS: tuple[tuple[str, str, float | None], ...] = (
    ("cropland", "forest", 5.0), ("cropland", "grassland", 5.0), ("cropland", "urban", 2.0),
    ("cropland", "rural", 1.0), ("cropland", "other_construction", 1.0),
    ("garden", "urban", 2.0), ("garden", "rural", 1.0),
    ("grassland", "urban", 0.2), ("grassland", "rural", 0.1), ("grassland", "other_construction", 0.2),
    ("grassland", "pv", 0.5),
    ("unused", "forest", None), ("unused", "grassland", 1.0), ("unused", "wetland", 0.2),
    ("unused", "urban", 1.0), ("unused", "rural", 1.0), ("unused", "other_construction", 1.0),
    ("unused", "pv", 2.0),
)
#: conversions listed as forbidden (allowed = no): they get no flow variable
FORBIDDEN: tuple[tuple[str, str], ...] = (
    ("forest", "urban"), ("forest", "rural"), ("forest", "other_construction"),
    ("grassland", "forest"), ("grassland", "cropland"),
)
GRAZING_VARS = 3  #: livestock, grazed, rested
INTAKE_KG_PER_SU_YR = 657.0  #: NY/T 635-2015: 1.8 kg standard hay a day
PV_MW_PER_HA = 0.2778  #: 1/3.6, NREL TP-6A20-56290


def vars_per_region(years: Sequence[int] = (2025, 2030, 2035)) -> int:
    """Decision variables per region: (land uses + allowed conversions + grazing variables) × milestones."""
    return (len(LAND_USES) + len(TRANSITIONS) + GRAZING_VARS) * len(years)


def size_for_vars(n_vars: int | float, years: Sequence[int] = (2025, 2030, 2035)) -> int:
    """Number of regions whose instance has about ``n_vars`` decision variables (at least 1)."""
    return max(1, int(round(float(n_vars) / vars_per_region(years))))


def _floor2(x) -> np.ndarray:
    return np.floor(np.asarray(x, dtype=float) * 100.0) / 100.0


def _ceil2(x) -> np.ndarray:
    return np.ceil(np.asarray(x, dtype=float) * 100.0) / 100.0


def generate(n_regions: int, seed: int = 0, years: Sequence[int] = (2025, 2030, 2035)) -> dict[str, pd.DataFrame]:
    """Input tables of a feasible Tibet-like instance with ``n_regions`` regions (see the module docstring).

    The same ``n_regions``, ``seed`` and ``years`` always give identical tables.
    """
    if int(n_regions) < 1:
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

    def u(lo: float, hi: float, shape=(R,)) -> np.ndarray:
        return rng.uniform(lo, hi, shape)

    # --- land mix and baseline (areas rounded to 0.01 ha; grassland takes the remainder) ---------------
    size = np.clip(rng.lognormal(np.log(1e6), 1.0, R), 1e4, 4e7)
    forested = rng.random(R) < 0.25
    forest_share = np.where(forested, u(0.20, 0.60), np.minimum(rng.lognormal(np.log(0.01), 0.8, R), 0.10))
    rel = np.array([LAND_USES[l][3] for l in lus])[None, :] * rng.lognormal(0.0, 0.5, (R, L))
    share = rel / rel.sum(axis=1, keepdims=True) * (1.0 - forest_share)[:, None]
    share[:, li["forest"]] = forest_share
    area = np.round(share * size[:, None], 2)
    g = li["grassland"]
    total = np.round(area.sum(axis=1), 2)
    area[:, g] = np.round(total - (area.sum(axis=1) - area[:, g]), 2)
    base = {l: area[:, li[l]] for l in lus}

    # --- reference plan: unused land feeds forest, urban, transport/other and PV growth -----------------
    rate = {(a, b): (p or 0.0) / 100.0 for a, b, p in TRANSITIONS}
    rate[("unused", "forest")] = 0.01  # the reference's own pace; the LP has no rate limit on this pair
    growth = {"urban": u(0.10, 0.30), "other_construction": u(0.05, 0.12), "pv": u(0.5, 3.0),
              "forest": np.full(R, np.inf)}
    share_used = {l: u(0.3, 0.9) for l in growth}
    unused = base["unused"].copy()
    ref = {l: np.empty((R, T)) for l in growth}
    level = {l: base[l].copy() for l in growth}
    aff_cum = np.empty((R, T))
    done = np.zeros(R)
    for k in range(T):
        out = np.zeros(R)
        for l in growth:
            y = np.minimum(share_used[l] * rate[("unused", l)] * unused, growth[l] * base[l])
            level[l] = level[l] + y
            ref[l][:, k] = level[l]
            out += y
            if l == "forest":
                done = done + y
        aff_cum[:, k] = done
        unused = unused - out

    ry_region = np.repeat(region, T)
    ry_year = np.tile(np.asarray(years, dtype=np.int64), R)
    step = np.arange(1, T + 1)[None, :]  # milestone number 1..T

    def per_ry(x) -> np.ndarray:
        """(R,) or (R, T) values -> one per (region, year) row, region-major."""
        x = np.asarray(x, dtype=float)
        return np.repeat(x, T) if x.ndim == 1 else x.reshape(-1)

    def blank_some(x: np.ndarray, p: float) -> np.ndarray:
        x = x.copy()
        x[rng.random(R) < p] = np.nan
        return x

    # --- targets ---------------------------------------------------------------------------------------
    crop_min = _floor2(base["cropland"] * u(0.95, 1.00))
    forest_min = blank_some(_floor2(base["forest"] * u(0.98, 1.00)), 0.7)
    wetland_min = blank_some(_floor2(base["wetland"] * u(0.98, 1.00)), 0.7)
    grass_min = blank_some(_floor2(base["grassland"] * u(0.90, 1.00)), 0.7)
    per_capita = np.round(u(120.0, 150.0))
    population = np.floor(ref["urban"] * u(0.90, 1.00)[:, None] * 1e4 / per_capita[:, None])
    boundary = np.minimum(_ceil2(ref["urban"][:, -1] * u(1.5, 2.5)), total)
    aff_pot = np.minimum(_ceil2(aff_cum * u(1.0, 1.5)[:, None]), total[:, None])
    targets = pd.DataFrame({
        "region": ry_region,
        "year": ry_year,
        "cropland_min_ha": per_ry(crop_min),
        "urban_boundary_ha": per_ry(boundary),
        "urban_population": per_ry(population),
        "urban_land_per_capita_m2": per_ry(per_capita),
        "forest_min_ha": per_ry(forest_min),
        "wetland_min_ha": per_ry(wetland_min),
        "grassland_min_ha": per_ry(grass_min),
        "afforestation_potential_ha": per_ry(aff_pot),
    })

    # --- grazing: grass-livestock balance ---------------------------------------------------------------
    yield_kg = np.round(578.8 * rng.lognormal(0.0, 0.35, R), 1)
    util = 0.5
    rest_min = _floor2(base["grassland"][:, None] * (u(0.08, 0.12)[:, None] + 0.01 * step))
    su_per_ha = yield_kg * util / INTAKE_KG_PER_SU_YR
    livestock_min = np.floor(u(0.75, 0.90)[:, None] * (base["grassland"][:, None] - rest_min) * su_per_ha[:, None])
    grazing = pd.DataFrame({
        "region": ry_region,
        "year": ry_year,
        "forage_yield_kg_per_ha": per_ry(yield_kg),
        "utilisation_rate": util,
        "intake_kg_per_su_yr": INTAKE_KG_PER_SU_YR,
        "rest_min_ha": per_ry(rest_min),
        "livestock_min_su": per_ry(livestock_min),
        "ch4_kg_per_su_yr": 5.5,
    })

    # --- energy: PV siting and clean capacity -----------------------------------------------------------
    suitable = np.minimum(_ceil2(ref["pv"][:, -1] * u(1.5, 3.0)), total)
    other_mw = np.round(size * u(0.0, 1e-4))[:, None] * 2.2 ** (step - 1)
    clean_min = np.floor((other_mw + u(0.8, 1.0)[:, None] * ref["pv"] * PV_MW_PER_HA) * 100.0) / 100.0
    energy = pd.DataFrame({
        "region": ry_region,
        "year": ry_year,
        "pv_suitable_ha": per_ry(suitable),
        "pv_mw_per_ha": PV_MW_PER_HA,
        "clean_capacity_min_mw": per_ry(clean_min),
        "other_clean_capacity_mw": per_ry(np.round(other_mw, 2)),
        "pv_mwh_per_mw_yr": 1600.0,
        "grid_factor_tco2_per_mwh": 0.96,
    })
    # other_clean_capacity is rounded after the target: make sure the target never exceeds what the plan reaches
    energy["clean_capacity_min_mw"] = np.minimum(
        energy["clean_capacity_min_mw"].to_numpy(),
        np.floor((energy["other_clean_capacity_mw"].to_numpy() + per_ry(ref["pv"]) * PV_MW_PER_HA) * 100.0) / 100.0)

    # --- area bounds: transport/other construction grows, rural land is kept ---------------------------
    oc_min = _floor2(ref["other_construction"] * u(0.95, 1.00)[:, None])
    area_bounds = pd.DataFrame({
        "region": np.concatenate([ry_region, ry_region]),
        "land_use": np.repeat(np.array(["other_construction", "rural"], dtype=object), R * T),
        "year": np.concatenate([ry_year, ry_year]),
        "min_ha": np.concatenate([per_ry(oc_min), per_ry(base["rural"])]),
        "max_ha": np.nan,
    })

    # --- static sheets ----------------------------------------------------------------------------------
    settings = pd.DataFrame({
        "key": ["title", "baseline_year", "milestone_years", "objective_years", "include_avoided_emissions",
                "ch4_gwp", "area_tolerance_pct", "no_net_loss", "families_off", "solver_method", "time_limit_s"],
        "value": [f"Synthetic Tibet-like instance: {R} regions, seed {seed}", str(BASELINE_YEAR),
                  ",".join(map(str, years)), "target", "no", "27", "0.1", "yes", "", "auto", "3600"],
    })
    regions = pd.DataFrame({"region": region, "name_zh": name_zh, "total_area_ha": total})
    land_uses = pd.DataFrame({
        "land_use": lus,
        "name_zh": [LAND_USES[l][1] for l in lus],
        "role": [LAND_USES[l][0] for l in lus],
        "carbon_flux_tC_per_ha_yr": [LAND_USES[l][2] for l in lus],
        "description": ["Tibet case coefficient (estimate, docs/data.md)"] * L,
    })
    baseline = pd.DataFrame({
        "region": np.repeat(region, L),
        "land_use": np.tile(np.asarray(lus, dtype=object), R),
        "area_ha": area.reshape(-1),
    })
    carbon_by_region = pd.DataFrame({
        "region": region,
        "land_use": "grassland",
        "carbon_flux_tC_per_ha_yr": np.round(LAND_USES["grassland"][2] * rng.lognormal(0.0, 0.5, R), 4),
    })
    transitions = pd.DataFrame(
        [(a, b, "yes", np.nan if p is None else p) for a, b, p in TRANSITIONS]
        + [(a, b, "no", np.nan) for a, b in FORBIDDEN],
        columns=["from_land_use", "to_land_use", "allowed", "max_pct_per_period"])
    sources = pd.DataFrame({
        "sheet": ["all"],
        "item": ["every figure"],
        "value": [""],
        "unit": [""],
        "source": [f"landopt.synthetic.generate(n_regions={R}, seed={seed}): random draws around the Tibet case"],
        "year": [""],
        "status": ["estimate"],
        "note": ["synthetic instance for scale tests; feasible by construction"],
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
