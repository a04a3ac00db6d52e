"""The sweep workbook (about, net_sink, influence, areas, runs, parameters) and Parquet long tables beside it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from landopt.safety import atomic_write
from landopt.sweep.summary import CHANGE_TOLERANCE_HA, SweepResult

#: Sheet names, Chinese first
SHEETS = {"about": "概况 about", "net_sink": "净碳汇分布 net_sink", "influence": "参数影响 influence",
          "areas": "面积 areas", "runs": "运行记录 runs", "parameters": "不确定参数 parameters"}
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


def write_sweep_workbook(result: SweepResult, path: str | Path, parquet: bool | None = None) -> Path:
    """Write the sweep workbook (and, for large sweeps or ``parquet=True``, Parquet long tables next to it).

    Sheets: about, net_sink (percentiles + histogram chart), influence (table + chart), areas, runs, parameters.
    Returns the workbook path; ``result.path`` and ``result.parquet_paths`` are set.
    """
    from openpyxl import Workbook

    from landopt.report.excel import atomic_save, bar_chart, write_note, write_table, write_title

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    s = result.summary
    meta = result.metadata
    unit = meta.get("objective_unit", "t CO2e/yr")

    def units(df: pd.DataFrame) -> dict[str, str]:  # net-sink columns in the objective's own unit
        return {c: unit for c in map(str, df.columns) if c.endswith("t_co2e_per_yr")}
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
    r = write_note(ws, r, "Every run solves the plan for one scenario and one sample of the uncertain parameters; "
                          "sample 0 of each scenario is its base run (workbook values).")
    r += 1
    about = pd.DataFrame({"item": list(meta.keys()), "value": [str(v) if not isinstance(v, (int, float)) else v
                                                               for v in meta.values()]})
    if pq_paths:
        about = pd.concat([about, pd.DataFrame({"item": ["runs_parquet", "areas_parquet"],
                                                "value": [p.name for p in pq_paths]})], ignore_index=True)
    write_table(ws, about, start_row=r, table_name="about", number_formats={"value": None})

    # net sink distribution + histogram chart
    ws = wb.create_sheet(SHEETS["net_sink"])
    r = write_title(ws, 1, f"样本运行的净碳汇分布 Net carbon sink over the sampled runs ({unit}; positive = net sink)")
    r = write_note(ws, r, "Percentiles over the optimal sampled runs of each scenario; base run = the scenario with "
                          "the workbook's values.")
    blk = write_table(ws, s["net_sink"], start_row=r + 1, table_name="net_sink", units=units(s["net_sink"]))
    r = blk.end_row + 2
    for line in plan_position(result):  # where the plan itself sits, and how many runs had no plan
        r = write_note(ws, r, line)
    r += 1
    h = s["histogram"]
    if len(h):
        r = write_title(ws, r, "Histogram (runs per net-sink bin)", level=2)
        hb = write_table(ws, h, start_row=r, table_name="histogram", freeze=False, units=units(h))
        series = [c for c in h.columns if c.startswith("runs: ")]
        ch = bar_chart(ws, hb, series, "bin", "Net sink: runs per bin", "runs", width_cm=20, height_cm=9)
        ch.x_axis.title = f"净碳汇 net sink ({unit})"
        ch.gapWidth = 10
        if len(series) == 1:
            ch.legend = None
        ws.add_chart(ch, f"{_col_letter(hb.last_col + 2)}{hb.header_row}")

    # influence
    ws = wb.create_sheet(SHEETS["influence"])
    r = write_title(ws, 1, "Most influential parameters: Spearman rank correlation with the net sink")
    r = write_note(ws, r, "ρ near +1: higher values of the parameter give a larger net sink; near −1: a smaller one; "
                          "near 0: little monotone effect.")
    inf = s["influence"]
    ib = write_table(ws, inf, start_row=r + 1, table_name="influence",
                     number_formats={"spearman_rho": "0.000", "abs_rho": "0.000", "p_value": "0.0000",
                                     "low": "General", "high": "General"})
    if len(inf) and inf["spearman_rho"].notna().any():
        # one row per parameter (most influential first), one column of ρ per scenario: the chart's data
        scen = list(pd.unique(inf["scenario"]))
        piv = inf.pivot(index="parameter", columns="scenario", values="spearman_rho")[scen]
        piv = piv.loc[piv.abs().max(axis=1).sort_values(ascending=False, na_position="last").index]
        piv.columns = [f"ρ: {c}" for c in piv.columns]
        piv = piv.reset_index()
        r = write_title(ws, ib.end_row + 2, "Spearman ρ by parameter and scenario (chart data)", level=2)
        pb = write_table(ws, piv, start_row=r, table_name="influence_chart", freeze=False,
                         number_formats={c: "0.000" for c in piv.columns[1:]})
        ch = bar_chart(ws, pb, list(piv.columns[1:]), "parameter", "Influence on the net sink (Spearman ρ)",
                       "Spearman ρ", horizontal=True, width_cm=18,
                       height_cm=max(6.0, 2.5 + 0.45 * len(piv) * len(scen)), number_format="0.00")
        if len(scen) == 1:
            ch.legend = None
        ch.y_axis.scaling.min = -1
        ch.y_axis.scaling.max = 1
        ch.x_axis.scaling.orientation = "maxMin"  # most influential on top
        ws.add_chart(ch, f"{_col_letter(pb.last_col + 2)}{pb.header_row}")

    # areas
    ws = wb.create_sheet(SHEETS["areas"])
    r = write_title(ws, 1, "Target-year area per region and land use over the sampled runs")
    r = write_note(ws, r, f"changed runs = optimal sampled runs whose area differs from the base run by more than "
                          f"{CHANGE_TOLERANCE_HA:g} ha.")
    write_table(ws, s["areas"], start_row=r + 1, table_name="areas",
                number_formats={"changed_pct": "0.0", "runs": "#,##0", "changed_runs": "#,##0"})

    # runs (long table)
    ws = wb.create_sheet(SHEETS["runs"])
    rec = result.records
    if len(rec) <= PARQUET_THRESHOLD or not pq_paths:
        fm = {p.name: "General" for p in result.parameters}
        fm.update({"run_id": "0", "sample_id": "0", "attempt": "0"})
        write_table(ws, rec, start_row=1, table_name="runs", number_formats=fm, wrap_text_over=1e9, units=units(rec))
    else:
        write_title(ws, 1, f"{len(rec):,} runs: the long table is in {pq_paths[0].name} (next to this workbook)")
        write_note(ws, 2, "Read it with pandas.read_parquet, or Excel's Data → Get Data → From File → From Parquet.")
        write_table(ws, s["statuses"], start_row=4, table_name="statuses")

    # parameters
    ws = wb.create_sheet(SHEETS["parameters"])
    write_title(ws, 1, "Uncertain parameters sampled")
    prm = pd.DataFrame([p.as_row() for p in result.parameters],
                       columns=["parameter", "sheet", "column", "where", "operation", "distribution", "low", "high",
                                "mode", "note", "origin"])
    write_table(ws, prm, start_row=3, table_name="parameters",
                number_formats={"low": "General", "high": "General", "mode": "General"})

    atomic_save(wb, path)
    result.path = path
    result.parquet_paths = pq_paths
    return path


def plan_position(result: SweepResult) -> list[str]:
    """Per scenario, in words (Chinese, then English): the base run's percentile among the optimal sampled runs and
    the share of sampled runs without an optimal plan."""
    from landopt.sweep.columns import OBJECTIVE

    unit = result.metadata.get("objective_unit", "t CO2e/yr")
    rec = result.records
    lines = []
    for _, row in result.summary["net_sink"].iterrows():
        sc = row["scenario"]
        sampled = rec[(rec["scenario"] == sc) & (rec["sample_id"] > 0)]
        v = sampled.loc[sampled["status"] == "optimal", OBJECTIVE].to_numpy(dtype=float)
        base = row["base_run_t_co2e_per_yr"]
        no_plan = (len(sampled) - len(v)) / len(sampled) * 100 if len(sampled) else 0.0
        if len(v) and base == base:
            pct = float((v <= base).mean() * 100)
            lines.append(f"{sc}：本方案（基准运行，{base:,.0f} {unit}）位于抽样结果的第 {pct:.0f} 百分位；"
                         f"{no_plan:.1f}% 的抽样运行无最优方案。 "
                         f"{sc}: the plan itself (base run, {base:,.0f} {unit}) sits at the {pct:.0f}th percentile of "
                         f"the sampled runs; {no_plan:.1f}% of the sampled runs have no optimal plan.")
    return lines


def _col_letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)
