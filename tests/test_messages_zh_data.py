"""Input problems of the cross-sheet, protection, measures, carbon and land-cover checks (and the model's
impossible rows) in Chinese: one exact-line test per kind of message, Chinese first (``problem.zh()``).

The English lines are pinned by the tests of each check (test_validation, test_protection_families, …); here each
set-up provokes the same problems and the test asserts the Chinese line the command line shows above the English.
The tiny instance (tests/conftest.py): region A of 100 ha; crop 40, forest 20, urban 10, unused 30 ha on baseline
rows 2-5; baseline year 2020, one milestone 2030; targets A 2030 cropland_min_ha 30 (row 2).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd
import pytest
from conftest import tiny_tables
from test_landcover_families import sandy_tables
from test_protection_families import grass_tables

from landopt.errors import ModelError, Problem
from landopt.reader import ROW, from_tables
from landopt.validate import check_all

STOCKS = ["land_use", "region", "biomass_tC_per_ha", "dom_tC_per_ha", "soc_tC_per_ha", "maturity_years",
          "soil_transition_years", "remaining_flux_tC_per_ha_yr", "ch4_kg_per_ha_yr"]


def tr(*pairs: tuple[str, str]) -> dict:
    return {"from_land_use": [a for a, _ in pairs], "to_land_use": [b for _, b in pairs],
            "allowed": ["yes"] * len(pairs), "max_pct_per_period": [None] * len(pairs)}


def found(tables: dict) -> tuple[list[Problem], list[Problem]]:
    """The errors and the warnings of ``tables``."""
    _spec, errors, warnings = check_all(from_tables(tables))
    return errors, warnings


def zh(tables: dict) -> list[str]:
    """The Chinese lines of the errors of ``tables``."""
    return [p.zh() for p in found(tables)[0]]


def zh_warnings(tables: dict) -> list[str]:
    """The Chinese lines of the warnings of ``tables``."""
    return [p.zh() for p in found(tables)[1]]


# --------------------------------------------------------------------------- set-ups

def _without_urban(**extra) -> dict:
    lu = tiny_tables()["land_uses"]
    lu = lu[lu["role"] != "urban"]
    b = pd.DataFrame({"region": ["A"] * 3, "land_use": ["crop", "forest", "unused"], "area_ha": [40.0, 20.0, 40.0]})
    return tiny_tables(land_uses=lu, baseline=b, **extra)


def _with_baseline(areas: list[float], **extra) -> dict:
    return tiny_tables(baseline={"region": ["A"] * 4, "land_use": ["crop", "forest", "urban", "unused"],
                                 "area_ha": areas}, **extra)


def hydro_tables(**extra) -> dict:
    """Grassland 80, forest 20, unused 20 ha; a project in service in 2028 floods 30 ha and builds on 5 ha."""
    lus = ["grass", "forest", "unused", "water", "dam"]
    kw: dict = dict(
        settings={"carbon_accounting": "stock_change", "no_net_loss": "no"},
        regions={"region": ["A"], "total_area_ha": [120.0]},
        land_uses={"land_use": lus, "role": ["grassland", "forest", "unused", "water", "other_construction"]},
        baseline={"region": ["A"] * 5, "land_use": lus, "area_ha": [80.0, 20.0, 20.0, 0.0, 0.0]},
        carbon_stocks=pd.DataFrame([["grass", None, 4.0, 0.0, 0.0, 0, None, 0.0, 0.0],
                                    ["forest", None, 10.0, 0.0, 0.0, 0, None, 0.0, 0.0]], columns=STOCKS),
        transitions=tr(("grass", "water"), ("unused", "water"), ("grass", "dam"), ("unused", "dam")),
        targets=[],
        hydro_projects=[{"project": "P1", "name_zh": "一级水电站", "region": "A", "year_in_service": 2028,
                         "inundated_ha": 30.0, "construction_ha": 5.0}])
    kw.update(extra)
    return tiny_tables(**kw)


def _hydro_year(year: int, **extra) -> dict:
    t = hydro_tables(**extra)
    t["hydro_projects"].loc[0, "year_in_service"] = year
    return t


def _flux_blank() -> dict:
    t = tiny_tables()
    t["land_uses"]["carbon_flux_tC_per_ha_yr"] = [0.4, None, 10.0, 0.0]
    return t


def _soil_transition(years: str) -> dict:
    return tiny_tables(settings={"soil_transition_years": years})


def _stocks(*rows: tuple[str, str | None]) -> pd.DataFrame:
    return pd.DataFrame([[lu, reg, 1.0, 0.0, 10.0, 0, None, 0.0, 0.0] for lu, reg in rows], columns=STOCKS)


#: every set-up of this file: name -> the input tables (each provokes at least one problem or warning)
SETUPS: dict[str, Callable[[], dict]] = {
    # cross.py
    "no_regions": lambda: tiny_tables(regions=pd.DataFrame(columns=["region", "total_area_ha"])),
    "no_land_uses": lambda: tiny_tables(land_uses=pd.DataFrame(columns=["land_use", "role", "carbon_flux_tC_per_ha_yr"])),
    "year_not_milestone": lambda: tiny_tables(targets=[dict(region="A", year=2035, cropland_min_ha=30)]),
    "transition_to_itself": lambda: tiny_tables(transitions=tr(("crop", "forest"), ("unused", "unused"))),
    "bounds_min_above_max": lambda: tiny_tables(
        area_bounds=[dict(region="A", land_use="urban", year=2030, min_ha=12, max_ha=8)]),
    "baseline_gap": lambda: _with_baseline([40.0, 25.0, 10.0, 30.0]),
    "baseline_in_km2": lambda: _with_baseline([0.4, 0.2, 0.1, 0.3], targets=[]),
    "floor_above_total": lambda: tiny_tables(targets=[dict(region="A", year=2030, cropland_min_ha=150)]),
    "floors_together": lambda: tiny_tables(targets=[dict(region="A", year=2030, cropland_min_ha=60, forest_min_ha=50)]),
    "population_alone": lambda: tiny_tables(targets=[dict(region="A", year=2030, cropland_min_ha=30,
                                                          urban_population=1000)]),
    "urban_demand_too_big": lambda: tiny_tables(targets=[dict(region="A", year=2030, cropland_min_ha=30,
                                                              urban_population=20000, urban_land_per_capita_m2=100)]),
    "role_missing": lambda: _without_urban(targets=[dict(region="A", year=2030, cropland_min_ha=30,
                                                         urban_boundary_ha=20)]),
    "grazing_without_grassland": lambda: tiny_tables(grazing=[dict(
        region="A", year=2030, forage_yield_kg_per_ha=500, utilisation_rate=0.5, intake_kg_per_su_yr=657,
        ch4_kg_per_su_yr=5.5)]),
    "sink_sign": lambda: tiny_tables(
        land_uses={"land_use": ["crop", "forest", "urban", "unused"], "role": ["cropland", "forest", "urban", "unused"],
                   "carbon_flux_tC_per_ha_yr": [0.4, 0.6, 10.0, 0.0]},
        carbon_by_region={"region": ["A", "A"], "land_use": ["crop", "forest"], "carbon_flux_tC_per_ha_yr": [0.3, 0.8]}),
    "fractions": lambda: tiny_tables(transitions={**tr(("crop", "forest"), ("unused", "forest")),
                                                  "max_pct_per_period": [0.05, 0.02]}),
    "floor_in_km2": lambda: _with_baseline([4000.0, 2000.0, 1000.0, 3000.0],
                                           regions={"region": ["A"], "total_area_ha": [10000.0]},
                                           targets=[dict(region="A", year=2030, cropland_min_ha=40.0)]),
    # protection.py
    "protection_all_at_once": lambda: grass_tables(
        transitions=tr(("grass", "urban")),
        targets=[{"region": "A", "year": 2030, "basic_farmland_min_ha": 5.0, "construction_max_ha": 8.0}],
        protected_land=[{"region": "A", "land_use": "grass", "redline_ha": 41.0},
                        {"region": "A", "land_use": "unused", "basic_grassland_ha": 1.0},
                        {"region": "A", "land_use": "forest", "in_urban_boundary_ha": 1.0}]),
    "protected_land_without_baseline_row": lambda: tiny_tables(
        baseline={"region": ["A"] * 3, "land_use": ["crop", "forest", "urban"], "area_ha": [40.0, 50.0, 10.0]},
        protected_land=[{"region": "A", "land_use": "unused", "redline_ha": 2.0}]),
    "basic_farmland_above_cropland": lambda: tiny_tables(
        targets=[{"region": "A", "year": 2030, "basic_farmland_min_ha": 45.0, "construction_max_ha": 8.0}]),
    "no_construction_role": lambda: _without_urban(targets=[{"region": "A", "year": 2030, "construction_max_ha": 5.0}]),
    "urban_site_overlaps": lambda: tiny_tables(
        settings={"no_net_loss": "no"}, transitions=tr(("unused", "urban"), ("grass", "urban")),
        land_uses={"land_use": ["grass", "urban", "unused", "crop"], "role": ["grassland", "urban", "unused", "cropland"],
                   "carbon_flux_tC_per_ha_yr": [-0.5, 10.0, 0.0, 0.4]},
        baseline={"region": ["A"] * 4, "land_use": ["grass", "urban", "unused", "crop"], "area_ha": [40.0, 10.0, 30.0, 20.0]},
        targets=[{"region": "A", "year": 2030, "basic_farmland_min_ha": 15.0}],
        protected_land=[{"region": "A", "land_use": "unused", "redline_ha": 25.0, "in_urban_boundary_ha": 6.0},
                        {"region": "A", "land_use": "crop", "in_urban_boundary_ha": 5.5}]),
    # landcover.py
    "landcover_all_at_once": lambda: {
        **sandy_tables(60.0),
        "province_targets": pd.DataFrame({"year": [2030], "budget_yuan": [10_000.0], "forest_stock_min_m3": [1.0]}),
        "land_uses": pd.DataFrame({"land_use": ["sandy", "unused", "forest", "grass"],
                                   "role": ["sandy", "unused", "unused", "grassland"]})},
    "sandy_without_sandy_role": lambda: tiny_tables(
        targets=[{"region": "A", "year": 2030, "sandy_restoration_min_ha": 5.0}]),
    # measures.py
    "hydro_no_allowed_conversion": lambda: hydro_tables(transitions=tr(("grass", "dam"))),
    "hydro_no_water_land_use": lambda: hydro_tables(
        land_uses={"land_use": ["grass", "forest", "unused", "water", "dam"],
                   "role": ["grassland", "forest", "unused", "wetland", "other_construction"]}),
    "hydro_in_service_by_the_baseline": lambda: _hydro_year(
        2020, energy_bases=pd.DataFrame([{"base": "X", "region": "A", "year": 2027, "min_mw": 1.0}])),
    "hydro_after_the_target_year": lambda: _hydro_year(2031),
    "per_capita_without_population": lambda: tiny_tables(
        targets=[{"region": "A", "year": 2030, "cropland_min_ha": 30, "urban_land_per_capita_max_m2": 100}]),
    # carbon.py
    "stock_change_without_stocks": lambda: tiny_tables(settings={"carbon_accounting": "stock_change"}),
    "flux_with_stocks": lambda: tiny_tables(settings={"carbon_accounting": "flux"},
                                            carbon_stocks=_stocks(("crop", None), ("forest", None))),
    "flux_blank": _flux_blank,
    "end_year_in_flux": lambda: tiny_tables(settings={"accounting_end_year": "2045"}),
    "soil_transition_zero": lambda: _soil_transition("0"),
    "carbon_stocks_duplicate": lambda: tiny_tables(
        settings={"carbon_accounting": "stock_change"},
        carbon_stocks=_stocks(("crop", None), ("forest", None), ("urban", None), ("unused", None),
                              ("crop", None), ("forest", "A"), ("forest", "A"))),
}


# --------------------------------------------------------------------------- every problem has its Chinese line

@pytest.mark.parametrize("name", list(SETUPS))
def test_every_problem_and_warning_of_these_checks_has_its_chinese_line(name):
    errors, warnings = found(SETUPS[name]())
    assert errors or warnings, f"set-up {name} provokes nothing"
    for p in errors + warnings:
        assert p.message_zh, f"{name}: no Chinese for: {p}"
        assert p.bilingual().splitlines() == [p.zh(), f"    {p}"]


# --------------------------------------------------------------------------- cross.py: ids, years, areas, roles

def test_no_regions_or_land_uses_listed():
    assert zh(SETUPS["no_regions"]()) == ["工作表“regions”：未列出任何区域：请为每个区域填写一行"]
    assert "工作表“land_uses”：未列出任何地类：请为每个地类填写一行" in zh(SETUPS["no_land_uses"]())


def test_year_not_a_milestone_zh():
    assert zh(SETUPS["year_not_milestone"]()) == [
        "工作表“targets”第 2 行“year”列：填写值为 2035，不是规划年份；应为下列之一：2030"]


def test_transition_to_itself_zh():
    assert zh(SETUPS["transition_to_itself"]()) == [
        "工作表“transitions”第 3 行“to_land_use”列：填写值为 'unused'，转入地类与转出地类相同：地类不能转换为其自身"]


def test_area_bounds_min_above_max_zh():
    assert zh(SETUPS["bounds_min_above_max"]()) == [
        "工作表“area_bounds”第 2 行“min_ha”列：填写值为 12，大于同一行的“面积上限 max_ha”（8 公顷）；"
        "“面积下限 min_ha”不得超过“面积上限 max_ha”"]


def test_baseline_not_adding_up_to_total_zh():
    assert zh(SETUPS["baseline_gap"]()) == [
        "工作表“baseline”的“area_ha”列：区域“A”：基期各地类面积合计 105.0 公顷，但其土地总面积（工作表“regions”第 2 行）"
        "为 100.0 公顷，相差 +5.0 公顷（+5.000%），超过允许的面积容差 0.1%"]


def test_baseline_about_100_times_apart_zh():
    assert zh(SETUPS["baseline_in_km2"]()) == [
        "工作表“baseline”的“area_ha”列：区域“A”：基期各地类面积合计 1.0 公顷，但其土地总面积（工作表“regions”第 2 行）"
        "为 100.0 公顷，相差 -99.0 公顷（-99.000%），超过允许的面积容差 0.1%；两者相差约 100 倍：是否其中之一误按平方公里"
        "填写（1 平方公里 = 100 公顷）？"]


def test_floors_above_region_total_zh():
    assert zh(SETUPS["floor_above_total"]()) == [
        "工作表“targets”第 2 行“cropland_min_ha”列：填写值为 150，超过区域“A”的土地总面积（100 公顷）"]
    assert zh(SETUPS["floors_together"]()) == [
        "工作表“targets”第 2 行“cropland_min_ha”列：耕地保有量与林地、湿地、草地面积下限合计 110 公顷（耕地 60 + 林地 50），"
        "超过区域“A”的土地总面积（100 公顷）"]


def test_urban_population_and_demand_zh():
    assert zh(SETUPS["population_alone"]()) == [
        "工作表“targets”第 2 行“urban_land_per_capita_m2”列：“城镇人口 urban_population”与“人均城镇建设用地 "
        "urban_land_per_capita_m2”须配套填写：请同时填写或同时留空"]
    assert zh(SETUPS["urban_demand_too_big"]()) == [
        "工作表“targets”第 2 行“urban_population”列：填写值为 20,000，城镇建设用地需求 200 公顷，超过区域“A”的土地总面积"
        "（100 公顷）"]


def test_roles_needed_zh():
    assert zh(SETUPS["role_missing"]()) == [
        "工作表“targets”第 2 行“urban_boundary_ha”列：本列约束角色为“urban”（城镇建设用地）的地类，但工作表“land_uses”中"
        "没有该角色的地类"]
    assert zh(SETUPS["grazing_without_grassland"]()) == [
        "工作表“grazing”：草畜平衡需要角色为“grassland”（草地）的地类，但工作表“land_uses”中没有该角色的地类"]


def test_suspicious_values_are_warned_in_chinese():
    assert zh_warnings(SETUPS["sink_sign"]()) == [
        "提示：工作表“land_uses”第 3 行“carbon_flux_tC_per_ha_yr”列：填写值为 0.6，“forest”（林地）是碳汇地类，应填负值"
        "（排放为正、碳汇为负）；请核对正负号",
        "提示：工作表“carbon_by_region”第 3 行“carbon_flux_tC_per_ha_yr”列：填写值为 0.8，“forest”（林地）是碳汇地类，"
        "应填负值（排放为正、碳汇为负）；请核对正负号"]
    assert zh_warnings(SETUPS["fractions"]()) == [
        "提示：工作表“transitions”第 2 行“max_pct_per_period”列：填写值为 0.05，本表所有转换比例均低于 1%；该列单位为 %"
        "（5% 应填 5，而不是 0.05），是否误按小数填写？"]
    assert zh_warnings(SETUPS["floor_in_km2"]()) == [
        "提示：工作表“targets”第 2 行“cropland_min_ha”列：填写值为 40，仅约为区域“A”基期耕地面积（4,000 公顷）的百分之一；"
        "是否误按平方公里而非公顷填写（1 平方公里 = 100 公顷）？"]


def test_folder_input_names_files_in_chinese(tmp_path):
    """A folder of CSV tables: the place and the sheet named inside the message are files (文件“regions.csv”)."""
    from landopt.reader import read_workbook

    folder = tmp_path / "x"
    folder.mkdir()
    for name, df in SETUPS["baseline_gap"]().items():
        df.to_csv(folder / f"{name}.csv", index=False)
    _spec, errors, _ = check_all(read_workbook(folder))
    assert [p.zh() for p in errors] == [
        "文件“baseline.csv”的“area_ha”列：区域“A”：基期各地类面积合计 105.0 公顷，但其土地总面积（文件“regions.csv”第 2 行）"
        "为 100.0 公顷，相差 +5.0 公顷（+5.000%），超过允许的面积容差 0.1%"]


# --------------------------------------------------------------------------- protection.py

def test_protection_inputs_zh():
    errors, warnings = found(SETUPS["protection_all_at_once"]())
    assert [p.zh() for p in errors] == [
        "工作表“protected_land”第 2 行“redline_ha”列：填写值为 41，生态保护红线内面积不能超过区域“A”基期地类“grass”的面积"
        "（40.0 公顷，见工作表“baseline”第 2 行）",
        "工作表“protected_land”第 3 行“basic_grassland_ha”列：填写值为 1，基本草原仅适用于角色为“grassland”（草地）的地类；"
        "地类“unused”的角色为“unused”（其他土地/未利用地），请将此单元格留空",
        "工作表“protected_land”第 4 行“in_urban_boundary_ha”列：填写值为 1，城镇开发边界内面积不能超过区域“A”基期地类"
        "“forest”的面积（0.0 公顷，见工作表“baseline”第 5 行）",
        "工作表“targets”第 2 行“basic_farmland_min_ha”列：本列约束角色为“cropland”（耕地）的地类，但工作表“land_uses”中"
        "没有该角色的地类",
    ]
    assert [p.zh() for p in warnings] == [CAP_WARNING_ZH]


CAP_WARNING_ZH = ("提示：工作表“targets”第 2 行“construction_max_ha”列：填写值为 8，低于区域“A”的基期建设用地面积"
                  "（10.0 公顷）：只有在工作表“transitions”中允许建设用地转为其他地类时，才能满足该上限")


def test_protected_area_without_a_baseline_row_zh():
    assert zh(SETUPS["protected_land_without_baseline_row"]()) == [
        "工作表“protected_land”第 2 行“redline_ha”列：填写值为 2，生态保护红线内面积不能超过区域“A”基期地类“unused”的面积"
        "（0.0 公顷，工作表“baseline”中没有该区域该地类的行）"]


def test_basic_farmland_above_cropland_zh():
    errors, warnings = found(SETUPS["basic_farmland_above_cropland"]())
    assert [p.zh() for p in errors] == [
        "工作表“targets”第 2 行“basic_farmland_min_ha”列：填写值为 45，永久基本农田是基期耕地的一部分，不能超过区域“A”的"
        "基期耕地面积（40.0 公顷，见工作表“baseline”）"]
    assert [p.zh() for p in warnings] == [CAP_WARNING_ZH]


def test_construction_cap_without_a_construction_role_zh():
    assert zh(SETUPS["no_construction_role"]()) == [
        "工作表“targets”第 2 行“construction_max_ha”列：本列约束建设用地（角色为 urban、rural、other_construction 之一的"
        "地类），但工作表“land_uses”中没有这类地类"]


def test_urban_boundary_overlapping_red_line_or_basic_farmland_zh():
    assert zh_warnings(SETUPS["urban_site_overlaps"]()) == [
        "提示：工作表“protected_land”第 2 行“in_urban_boundary_ha”列：填写值为 6，超过区域“A”生态保护红线外的地类“unused”"
        "面积（30.0 − 25.0 = 5.0 公顷）：城镇开发边界将与生态保护红线重叠",
        "提示：工作表“protected_land”第 3 行“in_urban_boundary_ha”列：填写值为 5.5，超过区域“A”永久基本农田以外的耕地面积"
        "（5.0 公顷，见工作表“targets”的“永久基本农田保护面积 basic_farmland_min_ha”列）：城镇开发边界将与永久基本农田重叠"]


# --------------------------------------------------------------------------- landcover.py

def test_landcover_inputs_zh():
    assert zh(SETUPS["landcover_all_at_once"]()) == [
        "工作表“province_targets”第 2 行“forest_stock_min_m3”列：本列需要角色为“forest”（林地）的地类，但工作表“land_uses”"
        "中没有该角色的地类",
        "工作表“targets”第 2 行“sandy_restoration_min_ha”列：填写值为 60，沙化土地治理面积不能超过区域“A”的基期沙化土地面积"
        "（50.0 公顷，见工作表“baseline”）",
    ]
    assert zh(SETUPS["sandy_without_sandy_role"]()) == [
        "工作表“targets”第 2 行“sandy_restoration_min_ha”列：本列需要角色为“sandy”（沙化土地）的地类，但工作表“land_uses”"
        "中没有该角色的地类"]


# --------------------------------------------------------------------------- measures.py

def test_hydro_land_needs_somewhere_to_go_zh():
    assert zh(SETUPS["hydro_no_allowed_conversion"]()) == [
        "工作表“hydro_projects”第 2 行“inundated_ha”列：填写值为 30，工作表“transitions”中没有允许转入角色为“water”（陆地水域）"
        "地类的转换规则：请至少允许一项（如 grassland → water），以便模型安排该工程用地"]
    assert zh(SETUPS["hydro_no_water_land_use"]()) == [
        "工作表“hydro_projects”第 2 行“inundated_ha”列：填写值为 30，该面积须转为角色为“water”（陆地水域）的地类，但工作表"
        "“land_uses”中没有该角色的地类"]


def test_hydro_and_energy_base_years_zh():
    assert zh(SETUPS["hydro_in_service_by_the_baseline"]()) == [
        "工作表“energy_bases”第 2 行“year”列：填写值为 2027，不是规划年份；应为下列之一：2030",
        "工作表“hydro_projects”第 2 行“year_in_service”列：填写值为 2020，应为基期年 2020 之后的年份（届时已投产的工程，"
        "其用地已计入基期现状面积；请删除该行）"]
    assert zh_warnings(SETUPS["hydro_after_the_target_year"]()) == [
        "提示：工作表“hydro_projects”第 2 行“year_in_service”列：填写值为 2031，晚于规划目标年 2030：该工程用地不纳入本次规划"]


def test_per_capita_figure_without_population_zh():
    assert zh(SETUPS["per_capita_without_population"]()) == [
        "工作表“targets”第 2 行“urban_land_per_capita_max_m2”列：填写值为 100，人均指标需要同一行的城镇人口（“城镇人口 "
        "urban_population”列）：请填写城镇人口，或将此单元格留空"]


# --------------------------------------------------------------------------- carbon.py

def test_carbon_accounting_inputs_zh():
    assert zh(SETUPS["stock_change_without_stocks"]()) == [
        "工作表“carbon_stocks”：没有数据行：设置项“carbon_accounting”为 stock_change（碳储量变化法）时，须在工作表"
        "“碳库与净通量 carbon_stocks”中按碳库填写各地类的碳储量"]
    assert zh_warnings(SETUPS["flux_with_stocks"]()) == [
        "提示：工作表“carbon_stocks”：本表未使用：设置项“carbon_accounting”为 flux（通量法），按工作表“land_uses”"
        "（及“carbon_by_region”）中的单位面积碳通量核算；本表 2 行数据，连同其中的甲烷数据（“甲烷排放 ch4_kg_per_ha_yr”"
        "“新转入土地的甲烷排放 new_land_ch4_kg_per_ha_yr”两列），均不参与计算"]
    assert zh(SETUPS["flux_blank"]()) == [
        "工作表“land_uses”第 3 行“carbon_flux_tC_per_ha_yr”列：采用通量法核算时必须填写（设置项“carbon_accounting”为 flux，"
        "或没有工作表“carbon_stocks”）：该地类的碳通量（吨碳/公顷/年），排放为正、碳汇为负"]


def test_carbon_settings_zh():
    assert zh(SETUPS["end_year_in_flux"]()) == [
        "工作表“settings”第 4 行“value”列：填写值为 2045，设置项“accounting_end_year”（核算截止年）仅适用于碳储量变化法"
        "（通量法使目标函数年份的净碳汇最大化）；请留空"]
    assert zh(SETUPS["soil_transition_zero"]()) == [
        "工作表“settings”第 4 行“value”列：填写值为 0，设置项“soil_transition_years”（土壤碳过渡年数）应为大于 0 的年数"
        "（IPCC 默认值为 20 年）"]


def test_carbon_stocks_duplicates_zh():
    lines = zh(SETUPS["carbon_stocks_duplicate"]())
    assert lines[1:] == [
        "工作表“carbon_stocks”第 6 行“land_use”列：填写值为 'crop'，重复记录：第 2 行已有适用于所有区域的地类“crop”",
        "工作表“carbon_stocks”第 8 行“land_use”列：填写值为 'forest'，重复记录：第 7 行已有区域“A”的地类“forest”"]


# --------------------------------------------------------------------------- model/build.py

def _empty_row_block(name: str, sense: str, rhs: float, unit: str, column: str):
    from landopt.model.blocks import RowBlock

    rows = pd.DataFrame({"region": ["A"], "year": [2030], "rhs": [rhs], "sheet": ["targets"], ROW: [2],
                         "column": [column]})
    return RowBlock(name=name, family="cropland_protection", sense=sense, keys=("region", "year"), rows=rows,
                    row=np.empty(0), col=np.empty(0), coef=np.empty(0), unit=unit, lever="ha")


def test_a_row_no_variable_can_meet_is_a_model_error_in_chinese_first():
    from landopt.model.build import _drop_empty_rows

    with pytest.raises(ModelError) as e:
        _drop_empty_rows(_empty_row_block("cropland_protection", ">=", 35.0, "ha", "cropland_min_ha"))
    (p,) = e.value.problems
    assert str(p) == ("cropland_protection[A,2030] requires >= 35.00 ha but no land use or variable can meet it "
                      "(sheet 'targets', row 2, column 'cropland_min_ha')")
    assert p.zh() == ("“耕地保有量（耕地保护红线）”约束 cropland_protection[A,2030] 要求不低于 35.00 公顷，但没有任何地类或变量"
                      "能满足该要求（工作表“targets”第 2 行“耕地保有量 cropland_min_ha”列）")
    assert str(e.value).splitlines()[1:] == [f"  - {p.zh()}", f"    {p}"]
    with pytest.raises(ModelError) as e:
        _drop_empty_rows(_empty_row_block("forest_stock", ">=", 12_345.0, "m3", "forest_stock_min_m3"))
    assert e.value.problems[0].zh() == (
        "“森林蓄积量目标”约束 forest_stock[A,2030] 要求不低于 12,345.00 立方米，但没有任何地类或变量能满足该要求"
        "（工作表“targets”第 2 行“森林蓄积量目标 forest_stock_min_m3”列）")
    # a row met with no variable (0 ≤ 5) is dropped, not reported
    assert _drop_empty_rows(_empty_row_block("area_max", "<=", 5.0, "ha", "max_ha")).n == 0
