"""The input workbook's schema: every sheet, every column, its unit and meaning.

This module is the single source of truth for the reader, the validator, the
template writer and ``docs/inputs.md``.  Column names carry their unit as a
suffix (``_ha``, ``_su``, ``_mw`` ...); the ``unit`` field spells it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["id", "text", "number", "int", "bool", "choice"]

#: Land-use roles the constraint families understand.  A workbook may define
#: any number of land uses; each carries exactly one role.
ROLES: dict[str, str] = {
    "cropland": "cropland 耕地 (protected by the red line)",
    "garden": "orchard / garden land 园地 (carbon sink)",
    "forest": "forest land 林地 (carbon sink)",
    "grassland": "grassland 草地 (carbon sink; grazed or banned/rested)",
    "degraded_grassland": "degraded grassland 退化草地 (lower forage yield and carbon; restored to grassland under grazing ban/rest)",
    "wetland": "wetland 湿地 (carbon sink)",
    "water": "water bodies 水域",
    "urban": "urban construction land 城镇建设用地 (inside the urban development boundary)",
    "rural": "rural settlements 村庄建设用地",
    "other_construction": "transport, mining and other construction land 交通、采矿及其他建设用地",
    "pv": "photovoltaic (solar) power land 光伏用地",
    "unused": "unused land 其他土地（未利用地）: bare rock, gravel and sandy land not given role sandy",
    # -- sandy land and desertification control (issue #13)
    "sandy": "sandy land 沙化土地 that can be restored (可治理沙化土地; restored to grassland or forest by 防沙治沙)",
}
CONSTRUCTION_ROLES = ("urban", "rural", "other_construction")

#: Chinese names accepted for a choice (the third land survey's class names and their short forms).
ROLE_NAMES_ZH: dict[str, str] = {
    "耕地": "cropland", "园地": "garden", "林地": "forest", "草地": "grassland", "湿地": "wetland",
    "水域": "water", "陆地水域": "water", "水域及水利设施用地": "water",
    "城镇建设用地": "urban", "城镇用地": "urban", "城镇": "urban", "城市": "urban",
    "村庄建设用地": "rural", "村庄用地": "rural", "村庄": "rural",
    "交通、采矿及其他建设用地": "other_construction", "交通采矿及其他建设用地": "other_construction",
    "其他建设用地": "other_construction", "交通运输用地": "other_construction", "工矿用地": "other_construction",
    "光伏用地": "pv", "光伏": "pv", "其他土地": "unused", "未利用地": "unused", "其他土地（未利用地）": "unused",
    "沙化土地": "sandy", "沙地": "sandy", "可治理沙化土地": "sandy",
}
#: column name -> {accepted text -> choice}
CHOICE_ALIASES: dict[str, dict[str, str]] = {"role": ROLE_NAMES_ZH}

#: largest total area of a region: China's land area is about 9.6e8 ha (other areas are checked against
#: their region's total by the validator)
MAX_AREA_HA = 1e9

SETTINGS_KEYS: dict[str, tuple[str, str, str]] = {
    # key: (kind, default, description)
    "title": ("text", "landopt plan", "Plan title shown on the summary sheet"),
    "baseline_year": ("int", "", "Year of the baseline areas (e.g. 2019, the third land survey)"),
    "milestone_years": (
        "text",
        "",
        "Comma-separated milestone years after the baseline, e.g. 2025,2030,2035; the last is the target year",
    ),
    "objective_years": (
        "choice:target|all",
        "target",
        "Maximise the net sink in the target year only ('target') or summed over all milestones ('all')",
    ),
    "include_avoided_emissions": (
        "bool",
        "no",
        "Credit emissions avoided by photovoltaic power to the net sink (yes/no)",
    ),
    "ch4_gwp": ("number", "27", "Global warming potential of methane, t CO2e per t CH4 (IPCC AR6: 27)"),
    "carbon_accounting": (
        "choice:auto|stock_change|flux",
        "auto",
        "stock_change = IPCC stock-change accounting from sheet carbon_stocks (cumulative net removals, t CO2e, "
        "maximised); flux = a per-hectare flux on standing area (t CO2e/yr, the simplified literature method); "
        "auto = stock_change when the workbook has a carbon_stocks sheet, else flux",
    ),
    "soil_transition_years": (
        "number",
        "20",
        "Years over which soil organic carbon and dead organic matter move from the old to the new land use's "
        "stock after a conversion (IPCC default 20)",
    ),
    "memo_fossil_emissions_t_co2_per_yr": (
        "number",
        "",
        "Memo only, never in the objective: the region's fossil-energy and cement CO2 (t CO2/yr) from an "
        "emission inventory, shown beside the land sink",
    ),
    "area_tolerance_pct": (
        "number",
        "0.1",
        "Largest allowed gap between a region's baseline areas and its total area, % of the total",
    ),
    "no_net_loss": (
        "bool",
        "yes",
        "Where a forest/wetland/grassland floor is blank, keep that land use at or above its baseline",
    ),
    "families_off": (
        "text",
        "",
        "Comma-separated constraint families to switch off (e.g. grazing_balance,energy_sites)",
    ),
    "solver_method": ("choice:auto|simplex|ipm", "auto", "HiGHS method; auto = dual simplex (fastest on these LPs at every measured size); ipm = interior point with crossover"),
    "time_limit_s": ("number", "600", "Solver time limit in seconds"),
    # -- plan protection measures (issue #13 part A: families farmland, protection, construction)
    "farmland_balance": (
        "choice:none|region|province",
        "none",
        "占补平衡 and 进出平衡 (cropland taken must be replaced by new cropland): none = not applied; region = in each "
        "region; province = over all regions together",
    ),
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    unit: str = ""
    required: bool = True
    description: str = ""
    ref: str | None = None  # "regions" or "land_uses": value must be a known id
    choices: tuple[str, ...] = ()
    minimum: float | None = None  # lower bound for numbers (inclusive unless low_open)
    maximum: float | None = None  # inclusive upper bound for numbers
    low_open: bool = False  # True: the value must be strictly greater than ``minimum``


@dataclass(frozen=True)
class Sheet:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # columns that must be unique together
    required: bool = True
    long_text: str = ""

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _n(name: str, unit: str, desc: str, required: bool = False, minimum: float | None = 0.0,
       maximum: float | None = None, low_open: bool = False) -> Column:
    return Column(name, "number", unit, required, desc, minimum=minimum, maximum=maximum, low_open=low_open)


REGION = Column("region", "id", "", True, "Region id (e.g. Lhasa); must be listed on the regions sheet", ref="regions")
LAND_USE = Column("land_use", "id", "", True, "Land-use id; must be listed on the land_uses sheet", ref="land_uses")
YEAR = Column("year", "int", "year", True, "Milestone year (one of settings.milestone_years)")

SHEETS: dict[str, Sheet] = {}


def _add(sheet: Sheet) -> None:
    SHEETS[sheet.name] = sheet


_add(Sheet(
    "settings",
    "Run settings, one per row (key, value).",
    (
        Column("key", "text", "", True, "Setting name", choices=tuple(SETTINGS_KEYS)),
        Column("value", "text", "", False, "Setting value"),
        Column("unit", "text", "", False, "Unit of the value (information only)"),
        Column("description", "text", "", False, "What the setting does (information only)"),
    ),
    key=("key",),
))
_add(Sheet(
    "regions",
    "Planning regions (prefectures, counties or grid cells) and their total land area.",
    (
        Column("region", "id", "", True, "Region id, short and unique (e.g. Lhasa)"),
        Column("name_zh", "text", "", False, "Chinese name (e.g. 拉萨市)"),
        _n("total_area_ha", "ha", "Total land area of the region", required=True, maximum=MAX_AREA_HA, low_open=True),
        # -- forest growing stock (issue #13)
        _n("forest_stock_m3", "m³", "Forest growing stock 森林蓄积量 of the region's baseline forest (roles forest) in the "
           "baseline year; blank = 0", maximum=1e12),
        _n("forest_growth_m3_per_ha_yr", "m³/ha/yr", "Net growth of growing stock per ha of standing (baseline) forest per "
           "year; blank = 0", maximum=100.0),
        _n("young_forest_growth_m3_per_ha_yr", "m³/ha/yr", "Growth of growing stock per ha of new (afforested) forest per "
           "year, from its conversion at mid-period; blank = 0", maximum=100.0),
    ),
    key=("region",),
))
_add(Sheet(
    "land_uses",
    "Land-use types, their role in the constraints and their default carbon coefficient.",
    (
        Column("land_use", "id", "", True, "Land-use id (e.g. forest)"),
        Column("name_zh", "text", "", False, "Chinese name (e.g. 林地)"),
        Column("role", "choice", "", True, "What the constraint families treat this land use as", choices=tuple(ROLES)),
        _n("carbon_flux_tC_per_ha_yr", "t C/ha/yr", "Flux accounting only (settings.carbon_accounting = flux): carbon flux "
           "per ha of standing area as the literature writes it, emission positive, sink negative; required in flux mode",
           minimum=-50.0, maximum=100.0),
        _n("output_yuan_per_ha_yr", "yuan/ha/yr", "Economic output per hectare (for trade-off curves against economic output)", maximum=1e9),
        _n("food_t_per_ha_yr", "t/ha/yr", "Grain (food) production per hectare (for trade-off curves against food)", maximum=50.0),
        Column("description", "text", "", False, "Notes"),
    ),
    key=("land_use",),
))
_add(Sheet(
    "baseline",
    "Baseline area of every land use in every region (long format: one row per region and land use).",
    (REGION, LAND_USE, _n("area_ha", "ha", "Baseline area", required=True)),
    key=("region", "land_use"),
))
_add(Sheet(
    "carbon_by_region",
    "Optional regional carbon coefficients overriding the land_uses default.",
    (REGION, LAND_USE, _n("carbon_flux_tC_per_ha_yr", "t C/ha/yr", "Emission positive, sink negative", required=True,
                          minimum=-50.0, maximum=100.0)),
    key=("region", "land_use"),
    required=False,
))
_add(Sheet(
    "carbon_stocks",
    "IPCC stock-change accounting: carbon stocks by pool and the net flux of land remaining in its use, per land use "
    "(a row with a region overrides that land use's all-region row for that region). A land use with no row has "
    "zero stocks and zero flux.",
    (
        Column("land_use", "id", "", True, "Land-use id; must be listed on the land_uses sheet", ref="land_uses"),
        Column("region", "id", "", False, "Region id; blank = every region (a row naming a region overrides it)", ref="regions"),
        _n("biomass_tC_per_ha", "t C/ha", "Living biomass, above + below ground (stock); lost at once when the land is "
           "converted away, reached by land converted to this use along its growth rule", maximum=1000.0),
        _n("dom_tC_per_ha", "t C/ha", "Dead organic matter: dead wood + litter (stock); blank = 0", maximum=500.0),
        _n("soc_tC_per_ha", "t C/ha", "Soil organic carbon, 0-30 cm (IPCC default depth; stock); blank = 0", maximum=1500.0),
        _n("maturity_years", "years", "Years for land converted to this use to reach its biomass stock (linear growth); "
           "blank or 0 = reached in the year of conversion", maximum=200.0),
        _n("soil_transition_years", "years", "Years for land converted to this use to reach its soil and dead-organic-"
           "matter stock (linear); blank = settings.soil_transition_years (IPCC default 20). Longer where measured "
           "accumulation is slower than the stock difference over 20 years (Tier 2)", maximum=500.0),
        _n("remaining_flux_tC_per_ha_yr", "t C/ha/yr", "Net CO2 flux (as carbon) of land remaining in this use, as the "
           "literature writes it: emission +, removal -; blank = 0 (IPCC Tier 1 for land whose management does not change)",
           minimum=-20.0, maximum=20.0),
        _n("ch4_kg_per_ha_yr", "kg CH4/ha/yr", "Methane emitted per ha per year by land in this use (e.g. marsh); blank = 0",
           minimum=-100.0, maximum=2000.0),
        Column("note", "text", "", False, "Source and derivation (the sources sheet carries the full record)"),
    ),
    key=("land_use", "region"),
    required=False,
))
_add(Sheet(
    "province_targets",
    "Targets on the sum over all regions (the province), per milestone year. Blank = no constraint.",
    (
        YEAR,
        _n("forest_cover_min_pct", "% of total area", "Forest cover 森林覆盖率: forest land at least this share of the "
           "total area of all regions", maximum=100.0),
        _n("livestock_min_su", "SU", "Livestock of all regions together at least this (宜牧则牧: the model places it "
           "across regions within each one's carrying capacity)", maximum=1e10),
        _n("budget_yuan", "yuan", "Public budget for the period ending this year: conversion costs "
           "(transitions.cost_yuan_per_ha) plus grazing ban/rest costs at most this", maximum=1e14),
        _n("economic_output_min_yuan_per_yr", "yuan/yr", "Land-based economic output 用地经济产出 of all regions in this "
           "year at least this: the sum of area × land_uses.output_yuan_per_ha_yr (a development requirement)",
           maximum=1e15),
        # -- forest growing stock (issue #13)
        _n("forest_stock_min_m3", "m³", "Forest growing stock 森林蓄积量 of all regions together at least this (the "
           "tracked stock: baseline stock + growth of standing forest + growth of new forest)", maximum=1e13),
        # -- energy bases (issue #13)
        _n("pv_capacity_min_mw", "MW", "Province-wide PV capacity target 光伏装机目标: PV capacity of all regions together "
           "at least this (the model places it within each region's suitable land and its bases' minimums)", maximum=1e8),
    ),
    key=("year",),
    required=False,
))
_add(Sheet(
    "transitions",
    "Which conversions between land uses are allowed, and how fast. Pairs not listed are forbidden.",
    (
        Column("from_land_use", "id", "", True, "Land use converted from", ref="land_uses"),
        Column("to_land_use", "id", "", True, "Land use converted to", ref="land_uses"),
        Column("allowed", "bool", "", True, "yes = the conversion may happen; no = forbidden"),
        _n("max_pct_per_period", "% of from-area", "Largest share of the from-land-use area (at the start of a period) converted to the to-land-use in one period; blank = no limit", maximum=100.0),
        _n("cost_yuan_per_ha", "yuan/ha", "One-off public cost of converting one hectare (afforestation, grass planting, "
           "restoration works ...), counted against the budget (province_targets.budget_yuan); blank = 0", maximum=1e7),
        _n("soil_transition_years", "years", "Stock-change accounting: years this conversion takes to reach the new "
           "use's soil and dead-organic-matter stock; blank = the to-use's carbon_stocks value", maximum=500.0),
    ),
    key=("from_land_use", "to_land_use"),
))
_add(Sheet(
    "targets",
    "Planning targets per region and milestone year. Blank = no constraint.",
    (
        REGION, YEAR,
        _n("cropland_min_ha", "ha", "Cropland protection target 耕地保有量: cropland at least this"),
        _n("urban_boundary_ha", "ha", "Urban development boundary 城镇开发边界: urban construction land at most this"),
        _n("urban_population", "persons", "Projected urban population", maximum=1e8),
        _n("urban_land_per_capita_m2", "m²/person", "Urban construction land per urban resident (GB 50137-2011: 65-115, up to 150)",
           maximum=1000.0, low_open=True),
        _n("forest_min_ha", "ha", "Forest floor; blank with no_net_loss = baseline forest"),
        _n("wetland_min_ha", "ha", "Wetland floor; blank with no_net_loss = baseline wetland"),
        _n("grassland_min_ha", "ha", "Basic grassland floor 基本草原; blank with no_net_loss = baseline grassland"),
        _n("afforestation_potential_ha", "ha", "Unused land suitable for afforestation: cumulative unused→forest conversion up to this year at most this"),
        # -- plan protection measures (issue #13 part A)
        _n("basic_farmland_min_ha", "ha", "Permanent basic farmland 永久基本农田: this much of the baseline cropland never "
           "converts to another use (cumulative conversions out of cropland up to this year at most baseline cropland − this)"),
        _n("eco_retirement_quota_ha", "ha", "Ecological retirement quota 生态退耕: cumulative cropland converted to other uses "
           "up to this year that 进出平衡 exempts from replacement by new cropland (used when settings.farmland_balance is on)"),
        _n("supplementary_cropland_potential_ha", "ha", "Reserve land for new cropland 耕地后备资源 (补充耕地): cumulative "
           "conversion of other land into cropland up to this year at most this"),
        _n("construction_max_ha", "ha", "Total construction land 建设用地总规模: urban + rural + other construction land at "
           "most this (PV land not counted)"),
        # -- sandy land and desertification control (issue #13)
        _n("sandy_restoration_min_ha", "ha", "Desertification control 防沙治沙 (沙化土地治理): cumulative conversion of "
           "sandy land (role sandy) into grassland, forest, garden or wetland from the baseline year up to this year at "
           "least this"),
        # -- construction measures (issue #13: per-capita caps, redevelopment)
        _n("urban_land_per_capita_max_m2", "m²/person", "Per-capita urban land cap 人均城镇建设用地上限: urban construction "
           "land at most urban_population × this (GB 50137-2011: at most 150 for remote and minority regions)",
           maximum=1000.0, low_open=True),
        _n("new_urban_land_per_capita_m2", "m²/person", "New urban land per new urban resident 新增城镇建设用地人均标准: "
           "urban land added in the period ending this year at most the growth of urban_population since the previous "
           "milestone × this (no row for the first milestone)", maximum=1000.0),
        _n("redevelopment_potential_ha", "ha", "Inefficient existing construction land 存量低效建设用地 that may be "
           "redeveloped 盘活再开发 by this year (cumulative): redevelopment meets urban land demand without new land"),
        _n("redevelopment_cost_yuan_per_ha", "yuan/ha", "Public cost of redeveloping one hectare of inefficient land in the "
           "period ending this year (收储、拆迁与再开发), counted against the budget; blank = 0", maximum=1e9),
    ),
    key=("region", "year"),
))
_add(Sheet(
    "grazing",
    "Grass-livestock balance 草畜平衡 per region and milestone year.",
    (
        REGION, YEAR,
        _n("forage_yield_kg_per_ha", "kg hay/ha/yr", "Edible forage (standard hay) per hectare of grazed grassland per year", required=True,
           maximum=20000.0),
        _n("utilisation_rate", "fraction", "Share of the forage that may be grazed sustainably (0-1)", required=True, maximum=1.0),
        _n("intake_kg_per_su_yr", "kg hay/SU/yr", "Annual intake of one sheep unit (NY/T 635-2015: 1.8 kg/day = 657 kg/yr)", required=True,
           maximum=5000.0, low_open=True),
        _n("rest_min_ha", "ha", "Grassland under grazing ban or rest 禁牧/休牧: at least this"),
        _n("livestock_min_su", "SU", "Livestock floor for herders' livelihoods, sheep units", maximum=1e9),
        _n("ch4_kg_per_su_yr", "kg CH4/SU/yr", "Enteric methane per sheep unit per year", required=True, maximum=100.0),
        _n("degraded_yield_kg_per_ha", "kg hay/ha/yr", "Edible forage per hectare of degraded grassland (role "
           "degraded_grassland) grazed; blank = forage_yield_kg_per_ha", maximum=20000.0),
        _n("restoration_pct_per_yr", "% of rested degraded area per year", "Share of the degraded grassland under "
           "grazing ban/rest that recovers to grassland per year (degraded→grassland conversions at most this); "
           "blank = 0: no recovery", maximum=100.0),
        _n("rest_cost_yuan_per_ha_yr", "yuan/ha/yr", "Public cost of one hectare under grazing ban/rest for a year "
           "(禁牧补助), counted against the budget; blank = 0", maximum=1e6),
        _n("reference_livestock_su", "SU", "Herd in the reference pathway (e.g. the baseline-year herd); blank = the "
           "plan's own herd", maximum=1e9),
    ),
    key=("region", "year"),
))
_add(Sheet(
    "energy",
    "Clean-energy siting per region and milestone year.",
    (
        REGION, YEAR,
        _n("pv_suitable_ha", "ha", "Land suitable for utility-scale PV: PV land at most this"),
        _n("pv_mw_per_ha", "MW/ha", "PV capacity per hectare of PV land (NREL: 1/3.6 ≈ 0.28)", required=True, maximum=2.0,
           low_open=True),
        _n("clean_capacity_min_mw", "MW", "Clean-energy capacity target (PV + other clean capacity) at least this", maximum=1e7),
        _n("other_clean_capacity_mw", "MW", "Hydro, wind and other clean capacity counted towards the target", maximum=1e7),
        _n("pv_mwh_per_mw_yr", "MWh/MW/yr", "Annual PV output per MW (for avoided emissions)", maximum=8760.0),
        _n("grid_factor_tco2_per_mwh", "t CO2/MWh", "Emissions avoided per MWh of clean power exported/used", maximum=2.0),
    ),
    key=("region", "year"),
))
_add(Sheet(
    "area_bounds",
    "Optional lower/upper bounds on any land use in a region and year (e.g. transport land demand).",
    (REGION, LAND_USE, YEAR, _n("min_ha", "ha", "At least this area"), _n("max_ha", "ha", "At most this area")),
    key=("region", "land_use", "year"),
    required=False,
))
_add(Sheet(
    "protected_land",
    "Land under protection by region and land use: inside the ecological protection red line 生态保护红线 (no "
    "construction or PV) and basic grassland 基本草原 (no conversion at all). Blank = none of that land use protected.",
    (
        REGION, LAND_USE,
        _n("redline_ha", "ha", "Baseline area of this land use inside the ecological protection red line 生态保护红线: "
           "cumulative conversion of this land use into construction (urban, rural, other construction) or PV at most "
           "baseline area − this", maximum=MAX_AREA_HA),
        _n("basic_grassland_ha", "ha", "Basic grassland 基本草原 (grassland-role land uses only): cumulative conversion of "
           "this land use into any other use at most baseline area − this", maximum=MAX_AREA_HA),
        Column("note", "text", "", False, "Source or derivation (the sources sheet carries the full record)"),
    ),
    key=("region", "land_use"),
    required=False,
))
# -- energy bases and hydro projects (issue #13)
_add(Sheet(
    "energy_bases",
    "Named clean-energy bases 清洁能源基地: the PV capacity each base must have by a milestone year. The PV capacity of "
    "a region at a milestone is at least the sum of its bases' minimums for that year.",
    (
        Column("base", "id", "", True, "Base id (e.g. Shigatse_PV)"),
        Column("name_zh", "text", "", False, "Chinese name (e.g. 日喀则光伏基地)"),
        REGION, YEAR,
        _n("min_mw", "MW", "PV capacity of the base at this milestone at least this", required=True, maximum=1e7),
        Column("source", "text", "", False, "Source of the figure (the sources sheet carries the full record)"),
    ),
    key=("base", "year"),
    required=False,
))
_add(Sheet(
    "hydro_projects",
    "Hydropower projects 水电工程 and their land footprint: scheduled conversions of land into water (reservoir "
    "inundation 淹没区) and into other construction land (dam, plant and access roads 枢纽及施工区) in the period when "
    "the project enters service; the model chooses from which land uses, within the conversion rules and protection.",
    (
        Column("project", "id", "", True, "Project id (e.g. Yarlung_middle)"),
        Column("name_zh", "text", "", False, "Chinese name (e.g. 雅鲁藏布江中游梯级水电)"),
        REGION,
        Column("year_in_service", "int", "year", True, "Year the project enters service; its land is converted in the "
               "period ending at the first milestone at or after this year (after the target year: no row)"),
        _n("inundated_ha", "ha", "Land inundated by the reservoir (converted to a water-role land use); blank = 0",
           maximum=MAX_AREA_HA),
        _n("construction_ha", "ha", "Land taken by the dam, plant, roads and camps (converted to an "
           "other_construction-role land use); blank = 0", maximum=MAX_AREA_HA),
        Column("source", "text", "", False, "Source of the figures (the sources sheet carries the full record)"),
    ),
    key=("project",),
    required=False,
))
_add(Sheet(
    "sources",
    "Where every figure comes from. status: verified = seen in the named source; estimate = derived or not confirmed.",
    (
        Column("sheet", "text", "", True, "Sheet the figure is used on"),
        Column("item", "text", "", True, "What the figure is"),
        Column("value", "text", "", False, "Value as used"),
        Column("unit", "text", "", False, "Unit"),
        Column("source", "text", "", True, "Publication, agency or derivation"),
        Column("year", "text", "", False, "Year of the source or the figure"),
        Column("status", "choice", "", True, "verified or estimate", choices=("verified", "estimate")),
        Column("note", "text", "", False, "How the figure was derived or reconciled"),
    ),
    required=False,
))

_add(Sheet(
    "uncertainty",
    "Optional: uncertain parameters sampled by `landopt sweep` (one row per parameter; see docs/sweep.md).",
    (
        Column("parameter", "text", "", False, "Name of the parameter (a column of the sweep results)"),
        Column("sheet", "text", "", True, "Sheet whose cells are sampled (e.g. land_uses)"),
        Column("column", "text", "", True, "Numeric column sampled (e.g. carbon_flux_tC_per_ha_yr)"),
        Column("where", "text", "", False, "Which rows: key=value pairs joined by ; (blank = every row)"),
        _n("low", "as the column (or factor)", "Lower end of the range", required=True, minimum=None),
        _n("high", "as the column (or factor)", "Upper end of the range", required=True, minimum=None),
        Column("distribution", "choice", "", False, "uniform (default) or triangular", choices=("uniform", "triangular")),
        _n("mode", "as low/high", "Most likely value (triangular only)", minimum=None),
        Column("operation", "choice", "", False, "set (default), scale or add", choices=("set", "scale", "add")),
        Column("note", "text", "", False, "Where the range comes from"),
    ),
    required=False,
))

#: Scenario operations: change a value (set/scale/add) or switch a constraint family (off/on).
OPERATIONS: tuple[str, ...] = ("set", "scale", "add", "off", "on")

#: The scenarios sheet (read by :mod:`landopt.scenarios`; not part of the data schema).
SCENARIOS_SHEET = Sheet(
    "scenarios",
    "Named scenarios: overrides applied to the workbook before validation, one override per row.",
    (
        Column("scenario", "text", "", True, "Name of the scenario (run with: landopt solve <workbook> --scenario NAME)"),
        Column("parent", "text", "", False, "Scenario this one builds on (its overrides are applied first); blank = the base workbook"),
        Column("description", "text", "", False, "One sentence saying what the scenario represents"),
        Column("sheet", "text", "", True, "Sheet the override changes (settings, targets, ... or 'families' to switch a constraint family)"),
        Column("column", "text", "", True, "Column it changes (for 'families': the constraint family name)"),
        Column("where", "text", "", False, "Which rows: key=value filters on the sheet's key columns joined by ';' (e.g. region=Lhasa;year=2035); blank = all rows"),
        Column("operation", "choice", "", True, "set (replace), scale (multiply), add; for 'families': off / on", choices=OPERATIONS),
        Column("value", "text", "", False, "The new value, factor or amount"),
        Column("note", "text", "", False, "Why (source or reasoning)"),
    ),
)

#: Sheets carrying model data, in the order they are read and written.
DATA_SHEETS = ("settings", "regions", "land_uses", "baseline", "carbon_by_region", "carbon_stocks", "transitions",
               "targets", "province_targets", "grazing", "energy", "area_bounds",
               "protected_land", "energy_bases", "hydro_projects")
