"""Input problems read Chinese first: the Chinese line of each kind of cell, table and settings problem, exactly.

The English line (``str(problem)``) of the same problems is pinned in tests/test_validation.py; here the Chinese
line (``problem.zh()``) and the two lines together as the command line prints them.  The tiny instance: see
tests/conftest.py (region A, land uses crop/forest/urban/unused on baseline rows 2-5, milestone 2030).
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import tiny_tables

from landopt.errors import InputError, Problem, problems_head
from landopt.reader import from_tables
from landopt.validate import check, load_spec


def zh(tables: dict[str, pd.DataFrame]) -> list[str]:
    """The Chinese lines of every problem ``tables`` has; each problem must have one."""
    _spec, found = check(from_tables(tables))
    assert all(p.message_zh for p in found), [str(p) for p in found if not p.message_zh]
    return [p.zh() for p in found]


def cell(sheet: str, index: int, column: str, value) -> pd.DataFrame:
    df = tiny_tables()[sheet].copy()
    df[column] = df[column].astype(object)
    df.loc[index, column] = value
    return df


@pytest.mark.parametrize("tables, line", [
    (dict(baseline=cell("baseline", 1, "area_ha", "twenty")),
     "工作表“baseline”第 3 行“area_ha”列：填写值为 'twenty'，应填数字（公顷）"),
    (dict(baseline=cell("baseline", 1, "area_ha", -12345.5)),
     "工作表“baseline”第 3 行“area_ha”列：填写值为 -12,345.5，应填不小于 0 的数字（公顷）"),
    (dict(baseline=cell("baseline", 1, "area_ha", None)),
     "工作表“baseline”第 3 行“area_ha”列：必须填写（面积 area_ha）"),
    (dict(transitions=cell("transitions", 0, "max_pct_per_period", 150)),
     "工作表“transitions”第 2 行“max_pct_per_period”列：填写值为 150，应填 0 到 100 之间的数字（%，占转出地类面积）"),
    (dict(transitions=cell("transitions", 1, "allowed", "perhaps")),
     "工作表“transitions”第 3 行“allowed”列：填写值为 'perhaps'，应填“是”或“否”"),
    (dict(targets=[dict(region="A", year="2030a", cropland_min_ha=30)]),
     "工作表“targets”第 2 行“year”列：填写值为 '2030a'，应填年份（整数，如 2030）"),
    (dict(land_uses=cell("land_uses", 3, "role", "desert")),
     "工作表“land_uses”第 5 行“role”列：填写值为 'desert'，应为下列之一：cropland、garden、forest、grassland、"
     "degraded_grassland、wetland、water、urban、rural、other_construction、pv、unused、sandy"),
    (dict(baseline=tiny_tables()["baseline"].drop(columns="area_ha")),
     "工作表“baseline”第 1 行“area_ha”列：缺少必填列“面积 area_ha”（公顷）"),
    (dict(regions=None),
     "工作表“regions”：未找到该表（应有的列：region、name_zh、total_area_ha、forest_stock_m3、"
     "forest_growth_m3_per_ha_yr、young_forest_growth_m3_per_ha_yr）"),
    (dict(transitions=pd.concat([tiny_tables()["transitions"]] * 2, ignore_index=True).iloc[:3]),
     "工作表“transitions”第 4 行“from_land_use”列：填写值为 'from_land_use=crop, to_land_use=forest'，"
     "重复记录：第 2 行已有相同的“from_land_use”、“to_land_use”"),
    (dict(baseline=cell("baseline", 3, "land_use", "unsued")),
     "工作表“baseline”第 5 行“land_use”列：填写值为 'unsued'，地类编号不存在（见工作表“land_uses”）；是否应为 'unused'？"
     "应为下列之一：crop、forest、unused、urban"),
], ids=["number", "range", "required", "percent-range", "yes-no", "year", "choice", "missing-column", "missing-sheet",
        "duplicate", "unknown-id"])
def test_cell_and_table_problems_in_chinese(tables, line):
    assert zh(tiny_tables(**tables)) == [line]


@pytest.mark.parametrize("settings, line", [
    ({"milestone_years": "2035,2030"}, "工作表“settings”第 3 行“value”列：填写值为 '2035,2030'，规划年份应从小到大排列且互不重复"),
    ({"milestone_years": "2020,2030"}, "工作表“settings”第 3 行“value”列：填写值为 '2020,2030'，规划年份应晚于基期年 2020"),
    ({"milestone_years": "2030,twenty"},
     "工作表“settings”第 3 行“value”列：填写值为 '2030,twenty'，设置项“milestone_years”应填以逗号分隔的年份，"
     "如 2025,2030,2035（'twenty' 不是年份）"),
    ({"baseline_year": "2020.5"},
     "工作表“settings”第 2 行“value”列：填写值为 '2020.5'，设置项“baseline_year”应填整数（如 2019）"),
    ({"objective_years": "every"},
     "工作表“settings”第 4 行“value”列：填写值为 'every'，设置项“objective_years”应为下列之一：target、all"),
    ({"no_net_loss": "maybe"}, "工作表“settings”第 4 行“value”列：填写值为 'maybe'，设置项“no_net_loss”应填“是”或“否”"),
    ({"ch4_gwp": "-1"}, "工作表“settings”第 4 行“value”列：填写值为 '-1'，设置项“ch4_gwp”应填不小于 0 的数字"),
    ({"accounting_end_year": "2020"},
     "工作表“settings”第 4 行“value”列：填写值为 2020，设置项“accounting_end_year”应为规划目标年 2030 至 2230 之间的年份"
     "（留空即为规划目标年）"),
    ({"ch4_gwq": "28"},
     "工作表“settings”第 4 行“key”列：填写值为 'ch4_gwq'，该设置项不存在；是否应为 'ch4_gwp'？应为下列之一：title、" ),
], ids=["decreasing", "not-after-baseline", "not-years", "fraction", "choice", "bool", "negative", "accounting-end",
        "unknown-key"])
def test_settings_problems_in_chinese(settings, line):
    found = zh(tiny_tables(settings=settings))
    assert [f for f in found if f.startswith(line)] == found[:1], found


def test_missing_milestone_years_in_chinese():
    s = pd.DataFrame({"key": ["baseline_year"], "value": ["2020"]})
    assert zh(tiny_tables(settings=s))[0] == (
        "工作表“settings”的“value”列：必须填写设置项“milestone_years”（规划年份），如 2025,2030,2035")


def test_the_command_line_prints_chinese_then_english():
    tables = tiny_tables(baseline=cell("baseline", 1, "area_ha", "twenty"), transitions=cell("transitions", 1,
                                                                                           "allowed", "perhaps"))
    with pytest.raises(InputError) as e:
        load_spec(from_tables(tables))
    assert str(e.value) == (
        "发现 2 处问题 2 problems in <memory>:\n"
        "  - 工作表“baseline”第 3 行“area_ha”列：填写值为 'twenty'，应填数字（公顷）\n"
        "    sheet 'baseline', row 3, column 'area_ha': value 'twenty' — expected a number in ha\n"
        "  - 工作表“transitions”第 3 行“allowed”列：填写值为 'perhaps'，应填“是”或“否”\n"
        "    sheet 'transitions', row 3, column 'allowed': value 'perhaps' — expected yes or no")


def test_problem_without_chinese_keeps_one_english_line_and_warnings_say_so():
    p = Problem.at("targets", 2, "year", 2035, "not a milestone year")
    assert p.zh() == "" and p.bilingual() == str(p) == "sheet 'targets', row 2, column 'year': value 2035 — not a milestone year"
    w = Problem.at("land_uses", 3, "carbon_flux_tC_per_ha_yr", 0.6, ("森林应为碳汇", "forest should be a sink"),
                   kind="folder", severity="warning")
    assert w.bilingual() == (
        "提示：文件“land_uses.csv”第 3 行“carbon_flux_tC_per_ha_yr”列：填写值为 0.6，森林应为碳汇\n"
        "    file 'land_uses.csv', row 3, column 'carbon_flux_tC_per_ha_yr': warning: value 0.6 — forest should be a sink")
    assert problems_head(1) == "发现 1 处问题 1 problem" and problems_head(3, "warning") == "3 条提示 3 warnings"
    e = InputError(("文件为空", "the file is empty"), "x.csv")
    assert str(e) == "发现 1 处问题 1 problem in x.csv:\n  - 文件为空\n    the file is empty"
