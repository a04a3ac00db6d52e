"""The schema's building blocks: land-use roles, settings keys, :class:`Column`, :class:`Sheet`, and the registry
:data:`SHEETS` that :mod:`landopt.schema.sheets` and :mod:`landopt.schema.measures` fill."""

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
#: role -> (Chinese name, English name): how reports and messages name a land use by its role (the land classes of
#: the territorial spatial plan; reports use it when the input gives no name_zh for a land use)
ROLE_LABELS: dict[str, tuple[str, str]] = {
    "cropland": ("耕地", "cropland"),
    "garden": ("园地", "garden land"),
    "forest": ("林地", "forest"),
    "grassland": ("草地", "grassland"),
    "degraded_grassland": ("退化草地", "degraded grassland"),
    "wetland": ("湿地", "wetland"),
    "water": ("陆地水域", "water"),
    "urban": ("城镇建设用地", "urban construction land"),
    "rural": ("村庄建设用地", "rural settlements"),
    "other_construction": ("交通采矿及其他建设用地", "other construction land"),
    "pv": ("光伏用地", "PV land"),
    "unused": ("其他土地/未利用地", "unused land"),
    "sandy": ("沙化土地", "sandy land"),
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
        "Flux accounting only (ignored under stock-change accounting): maximise the net sink in the target year only "
        "('target') or summed over all milestones ('all')",
    ),
    "include_avoided_emissions": (
        "bool",
        "no",
        "Flux accounting only (ignored under stock-change accounting): credit emissions avoided by photovoltaic power "
        "to the net sink (yes/no)",
    ),
    "ch4_gwp": ("number", "27", "Global warming potential of methane, t CO2e per t CH4 (IPCC AR6: 27)"),
    "carbon_accounting": (
        "choice:auto|stock_change|flux",
        "auto",
        "stock_change = IPCC stock-change accounting from sheet carbon_stocks (cumulative net removals, t CO2e, "
        "maximised); flux = a per-hectare flux on standing area (t CO2e/yr, the simplified literature method); "
        "auto = stock_change when the workbook has a carbon_stocks sheet with at least one row, else flux",
    ),
    "soil_transition_years": (
        "number",
        "20",
        "Years over which soil organic carbon and dead organic matter move from the old to the new land use's "
        "stock after a conversion (IPCC default 20)",
    ),
    "accounting_end_year": (
        "int",
        "",
        "Stock-change accounting only: count the cumulative net removals to the end of this year (at least the target "
        "year; e.g. 2060, the carbon-neutrality year), the land use held at its target-year state and the livestock at "
        "its target-year number after the target year; blank = the target year",
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
    "tie_break": (
        "choice:least_change|none",
        "least_change",
        "Which of several equally good plans is shown: least_change = the one that converts land as late as the "
        "optimum allows and no more, moves each region's herd least between milestones and rests degraded "
        "grassland first (a second solve with the net sink held at its maximum, docs/model.md §8); none = the "
        "solver's first optimal plan",
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

#: Settings a workbook must give (no default): a blank one is an error; every other blank setting takes its default
#: (blank default: not set)
REQUIRED_SETTINGS: frozenset[str] = frozenset({"baseline_year", "milestone_years"})

#: Units of the settings with one (unit codes as :data:`landopt.report.i18n.UNITS` knows them); keys not listed have
#: none.  The template's ``unit`` column and the plan workbook's run sheet both read this.
SETTINGS_UNITS: dict[str, str] = {"baseline_year": "year", "milestone_years": "year", "ch4_gwp": "t CO2e/t CH4",
                                  "soil_transition_years": "years", "accounting_end_year": "year",
                                  "memo_fossil_emissions_t_co2_per_yr": "t CO2/yr", "area_tolerance_pct": "%",
                                  "time_limit_s": "s"}


def settings_value_hint(key: str) -> str:
    """What the settings sheet's ``unit`` cell shows for ``key``: its unit, else the values it takes
    (``target | all``, ``yes/no``, ``family names``), else nothing."""
    if key in SETTINGS_UNITS:
        return SETTINGS_UNITS[key]
    kind = SETTINGS_KEYS[key][0] if key in SETTINGS_KEYS else ""
    if kind.startswith("choice:"):
        return " | ".join(kind.split(":", 1)[1].split("|"))
    if kind == "bool":
        return "yes/no"
    return "family names" if key == "families_off" else ""


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


def number_column(name: str, unit: str, desc: str, required: bool = False, minimum: float | None = 0.0,
       maximum: float | None = None, low_open: bool = False) -> Column:
    """A number column (optional and at least 0 unless said otherwise)."""
    return Column(name, "number", unit, required, desc, minimum=minimum, maximum=maximum, low_open=low_open)


REGION = Column("region", "id", "", True, "Region id (e.g. Lhasa); must be listed on the regions sheet", ref="regions")
LAND_USE = Column("land_use", "id", "", True, "Land-use id; must be listed on the land_uses sheet", ref="land_uses")
YEAR = Column("year", "int", "year", True, "Milestone year (one of settings.milestone_years)")

SHEETS: dict[str, Sheet] = {}


def register(sheet: Sheet) -> None:
    """Add ``sheet`` to :data:`SHEETS` (the order of registration is the workbook's sheet order)."""
    SHEETS[sheet.name] = sheet
