"""Page one's public-cost rows: what the plan's measures cost per period (元 and 亿元), flagged when the cost
inputs are estimates (:mod:`landopt.report.caveats`)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from landopt.report.caveats import DEPENDS, HEADER, Caveats
from landopt.report.xlsx import FMT_2, FMT_INT, write_table, write_title
from landopt.results import PlanResult

YUAN_PER_100M = 1e8  # 1 亿元


def cost_summary(result: PlanResult) -> pd.DataFrame:
    """Public cost by period (the period ending ``year``) and in total: period, cost_yuan, cost_100m_yuan.

    Empty when the plan has no costs (no cost columns in the inputs, or nothing that costs is done)."""
    c = result.costs
    if c is None or c.empty or "cost_yuan" not in c.columns:
        return pd.DataFrame(columns=["period", "cost_yuan", "cost_100m_yuan"])
    years = [int(result.spec.baseline_year), *[int(y) for y in result.spec.years]]
    by = c.reset_index().groupby("year")["cost_yuan"].sum()
    rows = []
    for start, end in zip(years[:-1], years[1:]):
        if end in by.index:
            rows.append((f"{start + 1}–{end}", float(by[end])))
    rows.append((f"{years[0] + 1}–{years[-1]}", float(by.sum())))
    df = pd.DataFrame(rows, columns=["period", "cost_yuan"])
    df["cost_100m_yuan"] = df["cost_yuan"] / YUAN_PER_100M
    return df


def cost_rows(ctx: Any, ws: Any, row: int, cav: Caveats) -> int:
    """The public-cost table on page one (when the plan has costs), with its data-basis flag; returns the next row."""
    df = cost_summary(ctx.result)
    if df.empty:
        return row
    r = write_title(ctx.book, ws, row + 1, ctx.t(("公共财政投入（转换成本、禁牧休牧补助与存量建设用地盘活）",
                                                 "Public cost (conversion costs, grazing ban/rest subsidies and "
                                                 "redevelopment of inefficient construction land)")), level=2)
    df["period"] = [ctx.t((f"{p}年", p)) if i < len(df) - 1 else ctx.t((f"合计 {p}年", f"total {p}"))
                    for i, p in enumerate(df["period"])]
    df["basis"] = cav.flag(DEPENDS["cost"])
    b = write_table(ctx.book, ws, df, r, name="BriefCosts", autofilter=False, wrap_over=18, wrap={"basis": 14},
                    headers={"period": ctx.t(("时段", "period")), "cost_yuan": ctx.h(("投入", "cost"), "yuan"),
                             "cost_100m_yuan": ctx.h(("投入", "cost"), "100m yuan"), "basis": ctx.t(HEADER)},
                    formats={"cost_yuan": FMT_INT, "cost_100m_yuan": FMT_2})
    return b.end_row + 1
