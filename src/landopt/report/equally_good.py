"""Columns that show how far a region's PV and herd can move among plans as good as this one
(:mod:`landopt.analysis.face`): the energy and grazing sheets put them beside the plan's own figures."""

from __future__ import annotations

from typing import Any

import pandas as pd

from landopt.report.context import Ctx

NOTE = ("同等最优方案中的范围：在净碳汇与本方案相同（相差不超过 10⁻⁹）的所有方案中，该项可取的最小值和最大值（各项分别取，"
        "两项一般不能同时取到各自的极值）。范围宽说明碳汇目标不决定该项，本方案所示只是其中之一，应结合电网接入、草场承包与牧民生计等"
        "规划因素确定；landopt ranges 给出更多用地数量的范围。",
        "Range among equally good plans: the least and greatest value this item takes over all plans whose net sink equals "
        "this plan's (within 10⁻⁹), each on its own (two items generally cannot both sit at their extremes). A wide range "
        "means the carbon objective does not decide the item: the plan shows one of many, to be settled on other planning "
        "grounds (grid access, grazing contracts and herders' livelihoods); landopt ranges gives ranges for more quantities.")


def add_range_columns(ctx: Ctx, df: pd.DataFrame, kind: str, after: str, cols: list[str], label: tuple[str, str],
                      unit: str) -> tuple[pd.DataFrame, list[str], dict[str, Any], bool]:
    """``df`` (rows per region and year) with ``<after>_min_eq`` / ``<after>_max_eq`` from the result's equally-good
    ranges of ``kind``, ``cols`` with them placed after ``after``, their headers, and whether there were any."""
    eg = getattr(ctx.result, "equally_good", None)
    if eg is None or eg.empty or df.empty or not (eg["kind"] == kind).any():
        return df, cols, {}, False
    r = eg[eg["kind"] == kind].set_index(["region", "year"])[["min", "max"]]
    key = pd.MultiIndex.from_arrays([df["region"].astype(str), df["year"].astype(int)])
    lo, hi = f"{after}_min_eq", f"{after}_max_eq"
    df = df.assign(**{lo: r["min"].reindex(key).to_numpy(), hi: r["max"].reindex(key).to_numpy()})
    k = cols.index(after) + 1
    cols = cols[:k] + [lo, hi] + cols[k:]
    zh, en = label
    heads = {lo: ctx.h((f"同等最优方案中{zh}最小值", f"{en}, least among equally good plans"), unit),
             hi: ctx.h((f"同等最优方案中{zh}最大值", f"{en}, greatest among equally good plans"), unit)}
    return df, cols, heads, True
