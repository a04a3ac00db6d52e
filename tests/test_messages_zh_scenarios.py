"""Scenario and uncertainty problems read Chinese first: the Chinese line of each kind of problem, exactly.

The English line (``str(problem)``) of the same problems is pinned in tests/test_validation.py, tests/test_sweep.py,
tests/test_cli.py, tests/test_robustness.py and tests/test_workflow.py; here the Chinese line (``problem.zh()``)
and the two lines together as the command line prints them.  Each set-up below returns the problems of the error
it raises.  The tiny instance: see tests/conftest.py (region A, land uses crop/forest/urban/unused, targets on
row 2 with urban_boundary_ha blank, grazing and energy empty, no area_bounds sheet).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pandas as pd
import pytest
from conftest import tiny_tables, write_xlsx

from landopt import scenarios
from landopt.errors import InputError, Problem
from landopt.reader import from_tables, read_workbook, tidy
from landopt.readers import BadCell
from landopt.sweep import parameters

SCENARIO_COLUMNS = ["scenario", "parent", "description", "sheet", "column", "where", "operation", "value"]


def R(*cells) -> list:
    return list(cells) + [None] * (len(SCENARIO_COLUMNS) - len(cells))


def raised(fn: Callable[[], object], error: type = InputError) -> list[Problem]:
    """The problems of the error ``fn`` raises."""
    with pytest.raises(error) as e:
        fn()
    return list(e.value.problems)


def on_sheet(rows: list[list], name: str | None = None) -> Callable[[Path], list[Problem]]:
    """Scenario ``name`` of a scenarios sheet of ``rows`` applied (None: only the sheet read)."""
    def setup(_tmp: Path) -> list[Problem]:
        raw = from_tables(tiny_tables(scenarios=pd.DataFrame(rows, columns=SCENARIO_COLUMNS)))
        if name is None:
            return raised(lambda: scenarios.load_scenarios(raw))
        return raised(lambda: scenarios.apply_scenario(raw, name))
    return setup


def in_yaml(text: str | bytes, name: str | None = None, rows: list[list] | None = None
            ) -> Callable[[Path], list[Problem]]:
    """Scenario ``name`` of a YAML file next to the workbook applied (None: only the scenarios read)."""
    def setup(tmp: Path) -> list[Problem]:
        t = tiny_tables(scenarios=pd.DataFrame(rows, columns=SCENARIO_COLUMNS)) if rows else tiny_tables()
        path = write_xlsx(t, tmp / "w.xlsx")
        y = tmp / "w.scenarios.yaml"
        y.write_bytes(text) if isinstance(text, bytes) else y.write_text(text, encoding="utf-8")
        raw = read_workbook(path)
        if name is None:
            return raised(lambda: scenarios.load_scenarios(raw))
        return raised(lambda: scenarios.apply_scenario(raw, name))
    return setup


def bad_cell(cell: BadCell) -> Callable[[Path], list[Problem]]:
    """A scenarios sheet whose value cell is ``cell`` (an Excel error value, a formula with no saved value)."""
    def setup(_tmp: Path) -> list[Problem]:
        sc = pd.DataFrame([R("s", "", "", "targets", "cropland_min_ha", "", "set", 1)], columns=SCENARIO_COLUMNS)
        sc["value"] = sc["value"].astype(object)
        sc.loc[0, "value"] = cell
        raw = from_tables(tiny_tables(scenarios=sc))
        return raised(lambda: scenarios.load_scenarios(raw))
    return setup


def missing_columns(_tmp: Path) -> list[Problem]:
    raw = from_tables(tiny_tables(scenarios=pd.DataFrame({"scenario": ["s"], "sheet": ["targets"]})))
    return raised(lambda: scenarios.load_scenarios(raw))


#: the uncertainty sheet's rows (tests/test_sweep.py): the parameter names are not what the set-ups test
UNC = ["parameter", "sheet", "column", "where", "low", "high", "distribution", "mode", "operation"]


def ranges(rows: list[tuple], raw_given: bool = True) -> Callable[[Path], list[Problem]]:
    """The uncertainty sheet of ``rows`` checked (with the tiny workbook: every row is applied once)."""
    def setup(_tmp: Path) -> list[Problem]:
        df = tidy(pd.DataFrame([tuple(r) + (None,) * (len(UNC) - len(r)) for r in rows], columns=UNC))
        raw = from_tables(tiny_tables()) if raw_given else None
        return raised(lambda: parameters.parse_uncertainty(df, raw))
    return setup


def uncertainty_missing_column(_tmp: Path) -> list[Problem]:
    df = tidy(pd.DataFrame([{"parameter": "a", "sheet": "targets", "column": "cropland_min_ha", "low": 1}]))
    return raised(lambda: parameters.parse_uncertainty(df, from_tables(tiny_tables())))


def sweep_without_parameters(_tmp: Path) -> list[Problem]:
    from landopt.sweep import run_sweep

    return raised(lambda: run_sweep(from_tables(tiny_tables()), 3, progress=False))


def unknown_reference(tmp: Path) -> list[Problem]:
    from landopt.compare import compare

    path = write_xlsx(tiny_tables(scenarios=pd.DataFrame([R("tight", "", "", "targets", "cropland_min_ha", "", "set", 35)],
                                                         columns=SCENARIO_COLUMNS)), tmp / "w.xlsx")
    return raised(lambda: compare(path, reference="nosuch", progress=False))


CROP = ("targets", "cropland_min_ha")
#: name -> (set-up, the Chinese line of each problem it raises)
CASES: dict[str, tuple[Callable[[Path], list[Problem]], list[str]]] = {
    # -- the scenarios sheet ----------------------------------------------------------------------------------
    "sheet-missing-columns": (missing_columns, [
        "工作表“scenarios”：缺少列“column”、“operation”（应有的列：scenario、parent、description、sheet、column、where、"
        "operation、value、note）"]),
    "sheet-error-cell": (bad_cell(BadCell(error="#N/A")), [
        "工作表“scenarios”第 2 行“value”列：填写值为 '#N/A'，单元格显示 Excel 错误值（公式计算失败）：请修正公式或直接填写数值"]),
    "sheet-formula-cell": (bad_cell(BadCell(formula="='Sheet 1'!A1")), [  # the value between quotes as typed
        "工作表“scenarios”第 2 行“value”列：填写值为 '='Sheet 1'!A1'，公式没有保存计算结果（该文件由不计算公式的程序写入）；"
        "请用 Excel 或 LibreOffice 打开并保存该工作簿（使公式得到计算），或直接填写数值"]),
    "sheet-name-required": (on_sheet([R("", "", "", *CROP, "", "set", 1)]), [
        "工作表“scenarios”第 2 行“scenario”列：必须填写情景名称"]),
    "sheet-two-parents": (on_sheet([R("a", "", "", *CROP, "", "set", 1), R("b", "", "", *CROP, "", "set", 2),
                                    R("c", "a", "", *CROP, "", "set", 3), R("c", "b", "", *CROP, "", "set", 4)]), [
        "工作表“scenarios”第 5 行“parent”列：情景“c”已有上级情景“a”（第 4 行）"]),
    "sheet-where-not-key-value": (on_sheet([R("s", "", "", *CROP, "regionA", "set", 1)]), [
        "工作表“scenarios”第 2 行“where”列：'regionA' 应写成 key=value 的形式（如 region=Lhasa;year=2035）"]),
    "unknown-parent": (on_sheet([R("a", "main", "", *CROP, "", "scale", 1.1)]), [
        "工作表“scenarios”第 2 行“parent”列：上级情景 'main' 不存在；已有的情景：a"]),
    "unknown-scenario": (on_sheet([R("high", "", "", *CROP, "", "scale", 1.1), R("low", "", "", *CROP, "", "scale", 0.9)],
                                  "medium"), [
        "情景 'medium' 不存在；已有的情景：high（工作表“scenarios”第 2 行）；low（工作表“scenarios”第 3 行）"]),
    "unknown-scenario-did-you-mean": (on_sheet([R("high", "", "", *CROP, "", "scale", 1.1)], "High"), [
        "情景 'High' 不存在；是否应为 'high'？已有的情景：high（工作表“scenarios”第 2 行）"]),
    "parent-cycle": (on_sheet([R("a", "b", "", *CROP, "", "scale", 1.1), R("b", "a", "", *CROP, "", "scale", 1.1)], "a"), [
        "工作表“scenarios”第 2 行：各情景的上级情景相互引用，形成循环：a → b → a"]),
    # -- overrides that cannot be applied -----------------------------------------------------------------------
    "unknown-operation": (on_sheet([R("s", "", "", *CROP, "", "double", 2)], "s"), [
        "工作表“scenarios”第 2 行“operation”列：操作 'double' 无效；应为下列之一：set、scale、add、off、on"]),
    "unknown-family": (on_sheet([R("s", "", "", "families", "grazing", "", "off")], "s"), [
        "工作表“scenarios”第 2 行“column”列：约束族 'grazing' 不存在；应为下列之一：transitions、cropland_protection、"
        "urban_boundary、grazing_balance、livestock_layout、energy_sites、ecological_floors、forest_cover、farmland、"
        "protection、construction_cap、economic_output、budget、desertification_control、forest_stock、redevelopment、"
        "energy_bases、hydro、area_bounds"]),
    "family-operation": (on_sheet([R("s", "", "", "families", "budget", "", "scale", 2)], "s"), [
        "工作表“scenarios”第 2 行“operation”列：约束族（families）的操作只能是 'off' 或 'on'，不能是 'scale'"]),
    "unknown-sheet": (on_sheet([R("s", "", "", "target", "cropland_min_ha", "", "set", 1)], "s"), [
        "工作表“scenarios”第 2 行“sheet”列：'target' 不是可调整的工作表；应为下列之一：settings、regions、land_uses、"
        "baseline、carbon_by_region、carbon_stocks、province_targets、transitions、targets、grazing、energy、area_bounds、"
        "protected_land、energy_bases、hydro_projects、families"]),
    "unknown-column": (on_sheet([R("s", "", "", "regions", "area", "", "set", 1)], "s"), [
        "工作表“scenarios”第 2 行“column”列：工作表“regions”没有“area”列；应为下列之一：region、name_zh、total_area_ha、"
        "forest_stock_m3、forest_growth_m3_per_ha_yr、young_forest_growth_m3_per_ha_yr"]),
    "where-unknown-column": (on_sheet([R("s", "", "", *CROP, "zone=A", "set", 1)], "s"), [
        "工作表“scenarios”第 2 行“where”列：工作表“targets”没有“zone”列；可筛选的列：region、year"]),
    "sheet-not-in-workbook": (on_sheet([R("s", "", "", "area_bounds", "min_ha", "", "set", 1)], "s"), [
        "工作表“scenarios”第 2 行“sheet”列：工作簿中没有工作表“area_bounds”，无法调整"]),
    "where-unknown-ids": (on_sheet([R("s", "", "", *CROP, "region=Z", "set", 1),
                                    R("s", "", "", "land_uses", "carbon_flux_tC_per_ha_yr", "land_use=fores", "set", 1)],
                                   "s"), [
        "工作表“scenarios”第 2 行“where”列：区域 'Z' 不存在（见工作表“regions”）；应为下列之一：A",
        "工作表“scenarios”第 3 行“where”列：地类 'fores' 不存在（见工作表“land_uses”）；应为下列之一：crop、forest、unused、"
        "urban"]),
    "same-horizon-setting": (on_sheet([R("s", "", "", "settings", "value", "key=accounting_end_year", "set", 2060)],
                                      "s"), [
        "工作表“scenarios”第 2 行：情景不能修改设置项“accounting_end_year”：参与比较的各次运行必须按同一核算期计算净碳汇；"
        "请在工作表“settings”中设置，该设置同时适用于工作簿原值和所有情景"]),
    "unknown-setting": (on_sheet([R("s", "", "", "settings", "value", "key=ch4_gpw", "set", 30)], "s"), [
        "工作表“scenarios”第 2 行“where”列：设置项 'ch4_gpw' 不存在"]),
    "where-matches-no-row": (on_sheet([R("s", "", "", *CROP, "region=A;year=2031", "set", 1),
                                       R("s", "", "", "grazing", "utilisation_rate", "", "set", 0.5)], "s"), [
        "工作表“scenarios”第 2 行“where”列：行筛选条件 'region=A;year=2031' 在工作表“targets”中未匹配到任何行",
        "工作表“scenarios”第 3 行“where”列：工作表“grazing”没有数据行（行筛选条件为空，即全部行）"]),
    "value-not-a-number": (on_sheet([R("s", "", "", *CROP, "", "scale", "double"),
                                     R("s", "", "", *CROP, "", "add", "more")], "s"), [
        "工作表“scenarios”第 2 行“value”列：'double' 不是数字（scale 操作的倍数须为数字）",
        "工作表“scenarios”第 3 行“value”列：'more' 不是数字（add 操作的增加量须为数字）"]),
    "blank-cells-scaled": (on_sheet([R("s", "", "", "targets", "urban_boundary_ha", "", "scale", 1.3),
                                     R("s", "", "", "targets", "urban_boundary_ha", "", "add", 5)], "s"), [
        "工作表“scenarios”第 2 行：工作表“targets”所有匹配行的“urban_boundary_ha”列均为空，没有可按倍数缩放的数值"
        "（请用 set 操作为其赋值）",
        "工作表“scenarios”第 3 行：工作表“targets”所有匹配行的“urban_boundary_ha”列均为空，没有可累加的数值"
        "（请用 set 操作为其赋值）"]),
    "off-outside-families": (on_sheet([R("s", "", "", *CROP, "", "off")], "s"), [
        "工作表“scenarios”第 2 行“operation”列：'off' 操作只适用于工作表“families”（约束族）"]),
    # -- the scenarios YAML file --------------------------------------------------------------------------------
    "yaml-not-utf8": (in_yaml("scenarios:\n  s: {description: 情景}\n".encode("gbk")), [
        "文件“w.scenarios.yaml”：不是 UTF-8 编码的文本；请另存为 UTF-8 编码"]),
    "yaml-invalid": (in_yaml("scenarios:\n  s:\n    overrides: [sheet: targets\n"), [
        "文件“w.scenarios.yaml”第 4 行第 1 列：不是有效的 YAML（expected ',' or ']', but got '<stream end>'）；"
        "格式见 docs/scenarios.md"]),
    "yaml-no-scenarios-key": (in_yaml("- s\n"), [
        "文件“w.scenarios.yaml”：应以 'scenarios:' 开头，其下每个情景名称各占一项（见 docs/scenarios.md）"]),
    "yaml-bad-scenario": (in_yaml("scenarios:\n  s:\n    overrides: {sheet: targets}\n"), [
        "文件“w.scenarios.yaml”中的情景“s”：应包含 parent（上级情景）、description（说明）和调整项列表 overrides"
        "（每项含 sheet、column、where、operation、value）"]),
    "yaml-where-not-key-value": (in_yaml("scenarios:\n  s:\n    overrides:\n      - {sheet: targets, column: "
                                         "cropland_min_ha, where: regionA, operation: set, value: 1}\n"), [
        "文件“w.scenarios.yaml”中情景“s”的第 1 项调整的“where”字段：'regionA' 应写成 key=value 的形式"
        "（如 region=Lhasa;year=2035）"]),
    "yaml-also-on-sheet": (in_yaml("scenarios:\n  s:\n    overrides: []\n", rows=[R("s", "", "", *CROP, "", "set", 1)]), [
        "文件“w.scenarios.yaml”中的情景“s”：情景工作表中也定义了同名情景（工作表“scenarios”第 2 行）"]),
    "yaml-unquoted-off": (in_yaml("scenarios:\n  s:\n    overrides:\n      - {sheet: families, column: "
                                  "cropland_protection, operation: off}\n", "s"), [
        "文件“w.scenarios.yaml”中情景“s”的第 1 项调整的“operation”字段：操作 'false' 无效；应为下列之一：set、scale、add、"
        "off、on（YAML 中请写带引号的 'off'：不带引号的 on/off 会被读作 true/false）"]),
    "yaml-unknown-region": (in_yaml("scenarios:\n  broken:\n    overrides:\n      - {sheet: targets, column: "
                                    "cropland_min_ha, where: {region: Z}, operation: set, value: 1}\n", "broken"), [
        "文件“w.scenarios.yaml”中情景“broken”的第 1 项调整的“where”字段：区域 'Z' 不存在（见工作表“regions”）；"
        "应为下列之一：A"]),
    "yaml-unknown-scenario": (in_yaml("scenarios:\n  s:\n    overrides: []\n", "t"), [
        "情景 't' 不存在；已有的情景：s（文件“w.scenarios.yaml”中的情景“s”）"]),
    "compare-unknown-reference": (unknown_reference, [
        "参照情景 'nosuch'（--reference）不存在；已有的情景：base（工作簿原值，不作情景调整）；tight（工作表“scenarios”第 2 行）"]),
    # -- the uncertainty sheet ----------------------------------------------------------------------------------
    "uncertainty-missing-column": (uncertainty_missing_column, [
        "工作表“uncertainty”第 1 行“high”列：缺少必填列（应有的列：parameter、sheet、column、where、low、high、"
        "distribution、mode、operation、note）"]),
    "uncertainty-sheet-and-column": (ranges([
        ("a", "land_usez", "carbon_flux_tC_per_ha_yr", "", -1, 0),
        ("b", "grazing", "forage_yield", "", 0.8, 1.2),
        ("c", "regions", "region", "", 0, 1),
        ("d", "targets", "cropland_min_ha", "zone=A", 1, 2),
        ("e", "targets", "cropland_min_ha", "regionA", 1, 2),
    ]), [
        "工作表“uncertainty”第 2 行“sheet”列：填写值为 'land_usez'，不是可抽样的工作表；应为下列之一：settings、regions、"
        "land_uses、baseline、carbon_by_region、carbon_stocks、province_targets、transitions、targets、grazing、energy、"
        "area_bounds、protected_land、energy_bases、hydro_projects",
        "工作表“uncertainty”第 3 行“column”列：填写值为 'forage_yield'，工作表“grazing”没有该列；应为下列之一：region、year、"
        "forage_yield_kg_per_ha、utilisation_rate、intake_kg_per_su_yr、rest_min_ha、livestock_min_su、"
        "ch4_kg_per_su_yr、degraded_yield_kg_per_ha、restoration_pct_per_yr、rest_cost_yuan_per_ha_yr、"
        "reference_livestock_su",
        "工作表“uncertainty”第 4 行“column”列：填写值为 'region'，工作表“regions”的“region”列不是数值系数，不能抽样",
        "工作表“uncertainty”第 5 行“where”列：填写值为 'zone'，工作表“targets”没有可用于筛选的“zone”列；可筛选的列：region、"
        "year",
        "工作表“uncertainty”第 6 行“where”列：填写值为 'regionA'，应写成 key=value 的形式，多个条件用 ';' 连接"
        "（如 region=Lhasa;year=2035）"]),
    "uncertainty-settings": (ranges([
        ("gwp", "settings", "key", "key=ch4_gwp", 25, 30),
        ("title", "settings", "value", "key=title", 1, 2),
    ]), [
        "工作表“uncertainty”第 2 行“where”列：填写值为 'key=ch4_gwp'，对设置项抽样时，column 应填 'value'，where 应填 "
        "key=<设置项>，如 key=ch4_gwp",
        "工作表“uncertainty”第 3 行“where”列：填写值为 'title'，不是数值型设置项；应为下列之一："
        + "、".join(k for k, v in __import__("landopt.schema", fromlist=["SETTINGS_KEYS"]).SETTINGS_KEYS.items()
                    if v[0] == "number")]),
    "uncertainty-values": (ranges([
        ("a", "land_uses", "carbon_flux_tC_per_ha_yr", "land_use=forest", -1, 0, "normal", None, "times"),
        ("b", "land_uses", "carbon_flux_tC_per_ha_yr", "land_use=crop", "lots", None),
        ("c", "energy", "pv_mw_per_ha", "", 0.4, 0.2),
        ("d", "land_uses", "carbon_flux_tC_per_ha_yr", "land_use=urban", 1, 2, "triangular"),
        ("e", "land_uses", "carbon_flux_tC_per_ha_yr", "land_use=unused", 1, 2, "triangular", 3),
        ("f", "targets", "cropland_min_ha", "", 1, 2, "uniform", "often"),
        ("g", "grazing", "utilisation_rate", "", -0.5, 1.5),
    ]), [
        "工作表“uncertainty”第 2 行“operation”列：填写值为 'times'，应为下列之一：set、scale、add（留空即为 set）",
        "工作表“uncertainty”第 2 行“distribution”列：填写值为 'normal'，应为下列之一：uniform、triangular（留空即为 uniform）",
        "工作表“uncertainty”第 3 行“low”列：填写值为 'lots'，应填数字",
        "工作表“uncertainty”第 3 行“high”列：必须填写（上限，即最大取值）",
        "工作表“uncertainty”第 4 行“low”列：填写值为 0.4，下限大于同一行的上限（0.2）",
        "工作表“uncertainty”第 5 行“mode”列：三角分布须填写众数（最可能的取值），且应为数字",
        "工作表“uncertainty”第 6 行“mode”列：填写值为 3，众数应在下限（1）与上限（2）之间",
        "工作表“uncertainty”第 7 行“mode”列：填写值为 'often'，应填数字",
        "工作表“uncertainty”第 8 行“low”列：填写值为 -0.5，低于“utilisation_rate”列允许的最小值（0）",
        "工作表“uncertainty”第 8 行“high”列：填写值为 1.5，高于“utilisation_rate”列允许的最大值（1）"]),
    "uncertainty-names-and-cells": (ranges([
        ("crop", "targets", "cropland_min_ha", "", 1, 2),
        ("crop", "targets", "urban_population", "", 1, 2),
        ("term_land", "targets", "forest_min_ha", "", 1, 2),
        ("same", "targets", "cropland_min_ha", "", 1, 2),
        ("flux", "land_uses", "carbon_flux_tC_per_ha_yr", "land_use=forest", -1, 0),
        ("flux2", "land_uses", "carbon_flux_tC_per_ha_yr", "land_use=forest", -1, 0),
        ("low_missing", "targets", "forest_min_ha", "region=A", None, 2),
    ], raw_given=False), [
        "工作表“uncertainty”第 3 行“parameter”列：填写值为 'crop'，参数名称重复；已在第 2 行使用",
        "工作表“uncertainty”第 4 行“parameter”列：填写值为 'term_land'，该名称与结果表中的列名相同；请另取一个名称",
        "工作表“uncertainty”第 5 行“where”列：未填（即全部行），与第 2 行对同一组单元格抽样",
        "工作表“uncertainty”第 7 行“where”列：填写值为 'land_use=forest'，与第 6 行对同一组单元格抽样",
        "工作表“uncertainty”第 8 行“low”列：必须填写（下限，即最小取值）"]),
    "uncertainty-where-matches-no-row": (lambda tmp: raised(lambda: parameters.parse_uncertainty(tidy(pd.DataFrame([
        ("x", "targets", "cropland_min_ha", "region=A;year=2031", 1, 2),
        ("y", "land_uses", "carbon_flux_tC_per_ha_yr", "land_use=fores", -1, 0),
    ], columns=UNC[:6])), from_tables(tiny_tables()), label="w (sheet 'uncertainty')"), parameters.UncertaintyError), [
        "工作表“uncertainty”第 2 行（参数“x”）“where”列：行筛选条件 'region=A;year=2031' 在工作表“targets”中未匹配到任何行",
        "工作表“uncertainty”第 3 行（参数“y”）“where”列：地类 'fores' 不存在（见工作表“land_uses”）；应为下列之一：crop、"
        "forest、unused、urban"]),
    "sweep-without-parameters": (sweep_without_parameters, [
        "工作表“uncertainty”：抽样需要不确定参数：请添加工作表“不确定参数 uncertainty”，或用 --ranges FILE.csv 给出取值范围"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_scenario_and_uncertainty_problems_in_chinese(case, tmp_path):
    setup, lines = CASES[case]
    assert [p.zh() for p in setup(tmp_path)] == lines


def test_every_scenario_and_uncertainty_problem_has_a_chinese_line(tmp_path):
    for case, (setup, _lines) in CASES.items():
        folder = tmp_path / case
        folder.mkdir()
        found = setup(folder)
        assert found, case
        for p in found:
            assert isinstance(p, Problem), (case, p)
            assert p.message_zh and p.zh(), (case, str(p))
            assert p.bilingual() == f"{p.zh()}\n    {p}", (case, str(p))


def test_scenario_error_prints_chinese_first():
    raw = from_tables(tiny_tables(scenarios=pd.DataFrame([R("a", "main", "A.", *CROP, "", "scale", 1.1)],
                                                         columns=SCENARIO_COLUMNS)))
    with pytest.raises(scenarios.ScenarioError) as e:
        scenarios.apply_scenario(raw, "a")
    assert str(e.value) == (
        "发现 1 处问题 1 problem in the scenarios:\n"
        "  - 工作表“scenarios”第 2 行“parent”列：上级情景 'main' 不存在；已有的情景：a\n"
        "    sheet 'scenarios', row 2, column 'parent': unknown parent scenario 'main'; known: a")


def test_uncertainty_error_prints_chinese_first():
    df = tidy(pd.DataFrame([("y", "land_uses", "carbon_flux_tC_per_ha_yr", "land_use=fores", -1, 0)], columns=UNC[:6]))
    with pytest.raises(parameters.UncertaintyError) as e:
        parameters.parse_uncertainty(df, from_tables(tiny_tables()), label="w (sheet 'uncertainty')")
    assert isinstance(e.value, scenarios.ScenarioError)
    assert str(e.value) == (
        "发现 1 处问题 1 problem in w (sheet 'uncertainty'):\n"
        "  - 工作表“uncertainty”第 2 行（参数“y”）“where”列：地类 'fores' 不存在（见工作表“land_uses”）；应为下列之一："
        "crop、forest、unused、urban\n"
        "    sheet 'uncertainty', row 2, parameter 'y', column 'where': unknown land use 'fores' (see sheet "
        "'land_uses'); expected one of: crop, forest, unused, urban")


def test_a_sampled_override_names_its_parameter_and_sample():
    """A sample's override that cannot be applied (a sweep run's record message) names the row, parameter and sample."""
    p = parameters.UncertainParameter("y", "land_uses", "carbon_flux_tC_per_ha_yr", {"land_use": "fores"}, -1, 0,
                                      origin="sheet 'uncertainty', row 2", where_text="land_use=fores",
                                      origin_zh="工作表“uncertainty”第 2 行")
    raw = from_tables(tiny_tables())
    [found] = raised(lambda: scenarios.apply_overrides(raw, [("sample 3", p.override(-0.5, 3))]))
    assert found.bilingual() == (
        "工作表“uncertainty”第 2 行（参数“y”，样本 3）“where”列：地类 'fores' 不存在（见工作表“land_uses”）；应为下列之一："
        "crop、forest、unused、urban\n"
        "    sheet 'uncertainty', row 2, parameter 'y', sample 3, column 'where': unknown land use 'fores' (see sheet "
        "'land_uses'); expected one of: crop, forest, unused, urban")


def test_a_blank_row_filter_reads_every_row_in_english_too(tmp_path):
    """The English line of a blank ``where`` says so in words (it showed '(all rows)', a value nobody typed)."""
    setup, _ = CASES["where-matches-no-row"]
    assert [str(p) for p in setup(tmp_path)][1] == (
        "sheet 'scenarios', row 3, column 'where': sheet 'grazing' has no data rows (the row filter is blank: "
        "every row)")
    setup, _ = CASES["uncertainty-names-and-cells"]
    assert [str(p) for p in setup(tmp_path / "u") if "same cells" in str(p)] == [
        "sheet 'uncertainty', row 5, column 'where': blank (every row) — samples the same cells as row 2",
        "sheet 'uncertainty', row 7, column 'where': value 'land_use=forest' — samples the same cells as row 6"]
