"""Comparison and trade-off workbooks (``landopt compare``, ``landopt pareto``)."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference, ScatterChart, Series

from landopt.report.excel import atomic_save, write_table

log = logging.getLogger(__name__)


def write_comparison(cmp, path: Path) -> Path:
    """KPIs side by side, differences against the reference, overrides, diagnoses and two charts."""
    wb = Workbook()
    ws = wb.active
    ws.title = "kpis"
    kpis = cmp.kpis()
    flat = kpis.reset_index()
    flat.columns = [str(c) for c in flat.columns]
    write_table(ws, flat, table_name="KPIs")

    # chart 1: net sink by scenario
    cs = wb.create_sheet("net_sink")
    ok = [r for r in cmp.runs if r.result is not None and r.result.optimal]
    ns = pd.DataFrame({"scenario": [r.name for r in ok], "net_sink_t_co2e_per_yr": [r.result.objective for r in ok]})
    write_table(cs, ns, table_name="NetSink")
    if len(ns):
        ch = BarChart()
        ch.title = "Net carbon sink by scenario 各情景净碳汇 (t CO2e/yr)"
        ch.y_axis.title = "t CO2e/yr"
        ch.add_data(Reference(cs, min_col=2, min_row=1, max_row=len(ns) + 1), titles_from_data=True)
        ch.set_categories(Reference(cs, min_col=1, min_row=2, max_row=len(ns) + 1))
        ch.height, ch.width = 9, 18
        cs.add_chart(ch, "D2")

    # chart 2: land-use mix by scenario (target year, ha)
    ms = wb.create_sheet("land_use_mix")
    alloc = cmp.allocation()
    if not alloc.empty:
        mix = alloc["area_ha"].groupby(level=["scenario", "land_use"], sort=False).sum().unstack("land_use")
        mix = mix.reindex([r.name for r in ok])
        mixdf = mix.reset_index()
        mixdf.columns = ["scenario"] + [f"{c}_ha" for c in mix.columns]
        write_table(ms, mixdf, table_name="LandUseMix")
        ch = BarChart()
        ch.type = "col"
        ch.grouping = "stacked"
        ch.overlap = 100
        ch.title = "Land-use mix by scenario 各情景土地利用结构 (ha, target year)"
        ch.y_axis.title = "ha"
        ch.add_data(Reference(ms, min_col=2, max_col=mixdf.shape[1], min_row=1, max_row=len(mixdf) + 1), titles_from_data=True)
        ch.set_categories(Reference(ms, min_col=1, min_row=2, max_row=len(mixdf) + 1))
        ch.height, ch.width = 10, 22
        ms.add_chart(ch, f"A{len(mixdf) + 4}")

    ds = wb.create_sheet("differences")
    diff = cmp.differences()
    if not diff.empty:
        write_table(ds, diff.reset_index(), table_name="Differences")
    else:
        ds.cell(row=1, column=1, value=f"No differences: the reference scenario '{cmp.reference}' has no optimal plan.")

    os_ = wb.create_sheet("overrides")
    ov = cmp.overrides()
    desc = pd.DataFrame({"scenario": [r.name for r in cmp.runs], "description": [r.description for r in cmp.runs],
                         "status": [r.status for r in cmp.runs], "seconds": [round(r.seconds, 3) for r in cmp.runs]})
    write_table(os_, desc, table_name="Scenarios")
    if not ov.empty:
        write_table(os_, ov, start_row=len(desc) + 4, table_name="OverridesApplied")

    dg = wb.create_sheet("diagnoses")
    recs = [{"scenario": r.name, "status": r.status, "message": line} for r in cmp.runs if r.status != "optimal"
            for line in (r.diagnosis or [r.message])]
    if recs:
        write_table(dg, pd.DataFrame(recs), table_name="Diagnoses")
    else:
        dg.cell(row=1, column=1, value="Every scenario solved to optimality.")
    return atomic_save(wb, Path(path))


def write_frontier(fr, path: Path) -> Path:
    """The trade-off table, a native scatter chart, and each point's allocation."""
    wb = Workbook()
    ws = wb.active
    ws.title = "frontier"
    pts = fr.points.rename(columns={fr.against: f"{fr.against} ({fr.unit})"})
    write_table(ws, pts, table_name="Frontier")
    ok = pts.dropna()
    if len(ok) >= 2:
        ch = ScatterChart()
        ch.title = f"Net sink vs {fr.against} 净碳汇与{fr.against}的权衡"
        ch.style = 13
        ch.x_axis.title = f"{fr.against} ({fr.unit})"
        ch.y_axis.title = "net sink (t CO2e/yr)"
        x = Reference(ws, min_col=4, min_row=2, max_row=len(pts) + 1)
        y = Reference(ws, min_col=3, min_row=2, max_row=len(pts) + 1)
        s = Series(y, x, title="frontier")
        s.marker.symbol = "circle"
        ch.series.append(s)
        ch.height, ch.width = 10, 18
        ws.add_chart(ch, "H2")
    al = wb.create_sheet("allocations")
    if not fr.allocations.empty:
        wide = fr.allocations["area_ha"].unstack("point")
        wide.columns = [f"point {c} (ha)" for c in wide.columns]
        write_table(al, wide.reset_index(), table_name="PointAllocations")
    return atomic_save(wb, Path(path))
