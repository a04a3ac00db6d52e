"""The sweep workbook (about, net_sink, influence, areas, runs, parameters) and Parquet long tables beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from landopt.safety import atomic_write
from landopt.sweep.columns import NET_SINK_STATS, OBJECTIVE, TERM_PREFIX, in_objective_unit
from landopt.sweep.summary import CHANGE_TOLERANCE_HA, SweepResult

#: Sheet names, Chinese first
SHEETS = {"about": "概况 about", "net_sink": "净碳汇分布 net_sink", "influence": "参数影响 influence",
          "areas": "面积 areas", "runs": "运行记录 runs", "parameters": "不确定参数 parameters"}
#: Chinese labels of the sweep tables' columns (the English label and unit follow: '中位数 P50 (t CO2e)'); the net
#: sink and its terms take the objective's own unit (metadata "objective_unit"), never a unit in the column id
COLUMN_ZH: dict[str, str] = {
    "item": "项目", "value": "取值", "scenario": "情景", "runs": "运行次数", "optimal": "最优", "infeasible": "无可行解",
    "failed": "失败", "bin": "区间", "parameter": "参数", "rank": "排序", "spearman_rho": "斯皮尔曼秩相关系数",
    "abs_rho": "秩相关系数绝对值", "p_value": "显著性p值", "sheet": "工作表", "column": "列名", "where": "行筛选条件",
    "low": "下限", "high": "上限", "mode": "众数", "operation": "操作", "distribution": "分布", "note": "备注",
    "origin": "来源", "region": "区域", "land_use": "地类", "base_run_ha": "基准运行（本方案）", "min_ha": "最小值",
    "max_ha": "最大值", "mean_ha": "平均值", "P5_ha": "第5百分位", "P95_ha": "第95百分位", "range_ha": "变幅",
    "changed_runs": "面积变化的运行次数", "changed_pct": "面积变化的运行占比", "run_id": "运行编号",
    "sample_id": "样本编号", "status": "求解状态", OBJECTIVE: "净碳汇（目标函数值）",
    "seconds": "用时", "attempt": "尝试次数", "started_at": "开始时间", "worker": "工作进程", "solve_start": "求解起点",
    "message": "信息",
}
#: English labels of the columns whose id is not their English name
COLUMN_EN: dict[str, str] = {OBJECTIVE: "net sink", "bin_from": "from", "bin_to": "to"} | {
    c: en for c, (_zh, en) in NET_SINK_STATS.items()}
COLUMN_ZH |= {"bin_from": "区间下限", "bin_to": "区间上限"} | {c: zh for c, (zh, _en) in NET_SINK_STATS.items()}
#: Chinese names of the about sheet's items (the run's metadata)
ABOUT_ZH: dict[str, str] = {
    "input": "输入文件", "input_sha256": "输入文件SHA-256校验值", "samples": "样本数", "seed": "随机种子",
    "method": "抽样方法", "scenarios": "情景", "parameters": "不确定参数个数", "runs": "运行次数", "optimal": "最优",
    "infeasible": "无可行解", "failed": "失败", "reused_from_checkpoint": "从检查点复用的运行", "engine": "计算方式",
    "workers": "工作进程数", "warm_starts": "热启动求解次数", "solves_from_scratch": "从头求解次数",
    "objective_unit": "目标函数单位", "horizon": "核算期（净碳汇累计年份）", "wall_seconds": "总用时（秒）", "landopt_version": "landopt版本",
    "finished_at": "完成时间", "runs_parquet": "运行明细Parquet文件", "areas_parquet": "面积明细Parquet文件",
}
#: Column-name prefixes of per-scenario columns (``runs: base``) and their Chinese labels.
PREFIX_ZH = {"runs: ": "运行次数", "ρ: ": "秩相关系数", "plan: ": "本方案所在区间"}
#: Above this many runs (or with ``parquet=True``) the long table goes to Parquet next to the workbook.
PARQUET_THRESHOLD = 2000


def _atomic_parquet(df: pd.DataFrame, path: Path) -> Path:
    """``df`` as Parquet at ``path``, written atomically (:func:`landopt.safety.atomic_write`)."""
    return atomic_write(path, lambda tmp: df.to_parquet(tmp, index=False))


def areas_long(result: SweepResult) -> pd.DataFrame:
    """The target-year areas as a long table: run_id, region, land_use, area_ha."""
    a = result.areas
    if a.empty:
        return pd.DataFrame(columns=["run_id", "region", "land_use", "area_ha"])
    long = a.stack(["region", "land_use"], future_stack=True).rename("area_ha").reset_index()
    return long.dropna(subset=["area_ha"])


def column_labels(df: pd.DataFrame, parameters: tuple[str, ...] | list[str] = ()) -> dict[str, str]:
    """Every column's header label, Chinese first ('净碳汇（目标函数值） net sink'); write_table appends the unit.

    A sampled parameter's column reads '抽样值 <name>'; a per-scenario column ('runs: base') its prefix's label; a
    term of the objective ('term_livestock_ch4') the term's name ('牲畜肠道甲烷排放（CO2当量） livestock ch4'); any
    other column its input-column label, else '字段'.
    """
    from landopt.model.objective import ALL_TERMS
    from landopt.report.i18n import INPUT_COLUMNS
    from landopt.report.units import strip_unit

    out: dict[str, str] = {}
    for c in map(str, df.columns):
        prefix = next((p for p in PREFIX_ZH if c.startswith(p)), None)
        if prefix is not None:
            out[c] = f"{PREFIX_ZH[prefix]} {c}"
            continue
        if c.startswith(TERM_PREFIX):
            term = c[len(TERM_PREFIX):]
            zh = ALL_TERMS[term][2] if term in ALL_TERMS else "碳账户分项"
            out[c] = f"{zh} {term.replace('_', ' ')}"
            continue
        if c in parameters:
            zh = "抽样值"
        else:
            zh = COLUMN_ZH.get(c) or INPUT_COLUMNS.get(c) or "字段"
        out[c] = f"{zh} {COLUMN_EN.get(c) or strip_unit(c)}"
    return out


def plan_markers(hist: pd.DataFrame, net_sink: pd.DataFrame) -> pd.DataFrame:
    """Per scenario a column 'plan: <scenario>': the tallest bin's count in the bin holding the plan (base run),
    blank elsewhere, so the chart draws a full-height marker column there; a plan outside the sampled range is
    marked in the nearest bin."""
    out = pd.DataFrame(index=hist.index)
    lo, hi = hist["bin_from"].to_numpy(float), hist["bin_to"].to_numpy(float)
    top = float(hist[[c for c in hist.columns if str(c).startswith("runs: ")]].to_numpy(float).max(initial=0.0))
    for _, row in net_sink.iterrows():
        base = float(row["net_sink_base_run"])
        if base != base or not len(hist):
            continue
        inside = [i for i in range(len(hist)) if lo[i] <= base <= hi[i]]
        i = inside[0] if inside else (0 if base < lo[0] else len(hist) - 1)
        col = [None] * len(hist)
        col[i] = max(top, 1.0)
        out[f"plan: {row['scenario']}"] = col
    return out


def write_sweep_workbook(result: SweepResult, path: str | Path, parquet: bool | None = None) -> Path:
    """Write the sweep workbook (and, for large sweeps or ``parquet=True``, Parquet long tables next to it).

    Sheets: about, net_sink (percentiles + histogram chart), influence (table + chart), areas, runs, parameters.
    Returns the workbook path; ``result.path`` and ``result.parquet_paths`` are set.
    """
    from openpyxl import Workbook

    from openpyxl.worksheet.pagebreak import Break

    from landopt.report.excel import FMT_2, atomic_save, bar_chart, write_note, write_table, write_title

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    s = result.summary
    meta = result.metadata
    unit = meta.get("objective_unit", "t CO2e/yr")

    def units(df: pd.DataFrame) -> dict[str, str]:  # net sink, its terms and statistics: the objective's own unit
        return {c: unit for c in map(str, df.columns) if in_objective_unit(c)} | ({"seconds": "s"} if "seconds" in df else {})

    def formats(df: pd.DataFrame) -> dict[str, str | None]:  # as the suffix map formats t CO2e
        return {c: FMT_2 for c in map(str, df.columns) if in_objective_unit(c)}
    use_parquet = parquet if parquet is not None else len(result.records) > PARQUET_THRESHOLD
    pq_paths: list[Path] = []
    if use_parquet:
        stem = path.stem
        pq_paths.append(_atomic_parquet(result.records, path.with_name(f"{stem}.runs.parquet")))
        pq_paths.append(_atomic_parquet(areas_long(result), path.with_name(f"{stem}.areas.parquet")))

    wb = Workbook()
    ws = wb.active
    ws.title = SHEETS["about"]
    r = write_title(ws, 1, "landopt 不确定性抽样：净碳汇的分布 landopt sweep: distribution of the net carbon sink")
    r = write_note(ws, r, "每次运行针对一个情景和一组不确定参数抽样值求解方案；各情景的样本0为基准运行（即工作簿原值，本方案）。"
                          "Every run solves the plan for one scenario and one sample of the uncertain parameters; "
                          "sample 0 of each scenario is its base run (workbook values).")
    r += 1
    about = pd.DataFrame({"item": list(meta.keys()), "value": [str(v) if not isinstance(v, (int, float)) else v
                                                               for v in meta.values()]})
    if pq_paths:
        about = pd.concat([about, pd.DataFrame({"item": ["runs_parquet", "areas_parquet"],
                                                "value": [p.name for p in pq_paths]})], ignore_index=True)
    about["item"] = [f"{ABOUT_ZH[i]} {i}" if i in ABOUT_ZH else i for i in about["item"]]
    write_table(ws, about, start_row=r, table_name="about", number_formats={"value": None}, labels=column_labels(about))

    # net sink distribution + histogram chart
    ws = wb.create_sheet(SHEETS["net_sink"])
    span = f", {meta['horizon']}" if meta.get("horizon") else ""  # stock change: cumulative over these years
    r = write_title(ws, 1, f"样本运行的净碳汇分布 Net carbon sink over the sampled runs ({unit}{span}; positive = net sink)")
    r = write_note(ws, r, "各情景取得最优方案的抽样运行的百分位数；基准运行 = 采用工作簿原值的情景（本方案）。"
                          "Percentiles over the optimal sampled runs of each scenario; base run = the scenario with "
                          "the workbook's values.")
    blk = write_table(ws, s["net_sink"], start_row=r + 1, table_name="net_sink", units=units(s["net_sink"]),
                      number_formats=formats(s["net_sink"]),
                      labels=column_labels(s["net_sink"]))
    r = blk.end_row + 2
    for line in plan_position(result):  # where the plan itself sits, and how many runs had no plan
        r = write_note(ws, r, line)
    r += 1
    h = s["histogram"]
    if len(h):
        r = write_title(ws, r, "直方图（各净碳汇区间的运行次数） Histogram (runs per net-sink bin)", level=2)
        marks = plan_markers(h, s["net_sink"])
        h = pd.concat([h, marks], axis=1)
        hb = write_table(ws, h, start_row=r, table_name="histogram", freeze=False, units=units(h),
                         number_formats=formats(h),
                         labels=column_labels(h))
        _histogram_chart(ws, hb, h, marks, result, unit)

    # influence
    ws = wb.create_sheet(SHEETS["influence"])
    r = write_title(ws, 1, "影响最大的参数：与净碳汇的斯皮尔曼秩相关 "
                          "Most influential parameters: Spearman rank correlation with the net sink")
    r = write_note(ws, r, "ρ 接近 +1：参数越大净碳汇越大；接近 −1：越小；接近 0：单调影响很小。"
                          "ρ near +1: higher values of the parameter give a larger net sink; near −1: a smaller one; "
                          "near 0: little monotone effect.")
    inf = s["influence"]
    ib = write_table(ws, inf, start_row=r + 1, table_name="influence",
                     number_formats={"spearman_rho": "0.000", "abs_rho": "0.000", "p_value": "0.0000",
                                     "low": "General", "high": "General"}, labels=column_labels(inf))
    if len(inf) and inf["spearman_rho"].notna().any():
        # one row per parameter (most influential first), one column of ρ per scenario: the chart's data
        scen = list(pd.unique(inf["scenario"]))
        piv = inf.pivot(index="parameter", columns="scenario", values="spearman_rho")[scen]
        piv = piv.loc[piv.abs().max(axis=1).sort_values(ascending=False, na_position="last").index]
        piv.columns = [f"ρ: {c}" for c in piv.columns]
        piv = piv.reset_index()
        r = write_title(ws, ib.end_row + 2, "各参数、各情景的秩相关系数（图表数据） "
                                            "Spearman ρ by parameter and scenario (chart data)", level=2)
        pb = write_table(ws, piv, start_row=r, table_name="influence_chart", freeze=False,
                         number_formats={c: "0.000" for c in piv.columns[1:]}, labels=column_labels(piv))
        ch = bar_chart(ws, pb, list(piv.columns[1:]), "parameter",
                       "参数对净碳汇的影响（斯皮尔曼 ρ） Influence on the net sink (Spearman ρ)",
                       "Spearman ρ", horizontal=True, width_cm=18,
                       height_cm=max(6.0, 2.5 + 0.45 * len(piv) * len(scen)), number_format="0.00")
        if len(scen) == 1:
            ch.legend = None
        ch.y_axis.scaling.min = -1
        ch.y_axis.scaling.max = 1
        ch.x_axis.scaling.orientation = "maxMin"  # most influential on top
        top = pb.end_row + 2  # below the table, starting a printed page
        ws.add_chart(ch, f"A{top}")
        ws.row_breaks.append(Break(id=top - 1))

    # areas
    ws = wb.create_sheet(SHEETS["areas"])
    r = write_title(ws, 1, "抽样运行中规划目标年各区域、各地类的面积 "
                          "Target-year area per region and land use over the sampled runs")
    r = write_note(ws, r, f"面积变化的运行 = 面积与基准运行相差超过 {CHANGE_TOLERANCE_HA:g} 公顷的最优抽样运行。"
                          f"changed runs = optimal sampled runs whose area differs from the base run by more than "
                          f"{CHANGE_TOLERANCE_HA:g} ha.")
    named = s["areas"].copy()  # regions and land uses by name, Chinese first: '拉萨市 Lhasa', '耕地 cropland'
    for key in ("region", "land_use"):
        zh = result.names.get(key, {})
        named[key] = [f"{zh[str(v)]} {v}" if zh.get(str(v)) else v for v in named[key]]
    write_table(ws, named, start_row=r + 1, table_name="areas",
                number_formats={"changed_pct": "0.0", "runs": "#,##0", "changed_runs": "#,##0"},
                labels=column_labels(named))

    # runs (long table)
    ws = wb.create_sheet(SHEETS["runs"])
    rec = result.records
    if len(rec) <= PARQUET_THRESHOLD or not pq_paths:
        fm = formats(rec) | {p.name: "General" for p in result.parameters}
        fm.update({"run_id": "0", "sample_id": "0", "attempt": "0"})
        write_table(ws, rec, start_row=1, table_name="runs", number_formats=fm, wrap_text_over=1e9, units=units(rec),
                    labels=column_labels(rec, [p.name for p in result.parameters]))
    else:
        write_title(ws, 1, f"共 {len(rec):,} 次运行，明细见本工作簿旁的 {pq_paths[0].name} "
                           f"{len(rec):,} runs: the long table is in {pq_paths[0].name} (next to this workbook)")
        write_note(ws, 2, "可用 pandas.read_parquet 或 Excel 的“数据 → 获取数据 → 来自文件 → 从 Parquet”读取。"
                          "Read it with pandas.read_parquet, or Excel's Data → Get Data → From File → From Parquet.")
        write_table(ws, s["statuses"], start_row=4, table_name="statuses", labels=column_labels(s["statuses"]))

    # parameters
    ws = wb.create_sheet(SHEETS["parameters"])
    write_title(ws, 1, "抽样的不确定参数 Uncertain parameters sampled")
    prm = pd.DataFrame([p.as_row() for p in result.parameters],
                       columns=["parameter", "sheet", "column", "where", "operation", "distribution", "low", "high",
                                "mode", "note", "origin"])
    write_table(ws, prm, start_row=3, table_name="parameters",
                number_formats={"low": "General", "high": "General", "mode": "General"}, labels=column_labels(prm))

    from landopt.report.style import print_setup_openpyxl

    for sheet in wb.worksheets:  # landscape A4, one page wide where the text stays ≥ 8 pt (atomic_save checks)
        print_setup_openpyxl(sheet)
    atomic_save(wb, path)
    result.path = path
    result.parquet_paths = pq_paths
    return path


def _histogram_chart(ws: Any, hb: Any, h: pd.DataFrame, marks: pd.DataFrame, result: SweepResult, unit: str) -> None:
    """Runs per bin, with the bin holding the plan itself (base run) as a full-height red column behind the bars and
    the share of sampled runs without an optimal plan in the chart's title and in a note right under the chart."""
    from openpyxl.chart.shapes import GraphicalProperties
    from openpyxl.worksheet.pagebreak import Break

    from landopt.report.excel import bar_chart, write_note

    series = [c for c in h.columns if str(c).startswith("runs: ")]
    shares = {sc: no_plan for sc, _base, _pct, no_plan in positions(result)}
    share_zh = "、".join(f"{sc} {v:.1f}%" for sc, v in shares.items())
    share_en = ", ".join(f"{sc} {v:.1f}%" for sc, v in shares.items())
    title = (f"各区间运行次数（红色 = 本方案所在区间）；无最优方案的运行（未计入）：{share_zh} "
             f"Runs per bin (red = the plan's bin); runs without an optimal plan (not counted): {share_en}")
    titles = {c: f"本方案（基准运行）所在区间 plan: {c[len('plan: '):]}" for c in marks.columns}
    titles.update({c: f"运行次数 {c}" for c in series})
    ch = bar_chart(ws, hb, [*marks.columns, *series], "bin", title, "运行次数 runs", width_cm=24, height_cm=10,
                   series_titles=titles)
    ch.x_axis.title = f"净碳汇 net sink ({unit})"
    ch.gapWidth = 10
    ch.overlap = 100  # the marker column stands behind the runs of its bin
    for k, ser in enumerate(ch.series):
        gp = GraphicalProperties(solidFill="C00000" if k < len(marks.columns) else "4472C4")
        gp.line.noFill = True
        ser.graphicalProperties = gp
    ch.y_axis.scaling.min = 0
    top = hb.end_row + 2  # below the table, starting a printed page (the sheet stays one page wide)
    ws.add_chart(ch, f"A{top}")
    ws.row_breaks.append(Break(id=top - 1))
    under = top + int(10 / 0.53) + 1  # rows are about 0.53 cm high: the first row below the chart
    write_note(ws, under, f"无最优方案的抽样运行占比（直方图未计入）：{share_zh}。 Share of sampled runs without an "
                          f"optimal plan (left out of the histogram): {share_en}.")


