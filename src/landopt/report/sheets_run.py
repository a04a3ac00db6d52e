"""Plan workbook sheets about the run: the inputs it was computed from (输入数据 inputs) and how it was computed
(运行信息 run) — every key, setting and unit Chinese first."""

from __future__ import annotations

from typing import Any

import pandas as pd

from landopt.report.context import HEADER_ROW, Ctx
from landopt.report.i18n import INPUT_SHEETS, UNITS, W, input_header, tr, unit_words
from landopt.schema.labels import SETTINGS_ZH
from landopt.schema.base import SETTINGS_UNITS
from landopt.report.xlsx import FMT_2, FMT_INT, FMT_YEAR, write_note, write_table, write_title
from landopt.report.xlsx_blocks import write_items
from landopt.schema import SHEETS as INPUT_SCHEMA


def inputs(ctx: Ctx) -> None:
    spec = ctx.result.spec
    ws = ctx.sheet("inputs")
    ctx.title(ws, "inputs", (f"本方案所用的输入数据：{spec.input_path or '内存中的表格'}（SHA-256 {spec.input_sha256[:16]}…），情景 {spec.scenario or 'base'}。",
                             f"The inputs this plan was computed from: {spec.input_path or 'in-memory tables'} "
                             f"(SHA-256 {spec.input_sha256[:16]}…), scenario {spec.scenario or 'base'}."))
    blocks: list[tuple[str, pd.DataFrame]] = [("settings", _settings_table(spec, ctx.lang))]
    for name in ("regions", "land_uses", "baseline"):
        blocks.append((name, getattr(spec, name)))
    if spec.settings.get("carbon_accounting") == "stock_change":  # the per-hectare fluxes are not used: not shown
        blocks.append(("carbon_stocks", spec.stocks))
    else:
        carbon = spec.carbon.rename(columns={"sheet": "from_sheet"}) if not spec.carbon.empty else spec.carbon
        blocks.append(("carbon coefficients used", carbon))
    for name in ("transitions", "province_targets", "targets", "grazing", "energy", "energy_bases", "hydro_projects",
                 "protected_land", "area_bounds"):
        blocks.append((name, getattr(spec, name)))
    if spec.overrides is not None and not spec.overrides.empty:
        blocks.append(("scenario overrides", spec.overrides))
    if spec.sources is not None and not spec.sources.empty:
        blocks.append(("sources", spec.sources))
    r = HEADER_ROW - 1
    for title, df in blocks:
        key = "carbon_by_region" if title == "carbon coefficients used" else title
        schema = INPUT_SCHEMA.get(key)
        write_title(ctx.book, ws, r, ctx.t((INPUT_SHEETS.get(title, title), title)), level=2)
        df = df[[c for c in df.columns if not str(c).startswith("_")]]
        if df.empty:
            r = write_note(ctx.book, ws, r + 1, ctx.t(("（无数据）", "(no rows)"))) + 1
            continue
        units = {c.name: c.unit for c in schema.columns} if schema else {}
        heads = {c: input_header(c, units.get(c, ""), ctx.lang) for c in df.columns}
        blk = write_table(ctx.book, ws, df, r + 1, name=f"Input_{title.replace(' ', '_')}", headers=heads, cap=ctx.cap_rows,
                          wrap={"key": 30.0} if title == "settings" else None,
                          full_name=f"input_{title.replace(' ', '_')}", formats={"year": FMT_YEAR, "utilisation_rate": "0.00"})
        r = blk.end_row + 2


def _settings_table(spec: Any, lang: str) -> pd.DataFrame:
    """The settings used, one row per key: the key and its meaning Chinese first, the value, the unit."""
    from landopt.schema import SETTINGS_KEYS

    rows = []
    for key, (_kind, _default, desc) in SETTINGS_KEYS.items():
        v = spec.settings.get(key)
        if isinstance(v, bool):
            v = tr(W["yes"] if v else W["no"], lang)
        elif isinstance(v, (set, frozenset, tuple, list)):
            v = ",".join(sorted(map(str, v)) if isinstance(v, (set, frozenset)) else map(str, v))
        name_zh, desc_zh = SETTINGS_ZH.get(key, ("", ""))
        unit = SETTINGS_UNITS.get(key, "")  # in the key's cell: a unit column would widen every table of the sheet
        rows.append((tr((name_zh, key), lang) + (f"（{unit_words(unit, lang)}）" if unit else ""),
                     v if v is None or isinstance(v, (int, float)) else str(v), tr((desc_zh, desc), lang)))
    return pd.DataFrame(rows, columns=["key", "value", "description"])


