"""Labels of the input workbook in Chinese: sheet names, column headers and units, and the settings' meanings.

The one table of Chinese input labels: the template writes its sheet names and headers from it
(:func:`input_sheet_title`, :func:`input_header_text`), the inputs echo of the plan, the diagnosis and the other
workbooks label input sheets and columns with it.  :mod:`landopt.report.i18n` re-exports every name here;
validation messages name sheets and columns with it too.
"""

from __future__ import annotations

# --------------------------------------------------------------------------- input sheets and columns
# The one table of Chinese labels for the input workbook: the template writes its sheet names and headers from it
# (:func:`input_sheet_title`, :func:`input_header_text`), the inputs echo and the other workbooks label input
# columns with it.  A column new in :mod:`landopt.schema` gets its Chinese label here.
#: Input sheet names in Chinese.
INPUT_SHEETS: dict[str, str] = {
    "settings": "运行设置", "regions": "规划区域", "land_uses": "地类", "baseline": "基期现状面积",
    "carbon_by_region": "分区域碳系数", "transitions": "地类转换规则", "targets": "规划目标",
    "grazing": "草畜平衡", "energy": "清洁能源", "area_bounds": "面积上下限", "sources": "数据来源",
    "scenarios": "情景", "scenario overrides": "情景调整", "carbon coefficients used": "采用的碳系数",
    "carbon_stocks": "碳库与净通量", "province_targets": "全域目标", "protected_land": "控制线内用地",
    "energy_bases": "清洁能源基地", "hydro_projects": "水电工程用地",
    "uncertainty": "不确定参数",
}
#: Input columns in Chinese (without the unit: :data:`INPUT_UNITS_ZH` gives it).
INPUT_COLUMNS: dict[str, str] = {
    "biomass_tC_per_ha": "生物量碳密度", "dom_tC_per_ha": "枯落物及枯死木碳密度", "soc_tC_per_ha": "土壤有机碳密度（0-30厘米）",
    "maturity_years": "达到成熟碳密度的年数", "soil_transition_years": "土壤碳过渡年数",
    "soil_change_pct": "土壤及枯落物碳储量差的实现比例",
    "biomass_loss_pct": "转换时原地类生物量的损失比例",
    "remaining_flux_tC_per_ha_yr": "保持原地类的净碳通量", "remaining_flux_includes_soil": "净碳通量是否即土壤碳积累",
    "ch4_kg_per_ha_yr": "甲烷排放", "new_land_ch4_kg_per_ha_yr": "新转入土地的甲烷排放", "note": "备注",
    "forest_cover_min_pct": "森林覆盖率目标", "budget_yuan": "时段财政投入上限",
    "cost_yuan_per_ha": "每公顷转换成本", "degraded_yield_kg_per_ha": "退化草地可食牧草产量",
    "restoration_pct_per_yr": "禁牧休牧退化草地年恢复比例", "rest_cost_yuan_per_ha_yr": "禁牧休牧补助",
    "reference_livestock_su": "基准情景牲畜存栏",
    "basic_farmland_min_ha": "永久基本农田保护面积", "eco_retirement_quota_ha": "生态退耕指标",
    "supplementary_cropland_potential_ha": "补充耕地潜力", "construction_max_ha": "建设用地总规模上限",
    "redline_ha": "生态保护红线内面积", "basic_grassland_ha": "基本草原面积", "in_urban_boundary_ha": "城镇开发边界内面积",
    # sandy land and forest growing stock (issue #13)
    "sandy_restoration_min_ha": "沙化土地治理面积下限（累计）", "forest_stock_min_m3": "森林蓄积量目标",
    "forest_stock_m3": "基期森林蓄积量", "forest_growth_m3_per_ha_yr": "现有林单位面积年蓄积增长",
    "young_forest_growth_m3_per_ha_yr": "新造林单位面积年蓄积增长",
    "urban_land_per_capita_max_m2": "人均城镇建设用地上限", "new_urban_land_per_capita_m2": "新增城镇建设用地人均标准",
    "redevelopment_potential_ha": "存量低效建设用地可盘活规模", "redevelopment_cost_yuan_per_ha": "盘活再开发成本",
    "economic_output_min_yuan_per_yr": "用地经济产出要求", "pv_capacity_min_mw": "全域光伏装机目标", "base": "基地编号", "min_mw": "基地光伏装机下限",
    "project": "工程编号", "year_in_service": "投产年份", "inundated_ha": "水库淹没面积", "construction_ha": "枢纽及施工用地",
    "key": "设置项", "value": "取值", "unit": "单位", "description": "说明",
    "region": "区域编号", "name_zh": "中文名称", "total_area_ha": "土地总面积", "adcode": "行政区划代码",
    "land_use": "地类编号", "role": "地类角色", "carbon_flux_tC_per_ha_yr": "碳通量（排放为正、碳汇为负）",
    "area_ha": "面积", "from_land_use": "转出地类", "to_land_use": "转入地类", "allowed": "是否允许",
    "max_pct_per_period": "每期最大转换比例", "year": "规划年份",
    "cropland_min_ha": "耕地保有量", "urban_boundary_ha": "城镇开发边界", "urban_population": "城镇人口",
    "urban_land_per_capita_m2": "人均城镇建设用地", "forest_min_ha": "林地面积下限",
    "wetland_min_ha": "湿地面积下限", "grassland_min_ha": "草地面积下限",
    "afforestation_potential_ha": "宜林未利用地面积",
    "forage_yield_kg_per_ha": "可食牧草产量", "utilisation_rate": "牧草合理利用率",
    "intake_kg_per_su_yr": "羊单位年采食量", "rest_min_ha": "禁牧休牧面积下限",
    "livestock_min_su": "牲畜数量下限", "ch4_kg_per_su_yr": "羊单位甲烷排放",
    "pv_suitable_ha": "光伏适宜面积", "pv_mw_per_ha": "单位面积光伏装机",
    "clean_capacity_min_mw": "清洁能源装机目标", "other_clean_capacity_mw": "其他清洁能源装机",
    "pv_mwh_per_mw_yr": "光伏年发电量", "grid_factor_tco2_per_mwh": "电网排放因子",
    "min_ha": "面积下限", "max_ha": "面积上限", "from_sheet": "来源工作表",
    "sheet": "工作表", "item": "项目", "source": "来源", "status": "状态（已核实/估算）", "note": "备注",
    "scenario": "情景名称", "parent": "上级情景", "column": "列名", "where": "行筛选条件", "operation": "操作",
    "output_yuan_per_ha_yr": "单位面积经济产出", "food_t_per_ha_yr": "单位面积粮食产量",
    "parameter": "参数", "low": "下限", "high": "上限", "distribution": "分布", "mode": "众数",
}
#: The schema's units (:attr:`landopt.schema.Column.unit`) in Chinese; no parentheses inside (headers put the unit
#: in parentheses).  A unit not listed here is shown as the schema writes it.
INPUT_UNITS_ZH: dict[str, str] = {
    "ha": "公顷", "t C/ha": "吨碳/公顷", "t C/ha/yr": "吨碳/公顷/年", "t/ha/yr": "吨/公顷/年",
    "kg CH4/ha/yr": "千克CH4/公顷/年", "kg CH4/SU/yr": "千克CH4/羊单位/年", "kg hay/ha/yr": "千克干草/公顷/年",
    "kg hay/SU/yr": "千克干草/羊单位/年", "SU": "羊单位", "MW": "兆瓦", "MW/ha": "兆瓦/公顷",
    "MWh/MW/yr": "兆瓦时/兆瓦/年", "t CO2/MWh": "吨CO2/兆瓦时", "m²/person": "平方米/人", "persons": "人",
    "year": "年", "years": "年", "yuan": "元", "yuan/ha": "元/公顷", "yuan/ha/yr": "元/公顷/年",
    "fraction": "0-1", "% of from-area": "%，占转出地类面积", "% of the stock difference": "%，占新旧地类碳储量差",
    "% of total area": "%，占土地总面积",
    "% of rested degraded area per year": "%/年，占禁牧休牧的退化草地", "as low/high": "同下限/上限",
    "as the column (or factor)": "同所调整的列或倍数", "yuan/yr": "元/年", "m³": "立方米", "m3": "立方米", "m³/ha/yr": "立方米/公顷/年",
}


