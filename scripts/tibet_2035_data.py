"""Builds the landopt Tibet 2035 dataset (inputs/tibet_2035/*.csv) from the figures in
shared/tibet-facts.md plus the stated assumptions. Every derivation is documented in
docs/data.md of the landopt repo; this script is the arithmetic behind it.

Run: python scripts/tibet_2035_data.py [OUTDIR]   (default: inputs/tibet_2035)
"""
from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "inputs" / "tibet_2035"
OUT.mkdir(parents=True, exist_ok=True)


def bi(chinese: str, english: str) -> str:
    """A free-text cell as a planner reads it: the Chinese first, one space, then the English (landopt's bilingual
    style, e.g. compare.py's base description); the Chinese alone where there is no English."""
    return f"{chinese} {english}" if english else chinese


REGIONS = ["Lhasa", "Shigatse", "Chamdo", "Nyingchi", "Shannan", "Nagqu", "Ngari"]
ZH = {"Lhasa": "拉萨市", "Shigatse": "日喀则市", "Chamdo": "昌都市", "Nyingchi": "林芝市",
      "Shannan": "山南市", "Nagqu": "那曲市", "Ngari": "阿里地区"}
YEARS = [2025, 2030, 2035]
LU = ["cropland", "garden", "forest", "grassland", "degraded_grassland", "wetland", "water", "urban", "rural",
      "other_construction", "pv", "unused", "sandy"]
BUDGET_PER_YEAR = 3.0e9  # yuan/yr of public money for land measures (illustrative estimate, see sources)
DEGRADED_SHARE = 0.267  # 26.7% of Tibet's grassland degraded (second grassland survey, gov.cn 2016-10-31, verified)
# -- sandy land and desertification control (issue #13)
# 5th national desertification and sandification monitoring: Tibet 2158.36万 ha sandy land (17.9% of the region), of
# which about 240万 ha can be restored (可治理沙化土地), in all 7 prefectures (tibet.cn 2021-06-16, verified secondary).
# Only the restorable part is a land use here (role sandy), carved out of unused land: most of the 2158万 ha lies in
# what the land survey counts as grassland or bare land and cannot be treated.
SANDY_TIBET_HA = 21_583_600
SANDY_TOTAL = 2_400_000
SANDY_SHARE = {"Lhasa": 0.05, "Shigatse": 0.30, "Chamdo": 0.02, "Nyingchi": 0.01,
               "Shannan": 0.07, "Nagqu": 0.25, "Ngari": 0.30}  # estimate: the Yarlung Tsangpo middle-upper valley
#   (Shigatse, Shannan, Lhasa: 4 national sandy-land closure reserves in Gar, Dinggyê, Zhongba, Saga) and the north-west
SAND_PACE_HA_YR = 139_300 / 5  # 13th FYP (2016-2020): 13.93万 ha of 防沙治沙 works completed (verified secondary)
SAND_COST = round(523_000_000 / 139_300, -1)  # 5.23亿 yuan for 13.93万 ha ≈ 3,750 yuan/ha (derived)
# -- forest growing stock (issue #13)
FOREST_STOCK_2019 = 2_288_000_000  # 22.88亿 m³, 9th national forest inventory (2014-2018) (brief; estimate for 2019)
FOREST_STOCK_8TH = 2_262_000_000  # 22.62亿 m³, 8th national forest inventory (2009-2013) (people.com.cn 2015-09-07, verified)
STOCK_DENSITY_INDEX = {"Lhasa": 0.3, "Shigatse": 0.5, "Chamdo": 1.2, "Nyingchi": 1.6, "Shannan": 0.8,
                       "Nagqu": 0.3, "Ngari": 0.2}  # relative stock per ha of forest (estimate: dense conifers in
#   Nyingchi and Chamdo, shrubland in the west and north)
YOUNG_GROWTH = 3.0  # m³/ha/yr of new plateau plantations (estimate)

# ---------------------------------------------------------------- areas (km²)
TIBET_KM2 = 1_202_800  # 120.28万 km², commonly cited (verified)
KEEP = {"Lhasa": 29_274, "Shigatse": 182_000, "Nyingchi": 117_000, "Shannan": 79_090,
        "Chamdo": 110_000}  # verified x4; Chamdo ≈11万 estimate kept as is
FACE = {"Nagqu": 430_000, "Ngari": 337_170}  # disputed; scaled to close the total
rest_km2 = TIBET_KM2 - sum(KEEP.values())
f_scale = rest_km2 / sum(FACE.values())
area_ha = {r: KEEP[r] * 100 for r in KEEP}
area_ha["Nagqu"] = round(FACE["Nagqu"] * f_scale * 100)
area_ha["Ngari"] = TIBET_KM2 * 100 - sum(area_ha.values())
TOTAL_HA = TIBET_KM2 * 100

# ---------------------------------------------------------------- population
POP = {"Lhasa": 867_900, "Shigatse": 798_200, "Chamdo": 761_000, "Nyingchi": 238_900,
       "Shannan": 354_000, "Nagqu": 504_800, "Ngari": 123_300}  # 2020 census (verified)
GDP = {"Lhasa": 678.16, "Shigatse": 322.78, "Chamdo": 252.89, "Nyingchi": 191.34,
       "Shannan": 215.40, "Nagqu": 170.0, "Ngari": 68.6}  # 2020, 亿元
URBAN_SHARE_TIBET = 0.3573
urban_pop_2020_total = sum(POP.values()) * URBAN_SHARE_TIBET
gsum = sum(GDP.values())
upop2020 = {r: urban_pop_2020_total * GDP[r] / gsum for r in REGIONS}
rpop2020 = {r: POP[r] - upop2020[r] for r in REGIONS}
URBAN_GROWTH = 0.035  # per year, 2020 ->
upop = {(r, y): upop2020[r] * (1 + URBAN_GROWTH) ** (y - 2020) for r in REGIONS for y in YEARS}

# ---------------------------------------------------------------- Tibet-wide land totals (ha)
CROPLAND_TOTAL = round(6_631_300 / 15)  # 663.13万亩
ECO_TOTAL = 1_081_100 * 100  # 108.11万 km² = forest+grassland+wetland+water
WETLAND_TOTAL = 6_529_000  # 652.9万 ha: wetland-survey definition (lakes, rivers, marsh, artificial wetland)
# the land use "wetland" is the marsh part only: the second wetland survey reports lakes 303.52万 ha, marsh 205.43万 ha,
# rivers 43.45万 ha and artificial wetland 0.5万 ha (together 552.9万 ha, 100万 ha less than the total; verified,
# three reports); the land survey (三调) puts lakes and rivers under water 水域, and the marsh uptake and CH4 rates
# are marsh figures. Lakes, rivers and the unexplained 100万 ha go to water in the prefectures that hold them.
MARSH_TOTAL = 2_054_300 + 5_000  # 沼泽湿地 + 人工湿地
GRASS_TOTAL = 82_050_000  # 8,205万 ha (carbon-stock study; = 12.31亿亩, "over 12亿亩")
FOREST_TOTAL = round(0.1231 * TOTAL_HA)  # forest coverage 12.31% (2020) x total area
WATER_TOTAL = ECO_TOTAL - WETLAND_TOTAL - GRASS_TOTAL - FOREST_TOTAL
GARDEN_TOTAL = 10_000  # assumption
URBAN_M2_BASE = 150.0  # m² per urban resident in 2019 (assumption)
RURAL_M2 = 300.0  # m² per rural resident (assumption)
OTHER_CONSTR_TOTAL = 100_000  # assumption (roads ~10万 km x ~7 m + mining, airports, rail, special)
PV_MW_PER_HA_NEW = 0.5  # whole-plant density for new Tibet PV (estimate between 2011-13 Tibet plants and modern plants)
PV_2019_MW = 790.0  # 2017 installed PV (verified) used as 2019 stock (assumption)

# shares (assumptions, documented)
CROP_YJLH = 0.6649  # Shigatse+Lhasa+Shannan share (verified)
CROP_TARGET_RATIO = 18.65 / 19.18  # national 2035 target / third-survey area (estimate)
LHASA_CROP_MIN = round(766_100 / 15)  # 76.61万亩 (verified)
PASTORAL_FACTOR = {"Chamdo": 1.0, "Nyingchi": 1.0, "Nagqu": 0.2, "Ngari": 0.2}
FOREST_FRAC = {"Lhasa": 0.10, "Shigatse": 0.03, "Chamdo": 0.40, "Nyingchi": 0.55,
               "Shannan": 0.30, "Nagqu": 0.005, "Ngari": 0.002}  # relative, then scaled
WETLAND_SHARE = {"Lhasa": 0.02, "Shigatse": 0.10, "Chamdo": 0.04, "Nyingchi": 0.03,
                 "Shannan": 0.05, "Nagqu": 0.51, "Ngari": 0.25}
WATER_SHARE = {"Lhasa": 0.02, "Shigatse": 0.20, "Chamdo": 0.06, "Nyingchi": 0.22,
               "Shannan": 0.07, "Nagqu": 0.22, "Ngari": 0.21}
GARDEN_SHARE = {"Lhasa": 0.10, "Shigatse": 0.10, "Chamdo": 0.25, "Nyingchi": 0.35,
                "Shannan": 0.15, "Nagqu": 0.03, "Ngari": 0.02}
PV_SHARE_2019 = {"Lhasa": 0.25, "Shigatse": 0.25, "Chamdo": 0.10, "Nyingchi": 0.05,
                 "Shannan": 0.15, "Nagqu": 0.10, "Ngari": 0.10}
UNUSED_SHARE = {"Lhasa": 0.05, "Shigatse": 0.18, "Chamdo": 0.05, "Nyingchi": 0.07,
                "Shannan": 0.05, "Nagqu": 0.30, "Ngari": 0.30}
AFFOR_SHARE = {"Lhasa": 0.15, "Shigatse": 0.22, "Chamdo": 0.18, "Nyingchi": 0.15,
               "Shannan": 0.20, "Nagqu": 0.06, "Ngari": 0.04}
YIELD_INDEX = {"Lhasa": 1.2, "Shigatse": 0.8, "Chamdo": 1.6, "Nyingchi": 1.6,
               "Shannan": 1.1, "Nagqu": 1.0, "Ngari": 0.5}
GRID_ACCESS = {"Lhasa": 0.03, "Shigatse": 0.02, "Chamdo": 0.005, "Nyingchi": 0.005,
               "Shannan": 0.02, "Nagqu": 0.003, "Ngari": 0.003}
HYDRO_SHARE = {"Lhasa": 0.10, "Shigatse": 0.12, "Chamdo": 0.35, "Nyingchi": 0.20,
               "Shannan": 0.15, "Nagqu": 0.05, "Ngari": 0.03}


def split(total: float, weights: dict[str, float]) -> dict[str, int]:
    """Largest-remainder split of an integer total by weights."""
    w = sum(weights.values())
    raw = {k: total * v / w for k, v in weights.items()}
    out = {k: math.floor(v) for k, v in raw.items()}
    left = round(total) - sum(out.values())
    for k in sorted(raw, key=lambda k: raw[k] - out[k], reverse=True)[:left]:
        out[k] += 1
    return out


base: dict[str, dict[str, int]] = {r: {} for r in REGIONS}

# cropland
crop_lhasa = round(LHASA_CROP_MIN / CROP_TARGET_RATIO)
crop_yjlh = round(CROPLAND_TOTAL * CROP_YJLH)
crop = {"Lhasa": crop_lhasa}
crop.update(split(crop_yjlh - crop_lhasa, {r: rpop2020[r] for r in ("Shigatse", "Shannan")}))
crop.update(split(CROPLAND_TOTAL - crop_yjlh, {r: rpop2020[r] * PASTORAL_FACTOR[r] for r in PASTORAL_FACTOR}))
for r in REGIONS:
    base[r]["cropland"] = crop[r]

forest = split(FOREST_TOTAL, {r: FOREST_FRAC[r] * area_ha[r] for r in REGIONS})
wet_survey = split(WETLAND_TOTAL, WETLAND_SHARE)  # wetland-survey definition, by prefecture
wet = split(MARSH_TOTAL, wet_survey)  # marsh: each prefecture's share of the survey's wetland (estimate)
water = split(WATER_TOTAL, WATER_SHARE)  # glaciers, snow, reservoirs and water outside the wetland survey
water = {r: water[r] + wet_survey[r] - wet[r] for r in REGIONS}  # + the prefecture's lakes and rivers
garden = split(GARDEN_TOTAL, GARDEN_SHARE)
# the model's PV capacity is PV area × energy.pv_mw_per_ha (one density per region for all PV land), so the 2019
# PV land is the 2019 capacity at that density: 790 MW ÷ 0.5 MW/ha = 1,580 ha (at the older plants' own 3.6 ha/MW
# the model would count 2,844 ha × 0.5 = 1,422 MW of PV in 2019, 80% too much)
pv0 = split(round(PV_2019_MW / PV_MW_PER_HA_NEW), PV_SHARE_2019)
oc_w = {r: 0.5 * POP[r] / sum(POP.values()) + 0.5 * area_ha[r] / TOTAL_HA for r in REGIONS}
oc = split(OTHER_CONSTR_TOTAL, oc_w)
for r in REGIONS:
    base[r]["forest"] = forest[r]
    base[r]["wetland"] = wet[r]
    base[r]["water"] = water[r]
    base[r]["garden"] = garden[r]
    base[r]["urban"] = round(upop2020[r] * URBAN_M2_BASE / 10_000)
    base[r]["rural"] = round(rpop2020[r] * RURAL_M2 / 10_000)
    base[r]["other_construction"] = oc[r]
    base[r]["pv"] = pv0[r]

fixed_total = sum(sum(base[r].values()) for r in REGIONS)
UNUSED_TOTAL = TOTAL_HA - fixed_total - GRASS_TOTAL
# grassland = what is left of each region after the other land uses and its assumed share of
# Tibet's unused land; the Tibet grassland total is split by these (float) weights with integer
# rounding, and each region's unused land is then its exact remainder (absorbs the rounding).
u_share = {r: UNUSED_TOTAL * UNUSED_SHARE[r] / sum(UNUSED_SHARE.values()) for r in REGIONS}
g_w = {r: area_ha[r] - sum(base[r].values()) - u_share[r] for r in REGIONS}
grass = split(GRASS_TOTAL, g_w)
for r in REGIONS:
    base[r]["grassland"] = grass[r]
    base[r]["unused"] = area_ha[r] - sum(base[r].values())
    assert base[r]["grassland"] > 0 and base[r]["unused"] > 0, r
    # degraded grassland: the survey's Tibet-wide share applied to every prefecture (estimate)
    base[r]["degraded_grassland"] = round(DEGRADED_SHARE * grass[r])
    base[r]["grassland"] = grass[r] - base[r]["degraded_grassland"]
    assert sum(base[r].values()) == area_ha[r]
    base[r]["sandy"] = 0
    base[r] = {l: base[r][l] for l in LU}
assert sum(base[r]["grassland"] + base[r]["degraded_grassland"] for r in REGIONS) == GRASS_TOTAL
# restorable sandy land, carved out of each prefecture's unused land (estimate split, below)
sandy = split(SANDY_TOTAL, SANDY_SHARE)
for r in REGIONS:
    assert sandy[r] < base[r]["unused"], r
    base[r]["sandy"] = sandy[r]
    base[r]["unused"] -= sandy[r]
    assert sum(base[r].values()) == area_ha[r]

# ---------------------------------------------------------------- carbon
constr_ha = sum(base[r][l] for r in REGIONS for l in ("urban", "rural", "other_construction"))
FOSSIL_TCE = 2_500_000  # assumption, 2019
MIX = {"coal": (0.30, 0.7559), "gasoline": (0.25, 0.5538), "diesel": (0.33, 0.5921),
       "kerosene": (0.07, 0.5714), "natural gas": (0.05, 0.4483)}
mix_factor = sum(s * f for s, f in MIX.values())
constr_tc = FOSSIL_TCE * mix_factor
CONSTR_FLUX = round(constr_tc / constr_ha, 2)
FLUX = {"cropland": 0.422, "garden": -0.73, "forest": -0.581, "grassland": -0.021, "degraded_grassland": -0.021,
        "wetland": -0.567, "water": -0.253, "urban": CONSTR_FLUX, "rural": CONSTR_FLUX,
        "other_construction": CONSTR_FLUX, "pv": 0.0, "unused": -0.005, "sandy": -0.005}

# ---------------------------------------------------------------- targets
URBAN_M2_TARGET = 140.0
demand = {(r, y): upop[(r, y)] * URBAN_M2_TARGET / 10_000 for r in REGIONS for y in YEARS}
LHASA_BOUNDARY = 23_055
boundary_ratio = LHASA_BOUNDARY / demand[("Lhasa", 2035)]
boundary = {r: (LHASA_BOUNDARY if r == "Lhasa" else round(demand[(r, 2035)] * boundary_ratio)) for r in REGIONS}
crop_min = {r: (LHASA_CROP_MIN if r == "Lhasa" else math.ceil(base[r]["cropland"] * CROP_TARGET_RATIO)) for r in REGIONS}
AFFOR_TOTAL = {y: round(0.002 * TOTAL_HA * (y - 2020) / 5) for y in YEARS}  # +0.2 pp per 5 years
affor = {(r, y): v for y in YEARS for r, v in split(AFFOR_TOTAL[y], AFFOR_SHARE).items()}
# desertification control 防沙治沙: the 13th FYP pace continued (no 14th FYP figure found), cumulative from 2019
SAND_TOTAL = {y: round(SAND_PACE_HA_YR * (y - 2019)) for y in YEARS}
sand_min = {(r, y): v for y in YEARS for r, v in split(SAND_TOTAL[y], SANDY_SHARE).items()}

# ---------------------------------------------------------------- grazing
CAPACITY_SU = 32_137_200  # 3,213.72万 SU (verified)
INTAKE = 657.0
UTIL = 0.5
DEGRADED_YIELD = 0.6  # forage of degraded grassland relative to good grassland (estimate)
grass_all = {r: base[r]["grassland"] + base[r]["degraded_grassland"] for r in REGIONS}
# mean good-grassland yield such that Σ (good + 0.6 × degraded) × yield × index × 0.5 ÷ 657 = 3,213.72万 SU
base_yield = CAPACITY_SU * INTAKE / (UTIL * sum((base[r]["grassland"] + DEGRADED_YIELD * base[r]["degraded_grassland"])
                                               * YIELD_INDEX[r] for r in REGIONS))
yield_r = {r: round(base_yield * YIELD_INDEX[r], 1) for r in REGIONS}
yield_deg = {r: round(DEGRADED_YIELD * yield_r[r], 1) for r in REGIONS}
REST_SHARE = {2025: 0.11, 2030: 0.12, 2035: 0.13}
FLOOR_FRAC = 0.85
PREFECTURE_FLOOR = 0.6  # each prefecture keeps at least 60% of its share of the region-wide herd (estimate)
CH4_PER_SU = 5.5
RESTORATION_PCT = 10.0  # % of rested degraded grassland recovering per year (between 禁牧 12.5 and 休牧 6, estimate)
REST_COST = 112.5  # yuan/ha/yr: 禁牧补助 7.5 yuan/mu/yr (national standard as commonly reported, estimate)
cap_full = {r: (base[r]["grassland"] * yield_r[r] + base[r]["degraded_grassland"] * yield_deg[r]) * UTIL / INTAKE
            for r in REGIONS}
rest = {(r, y): round(REST_SHARE[y] * grass_all[r]) for r in REGIONS for y in YEARS}
# the region-wide herd the plan keeps: 85% of the capacity of the grassland left after the rest minimum
herd_need = {(r, y): FLOOR_FRAC * (1 - REST_SHARE[y]) * cap_full[r] for r in REGIONS for y in YEARS}
LIVESTOCK_TOTAL = {y: math.floor(sum(herd_need[(r, y)] for r in REGIONS)) for y in YEARS}
floor = {(r, y): math.floor(PREFECTURE_FLOOR * herd_need[(r, y)]) for r in REGIONS for y in YEARS}
# the 2019 herd (reference pathway): 95% of the capacity with 10% of the grassland rested (estimate)
herd_2019 = {r: math.floor(0.95 * 0.9 * cap_full[r]) for r in REGIONS}

# ---------------------------------------------------------------- energy
suitable = {r: round(area_ha[r] / 3 * GRID_ACCESS[r]) for r in REGIONS}
PV_TARGET_GW = {2025: 10.0, 2030: 20.0, 2035: 30.0}
OTHER_GW = {2025: 5.0, 2030: 12.0, 2035: 25.0}
pv_t = {(r, y): v for y in YEARS for r, v in split(PV_TARGET_GW[y] * 1000, suitable).items()}
other = {(r, y): v for y in YEARS for r, v in split(OTHER_GW[y] * 1000, HYDRO_SHARE).items()}
clean_min = {(r, y): pv_t[(r, y)] + other[(r, y)] for r in REGIONS for y in YEARS}
PV_MWH = 1600
GRID_T = 0.5306  # China national average grid factor 2023 (MEE/NBS), t CO2/MWh
MEMO_FOSSIL_T_CO2 = 5_520_000  # Tibet energy + cement CO2 2014 (Shan et al. 2017, Earth's Future 5:854), as cited by the domain review

