"""Every label landopt's workbooks show, in Chinese and English, and the sentences built from them.

A label is a ``(zh, en)`` pair; :func:`tr` renders it for a language option:

* ``"zh"``   — Chinese only,
* ``"en"``   — English only,
* ``"both"`` — Chinese first, then English (the default everywhere).

Terms follow the official vocabulary of 国土空间规划 (耕地保有量, 永久基本农田, 生态保护红线,
城镇开发边界, 草畜平衡, 禁牧休牧, 碳汇, 碳排放 ...).  Other writers (diagnosis, sweep, Pareto,
template) use :func:`tr`, :data:`UNITS`, :data:`INPUT_COLUMNS` and :func:`requirement_noun` so
that every workbook reads the same.  The input workbook's labels live in :mod:`landopt.schema.labels`
(re-exported here).
"""

from __future__ import annotations

import math
import re
from typing import Any, Literal, Mapping

from landopt.schema.base import ROLE_LABELS

Lang = Literal["zh", "en", "both"]
LANGS: tuple[str, ...] = ("zh", "en", "both")
DEFAULT_LANG: Lang = "both"
Label = tuple[str, str]  # (zh, en)


def check_lang(lang: str) -> Lang:
    """``lang`` if it is one of zh|en|both, else a ValueError naming the choices."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of zh, en, both; got {lang!r}")
    return lang  # type: ignore[return-value]


_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def split_title(title: str) -> tuple[str, str]:
    """A title written ``中文 English`` (as the settings sheet's ``title``) as ``(zh, en)``: the split is at the first
    space followed by a Latin letter after which no Chinese character follows, the title starting with a Chinese
    character; a title with no such split (one
    language only, or Chinese inside the English part) is returned as ``(title, title)``."""
    for m in re.finditer(r"\s+(?=[A-Za-z])", title):
        zh, en = title[:m.start()].strip(), title[m.end():].strip()
        if _CJK.match(zh) and not _CJK.search(en):
            return zh, en
    return title, title


def title_in(title: str, lang: str = DEFAULT_LANG) -> str:
    """The plan's title in ``lang`` (zh or en: its own part when it is written in both, :func:`split_title`)."""
    return title if lang == "both" else tr(split_title(title), lang)


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
    "t": ("吨", "t"),
    "10kt": ("万吨", "10 kt"),
    "Mt": ("百万吨", "Mt"),
    "10kt CO2e": ("万吨CO2e", "10 kt CO2e"),
    "Mt CO2e": ("百万吨CO2e", "Mt CO2e"),
    "t C/ha/yr": ("吨碳/公顷/年", "t C/ha/yr"),
    "t CO2e/ha": ("吨CO2e/公顷", "t CO2e/ha"),
    "%": ("%", "%"),
    "s": ("秒", "s"),
    "persons": ("人", "persons"),
    "yuan": ("元", "yuan"),
    "100m yuan": ("亿元", "100 million yuan"),
    "yuan/yr": ("元/年", "yuan/yr"),
    "m³": ("立方米", "m³"),
    "m3": ("立方米", "m³"),
    "year": ("年", "year"),
    "years": ("年", "years"),
    "t CO2e/t CH4": ("吨CO2e/吨CH4", "t CO2e/t CH4"),
    "t CO2/yr": ("吨CO2/年", "t CO2/yr"),
    "yuan/t CO2e": ("元/吨CO2e", "yuan/t CO2e"),
}
HA_PER_10K_MU = 10_000 / 15.0  # 1 ha = 15 亩 → 1 万亩 = 666.67 ha


def unit(u: str, lang: str = DEFAULT_LANG) -> str:
    """A unit in the language option (unknown units are returned unchanged): '公顷/ha'; a rate keeps its own slash and
    the two languages are parted by '；' ('万吨CO2e/年；10 kt CO2e/yr', which '/' would make read like a ratio)."""
    return unit_text(UNITS[u], lang) if u in UNITS else u


def unit_text(label: Label, lang: str = DEFAULT_LANG) -> str:
    """A (zh, en) unit in the language option: '公顷/ha', or '万吨CO2e/年；10 kt CO2e/yr' for a rate (its own slash
    kept, the languages parted by '；')."""
    zh, en = label
    return tr(label, lang, sep="；" if "/" in zh or "/" in en else "/")


