"""A diagnosis states each relaxation in the unit of the cell that set the requirement (issue #16)."""

from __future__ import annotations

from pathlib import Path

from landopt.api import spec_from_raw
from landopt.diagnose import diagnose
from landopt.reader import read_workbook

WORKBOOK = Path(__file__).resolve().parents[1] / "inputs" / "tibet_2035.xlsx"


def test_urban_demand_relaxation_in_persons_and_square_metres():
    """Lhasa's 2035 urban population set to 2,000,000: the demand 2,000,000 × 140 m² = 28,000 ha is above what the
    land can give; the diagnosis says how many persons (or m² per person) less would fit, not only hectares."""
    raw = read_workbook(WORKBOOK)
    tg = raw.tables["targets"]
    tg.loc[(tg["region"] == "Lhasa") & (tg["year"] == 2035), "urban_population"] = 2_000_000
    d = diagnose(spec_from_raw(raw))
    rel = d.relaxations[d.relaxations["constraint"] == "urban_demand"].iloc[0]
    text, ha = rel["text"], float(rel["relaxation"])
    persons = ha * 1e4 / 140
    assert text.startswith("The Lhasa 2035 urban land demand of 28,000 ha (2,000,000 persons × 140 m²/person) is ")
    assert f"lower the urban population by {persons:,.0f} persons" in text
    assert f"or the urban land per resident by {ha * 1e4 / 2_000_000:,.3g} m²/person" in text
    assert ("(sheet '规划目标 targets', row 4, column '城镇人口 urban_population' and column "
            "'人均城镇建设用地 urban_land_per_capita_m2')") in text
    zh = rel["text_zh"]  # the same in Chinese, with the sheet and columns as the workbook writes them
    assert zh.startswith("拉萨市 2035年 城镇建设用地需求 28,000 公顷（城镇人口 2,000,000 人 × 人均 140 平方米）比土地所能提供的多 ")
    assert f"需将城镇人口减少 {persons:,.0f} 人，或将人均城镇建设用地减少 {ha * 1e4 / 2_000_000:,.3g} 平方米/人" in zh
    assert "（工作表“规划目标 targets”第 4 行“城镇人口 urban_population”列及“人均城镇建设用地 urban_land_per_capita_m2”列）" in zh


def test_relaxation_names_the_scenario_row_that_set_the_value(tmp_path):
    """grazing_conflict scales Nagqu's livestock floor (grazing rows 17-19) by 3 in scenarios row 32: the
    diagnosis names that scenario row beside the grazing cell, in both languages."""
    import landopt
    from openpyxl import load_workbook

    from landopt.diagnose import write_diagnosis

    d = diagnose(landopt.read(WORKBOOK, scenario="grazing_conflict"))
    first = d.relaxations.iloc[0]
    assert first["label"] == "livestock_floor[Nagqu,2025]"
    assert first["text"].endswith("(sheet '草畜平衡 grazing', row 17, column '牲畜数量下限 livestock_min_su'). The value "
                                  "there was set by scenario grazing_conflict (sheet '情景 scenarios', row 32: scale 3).")
    wb = load_workbook(write_diagnosis(d, tmp_path / "d.xlsx"))
    page = [r[1] for r in wb["诊断 diagnosis"].iter_rows(min_row=5, values_only=True) if r[1]]
    assert page[1].startswith(ZH_NAGQU_2025 + " The Nagqu 2025 livestock floor of 18,198,924 sheep units"), page


#: grazing_conflict: Nagqu's 2025 floor 6,066,308 SU × 3 = 18,198,924 SU (grazing row 17, scaled by scenarios row 32)
ZH_NAGQU_2025 = ("那曲市 2025年 牲畜存栏下限 18,198,924 羊单位超出草地承载能力 5,382,914 羊单位，需降低 5,382,914 羊单位"
                 "（工作表“草畜平衡 grazing”第 17 行“牲畜数量下限 livestock_min_su”列）。"
                 "该值由情景 grazing_conflict（工作表“情景 scenarios”第 32 行：乘以 3）设定。")