def input_unit_zh(unit_text: str) -> str:
    """A schema unit in Chinese (``'ha'`` → ``'公顷'``); unknown units unchanged, parentheses made brackets."""
    zh = INPUT_UNITS_ZH.get(unit_text, unit_text)
    return zh.replace("(", "[").replace(")", "]").replace("（", "[").replace("）", "]")


def input_sheet_title(sheet: str) -> str:
    """An input sheet's name as the template writes it: ``'基期现状面积 baseline'`` (≤ 31 characters)."""
    zh = INPUT_SHEETS.get(sheet, "")
    text = f"{zh} {sheet}" if zh else sheet
    return text if len(text) <= 31 else sheet


def input_header_text(column: str, unit_text: str = "") -> str:
    """An input column's header as the template writes it: ``'耕地保有量 cropland_min_ha (公顷)'``.

    Chinese label, one space, the id, then the unit in Chinese in parentheses (none for text columns); the
    reader takes the id back out (:mod:`landopt.headers`).
    """
    zh = INPUT_COLUMNS.get(column, "")
    text = f"{zh} {column}" if zh else column
    unit_zh = input_unit_zh(unit_text) if unit_text else ""
    return f"{text} ({unit_zh})" if unit_zh else text


def input_column_label(column: str, written: str = "") -> str:
    """How tables and messages name an input column: its bilingual label (``'森林覆盖率目标 forest_cover_min_pct'``,
    holding the id the reader matches, without the unit the template adds), else the header as the input writes it
    (``written``), else the id."""
    if column in INPUT_COLUMNS:
        return f"{INPUT_COLUMNS[column]} {column}"
    return written or column


