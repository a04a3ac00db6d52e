"""Every label landopt's workbooks show, in Chinese and English, and the sentences built from them.

A label is a ``(zh, en)`` pair; :func:`tr` renders it for a language option:

* ``"zh"``   — Chinese only,
* ``"en"``   — English only,
* ``"both"`` — Chinese first, then English (the default everywhere).

Terms follow the official vocabulary of 国土空间规划 (耕地保有量, 永久基本农田, 生态保护红线,
城镇开发边界, 草畜平衡, 禁牧休牧, 碳汇, 碳排放 ...).  Other writers (diagnosis, sweep, Pareto,
template) use :func:`tr`, :data:`UNITS`, :data:`INPUT_COLUMNS` and :func:`requirement_noun` so
that every workbook reads the same.
"""

from __future__ import annotations

import math
from typing import Any, Literal, Mapping

Lang = Literal["zh", "en", "both"]
LANGS: tuple[str, ...] = ("zh", "en", "both")
DEFAULT_LANG: Lang = "both"
Label = tuple[str, str]  # (zh, en)


def check_lang(lang: str) -> Lang:
    """``lang`` if it is one of zh|en|both, else a ValueError naming the choices."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of zh, en, both; got {lang!r}")
    return lang  # type: ignore[return-value]


def tr(label: Label | str, lang: str = DEFAULT_LANG, sep: str = " ") -> str:
    """Render a ``(zh, en)`` label (a plain string is returned as it is)."""
    if isinstance(label, str):
        return label
    zh, en = label
    if lang == "zh":
        return zh or en
    if lang == "en":
        return en or zh
    if not zh or zh == en:
        return en
    if not en:
        return zh
    return f"{zh}{sep}{en}"


def sheet_name(key: str, lang: str = DEFAULT_LANG) -> str:
    """The worksheet name for ``key`` (≤ 31 characters, none of []:*?/\\)."""
    zh, en = SHEETS[key]
    return tr((zh, en), lang)[:31]


# --------------------------------------------------------------------------- units
UNITS: dict[str, Label] = {
    "ha": ("公顷", "ha"),
    "mu10k": ("万亩", "10k mu"),
    "SU": ("羊单位", "SU"),
    "MW": ("兆瓦", "MW"),
    "MWh/yr": ("兆瓦时/年", "MWh/yr"),
    "t CO2e/yr": ("吨CO2e/年", "t CO2e/yr"),
    "10kt CO2e/yr": ("万吨CO2e/年", "10 kt CO2e/yr"),
    "Mt CO2e/yr": ("百万吨CO2e/年", "Mt CO2e/yr"),
    "t CO2e": ("吨CO2e", "t CO2e"),
    "10kt CO2e": ("万吨CO2e", "10 kt CO2e"),
    "Mt CO2e": ("百万吨CO2e", "Mt CO2e"),
    "t C/ha/yr": ("吨碳/公顷/年", "t C/ha/yr"),
    "%": ("%", "%"),
    "s": ("秒", "s"),
    "persons": ("人", "persons"),
    "yuan": ("元", "yuan"),
    "100m yuan": ("亿元", "100 million yuan"),
}
HA_PER_10K_MU = 10_000 / 15.0  # 1 ha = 15 亩 → 1 万亩 = 666.67 ha


def unit(u: str, lang: str = DEFAULT_LANG) -> str:
    """A unit in the language option (unknown units are returned unchanged)."""
    return tr(UNITS[u], lang, sep="/") if u in UNITS else u


def with_unit(label: Label, u: str, lang: str = DEFAULT_LANG) -> str:
    """'面积 area（公顷/ha）' — a header with its unit."""
    text = tr(label, lang)
    if not u:
        return text
    return f"{text}（{unit(u, lang)}）" if lang != "en" else f"{text} ({unit(u, lang)})"


# --------------------------------------------------------------------------- sheets
SHEETS: dict[str, Label] = {
    "brief": ("摘要", "brief"),
    "maps": ("地图", "maps"),
    "allocation": ("土地配置", "allocation"),
    "allocation_all": ("用地明细", "allocation detail"),
    "conversions": ("地类转换", "conversions"),
    "carbon": ("碳账户", "carbon"),
    "carbon_all": ("碳账户明细", "carbon detail"),
    "grazing": ("草畜平衡", "grazing"),
    "energy": ("清洁能源", "energy"),
    "forest_stock": ("森林蓄积", "forest stock"),
    "constraints": ("约束与影子价格", "constraints"),
    "sensitivity": ("敏感性", "sensitivity"),
    "inputs": ("输入数据", "inputs"),
    "run": ("运行信息", "run"),
}

# --------------------------------------------------------------------------- common words
W: dict[str, Label] = {
    "region": ("区域", "region"),
    "region_id": ("区域编号", "region id"),
    "land_use": ("地类", "land use"),
    "land_use_id": ("地类编号", "land-use id"),
    "from": ("转出地类", "from"),
    "to": ("转入地类", "to"),
    "year": ("年份", "year"),
    "period_start": ("起始年", "period start"),
    "period_end": ("截止年", "period end"),
    "baseline": ("基期", "baseline"),
    "area": ("面积", "area"),
    "change": ("变化", "change"),
    "change_pct": ("变化率", "change"),
    "total": ("合计", "total"),
    "net": ("净变化", "net"),
    "item": ("项目", "item"),
    "value": ("数值", "value"),
    "unit": ("单位", "unit"),
    "note": ("说明", "note"),
    "sheet": ("工作表", "sheet"),
    "contents": ("内容", "contents"),
    "term": ("分项", "term"),
    "sign": ("符号", "sign"),
    "amount": ("数量", "amount"),
    "contribution": ("对净碳汇的贡献", "contribution to the net sink"),
    "net_sink": ("净碳汇", "net carbon sink"),
    "requirement": ("约束", "requirement"),
    "meaning": ("含义", "meaning"),
    "shadow_price": ("影子价格", "shadow price"),
    "per_unit": ("每单位约束值", "per unit of the requirement"),
    "rhs": ("约束值", "requirement value"),
    "total_effect": ("放宽1%可增碳汇（上限）", "sink gained by relaxing 1% (upper bound)"),
    "effect_low": ("其中影子价格有效范围内（下限）", "of which where the price holds (lower bound)"),
    "sense": ("关系", "sense"),
    "activity": ("实际值", "activity"),
    "slack": ("余量", "slack"),
    "binding": ("起作用", "binding"),
    "policy": ("政策约束", "policy"),
    "family": ("约束族", "family"),
    "src_sheet": ("来源工作表", "source sheet"),
    "src_row": ("来源行", "source row"),
    "src_column": ("来源列", "source column"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "none": ("无", "none"),
    "status": ("状态", "status"),
    "verified": ("已核实", "verified"),
    "estimate": ("估算", "estimate"),
    "coefficient": ("碳系数", "coefficient"),
    "lower": ("方案不变的下限", "plan unchanged from"),
    "upper": ("方案不变的上限", "plan unchanged up to"),
    "robust": ("配置稳健（±{pct}%）", "allocation robust (±{pct}%)"),
    "verdict": ("解读", "what it means"),
    "price_from": ("影子价格成立下限", "shadow price holds from"),
    "price_to": ("影子价格成立上限", "shadow price holds up to"),
    "option": ("未采用方案", "option left unused"),
    "reduced_cost": ("检验数", "reduced cost"),
    "kind": ("类型", "kind"),
    "rank": ("排序", "rank"),
    "more_rows": ("工作簿仅列出前 {shown:,} 行（共 {total:,} 行）；完整表格见 {file}",
                  "the workbook lists the first {shown:,} of {total:,} rows; the full table is in {file}"),
}

# --------------------------------------------------------------------------- land uses, terms, requirements
#: Chinese names by land-use role (used when the input has no name_zh for a land use).
ROLE_NAMES: dict[str, Label] = {
    "cropland": ("耕地", "cropland"),
    "garden": ("园地", "garden land"),
    "forest": ("林地", "forest"),
    "grassland": ("草地", "grassland"),
    "wetland": ("湿地", "wetland"),
    "water": ("水域", "water"),
    "urban": ("城镇建设用地", "urban construction land"),
    "rural": ("村庄建设用地", "rural settlements"),
    "other_construction": ("交通采矿及其他建设用地", "other construction land"),
    "pv": ("光伏用地", "PV land"),
    "unused": ("其他土地/未利用地", "unused land"),
    "sandy": ("沙化土地", "sandy land"),
}

#: Objective terms: (sign in the net sink, zh, en).
TERMS: dict[str, Label] = {
    "sequestration": ("非建设用地净固碳（碳汇）", "net sequestration by non-construction land"),
    "construction_emissions": ("建设用地碳排放", "emissions from construction land"),
    "livestock_ch4": ("牲畜肠道甲烷排放（CO2当量）", "livestock enteric methane (CO2e)"),
    "avoided_emissions": ("光伏发电减排量", "emissions avoided by PV power"),
    "standing_land": ("保持原地类土地的净吸收（含甲烷）", "land remaining in its baseline use (flux and CH4)"),
    "biomass_loss": ("地类转换损失的生物量碳", "biomass lost by converted land"),
    "biomass_growth": ("转换后新地类的生物量碳增长", "biomass growth of converted land"),
    "soil_dom_change": ("转换土地的土壤及枯落物碳变化", "soil and dead organic matter change of converted land"),
    "remaining_change": ("转换土地净通量的得失", "remaining-land flux gained minus forgone"),
    "land_ch4_change": ("转换土地甲烷排放变化（CO2当量）", "methane change of converted land (CO2e)"),
    "net_sink": ("净碳汇", "net carbon sink"),
}

#: Constraint (row block) → the requirement in planning vocabulary: (zh, en).
REQUIREMENTS: dict[str, Label] = {
    "cropland_protection": ("耕地保有量", "cropland red line"),
    "urban_boundary": ("城镇开发边界", "urban development boundary"),
    "urban_demand": ("城镇建设用地需求", "urban land demand"),
    "forest_floor": ("林地保有量", "forest floor"),
    "grassland_floor": ("基本草原面积下限", "basic grassland floor"),
    "wetland_floor": ("湿地保护面积下限", "wetland floor"),
    "clean_capacity": ("清洁能源装机目标", "clean-energy capacity target"),
    "pv_suitability": ("光伏适宜用地面积", "PV-suitable land"),
    "grazing_capacity": ("草畜平衡（理论载畜量）", "grass-livestock balance (carrying capacity)"),
    "grazing_rest": ("禁牧休牧面积下限", "required grazing ban/rest area"),
    "livestock_floor": ("牲畜存栏下限", "livestock floor"),
    "afforestation_limit": ("宜林地造林潜力", "afforestation potential"),
    "conversion_rate": ("地类转换比例上限", "allowed conversion"),
    "area_min": ("地类面积下限", "minimum area"),
    "area_max": ("地类面积上限", "maximum area"),
    "stock_flow": ("地类面积平衡", "land-use area balance"),
    "area_total": ("区域土地总面积", "total regional area"),
    "grassland_split": ("草地放牧/禁牧休牧划分", "grassland split"),
}

FAMILIES: dict[str, Label] = {
    "cropland_protection": ("耕地保护", "cropland protection"),
    "urban_boundary": ("城镇开发边界", "urban development boundary"),
    "ecological_floors": ("生态保护底线", "ecological floors"),
    "energy_sites": ("清洁能源选址", "clean-energy siting"),
    "grazing_balance": ("草畜平衡", "grass-livestock balance"),
    "transitions": ("地类转换", "land-use conversions"),
    "area_bounds": ("面积上下限", "area bounds"),
    "area_balance": ("面积平衡", "area balance"),
}


def requirement_noun(constraint: str, lever: str | None = None) -> Label:
    """The requirement a constraint row expresses, in planning vocabulary: this module's table, else the noun its
    family declares (``CONSTRAINTS`` → :data:`landopt.model.families.MEANINGS`), else its English lever."""
    if constraint in REQUIREMENTS:
        return REQUIREMENTS[constraint]
    from landopt.model.families import MEANINGS

    m = MEANINGS.get(constraint)
    if m is not None:
        return (m.noun_zh, m.noun)
    en = str(lever or constraint).replace("_", " ")
    return (en, en)


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
    "carbon_stocks": "碳库与净通量", "province_targets": "全域目标", "protected_land": "生态保护红线与基本草原",
    "energy_bases": "清洁能源基地", "hydro_projects": "水电工程用地",
    "uncertainty": "不确定参数",
}
#: Input columns in Chinese (without the unit: :data:`INPUT_UNITS_ZH` gives it).
INPUT_COLUMNS: dict[str, str] = {
    "biomass_tC_per_ha": "生物量碳密度", "dom_tC_per_ha": "枯落物及枯死木碳密度", "soc_tC_per_ha": "土壤有机碳密度（0-30厘米）",
    "maturity_years": "达到成熟碳密度的年数", "soil_transition_years": "土壤碳过渡年数",
    "remaining_flux_tC_per_ha_yr": "保持原地类的净碳通量", "ch4_kg_per_ha_yr": "甲烷排放", "note": "备注",
    "forest_cover_min_pct": "森林覆盖率目标", "budget_yuan": "时段财政投入上限",
    "cost_yuan_per_ha": "每公顷转换成本", "degraded_yield_kg_per_ha": "退化草地可食牧草产量",
    "restoration_pct_per_yr": "禁牧休牧退化草地年恢复比例", "rest_cost_yuan_per_ha_yr": "禁牧休牧补助",
    "reference_livestock_su": "基准情景牲畜存栏",
    "basic_farmland_min_ha": "永久基本农田保护面积", "eco_retirement_quota_ha": "生态退耕指标",
    "supplementary_cropland_potential_ha": "补充耕地潜力", "construction_max_ha": "建设用地总规模上限",
    "redline_ha": "生态保护红线内面积", "basic_grassland_ha": "基本草原面积",
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
    "wetland_min_ha": "湿地面积下限", "grassland_min_ha": "基本草原面积下限",
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
    "fraction": "0-1", "% of from-area": "%，占转出地类面积", "% of total area": "%，占土地总面积",
    "% of rested degraded area per year": "%/年，占禁牧休牧的退化草地", "as low/high": "同下限/上限",
    "as the column (or factor)": "同所调整的列或倍数", "yuan/yr": "元/年", "m³": "立方米", "m³/ha/yr": "立方米/公顷/年",
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


def input_header(column: str, unit_text: str = "", lang: str = DEFAULT_LANG) -> str:
    """'耕地保有量 cropland_min_ha（ha）': an input column's header in the echo."""
    zh = INPUT_COLUMNS.get(column, "")
    text = tr((zh, column), lang) if zh else column
    if unit_text and unit_text != column:
        text += f"（{unit_text}）" if lang != "en" else f" ({unit_text})"
    return text