#: What a run records beyond the fixed rows of :func:`run` (``PlanResult.metadata``): key -> (label, unit code).
RUN_KEYS: dict[str, tuple[tuple[str, str], str]] = {
    "objective_unit": (("目标函数单位", "objective unit"), ""),
    "carbon_accounting": (("碳核算方法", "carbon accounting"), ""),
    "backend": (("建模接口", "modelling backend"), ""),
    "public_cost_yuan": (("公共财政投入（全部时段合计）", "public cost, all periods"), "yuan"),
    "memo_fossil_emissions_t_co2_per_yr": (("化石能源和水泥CO2排放（备注，不计入目标函数）",
                                            "fossil-energy and cement CO2 (memo, not in the objective)"), "t CO2/yr"),
    "memo_pv_avoided_t_co2_per_yr": (("目标年光伏发电减排量（备注）", "CO2 avoided by PV in the target year (memo)"),
                                     "t CO2/yr"),
    "horizon": (("核算期", "accounting period"), "years"),
    "accounting_end_year": (("核算截止年", "accounting end year"), "year"),
    "annual_end_t_co2e_per_yr": (("核算截止年净碳汇", "net removals in the accounting end year"), "t CO2e/yr"),
    "cumulative_t_co2e": (("累计净碳汇", "cumulative net removals"), "t CO2e"),
    "annual_target_t_co2e_per_yr": (("目标年净碳汇", "net removals in the target year"), "t CO2e/yr"),
    "reference_cumulative_t_co2e": (("基准情景累计净碳汇", "reference pathway, cumulative"), "t CO2e"),
    "reference_annual_t_co2e_per_yr": (("基准情景目标年净碳汇", "reference pathway, target year"), "t CO2e/yr"),
    "additional_t_co2e": (("方案新增碳汇（累计，相对基准情景）", "additional removals against the reference, cumulative"),
                          "t CO2e"),
    "additional_annual_t_co2e_per_yr": (("方案新增碳汇（目标年）", "additional removals in the target year"), "t CO2e/yr"),
    "standing_t_co2e": (("保持原地类土地的累计净碳汇", "land remaining in its baseline use, cumulative"), "t CO2e"),
    "reference_pathway": (("基准情景", "reference pathway"), ""),
    "objective_replaced": (("目标函数已由用户在 Pyomo 中替换", "objective replaced by the user in Pyomo"), ""),
    "tie_break": (("同等最优方案的取舍", "which of the equally good plans"), ""),
    "tie_break_seconds": (("变动最小方案求解耗时", "least-change solve time"), "s"),
    "user_constraints": (("用户在 Pyomo 中添加的约束", "constraints the user added in Pyomo"), ""),
}
#: Values a run records in English, in Chinese first.
RUN_VALUES: dict[str, tuple[str, str]] = {
    "optimal": ("最优", "optimal"), "stock_change": ("IPCC碳储量变化法", "IPCC stock change"),
    "flux": ("单位面积通量法", "per-hectare flux"), "simplex": ("单纯形法", "simplex"), "ipm": ("内点法", "interior point"),
    "none": ("无", "none"),
    "least_change": ("变动最小的方案（转换不早于、不多于最优所需；牲畜数量变化最小；禁牧休牧优先安排在退化草地；"
                     "光伏按适宜用地等比例布局）",
                     "the least-change plan (no conversion earlier or larger than the optimum needs; herds move least; "
                     "ban/rest on degraded grassland first; PV spread by the PV-suitable land)"),
    "skipped": ("未求（模型超过50,000个变量：求解器给出的第一个最优方案）", "not sought (over 50,000 variables: the solver's first optimal plan)"),
    "failed": ("未求得（求解器给出的第一个最优方案）", "not found (the solver's first optimal plan)"),
    "land use frozen at the baseline (no conversions), the reference herd (grazing.reference_livestock_su)": (
        "土地利用保持基期不变（无地类转换），牲畜为基准存栏（草畜平衡 grazing 表 reference_livestock_su 列）",
        "land use frozen at the baseline (no conversions), the reference herd (grazing.reference_livestock_su)"),
    "land use frozen at the baseline (no conversions), the plan's own herd": (
        "土地利用保持基期不变（无地类转换），牲畜为本方案存栏", "land use frozen at the baseline (no conversions), the plan's own herd"),
}


