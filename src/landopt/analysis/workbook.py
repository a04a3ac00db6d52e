"""Workbooks for near-optimal ranges and alternative plans: Chinese first, a summary on page one, written atomically."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from landopt.analysis.alternatives import METHOD_WORDS, Alternatives
from landopt.analysis.ranges import Ranges
from landopt.report.brief import names_of_spec
from landopt.report.compare import sink_label
from landopt.report.excel import FMT_2, FMT_INT, atomic_save, bar_chart, write_note, write_table, write_title
from landopt.report.i18n import tr, with_unit
from landopt.report.i18n import unit as unit_label
from landopt.spec import ModelSpec

log = logging.getLogger(__name__)

KIND_ZH = {"area": "面积 area", "conversion": "地类转换 conversion", "livestock": "牲畜 livestock"}
#: Sheet names, Chinese first (≤ 31 characters)
RANGES_SHEETS = {"summary": "摘要 summary", "area": "面积区间 area ranges", "conversion": "地类转换区间 conversion ranges",
                 "livestock": "牲畜区间 livestock ranges"}
ALTERNATIVES_SHEETS = {"summary": "摘要 summary", "distances": "方案间距离 distances", "areas": "各方案面积 areas"}
#: Units of the summary tables' values, Chinese first
ITEM_UNITS = {"slack": "最优值绝对值的百分比 % of |optimum|", "quantities": "项 quantities",
              "tolerance": "公顷或羊单位 ha or SU", "LPs": "个 LPs"}
HEAD = {"region": "区域 region", "region_zh": "区域名称 region name", "land_use": "地类 land use",
        "land_use_zh": "地类名称 land-use name", "from_land_use": "转出地类 from", "to_land_use": "转入地类 to",
        "period": "时期 period", "fixed_text": "固定/可调 fixed or free", "direction": "变化方向 direction",
        "words": "说明 in words", "item": "项目 item", "value": "数值 value", "unit": "单位 unit"}


def _names(df: pd.DataFrame, key: str) -> dict[str, str]:
    if "name_zh" not in df.columns:
        return {}
    return {str(k): ("" if pd.isna(v) else str(v)) for k, v in zip(df[key], df["name_zh"])}


def _kv(ws: Worksheet, row: int, rows: list[tuple[str, Any, str]], name: str) -> int:
    df = pd.DataFrame(rows, columns=["item", "value", "unit"])
    blk = write_table(ws, df, row, table_name=name, number_formats={"value": None}, headers=HEAD, freeze=False)
    for i, (_, v, _) in enumerate(rows):
        if isinstance(v, float):
            ws.cell(row=blk.first_row + i, column=blk.col("value")).number_format = FMT_2
    return blk.end_row + 2


def _words(t: pd.DataFrame, slack_pct: float) -> list[str]:
    out = []
    for kind, region, lu, f, to, lo, opt, hi, unit, fixed in zip(
            t["kind"], t["region"], t["land_use"], t["from_land_use"], t["to_land_use"], t["min"], t["optimum"],
            t["max"], t["unit"], t["fixed"]):
        what = f"{region} {lu}" if kind == "area" else f"{region} {f}→{to}" if kind == "conversion" else f"{region}"
        if fixed:
            out.append(f"固定：所有近优方案均为 {opt:,.0f} {unit}。 Fixed: every plan within {slack_pct:g}% of the "
                       f"optimum has {what} at {opt:,.0f} {unit}.")
        else:
            out.append(f"在 {lo:,.0f} 至 {hi:,.0f} {unit} 之间任取（单独变动），净碳汇损失不超过 {slack_pct:g}%。 "
                       f"Anything between {lo:,.0f} and {hi:,.0f} {unit} for {what} (on its own) costs less than "
                       f"{slack_pct:g}% of the net sink; the plan has {opt:,.0f}.")
    return out


def _range_sheet(ws: Worksheet, t: pd.DataFrame, kind: str, unit: str, spec: ModelSpec, slack_pct: float,
                 chart: bool) -> None:
    rz, lz = _names(spec.regions, "region"), _names(spec.land_uses, "land_use")
    write_title(ws, 1, f"{KIND_ZH[kind]} — 近优区间 near-optimal ranges ({unit})")
    write_note(ws, 2, f"每个量单独取值的范围，净碳汇不低于最优值的 {100 - slack_pct:g}%。 Range of each quantity on its own "
                      f"with the net sink within {slack_pct:g}% of the optimum ({unit}).")
    d = t[t["kind"] == kind].copy()
    d.insert(1, "region_zh", d["region"].map(lambda r: rz.get(r, "")))
    cols = ["region", "region_zh"]
    if kind == "area":
        d["land_use_zh"] = d["land_use"].map(lambda v: lz.get(v, ""))
        cols += ["land_use", "land_use_zh"]
    elif kind == "conversion":
        d["from_land_use"] = (d["from_land_use"].map(lambda v: lz.get(v, "")) + " " + d["from_land_use"]).str.strip()
        d["to_land_use"] = (d["to_land_use"].map(lambda v: lz.get(v, "")) + " " + d["to_land_use"]).str.strip()
        cols += ["from_land_use", "to_land_use"]
    d["fixed_text"] = np.where(d["fixed"], "固定 fixed", "可调 free")
    d["words"] = _words(d, slack_pct)
    cols += ["period", "baseline", "min", "optimum", "max", "range", "fixed_text", "direction", "words"]
    heads = HEAD | {"baseline": f"基期 baseline ({unit})", "min": f"下限 min ({unit})",
                    "optimum": f"最优方案 optimum ({unit})", "max": f"上限 max ({unit})",
                    "range": f"区间宽度 range ({unit})"}
    fmts = {c: FMT_INT for c in ("baseline", "min", "optimum", "max", "range")} | {"period": None}
    if kind == "livestock":
        cols.remove("baseline")
    blk = write_table(ws, d[cols].reset_index(drop=True), 4, headers=heads, number_formats=fmts,
                      table_name=f"Ranges_{kind}", wrap_text_over=80)
    if not chart:
        return
    free = d[~d["fixed"]].sort_values("range", ascending=False).head(25)
    if free.empty:
        return
    c = pd.DataFrame({"what": (free["region"] + " " + free[cols[2]]).to_numpy(),
                      "below": (free["min"] - free["optimum"]).to_numpy(),
                      "above": (free["max"] - free["optimum"]).to_numpy()})
    col0 = blk.last_col + 2
    write_title(ws, 3, "调整空间 room to move: min − optimum, max − optimum", col=col0, level=2)
    cb = write_table(ws, c, 4, start_col=col0, table_name=f"RoomToMove_{kind}", freeze=False,
                     headers={"what": "数量 quantity", "below": f"可减少 below the plan ({unit})",
                              "above": f"可增加 above the plan ({unit})"}, number_formats={"below": FMT_INT, "above": FMT_INT})
    ch = bar_chart(ws, cb, ["below", "above"], "what", "近优区间：相对最优方案的调整空间 Room to move around the plan",
                   unit, horizontal=True, grouping="stacked", width_cm=22, height_cm=max(9.0, 0.6 * len(c) + 3),
                   series_titles={"below": "可减少 below", "above": "可增加 above"})
    ws.add_chart(ch, ws.cell(row=cb.end_row + 2, column=col0).coordinate)


def _forced(ws: Worksheet, row: int, t: pd.DataFrame, spec: ModelSpec) -> int:
    """Page one: the target-year area changes every near-optimal plan makes (forced), with their ranges."""
    rz, lz = _names(spec.regions, "region"), _names(spec.land_uses, "land_use")
    a = t[(t["kind"] == "area") & t["direction"].isin(["必须增加 must increase", "必须减少 must decrease"])]
    row = write_title(ws, row, f"必须的变化（{spec.target_year} 年）Forced changes in {spec.target_year}: every "
                               "near-optimal plan makes them", level=2)
    if a.empty:
        return write_note(ws, row, "无：每一项面积变化都可以不做。 None: every area change is optional.") + 1
    d = pd.DataFrame({"region": (a["region"].map(lambda r: rz.get(r, "")) + " " + a["region"]).str.strip(),
                      "land_use": (a["land_use"].map(lambda v: lz.get(v, "")) + " " + a["land_use"]).str.strip(),
                      "direction": a["direction"], "baseline": a["baseline"], "min": a["min"], "max": a["max"],
                      "fixed_text": np.where(a["fixed"], "固定 fixed", "可调 free")})
    heads = HEAD | {"baseline": "基期 baseline (ha)", "min": "下限 min (ha)", "max": "上限 max (ha)"}
    blk = write_table(ws, d.reset_index(drop=True), row, headers=heads, table_name="ForcedChanges", freeze=False,
                      number_formats={"baseline": FMT_INT, "min": FMT_INT, "max": FMT_INT})
    return blk.end_row + 2


#: direction of an area → the short word of the page-one grid (Chinese first)
GRID_WORD = {"必须增加 must increase": "必增 must rise", "必须减少 must decrease": "必减 must fall",
             "保持基期 stays at the baseline": "不变 unchanged", "可增不减 may rise, never falls": "不减 never falls",
             "可减不增 may fall, never rises": "不增 never rises", "可增可减 may rise or fall": "可增可减 free"}


def _direction_grid(ws: Worksheet, row: int, t: pd.DataFrame, spec: ModelSpec) -> int:
    """Page one: for every land use (rows) and region (columns), in a word, what every near-optimal plan does to its
    target-year area; then the count of each word in one plain sentence."""
    a = t[t["kind"] == "area"]
    if a.empty:
        return row
    rz, lz = _names(spec.regions, "region"), _names(spec.land_uses, "land_use")
    row = write_title(ws, row, f"各地类 {spec.target_year} 年面积在所有近优方案中的变化 What every near-optimal plan "
                               f"does to each land use's {spec.target_year} area (against the baseline)", level=2)
    words = a.assign(word=a["direction"].map(GRID_WORD).fillna(a["direction"]))
    grid = words.pivot(index="land_use", columns="region", values="word")
    grid = grid.reindex(index=list(dict.fromkeys(a["land_use"])), columns=list(dict.fromkeys(a["region"])))
    grid.insert(0, "land_use", [f"{lz.get(lu, '')} {lu}".strip() for lu in grid.index])
    heads = {"land_use": HEAD["land_use"]} | {r: f"{rz.get(r, '')} {r}".strip() for r in grid.columns[1:]}
    blk = write_table(ws, grid.reset_index(drop=True), row, headers=heads, table_name="DirectionGrid", freeze=False)
    n = words["word"].value_counts()
    row = write_note(ws, blk.end_row + 2,
                     f"共 {len(words)} 项：必增 {n.get('必增 must rise', 0)}、必减 {n.get('必减 must fall', 0)}（必须的变化，见上表）；"
                     f"不减 {n.get('不减 never falls', 0)}（只能增加，例如受耕地保有量、生态保护红线约束的地类）；"
                     f"不变 {n.get('不变 unchanged', 0)}；不增 {n.get('不增 never rises', 0)}；可增可减 {n.get('可增可减 free', 0)}。")
    row = write_note(ws, row, f"Of {len(words)} areas: {n.get('必增 must rise', 0)} must rise and "
                              f"{n.get('必减 must fall', 0)} must fall (the forced changes above); "
                              f"{n.get('不减 never falls', 0)} never fall (e.g. land held by the cropland red line or an "
                              f"ecological floor); {n.get('不变 unchanged', 0)} stay unchanged; "
                              f"{n.get('不增 never rises', 0)} never rise; {n.get('可增可减 free', 0)} may rise or fall.")
    return row + 1


def write_ranges(r: Ranges, path: str | Path) -> Path:
    """The ranges workbook: summary, then one sheet per kind of quantity with a table and (areas) a chart."""
    spec, t, pct = r.spec, r.table, 100.0 * r.slack
    wb = Workbook()
    ws = wb.active
    ws.title = RANGES_SHEETS["summary"]
    write_title(ws, 1, f"{spec.title} — 近优区间 Near-optimal ranges")
    write_note(ws, 2, "哪些决策是必须的，哪些可以调整 Which decisions are forced and which are free")
    counts = t.groupby("kind")["fixed"].agg(["sum", "count"])
    (net_zh, net_en), code = sink_label(r.unit, spec, scale="t")  # stock change: cumulative over the horizon
    rows: list[tuple[str, Any, str]] = [
        (f"最优{net_zh} {net_en} at the optimum", r.optimum, unit_label(code)),
        ("允许损失 slack", pct, ITEM_UNITS["slack"]),
        (f"近优方案最低{net_zh} lowest {net_en} allowed", r.floor, unit_label(code)),
        ("目标年 target year", int(spec.target_year), ""),
    ]
    for kind, (fixed, count) in counts.iterrows():
        rows.append((f"{KIND_ZH[kind]}：固定 fixed / 全部 all", f"{int(fixed)} / {int(count)}", ITEM_UNITS["quantities"]))
    rows += [("判定固定的容差 fixed when range ≤", f"{r.abs_tol:g} + {r.rel_tol:g}×|optimum|", ITEM_UNITS["tolerance"]),
             ("单次求解 one solve (HiGHS, cold)", r.timing.get("single_solve_seconds", 0.0), unit_label("s")),
             ("区间批量求解 the batch (warm)", r.timing.get("batch_seconds", 0.0), unit_label("s")),
             ("线性规划个数 LPs solved / skipped", f"{r.timing.get('lps', 0)} / {r.timing.get('skipped', 0)}",
              ITEM_UNITS["LPs"])]
    row = _kv(ws, 4, rows, "RangesSummary")
    for line in (
        f"每个量的区间是单独变动时的范围：在区间内任取一个值，总能找到净碳汇损失不超过 {pct:g}% 的方案；"
        "但两个可调量一般不能同时取各自的极值。",
        f"Each range holds for that quantity on its own: any value inside it belongs to some plan within {pct:g}% of "
        "the optimal net sink, but two free quantities generally cannot both sit at their extremes in one plan.",
        "固定 = 所有近优方案中该量相同（例如受耕地保有量、生态保护红线约束的用地）；可调 = 该量可在区间内调整而不明显损失碳汇。",
        "Fixed = the same in every near-optimal plan (e.g. land held by the cropland red line or an ecological floor); "
        "free = it can move within its range at little cost in carbon.",
    ):
        row = write_note(ws, row, line)
    row = _forced(ws, row + 1, t, spec)
    row = _direction_grid(ws, row, t, spec)
    kinds = [k for k in ("area", "conversion", "livestock") if (t["kind"] == k).any()]
    for kind in kinds:
        unit = str(t.loc[t["kind"] == kind, "unit"].iloc[0])
        _range_sheet(wb.create_sheet(RANGES_SHEETS[kind]), t, kind, unit, spec, pct, chart=kind != "livestock")
    wb.properties.title = f"{spec.title} — landopt near-optimal ranges"
    return atomic_save(wb, Path(path))


def plan_label(name: str) -> str:
    """'最优方案 optimum', '备选方案1 alternative_1'."""
    if name == "optimum":
        return "最优方案 optimum"
    if name.startswith("alternative_") and name[len("alternative_"):].isdigit():
        return f"备选方案{name[len('alternative_'):]} {name}"
    return name


def _side_by_side(alts: Alternatives) -> pd.DataFrame:
    """Target-year area of every plan, regions and land uses by name in the workbook's order; columns region,
    land_use, then '<plan>_ha'."""
    spec = alts.optimum.spec
    ty = spec.target_year
    plans = [("optimum", alts.optimum)] + [(p.name, p.result) for p in alts.plans]
    cols = {name: res.allocation.xs(ty, level="year")["area_ha"] for name, res in plans}
    df = pd.DataFrame(cols)
    nm = names_of_spec(spec)
    order = [(r, x) for r in nm.regions for x in nm.land_uses if (r, x) in df.index]
    df = df.reindex(pd.MultiIndex.from_tuples(order, names=df.index.names)) if order else df
    df = df.reset_index()
    df.columns = ["region", "land_use"] + [f"{n}_ha" for n in cols]
    df["region"] = [nm.region(r) for r in df["region"]]
    df["land_use"] = [nm.land_use(x) for x in df["land_use"]]
    return df


def write_alternatives_summary(alts: Alternatives, files: dict[str, Path], path: str | Path) -> Path:
    """Summary of the alternatives: each plan's net sink, gap, distance and what distinguishes it; the distance
    matrix; target-year areas side by side."""
    spec = alts.optimum.spec
    pct = 100.0 * alts.slack
    wb = Workbook()
    ws = wb.active
    ws.title = ALTERNATIVES_SHEETS["summary"]
    write_title(ws, 1, f"{spec.title} — 近优备选方案 Near-optimal alternative plans")
    write_note(ws, 2, f"{len(alts.plans)} 个备选方案，净碳汇均不低于最优值的 {100 - pct:g}%（Hop-Skip-Jump 多方案生成法）。 "
                      f"{len(alts.plans)} plans within {pct:g}% of the optimal net sink, by Hop-Skip-Jump MGA.")
    recs = [{"plan": plan_label("optimum"), "method": "—", "net_sink": float(alts.optimum.objective or 0.0),
             "gap": 0.0, "gap_pct": 0.0, "distance_ha": 0.0, "what": "—",
             "file": files.get("optimum", Path("")).name}]
    for p in alts.plans:
        recs.append({"plan": plan_label(p.name), "method": tr(METHOD_WORDS.get(p.method, (p.method, p.method))),
                     "net_sink": p.net_sink, "gap": p.gap, "gap_pct": p.gap_pct, "distance_ha": p.distance_ha,
                     "what": p.distinguishes, "file": files.get(p.name, Path("")).name})
    net, code = sink_label(alts.unit, spec, scale="t")  # stock change: cumulative over the horizon
    heads = {"plan": "方案 plan", "method": "方法 method", "net_sink": with_unit(net, code),
             "gap": with_unit(("低于最优", "below the optimum"), code), "gap_pct": with_unit(("低于最优", "below the optimum"), "%"),
             "distance_ha": with_unit(("与最优方案不同配置的面积", "area allocated differently from the optimum"), "ha"),
             "what": "主要差异（目标年）what distinguishes it (target year)", "file": "文件 file"}
    blk = write_table(ws, pd.DataFrame(recs), 4, headers=heads, table_name="Alternatives", wrap_text_over=70,
                      number_formats={"gap_pct": "0.000", "net_sink": FMT_2, "gap": FMT_2})
    r = blk.end_row + 2
    for line in (
        "距离 = 目标年两方案中地类不同的面积（公顷）：½ Σ |面积差|。",
        "Distance = the area (ha) that sits in a different land use in the target year: ½ Σ |difference in area|.",
        "各方案工作簿与规划方案格式相同；comparison.xlsx 将其并列比较。 Each plan workbook has the plan's layout; "
        "comparison.xlsx sets them side by side.",
    ):
        r = write_note(ws, r, line)
    ds = wb.create_sheet(ALTERNATIVES_SHEETS["distances"])
    write_title(ds, 1, "方案间距离（目标年配置不同的面积，公顷） Distance between plans (ha allocated differently, target year)")
    D = alts.distances.copy()
    D.insert(0, "plan", [plan_label(str(x)) for x in D.index])
    write_table(ds, D.reset_index(drop=True), 3, table_name="Distances", headers={"plan": "方案 plan"},
                labels={c: plan_label(str(c)) for c in alts.distances.columns},
                number_formats={c: FMT_INT for c in alts.distances.columns}, units={c: "ha" for c in alts.distances.columns})
    sb = wb.create_sheet(ALTERNATIVES_SHEETS["areas"])
    write_title(sb, 1, f"目标年各方案面积（{spec.target_year}年，公顷） Target-year area by plan ({spec.target_year}, ha)")
    side = _side_by_side(alts)
    write_table(sb, side, 3, table_name="AreasByPlan", headers={"region": HEAD["region"], "land_use": HEAD["land_use"]},
                labels={c: plan_label(c[:-3]) for c in side.columns[2:]}, number_formats={c: FMT_INT for c in side.columns[2:]})
    wb.properties.title = f"{spec.title} — landopt alternatives"
    return atomic_save(wb, Path(path))