# --------------------------------------------------------------------------- numbers and sentences
def num(x: float, digits: int = 4) -> str:
    """``x`` with ``digits`` significant figures, thousands separators and a true minus sign (−)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    s = f"{x:+,.{digits}g}" if abs(x) < 10 ** digits else f"{x:+,.0f}"
    return s.replace("-", "−")


def place(region: Any, year: Any, land_use: Any, names: Mapping[str, str], lu_names: Mapping[str, str],
          lang: str) -> Label:
    """('拉萨市 2035年 林地', 'Lhasa forest (2035)'): where a row applies, blanks left out."""
    def ok(v: Any) -> bool:
        return v is not None and v == v and str(v) != ""

    zh_parts, en_parts = [], []
    if ok(region):
        zh_parts.append(names.get(str(region)) or str(region))
        en_parts.append(str(region))
    if ok(year):
        zh_parts.append(f"{int(year)}年")
    if ok(land_use):
        zh_parts.append(lu_names.get(str(land_use)) or str(land_use))
        en_parts.append(str(land_use))
    if not ok(region):  # a row on the sum of all regions (forest cover, budget, the region-wide herd)
        zh_parts.insert(0, "全区")
        en_parts.insert(0, "all regions")
    en = " ".join(en_parts) + (f" ({int(year)})" if ok(year) else "")
    return " ".join(zh_parts), en.strip()


def objective_words(objective_unit: str = "t CO2e/yr") -> tuple[Label, Label]:
    """What a shadow price changes and its unit: the cumulative net removals (t CO2e) in stock-change accounting,
    the net sink (t CO2e/yr) in flux accounting."""
    if objective_unit == "t CO2e":
        return ("累计净吸收", "the cumulative net removals"), ("吨CO2e", "t CO2e")
    return ("净碳汇", "the net sink"), ("吨CO2e/年", "t CO2e/yr")


def shadow_sentence(constraint: str, lever: str | None, unit_code: str, price: float, region: Any, year: Any,
                    land_use: Any, names: Mapping[str, str], lu_names: Mapping[str, str],
                    lang: str = DEFAULT_LANG, objective_unit: str = "t CO2e/yr") -> str:
    """'拉萨市 2035年 耕地保有量每增加1公顷，累计净吸收变化 −3.678 吨CO2e' (and the English after it)."""
    noun_zh, noun_en = requirement_noun(constraint, lever)
    where_zh, where_en = place(region, year, land_use, names, lu_names, lang)
    u_zh, u_en = UNITS.get(unit_code, (unit_code, unit_code))
    (what_zh, what_en), (ou_zh, ou_en) = objective_words(objective_unit)
    p = num(price)
    zh = f"{where_zh} {noun_zh}每增加1{u_zh}，{what_zh}变化 {p} {ou_zh}".strip()
    en = f"One more {u_en} of {noun_en} in {where_en} changes {what_en} by {p} {ou_en}"
    return tr((zh, en), lang, sep="；")