# ---------------------------------------------------------------- transitions
TRANS = [
    # from, to, max % per period, note
    ("cropland", "forest", 5, "returning farmland to forest 退耕还林"),
    ("cropland", "grassland", 5, "returning farmland to grassland 退耕还草"),
    ("cropland", "urban", 2, "urban expansion onto farmland (占用耕地)"),
    ("cropland", "rural", 1, "village construction"),
    ("cropland", "other_construction", 1, "roads, railways, hydropower"),
    ("garden", "urban", 2, ""),
    ("garden", "rural", 1, ""),
    ("grassland", "urban", 0.2, ""),
    ("grassland", "rural", 0.1, ""),
    ("grassland", "other_construction", 0.2, ""),
    ("grassland", "pv", 0.5, "PV on grassland (光伏复合)"),
    ("degraded_grassland", "grassland", None, "recovery under grazing ban/rest (the grazing balance limits its pace)"),
    ("degraded_grassland", "urban", 0.2, ""),
    ("degraded_grassland", "rural", 0.1, ""),
    ("degraded_grassland", "other_construction", 0.2, ""),
    ("degraded_grassland", "pv", 0.5, "PV on degraded grassland"),
    ("unused", "forest", None, "afforestation; cumulative amount capped by targets.afforestation_potential_ha"),
    ("unused", "grassland", 1, "desertified-land restoration 沙化土地治理"),
    ("unused", "wetland", 0.2, "wetland restoration"),
    ("unused", "urban", 1, ""),
    ("unused", "rural", 1, ""),
    ("unused", "other_construction", 1, ""),
    ("unused", "pv", 2, "PV on bare/sandy land"),
    # sandy land (issue #13): restoration by 防沙治沙, and the uses it may be taken for
    ("sandy", "grassland", 10, "desertification control 沙化土地治理: grass planting, sand barriers, enclosure"),
    ("sandy", "forest", 2, "shrub and protection-forest planting on sandy land where suitable (防护林)"),
    ("sandy", "urban", 1, ""),
    ("sandy", "rural", 1, ""),
    ("sandy", "other_construction", 1, ""),
    ("sandy", "pv", 2, "PV on sandy land (光伏治沙)"),
    ("forest", "urban", "no", "forbidden: forest may not become construction land"),
    ("forest", "rural", "no", "forbidden"),
    ("forest", "other_construction", "no", "forbidden"),
    ("grassland", "forest", "no", "forbidden: no afforestation of natural grassland"),
    ("grassland", "cropland", "no", "forbidden: Grassland Law bans reclamation"),
    ("degraded_grassland", "cropland", "no", "forbidden: Grassland Law bans reclamation"),
]
# public one-off cost (yuan/ha) and soil transition (years) of a conversion; blank = 0 yuan / the to-use's value.
# Construction and PV are paid by developers (0 here). Costs: docs/research/tibet_figures.md section F (estimates).
TRANS_COST = {("cropland", "forest"): 30_000, ("unused", "forest"): 30_000, ("cropland", "grassland"): 3_000,
              ("unused", "grassland"): 4_000, ("unused", "wetland"): 15_000, ("degraded_grassland", "grassland"): 1_500,
              ("unused", "cropland"): 45_000, ("sandy", "grassland"): SAND_COST, ("sandy", "forest"): 30_000}
TRANS_SOIL = {("degraded_grassland", "grassland"): 20, ("cropland", "grassland"): 20, ("unused", "cropland"): 100}
# PV panels on grassland keep the soil: at Talatan (Gonghe, Qinghai; desert steppe on the plateau) soil organic carbon
# under the panels (61.97 t/ha) and between them (61.29) was not below that outside the station (58.14) and rose with
# the station's age (Liu Qiang, Ma Hongyuan et al. 2025, Chinese Journal of Plant Ecology 49(11):1791-1804) -> 0 % of
# the soil difference is realised when PV is built on grassland or restorable sandy land (the pv land use carries the
# unused land's soil, 10 t C/ha, which only fits PV on unused land; the biomass cleared for the works is still lost)
TRANS_SOIL_PCT = {("grassland", "pv"): 0, ("degraded_grassland", "pv"): 0, ("sandy", "pv"): 0}

# ---------------------------------------------------------------- plan protection measures (issue #13 part A)
# permanent basic farmland 永久基本农田: Lhasa 54.92万亩 (verified); elsewhere Lhasa's ratio to its cropland target
LHASA_PBF = round(549_200 / 15)  # 36,613 ha
PBF_RATIO = 54.92 / 76.61
pbf = {r: (LHASA_PBF if r == "Lhasa" else math.floor(PBF_RATIO * crop_min[r])) for r in REGIONS}
# reserve land for new cropland 补充耕地 (cumulative from the baseline year): Lhasa's 2006-2020 plan obliged
# 1,355 ha of supplementary cropland over 15 years (≈90 ha/yr, verified secondary); scaled by baseline cropland
SUPP_LHASA_HA_YR = 1355 / 15
supp = {(r, y): round(SUPP_LHASA_HA_YR * base[r]["cropland"] / base["Lhasa"]["cropland"] * (y - 2019))
        for r in REGIONS for y in YEARS}
SUPP_RATE = 1  # % of unused land per period: loose; the reserve above binds first
TRANS += [("unused", "cropland", SUPP_RATE, "supplementary cropland 补充耕地 by land consolidation (占补平衡, 进出平衡)")]
# reservoirs of hydro projects (family hydro: in a region with a project, conversions into water equal the scheduled
# inundation; no rate limit, the schedule is the limit)
TRANS += [(lu, "water", None, "reservoir inundation 水库淹没 (hydro_projects only)")
          for lu in ("cropland", "forest", "grassland", "degraded_grassland", "wetland", "unused")]
# 生态退耕 quota: none found for Tibet -> blank (0 ha exempted); scenario ecological_retirement gives one
ECO_RETIRE = {r: base[r]["cropland"] - crop_min[r] for r in REGIONS}  # the loss the cropland floors allow
# ---------------------------------------------------------------- construction and energy measures (issue #13)
# per-capita urban land: GB 50137-2011 caps remote and minority-region cities at 150 m²/person; new urban land per new
# resident at the standard's upper class of 115 m² (estimate: no Tibet figure found); the demand stays at 140 m²,
# so the rest of the growth is met by redeveloping inefficient land 存量盘活 (costed against the budget)
URBAN_M2_CAP = 150.0
URBAN_M2_NEW = 115.0
# inefficient construction land 低效用地: 15% of baseline urban + village land, a third of it ready by each milestone
# (estimate); public cost of redeveloping it 600,000 yuan/ha = 4万元/亩 (收储、拆迁补偿, estimate)
REDEV_SHARE = 0.15
REDEV_READY = {2025: 1 / 3, 2030: 2 / 3, 2035: 1.0}
REDEV_COST = 600_000
redev = {(r, y): round(REDEV_SHARE * (base[r]["urban"] + base[r]["rural"]) * REDEV_READY[y]) for r in REGIONS for y in YEARS}
# hydro projects: (id, 中文, region, year in service, MW, share of the reservoir in Tibet, inundation ha/MW,
# construction ha/MW).  Capacities and locations verified secondary where noted in the sources rows; land per MW
# are estimates (canyon reservoirs ≈1 ha/MW; the lower Yarlung Tsangpo diverts through tunnels: 0.1 ha/MW)
HYDRO = [
    ("Suwalong", "苏洼龙水电站（金沙江上游）", "Chamdo", 2021, 1200, 0.5, 1.0, 0.15),
    ("Batang", "巴塘水电站（金沙江上游）", "Chamdo", 2024, 750, 0.5, 1.0, 0.15),
    ("Yebatan", "叶巴滩水电站（金沙江上游）", "Chamdo", 2025, 2240, 0.5, 1.0, 0.15),
    ("Lawa", "拉哇水电站（金沙江上游）", "Chamdo", 2027, 2000, 0.5, 1.0, 0.15),
    ("Rumei", "如美水电站（澜沧江上游）", "Chamdo", 2030, 2600, 1.0, 1.0, 0.15),
    ("Dagu", "大古水电站（雅鲁藏布江中游）", "Shannan", 2021, 660, 1.0, 1.0, 0.15),
    ("Jiexu", "街需水电站（雅鲁藏布江中游）", "Shannan", 2026, 560, 1.0, 1.0, 0.15),
    ("Yarlung_lower", "雅鲁藏布江下游水电工程", "Nyingchi", 2035, 60000, 1.0, 0.1, 0.05),
]
hydro_rows = [[h, zh, r, y, round(mw * share * inund), round(mw * share * cons),
               bi(f"装机{mw:,}兆瓦；西藏境内占{share:.0%}；每兆瓦淹没{inund}公顷、枢纽及施工用地{cons}公顷（估算）",
                  f"{mw:,} MW; Tibet share {share:.0%}; {inund} ha/MW inundated, {cons} ha/MW construction (estimates)")]
              for h, zh, r, y, mw, share, inund, cons in HYDRO]


def milestone_of(year: int) -> int:
    return next(t for t in YEARS if year <= t)


hydro_con = {(r, y): sum(row[5] for row in hydro_rows if row[2] == r and milestone_of(row[3]) <= y)
             for r in REGIONS for y in YEARS}
# other construction land minimum: baseline × growth (roads, railways, mining) + the hydro projects' construction land
OC_GROWTH = {2025: 1.10, 2030: 1.20, 2035: 1.30}
OC_MIN0 = {(r, y): math.ceil(base[r]["other_construction"] * OC_GROWTH[y]) + hydro_con[(r, y)] for r in REGIONS for y in YEARS}
# named clean-energy bases 清洁能源基地: no per-base capacity figure was found; each base is given 60% of its
# prefecture's share (by suitable land) of the Tibet-wide PV target (estimate); the model places the other 40% and
# the other prefectures' PV within the Tibet-wide target
BASE_SHARE = 0.6
BASES = [("Lhasa_PV", "拉萨光伏基地", "Lhasa"), ("Shigatse_PV", "日喀则光伏基地", "Shigatse"),
         ("Chamdo_WSP", "金沙江上游川藏段水风光一体化基地（西藏侧光伏）", "Chamdo"),
         ("Shannan_PV", "山南雅鲁藏布江中游水风光基地（光伏）", "Shannan")]

# total construction land 建设用地总规模: no 2035 figure retrieved; the plan's own needs + 5% headroom
CAP_HEADROOM = 1.05
need = {(r, y): max(base[r]["urban"], demand[(r, y)]) + base[r]["rural"] + OC_MIN0[(r, y)] for r in REGIONS for y in YEARS}
cap = {(r, y): math.ceil(CAP_HEADROOM * need[(r, y)]) for r in REGIONS for y in YEARS}
# compact development scenario: 115 m² per urban resident (GB 50137-2011 upper class), boundary and cap at its need
COMPACT_M2 = 115.0
# exactly as the model computes the demand (the population as written × m² ÷ 10,000), so that the rows meet
c_demand = {(r, y): round(upop[(r, y)]) * COMPACT_M2 / 10_000 for r in REGIONS for y in YEARS}
# compact development: 15% of the 2035 urban need is met by redeveloping inefficient land (the boundary binds in
# 2035), and in 2030 the cap leaves 5% of the urban need to redevelopment (the cap binds in 2030): both at a price
COMPACT_REDEV_2035 = 0.15
COMPACT_REDEV_2030 = 0.05
c_boundary = {r: round((1 - COMPACT_REDEV_2035) * c_demand[(r, 2035)], 1) for r in REGIONS}
c_cap = {(r, y): round(max(base[r]["urban"], c_demand[(r, y)] * (1 - (COMPACT_REDEV_2030 if y == 2030 else 0.0)))
                       + base[r]["rural"] + OC_MIN0[(r, y)], 4)
         for r in REGIONS for y in YEARS}
# ecological protection red line 生态保护红线: Tibet ≈53.9万 km² (verified secondary), Lhasa 9,674.59 km² (verified
# secondary); the rest split by each prefecture's natural land (forest, grassland, wetland, water, unused), and
# within a prefecture across those land uses in proportion to their baseline area (estimate)
NATURAL = ("forest", "grassland", "wetland", "water", "unused", "sandy")
REDLINE_TIBET_HA = 53_900_000
REDLINE_LHASA_HA = round(9_674.59 * 100)
nat = {r: sum(base[r][l] for l in NATURAL) for r in REGIONS}
red_total = {"Lhasa": REDLINE_LHASA_HA}
red_total.update(split(REDLINE_TIBET_HA - REDLINE_LHASA_HA, {r: nat[r] for r in REGIONS if r != "Lhasa"}))
redline = {(r, l): math.floor(red_total[r] * base[r][l] / nat[r]) for r in REGIONS for l in NATURAL}
for r in REGIONS:
    assert red_total[r] <= nat[r], r
# basic grassland 基本草原: no figure found; usable grassland share of the 2016 survey (11.57 of 13.23亿亩, verified
# secondary) applied to each prefecture's grassland (estimate: all usable grassland designated basic grassland)
USABLE_SHARE = 11.57 / 13.23
basic_grass = {r: math.floor(USABLE_SHARE * base[r]["grassland"]) for r in REGIONS}

# land inside the urban development boundary 城镇开发边界内现状用地 (not yet urban; docs/model.md §6.4 urban_site): no
# overlay of a prefecture's boundary with the 三调 map was found.  The boundary's land beyond the baseline urban land
# is split by a fixed mix per kind of prefecture (an assumption, not derived from a source): the valley towns of the
# 一江两河 and the east stand on valley floors among cropland, with gravel fans and bare land (unused), valley
# grassland and village land; the pastoral towns of Nagqu and Ngari stand on grassland.  That cropland is a real
# source of building land there is supported (Chu Duo et al. 2005: 38% of the cropland that changed use in Lhasa
# district in 1990-2000 became residential land; the Lhasa 2006-2020 plan capped new construction on cropland at
# 1,355 ha), not the shares themselves.  The rest of the boundary (villages, roads, parks and 林卡 woodland, water, wetland) does not become
# urban land in this model.
SITE_LU = ("cropland", "garden", "grassland", "degraded_grassland", "unused", "sandy")
SITE_MIX = {
    "valley": {"cropland": 0.35, "garden": 0.02, "grassland": 0.15, "degraded_grassland": 0.10, "unused": 0.15,
               "sandy": 0.03},
    "pastoral": {"cropland": 0.02, "garden": 0.0, "grassland": 0.30, "degraded_grassland": 0.20, "unused": 0.20,
                 "sandy": 0.05},
}
PASTORAL_TOWNS = ("Nagqu", "Ngari")


def site_mix(r: str) -> dict[str, float]:
    return SITE_MIX["pastoral" if r in PASTORAL_TOWNS else "valley"]


def inside_boundary(r: str, boundary_ha: float) -> float:
    """The boundary's land that is not yet urban (ha)."""
    return boundary_ha - base[r]["urban"]


urban_site = {(r, l): math.floor(site_mix(r)[l] * inside_boundary(r, boundary[r])) for r in REGIONS for l in SITE_LU}
for (r, l), v in urban_site.items():
    assert v <= base[r][l], (r, l)