def _value(v: Any, lang: str) -> Any:
    """A recorded value as the planner reads it: known English words Chinese first, units in words."""
    if isinstance(v, str) and v in RUN_VALUES:
        return tr(RUN_VALUES[v], lang)
    if isinstance(v, str) and v in UNITS:
        return unit_words(v, lang)
    return v


def run(ctx: Ctx) -> None:
    res, spec, meta = ctx.result, ctx.result.spec, ctx.result.metadata
    ws = ctx.sheet("run")
    ctx.title(ws, "run", ("本方案的计算方式：求解器、耗时、模型规模、输入文件与情景。", "How this plan was computed: solver, timings, size, input and scenario."))
    solver = str(meta.get("solver") or "HiGHS")
    name, _, version = solver.partition(" ")
    T, U, lang = ctx.t, (lambda code: unit_words(code, ctx.lang)), ctx.lang
    items = [
        (T(("求解状态", "status")), _value(res.status, lang), "", None), (T(("说明", "message")), res.message, "", None),
        (T(("目标函数（净碳汇）", "objective (net sink)")), res.objective, U(meta.get("objective_unit", "t CO2e/yr")), FMT_2),
        (T(("目标函数年份", "objective years")),
         meta.get("horizon") if meta.get("carbon_accounting") == "stock_change" else meta.get("objective_years"), "", None),
        (T(("甲烷全球增温潜势", "CH4 global warming potential")), spec.settings.get("ch4_gwp"), U("t CO2e/t CH4"), None),
        (T(("是否计入光伏减排", "avoided emissions credited")), bool(spec.settings.get("include_avoided_emissions")), "", None),
        (T(("求解器", "solver")), name, "", None), (T(("求解器版本", "solver version")), version or "unknown", "", None),
        (T(("算法", "method")), _value(meta.get("method"), lang), "", None),
        (T(("建模耗时", "build time")), meta.get("build_seconds"), U("s"), "0.000"),
        (T(("编译耗时", "compile time")), meta.get("compile_seconds"), U("s"), "0.000"),
        (T(("求解耗时", "solve time")), meta.get("solve_seconds"), U("s"), "0.000"),
        (T(("变量数", "variables")), meta.get("variables"), "", FMT_INT),
        (T(("约束数", "constraints")), meta.get("constraints"), "", FMT_INT),
        (T(("输入文件", "input file")), meta.get("input_file"), "", None),
        (T(("输入文件校验值", "input SHA-256")), meta.get("input_sha256"), "", None),
        (T(("情景", "scenario")), meta.get("scenario"), "", None),
        (T(("关闭的约束族", "families switched off")), _value(meta.get("families_off") or "none", lang), "", None),
        (T(("基期年", "baseline year")), meta.get("baseline_year"), "", FMT_YEAR),
        (T(("规划年份", "milestone years")), meta.get("milestone_years"), "", None),
        (T(("目标年", "target year")), meta.get("target_year"), "", FMT_YEAR),
        (T(("生成时间", "timestamp")), meta.get("timestamp"), "", None),
        (T(("landopt 版本", "landopt version")), meta.get("landopt_version"), "", None),
    ]
    known = {"title", "status", "message", "objective_t_co2e_per_yr", "objective_years", "target_year", "baseline_year",
             "milestone_years", "solver", "method", "build_seconds", "compile_seconds", "solve_seconds", "variables",
             "constraints", "input_file", "input_sha256", "scenario", "families_off", "include_avoided_emissions",
             "landopt_version", "timestamp"}
    for k, v in meta.items():  # whatever else the run recorded (e.g. the carbon accounting of issue #12)
        if k not in known and isinstance(v, (str, int, float, bool)):
            label, code = RUN_KEYS.get(k, ((k, k), ""))
            items.append((T(label), _value(v, lang), U(code) if code else "", FMT_2 if isinstance(v, float) else None))
    write_items(ctx.book, ws, [(a, b, c) for a, b, c, _f in items], HEADER_ROW, name="Run",
                headers=(T("item"), T("value"), T("unit")), formats=[f for *_x, f in items])