def test_console_lines_chinese_first_with_the_sheets_as_the_workbook_names_them():
    """R12: the diagnosis printed by `landopt diagnose` and by a failed solve: each Chinese line before its English
    line; sheets and columns as the workbook writes them ('草畜平衡 grazing', '全域目标 province_targets')."""
    import landopt

    lines = diagnose(landopt.read(WORKBOOK, scenario="grazing_conflict")).lines()
    assert lines[:2] == ["没有能满足全部约束的方案。恢复可行方案的最小放宽涉及 4 项约束：",
                         "No plan meets every requirement. The smallest relaxation that restores a plan changes 4 requirements:"]
    assert lines[2] == "放宽：" + ZH_NAGQU_2025
    assert lines[3] == ("relax: The Nagqu 2025 livestock floor of 18,198,924 sheep units exceeds what the grassland carries "
                        "by 5,382,914 sheep units (sheet '草畜平衡 grazing', row 17, column '牲畜数量下限 livestock_min_su'). "
                        "The value there was set by scenario grazing_conflict (sheet '情景 scenarios', row 32: scale 3).")
    # forest cover 2030: 12.71 % of the 120,280,000 ha = 15,287,588 ha; 1,815 ha / 120,280,000 ha = 0.00151 points
    assert lines[8] == ("放宽：全区 2030年 森林覆盖率目标 12.71%（15,287,588 公顷）无法实现：需降低 0.00151 个百分点（1,815 公顷林地）"
                        "（工作表“全域目标 province_targets”第 3 行“森林覆盖率目标 forest_cover_min_pct”列）。")
    assert lines[9].endswith("(sheet '全域目标 province_targets', row 3, column '森林覆盖率目标 forest_cover_min_pct').")
    assert lines[10].startswith("相互冲突的约束（HiGHS 不可约不可行子集，共 ") and "牲畜存栏下限 3 行" in lines[10]
    assert lines[11].startswith("conflicting requirements (HiGHS irreducible infeasible set of ")
    assert not any("sheet grazing" in x or "sheet province_targets" in x for x in lines)


def test_diagnosis_workbook_tables_in_planning_words(tmp_path):
    """R12: the relaxations and the conflicting set: family, requirement, unit, sheet, column and policy bilingual;
    the requirement text Chinese first with thousands separators and the unit (no '3.842e+07 ha'); the conflicting
    set's text leaves the cell to the source columns beside it."""
    import landopt
    from openpyxl import load_workbook

    from landopt.diagnose import write_diagnosis

    wb = load_workbook(write_diagnosis(diagnose(landopt.read(WORKBOOK, scenario="grazing_conflict")), tmp_path / "d.xlsx"))

    def rows(sheet: str) -> list[dict]:
        ws = wb[sheet]
        head = [c.value for c in ws[4]]
        return [dict(zip(head, r)) for r in ws.iter_rows(min_row=5, values_only=True)]

    first = rows("放宽方案 relaxations")[0]
    assert first == {
        "约束编号 constraint id": "livestock_floor[Nagqu,2025]", "约束 requirement": "牲畜存栏下限 livestock floor",
        "约束族 family": "草畜平衡 grass-livestock balance", "关系 sense": "≥", "约束值 requirement value": 18198924,
        "最小放宽量 smallest relaxation": first["最小放宽量 smallest relaxation"], "放宽方向 direction": "降低 lower",
        "单位 unit": "羊单位 SU", "来源工作表 source sheet": "草畜平衡 grazing", "来源行 source row": 17,
        "来源列 source column": "牲畜数量下限 livestock_min_su", "区域 region": "那曲市 Nagqu", "地类 land use": None,
        "年份 year": 2025, "政策约束 policy": "是 yes", "说明 what it means": first["说明 what it means"]}
    assert round(first["最小放宽量 smallest relaxation"]) == 5382914
    assert first["说明 what it means"].startswith(ZH_NAGQU_2025 + " The Nagqu 2025 livestock floor")
    conflict = {r["约束编号 constraint id"]: r for r in rows("冲突约束 conflicting set")}
    total = conflict["area_total[Nagqu,2025]"]
    assert total["说明 what it means"] == "那曲市 2025年 区域土地总面积 = 38,418,796 公顷 total regional area in Nagqu 2025 = 38,418,796 ha"
    assert (total["来源工作表 source sheet"], total["来源行 source row"], total["来源列 source column"]) == (
        "规划区域 regions", 7, "土地总面积 total_area_ha")
    assert (total["约束族 family"], total["政策约束 policy"], total["单位 unit"]) == ("面积平衡 area balance", "否 no", "公顷 ha")
    cells = [v for r in conflict.values() for v in r.values() if isinstance(v, str)]
    assert not [v for v in cells if "e+0" in v or v in ("yes", "no", "ha", "SU")]
    assert all("\u4e00" <= r["约束族 family"][0] <= "\u9fff" for r in conflict.values())  # Chinese first, never a raw id


def test_every_family_and_unit_has_planning_words():
    """Every constraint family the model builds has a bilingual name, and every requirement unit a Chinese one."""
    from landopt.model.families import FAMILY_MODULES
    from landopt.report.i18n import FAMILIES, UNITS, family_name

    assert set(FAMILY_MODULES) <= set(FAMILIES)
    assert family_name("budget") == "资金约束 public budget" and family_name("forest_cover", "zh") == "森林覆盖率"
    units = {m.unit for mod in FAMILY_MODULES.values() for m in mod.CONSTRAINTS.values()}
    assert units <= set(UNITS), units - set(UNITS)


def test_feasible_model_says_so_in_chinese_first(tmp_path, capsys):
    from landopt.cli import main

    out = tmp_path / "d.xlsx"
    assert main(["diagnose", str(WORKBOOK), "-o", str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[-2:] == [
        "模型可行：全部约束可以同时满足，无需诊断。",
        "The model is feasible: every requirement can be met at once (nothing to diagnose)."]
    assert not out.exists()