def unit_words(u: str, lang: str = DEFAULT_LANG) -> str:
    """A unit as a word in a table cell: '公顷 ha', '羊单位 SU', '元 yuan' (unknown units unchanged)."""
    return tr(UNITS[u], lang) if u in UNITS else u


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
    "effect_exact": ("放宽1%可增碳汇（重新求解）", "sink gained by relaxing 1% (re-solved)"),
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
#: Chinese names by land-use role (used when the input has no name_zh for a land use): one table, in the schema.
ROLE_NAMES: dict[str, Label] = ROLE_LABELS

#: Objective terms: (sign in the net sink, zh, en).
TERMS: dict[str, Label] = {
    "sequestration": ("非建设用地净固碳（碳汇）", "net sequestration by non-construction land"),
    "construction_emissions": ("建设用地碳排放", "emissions from construction land"),
    "livestock_ch4": ("牲畜肠道甲烷排放（CO2当量）", "livestock enteric methane (CO2e)"),
    "avoided_emissions": ("光伏发电减排量", "emissions avoided by PV power"),
    "standing_land": ("保持原地类土地的净碳汇（含甲烷）", "land remaining in its baseline use (flux and CH4)"),
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
    "grassland_floor": ("草地面积下限", "grassland floor"),
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
    "livestock_layout": ("宜牧则牧（全区牲畜布局）", "livestock layout"),
    "forest_cover": ("森林覆盖率", "forest cover"),
    "farmland": ("耕地保护制度", "farmland protection"),
    "protection": ("生态保护红线与基本草原", "ecological red line and basic grassland"),
    "construction_cap": ("建设用地总规模", "total construction land"),
    "economic_output": ("用地经济产出", "land-based economic output"),
    "budget": ("资金约束", "public budget"),
    "desertification_control": ("防沙治沙", "desertification control"),
    "forest_stock": ("森林蓄积量", "forest growing stock"),
    "redevelopment": ("存量建设用地盘活", "redevelopment of inefficient construction land"),
    "energy_bases": ("清洁能源基地", "clean-energy bases"),
    "hydro": ("水电工程用地", "hydropower land"),
}

#: Decision variables (kinds of :mod:`landopt.model.columns`): what one unit of each is, and its unit.
VARIABLES: dict[str, tuple[Label, str]] = {
    "area": (("地类面积", "area of a land use"), "ha"),
    "flow": (("地类转换面积", "area converted"), "ha"),
    "livestock": (("牲畜存栏", "livestock carried"), "SU"),
    "grazed": (("放牧草地", "grassland open to grazing"), "ha"),
    "rested": (("禁牧休牧草地", "grassland under grazing ban or rest"), "ha"),
    "rested_degraded": (("禁牧休牧的退化草地", "degraded grassland under grazing ban or rest"), "ha"),
    "redevelop": (("存量建设用地盘活", "redevelopment of inefficient construction land"), "ha"),
}


def family_name(family: str, lang: str = DEFAULT_LANG) -> str:
    """A constraint family in planning words: '草畜平衡 grass-livestock balance' (an unknown family as its id)."""
    return tr(FAMILIES[family], lang) if family in FAMILIES else str(family)


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
# The Chinese labels of the input workbook live in :mod:`landopt.schema.labels` (re-exported here).
from landopt.schema.labels import (INPUT_COLUMNS, INPUT_SHEETS, INPUT_UNITS_ZH, SETTINGS_ZH,  # noqa: E402,F401
                                   input_column_label, input_header_text, input_sheet_title, input_unit_zh)


def input_header(column: str, unit_text: str = "", lang: str = "both") -> str:
    """'耕地保有量 cropland_min_ha（公顷 ha）': an input column's header in the echo, its unit Chinese first as the
    settings beside it write theirs (a unit :data:`INPUT_UNITS_ZH` does not know is shown as the schema writes it)."""
    zh = INPUT_COLUMNS.get(column, "")
    text = tr((zh, column), lang) if zh else column
    if unit_text and unit_text != column:
        unit_zh = INPUT_UNITS_ZH.get(unit_text)
        shown = tr((unit_zh, unit_text), lang) if unit_zh else unit_text
        text += f"（{shown}）" if lang != "en" else f" ({shown})"
    return text


