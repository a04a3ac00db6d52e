"""The data sheets of the input workbook: settings, regions, land uses, baseline, carbon, transitions, targets,
province targets, grazing, energy, area bounds and protected land (registered in this order)."""

from __future__ import annotations

from landopt.schema.base import Column, LAND_USE, MAX_AREA_HA, REGION, ROLES, SETTINGS_KEYS, Sheet, YEAR, number_column, register

register(Sheet(
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
register(Sheet(
    "regions",
    "Planning regions (prefectures, counties or grid cells) and their total land area.",
    (
        Column("region", "id", "", True, "Region id, short and unique (e.g. Lhasa)"),
        Column("name_zh", "text", "", False, "Chinese name (e.g. 拉萨市)"),
        number_column("total_area_ha", "ha", "Total land area of the region", required=True, maximum=MAX_AREA_HA, low_open=True),
        # -- forest growing stock (issue #13)
        number_column("forest_stock_m3", "m³", "Forest growing stock 森林蓄积量 of the region's baseline forest (roles forest) in the "
           "baseline year; blank = 0", maximum=1e12),
        number_column("forest_growth_m3_per_ha_yr", "m³/ha/yr", "Net growth of growing stock per ha of standing (baseline) forest per "
           "year; blank = 0", maximum=100.0),
        number_column("young_forest_growth_m3_per_ha_yr", "m³/ha/yr", "Growth of growing stock per ha of new (afforested) forest per "
           "year, from its conversion at mid-period; blank = 0", maximum=100.0),
    ),
    key=("region",),
))
register(Sheet(
    "land_uses",
    "Land-use types, their role in the constraints and their default carbon coefficient.",
    (
        Column("land_use", "id", "", True, "Land-use id (e.g. forest)"),
        Column("name_zh", "text", "", False, "Chinese name (e.g. 林地)"),
        Column("role", "choice", "", True, "What the constraint families treat this land use as", choices=tuple(ROLES)),
        number_column("carbon_flux_tC_per_ha_yr", "t C/ha/yr", "Flux accounting only (settings.carbon_accounting = flux): carbon flux "
           "per ha of standing area as the literature writes it, emission positive, sink negative; required in flux mode",
           minimum=-50.0, maximum=100.0),
        number_column("output_yuan_per_ha_yr", "yuan/ha/yr", "Economic output per hectare (for trade-off curves against economic output)", maximum=1e9),
        number_column("food_t_per_ha_yr", "t/ha/yr", "Grain (food) production per hectare (for trade-off curves against food)", maximum=50.0),
        Column("description", "text", "", False, "Notes"),
    ),
    key=("land_use",),
))
register(Sheet(
    "baseline",
    "Baseline area of every land use in every region (long format: one row per region and land use).",
    (REGION, LAND_USE, number_column("area_ha", "ha", "Baseline area", required=True)),
    key=("region", "land_use"),
))
register(Sheet(
    "carbon_by_region",
    "Optional regional carbon coefficients overriding the land_uses default.",
    (REGION, LAND_USE, number_column("carbon_flux_tC_per_ha_yr", "t C/ha/yr", "Emission positive, sink negative", required=True,
                          minimum=-50.0, maximum=100.0)),
    key=("region", "land_use"),
    required=False,
))
register(Sheet(
    "carbon_stocks",
    "IPCC stock-change accounting: carbon stocks by pool and the net flux of land remaining in its use, per land use "
    "(a row with a region overrides that land use's all-region row for that region). A land use with no row has "
    "zero stocks and zero flux.",
    (
        Column("land_use", "id", "", True, "Land-use id; must be listed on the land_uses sheet", ref="land_uses"),
        Column("region", "id", "", False, "Region id; blank = every region (a row naming a region overrides it)", ref="regions"),
        number_column("biomass_tC_per_ha", "t C/ha", "Living biomass, above + below ground (stock); lost at once when the land is "
           "converted away, reached by land converted to this use along its growth rule", maximum=1000.0),
        number_column("dom_tC_per_ha", "t C/ha", "Dead organic matter: dead wood + litter (stock); blank = 0", maximum=500.0),
        number_column("soc_tC_per_ha", "t C/ha", "Soil organic carbon, 0-30 cm (IPCC default depth; stock); blank = 0", maximum=1500.0),
        number_column("maturity_years", "years", "Years for land converted to this use to reach its biomass stock (linear growth); "
           "blank or 0 = reached in the year of conversion", maximum=200.0),
        number_column("soil_transition_years", "years", "Years for land converted to this use to reach its soil and dead-organic-"
           "matter stock (linear); blank = settings.soil_transition_years (IPCC default 20). Longer where measured "
           "accumulation is slower than the stock difference over 20 years (Tier 2). Where remaining_flux_includes_soil "
           "= yes, the new use's remaining-land flux starts only once this transition (the conversion's own, "
           "transitions.soil_transition_years, when given) is over", maximum=500.0),
        number_column("remaining_flux_tC_per_ha_yr", "t C/ha/yr", "Net CO2 flux (as carbon) of land remaining in this use, as the "
           "literature writes it: emission +, removal -; blank = 0 (IPCC Tier 1 for land whose management does not change). "
           "Land converted to this use earns it once its maturity_years are over (see remaining_flux_includes_soil)",
           minimum=-20.0, maximum=20.0),
        Column("remaining_flux_includes_soil", "bool", "", False, "yes = the remaining-land flux includes the soil's own "
               "carbon accumulation (a marsh's measured uptake): land converted to this use earns it only once its soil "
               "transition is over too, so that the soil gain is not counted twice; blank or no = the flux is of other "
               "pools (a forest inventory's biomass gain) and starts when maturity_years are over"),
        number_column("ch4_kg_per_ha_yr", "kg CH4/ha/yr", "Methane emitted per ha per year by land in this use (e.g. marsh); blank = 0",
           minimum=-100.0, maximum=2000.0),
        number_column("new_land_ch4_kg_per_ha_yr", "kg CH4/ha/yr", "Stock-change accounting: methane emitted per ha per year "
           "by land converted to this use during the plan, in place of ch4_kg_per_ha_yr for those hectares (a new "
           "reservoir's flooded land, IPCC 2019 Refinement Vol. 4 Ch. 7, where the lakes and rivers already in the same "
           "use are unmanaged and not counted); blank = ch4_kg_per_ha_yr", minimum=-100.0, maximum=2000.0),
        Column("note", "text", "", False, "Source and derivation (the sources sheet carries the full record)"),
    ),
    key=("land_use", "region"),
    required=False,
))
register(Sheet(
    "province_targets",
    "Targets on the sum over all regions (the province), per milestone year. Blank = no constraint.",
    (
        YEAR,
        number_column("forest_cover_min_pct", "% of total area", "Forest cover 森林覆盖率: forest land at least this share of the "
           "total area of all regions", maximum=100.0),
        number_column("livestock_min_su", "SU", "Livestock of all regions together at least this (宜牧则牧: the model places it "
           "across regions within each one's carrying capacity)", maximum=1e10),
        number_column("budget_yuan", "yuan", "Public budget for the period ending this year: conversion costs "
           "(transitions.cost_yuan_per_ha) plus grazing ban/rest costs (grazing.rest_cost_yuan_per_ha_yr) plus "
           "redevelopment costs (targets.redevelopment_cost_yuan_per_ha) at most this", maximum=1e14),
        number_column("economic_output_min_yuan_per_yr", "yuan/yr", "Land-based economic output 用地经济产出 of all regions in this "
           "year at least this: the sum of area × land_uses.output_yuan_per_ha_yr (a development requirement)",
           maximum=1e15),
        # -- forest growing stock (issue #13)
        number_column("forest_stock_min_m3", "m³", "Forest growing stock 森林蓄积量 of all regions together at least this (the "
           "tracked stock: baseline stock + growth of standing forest + growth of new forest)", maximum=1e13),
        # -- energy bases (issue #13)
        number_column("pv_capacity_min_mw", "MW", "Province-wide PV capacity target 光伏装机目标: PV capacity of all regions together "
           "at least this (the model places it within each region's suitable land and its bases' minimums)", maximum=1e8),
    ),
    key=("year",),
    required=False,
))
register(Sheet(
    "transitions",
    "Which conversions between land uses are allowed, and how fast. Pairs not listed are forbidden.",
    (
        Column("from_land_use", "id", "", True, "Land use converted from", ref="land_uses"),
        Column("to_land_use", "id", "", True, "Land use converted to", ref="land_uses"),
        Column("allowed", "bool", "", True, "yes = the conversion may happen; no = forbidden"),
        number_column("max_pct_per_period", "% of from-area", "Largest share of the from-land-use area (at the start of a period) converted to the to-land-use in one period; blank = no limit", maximum=100.0),
        number_column("cost_yuan_per_ha", "yuan/ha", "One-off public cost of converting one hectare (afforestation, grass planting, "
           "restoration works ...), counted against the budget (province_targets.budget_yuan); blank = 0", maximum=1e7),
        number_column("soil_transition_years", "years", "Stock-change accounting: years this conversion takes to reach the new "
           "use's soil and dead-organic-matter stock; blank = the to-use's carbon_stocks value", maximum=500.0),
        number_column("soil_change_pct", "% of the stock difference", "Stock-change accounting: share of the soil and "
           "dead-organic-matter stock difference (to-use minus from-use, carbon_stocks) that this conversion realises; "
           "0 = the land keeps its previous soil (PV panels on grassland, where field plots show no soil loss); "
           "blank = 100", maximum=100.0),
        number_column("biomass_loss_pct", "% of the from-use's biomass", "Stock-change accounting: share of the "
           "from-use's biomass lost at once when the land is converted (cleared); the rest stays and grows into the "
           "new use's stock over its maturity_years. 0 = nothing is cleared: the stock moves gradually from the old "
           "use's to the new use's (restoring degraded grassland by grazing ban/rest, a change of condition within "
           "grassland); blank = 100", maximum=100.0),
    ),
    key=("from_land_use", "to_land_use"),
))
register(Sheet(
    "targets",
    "Planning targets per region and milestone year. Blank = no constraint.",
    (
        REGION, YEAR,
        number_column("cropland_min_ha", "ha", "Cropland protection target 耕地保有量: cropland at least this"),
        number_column("urban_boundary_ha", "ha", "Urban development boundary 城镇开发边界: urban construction land at most this"),
        number_column("urban_population", "persons", "Projected urban population", maximum=1e8),
        number_column("urban_land_per_capita_m2", "m²/person", "Urban construction land per urban resident (GB 50137-2011: 65-115, up to 150)",
           maximum=1000.0, low_open=True),
        number_column("forest_min_ha", "ha", "Forest floor; blank with no_net_loss = baseline forest"),
        number_column("wetland_min_ha", "ha", "Wetland floor; blank with no_net_loss = baseline wetland"),
        number_column("grassland_min_ha", "ha", "Grassland floor 草地面积底线: grassland and degraded grassland together at least this (a no-net-loss floor on all grassland; basic grassland 基本草原 is protected_land.basic_grassland_ha); blank with no_net_loss = baseline grassland + degraded grassland"),
        number_column("afforestation_potential_ha", "ha", "Unused land suitable for afforestation: cumulative unused→forest conversion up to this year at most this"),
        # -- plan protection measures (issue #13 part A)
        number_column("basic_farmland_min_ha", "ha", "Permanent basic farmland 永久基本农田: this much of the baseline cropland never "
           "converts to another use (cumulative conversions out of cropland up to this year at most baseline cropland − this)"),
        number_column("eco_retirement_quota_ha", "ha", "Ecological retirement quota 生态退耕: cumulative cropland converted to other uses "
           "up to this year that 进出平衡 exempts from replacement by new cropland (used when settings.farmland_balance is on)"),
        number_column("supplementary_cropland_potential_ha", "ha", "Reserve land for new cropland 耕地后备资源 (补充耕地): cumulative "
           "conversion of other land into cropland up to this year at most this"),
        number_column("construction_max_ha", "ha", "Total construction land 建设用地总规模: urban + rural + other construction land at "
           "most this (PV land not counted)"),
        # -- sandy land and desertification control (issue #13)
        number_column("sandy_restoration_min_ha", "ha", "Desertification control 防沙治沙 (沙化土地治理): cumulative conversion of "
           "sandy land (role sandy) into grassland, forest, garden or wetland from the baseline year up to this year at "
           "least this"),
        # -- construction measures (issue #13: per-capita caps, redevelopment)
        number_column("urban_land_per_capita_max_m2", "m²/person", "Per-capita urban land cap 人均城镇建设用地上限: urban construction "
           "land at most urban_population × this (GB 50137-2011: at most 150 for remote and minority regions)",
           maximum=1000.0, low_open=True),
        number_column("new_urban_land_per_capita_m2", "m²/person", "New urban land per new urban resident 新增城镇建设用地人均标准: "
           "urban land added in the period ending this year at most the growth of urban_population since the previous "
           "milestone × this (no row for the first milestone)", maximum=1000.0),
        number_column("redevelopment_potential_ha", "ha", "Inefficient existing construction land 存量低效建设用地 that may be "
           "redeveloped 盘活再开发 by this year (cumulative): redevelopment meets urban land demand without new land"),
        number_column("redevelopment_cost_yuan_per_ha", "yuan/ha", "Public cost of redeveloping one hectare of inefficient land in the "
           "period ending this year (收储、拆迁与再开发), counted against the budget; blank = 0", maximum=1e9),
    ),
    key=("region", "year"),
))
register(Sheet(
    "grazing",
    "Grass-livestock balance 草畜平衡 per region and milestone year.",
    (
        REGION, YEAR,
        number_column("forage_yield_kg_per_ha", "kg hay/ha/yr", "Edible forage (standard hay) per hectare of grazed grassland per year", required=True,
           maximum=20000.0),
        number_column("utilisation_rate", "fraction", "Share of the forage that may be grazed sustainably (0-1)", required=True, maximum=1.0),
        number_column("intake_kg_per_su_yr", "kg hay/SU/yr", "Annual intake of one sheep unit (NY/T 635-2015: 1.8 kg/day = 657 kg/yr)", required=True,
           maximum=5000.0, low_open=True),
        number_column("rest_min_ha", "ha", "Grassland under grazing ban or rest 禁牧/休牧: at least this"),
        number_column("livestock_min_su", "SU", "Livestock floor for herders' livelihoods, sheep units", maximum=1e9),
        number_column("ch4_kg_per_su_yr", "kg CH4/SU/yr", "Enteric methane per sheep unit per year", required=True, maximum=100.0),
        number_column("degraded_yield_kg_per_ha", "kg hay/ha/yr", "Edible forage per hectare of degraded grassland (role "
           "degraded_grassland) grazed; blank = forage_yield_kg_per_ha", maximum=20000.0),
        number_column("restoration_pct_per_yr", "% of rested degraded area per year", "Share of the degraded grassland under "
           "grazing ban/rest that recovers to grassland per year (degraded→grassland conversions at most this); "
           "blank = 0: no recovery", maximum=100.0),
        number_column("rest_cost_yuan_per_ha_yr", "yuan/ha/yr", "Public cost of one hectare under grazing ban/rest for a year "
           "(禁牧补助), counted against the budget; blank = 0", maximum=1e6),
        number_column("reference_livestock_su", "SU", "Herd in the reference pathway (e.g. the baseline-year herd); blank = the "
           "plan's own herd", maximum=1e9),
    ),
    key=("region", "year"),
))
register(Sheet(
    "energy",
    "Clean-energy siting per region and milestone year.",
    (
        REGION, YEAR,
        number_column("pv_suitable_ha", "ha", "Land suitable for utility-scale PV: PV land at most this; among equally good plans PV is spread by it (docs/model.md §8.1)"),
        number_column("pv_mw_per_ha", "MW/ha", "PV capacity per hectare of PV land (NREL: 1/3.6 ≈ 0.28)", required=True, maximum=2.0,
           low_open=True),
        number_column("clean_capacity_min_mw", "MW", "Clean-energy capacity target (PV + other clean capacity) at least this", maximum=1e7),
        number_column("other_clean_capacity_mw", "MW", "Hydro, wind and other clean capacity counted towards the target", maximum=1e7),
        number_column("pv_mwh_per_mw_yr", "MWh/MW/yr", "Annual PV output per MW (for avoided emissions)", maximum=8760.0),
        number_column("grid_factor_tco2_per_mwh", "t CO2/MWh", "Emissions avoided per MWh of clean power exported/used", maximum=2.0),
    ),
    key=("region", "year"),
))
register(Sheet(
    "area_bounds",
    "Optional lower/upper bounds on any land use in a region and year (e.g. transport land demand).",
    (REGION, LAND_USE, YEAR, number_column("min_ha", "ha", "At least this area"), number_column("max_ha", "ha", "At most this area")),
    key=("region", "land_use", "year"),
    required=False,
))
register(Sheet(
    "protected_land",
    "Land inside the planning control lines 控制线 by region and land use: inside the ecological protection red line "
    "生态保护红线 (no construction or PV), basic grassland 基本草原 (no conversion at all) and the land inside the urban "
    "development boundary 城镇开发边界 that towns may build on. A blank protection cell = none of that land use "
    "protected; a blank in_urban_boundary_ha = no limit on what that land use gives to towns.",
    (
        REGION, LAND_USE,
        number_column("redline_ha", "ha", "Baseline area of this land use inside the ecological protection red line 生态保护红线: "
           "cumulative conversion of this land use into construction (urban, rural, other construction) or PV at most "
           "baseline area − this", maximum=MAX_AREA_HA),
        number_column("basic_grassland_ha", "ha", "Basic grassland 基本草原 (grassland-role land uses only): cumulative conversion of "
           "this land use into any other use at most baseline area − this", maximum=MAX_AREA_HA),
        number_column("in_urban_boundary_ha", "ha", "Baseline area of this land use inside the urban development boundary "
           "城镇开发边界 (not yet urban): cumulative conversion of this land use into urban land at most this; blank: no "
           "limit for this land use", maximum=MAX_AREA_HA),
        Column("note", "text", "", False, "Source or derivation (the sources sheet carries the full record)"),
    ),
    key=("region", "land_use"),
    required=False,
))
