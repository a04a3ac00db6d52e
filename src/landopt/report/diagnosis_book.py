"""The diagnosis workbook: page one says why there is no plan and what to relax (Chinese first), then the smallest
relaxation and the conflicting set, each row traced to the input cell that set it (sheet and column as the input
names them)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from landopt.diagnose import SENSE_SIGN, blank, column_label, names_of, requirement_text
from landopt.report.i18n import W, family_name, requirement_noun, tr, unit_words
from landopt.spec import ModelSpec

if TYPE_CHECKING:
    from landopt.diagnose import Diagnosis


def table(df: pd.DataFrame, spec: ModelSpec, lang: str) -> pd.DataFrame:
    """The relaxations or the conflicting set as a planner reads them: requirement and family in planning words,
    the sheet and column as the input names them, units in words, 是/否 for policy, and the text Chinese first."""
    regions = names_of(spec, "regions", "region")
    lus = names_of(spec, "land_uses", "land_use")
    out = pd.DataFrame({"label": df["label"]})
    out["requirement"] = [tr(requirement_noun(str(c)), lang) for c in df["constraint"]]
    out["family"] = [family_name(str(f), lang) for f in df["family"]]
    out["sense"] = [SENSE_SIGN.get(v, v) for v in df["sense"]]
    out["rhs"] = df["rhs"].astype(float)
    if "relaxation" in df.columns:
        out["relaxation"] = df["relaxation"].astype(float)
        out["direction"] = [tr(("降低", "lower") if d > 0 else ("提高", "raise") if d < 0 else ("调整", "change"), lang)
                            for d in df["direction"]]
    out["unit"] = [unit_words(str(u), lang) for u in df["unit"]]
    out["sheet"] = [spec.sheet_label(str(x)) for x in df["sheet"]]
    out["row"] = [int(x) if int(x or 0) > 0 else None for x in df["row"]]
    out["column"] = ["" if blank(c) else column_label(spec, str(x), str(c)) for x, c in zip(df["sheet"], df["column"])]
    out["region"] = [None if blank(r) else tr((regions.get(r, ""), str(r)), lang) for r in df["region"]]
    out["land_use"] = [None if blank(x) else tr((lus.get(x, ""), str(x)), lang) for x in df["land_use"]]
    out["year"] = df["year"]
    out["policy"] = [tr(W["yes"] if p else W["no"], lang) for p in df["policy"].astype(bool)]
    if "relaxation" in df.columns:
        zh = df["text_zh"] if "text_zh" in df.columns else [""] * len(df)
        out["text"] = [tr((z, e), lang) for z, e in zip(zh, df["text"])]
    else:  # the conflicting set: the requirement in words; its cell is in the source columns beside it
        out["text"] = [tr(requirement_text(r, spec, cell=False), lang) for _, r in df.iterrows()]
    return out


def write_diagnosis(diag: Diagnosis, path: Path, lang: str = "both") -> Path:
    """Write the diagnosis workbook atomically: page one says why there is no plan and what to relax (Chinese first),
    then the relaxations and the conflicting set traced to the input cells."""
    from openpyxl import Workbook

    from landopt.report.bilingual import write_sheet
    from landopt.report.excel import atomic_save
    wb = Workbook()
    ws = wb.active
    ws.title = tr(("诊断", "diagnosis"), lang)
    rel = diag.relaxations
    zh = rel["text_zh"] if "text_zh" in rel.columns else [""] * len(rel)
    page = pd.DataFrame({"what": [tr(("原因", "why"), lang)] + [tr(("放宽", "relax"), lang)] * len(rel),
                         "text": [tr((diag.message_zh, diag.message), lang)]
                         + [tr((z, e), lang) for z, e in zip(zh, rel["text"])]})
    write_sheet(ws, page, lang=lang, table_name="Diagnosis",
                title=("无可行方案：诊断", "No feasible plan: diagnosis"),
                note=(f"情景 {diag.scenario or 'base'}；输入 {diag.spec.input_path or ''}",
                      f"scenario {diag.scenario or 'base'}; input {diag.spec.input_path or ''}"),
                headers={"what": ("项目", "item"), "text": ("说明", "what it means")})
    heads = {"label": ("约束编号", "constraint id"), "requirement": ("约束", "requirement"), "family": ("约束族", "family"),
             "sense": ("关系", "sense"), "rhs": ("约束值", "requirement value"),
             "relaxation": ("最小放宽量", "smallest relaxation"), "direction": ("放宽方向", "direction"),
             "unit": ("单位", "unit"), "sheet": ("来源工作表", "source sheet"), "row": ("来源行", "source row"),
             "column": ("来源列", "source column"), "region": ("区域", "region"), "land_use": ("地类", "land use"),
             "year": ("年份", "year"), "text": ("说明", "what it means"), "policy": ("政策约束", "policy")}
    numbers = {"rhs": "#,##0.####", "relaxation": "#,##0.####", "row": "0", "year": "0"}
    write_sheet(wb.create_sheet(tr(("放宽方案", "relaxations"), lang)), table(rel, diag.spec, lang), lang=lang,
                table_name="Relaxations", title=("最小放宽方案", "Smallest relaxation"), headers=heads, number_formats=numbers,
                note=("每一行：哪项约束、放宽多少、由哪个输入单元格设定。", "Each row: which requirement, by how much, and the input cell that set it."))
    write_sheet(wb.create_sheet(tr(("冲突约束", "conflicting set"), lang)), table(diag.conflict, diag.spec, lang), lang=lang,
                table_name="ConflictingSet", title=("相互冲突的约束（不可约不可行子集）", "Conflicting requirements (irreducible infeasible set)"),
                headers=heads, number_formats=numbers,
                note=("去掉其中任一行，其余即可同时满足。", "Dropping any one of these rows lets the rest hold together."))
    return atomic_save(wb, Path(path))