def positions(result: SweepResult) -> list[tuple[str, float, float, float]]:
    """Per scenario: (scenario, the base run's value, its percentile among the optimal sampled runs (NaN when there
    are none), the share of sampled runs without an optimal plan in %)."""
    rec = result.records
    out = []
    for _, row in result.summary["net_sink"].iterrows():
        sc = row["scenario"]
        sampled = rec[(rec["scenario"] == sc) & (rec["sample_id"] > 0)]
        v = sampled.loc[sampled["status"] == "optimal", OBJECTIVE].to_numpy(dtype=float)
        base = float(row["net_sink_base_run"])
        no_plan = (len(sampled) - len(v)) / len(sampled) * 100 if len(sampled) else 0.0
        pct = float((v <= base).mean() * 100) if len(v) and base == base else float("nan")
        out.append((str(sc), base, pct, no_plan))
    return out


def plan_position(result: SweepResult) -> list[str]:
    """Per scenario, in words (Chinese, then English): the base run's percentile among the optimal sampled runs and
    the share of sampled runs without an optimal plan."""
    unit = result.metadata.get("objective_unit", "t CO2e/yr")
    lines = []
    for sc, base, pct, no_plan in positions(result):
        if pct == pct:
            lines.append(f"{sc}：本方案（基准运行，{base:,.0f} {unit}）位于抽样结果的第 {pct:.0f} 百分位；"
                         f"{no_plan:.1f}% 的抽样运行无最优方案。 "
                         f"{sc}: the plan itself (base run, {base:,.0f} {unit}) sits at the {pct:.0f}th percentile of "
                         f"the sampled runs; {no_plan:.1f}% of the sampled runs have no optimal plan.")
    return lines