# ---------------------------------------------------------------- write
def write(name: str, header: list[str], rows: list[list]) -> None:
    with open(OUT / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            w.writerow(["" if v is None else (int(v) if isinstance(v, float) and v.is_integer() else v) for v in row])


def num(x: float, nd: int = 0):
    if nd == 0:
        return int(round(x))
    return round(x, nd)


write("settings", ["key", "value", "unit", "description"], [
    ["title", "西藏自治区国土空间碳汇优化（2019–2035年） Tibet land use 2019–2035: maximise the net carbon sink", "", bi("方案标题", "Plan title")],
    ["baseline_year", 2019, "year", bi("第三次全国国土调查，标准时点2019-12-31", "Third national land survey, reference date 2019-12-31")],
    ["milestone_years", "2025,2030,2035", "year", bi("规划节点年份；2035年为国土空间规划目标年", "Milestones; 2035 is the target year of the territorial plan")],
    ["objective_years", "target", "",
     bi("仅用于通量法：最大化2035年净碳汇（碳储量变化法则最大化2019-2035年累计净碳汇）",
        "Flux accounting only: maximise the net sink in 2035 (stock-change accounting maximises the cumulative removals 2019-2035)")],
    ["carbon_accounting", "stock_change", "", bi("IPCC碳储量变化法，依据 carbon_stocks 表", "IPCC stock-change accounting from sheet carbon_stocks")],
    ["soil_transition_years", 20, "years", bi("土壤有机碳和枯落物及枯死木碳的IPCC默认过渡年数", "IPCC default transition time for soil and dead organic matter")],
    ["memo_fossil_emissions_t_co2_per_yr", MEMO_FOSSIL_T_CO2, "t CO2/yr",
     bi("仅作备注：西藏化石能源和水泥CO2排放（排放清单），与国土碳汇并列显示", "Memo only: Tibet fossil-energy and cement CO2 (inventory), shown beside the land sink")],
    ["include_avoided_emissions", "no", "", bi("不计入光伏发电替代的减排量", "Do not credit emissions avoided by PV power")],
    ["ch4_gwp", 28, "t CO2e/t CH4", bi("IPCC第五次评估报告（AR5）GWP100：《巴黎协定》强化透明度框架（第18/CMA.1号决定）要求各缔约方的清单采用AR5的100年全球增温潜势",
                                        "IPCC AR5 GWP100: the Paris Agreement's enhanced transparency framework (decision 18/CMA.1) requires Parties' inventories to use AR5 100-year GWPs")],
    ["area_tolerance_pct", 0.1, "%", bi("本数据中基期各地类面积之和与区域土地总面积完全一致", "Baseline areas sum exactly to the region totals here")],
    ["no_net_loss", "yes", "", bi("林地、湿地、草地面积下限为空时取基期面积", "Blank forest/wetland/grassland floors = baseline area")],
    ["families_off", "", "", bi("全部约束族均启用", "All constraint families on")],
    ["tie_break", "least_change", "", bi("碳汇同样最大的方案中取变动最小者：转换不早于、不多于最优所需，牲畜数量变化最小且减畜按基准存栏"
                                         "等比例分摊，禁牧休牧优先安排在退化草地",
                                         "Among equally good plans the least-change one: no conversion earlier or larger "
                                         "than the optimum needs, herds move least and cuts are shared in proportion to the "
                                         "reference herds, ban/rest on degraded grassland first")],
    ["solver_method", "auto", "", bi("HiGHS求解算法", "HiGHS method")],
    ["time_limit_s", 600, "s", bi("求解时限", "Solver time limit")],
    ["farmland_balance", "region", "", bi("各地市、各时段分别实行耕地占补平衡和进出平衡", "cropland offset (占补平衡) and in-out balance (进出平衡) in each prefecture and period")],
])

# forest growing stock 森林蓄积量 (issue #13): the Tibet stock split by baseline forest × a density index (estimate);
# standing growth = the 8th → 9th inventory gain over 5 years spread over the baseline forest (estimate)
stock0 = split(FOREST_STOCK_2019, {r: base[r]["forest"] * STOCK_DENSITY_INDEX[r] for r in REGIONS})
FOREST_GROWTH = round((FOREST_STOCK_2019 - FOREST_STOCK_8TH) / 5 / FOREST_TOTAL, 3)  # m³/ha/yr
write("regions", ["region", "name_zh", "total_area_ha", "forest_stock_m3", "forest_growth_m3_per_ha_yr",
                  "young_forest_growth_m3_per_ha_yr"],
      [[r, ZH[r], area_ha[r], stock0[r], FOREST_GROWTH, YOUNG_GROWTH] for r in REGIONS])

LU_ZH = {"cropland": "耕地", "garden": "园地", "forest": "林地", "grassland": "草地", "degraded_grassland": "退化草地",
         "wetland": "湿地",
         "water": "陆地水域", "urban": "城镇建设用地", "rural": "村庄建设用地",
         "other_construction": "交通采矿及其他建设用地", "pv": "光伏用地", "unused": "其他土地/未利用地",
         "sandy": "沙化土地（可治理）"}
LU_DESC = {
    "degraded_grassland": bi("仅用于通量法：按草地取值（估算）；草地的26.7%已退化（2016年草原调查）",
                             "flux accounting only: as grassland (estimate); 26.7% of the grassland, degraded (2016 survey)"),
    "cropland": bi("碳源 +0.422 吨碳/公顷/年（估算；广泛引用，出处未经确认）",
                   "source +0.422 t C/ha/yr (estimate; widely used, origin not confirmed)"),
    "garden": bi("碳汇 -0.73 吨碳/公顷/年（估算；国内土地利用碳排放研究的常用值，未与原始文献核对）",
                 "sink -0.73 t C/ha/yr (estimate; value common in Chinese land-use carbon studies, not checked against a primary source)"),
    "forest": bi("碳汇 -0.581 吨碳/公顷/年（估算；方精云等 2007；备选值 -0.644）",
                 "sink -0.581 t C/ha/yr (estimate; Fang Jingyun et al. 2007; alternative -0.644)"),
    "grassland": bi("碳汇 -0.021 吨碳/公顷/年（估算；备选值 -0.0205；实测值从约0（高寒草原）到 -0.41（那曲高寒草甸）不等）",
                    "sink -0.021 t C/ha/yr (estimate; alternative -0.0205; field values range from ~0 (alpine steppe) to -0.41 (Nagqu meadow))"),
    "wetland": bi("碳汇 -0.567 吨碳/公顷/年（估算）", "sink -0.567 t C/ha/yr (estimate)"),
    "water": bi("碳汇 -0.253 吨碳/公顷/年（估算；赖力 2010）", "sink -0.253 t C/ha/yr (estimate; Lai Li 2010)"),
    "urban": bi(f"碳源 +{CONSTR_FLUX} 吨碳/公顷/年（估算，由假定的2019年化石能源消费量推算，见 docs/data.md）",
                f"source +{CONSTR_FLUX} t C/ha/yr (estimate derived from an assumed 2019 fossil energy use, see docs/data.md)"),
    "rural": bi(f"与城镇建设用地相同的推算系数 +{CONSTR_FLUX}（估算）",
                f"same derived construction-land coefficient +{CONSTR_FLUX} (estimate)"),
    "other_construction": bi(f"与城镇建设用地相同的推算系数 +{CONSTR_FLUX}（估算）",
                             f"same derived construction-land coefficient +{CONSTR_FLUX} (estimate)"),
    "pv": bi("按假定取0：不计生态系统碳汇，不计光伏板下植被；光伏发电替代的减排量另行统计",
             "0 by assumption: no ecosystem sink credited, panel-area vegetation ignored; avoided emissions counted separately"),
    "unused": bi("碳汇 -0.005 吨碳/公顷/年（估算；赖力 2010）", "sink -0.005 t C/ha/yr (estimate; Lai Li 2010)"),
    "sandy": bi("可治理沙化土地（西藏2158万公顷沙化土地中的240万公顷，第五次全国荒漠化和沙化监测）；碳通量按未利用地取值（估算）",
                "restorable sandy land 可治理沙化土地 (240万 ha of Tibet's 2158万 ha sandy land, 5th desertification monitoring); flux as unused (estimate)"),
}
# output_yuan_per_ha_yr and food_t_per_ha_yr (optional, for trade-off curves): no sourced per-hectare
# figures were found for Tibet; these are ORDER-OF-MAGNITUDE ESTIMATES for demonstrating trade-off curves
# (labelled estimate on the sources sheet), not statistics.
FOOD = {"cropland": 2.4}  # ≈106万 t grain (commonly cited for 2021, not verified here) ÷ 44.21万 ha cropland
OUTPUT = {  # yuan/ha/yr, illustrative
    "degraded_grassland": 250,
    "cropland": 25_000, "garden": 40_000, "forest": 300, "grassland": 400, "wetland": 0, "water": 0,
    "urban": 800_000, "rural": 100_000, "other_construction": 200_000, "pv": 60_000, "unused": 0, "sandy": 0,
}
write("land_uses", ["land_use", "name_zh", "role", "carbon_flux_tC_per_ha_yr", "output_yuan_per_ha_yr", "food_t_per_ha_yr", "description"],
      [[l, LU_ZH[l], l, FLUX[l], OUTPUT.get(l), FOOD.get(l, 0), LU_DESC[l]] for l in LU])

write("baseline", ["region", "land_use", "area_ha"], [[r, l, base[r][l]] for r in REGIONS for l in LU])

# restoring degraded grassland (grazing ban/rest, reseeding) changes the grassland's condition, it does not clear it:
# the degraded sward stays and grows into the good grassland's stock (IPCC "grassland remaining grassland", improved)
TRANS_BIOMASS_LOSS_PCT = {("degraded_grassland", "grassland"): 0.0}
trows = []
for fr, to, pct, note in TRANS:
    if pct == "no":
        trows.append([fr, to, "no", None, None, None, None, None])
    else:
        trows.append([fr, to, "yes", pct, TRANS_COST.get((fr, to)), TRANS_SOIL.get((fr, to)), TRANS_SOIL_PCT.get((fr, to)),
                      TRANS_BIOMASS_LOSS_PCT.get((fr, to))])
write("transitions", ["from_land_use", "to_land_use", "allowed", "max_pct_per_period", "cost_yuan_per_ha",
                      "soil_transition_years", "soil_change_pct", "biomass_loss_pct"], trows)

write("targets", ["region", "year", "cropland_min_ha", "urban_boundary_ha", "urban_population",
                  "urban_land_per_capita_m2", "forest_min_ha", "wetland_min_ha", "grassland_min_ha",
                  "afforestation_potential_ha", "basic_farmland_min_ha", "eco_retirement_quota_ha",
                  "supplementary_cropland_potential_ha", "construction_max_ha", "sandy_restoration_min_ha",
                  # construction measures (issue #13)
                  "urban_land_per_capita_max_m2", "new_urban_land_per_capita_m2", "redevelopment_potential_ha",
                  "redevelopment_cost_yuan_per_ha"],
      [[r, y, crop_min[r], boundary[r], num(upop[(r, y)]), URBAN_M2_TARGET, None, None, None, affor[(r, y)],
        pbf[r], None, supp[(r, y)], cap[(r, y)], sand_min[(r, y)],
        URBAN_M2_CAP, URBAN_M2_NEW, redev[(r, y)], REDEV_COST]
       for r in REGIONS for y in YEARS])

write("grazing", ["region", "year", "forage_yield_kg_per_ha", "utilisation_rate", "intake_kg_per_su_yr",
                  "rest_min_ha", "livestock_min_su", "ch4_kg_per_su_yr", "degraded_yield_kg_per_ha",
                  "restoration_pct_per_yr", "rest_cost_yuan_per_ha_yr", "reference_livestock_su"],
      [[r, y, yield_r[r], UTIL, INTAKE, rest[(r, y)], floor[(r, y)], CH4_PER_SU, yield_deg[r], RESTORATION_PCT,
        REST_COST, herd_2019[r]] for r in REGIONS for y in YEARS])

write("energy", ["region", "year", "pv_suitable_ha", "pv_mw_per_ha", "clean_capacity_min_mw",
                 "other_clean_capacity_mw", "pv_mwh_per_mw_yr", "grid_factor_tco2_per_mwh"],
      [[r, y, suitable[r], PV_MW_PER_HA_NEW, None, other[(r, y)], PV_MWH, GRID_T]
       for r in REGIONS for y in YEARS])

# energy bases and hydro projects (issue #13): per-region PV minimums only for the named bases, the rest is placed by
# the model within the Tibet-wide PV target (province_targets.pv_capacity_min_mw)
base_mw = {(b, y): round(BASE_SHARE * pv_t[(r, y)], -1) for b, _zh, r in BASES for y in YEARS}
write("energy_bases", ["base", "name_zh", "region", "year", "min_mw", "source"],
      [[b, zh, r, y, base_mw[(b, y)], bi(f"估算：该地市按光伏适宜用地分得的全区光伏装机目标份额的{BASE_SHARE:.0%}",
                                          f"estimate: {BASE_SHARE:.0%} of the prefecture's share (by PV-suitable land) of "
                                          f"the Tibet PV target")] for b, zh, r in BASES for y in YEARS])
write("hydro_projects", ["project", "name_zh", "region", "year_in_service", "inundated_ha", "construction_ha", "source"],
      hydro_rows)

brows = []
for r in REGIONS:
    for y in YEARS:
        brows.append([r, "other_construction", y, OC_MIN0[(r, y)], None])
    for y in YEARS:
        brows.append([r, "rural", y, base[r]["rural"], None])
write("area_bounds", ["region", "land_use", "year", "min_ha", "max_ha"], brows)

def protected_note(r: str, l: str) -> str:
    zh, en = [], []
    if l in NATURAL:
        zh.append("生态保护红线总面积已核实（9,674.59平方公里），按地类分解（估算）" if r == "Lhasa"
                  else "生态保护红线：按比例分摊全区53.9万平方公里（估算）")
        en.append("red line verified total (9,674.59 km²), split by land use (estimate)" if r == "Lhasa"
                  else "red line: share of Tibet's 53.9万 km² (estimate)")
    if l == "grassland":
        zh.append("基本草原：按可利用草地占草地87.5%的比例（估算）")
        en.append("basic grassland: usable share 87.5% of grassland (estimate)")
    if l in SITE_LU:
        kind = ("牧区城镇", "pastoral town") if r in PASTORAL_TOWNS else ("河谷城镇", "valley town")
        zh.append(f"城镇开发边界内现状用地：边界内尚非城镇用地部分的{site_mix(r)[l]:.0%}（{kind[0]}地类构成，估算）")
        en.append(f"inside the urban development boundary: {site_mix(r)[l]:.0%} of the boundary's land not yet urban "
                  f"({kind[1]} mix, estimate)")
    return bi("；".join(zh), "; ".join(en))


PROTECTED_LU = [l for l in LU if l in NATURAL or l in SITE_LU]
write("protected_land", ["region", "land_use", "redline_ha", "basic_grassland_ha", "in_urban_boundary_ha", "note"],
      [[r, l, redline.get((r, l)), basic_grass[r] if l == "grassland" else None, urban_site.get((r, l)),
        protected_note(r, l)]
       for r in REGIONS for l in PROTECTED_LU])

# ---------------------------------------------------------------- carbon stocks (IPCC stock change)
# t C/ha: biomass (above + below ground), dead organic matter, soil organic carbon 0-30 cm; years to reach the
# biomass stock after conversion; remaining-land flux t C/ha/yr (emission +, removal -); CH4 kg/ha/yr.
# Values: docs/research/tibet_figures.md (recommended values, sections A-B), each labelled on the sources sheet.
STOCKS = {
    #  land use            biomass  dom   soc   maturity soil_yr remaining  ch4
    "cropland":           (0.0,    0.0,  40.0,  1,       None,   0.0,       0.0),
    "garden":             (20.0,   0.0,  50.0,  15,      None,   0.0,       0.0),
    "forest":             (70.0,   5.0,  72.0,  70,      100,    -0.15,     0.0),
    "grassland":          (2.31,   0.0,  50.0,  5,       100,    0.0,       0.0),
    "degraded_grassland": (1.62,   0.0,  45.0,  5,       None,   0.0,       0.0),
    "wetland":            (5.0,    0.0,  150.0, 10,      100,    0.0,       0.0),  # natural marsh: not counted
    "water":              (0.0,    0.0,  0.0,   0,       None,   0.0,       0.0),
    "urban":              (0.0,    0.0,  8.0,   0,       None,   0.0,       0.0),
    "rural":              (0.0,    0.0,  8.0,   0,       None,   0.0,       0.0),
    "other_construction": (0.0,    0.0,  8.0,   0,       None,   0.0,       0.0),
    "pv":                 (0.2,    0.0,  10.0,  0,       None,   0.0,       0.0),
    "unused":             (0.2,    0.0,  10.0,  0,       None,   0.0,       0.0),
    "sandy":              (0.3,    0.0,  15.0,  0,       None,   0.0,       0.0),
}
STOCK_NOTE = {
    "cropland": bi("土壤有机碳40为估算值（高原河谷耕地）；一年生作物不形成持久的生物量碳；保持不变时净通量为0：耕地按碳中性处理（其碳量取决于管理方式而非面积）",
                   "SOC 40 estimate (plateau valley cropland); annual crops hold no lasting biomass; remaining flux 0: cropland is neutral (its carbon depends on management, not area)"),
    "garden": bi("果园成熟（15年）时生物量碳20、土壤有机碳50：均为估算值", "orchard biomass 20 at maturity (15 yr) and SOC 50: estimates"),
    "forest": bi("土壤过渡期100年：沙化土地和未利用地造林后土壤碳增加约0.6 吨碳/公顷/年，远慢于IPCC Tier 1 默认20年过渡期所隐含的速度（估算）；"
                 "生物量碳70、枯落物碳5：西藏实测数据（植被 + 枯落物 74.57 吨碳/公顷，已核实）；土壤有机碳72（0-30 cm）由0-50 cm的96.24推算（估算）；"
                 "保持林地的净通量 -0.15 吨碳/公顷/年：1999-2019年森林资源清查碳储量每年增加2.2百万吨碳，分摊到约14.8百万公顷（估算）；"
                 "新造林每年增长1.0 吨碳/公顷（70年达到70 吨碳/公顷；高原林分实测1.14-3.58，估算）",
                 "soil transition 100 yr: afforested sandy/unused land gains soil carbon at ~0.6 t C/ha/yr, far slower than the 20-yr Tier 1 default implies (estimate); biomass 70 and litter 5: Tibet field data (plant + litter 74.57 t C/ha, verified); SOC 72 (0-30 cm) estimate from 96.24 at 0-50 cm; remaining -0.15 t C/ha/yr: 1999-2019 inventory gain 2.2 Tg C/yr over about 14.8 Mha (estimate); new stands grow 1.0 t C/ha/yr (70 t C/ha over 70 yr; plateau stands 1.14-3.58, estimate)"),
    "grassland": bi("土壤过渡期100年：恢复草地的土壤碳增加约0.25-0.45 吨碳/公顷/年（高原禁牧封育研究，研究资料B节），"
                    "而非20年增加40 吨碳/公顷所隐含的每年2 吨碳/公顷（估算）；生物量碳2.31 吨碳/公顷：西藏草地植被碳储量189.37百万吨碳，"
                    "面积8,205万公顷（已核实）；土壤有机碳50（0-30 cm）为估算值；保持草地的净通量为0（IPCC Tier 1，视为名义上的管理草地）；"
                    "生物量在5年内恢复",
                    "soil transition 100 yr: restored grassland gains soil carbon at ~0.25-0.45 t C/ha/yr (plateau grazing-exclusion studies, research B), not the 2 t C/ha/yr that 40 t C/ha over 20 yr implies (estimate); biomass 2.31 t C/ha: Tibet grassland vegetation carbon 189.37 Tg C over 8,205万 ha (verified); SOC 50 (0-30 cm) estimate; remaining 0 (IPCC Tier 1, nominally managed); biomass recovers over 5 yr"),
    "degraded_grassland": bi("生物量碳取草地的0.7倍，土壤有机碳取草地的0.9倍（IPCC中度退化系数0.95、重度0.70；研究资料A节，估算）；"
                             "禁牧休牧下恢复为草地，土壤碳在20年内恢复（IPCC默认值；0.25 吨碳/公顷/年，高原禁牧封育研究）；"
                             "此行用于以高寒草甸为主的昌都市和林芝市，其余五个地市另有分区一行（禁牧只在高寒草甸增加土壤有机碳）",
                             "biomass 0.7 × grassland and SOC 0.9 × grassland (IPCC moderately degraded factor 0.95, severe 0.70; research A, estimate); recovers to grassland under grazing ban/rest, soil over 20 yr (IPCC default; 0.25 t C/ha/yr, plateau grazing-exclusion studies); "
                             "this row holds in meadow-dominated Chamdo and Nyingchi, the other five prefectures have their own row (grazing exclusion raises soil carbon in alpine meadow only)"),
    "wetland": bi('沼泽：生物量碳5、土壤有机碳150为估算值；土壤过渡期100年：恢复的沼泽在20年内达不到成熟沼泽的土壤碳储量（估算）；保持原状的自然沼泽按IPCC清单惯例不计净通量和甲烷（未经管理的土地，2006年IPCC指南第4卷第7章；高原单一站点实测吸收1.27 吨碳/公顷/年、甲烷58.7 千克/公顷/年仅作参考，见 docs/data.md）；恢复（再湿润）的沼泽为管理土地，计其甲烷58.7 千克/公顷/年（高原平均值，已核实；IPCC 2013年湿地增补指南）',
                  "marsh: biomass 5 and SOC 150 estimates; soil transition 100 yr: a restored marsh does not reach a mature marsh's soil stock in 20 yr (estimate); natural marsh remaining marsh carries no flux and no CH4, as inventories count it (unmanaged land, IPCC 2006 Vol. 4 ch. 7; the one plateau site's uptake 1.27 t C/ha/yr and CH4 58.7 kg/ha/yr are for reference, docs/data.md); restored (rewetted) marsh is managed land and emits its CH4, 58.7 kg/ha/yr (plateau mean, verified; IPCC 2013 Wetlands Supplement)"),
    "water": bi("湖泊、河流、冰川及永久积雪：不计土地碳库和碳通量（冰川和裸露水面：0），湖泊河流的甲烷不计（非人为管理，IPCC）；"
                "新建水库（水电工程淹没）按IPCC 2019年修订版水淹地一级方法计甲烷：冷温带20年内水库水面84.7千克/公顷/年，加下游排放0.09倍，"
                "即92.3（估算；昌都另见分区一行）；淹没土地的CO2已由碳库差计入",
                "lakes, rivers, glaciers and permanent snow: no land carbon pool and no flux credited (glaciers and bare water: 0), no methane for lakes and rivers (unmanaged, IPCC); "
                "new reservoirs (hydro inundation) emit methane by the IPCC 2019 Refinement's flooded-land Tier 1: cool temperate reservoirs up to 20 years old 84.7 kg CH4/ha/yr from the surface plus 0.09 of it downstream, 92.3 (estimate; Chamdo has its own row); the flooded land's CO2 is the stock difference"),
    "urban": bi("建设用地：大部分为硬化地表；土壤有机碳8为估算值；不按面积计排放：化石能源和水泥CO2排放仅作备注（settings）",
                "settlements: mostly sealed; SOC 8 estimate; no per-hectare emission: fossil energy and cement CO2 is a memo line (settings)"),
    "rural": bi("同城镇建设用地", "as urban"),
    "other_construction": bi("同城镇建设用地", "as urban"),
    "pv": bi("生物量碳0.2、土壤有机碳10，与光伏所在的未利用地相同：荒地上的光伏板不计碳增量；草地上建光伏损失草地的生物量碳，"
             "土壤碳保持不变（地类转换规则 soil_change_pct = 0：塔拉滩光伏电站板下土壤有机碳不低于站外）"
             "（估算；自然资办发〔2023〕12号禁止在基本草原建设光伏）",
             "biomass 0.2 and SOC 10 = unused land, where PV is sited: no carbon gain is credited to panels on barren land; PV on grassland loses the grassland's biomass but keeps its soil (transitions soil_change_pct = 0: at the Talatan station soil organic carbon under the panels is not below that outside) (estimate; 自然资办发〔2023〕12号 bars PV from basic grassland)"),
    "unused": bi("裸岩、砾石地及不可治理的沙化土地：生物量碳0.2、土壤有机碳10（裸岩约5，沙地约15），均为估算值",
                 "bare rock, gravel and the sandy land that cannot be restored: biomass 0.2, SOC 10 (bare rock ≈5, sandy ≈15) estimates"),
    "sandy": bi("可治理沙化土地（植被稀疏，盖度 < 40%）：生物量碳0.3、土壤有机碳15 吨碳/公顷（0-30 cm），均为估算值，约为高寒草甸50的三分之一"
                "（沙土有机碳很少）；治理为草地后，土壤碳按草地的100年过渡期上升（约0.35 吨碳/公顷/年，估算）",
                "restorable sandy land (sparse vegetation, cover < 40%): biomass 0.3 and SOC 15 t C/ha (0-30 cm) estimates, a third of alpine meadow's 50 (sandy soils hold little organic carbon); restored to grassland its soil rises over the grassland's 100 yr (≈0.35 t C/ha/yr, estimate)"),
}
# the marsh's measured uptake (eddy covariance) is its soil's own accumulation: a restored marsh earns it only once
# its soil transition is over (docs/model.md §7.1, J), not on top of the soil gain; the forest's remaining flux is the
# inventory's biomass gain and starts at maturity
FLUX_INCLUDES_SOIL: dict[str, str] = {}  # the marsh's measured uptake is no longer counted (natural marsh: unmanaged)
# methane of new reservoirs (land converted to water: only the hydro projects' inundation), IPCC 2019 Refinement Vol. 4
# Ch. 7 (Flooded Land), Tier 1, reservoirs up to 20 years old (every reservoir of the plan is younger than 20 in 2035):
# surface emissions by climate zone plus downstream emissions at 0.09 of them.  Cool temperate (mean annual
# temperature 0-10 °C at the reservoir surface: Dagu and Jiexu near Gyaca, whose station mean ≈10.5 °C at 3,260 m puts
# the pools at ≈3,400 m just below 10 °C, a borderline case; the lower Yarlung Tsangpo project's intake reservoir above
# the Great Bend, ≈2,900 m, ≈8.7 °C) 84.7 kg CH4/ha/yr.  Chamdo: Suwalong, Batang and Lawa (pools ≈2,475-2,700 m in the
# dry-hot Jinsha valley, < 500 mm rain) warm temperate dry 195.6; Yebatan and Rumei (pools ≈2,890 m, ≈10 °C) cool
# temperate 84.7; weighted by the projects' inundation (1,975 and 3,720 ha) 123.2 -> × 1.09 = 134.2.  Figures as
# tabulated in a secondary source (the Refinement's own tables were not retrieved), trophic-state adjustment α = 1
# assumed (cold, silty reservoirs are likely oligotrophic, which would lower it): estimates.  Lakes and rivers in water
# are unmanaged and not counted (IPCC), so the figure applies to new water only (new_land_ch4_kg_per_ha_yr).
RESERVOIR_DOWNSTREAM = 0.09
CH4_COOL, CH4_WARM_DRY = 84.7, 195.6  # kg CH4/ha/yr from the surface, reservoirs ≤ 20 years old
CHAMDO_WARM_HA, CHAMDO_COOL_HA = 600 + 375 + 1000, 1120 + 2600  # Suwalong, Batang, Lawa; Yebatan, Rumei
RESERVOIR_CH4 = {"cool_temperate": round(CH4_COOL * (1 + RESERVOIR_DOWNSTREAM), 1),
                 "Chamdo": round((CHAMDO_WARM_HA * CH4_WARM_DRY + CHAMDO_COOL_HA * CH4_COOL)
                                 / (CHAMDO_WARM_HA + CHAMDO_COOL_HA) * (1 + RESERVOIR_DOWNSTREAM), 1)}
# restored (rewetted) marsh is managed land: its CH4 counts (IPCC 2013 Wetlands Supplement), the plateau mean
NEW_LAND_CH4 = {"water": RESERVOIR_CH4["cool_temperate"], "wetland": 58.7}
NEW_LAND_CH4_REGION = {("Chamdo", "water"): RESERVOIR_CH4["Chamdo"]}
# -- grassland restoration earns the meadow's soil gain only (Liu, Sheng, Wang, Ma, Huang & Li 2020, Sustainability
# 12(3):977, meta-analysis of grazing exclusion on the Qinghai-Tibetan Plateau, topsoil 0-30 cm: SOC +16.5% overall,
# a significant increase in alpine meadow, none in alpine steppe and alpine desert steppe; verified, abstract).  The
# all-region degraded row (SOC 45 against grassland's 50) gives every restored hectare 5 t C/ha of soil; in a prefecture
# only its meadow share earns it: degraded SOC = 50 - 5 × meadow share (the rest, steppe and desert steppe, keeps the
# good grassland's soil when degraded, so restoring it gains biomass only; biomass does recover under exclusion).
# Meadow share of each prefecture's grassland (alpine meadow, alpine shrub meadow and marsh meadow against alpine
# steppe, alpine desert steppe and the valleys' temperate steppe): estimates from the SE-NW gradient of Tibet's
# grassland types (no prefecture table of the grassland surveys was found): Ngari is alpine steppe and desert steppe
# with meadow only along lakes, streams and on the high slopes; Nagqu's eastern counties (Seni, Biru, Jiali, Suo,
# Baqing, Nierong) are Kobresia meadow, its larger west (Bange, Xainza, Nyima, Shuanghu) Stipa steppe; Shigatse's north
# and the Himalaya's rain shadow are steppe, meadow holds the high slopes; Shannan's south is meadow, its north-west
# (Nagarzê, Yamdrok) steppe; Lhasa's Damxung and the upper valleys are meadow, the valley floors temperate steppe.
# Weighted by the grassland areas the shares give ≈36% meadow for Tibet, the research note's ≈35% (A, estimate).
# Chamdo and Nyingchi are meadow and shrub meadow: the all-region row (its dry-valley steppe is ignored).
MEADOW_SHARE = {"Lhasa": 0.6, "Shigatse": 0.3, "Shannan": 0.5, "Nagqu": 0.4, "Ngari": 0.1}
SOC_GOOD, SOC_DEGRADED = STOCKS["grassland"][2], STOCKS["degraded_grassland"][2]
DEGRADED_SOC_REGION = {r: round(SOC_GOOD - (SOC_GOOD - SOC_DEGRADED) * m, 2) for r, m in MEADOW_SHARE.items()}
STOCKS_REGION = {(r, "degraded_grassland"): (*STOCKS["degraded_grassland"][:2], soc, *STOCKS["degraded_grassland"][3:])
                 for r, soc in DEGRADED_SOC_REGION.items()}
STOCKS_REGION[("Chamdo", "water")] = STOCKS["water"]
STOCK_NOTE_REGION = {(r, "degraded_grassland"): bi(
    f"同全区退化草地一行，但土壤有机碳为{soc:g}：禁牧只在高寒草甸显著增加表层（0-30 cm）土壤有机碳，在高寒草原和高寒荒漠草原不显著"
    f"（Liu等 2020，Sustainability 12(3):977，荟萃分析，已核实）；{ZH[r]}草地中高寒草甸约占{MEADOW_SHARE[r]:.0%}（估算），"
    f"50 − 5 × {MEADOW_SHARE[r]:g} = {soc:g}，恢复只在草甸部分获得土壤碳；生物量碳不变（禁牧下生物量可恢复）",
    f"as the all-region degraded_grassland row, but SOC {soc:g}: grazing exclusion raises topsoil (0-30 cm) SOC in alpine "
    f"meadow, not significantly in alpine steppe and alpine desert steppe (Liu et al. 2020, Sustainability 12(3):977, "
    f"meta-analysis, verified); alpine meadow is ≈{MEADOW_SHARE[r]:.0%} of {r}'s grassland (estimate), "
    f"50 − 5 × {MEADOW_SHARE[r]:g} = {soc:g}, so restoration earns soil carbon on the meadow share only; biomass as is "
    f"(it recovers under exclusion)") for r, soc in DEGRADED_SOC_REGION.items()}
STOCK_NOTE_REGION[("Chamdo", "water")] = bi(
    "同全区水域一行，但新建水库的甲烷按各水库淹没面积加权：苏洼龙、巴塘、拉哇（金沙江干热河谷，正常蓄水位约2,475-2,700米）取IPCC暖温带干旱区195.6，"
    "叶巴滩、如美（正常蓄水位约2,890米，年均温约10°C）取冷温带84.7，加权123.2 × 1.09 = 134.2 千克/公顷/年（估算）",
    "as the all-region water row, but the new reservoirs' methane is weighted by their inundation: Suwalong, Batang and Lawa (dry-hot Jinsha valley, pools ≈2,475-2,700 m) IPCC warm temperate dry 195.6, "
    "Yebatan and Rumei (pools ≈2,890 m, ≈10 °C) cool temperate 84.7; weighted 123.2 × 1.09 = 134.2 kg CH4/ha/yr (estimate)")
write("carbon_stocks", ["land_use", "region", "biomass_tC_per_ha", "dom_tC_per_ha", "soc_tC_per_ha", "maturity_years",
                        "soil_transition_years", "remaining_flux_tC_per_ha_yr", "ch4_kg_per_ha_yr",
                        "remaining_flux_includes_soil", "new_land_ch4_kg_per_ha_yr", "note"],
      [[l, None, *STOCKS[l], FLUX_INCLUDES_SOIL.get(l), NEW_LAND_CH4.get(l), STOCK_NOTE[l]] for l in LU]
      + [[l, r, *STOCKS_REGION[(r, l)], FLUX_INCLUDES_SOIL.get(l),
          NEW_LAND_CH4_REGION.get((r, l), NEW_LAND_CH4.get(l)), STOCK_NOTE_REGION[(r, l)]]
         for (r, l) in STOCKS_REGION])
FOREST_COVER = {2025: 12.51, 2030: 12.71, 2035: 12.91}
BUDGET = {2025: BUDGET_PER_YEAR * 6, 2030: BUDGET_PER_YEAR * 5, 2035: BUDGET_PER_YEAR * 5}  # yuan per period
# economic_output_min_yuan_per_yr: blank in the base workbook (no development requirement); the scenario
# land_output_growth sets it.  Land-based output of the baseline = Σ area × OUTPUT (illustrative coefficients).
OUTPUT_2019 = sum(base[r][l] * OUTPUT.get(l, 0) for r in REGIONS for l in LU)
OUTPUT_GROWTH = 0.02  # per year, illustrative
BASE_YEAR = 2019
OUTPUT_MIN = {y: round(OUTPUT_2019 * (1 + OUTPUT_GROWTH) ** (y - BASE_YEAR), -6) for y in YEARS}
# forest growing stock floor: the 2009-2018 inventory trend continued (森林面积和蓄积量双增长; no plan figure found)
# (rounded down to 10,000 m³, so that standing growth alone meets it: on Tibet this floor holds without new forest)
STOCK_MIN = {y: math.floor((FOREST_STOCK_2019 + FOREST_GROWTH * FOREST_TOTAL * (y - 2019)) / 1e4) * 10_000 for y in YEARS}
write("province_targets", ["year", "forest_cover_min_pct", "livestock_min_su", "budget_yuan", "economic_output_min_yuan_per_yr",
                          "forest_stock_min_m3", "pv_capacity_min_mw"],
      [[y, FOREST_COVER[y], LIVESTOCK_TOTAL[y], BUDGET[y], None, STOCK_MIN[y], PV_TARGET_GW[y] * 1000] for y in YEARS])

# ---------------------------------------------------------------- scenarios
ECO_AFFOR = 1.5
ECO_SAND = 1.5
ECO_REST = 1.3
STRICT_REST = 1.5
DEV_BOUNDARY = 1.3
DEV_M2 = 150
DEV_CLEAN = 1.2
DEV_SUIT = 1.5
eco_wet = {r: base[r]["wetland"] + math.floor(0.5 * 0.002 * base[r]["unused"]) for r in REGIONS}
# the grassland floor counts good AND degraded grassland (docs/model.md §6.8): the floor is their 2019 sum plus the gain
eco_grass = {r: base[r]["grassland"] + base[r]["degraded_grassland"] + math.floor(0.5 * 0.01 * base[r]["unused"])
             for r in REGIONS}

S = []
d_eco = bi("生态优先：造林潜力增加50%，湿地和草地面积下限高于基期，禁牧休牧草地增加30%，沙化土地治理面积增加50%（防沙治沙）。",
           "Ecology first: 50% more afforestation potential, wetland and grassland floors above baseline, 30% more grassland "
           "under grazing ban/rest, 50% more sandy land restored (防沙治沙).")
S.append(["ecological_priority", "", d_eco, "targets", "afforestation_potential_ha", "", "scale", ECO_AFFOR,
          bi("所有区域和年份×1.5；仍远低于各区域的未利用地面积",
                 "all regions and years x1.5; stays well below each region's unused land")])
for r in REGIONS:
    S.append(["ecological_priority", "", d_eco, "targets", "wetland_min_ha", f"region={r}", "set", eco_wet[r],
              bi("基期湿地面积 + 第一时段未利用地转湿地（每时段0.2%）可增加面积的一半",
                 "baseline wetland + half of what unused->wetland (0.2%/period) can add in the first period")])
for r in REGIONS:
    S.append(["ecological_priority", "", d_eco, "targets", "grassland_min_ha", f"region={r}", "set", eco_grass[r],
              bi("基期草地面积（按下限的口径，含未退化和退化草地）+ 第一时段未利用地转草地（每时段1%）可增加面积的一半",
                 "baseline grassland (good + degraded, as the floor counts it) + half of what unused->grassland (1%/period) can add in the first period")])
S.append(["ecological_priority", "", d_eco, "grazing", "rest_min_ha", "", "scale", ECO_REST,
          bi("禁牧休牧面积占基期草地的比例由11/12/13%提高到14.3/15.6/16.9%",
                 "rest share of baseline grassland 11/12/13% -> 14.3/15.6/16.9%")])
d_dev = bi("发展优先：城镇开发边界扩大30%（含拉萨市2035年边界），人均城镇建设用地150平方米，全区光伏装机目标提高20%，光伏适宜用地增加50%。",
           "Development first: urban boundaries +30% (Lhasa 2035 too), 150 m2 urban land per resident, the province-wide PV target +20% and 50% more PV-suitable land.")
S.append(["development_priority", "", d_dev, "targets", "urban_boundary_ha", "", "scale", DEV_BOUNDARY,
          bi("所有区域，含拉萨市（各规划年份由23,055公顷增至29,972公顷）",
                 "all regions incl. Lhasa (23,055 ha -> 29,972 ha in every milestone year)")])
for r in REGIONS:
    S.append(["development_priority", "", d_dev, "protected_land", "in_urban_boundary_ha", f"region={r}", "scale",
              round(inside_boundary(r, DEV_BOUNDARY * boundary[r]) / inside_boundary(r, boundary[r]), 4),
              bi("边界内尚非城镇用地随边界扩大：(1.3 × 边界 − 基期城镇用地) ÷ (边界 − 基期城镇用地)，新增部分地类构成不变",
                 "the boundary's land not yet urban grows with it: (1.3 × boundary − baseline urban) ÷ (boundary − "
                 "baseline urban), the added land of the same mix")])
S.append(["development_priority", "", d_dev, "targets", "urban_land_per_capita_m2", "", "set", DEV_M2,
          bi("GB 50137-2011 特殊情况下的上限",
                 "GB 50137-2011 upper limit for special cases")])
S.append(["development_priority", "", d_dev, "province_targets", "pv_capacity_min_mw", "", "scale", DEV_CLEAN,
          bi("光伏装机由10/20/30 GW提高到12/24/36 GW（各地市的 clean_capacity_min_mw 为空，对其缩放不起作用）",
                 "10/20/30 GW -> 12/24/36 GW of PV (the per-prefecture clean_capacity_min_mw is blank: scaling it changed nothing)")])
S.append(["development_priority", "", d_dev, "energy", "pv_suitable_ha", "", "scale", DEV_SUIT,
          bi("放宽光伏电网接入条件",
                 "wider grid access for PV")])
d_ban = bi("在生态优先情景基础上大幅扩大禁牧休牧面积并减畜：禁牧休牧面积再×1.5，全区牲畜存栏下限减少15%，禁牧休牧补助资金增加30%。",
           "Ecological priority plus a much larger grazing ban/rest area with destocking (减畜): rest ×1.5 more, the "
         "region-wide herd −15% and 30% more budget for ban/rest subsidies.")
S.append(["strict_grazing_ban", "ecological_priority", d_ban, "grazing", "rest_min_ha", "", "scale", STRICT_REST,
          bi("在上级情景×1.3的基础上再×1.5，即×1.95：禁牧休牧面积占基期草地的21.5/23.4/25.4%",
                 "x1.5 on top of the parent's x1.3 = x1.95: rest 21.5/23.4/25.4% of baseline grassland")])
S.append(["strict_grazing_ban", "ecological_priority", d_ban, "province_targets", "livestock_min_su", "", "scale", 0.85,
          bi("减畜：全区牲畜存栏要求减少15%（剩余可放牧草地的承载量减少）",
                 "destocking: the region-wide herd requirement −15% (the grassland left to graze carries less)")])
S.append(["strict_grazing_ban", "ecological_priority", d_ban, "province_targets", "budget_yuan", "", "scale", 1.3,
          bi("扩大后的禁牧休牧面积所需补助",
                 "ban/rest subsidies for the larger rested area")])
d_conf = bi("有意设置为不可行：那曲市牲畜存栏下限提高到3倍，超出其草地的理论载畜量。",
            "Deliberately infeasible: Nagqu's livestock floor raised 3-fold, above what its grassland can carry.")
S.append(["grazing_conflict", "", d_conf, "grazing", "livestock_min_su", "region=Nagqu", "scale", 3.0,
          bi("有意设置为不可行（不可行诊断演示）：下限 = 3 × 0.6 × 0.85 × 载畜能力 = 那曲市全部草地载畜能力的1.53倍",
                 "INFEASIBLE on purpose (diagnosis demo): floor = 3 × 0.6 × 0.85 × capacity = 1.53 × the capacity of all of Nagqu's grassland")])
d_cmp = bi("节约集约用地：人均城镇建设用地115平方米（GB 50137-2011上限档）；城镇开发边界取2035年用地需求的85%，2030年建设用地总规模"
           "上限比城镇用地需求低5%，其余需求通过盘活存量低效建设用地解决，边界（2035年）和总规模上限（2030年）起约束作用并有影子价格。",
           "Compact development 节约集约用地: 115 m² of urban land per resident (GB 50137-2011 upper class); urban "
         "development boundaries at 85% of the 2035 need and the 2030 construction-land cap 5% of the urban need below "
         "it, so that the rest is met by redeveloping inefficient land 存量盘活 — boundary (2035) and cap (2030) bind "
         "with a price.")
S.append(["compact_development", "", d_cmp, "targets", "urban_land_per_capita_m2", "", "set", COMPACT_M2,
          bi("GB 50137-2011：人均65-115平方米（取上限档），不再将拉萨市140平方米的上限用于各地",
                 "GB 50137-2011: 65-115 m² per resident (the upper class), instead of Lhasa's 140 m² cap applied everywhere")])
for r in REGIONS:
    S.append(["compact_development", "", d_cmp, "targets", "urban_boundary_ha", f"region={r}", "set", c_boundary[r],
              bi("按人均115平方米计算的2035年城镇用地需求的85%（其余15%靠存量建设用地盘活）",
                 "85% of the 2035 urban land need at 115 m² per resident (15% by redevelopment)")])
for r in REGIONS:
    assert c_boundary[r] > base[r]["urban"], r
for r in REGIONS:
    for y in YEARS:
        S.append(["compact_development", "", d_cmp, "targets", "construction_max_ha", f"region={r};year={y}", "set",
                  c_cap[(r, y)], bi("按人均115平方米的城镇用地需求（2030年取其95%）+ 基期村庄建设用地 + 含水电工程的其他建设用地下限（不留余量）",
                 "urban need at 115 m² (2030: 95% of it) + baseline villages + other construction "
                  "minimum incl. hydro (no headroom)")])
d_ret = bi("生态退耕：设定退耕指标，耕地可减少至耕地保有量下限（下限允许减少的2.8%）并退耕还林还草，无需补充新增耕地。",
           "Ecological retirement 生态退耕: a quota lets cropland down to the cropland floor (the 2.8% the floors allow) "
         "become forest or grassland without replacement by new cropland.")
for r in REGIONS:
    S.append(["ecological_retirement", "", d_ret, "targets", "eco_retirement_quota_ha", f"region={r}", "set",
              ECO_RETIRE[r], bi("基期耕地 − 耕地保有量下限 cropland_min_ha（累计，各规划年份）",
                 "baseline cropland − cropland_min_ha (cumulative, every milestone)")])
d_out = bi("发展用地需求：土地经济产出（面积 × land_uses.output_yuan_per_ha_yr，示意系数）自2019年起每年增长2%，以此形成发展压力，"
           "检验城镇开发边界、光伏适宜用地、生态保护红线和财政预算；为示意性要求，不是官方目标。",
           "Land-based growth 发展用地需求: the land's economic output (area × land_uses.output_yuan_per_ha_yr, "
         "illustrative coefficients) grows 2%/yr from 2019 — development pressure that tests the urban development "
         "boundary, PV-suitable land, the red line and the budget; an illustrative requirement, not an official target.")
for y in YEARS:
    S.append(["land_output_growth", "", d_out, "province_targets", "economic_output_min_yuan_per_yr", f"year={y}", "set",
              OUTPUT_MIN[y], bi(f"{BASE_YEAR}年{OUTPUT_2019 / 1e8:,.1f}亿元/年 × 1.02^{y - BASE_YEAR}（估算）",
                 f"{OUTPUT_2019 / 1e8:,.1f}亿 yuan/yr in {BASE_YEAR} × 1.02^{y - BASE_YEAR} (estimate)")])
# forest growing stock (issue #13): the shipped floor (the inventory trend) never binds, the stock only rises; this
# scenario asks for more stock by 2035 than the base plan's new forest gives, so new forest must grow it
STOCK_PUSH_2035 = 2_390_000_000
d_stk = bi("提高森林蓄积量目标：2035年达到23.90亿立方米（按森林资源清查趋势为23.71亿，基准方案为23.88亿），须更早营造更多新林，使其有时间生长。",
           "Forest growing stock 森林蓄积量 raised: 23.90亿 m³ by 2035 (the inventory trend gives 23.71亿, the base plan "
         "23.88亿): more new forest must be planted early enough to grow.")
S.append(["forest_stock_growth", "", d_stk, "province_targets", "forest_stock_min_m3", "year=2035", "set",
          STOCK_PUSH_2035, bi("比基准方案2035年蓄积量高0.02亿立方米（对较高的森林面积和蓄积量双增长目标的估算）；受预算、造林潜力和幼林生长速度限制，2035年最多约23.92亿",
                 "0.02亿 m³ above the base plan's 2035 stock (estimate of an ambitious 双增长 target); about 23.92亿 is the most the budget, the afforestation potential and the young-stand growth rate allow by 2035")])
S.append(["ecological_priority", "", d_eco, "targets", "sandy_restoration_min_ha", "", "scale", ECO_SAND,
          bi("防沙治沙按“十三五”进度的1.5倍推进",
                 "desertification control 防沙治沙 at 1.5 × the 13th FYP pace")])
write("scenarios", ["scenario", "parent", "description", "sheet", "column", "where", "operation", "value", "note"], S)

# ---------------------------------------------------------------- summary for docs + checks
summary = {
    "area_ha": area_ha, "f_scale": f_scale, "upop2020": upop2020, "rpop2020": rpop2020,
    "FOREST_TOTAL": FOREST_TOTAL, "WATER_TOTAL": WATER_TOTAL, "UNUSED_TOTAL": UNUSED_TOTAL,
    "constr_ha": constr_ha, "mix_factor": mix_factor, "constr_tc": constr_tc, "CONSTR_FLUX": CONSTR_FLUX,
    "base": base, "crop_min": crop_min, "boundary": boundary, "boundary_ratio": boundary_ratio,
    "demand": {f"{r}/{y}": demand[(r, y)] for r in REGIONS for y in YEARS},
    "affor": {f"{r}/{y}": affor[(r, y)] for r in REGIONS for y in YEARS},
    "base_yield": base_yield, "yield": yield_r, "cap_full": cap_full,
    "rest": {f"{r}/{y}": rest[(r, y)] for r in REGIONS for y in YEARS},
    "floor": {f"{r}/{y}": floor[(r, y)] for r in REGIONS for y in YEARS},
    "suitable": suitable, "pv_t": {f"{r}/{y}": pv_t[(r, y)] for r in REGIONS for y in YEARS},
    "other": {f"{r}/{y}": other[(r, y)] for r in REGIONS for y in YEARS},
    "eco_wet": eco_wet, "eco_grass": eco_grass, "crop_lhasa": crop_lhasa,
}
print(json.dumps(summary, indent=1, ensure_ascii=False))
print(json.dumps({k: summary[k] for k in ("area_ha", "f_scale", "FOREST_TOTAL", "WATER_TOTAL", "UNUSED_TOTAL",
                                           "constr_ha", "mix_factor", "constr_tc", "CONSTR_FLUX", "base_yield",
                                           "boundary_ratio")}, indent=1))

# ---------------------------------------------------------------- sources
V, E = "verified", "estimate"
fmt = lambda x: f"{x:.0f}"
SRC = [
    # sheet, item, value, unit, source, year, status, note
    ["settings", bi("基期年", "baseline_year"), "2019", "year", bi("西藏自治区第三次全国国土调查（三调），标准时点2019-12-31，成果发布于2021-12-24", "Third national land survey of Tibet (三调), reference date 2019-12-31, results released 2021-12-24"), "2021", V, ""],
    ["settings", bi("规划年份（目标年2035年）", "milestone_years (target year 2035)"), "2025,2030,2035", "year", bi("西藏自治区国土空间规划（2021-2035年），2024-04-22获批（国函〔2024〕55号）", "Tibet territorial spatial plan 2021-2035, approved 2024-04-22 (国函〔2024〕55号)"), "2024", V,
     bi("2025年和2030年为模型选定的中间节点（2025年为“十四五”规划期末）",
        "2025 and 2030 are intermediate milestones chosen for the model (2025 = end of the 14th Five-Year Plan)")],
    ["settings", bi("甲烷全球增温潜势", "ch4_gwp"), "28", "t CO2e/t CH4",
     bi("《巴黎协定》强化透明度框架的模式、程序和指南（第18/CMA.1号决定及其附件第二章）：各缔约方须采用IPCC第五次评估报告（AR5）的100年全球增温潜势报告温室气体排放和清除"
        "（《公约》秘书处“国家清单报告”页面）；AR5第一工作组报告：甲烷GWP100为28（不含气候-碳循环反馈）",
        "Modalities, procedures and guidelines of the Paris Agreement's enhanced transparency framework (decision 18/CMA.1, annex, chapter II): "
        "each Party shall use the 100-year GWP values of the IPCC Fifth Assessment Report (AR5) to report aggregate emissions and removals "
        "(UNFCCC secretariat page 'National Inventory Reports'); IPCC AR5 WG1: CH4 GWP100 28 (without climate-carbon feedbacks)"),
     "2018", V,
     bi("中国按该框架提交双年透明度报告（第一次于2024-12-31提交），本模型的碳汇因此与国家清单口径一致；此前取IPCC第六次评估报告（AR6）非化石源甲烷的27。"
        "未直接查阅中国报告中的全球增温潜势说明（依据为框架的强制性规定）",
        "China reports under that framework (first biennial transparency report submitted 2024-12-31), so the sink here is on the "
        "national inventory's basis; before: 27, AR6's value for non-fossil methane. The GWP statement in China's report itself was "
        "not read (the basis is the framework's 'shall')")],
    ["regions", bi("全区土地总面积（七个地市土地总面积之和）", "Tibet total area (sum of the seven total_area_ha)"), fmt(TOTAL_HA), "ha", bi("通常引用的数值120.28万平方公里", "120.28万 km², the commonly cited figure"), "", V,
     bi("按第三次国土调查推算约120.23万平方公里（108.11 ÷ 0.8992）；较早资料为122.84万。0.05万平方公里的差额计入未利用地", "the third survey implies ≈120.23万 km² (108.11 ÷ 0.8992); older texts 122.84万. The 0.05万 km² difference ends up in unused land")],
    ["regions", bi("拉萨市土地总面积", "total_area_ha Lhasa"), fmt(area_ha["Lhasa"]), "ha", bi("地市概况：29,274平方公里", "29,274 km² (prefecture profile)"), "", V,
     bi("另有资料为31,662平方公里；采用较小且更常被引用的数值", "another source gives 31,662 km²; the smaller, more often cited value is used")],
    ["regions", bi("日喀则市土地总面积", "total_area_ha Shigatse"), fmt(area_ha["Shigatse"]), "ha", bi("地市概况：18.2万平方公里", "18.2万 km² (prefecture profile)"), "", V, ""],
    ["regions", bi("林芝市土地总面积", "total_area_ha Nyingchi"), fmt(area_ha["Nyingchi"]), "ha", bi("面积11.7万平方公里", "11.7万 km²"), "", V, ""],
    ["regions", bi("山南市土地总面积", "total_area_ha Shannan"), fmt(area_ha["Shannan"]), "ha", bi("山南市国土空间规划（公示稿）：7.909万平方公里", "7.909万 km² (Shannan territorial plan, public draft)"), "2023", V, ""],
    ["regions", bi("昌都市土地总面积", "total_area_ha Chamdo"), fmt(area_ha["Chamdo"]), "ha", bi("通常引用的数值约11万平方公里", "≈11万 km², commonly cited"), "", E, bi("保持原值（仅此一个数值，未发现相互矛盾的数据）", "kept as is (single value, no conflicting figure found)")],
    ["regions", bi("那曲市土地总面积", "total_area_ha Nagqu"), fmt(area_ha["Nagqu"]), "ha", bi(f"推算：43万平方公里 × {f_scale:.4f}", "derived: 43万 km² × " + f"{f_scale:.4f}"), "", E,
     bi("各资料分别为42、43、45和46.8万平方公里；那曲市和阿里地区按同一系数缩放，使七个地市合计120.28万平方公里，已核实的四个地市和昌都市面积不变", "sources give 42, 43, 45 and 46.8万 km²; Nagqu and Ngari are scaled by the same factor so that the seven prefectures sum to 120.28万 km² with the four verified areas and Chamdo unchanged")],
    ["regions", bi("阿里地区土地总面积", "total_area_ha Ngari"), fmt(area_ha["Ngari"]), "ha", bi(f"推算：33.717万平方公里 × {f_scale:.4f}（精确余量）", "derived: 33.717万 km² × " + f"{f_scale:.4f}" + " (exact remainder)"), "", E,
     bi("各资料分别为24.5、30.4、33.717和34.5万平方公里；结果（约30.1万平方公里）接近30.4万", "sources give 24.5, 30.4, 33.717 and 34.5万 km²; the result (≈30.1万 km²) is close to the 30.4万 figure")],
    ["baseline", bi("全区耕地", "cropland, Tibet"), fmt(CROPLAND_TOTAL), "ha", bi("西藏自治区第三次全国国土调查：663.13万亩（tibet.cn 2021-12-25）", "Third land survey of Tibet: 663.13万亩 (tibet.cn 2021-12-25)"), "2019", V,
     bi("663.13万亩 ÷ 15；含水田2.15万亩", "663.13万亩 ÷ 15; paddy 2.15万亩 included")],
    ["baseline", bi("日喀则市、拉萨市、山南市耕地占全区比例", "cropland share of Shigatse + Lhasa + Shannan"), "66.49%", "%", bi("西藏自治区第三次全国国土调查（tibet.cn 2021-12-25）", "Third land survey of Tibet (tibet.cn 2021-12-25)"), "2019", V,
     bi("合" + fmt(crop_yjlh) + "公顷", "= " + fmt(crop_yjlh) + " ha")],
    ["baseline", bi("拉萨市耕地", "cropland Lhasa"), fmt(crop_lhasa), "ha", bi("推算：拉萨市2035年耕地保有量目标51,073公顷 ÷（18.65 ÷ 19.18）", "derived: Lhasa 2035 cropland target 51,073 ha ÷ (18.65 ÷ 19.18)"), "2019", E,
     bi("假定拉萨市耕地保有量目标占其调查耕地的比例，与全国2035年耕地保有量目标（18.65亿亩）占全国第三次国土调查耕地（19.18亿亩）的比例相同", "assumes Lhasa's target keeps the same share of its survey cropland as the national 2035 target (18.65亿亩) keeps of the national third-survey cropland (19.18亿亩)")],
    ["baseline", bi("全国2035年耕地保有量目标与第三次全国国土调查耕地面积之比", "national 2035 cropland target ÷ third-survey cropland"), f"{CROP_TARGET_RATIO:.4f}", "ratio", bi("全国数据18.65亿亩（规划纲要）和19.18亿亩（第三次全国国土调查），据广泛报道", "national figures 18.65亿亩 (plan outline) and 19.18亿亩 (third survey), as widely reported"), "", E,
     bi("本项目未与原始文件核对", "not checked against the primary documents in this project")],
    ["baseline", bi("日喀则市、山南市耕地", "cropland Shigatse, Shannan"), f"{fmt(base['Shigatse']['cropland'])}; {fmt(base['Shannan']['cropland'])}", "ha",
     bi("推算：上述66.49%部分减去拉萨市，按估算的乡村人口分配", "derived: the 66.49% block minus Lhasa, split by estimated rural population"), "2019", E, ""],
    ["baseline", bi("昌都市、林芝市、那曲市、阿里地区耕地", "cropland Chamdo, Nyingchi, Nagqu, Ngari"), "; ".join(fmt(base[r]["cropland"]) for r in ("Chamdo", "Nyingchi", "Nagqu", "Ngari")), "ha",
     bi("推算：其余33.51%按估算的乡村人口分配，牧区那曲市和阿里地区权重取0.2", "derived: the other 33.51% split by estimated rural population, weighted 0.2 for the pastoral Nagqu and Ngari"), "2019", E, ""],
    ["baseline", bi("全区林地、草地、湿地和陆地水域合计", "forest + grassland + wetland + water, Tibet"), fmt(ECO_TOTAL), "ha", bi("西藏自治区第三次全国国土调查：108.11万平方公里，占全区面积的89.92%", "Third land survey of Tibet: 108.11万 km², 89.92% of the region"), "2019", V,
     bi("占本数据所用120.28万平方公里的89.88%", "89.88% of the 120.28万 km² used here")],
    ["baseline", bi("全区湿地（湿地调查口径）", "wetland (survey definition), Tibet"), fmt(WETLAND_TOTAL), "ha", bi("2019年西藏生态白皮书（二手资料）：652.9万公顷", "652.9万 ha (2019 white paper on Tibet's ecology, secondary)"), "2019", V,
     bi("湿地调查口径包含湖泊和河流；未找到国土调查本身的湿地数据；本数据集的湿地地类只取其中的沼泽（下一行），湖泊和河流计入水域", "the wetland-survey definition includes lakes and rivers; the land survey's own wetland figure was not found; this dataset's wetland land use is the marsh part (next row), lakes and rivers are water")],
    ["baseline", bi("全区湿地（沼泽）", "wetland (marsh), Tibet"), fmt(MARSH_TOTAL), "ha", bi("西藏第二次湿地调查：沼泽湿地205.43万公顷 + 人工湿地0.5万公顷（湖泊303.52万公顷，河流43.45万公顷；"
       "西藏日报 2020-03-25，人民日报 2020-03-10）", "second wetland survey of Tibet: marsh 沼泽湿地 205.43万 ha + "
     "artificial wetland 0.5万 ha (lakes 303.52万 ha, rivers 43.45万 ha; 西藏日报 2020-03-25, 人民日报 2020-03-10)"), "2020", V,
     bi("四类之和552.9万公顷，比总数少100万公顷，原因不明；少的部分计入水域（若为沼泽，则湿地305.9万公顷，碳汇相应增加）；各地市按其湿地总面积分摊（估算）", "the four types add up to 552.9万 ha, 100万 ha less than the total, unexplained; the gap is counted as water (were it marsh, wetland would be 305.9万 ha with a correspondingly larger sink); split across prefectures by their survey wetland (estimate)")],
    ["baseline", bi("全区草地", "grassland, Tibet"), fmt(GRASS_TOTAL), "ha", bi("西藏草地碳储量研究（摘要）中的草地面积：8,205万公顷", "8,205万 ha: grassland area of the Tibet grassland carbon-stock study (abstract)"), "", E,
     bi("该数据在其出处中已核实，此处用以代替国土调查“12亿亩以上”的表述（8,205万公顷 = 12.31亿亩）", "the figure is verified in its source but used here as a stand-in for the survey's 'over 12亿亩' (8,205万 ha = 12.31亿亩)")],
    ["baseline", bi("全区林地", "forest land, Tibet"), fmt(FOREST_TOTAL), "ha", bi("推算：森林覆盖率12.31%（2020年，已核实）× 120.28万平方公里", "derived: forest coverage 12.31% (2020, verified) × 120.28万 km²"), "2019", E,
     bi("合2.22亿亩，与国土调查“2亿亩以上”一致，高于1,470万公顷的森林红线；低于2014年按林业口径划定的1,740万公顷林地红线", "= 2.22亿亩, consistent with the survey's 'over 2亿亩' and above the 1,470万 ha forest red line; below the 1,740万 ha forest-land red line of 2014, which uses the forestry definition")],
    ["baseline", bi("全区陆地水域", "water, Tibet"), fmt(WATER_TOTAL), "ha", bi("推算：108.11万平方公里 − 湿地 − 草地 − 林地", "derived: 108.11万 km² − wetland − grassland − forest"), "2019", E,
     bi("约4.7万平方公里：冰川及永久积雪（约2.74万平方公里，较早的概况资料）、水库及未计入湿地调查的水面；另加湿地调查中的湖泊和河流（447.0万公顷，含上述未解释的100万公顷，见湿地一行）", "≈4.7万 km²: glaciers and permanent snow (≈2.74万 km², older profile), reservoirs and water outside the wetland survey; plus the wetland survey's lakes and rivers (447.0万 ha, including the unexplained 100万 ha, see the wetland rows)")],
    ["baseline", bi("各地市林地、湿地、陆地水域、园地", "forest, wetland, water, garden by prefecture"), "", "ha", bi("推算：全区总量按假定比例分配（见 docs/data.md）", "derived: Tibet totals split by assumed shares (see docs/data.md)"), "2019", E,
     bi("林地集中在林芝市、昌都市、山南市；湿地（湖泊、沼泽）集中在那曲市和阿里地区；冰川分布在林芝市、日喀则市、那曲市、阿里地区", "forest concentrated in Nyingchi, Chamdo, Shannan; wetland (lakes, marshes) in Nagqu and Ngari; glaciers in Nyingchi, Shigatse, Nagqu, Ngari")],
    ["baseline", bi("全区园地", "garden, Tibet"), fmt(GARDEN_TOTAL), "ha", bi("假定值", "assumption"), "2019", E,
     bi("未找到数据；仅为数量级（林芝市、昌都市、山南市的果园和茶园）", "no figure found; order of magnitude only (orchards and tea in Nyingchi, Chamdo, Shannan)")],
    ["baseline", bi("各地市人口", "population by prefecture"), "86.79; 79.82; 76.10; 23.89; 35.40; 50.48; 12.33 (Lhasa..Ngari)", "万人 10k persons", bi("2020年第七次全国人口普查（tibet.cn 2021-05-20）", "7th census 2020 (tibet.cn 2021-05-20)"), "2020", V,
     bi("合计364.81万", "total 364.81万")],
    ["baseline", bi("全区城镇人口占比", "urban share of population, Tibet"), "35.73%", "%", bi("2020年第七次全国人口普查", "7th census 2020"), "2020", V, ""],
    ["baseline", bi("各地市地区生产总值（仅作权重）", "GDP by prefecture (weights only)"), "678.16; 322.78; 252.89; 191.34; 215.40; ≈170; 68.6", "亿元", bi("各地统计公报（二手汇总表）", "local statistical communiqués (secondary table)"), "2020", E,
     bi("那曲市数据在出处中为约数", "Nagqu approximate in the source")],
    ["baseline", bi("2020年各地市城镇人口", "urban population by prefecture 2020"), "; ".join(fmt(upop2020[r]) for r in REGIONS), "persons", bi("推算：全区城镇人口（35.73% × 364.81万）按各地市地区生产总值分配", "derived: Tibet urban population (35.73% × 364.81万) split by prefecture GDP"), "2020", E,
     bi("乡村人口 = 普查人口 − 城镇人口", "rural = census population − urban")],
    ["baseline", bi("各地市城镇建设用地", "urban land by prefecture"), "; ".join(fmt(base[r]["urban"]) for r in REGIONS), "ha", bi(f"推算：城镇人口 × {URBAN_M2_BASE:.0f}平方米", f"derived: urban population × {URBAN_M2_BASE:.0f} m²"), "2019", E,
     bi("150平方米 = GB 50137-2011 特殊情况下的上限；高原城镇密度低", "150 m² = upper limit of GB 50137-2011 for special cases; plateau towns are low-density")],
    ["baseline", bi("各地市村庄建设用地", "rural settlement land by prefecture"), "; ".join(fmt(base[r]["rural"]) for r in REGIONS), "ha", bi(f"推算：乡村人口 × {RURAL_M2:.0f}平方米", f"derived: rural population × {RURAL_M2:.0f} m²"), "2019", E, bi("假定值", "assumption")],
    ["baseline", bi("全区交通、采矿及其他建设用地", "transport, mining and other construction land, Tibet"), fmt(OTHER_CONSTR_TOTAL), "ha", bi("假定：约10万公里道路 × 约7米，加采矿、机场、铁路和特殊用地", "assumption: ≈10万 km of roads × ≈7 m + mining, airports, railways, special use"), "2019", E,
     bi("50%按人口、50%按面积分配", "split 50% by population, 50% by area")],
    ["baseline", bi("全区光伏用地", "PV land, Tibet"), fmt(sum(pv0.values())), "ha", bi("推算：光伏装机0.79吉瓦（2017年，已核实）÷ 0.5兆瓦/公顷（清洁能源表的单位面积光伏装机），使模型中的光伏装机（面积 × 兆瓦/公顷）"
       "等于0.79吉瓦", "derived: 0.79 GW PV (2017, verified) ÷ 0.5 MW/ha (energy.pv_mw_per_ha), so that the model's PV capacity (area × MW/ha) is the 0.79 GW"), "2019", E,
     bi("以2017年装机作为2019年存量；国土调查未单列光伏用地；早期电站实际占地更多（约0.28-0.42兆瓦/公顷，约1,900-2,800公顷），模型对全部光伏用地只用一个密度", "2017 capacity used as the 2019 stock; the survey does not report PV land separately; the older plants take more land (≈0.28-0.42 MW/ha, ≈1,900-2,800 ha), but the model uses one density for all PV land")],
    ["baseline", bi("全区其他土地/未利用地", "unused land, Tibet"), fmt(UNUSED_TOTAL), "ha", bi("推算：土地总面积 − 其他各地类面积", "derived: total area − all other land uses"), "2019", E,
     bi("按假定比例分配（阿里地区30%、那曲市30%、日喀则市18%、其他5-7%）", "split by assumed shares (Ngari 30%, Nagqu 30%, Shigatse 18%, others 5-7%)")],
    ["baseline", bi("各地市草地", "grassland by prefecture"), "; ".join(fmt(base[r]["grassland"]) for r in REGIONS), "ha", bi("推算：各地市扣除其他地类及其未利用地份额后的剩余面积", "derived: what remains of each prefecture after the other land uses and its unused share"), "2019", E,
     bi("合计等于全区草地总面积；各区域未利用地为其精确余量", "sums to the Tibet grassland total; each region's unused land is its exact remainder")],
    ["land_uses", bi("耕地碳通量", "carbon flux cropland"), "0.422", "t C/ha/yr", bi("广泛使用的系数", "widely used coefficient"), "", E, bi("出处未经确认", "origin not confirmed")],
    ["land_uses", bi("林地碳通量", "carbon flux forest"), "-0.581", "t C/ha/yr", bi("方精云等 2007", "Fang Jingyun et al. 2007"), "2007", E, bi("备选值 -0.644", "alternative -0.644")],
    ["land_uses", bi("草地碳通量", "carbon flux grassland"), "-0.021", "t C/ha/yr", bi("广泛使用的系数", "widely used coefficient"), "", E,
     bi("备选值 -0.0205；那曲高寒草甸涡度相关观测 -0.41（已核实），三江源草地约 -0.11（已核实），高寒草原约0（已核实）：该系数偏保守", "alternative -0.0205; eddy-covariance alpine meadow in Nagqu -0.41 (verified), Three-River Source grassland ≈ -0.11 (verified), alpine steppe ≈ 0 (verified): the coefficient is conservative")],
    ["land_uses", bi("湿地碳通量", "carbon flux wetland"), "-0.567", "t C/ha/yr", bi("广泛使用的系数", "widely used coefficient"), "", E, ""],
    ["land_uses", bi("陆地水域碳通量", "carbon flux water"), "-0.253", "t C/ha/yr", bi("赖力 2010", "Lai Li 2010"), "2010", E, ""],
    ["land_uses", bi("其他土地/未利用地碳通量", "carbon flux unused"), "-0.005", "t C/ha/yr", bi("赖力 2010", "Lai Li 2010"), "2010", E, ""],
    ["land_uses", bi("园地碳通量", "carbon flux garden"), "-0.73", "t C/ha/yr", bi("国内土地利用碳收支研究中的常用值", "value common in Chinese land-use carbon-budget studies"), "", E,
     bi("不在事实资料文件中；未与原始文献核对", "not in the facts file; not checked against a primary source")],
    ["land_uses", bi("光伏用地碳通量", "carbon flux pv"), "0", "t C/ha/yr", bi("假定值", "assumption"), "", E, bi("光伏用地不计生态系统碳通量", "no ecosystem flux credited to PV land")],
    ["land_uses", bi("各类燃料碳排放系数", "carbon emission factors of fuels"), "coal 0.7559; gasoline 0.5538; kerosene 0.5714; diesel 0.5921; natural gas 0.4483", "t C/tce",
     bi("《生态学报》2017，37(11)，表1（Xia Chuyu等）", "Xia Chuyu et al., Acta Ecologica Sinica 2017, 37(11), table 1"), "2017", V, ""],
    ["land_uses", bi("全区化石能源消费量及燃料结构", "fossil energy use of Tibet and its fuel mix"), f"{FOSSIL_TCE:,} tce; coal 30%, gasoline 25%, diesel 33%, kerosene 7%, gas 5%", "tce/yr", bi("假定值", "assumption"), "2019", E,
     bi("未找到公开的总量数据；人均约0.69吨标准煤，主要为成品油（交通）和煤炭（水泥）", "no published total found; ≈0.69 tce per resident, mostly oil products (transport) and coal (cement)")],
    ["land_uses", bi("城镇建设用地、村庄建设用地、交通采矿及其他建设用地碳通量", "carbon flux urban, rural, other_construction"), f"{CONSTR_FLUX}", "t C/ha/yr",
     bi(f"推算：{FOSSIL_TCE:,}吨标准煤 × {mix_factor:.4f}吨碳/吨标准煤 = {constr_tc:,.0f}吨碳 ÷ 基期建设用地{constr_ha:,}公顷", f"derived: {FOSSIL_TCE:,} tce × {mix_factor:.4f} t C/tce = {constr_tc:,.0f} t C ÷ {constr_ha:,} ha of baseline construction land"), "2019", E,
     bi("按土地利用碳排放文献的做法，化石能源排放全部归入建设用地；三类建设用地采用同一系数", "all fossil emissions attributed to construction land, as in the land-use carbon literature; one coefficient for the three construction roles")],
    ["targets", bi("拉萨市耕地保有量（各规划年份）", "cropland_min_ha Lhasa (all milestones)"), fmt(LHASA_CROP_MIN), "ha", bi("拉萨市国土空间规划（2021-2035年）：耕地 ≥ 76.61万亩（中新网 2025-04-02）", "Lhasa territorial plan 2021-2035: cropland ≥ 76.61万亩 (Chinanews 2025-04-02)"), "2025", V,
     bi("2035年数值同样用于2025年和2030年", "the 2035 figure is applied to 2025 and 2030 as well")],
    ["targets", bi("拉萨市城镇开发边界（各规划年份）", "urban_boundary_ha Lhasa (all milestones)"), fmt(LHASA_BOUNDARY), "ha", bi("拉萨市国土空间规划（2021-2035年）：城镇开发边界230.55平方公里（中新网 2025-04-02）", "Lhasa territorial plan 2021-2035: urban development boundary 230.55 km² (Chinanews 2025-04-02)"), "2025", V,
     bi("2035年城镇开发边界同样用于2025年和2030年", "the 2035 boundary is applied to 2025 and 2030 as well")],
    ["targets", bi("拉萨市以外各地市耕地保有量", "cropland_min_ha Shigatse..Ngari"), "; ".join(fmt(crop_min[r]) for r in REGIONS[1:]), "ha", bi("推算：基期耕地 × 18.65/19.18（向上取整）", "derived: baseline cropland × 18.65/19.18 (rounded up)"), "2035", E,
     bi("除拉萨市外未找到各地市目标", "no prefecture target found except Lhasa's")],
    ["targets", bi("拉萨市以外各地市城镇开发边界", "urban_boundary_ha Shigatse..Ngari"), "; ".join(fmt(boundary[r]) for r in REGIONS[1:]), "ha",
     bi(f"推算：2035年城镇用地需求 × {boundary_ratio:.3f}（拉萨市城镇开发边界 ÷ 拉萨市2035年城镇用地需求）", f"derived: 2035 urban land demand × {boundary_ratio:.3f} (Lhasa's boundary ÷ Lhasa's 2035 demand)"), "2035", E, ""],
    ["targets", bi("2025-2035年城镇人口", "urban_population 2025-2035"), "", "persons", bi(f"推算：2020年城镇人口逐年乘以{1+URBAN_GROWTH}", f"derived: 2020 urban population × {1+URBAN_GROWTH} per year"), "", E,
     bi("到2035年城镇化率约50%，总人口年均增长约1.2%", "≈50% urbanisation of a population growing ≈1.2%/yr by 2035")],
    ["targets", bi("人均城镇建设用地", "urban_land_per_capita_m2"), f"{URBAN_M2_TARGET:.0f}", "m²/person", bi("拉萨市2006-2020年总体规划确定的上限140平方米", "Lhasa 2006-2020 master plan cap of 140 m²"), "", E,
     bi("拉萨市上限已核实；将其用于各地市和2025-2035年为假定（GB 50137-2011：65-115，最高150）", "the Lhasa cap is verified; applying it to every prefecture and to 2025-2035 is an assumption (GB 50137-2011: 65-115, up to 150)")],
    ["targets", bi("全区宜林未利用地面积", "afforestation_potential_ha, Tibet"), "; ".join(fmt(AFFOR_TOTAL[y]) for y in YEARS) + " (2025; 2030; 2035)", "ha",
     bi("推算：森林覆盖率目标12.31%（2020年）→ 12.51%（2025年）（已核实），即每5年增加全区面积的0.2个百分点", "derived: forest coverage target 12.31% (2020) → 12.51% (2025) (verified) = +0.2 percentage points of the area per 5 years"), "2025", E,
     bi("线性延续至2035年；按日喀则市22%、山南市20%、昌都市18%、拉萨市15%、林芝市15%、那曲市6%、阿里地区4%分配（河谷造林）", "continued linearly to 2035; split Shigatse 22%, Shannan 20%, Chamdo 18%, Lhasa 15%, Nyingchi 15%, Nagqu 6%, Ngari 4% (river-valley afforestation)")],
    ["targets", bi("林地、湿地、草地面积下限", "forest/wetland/grassland floors"), "blank", "", bi("no_net_loss = yes（面积不减少）：下限取基期面积", "no_net_loss = yes: floors are the baseline areas"), "", E,
     bi("全区由此保持林地1,480.6万公顷 ≥ 1,470万公顷森林红线，湿地（按湿地调查口径：沼泽加水域中的湖泊和河流）652.9万公顷 ≥ 650万公顷湿地红线（2014年林业红线，已核实）", "Tibet-wide this keeps forest 1,480.6万 ha ≥ the 1,470万 ha forest red line and wetland 652.9万 ha (survey definition: marsh plus the lakes and rivers in water) ≥ the 650万 ha wetland red line (2014 forestry red lines, verified)")],
    ["grazing", bi("全区理论载畜量", "theoretical carrying capacity, Tibet"), "32,137,200", "SU", bi("第二次草原调查（gov.cn 2016-10-31）：3,213.72万羊单位", "Second grassland survey (gov.cn 2016-10-31): 3,213.72万 sheep units"), "2016", V,
     bi("用于按基期草地标定 forage_yield_kg_per_ha", "used to calibrate forage_yield_kg_per_ha over the baseline grassland")],
    ["grazing", bi("羊单位年采食量", "intake_kg_per_su_yr"), "657", "kg hay/SU/yr", bi("农业行业标准 NY/T 635-2015：每日1.8千克标准干草", "NY/T 635-2015: 1.8 kg standard hay per day"), "2015", V, ""],
    ["grazing", bi("牧草合理利用率", "utilisation_rate"), f"{UTIL}", "fraction", bi("在按草地类型和季节给出的40%–65%范围内取0.5", "0.5, within the 40-65% range by grassland type and season"), "", E, ""],
    ["grazing", bi("可食牧草产量", "forage_yield_kg_per_ha"), "; ".join(str(yield_r[r]) for r in REGIONS), "kg hay/ha/yr",
     bi(f"标定值，非实测：基准产量{base_yield:.1f}千克/公顷（指数1.0，那曲市）× 相对生产力指数，使 Σ（未退化草地 + 0.6 × 退化草地）"
       "× 产量 × 0.5 ÷ 657 = 3,213.72万羊单位（2016年第二次草原调查，已核实）；调查只确定产量 × 利用率："
       "西藏实测平均干草产量384千克/公顷（苏大学 1995，草地学报 3(2)），按此载畜量推算利用率约0.67", f"calibrated, not measured: base {base_yield:.1f} kg/ha (index 1.0, Nagqu) × a relative productivity index, chosen so "
     "that Σ (good + 0.6 × degraded grassland) × yield × 0.5 ÷ 657 = 3,213.72万 SU (second grassland survey 2016, verified); "
     "only yield × utilisation is fixed by the survey: Tibet's measured mean hay yield is 384 kg/ha (苏大学 1995, "
     "草地学报 3(2)), which with this capacity implies utilisation ≈ 0.67"), "", E,
     bi("指数：昌都市/林芝市1.6、拉萨市1.2、山南市1.1、那曲市1.0、日喀则市0.8、阿里地区0.5（由东部较湿润的草甸到西部干旱草原）；假定值", "index Chamdo/Nyingchi 1.6, Lhasa 1.2, Shannan 1.1, Nagqu 1.0, Shigatse 0.8, Ngari 0.5 (wetter eastern meadows to dry western steppe); assumption")],
    ["grazing", bi("禁牧休牧面积下限", "rest_min_ha"), "11% / 12% / 13% of baseline grassland", "ha", bi("禁牧和季节性休牧面积的假定值", "assumption for grazing ban and seasonal rest (禁牧/休牧)"), "", E, bi("依次为2025 / 2030 / 2035年", "2025 / 2030 / 2035")],
    ["grazing", bi("羊单位甲烷排放", "ch4_kg_per_su_yr"), f"{CH4_PER_SU}", "kg CH4/SU/yr", bi("推算：放牧牦牛甲烷排放20-31千克/头/年（中国科学院大学学报 2017，已核实）÷ 每头牦牛约4.5羊单位；绵羊5千克/只（IPCC一级方法，"
       "已核实）", "derived: grazing yak 20-31 kg CH4/head/yr (J. Univ. CAS 2017, verified) ÷ ≈4.5 SU per yak; sheep 5 kg/head (IPCC Tier 1, verified)"), "", E,
     bi("按IPCC“亚洲其他牛”47千克/头计约为10千克/羊单位", "IPCC 'other cattle, Asia' 47 kg/head would give ≈10 kg/SU")],
    ["energy", bi("单位面积光伏装机", "pv_mw_per_ha"), f"{PV_MW_PER_HA_NEW}", "MW/ha", bi("估算：介于西藏2011-2013年的电站（日喀则0.375、阿里0.42兆瓦/公顷，经二手资料核实）与现代电站（0.45–0.69兆瓦/公顷，按交流侧容量）"
       "之间", "estimate between Tibet plants of 2011-2013 (Shigatse 0.375, Ngari 0.42 MW/ha, verified secondary) and modern plants (0.45-0.69 MWac/ha)"), "2024", E,
     bi("以 TD/T 1075-2023（光伏发电站工程项目用地控制指标，2023-08-01施行）为准；未取得其指标表：取得后应替换为西藏所在纬度带的指标。此前取值为NREL 2013（0.2778）", "TD/T 1075-2023 (PV land-use indicators, in force 2023-08-01) governs; its tables were not retrieved: replace with the indicator for Tibet's latitude band once obtained. NREL 2013 (0.2778) was the previous value")],
    ["energy", bi("2025年全区光伏装机", "PV capacity, Tibet, 2025"), "10,000", "MW", bi("西藏“十四五”规划：到2025年光伏装机超过10吉瓦", "Tibet 14th Five-Year Plan: PV > 10 GW by 2025"), "2021", V, ""],
    ["energy", bi("2030年和2035年全区光伏装机", "PV capacity, Tibet, 2030 and 2035"), "20,000; 30,000", "MW", bi("假定值", "assumption"), "", E, ""],
    ["energy", bi("清洁能源装机目标", "clean_capacity_min_mw"), "", "MW", bi("推算：其他清洁能源装机 + 该地市在全区光伏装机中的份额（按光伏适宜面积的份额）", "derived: other_clean_capacity_mw + the prefecture's share of the Tibet PV capacity (share of pv_suitable_ha)"), "", E,
     bi("使光伏用地需求仅由光伏装机数据决定", "so the PV land needed is fixed by the PV figures alone")],
    ["energy", bi("全区其他清洁能源装机", "other_clean_capacity_mw, Tibet"), "5,000; 12,000; 25,000 (2025; 2030; 2035)", "MW", bi("假定值（水电、风电、地热）", "assumption (hydro, wind, geothermal)"), "", E,
     bi("2020年11月：装机4.0185 GW中清洁能源3.58 GW（已核实）；2025年目标为水电建成和在建 > 15 GW（已核实）；按昌都市35%、林芝市20%、山南市15%、日喀则市12%、拉萨市10%、那曲市5%、阿里地区3%分配", "Nov 2020: 3.58 GW clean of 4.0185 GW installed (verified); 2025 target hydro built + under construction > 15 GW (verified); split Chamdo 35%, Nyingchi 20%, Shannan 15%, Shigatse 12%, Lhasa 10%, Nagqu 5%, Ngari 3%")],
    ["energy", bi("光伏适宜面积", "pv_suitable_ha"), "; ".join(fmt(suitable[r]) for r in REGIONS), "ha",
     bi("推算：土地面积的三分之一（媒体报道“略超过三分之一”适宜建设集中式光伏电站，已核实）× 假定的电网接入系数", "derived: one third of the area ('just over a third' suitable for utility-scale PV, press, verified) × an assumed grid-access factor"), "", E,
     bi("系数：拉萨市3%、日喀则市2%、山南市2%、昌都市0.5%、林芝市0.5%、那曲市0.3%、阿里地区0.3%", "factor Lhasa 3%, Shigatse 2%, Shannan 2%, Chamdo 0.5%, Nyingchi 0.5%, Nagqu 0.3%, Ngari 0.3%")],
    ["energy", bi("光伏年发电量", "pv_mwh_per_mw_yr"), f"{PV_MWH}", "MWh/MW/yr", bi("针对西藏高辐照条件的假定值（年太阳总辐射6,000–8,000兆焦/平方米，已核实）", "assumption for high-irradiance Tibet (6,000-8,000 MJ/m² per year, verified)"), "", E, ""],
    ["energy", bi("电网排放因子", "grid_factor_tco2_per_mwh"), f"{GRID_T}", "t CO2/MWh", bi("生态环境部、国家统计局2023年电力二氧化碳排放因子：全国平均0.5306（仅化石能源0.8273；西南区域电网0.2472）", "MEE & NBS, 2023 electricity CO2 emission factors: national average 0.5306 (fossil-only 0.8273; south-west regional grid 0.2472)"), "2023", V,
     bi("经二手报道核实（光明日报、中国电力报 2026-01-15）；仅作备注，不计入国土碳汇（此前取值0.96甚至高于仅含化石能源的排放因子）", "verified in secondary reporting (Guangming Daily, China Electric Power News 2026-01-15); memo item only, never in the territorial sink (the previous 0.96 exceeded even the fossil-only factor). The national average is a choice: Tibet's own grid is hydro-dominated (the south-west regional factor, 0.2472, would make the memo 0.47 times as large; Tibet's provincial factor was not retrieved), while power sent out of Tibet (藏电外送) displaces generation elsewhere")],
    ["area_bounds", bi("交通采矿及其他建设用地面积下限", "other_construction min_ha"), "baseline × 1.10 / 1.20 / 1.30", "ha", bi("交通、水电和采矿规划的假定值（如川藏铁路）", "assumption for transport, hydropower and mining plans (e.g. Sichuan-Tibet railway)"), "", E,
     bi("依次为2025 / 2030 / 2035年", "2025 / 2030 / 2035")],
    ["area_bounds", bi("村庄建设用地面积下限", "rural min_ha"), "baseline", "ha", bi("政策假定：村庄用地不减少", "policy assumption: village land is not reduced"), "", E,
     bi("与地类转换规则重复（村庄建设用地不转出）；保留以说明意图", "redundant with the transitions (no flows out of rural land); kept to document the intent")],
    ["transitions", bi("每期最大转换比例", "max_pct_per_period"), "", "% per period", bi("建模假定", "modelling assumptions"), "", E,
     bi("允许的转换及比例见 docs/data.md；林地、湿地、水域和建设用地不转出；禁止草地→林地和草地→耕地", "allowed pairs and rates listed in docs/data.md; no flows out of forest, wetland, water or construction land; grassland→forest and grassland→cropland forbidden")],
    ["scenarios", bi("情景参数", "scenario parameters"), "", "", bi("随附情景的设计选择", "design choices for the shipped scenarios"), "", E, bi("见 docs/data.md", "see docs/data.md")],
]
#: the primary sources behind each land use's stock row (the research notes, docs/research/tibet_figures.md, give the
#: full record and the derivations); the row's figures are estimates built on them
STOCK_SOURCE = {
    "forest": "Wang Genxu et al. 2021, J. Mountain Science (Tibet forest vegetation + litter 74.57 t C/ha, SOC 0-50 cm "
              "96.24 t C/ha; 2001-2018 field survey); forest biomass carbon +2.2 Tg C/yr 1999-2019 (inventory study, "
              "research note B1)",
    "grassland": "Tibet grassland vegetation carbon 189.367 Tg C over 8,205.194万 ha = 2.31 t C/ha (research note A10); "
                 "plateau grazing-exclusion SOC studies (B6)",
    "degraded_grassland": "as grassland, × IPCC 2006 Vol. 4 grassland management factors (research note A); region rows "
                          "in the five steppe prefectures: Liu et al. 2020, Sustainability 12(3):977 (B6)",
    "wetland": "Natural marsh remaining marsh: no flux and no CH4, unmanaged wetland is outside the inventory (IPCC 2006 "
               "Vol. 4 ch. 7 covers peat extraction and flooded land only); restored marsh: CH4 of Tibetan Plateau wetland "
               "5.87 g/m²/yr, Water 17(16):2491, 2025 (B12); for reference: Longbao wetland, Yushu, eddy covariance uptake "
               "1.27 t C/ha/yr (research note B14)",
    "water": "IPCC convention: no land carbon pool or flux credited to open water, glaciers and snow",
}
#: the same in Chinese, for the Chinese half of each carbon_stocks row's source
STOCK_SOURCE_ZH = {
    "forest": "文献：Wang Genxu等 2021，J. Mountain Science（西藏森林植被 + 枯落物74.57吨碳/公顷，"
              "0-50厘米土壤有机碳96.24吨碳/公顷；2001-2018年野外调查）；1999-2019年森林生物量碳每年增加2.2百万吨碳（森林资源清查研究，"
              "研究资料B1）",
    "grassland": "西藏草地植被碳储量189.367百万吨碳，面积8,205.194万公顷，合2.31吨碳/公顷（研究资料A10）；高原禁牧封育土壤有机碳研究（B6）",
    "degraded_grassland": "同草地，乘以《2006年IPCC国家温室气体清单指南》第4卷的草地管理系数（研究资料A节）；"
                          "五个以草原为主的地市另有分区一行：Liu等 2020，Sustainability 12(3):977（B6）",
    "wetland": "保持原状的自然沼泽不计净通量与甲烷：未经管理的湿地不在清单范围（2006年IPCC指南第4卷第7章仅涵盖泥炭开采地与淹没地）；"
               "恢复的沼泽计甲烷：青藏高原湿地甲烷5.87克/平方米/年，Water 17(16):2491，2025（B12）；参考值：玉树隆宝湿地涡度相关观测"
               "吸收1.27吨碳/公顷/年（研究资料B14）",
    "water": "按IPCC惯例：开阔水面、冰川和积雪不计土地碳库和碳通量",
}
STOCK_SOURCE_ZH_DEFAULT = ("研究资料 docs/research/tibet_figures.md A-B节（《2006年IPCC国家温室气体清单指南》第4卷及高原研究）")
SRC += [
    ["carbon_stocks", bi(f"{LU_ZH[l]}：生物量、枯落物及枯死木、土壤有机碳的碳密度（吨碳/公顷）、达到成熟碳密度的年数（年）、土壤碳过渡年数（年）"
       "、保持原地类的净碳通量（吨碳/公顷/年）、甲烷排放（千克/公顷/年）", f"{l}: biomass / DOM / SOC (t C/ha), maturity (yr), soil transition (yr), remaining flux (t C/ha/yr), CH4 (kg/ha/yr)"),
     " / ".join("default" if v is None else str(v) for v in STOCKS[l]), "t C/ha; yr; yr; t C/ha/yr; kg CH4/ha/yr",
     bi(STOCK_SOURCE_ZH.get(l, STOCK_SOURCE_ZH_DEFAULT), STOCK_SOURCE.get(l, "docs/research/tibet_figures.md, sections A-B (IPCC 2006 Vol. 4 and plateau studies)")),
     "2021" if l == "forest" else "", E, STOCK_NOTE[l]] for l in LU
] + [
    ["settings", bi("土壤碳过渡年数", "soil_transition_years"), "20", "years", bi("《2006年IPCC国家温室气体清单指南》第4卷第2章（土壤碳达到新平衡的默认年数）", "IPCC 2006 Guidelines Vol. 4 Ch. 2 (default time for soil carbon to reach a new equilibrium)"), "2006", V, ""],
    ["settings", bi("化石能源碳排放（备注）", "memo_fossil_emissions_t_co2_per_yr"), f"{MEMO_FOSSIL_T_CO2}", "t CO2/yr", bi("文献：Shan等 2017，Earth's Future 5:854：2014年西藏能源和水泥CO2排放5.52百万吨（水泥占33%）", "Shan et al. 2017, Earth's Future 5:854: Tibet energy + cement CO2 5.52 Mt in 2014 (33% cement)"), "2014", E,
     bi("引自领域审查（shared/tibet-facts.md），未复核；仅作备注，不属于土地碳通量", "cited by the domain review (shared/tibet-facts.md), not re-checked; memo line only, not a land flux")],
    ["baseline", bi("退化草地比例", "degraded_grassland share"), f"{DEGRADED_SHARE}", "share of grassland", bi("第二次草原调查（gov.cn 2016-10-31）：13.23亿亩中3.53亿亩退化（26.7%）", "Second grassland survey (gov.cn 2016-10-31): 3.53亿亩 of 13.23亿亩 degraded (26.7%)"), "2016", V,
     bi("全区比例用于各地市（估算：据报道那曲市1981-2004年退化比例接近50%）", "the Tibet-wide share is applied to every prefecture (estimate: Nagqu is reported near 50% for 1981-2004)")],
    ["grazing", bi("退化草地可食牧草产量", "degraded_yield_kg_per_ha"), f"{DEGRADED_YIELD} × forage_yield_kg_per_ha", "kg hay/ha/yr", bi("假定：退化草地产量为未退化草地的60%", "assumption: degraded grassland yields 60% of good grassland"), "", E,
     bi("重新标定 forage_yield_kg_per_ha，使未退化草地 + 0.6 × 退化草地仍承载3,213.72万羊单位", "forage_yield_kg_per_ha is recalibrated so that good + 0.6 × degraded grassland still carries 3,213.72万 SU")],
    ["grazing", bi("禁牧休牧退化草地年恢复比例", "restoration_pct_per_yr"), f"{RESTORATION_PCT}", "% of rested degraded area per year", bi("介于禁牧下每年12.5%与季节性休牧下每年6%之间（docs/research/tibet_figures.md B节）", "between 12.5%/yr under grazing ban and 6%/yr under seasonal rest (docs/research/tibet_figures.md B)"), "", E, ""],
    ["grazing", bi("禁牧休牧补助", "rest_cost_yuan_per_ha_yr"), f"{REST_COST}", "yuan/ha/yr", bi("禁牧补助7.5元/亩/年（国家标准，2016-2020年一轮，据通常报道）", "grazing-ban subsidy 7.5 yuan/mu/yr (national standard, 2016-2020 round, as commonly reported)"), "2016", E,
     bi("二手资料中见四川某县标准115元/公顷/年、西藏2009-2013年试点90元/公顷/年（研究资料F节）", "Sichuan county rate 115 yuan/ha/yr and Tibet's 2009-2013 pilot 90 yuan/ha/yr seen in secondary sources (research F)")],
    ["grazing", bi("牲畜数量下限", "livestock_min_su"), f"{PREFECTURE_FLOOR} × the prefecture's share of the region-wide herd", "SU", bi("假定：各地市至少保留其牲畜的60%，以保障牧民生计", "assumption: each prefecture keeps at least 60% of its herd for herders' livelihoods"), "", E,
     bi("全区其余牲畜（province_targets.livestock_min_su）由模型安排在放牧碳损失最小的地方", "the model places the rest of the region-wide herd (province_targets.livestock_min_su) where grazing costs least carbon")],
    ["grazing", bi("基准情景牲畜存栏（2019年存栏）", "reference_livestock_su (2019 herd)"), "95% of the capacity with 10% of grassland rested", "SU", bi("假定值", "assumption"), "2019", E,
     bi("牛606.73万头（2018年）× 4.5羊单位 + 羊722万只（2016年）≈ 3,450万羊单位，表明存栏已达到或超过载畜能力", "cattle 606.73万 head (2018) × 4.5 SU + sheep 722万 (2016) ≈ 3,450万 SU suggests the herd was at or above capacity")],
    ["province_targets", bi("全区牲畜数量下限", "livestock_min_su"), "; ".join(f"{LIVESTOCK_TOTAL[y]:,}" for y in YEARS), "SU", bi("假定：扣除禁牧休牧面积下限后剩余草地载畜能力的85%", "assumption: 85% of the capacity of the grassland left after the rest minimum"), "", E,
     bi("全区须保持的牲畜存栏；各地市布局由模型确定（宜牧则牧）。意味着需要减畜：牛606.73万头（2018年）× 4.5羊单位 + 羊722万只（2016年）"
        "≈ 3,450万羊单位，已超过理论载畜量（年份不一，羊单位折算系数为估算）",
        "the region-wide herd to keep; the model decides its layout across prefectures (宜牧则牧). Implies de-stocking: "
        "cattle 606.73万 head (2018) × 4.5 SU + sheep 722万 (2016) ≈ 3,450万 SU already exceeds the theoretical capacity "
        "(mixed years, SU factors estimates)")],
    ["province_targets", bi("时段财政投入上限", "budget_yuan"), f"{BUDGET_PER_YEAR / 1e8:.0f}亿 yuan/yr × period length", "yuan", bi("示意性数量级：未找到西藏用于这些土地措施的财政支出的有出处数据", "illustrative order of magnitude: no sourced figure for Tibet's public spending on these land measures was found"), "", E,
     bi("设定该值使方案必须选择资金投向；应替换为规划实施方案的预算", "set so that the plan must choose where to spend; replace with the budget of the plan's implementation programme")],
    ["transitions", bi("每公顷转换成本", "cost_yuan_per_ha"), "afforestation 30,000; grass planting 3,000-4,000; wetland restoration 15,000; degraded-grassland restoration works 1,500; new cropland (补充耕地) 45,000", "yuan/ha",
     bi("研究资料 docs/research/tibet_figures.md F节（由补助标准和西藏项目总投入推算）", "docs/research/tibet_figures.md section F (derived from subsidy standards and Tibet programme totals)"), "", E,
     bi("转为建设用地和光伏用地：0（由开发主体承担，不计入公共财政预算）", "construction and PV conversions: 0 (paid by developers, outside the public budget)")],
    ["transitions", bi("退化草地恢复为草地：原地类生物量的损失比例", "degraded_grassland → grassland biomass_loss_pct"), "0",
     "% of the from-use's biomass", bi("IPCC 2006年指南第4卷第6章（草地）：草地仍为草地时，管理和状况的改变（如退化草地恢复）按碳储量随时间的变化计，"
       "不视为清除原有植被", "IPCC 2006 Guidelines Vol. 4 Ch. 6 (grassland): in grassland remaining grassland a change of management "
       "or condition (degraded grassland restored) is a stock change over time, not a clearing of the vegetation"), "2006", E,
     bi("建模选择：禁牧休牧和补播恢复不清除退化草地原有植被，生物量由退化草地的储量逐年增加到草地的储量，不记一次性损失；"
        "此前按清除计，使生物量损失和增长两项各虚增约2,450万吨CO2e", "modelling choice: restoration by grazing ban/rest and "
        "reseeding does not clear the degraded sward; its biomass grows from the degraded to the good grassland's stock and "
        "no one-off loss is booked (counted as a clearing before, which inflated both the loss and the growth terms by "
        "≈ 24.5 Mt CO2e each)")],
    ["transitions", bi("草地、退化草地、沙化土地转为光伏用地：土壤及枯落物碳储量差的实现比例", "grassland / degraded_grassland / sandy → pv soil_change_pct"), "0", "% of the stock difference",
     bi("《植物生态学报》2025，49(11):1791-1804（Liu Qiang、Ma Hongyuan等，doi:10.17521/cjpe.2024.0465）"
       "：共和塔拉滩光伏电站，板下土壤有机碳61.97吨/公顷，板间61.29，站外58.14", "Liu Qiang, Ma Hongyuan et al. 2025, Chinese Journal of Plant Ecology 49(11):1791-1804 (doi:10.17521/cjpe.2024.0465): "
     "Talatan PV station, Gonghe, soil organic carbon 61.97 t/ha under the panels, 61.29 between them, 58.14 outside"),
     "2025", E,
     bi("单一站点（青海共和县荒漠草原）的空间代替时间研究，外推至西藏草地和可治理沙化土地（估算）；光伏施工清除的生物量碳仍计为损失",
        "one site (desert steppe in Gonghe, Qinghai), space-for-time, extrapolated to Tibet's grassland and restorable sandy land (estimate); the biomass cleared for the works is still counted as lost")],
    ["carbon_stocks", bi("禁牧对高寒草地表层土壤有机碳的影响（按草地类型）", "grazing exclusion and topsoil SOC of alpine grassland, by grassland type"),
     bi("高寒草甸显著增加；高寒草原、高寒荒漠草原不显著；总体 +16.5%", "alpine meadow: significant increase; alpine steppe, alpine desert steppe: not significant; overall +16.5%"),
     "% change in SOC stock (0-30 cm)",
     bi("文献：Liu Xiang, Sheng Haiyan, Wang Zhaoqi, Ma Zhiwen, Huang Xiaotao, Li Lanhai 2020，“Does grazing exclusion improve soil carbon and nitrogen stocks in alpine grasslands "
        "on the Qinghai-Tibetan Plateau? A meta-analysis”，Sustainability 12(3):977（摘要）",
        "Liu Xiang, Sheng Haiyan, Wang Zhaoqi, Ma Zhiwen, Huang Xiaotao, Li Lanhai 2020, 'Does grazing exclusion improve soil carbon and nitrogen stocks in alpine grasslands "
        "on the Qinghai-Tibetan Plateau? A meta-analysis', Sustainability 12(3):977 (abstract)"), "2020", V,
     bi("总体增加16.5%（全氮11.2%）是三类草地合计的结果，不是高寒草甸单独的增幅；据此退化草地恢复只在高寒草甸部分计土壤碳增量（研究资料B6）",
        "the +16.5% (total nitrogen +11.2%) is over the three types together, not alpine meadow's own gain; hence restoring degraded grassland earns soil carbon on the meadow share only (research note B6)")],
    ["carbon_stocks", bi("退化草地土壤有机碳（分地市一行）：拉萨市；日喀则市；山南市；那曲市；阿里地区", "degraded_grassland soc_tC_per_ha (region rows): Lhasa; Shigatse; Shannan; Nagqu; Ngari"),
     "; ".join(f"{DEGRADED_SOC_REGION[r]:g}" for r in MEADOW_SHARE), "t C/ha",
     bi("50 − 5 × 该地市草地中高寒草甸的比例（拉萨市0.6、日喀则市0.3、山南市0.5、那曲市0.4、阿里地区0.1）：草甸部分恢复5 吨碳/公顷（草地50与全区退化草地45之差），草原和荒漠草原部分不计",
        "50 − 5 × the prefecture's alpine-meadow share of grassland (Lhasa 0.6, Shigatse 0.3, Shannan 0.5, Nagqu 0.4, Ngari 0.1): the meadow part regains 5 t C/ha (grassland's 50 less the all-region degraded 45), steppe and desert steppe none"),
     "", E,
     bi("草甸比例为估算值：未找到草原调查按地市的草地类型面积，依据西藏草地类型由东南（高寒草甸）向西北（高寒草原、高寒荒漠草原）的分布——阿里地区以高寒草原和高寒荒漠草原为主，"
        "那曲市东部各县为嵩草草甸、面积更大的西部（班戈、申扎、尼玛、双湖）为紫花针茅草原，日喀则市北部和喜马拉雅雨影区为草原；按各地市草地面积加权，全区草甸约占36%，与研究资料A节的约35%（估算）一致。"
        "昌都市、林芝市以高寒草甸和灌丛草甸为主，沿用全区一行（45）",
        "meadow shares are estimates: no prefecture table of grassland types from the grassland surveys was found; they rest on the south-east (alpine meadow) to north-west (alpine steppe, desert steppe) "
        "gradient of Tibet's grassland types: Ngari is alpine steppe and desert steppe, Nagqu's eastern counties Kobresia meadow and its larger west (Bange, Xainza, Nyima, Shuanghu) Stipa steppe, "
        "Shigatse's north and the Himalaya's rain shadow steppe; weighted by the prefectures' grassland the shares give ≈36% meadow for Tibet, the research note's ≈35% (A, estimate). "
        "Chamdo and Nyingchi, meadow and shrub meadow, keep the all-region row (45)")],
    ["carbon_stocks", bi("陆地水域新转入土地的甲烷排放（新建水库）：各区域；昌都市", "water new_land_ch4_kg_per_ha_yr (new reservoirs): all regions; Chamdo"),
     f"{RESERVOIR_CH4['cool_temperate']}; {RESERVOIR_CH4['Chamdo']}", "kg CH4/ha/yr",
     bi("《2006年IPCC国家温室气体清单指南2019修订版》第4卷第7章（水淹地），一级方法，建成20年以内的水库：水面84.7（冷温带）"
       "和195.6（暖温带干旱区）千克甲烷/公顷/年，下游排放为水面排放的0.09倍；排放因子取自二手资料的列表，未取得修订版原表", "IPCC 2019 Refinement Vol. 4 Ch. 7 (Flooded Land), Tier 1, reservoirs ≤ 20 years old: surface 84.7 (cool temperate) "
     "and 195.6 (warm temperate dry) kg CH4/ha/yr, downstream emissions 0.09 of the surface's; the factors as tabulated "
     "in a secondary source, the Refinement's own tables not retrieved"), "2019", E,
     bi("气候区按水库水面的年均温判定（估算；加查一带接近10°C分界）；昌都按各水库淹没面积加权；营养状态调整系数取1（寒冷、多泥沙的水库可能为贫营养，系数会更低）；"
        "仅计新建水库，湖泊河流不计（非人为管理），已有水库未计；淹没土地的CO2按碳库差（水域碳库为0）计入，未改用IPCC年轻水库的CO2排放因子（两者是同一排放的不同估算方法）；"
        "水库建成20年后的因子较低（冷温带54.0），本规划期内无水库超过20年",
        "climate zone judged from the mean annual temperature at the reservoir surface (estimate; the Gyaca reservoirs sit near the 10 °C boundary); Chamdo weighted by each reservoir's inundation; "
        "trophic-state adjustment α = 1 assumed (cold, silty reservoirs are likely oligotrophic, which would lower it); new reservoirs only: lakes and rivers are unmanaged and not counted, existing reservoirs are not counted; "
        "the flooded land's CO2 is counted as the stock difference (water holds 0), not with the Refinement's CO2 factor for young reservoirs (two estimates of the same emission); "
        "reservoirs older than 20 years take a lower factor (cool temperate 54.0), and none is older than 20 by 2035")],
    ["province_targets", bi("2025年森林覆盖率目标", "forest_cover_min_pct 2025"), "12.51", "% of area", bi("西藏“十四五”生态规划：森林覆盖率12.31%（2020年）→ 12.51%（2025年）", "Tibet 14th Five-Year Plan for ecology: forest cover 12.31% (2020) → 12.51% (2025)"), "2021", V, ""],
    ["province_targets", bi("2030年、2035年森林覆盖率目标", "forest_cover_min_pct 2030, 2035"), "12.71; 12.91", "% of area", bi("按2015-2025年的速度外推（每5年增加0.2个百分点）", "extrapolation of the 2015-2025 pace (+0.2 points per 5 years)"), "", E,
     bi("未找到2030/2035年官方数据", "no official 2030/2035 figure found")],
]
SRC += [
    ["land_uses", bi("单位面积粮食产量（耕地）", "food_t_per_ha_yr (cropland)"), "2.4", "t/ha/yr",
     bi("推算：西藏粮食产量约106万吨（通常引用为2021年数据；未在事实资料文件中核实）÷ 耕地44.21万公顷", "derived: Tibet grain output ≈106万 t (commonly cited for 2021; not verified in the facts file) ÷ 44.21万 ha cropland"),
     "2021", "estimate", bi("仅用于 `landopt pareto --against food`；其他地类为0", "used only by `landopt pareto --against food`; other land uses 0")],
    ["land_uses", bi("单位面积经济产出（全部地类）", "output_yuan_per_ha_yr (all land uses)"), "25,000 cropland; 40,000 garden; 800,000 urban; 100,000 rural; "
     "200,000 other construction; 60,000 PV; 300-400 forest/grassland; 0 others", "yuan/ha/yr",
     bi("示意性数量级数值（光伏：0.28兆瓦/公顷 × 约1,500兆瓦时/兆瓦 × 约0.15元/千瓦时；城镇：每公顷建设用地的非农产业增加值，"
       "向下取整）；未找到单位面积统计数据", "illustrative order-of-magnitude values (PV: 0.28 MW/ha × ≈1,500 MWh/MW × ≈0.15 yuan/kWh; urban: non-farm GDP per ha of "
     "construction land, rounded down); no per-hectare statistics were found"), "", "estimate",
     bi("仅用于 `landopt pareto --against economic_output`；得出结论前应替换为有出处的数值", "used only by `landopt pareto --against economic_output`; replace with sourced values before drawing conclusions")],
]
# uncertain parameters for `landopt sweep` (ranges from the alternatives cited in shared/tibet-facts.md)
UNC = [
    ["forest_remaining_flux", "carbon_stocks", "remaining_flux_tC_per_ha_yr", "land_use=forest", -0.25, -0.10, "uniform", None, "set",
     bi("西藏森林以成熟林为主，基于森林资源清查的取值范围0.10-0.25 吨碳/公顷/年（docs/research/tibet_figures.md B节）",
        "inventory-based range 0.10-0.25 t C/ha/yr for Tibet's mostly mature forests (docs/research/tibet_figures.md B)")],
    ["forest_maturity_years", "carbon_stocks", "maturity_years", "land_use=forest", 40, 100, "triangular", 70, "set",
     bi("新造林在40-100年内增长70 吨碳/公顷（0.7-1.75 吨碳/公顷/年；高原林分实测1.14-3.58，估算）",
        "new stands grow 70 t C/ha over 40-100 yr (0.7-1.75 t C/ha/yr; plateau stands 1.14-3.58, estimate)")],
    ["grassland_soc", "carbon_stocks", "soc_tC_per_ha", "land_use=grassland", 35, 90, "triangular", 50, "set",
     bi("高寒草原约35至高寒草甸约90 吨碳/公顷（0-30 cm），见研究资料A节",
        "alpine steppe ≈35 to alpine meadow ≈90 t C/ha (0-30 cm), research section A")],
    ["reservoir_ch4_factor", "carbon_stocks", "new_land_ch4_kg_per_ha_yr", "land_use=water", 0.7, 2.3, "triangular", 1.0, "scale",
     bi("新建水库甲烷：0.7倍（贫营养水库的调整系数）至2.3倍（全部按暖温带干旱区计，213.2 ÷ 92.3），见 docs/data.md 第11节",
        "new reservoirs' methane: ×0.7 (the trophic adjustment of oligotrophic reservoirs) to ×2.3 (all at warm temperate dry, 213.2 ÷ 92.3), docs/data.md §11")],
    ["forage_yield_factor", "grazing", "forage_yield_kg_per_ha", "", 0.8, 1.2, "uniform", None, "scale",
     bi("各地市牧草产量为估算值；±20%",
        "forage yield per prefecture is an estimate; ±20%")],
    ["livestock_ch4", "grazing", "ch4_kg_per_su_yr", "", 5.0, 12.0, "triangular", 5.5, "set",
     bi("5.5 千克/羊单位（牦牛20-31千克/头 ÷ 4.5羊单位）至12（按IPCC“亚洲其他牛”换算），见研究资料C节",
        "5.5 kg/SU (yak 20-31 kg/head ÷ 4.5 SU) to 12 (IPCC 'other cattle, Asia' scaled), research section C")],
]
write("uncertainty", ["parameter", "sheet", "column", "where", "low", "high", "distribution", "mode", "operation", "note"], UNC)

# plan protection measures (issue #13 part A)
SRC += [
    ["settings", bi("耕地占补平衡与进出平衡", "farmland_balance"), "region", "", bi("《土地管理法》第三十条规定的耕地占补平衡，以及国家关于耕地转为其他农用地的耕地进出平衡规定，按各地市、各时段分别执行",
        "耕地占补平衡 (Land Administration Law art. 30) and 耕地进出平衡 (national rule "
        "on cropland converted to other agricultural land), applied per prefecture and period"), "", E,
     bi("建模选择：各地市分别平衡；选“province”则允许一个地市的新增耕地抵补另一个地市的占用", "modelling choice: the balance is required in each prefecture; 'province' would let one prefecture's new cropland offset another's")],
    ["targets", bi("拉萨市永久基本农田保护面积", "basic_farmland_min_ha Lhasa"), fmt(LHASA_PBF), "ha", bi("拉萨市国土空间规划（2021-2035年）：永久基本农田 ≥ 54.92万亩（中新网 2025-04-02）", "Lhasa territorial plan 2021-2035: permanent basic "
     "farmland ≥ 54.92万亩 (Chinanews 2025-04-02)"), "2025", V, bi("2035年数值用于各规划年份", "the 2035 figure applied to every milestone")],
    ["targets", bi("拉萨市以外各地市永久基本农田保护面积", "basic_farmland_min_ha Shigatse..Ngari"), "; ".join(fmt(pbf[r]) for r in REGIONS[1:]), "ha",
     bi(f"推算：耕地保有量 × {PBF_RATIO:.4f}（拉萨市永久基本农田 ÷ 其耕地保有量目标，54.92/76.61）", f"derived: cropland_min_ha × {PBF_RATIO:.4f} (Lhasa's permanent basic farmland ÷ its cropland target, 54.92/76.61)"),
     "2035", E, bi("除拉萨市外未找到各地市数据（docs/research/tibet_figures.md E4）", "no prefecture figure found except Lhasa's (docs/research/tibet_figures.md E4)")],
    ["targets", bi("补充耕地潜力", "supplementary_cropland_potential_ha"), "; ".join(fmt(supp[(r, 2035)]) for r in REGIONS) + " (2035, Lhasa..Ngari)",
     "ha", bi(f"推算：拉萨市2006-2020年规划15年内补充耕地1,355公顷的任务（国函〔2014〕29号，约{SUPP_LHASA_HA_YR:.1f}公顷/年，"
       "经二手资料核实）× 2019年以来的年数 × 该地市基期耕地 ÷ 拉萨市基期耕地", f"derived: Lhasa 2006-2020 plan obligation of 1,355 ha supplementary cropland over 15 years (国函〔2014〕29号, "
     f"≈{SUPP_LHASA_HA_YR:.1f} ha/yr, verified secondary) × years since 2019 × the prefecture's baseline cropland ÷ Lhasa's"),
     "2014", E, bi("累计至各规划年份；未找到耕地后备资源调查数据", "cumulative to each milestone; no survey of reserve cropland land (耕地后备资源) was found")],
    ["transitions", bi("其他土地/未利用地转为耕地：每期最大转换比例", "unused→cropland max_pct_per_period"), str(SUPP_RATE), "% per period", bi("建模假定", "modelling assumption"), "", E,
     bi("有意放宽：新增耕地由上述后备资源数据限制", "loose on purpose: the reserve-land figure above limits new cropland")],
    ["targets", bi("生态退耕指标", "eco_retirement_quota_ha"), "blank (0)", "ha", bi("未找到西藏的生态退耕指标（未取得国函〔2024〕55号第二部分）", "no 生态退耕 quota for Tibet was found (国函〔2024〕55号 "
     "section 二 not retrieved)"), "", E, bi("空 = 不豁免：退耕还林还草的耕地须以新增耕地平衡；情景 ecological_retirement 取基期耕地 − 耕地保有量下限", "blank = no exemption: cropland retired to forest or grassland must be balanced by "
     "new cropland; scenario ecological_retirement sets baseline − cropland floor")],
    ["targets", bi("建设用地总规模上限", "construction_max_ha"), "; ".join(fmt(cap[(r, 2035)]) for r in REGIONS) + " (2035, Lhasa..Ngari)", "ha",
     bi(f"推算：（城镇用地需求 + 基期村庄用地 + 其他建设用地下限）× {CAP_HEADROOM}", f"derived: urban land demand + baseline rural land + other construction land minimum, × {CAP_HEADROOM}"), "", E,
     bi("未取得西藏2035年建设用地总规模（国函〔2024〕55号第二部分）；拉萨市2006-2020年规划：2020年城乡建设用地 ≤ 12,916公顷（国函〔2014〕29号，仅含城镇和村庄，不可直接比较）；不计光伏用地", "Tibet's 2035 建设用地总规模 (国函〔2024〕55号 section 二) not retrieved; Lhasa 2006-2020: urban-rural construction "
     "land ≤ 12,916 ha in 2020 (国函〔2014〕29号, urban + rural only, not comparable); PV land not counted")],
    ["protected_land", bi("全区生态保护红线内面积", "redline_ha, Tibet"), fmt(REDLINE_TIBET_HA), "ha", bi("生态保护红线约53.9万平方公里，占全区面积的45%（2021年自治区报道，shared/tibet-facts.md）", "ecological protection red line ≈53.9万 km², "
     "45% of the region (provincial reporting 2021, shared/tibet-facts.md)"), "2021", V, bi("经二手资料核实", "verified secondary")],
    ["protected_land", bi("拉萨市生态保护红线内面积", "redline_ha, Lhasa"), fmt(REDLINE_LHASA_HA), "ha", bi("拉萨市国土空间规划（2021-2035年）：生态保护红线9,674.59平方公里（中新网 2025-04-02）", "Lhasa territorial plan 2021-2035: ecological "
     "protection red line 9,674.59 km² (Chinanews 2025-04-02)"), "2025", V, bi("按拉萨市各地类分解（估算，见下）", "split across Lhasa's land uses (estimate, below)")],
    ["protected_land", bi("拉萨市以外各地市生态保护红线内面积", "redline_ha, Shigatse..Ngari"), "; ".join(fmt(red_total[r]) for r in REGIONS[1:]), "ha",
     bi("推算：全区53.9万平方公里 − 拉萨市，按各地市自然地类（林地、草地、湿地、陆地水域、其他土地/未利用地）面积分配", "derived: Tibet 53.9万 km² − Lhasa, split by each prefecture's natural land (forest, grassland, wetland, water, unused)"),
     "", E, bi("各地市的生态保护红线按上述地类的基期面积分解（未做图斑叠加）；耕地和建设用地不在红线内", "within every prefecture the red line is split across those land uses by their baseline area (no map overlay); "
     "cropland and construction land are outside the red line")],
    ["protected_land", bi("城镇开发边界内面积", "in_urban_boundary_ha"), "; ".join(f"{r} " + ", ".join(f"{l} {fmt(urban_site[(r, l)])}" for l in SITE_LU
                                                                          if urban_site[(r, l)]) for r in REGIONS), "ha",
     bi("推算：（规划目标表的城镇开发边界 − 基期城镇建设用地）× 固定构成——河谷城镇（拉萨市、日喀则市、昌都市、林芝市、山南市）"
       "：耕地35%、园地2%、草地15%、退化草地10%、未利用地15%、沙化土地3%；牧区城镇（那曲市、阿里地区）：耕地2%、"
       "草地30%、退化草地20%、未利用地20%、沙化土地5%；其余部分（村庄、道路、公园和林卡、水域、含内陆滩涂的湿地）不转为城镇用地。"
       "该构成为建模假定；文献仅支持河谷地区耕地确为建设用地的实际来源：Chu Duo、Zhang Yili、Zheng Du 2005（地理研究 24(6):869-877）"
       "：1990-2000年拉萨地区改变用途的耕地中38%转为居住用地；拉萨市2006-2020年规划（国函〔2014〕29号）"
       "：新增建设占用耕地上限1,355公顷", "derived: (targets.urban_boundary_ha − baseline urban land) × a fixed mix — valley towns (Lhasa, Shigatse, Chamdo, "
     "Nyingchi, Shannan): cropland 35%, garden 2%, grassland 15%, degraded grassland 10%, unused 15%, sandy 3%; "
     "pastoral towns (Nagqu, Ngari): cropland 2%, grassland 30%, degraded grassland 20%, unused 20%, sandy 5%; the "
     "rest (villages, roads, parks and 林卡, water, wetland incl. river beaches 内陆滩涂) does not become urban land. The "
     "shares are a modelling assumption; the sources only support cropland being a real source of building land in "
     "the valleys: Chu Duo, Zhang Yili, Zheng Du 2005 (地理研究 24(6):869-877): 38% of the cropland that changed use in "
     "Lhasa district in 1990-2000 became residential land; Lhasa 2006-2020 plan (国函〔2014〕29号): new construction on "
     "cropland capped at 1,355 ha"), "", E,
     bi("未找到城镇开发边界与三调图斑的叠加数据（各地市国土空间总体规划数据库中有）：地类构成为估算，决定城镇扩张占用耕地还是草地",
        "no overlay of the boundaries with the 三调 map was found (it is in each prefecture's territorial plan database): "
        "the mix is an estimate, and it decides whether towns take cropland or grassland; development_priority scales the "
        "figures with its larger boundary (same mix), compact_development keeps them: its smaller boundary is drawn "
        "within the same land and the plan chooses which of it the boundary covers (best-case siting)")],
    ["protected_land", bi("基本草原面积", "basic_grassland_ha"), "; ".join(fmt(basic_grass[r]) for r in REGIONS), "ha",
     bi(f"推算：基期草地 × {USABLE_SHARE:.4f}（可利用草地11.57亿亩/13.23亿亩，2016年第二次草原调查，"
       "经二手资料核实）", f"derived: baseline grassland × {USABLE_SHARE:.4f} (usable grassland 11.57 of 13.23亿亩, second grassland survey "
     "2016, verified secondary)"), "2016", E, bi("未找到基本草原面积：假定全部可利用草地划为基本草原；与生态保护红线重叠（保护约束族：各自成行）", "basic grassland area not found: assumes all usable grassland is designated "
     "basic grassland; overlaps the red line (protection family: independent rows)")],
    ["scenarios", bi("发展用地需求情景：用地经济产出要求", "land_output_growth: economic_output_min_yuan_per_yr"), "; ".join(f"{OUTPUT_MIN[y] / 1e8:,.0f}亿" for y in YEARS)
     + " (2025; 2030; 2035)", "yuan/yr", bi(f"示意性：2019年土地经济产出（{OUTPUT_2019 / 1e8:,.1f}亿元/年，按示意性的单位面积经济产出计算）"
       "× 每年1.02；用于检验权衡的发展要求，并非统计数据（西藏2019年地区生产总值1,697.8亿元，并非土地经济产出）", f"illustrative: land-based output of 2019 ({OUTPUT_2019 / 1e8:,.1f}亿 yuan/yr from the "
     "illustrative output_yuan_per_ha_yr) × 1.02 per year; a development requirement for testing the trade-off, not a "
     "statistic (Tibet's GDP, 1,697.8亿 yuan in 2019, is not land-based output)"), "", E, bi("不是官方目标", "not an official target")],
    ["scenarios", bi("节约集约用地情景", "compact_development"), f"{COMPACT_M2:.0f}", "m²/person", bi("国家标准 GB 50137-2011 上限档（65-115平方米）", "GB 50137-2011 upper class (65-115 m²)"), "2011", E,
     bi(f"城镇开发边界取2035年需求的{1 - COMPACT_REDEV_2035:.0%}，2030年建设用地总规模上限比城镇用地需求低{COMPACT_REDEV_2030:.0%}：其余通过存量建设用地盘活解决", f"boundaries at {1 - COMPACT_REDEV_2035:.0%} of the 2035 need and the 2030 cap {COMPACT_REDEV_2030:.0%} of the "
     "urban need below it: the rest by redevelopment")],
    # -- construction and energy measures (issue #13)
    ["targets", bi("人均城镇建设用地上限", "urban_land_per_capita_max_m2"), f"{URBAN_M2_CAP:.0f}", "m²/person", bi("《城市用地分类与规划建设用地标准》（GB 50137-2011）：边远地区和少数民族地区城市人均最多150平方米（经专门论证后的上限）", "GB 50137-2011 城市用地分类与规划建设用地标准: "
     "remote and minority-region cities at most 150 m² per resident (upper limit after special justification)"), "2011", E,
     bi("凭记忆引用该标准，本次未取得其原文；与假定的2019年人均用地相同", "standard recalled, its text not retrieved in this session; the same figure as the assumed 2019 density")],
    ["targets", bi("新增城镇建设用地人均标准", "new_urban_land_per_capita_m2"), f"{URBAN_M2_NEW:.0f}", "m²/person", bi("估算：新增城镇人口的人均新增城镇用地取 GB 50137-2011 上限档（115平方米），低于140平方米的需求，超出部分的增长通过存量盘活满足", "estimate: new urban land per new "
     "resident at the upper class of GB 50137-2011 (115 m²), below the 140 m² demand, so that growth beyond it is met "
     "by redevelopment"), "2011", E, bi("未找到西藏新增城镇建设用地标准", "no Tibet 新增城镇建设用地 standard found")],
    ["targets", bi("存量低效建设用地可盘活规模", "redevelopment_potential_ha"), "; ".join(fmt(redev[(r, 2035)]) for r in REGIONS) + " (2035, Lhasa..Ngari)",
     "ha", bi(f"估算：基期城镇和村庄用地的{REDEV_SHARE:.0%}为低效用地，每个规划年份前可盘活其中三分之一（累计）", f"estimate: {REDEV_SHARE:.0%} of baseline urban + village land is inefficient 低效用地, a third of it ready by "
     "each milestone (cumulative)"), "", E, bi("未找到西藏低效建设用地调查数据", "no survey of inefficient construction land in Tibet was found")],
    ["targets", bi("盘活再开发成本", "redevelopment_cost_yuan_per_ha"), fmt(REDEV_COST), "yuan/ha", bi("估算：收储、补偿和场地整理的公共成本约4万元/亩（60万元/公顷）", "estimate: ≈4万元/亩 (600,000 yuan/ha) public cost of "
     "收储, compensation and site works"), "", E, bi("仅为数量级；计入预算的影子价格后，存量盘活是满足需求的较贵方式，仅在上限起作用处采用", "order of magnitude only; with the budget's shadow price it makes "
     "redevelopment the dearer way to meet demand, used where the caps bind")],
    ["energy_bases", bi("拉萨市、日喀则市、昌都市、山南市清洁能源基地光伏装机下限", "min_mw (Lhasa, Shigatse, Chamdo, Shannan bases)"), "; ".join(
        f"{b} {fmt(base_mw[(b, 2025)])}/{fmt(base_mw[(b, 2030)])}/{fmt(base_mw[(b, 2035)])}" for b, _zh, _r in BASES),
     "MW (2025/2030/2035)", bi(f"估算：该地市按光伏适宜面积分得的全区光伏目标份额的{BASE_SHARE:.0%}", f"estimate: {BASE_SHARE:.0%} of the prefecture's share of the Tibet PV target by PV-suitable "
     "land"), "", E, bi("基地名称来自西藏“十四五”规划纲要（清洁能源基地；金沙江上游川藏段国家水风光一体化示范基地，经二手资料核实：央视 2023-06-18）；未找到各基地装机数据", "named bases from the Tibet 14th FYP outline (清洁能源基地; 金沙江上游川藏段国家水风光一体化示范基地, "
     "verified secondary: CCTV 2023-06-18); no per-base capacity figure found")],
    ["province_targets", bi("全域光伏装机目标", "pv_capacity_min_mw"), "10,000; 20,000; 30,000", "MW", bi("2025年：西藏“十四五”规划光伏装机超过1000万千瓦（经二手资料核实）；2030年、2035年：假定值", "2025: Tibet 14th FYP PV > 1000万千瓦 "
     "(verified secondary); 2030, 2035: assumption"), "2021", E, bi("替代按适宜用地分解到各地市的目标（energy.clean_capacity_min_mw 现为空；该列仍可使用）", "replaces the per-prefecture split of the target by "
     "suitable land (energy.clean_capacity_min_mw now blank; the column stays available)")],
    ["energy", bi("单位面积光伏装机（光伏发电站工程项目用地控制指标）", "pv_mw_per_ha (TD/T 1075-2023)"), f"{PV_MW_PER_HA_NEW}", "MW/ha", bi("《光伏发电站工程项目用地控制指标》（TD/T 1075-2023）：本次未找到其指标表", "TD/T 1075-2023 光伏发电站工程项目用地控制"
     "指标: tables not found in this session"), "", E, bi("保持0.5兆瓦/公顷（上文已标为估算）", "kept at 0.5 MW/ha (labelled estimate above)")],
    ["hydro_projects", bi("叶巴滩水电站", "Yebatan 叶巴滩"), "2,240 MW; first unit 2025", "MW", bi("新华社 2019-03-30（gov.cn）：224万千瓦，四川白玉县与西藏贡觉县；国务院国资委 2019-04-12："
       "首台机组计划2025年投产", "Xinhua 2019-03-30 (gov.cn): 224万千瓦, "
     "四川白玉县与西藏贡觉县; SASAC 2019-04-12: first unit planned 2025"), "2019", V, bi("用地为估算（水库一半在西藏境内；每兆瓦淹没1公顷、枢纽及施工用地0.15公顷）", "land: estimates (half the reservoir in "
     "Tibet; 1 ha/MW inundated, 0.15 ha/MW construction)")],
    ["hydro_projects", bi("拉哇水电站", "Lawa 拉哇"), "2,000 MW", "MW", bi("央视 2023-06-18：200万千瓦，四川巴塘县和西藏芒康县；大坝混凝土浇筑于2023年开始", "CCTV 2023-06-18: 200万千瓦, 四川巴塘县和西藏芒康县; dam concreting "
     "began 2023"), "2023", V, bi("2027年投产及用地均为估算", "in service 2027 and land: estimates")],
    ["hydro_projects", bi("苏洼龙水电站、巴塘水电站", "Suwalong 苏洼龙, Batang 巴塘"), "1,200; 750 MW", "MW", bi("二手资料：均已在金沙江上游（川藏段）建成", "secondary: both completed on the upper "
     "Jinsha (川藏段)"), "", E, bi("投产年份2021年、2024年及用地均为估算", "years 2021, 2024 and land: estimates")],
    ["hydro_projects", bi("如美水电站（澜沧江上游）、大古水电站和街需水电站（雅鲁藏布江中游）", "Rumei 如美 (upper Lancang), Dagu 大古 and Jiexu 街需 (middle Yarlung Tsangpo)"), "2,600; 660; 560 MW",
     "MW", bi("装机为通常报道的数值；本次未取得原始资料", "capacities as commonly reported; not retrieved in this session"), "", E, bi("投产年份及用地均为估算", "years and land: estimates")],
    ["hydro_projects", bi("雅鲁藏布江下游水电工程", "Lower Yarlung Tsangpo 雅鲁藏布江下游水电工程"), "60,000 MW; approved 2024-12; construction began "
     "2025-07-19", "MW", bi("新华社（经大公报转载）2025-07-20：林芝市，5座梯级电站，截弯取直、隧洞引水，1.2万亿元", "Xinhua via Ta Kung Pao 2025-07-20: 林芝市, 5 cascade stations, 截弯取直、隧洞引水, 1.2万亿元"), "2025", V,
     bi("2035年投产（建设期10年，二手资料）及用地（每兆瓦淹没0.1公顷、施工用地0.05公顷，隧洞引水）均为估算", "in service 2035 (10-year build, secondary) and land (0.1 ha/MW inundated, 0.05 ha/MW construction, tunnels): estimates")],
    ["area_bounds", bi("交通采矿及其他建设用地面积下限：水电", "other_construction min_ha: hydro"), "", "ha", bi("推算：加上各规划年份前已投产水电工程的建设用地", "derived: + the construction land of hydro projects in "
     "service by each milestone"), "", E, bi("使水电工程用地叠加在交通和采矿用地增长之上", "so that hydro construction adds to the roads and mining growth")],
]
# sandy land, desertification control and forest growing stock (issue #13)
SRC += [
    ["baseline", bi("全区沙化土地总面积", "sandy land, Tibet (沙化土地)"), fmt(SANDY_TIBET_HA), "ha", bi("第五次全国荒漠化和沙化监测（2014年）：2158.36万公顷，占全区面积的17.9%，居全国第三（tibet.cn 2021-06-16，"
       "西藏自治区林业和草原局）", "5th national desertification and "
     "sandification monitoring (2014): 2158.36万 ha, 17.9% of the region, third in China (tibet.cn 2021-06-16, "
     "Tibet forestry and grassland bureau)"), "2014", V,
     bi("经二手资料核实；未找到第六次监测（2019年）的西藏数据（2009-2019年西藏沙化土地减少3.50万公顷，gov.cn 2019-06-17）", "verified secondary; the 6th monitoring (2019) figure for Tibet "
     "was not found (Tibet's sandy land fell 3.50万 ha 2009-2019, gov.cn 2019-06-17)")],
    ["baseline", bi("全区沙化土地（可治理）", "sandy (restorable sandy land, 可治理沙化土地), Tibet"), fmt(SANDY_TOTAL), "ha", bi("同一来源：沙化土地中约240万公顷可治理，全区7个地市均有分布", "same source: about 240万 ha "
     "of the sandy land can be restored, in all 7 prefectures"), "2014", V, bi("仅此部分作为地类 sandy：2158万公顷中的其余部分在国土调查中计为草地或裸地，保持不变", "only this part is land use sandy: the rest of "
     "the 2158万 ha lies in land the survey counts as grassland or bare land and stays there")],
    ["baseline", bi("各地市沙化土地（可治理）", "sandy by prefecture"), "; ".join(fmt(sandy[r]) for r in REGIONS), "ha", bi("推算：240万公顷按拉萨市5%、日喀则市30%、昌都市2%、林芝市1%、山南市7%、那曲市25%、阿里地区30%分配；从各地市的未利用地中划出", "derived: 240万 ha split "
     "Lhasa 5%, Shigatse 30%, Chamdo 2%, Nyingchi 1%, Shannan 7%, Nagqu 25%, Ngari 30%; taken out of each prefecture's "
     "unused land"), "", E, bi("假定：沙化土地集中在雅鲁藏布江中上游河谷（噶尔、定结、仲巴、萨嘎的国家沙化土地封禁保护区；山南国家级示范区）和西北部", "assumption: sandy land concentrates in the middle-upper Yarlung Tsangpo valley (national "
     "sandy-land closure reserves in Gar, Dinggyê, Zhongba, Saga; Shannan national demonstration zone) and the north-west")],
    ["transitions", bi("沙化土地转为草地：每公顷转换成本", "sandy→grassland cost_yuan_per_ha"), fmt(SAND_COST), "yuan/ha", bi("推算：“十三五”期间防沙治沙工程13.93万公顷，投入5.23亿元（tibet.cn 2021-06-16，经二手资料核实）", "derived: 13th FYP 防沙治沙 works "
     "13.93万 ha for 5.23亿 yuan (tibet.cn 2021-06-16, verified secondary)"), "2021", E, bi("治理工程的平均公共投入（种草、沙障、围封）；沙化土地→林地（灌木林、防护林）按造林取30,000", "mean public cost of the works "
     "(grass planting, sand barriers, enclosure); sandy→forest (shrub/protection forest) 30,000 as afforestation")],
    ["transitions", bi("沙化土地转为草地、沙化土地转为林地：每期最大转换比例", "sandy→grassland / sandy→forest max_pct_per_period"), "10; 2", "% per period", bi("建模假定", "modelling assumption"),
     "", E, bi("取10%可在满足目标进度（每时段约为可治理面积的7%）的同时留有选择余地", "10% lets the target pace (≈7% of the restorable land per period) be met with room to choose")],
    ["targets", bi("沙化土地治理面积下限（累计）", "sandy_restoration_min_ha"), f"{SAND_PACE_HA_YR:,.0f} ha/yr × years since 2019, split as the sandy land",
     "ha", bi("推算：“十三五”时期（2016-2020年）完成防沙治沙工程13.93万公顷（tibet.cn 2021-06-16，经二手资料核实）"
       "；按此速度延续至2035年", "derived: 13th FYP (2016-2020) completed 13.93万 ha of 防沙治沙 works (tibet.cn 2021-06-16, verified "
     "secondary); the pace continued to 2035"), "2021", E, bi("未找到西藏“十四五”或2035年防沙治沙目标；全区到2025 / 2030 / 2035年分别为16.7万 / 30.6万 / 44.6万公顷", "no 14th FYP or 2035 desertification-control figure for "
     "Tibet was found; Tibet-wide 16.7万 / 30.6万 / 44.6万 ha by 2025 / 2030 / 2035")],
    ["carbon_stocks", bi("沙化土地（可治理）：生物量碳0.3、土壤有机碳15吨碳/公顷", "sandy: biomass 0.3, SOC 15 t C/ha"), "0.3; 15", "t C/ha", bi("估算：沙化土地植被稀疏；沙质土壤约15吨碳/公顷（0-30厘米），高寒草甸约50（docs/research/tibet_figures.md G节）", "estimate: sparse vegetation on sandy "
     "land; sandy soils ≈15 t C/ha (0-30 cm) against alpine meadow ≈50 (docs/research/tibet_figures.md G)"), "", E, ""],
    ["regions", bi("全区基期森林蓄积量", "forest_stock_m3, Tibet (森林蓄积量)"), fmt(FOREST_STOCK_2019), "m³", bi("第九次全国森林资源清查（2014-2018年）：22.88亿立方米（取自项目任务书所给数值；未与清查报告复核）", "9th national forest inventory "
     "(2014-2018): 22.88亿 m³ (figure as given in the project's brief; not re-checked against the inventory report)"), "2018", E,
     bi("第八次森林资源清查（2009-2013年）：22.62亿立方米（人民网 2015-09-07，已核实）", "8th inventory (2009-2013): 22.62亿 m³ (people.com.cn 2015-09-07, verified)")],
    ["regions", bi("各地市基期森林蓄积量", "forest_stock_m3 by prefecture"), "; ".join(fmt(stock0[r]) for r in REGIONS), "m³", bi("推算：22.88亿立方米按基期林地 × 密度指数分配，密度指数拉萨市0.3、日喀则市0.5、昌都市1.2、林芝市1.6、"
       "山南市0.8、那曲市0.3、阿里地区0.2", "derived: 22.88亿 m³ "
     "split by baseline forest × density index Lhasa 0.3, Shigatse 0.5, Chamdo 1.2, Nyingchi 1.6, Shannan 0.8, Nagqu "
     "0.3, Ngari 0.2"), "", E, bi("假定：林芝市和昌都市为茂密针叶林（乔木林每公顷蓄积267立方米，第八次清查），西部和北部为灌木林", "assumption: dense conifer stands in Nyingchi and Chamdo (arbor stands 267 m³/ha, 8th "
     "inventory), shrubland in the west and north")],
    ["regions", bi("现有林单位面积年蓄积增长", "forest_growth_m3_per_ha_yr"), f"{FOREST_GROWTH}", "m³/ha/yr", bi("推算：（22.88 − 22.62）亿立方米 ÷ 两次清查间隔的5年 ÷ 基期林地（1,481万公顷）", "derived: (22.88 − 22.62)亿 m³ over the 5 "
     "years between inventories ÷ the baseline forest (1,481万 ha)"), "", E, bi("以天然林为主的成熟林净生长量（天然林占99.2%）；各地市相同", "net growth of mature, mostly natural "
     "forest (99.2% natural); the same in every prefecture")],
    ["regions", bi("新造林单位面积年蓄积增长", "young_forest_growth_m3_per_ha_yr"), f"{YOUNG_GROWTH}", "m³/ha/yr", bi("高原人工林（杨树、柳树、圆柏）最初几十年的假定值", "assumption for plateau plantations "
     "(poplar, willow, juniper) in their first decades"), "", E, bi("未找到西藏实测数据", "no measured Tibet figure found")],
    ["province_targets", bi("森林蓄积量目标", "forest_stock_min_m3"), "; ".join(f"{STOCK_MIN[y] / 1e8:.4f}亿" for y in YEARS), "m³",
     bi("推算：22.88亿立方米 + 2009-2018年森林资源清查趋势（森林面积和蓄积量双增长）", "derived: 22.88亿 m³ + the 2009-2018 inventory trend (森林面积和蓄积量双增长)"), "", E, bi("未找到2025-2035年规划数据；现有森林生长即可满足，故在随附工作簿中从不起约束作用（见情景 forest_stock_growth）", "no plan figure for 2025-2035 "
     "found; standing growth alone meets it, so it never binds on the shipped workbook (scenario forest_stock_growth)")],
    ["scenarios", bi("提高森林蓄积量目标情景", "forest_stock_growth"), "23.90亿 (2035)", "m³", bi("设计选择：略高于基准方案的蓄积量", "design choice: just above the base plan's stock"), "", E,
     bi("起约束作用，影子价格不为零", "binds with a non-zero shadow price")],
]
write("sources", ["sheet", "item", "value", "unit", "source", "year", "status", "note"], SRC)