#: The settings sheet's keys in Chinese: key -> (name, what it means).  English descriptions: landopt.schema.SETTINGS_KEYS.
SETTINGS_ZH: dict[str, tuple[str, str]] = {
    "title": ("方案标题", "显示在各工作表标题中的方案名称"),
    "baseline_year": ("基期年", "基期现状面积的年份（如2019年，第三次全国国土调查）"),
    "milestone_years": ("规划年份", "基期之后的规划节点年份，逗号分隔（如2025,2030,2035），最后一个为目标年"),
    "objective_years": ("目标函数年份", "仅按目标年（target）或按各规划年份合计（all）最大化净碳汇（仅用于通量法）"),
    "include_avoided_emissions": ("是否计入光伏减排", "是否将光伏发电替代的排放计入净碳汇（是/否；仅用于通量法）"),
    "ch4_gwp": ("甲烷全球增温潜势", "甲烷的全球增温潜势，吨CO2e/吨CH4（IPCC第六次评估报告：27）"),
    "carbon_accounting": ("碳核算方法", "碳核算方法：stock_change = IPCC碳储量变化法，依据“碳库与净通量 carbon_stocks”表（最大化累计净碳汇，吨CO2e）；"
                          "flux = 按现状面积的单位面积通量法（吨CO2e/年，文献简化方法）；auto = 有碳库表时用储量变化法，否则用通量法"),
    "soil_transition_years": ("土壤碳过渡年数", "地类转换后土壤有机碳和枯落物碳由原地类储量过渡到新地类储量所需年数（IPCC默认20年）"),
    "accounting_end_year": ("核算截止年", "仅用于储量变化法：累计净碳汇计至该年末（不早于目标年，如2060年碳中和目标年）；目标年后用地保持"
                            "目标年状态、牲畜保持目标年数量，地类转换的后续碳变化计入至该年；空 = 目标年"),
    "memo_fossil_emissions_t_co2_per_yr": ("化石能源碳排放（备注）", "仅作备注、不计入目标函数：排放清单中本区域化石能源和水泥的CO2排放"
                                           "（吨CO2/年），与土地碳汇并列显示"),
    "area_tolerance_pct": ("面积容差", "区域基期各地类面积之和与土地总面积之间允许的最大差值，占土地总面积的百分比（%）"),
    "no_net_loss": ("不减少原则", "林地、湿地、草地面积下限为空时，该地类面积不低于基期面积（是/否）"),
    "families_off": ("关闭的约束族", "要关闭的约束族，逗号分隔（如 grazing_balance,energy_sites）"),
    "tie_break": ("同等最优方案的取舍", "多个方案净碳汇同样最大时采用哪一个：least_change = 变动最小的方案（地类转换不早于最优所需、不多于最优所需，"
                  "各地牲畜数量在规划年份之间变化最小，禁牧休牧优先安排在退化草地；在净碳汇保持最大的条件下再求解一次）；none = 求解器给出的第一个最优方案"),
    "solver_method": ("求解算法", "求解器 HiGHS 的算法：auto = 对偶单纯形法（各规模实测最快）；simplex = 单纯形法；ipm = 内点法并交叉"),
    "time_limit_s": ("求解时限", "求解器时间上限（秒）"),
    "farmland_balance": ("耕地占补平衡与进出平衡", "占用耕地须补充等量耕地：none = 不适用；region = 各区域分别平衡；"
                         "province = 全区统一平衡"),
}