# --------------------------------------------------------------------------- numbers and sentences
def num(x: float, digits: int = 4) -> str:
    """``x`` with ``digits`` significant figures, thousands separators and a true minus sign (−)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if x == 0:  # no sign on zero ('−0' from a negative zero, '+0')
        return "0"
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
    if ok(land_use):  # a land use, or a conversion 'from→to'
        zh_parts.append("→".join(lu_names.get(u) or u for u in str(land_use).split("→")))
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
        return ("累计净碳汇", "the cumulative net removals"), ("吨CO2e", "t CO2e")
    return ("净碳汇", "the net sink"), ("吨CO2e/年", "t CO2e/yr")


def requirement_at(constraint: str, lever: str | None, region: Any, year: Any, land_use: Any,
                   names: Mapping[str, str], lu_names: Mapping[str, str], lang: str) -> tuple[Label, Label]:
    """A requirement's noun and the place a row of it applies to, as :func:`requirement_noun` and :func:`place` give
    them; a region-wide noun (全区牲畜存栏总量要求) takes the place without its own 全区 ('全区 2025年 全区…' once)."""
    noun, (where_zh, where_en) = requirement_noun(constraint, lever), place(region, year, land_use, names, lu_names,
                                                                            lang)
    if noun[0].startswith("全区") and where_zh.startswith("全区"):
        where_zh = where_zh[len("全区"):].strip()
    return noun, (where_zh, where_en)


def shadow_sentence(constraint: str, lever: str | None, unit_code: str, price: float, region: Any, year: Any,
                    land_use: Any, names: Mapping[str, str], lu_names: Mapping[str, str],
                    lang: str = DEFAULT_LANG, objective_unit: str = "t CO2e/yr", one_way: bool = False,
                    per_input: float | None = None) -> str:
    """'拉萨市 2035年 耕地保有量每增加1公顷，累计净碳汇变化 −3.678 吨CO2e' (and the English after it).  ``one_way``: the
    price holds only for a lower value (``landopt.results.price_holds_one_way``): '至多增加' / '至少减少'.
    ``per_input``: for a requirement typed in another unit than its rows' (``Meaning.input_step``: m²/person,
    percentage points), the rhs units in one step of it; the sentence then also gives the change per step."""
    (noun_zh, noun_en), (where_zh, where_en) = requirement_at(constraint, lever, region, year, land_use, names, lu_names,
                                                              lang)
    u_zh, u_en = UNITS.get(unit_code, (unit_code, unit_code))
    (what_zh, what_en), (ou_zh, ou_en) = objective_words(objective_unit)
    from landopt.constraint_table import change_words

    p, a = num(price), num(abs(price)).lstrip("+")
    en = f"One more {u_en} of {noun_en} in {where_en} " + change_words(price, what_en, ou_en, one_way, signed=p,
                                                                      magnitude=a)
    # a degenerate plan (one_way): the price holds only below the current value; no LP jargon ("degenerate", 退化)
    # in words a planner reads: 退化 would read as land degradation
    change_zh = (f"变化 {p}" if not one_way else f"至多增加 {a}" if price >= 0 else f"至少减少 {a}")
    why_zh = "" if not one_way else ("（该影子价格只对减少约束值成立，增加时实际增量可能更小）" if price >= 0
                                     else "（该影子价格只对减少约束值成立，增加时实际代价可能更大）")
    zh = f"{where_zh} {noun_zh}每增加1{u_zh}，{what_zh}{change_zh} {ou_zh}{why_zh}".strip()
    from landopt.model.families import MEANINGS

    step = MEANINGS[constraint].input_step if constraint in MEANINGS else None
    if step is not None and per_input is not None and per_input == per_input:
        q = num(price * per_input)
        zh += f"（即{step[0]}，变化 {q} {ou_zh}）"
        en += f" (i.e. {q} {ou_en} per {step[1]})"
    return tr((zh, en), lang, sep="；")
