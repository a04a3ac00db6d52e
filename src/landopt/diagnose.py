"""Infeasibility diagnosis: which requirements conflict, and the smallest relaxation that restores a plan.

Two complementary answers, both traced to the input sheet, row and column:

1. **Elastic model** — every policy constraint (all families except the
   accounting identities ``area_total``, ``stock_flow``, ``grassland_split``)
   gets a non-negative slack :math:`s_i` that lets it be violated:

   .. math::

       \\min \\sum_i \\frac{s_i + s'_i}{\\max(|b_i|, 1)} \\quad\\text{s.t.}\\quad
       a_i^\\top x + s_i \\ge b_i \\ (\\ge\\text{ rows}),\\quad a_i^\\top x - s'_i \\le b_i \\ (\\le\\text{ rows}),\\quad
       a_i^\\top x + s_i - s'_i = b_i \\ (=\\text{ rows, e.g. a reservoir's scheduled inundation})

   The weights make the relaxation relative to each requirement's size, so a
   100-ha cut to a 1,000-ha floor costs as much as a 10,000-SU cut to a
   100,000-SU floor.  Non-zero slacks are the relaxation amounts, in each
   requirement's own unit; an equality requirement (``hydro_inundation``: the area a scheduled reservoir floods)
   can be relaxed either way, and the text says which (:math:`s_i`: lower it, :math:`s'_i`: raise it).
2. **Irreducible infeasible subset (IIS)** from HiGHS (``Highs.getIis``):
   a smallest set of rows that cannot hold together; dropping any one of
   them makes the rest feasible.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from landopt.model.build import LandModel, build
from landopt.model.families import MEANINGS
from landopt.constraint_table import where_text
from landopt.backends.highs import INF, new_highs, pass_to_highs, solve_form
from landopt.model.standard_form import StandardForm
from landopt.report.i18n import UNITS, input_column_label, requirement_noun
from landopt.spec import ModelSpec

log = logging.getLogger(__name__)

#: plain-words name of each constraint (from its family's ``CONSTRAINTS``)
NOUNS: dict[str, str] = {name: meaning.noun for name, meaning in MEANINGS.items()}
UNIT_WORDS = {"SU": "sheep units", "ha": "ha", "MW": "MW"}
#: the model's unit of a requirement, in Chinese (from the workbooks' one unit table)
UNIT_ZH = {code: zh for code, (zh, _en) in UNITS.items()}
SENSE_SIGN = {"<=": "≤", ">=": "≥", "==": "="}
#: a scenario override's operation, in Chinese
OPERATION_ZH = {"scale": "乘以", "add": "加", "set": "设为"}
#: printed by ``landopt diagnose`` when a plan exists (Chinese line first)
FEASIBLE_LINES = ("模型可行：全部约束可以同时满足，无需诊断。",
                  "The model is feasible: every requirement can be met at once (nothing to diagnose).")


def _fmt(x: float) -> str:
    """A requirement or a relaxation: thousands separators from 100 on, four significant figures below."""
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.4g}"


def blank(v: object) -> bool:
    return v is None or v != v or str(v) == ""


def _where(row: pd.Series) -> str:
    return where_text(row.get("region"), row.get("year"), row.get("land_use"), year_in_parens=False)


def _where_zh(row: pd.Series, spec: ModelSpec | None, names: dict | None = None) -> str:
    """'那曲市 2025年 ' (region, year and land use in Chinese), '全区 2030年 ' for a region-wide row."""
    names = names if names is not None else names_of(spec, "regions", "region")
    lus = names_of(spec, "land_uses", "land_use")
    region, year, lu = row.get("region"), row.get("year"), row.get("land_use")
    parts = ["全区" if blank(region) else (names.get(region) or str(region))]
    if not blank(year):
        parts.append(f"{int(year)}年")
    if not blank(lu):
        parts.append(lus.get(lu) or str(lu))
    return " ".join(parts) + " "


def names_of(spec: ModelSpec | None, table: str, key: str) -> dict:
    df = getattr(spec, table, None) if spec is not None else None
    if df is None or "name_zh" not in df.columns:
        return {}
    return {k: str(v) for k, v in zip(df[key], df["name_zh"]) if not blank(v)}


def column_label(spec: ModelSpec | None, sheet: str, column: str) -> str:
    """The column's header as the input writes it; for a plain-id header, the bilingual label ('森林覆盖率目标 forest_cover_min_pct')."""
    return input_column_label(column, spec.column_label(sheet, column) if spec is not None else "")


def _cell(row: pd.Series, kind: str = "xlsx", spec: ModelSpec | None = None) -> tuple[str, str]:
    """(zh, en): the input cell that set a requirement — the sheet (or file) and column as the input names them."""
    sheet, column = str(row["sheet"]), "" if blank(row.get("column")) else str(row["column"])
    kind = spec.location_kind if spec is not None else kind
    name = spec.sheet_label(sheet) if spec is not None else (sheet if kind == "xlsx" else f"{sheet}.csv")
    n = int(row["row"] or 0)
    col = column_label(spec, sheet, column) if column else ""
    en = (f"sheet '{name}'" if kind == "xlsx" else f"file '{name}'") + (f", row {n}" if n > 0 else "") + \
        (f", column '{col}'" if col else "")
    zh = (f"工作表“{name}”" if kind == "xlsx" else f"文件“{name}”") + (f"第 {n} 行" if n > 0 else "") + \
        (f"“{col}”列" if col else "")
    return zh, en


def _urban(row: pd.Series, amount: float, spec: ModelSpec | None) -> tuple[float, float, float, float] | None:
    """An urban-demand row's two cells (persons, m² per person) and the relaxation in persons or in m² per person."""
    if row["constraint"] != "urban_demand" or spec is None:
        return None
    t = spec.targets
    hit = t[(t["region"] == row.get("region")) & (t["year"] == row.get("year"))]
    if not len(hit):
        return None
    pop, m2 = float(hit["urban_population"].iloc[0]), float(hit["urban_land_per_capita_m2"].iloc[0])
    return pop, m2, amount * 1e4 / m2, amount * 1e4 / pop if pop else float("nan")


def relaxation_text(row: pd.Series, amount: float, kind: str = "xlsx", spec: ModelSpec | None = None) -> str:
    """The relaxation in words, in the unit of the cell that set the requirement."""
    unit = UNIT_WORDS.get(row["unit"], row["unit"])
    noun = NOUNS.get(row["constraint"], row["constraint"])
    rhs, amt = _fmt(row["rhs"]), _fmt(amount)
    src = _cell(row, kind, spec)[1]
    urban = _urban(row, amount, spec)
    if urban is not None:  # set by two cells: persons × m² per person
        pop, m2, persons, per = urban
        return (f"The {_where(row)} urban land demand of {rhs} ha ({pop:,.0f} persons × {m2:,.4g} m²/person) is "
                f"{amt} ha more than the land can provide: lower the urban population by {persons:,.0f} persons "
                f"or the urban land per resident by {per:,.3g} m²/person ({src} and column "
                f"'{column_label(spec, str(row['sheet']), 'urban_land_per_capita_m2')}'), or allow {amt} ha more "
                "urban land (the urban development boundary urban_boundary_ha or the land inside it, "
                "protected_land.in_urban_boundary_ha, whichever binds).")
    if row["constraint"] == "forest_cover" and spec is not None:  # the cell is a share of the total area
        total = float(spec.regions["total_area_ha"].sum())
        return (f"The region-wide {_where(row).strip()} forest-cover target of {row['rhs'] / total * 100:.4g}% "
                f"({rhs} ha) cannot be met: lower it by {amount / total * 100:.3g} percentage points ({amt} ha of "
                f"forest) ({src}).")
    if row["constraint"] == "livestock_floor":
        return f"The {_where(row)} livestock floor of {rhs} {unit} exceeds what the grassland carries by {amt} {unit} ({src})."
    if row["constraint"] == "grazing_capacity":
        return (f"The {_where(row)} grass–livestock balance must allow {amt} more {unit} than the grazed grassland carries "
                f"({src}).")
    if row["sense"] == ">=" or row["sense"] == "==" and row.get("direction", 0) > 0:
        return f"The {_where(row)} {noun} of {rhs} {unit} cannot be met: it is {amt} {unit} more than the land can provide ({src})."
    if row["sense"] == "<=":
        return f"The {_where(row)} {noun} of {rhs} {unit} is too tight: it must be raised by {amt} {unit} ({src})."
    if row.get("direction", 0) < 0:
        return f"The {_where(row)} {noun} of {rhs} {unit} is too small for what the other requirements need: it must be raised by {amt} {unit} ({src})."
    return f"The {_where(row)} {noun} ({rhs} {unit}) is off by {amt} {unit} ({src})."


def relaxation_text_zh(row: pd.Series, amount: float, names: dict | None = None, spec: ModelSpec | None = None) -> str:
    """The relaxation in Chinese: where, which requirement and its value, by how much, and the cell that set it."""
    noun = requirement_noun(str(row["constraint"]))[0]
    unit = UNIT_ZH.get(row["unit"], str(row["unit"]))
    where = _where_zh(row, spec, names)
    rhs, amt = _fmt(row["rhs"]), _fmt(amount)
    cell = _cell(row, spec=spec)[0]
    urban = _urban(row, amount, spec)
    if urban is not None:
        pop, m2, persons, per = urban
        per_cap = column_label(spec, str(row["sheet"]), "urban_land_per_capita_m2")
        return (f"{where}城镇建设用地需求 {rhs} 公顷（城镇人口 {pop:,.0f} 人 × 人均 {m2:,.4g} 平方米）比土地所能提供的多 "
                f"{amt} 公顷：需将城镇人口减少 {persons:,.0f} 人，或将人均城镇建设用地减少 {per:,.3g} 平方米/人"
                f"（{cell}及“{per_cap}”列），或多安排 {amt} 公顷城镇建设用地（放宽起作用的城镇开发边界 urban_boundary_ha 或边界内现状用地 "
                f"in_urban_boundary_ha）。")
    if row["constraint"] == "forest_cover" and spec is not None:
        total = float(spec.regions["total_area_ha"].sum())
        return (f"{where}森林覆盖率目标 {row['rhs'] / total * 100:.4g}%（{rhs} 公顷）无法实现：需降低 "
                f"{amount / total * 100:.3g} 个百分点（{amt} 公顷林地）（{cell}）。")
    if row["constraint"] == "livestock_floor":
        return f"{where}牲畜存栏下限 {rhs} {unit}超出草地承载能力 {amt} {unit}，需降低 {amt} {unit}（{cell}）。"
    if row["constraint"] == "grazing_capacity":
        return f"{where}草畜平衡需比放牧草地的理论载畜量多容纳 {amt} {unit}（{cell}）。"
    d = row.get("direction", 0)
    if row["sense"] == ">=" or row["sense"] == "==" and d > 0:
        return f"{where}{noun} {rhs} {unit}无法满足：比土地所能提供的多 {amt} {unit}，需降低 {amt} {unit}（{cell}）。"
    if row["sense"] == "<=":
        return f"{where}{noun} {rhs} {unit}过紧：需放宽 {amt} {unit}（{cell}）。"
    if d < 0:
        return f"{where}{noun} {rhs} {unit}小于其他约束所需：需提高 {amt} {unit}（{cell}）。"
    return f"{where}{noun}（{rhs} {unit}）需调整 {amt} {unit}（{cell}）。"


def requirement_text(row: pd.Series, spec: ModelSpec | None = None, cell: bool = True) -> tuple[str, str]:
    """(zh, en): one requirement of the conflicting set in words, its value with its unit and (``cell``) the cell
    that set it — '那曲市 2025年 区域土地总面积 = 38,418,796 公顷（工作表“规划区域 regions”第 7 行…）'."""
    zh_noun, en_noun = requirement_noun(str(row["constraint"]))
    sign = SENSE_SIGN.get(row["sense"], row["sense"])
    rhs = _fmt(float(row["rhs"]))
    cell_zh, cell_en = _cell(row, spec=spec) if cell else ("", "")
    unit_en = UNIT_WORDS.get(row["unit"], row["unit"])
    zh = f"{_where_zh(row, spec)}{zh_noun} {sign} {rhs} {UNIT_ZH.get(row['unit'], row['unit'])}" + (f"（{cell_zh}）" if cell else "")
    where = _where(row).strip()
    en = f"{en_noun}{' in ' + where if where else ''} {sign} {rhs} {unit_en}" + (f" ({cell_en})" if cell else "")
    return zh, en


@dataclass
class Diagnosis:
    spec: ModelSpec
    relaxations: pd.DataFrame  # rows to relax: label, constraint, sense, rhs, relaxation, unit, sheet, row, column, text, text_zh
    conflict: pd.DataFrame  # IIS rows: label, constraint, sense, rhs, unit, sheet, row, column, text, text_zh
    message: str
    scenario: str | None = None
    extra: dict = field(default_factory=dict)
    message_zh: str = ""

    def lines(self) -> list[str]:
        """What the console prints: one language per line, the Chinese line first."""
        out = [m for m in (self.message_zh, self.message) if m]
        rel = self.relaxations
        zh = rel["text_zh"] if "text_zh" in rel.columns else [""] * len(rel)
        for z, e in zip(zh, rel["text"]):
            out += ([f"放宽：{z}"] if z else []) + [f"relax: {e}"]
        if not self.conflict.empty:
            policy = self.conflict[self.conflict["policy"].astype(bool)]
            counts = policy["constraint"].value_counts(sort=False)
            out.append(f"相互冲突的约束（HiGHS 不可约不可行子集，共 {len(self.conflict)} 行，未列出核算恒等式；逐行见诊断工作簿"
                       f"“冲突约束”表，由 landopt solve 或 landopt diagnose 写出）：" + "；".join(f"{requirement_noun(str(c))[0]} {n} 行" for c, n in counts.items()))
            out.append(f"conflicting requirements (HiGHS irreducible infeasible set of {len(self.conflict)} rows, "
                       f"accounting identities not listed; row by row on the conflict sheet of the diagnosis workbook "
                       f"that landopt solve or landopt diagnose writes): "
                       + "; ".join(f"{requirement_noun(str(c))[1]} {n} row{'s' if n != 1 else ''}"
                                   for c, n in counts.items()))
        return out


def _elastic(form: StandardForm, rows: pd.DataFrame, settings: dict) -> tuple[str, np.ndarray, np.ndarray]:
    """Solve the elastic problem; return its status, the slack of every row (0 for hard rows) and its direction
    (+1: the requirement must come down — a floor or an equality the land cannot reach; −1: it must go up)."""
    soft = rows["policy"].to_numpy(dtype=bool)
    sense = rows["sense"].to_numpy()
    down = np.flatnonzero(soft & (sense != "<="))  # >= rows and equalities: activity short of the rhs
    up = np.flatnonzero(soft & (sense != ">="))  # <= rows and equalities: activity above the rhs
    idx = np.concatenate([down, up])
    sign = np.concatenate([np.ones(len(down)), -np.ones(len(up))])
    m, n = form.A.shape
    S = sp.csc_array((sign, (idx, np.arange(len(idx)))), shape=(m, len(idx)))
    A = sp.hstack([form.A, S], format="csr")
    w = 1.0 / np.maximum(np.abs(rows["rhs"].to_numpy(dtype=float)[idx]), 1.0)
    # scale so the smallest weight is 1: weights of 1/15,000,000 fall below the simplex's dual feasibility
    # tolerance (1e-7) and the solver would stop at a non-minimal relaxation
    w = w / w.min() if len(w) else w
    ef = StandardForm(row_blocks=[A], row_lower=form.row_lower, row_upper=form.row_upper,
                      col_lower=np.zeros(n + len(idx)), col_upper=np.full(n + len(idx), INF),
                      cost=np.concatenate([np.zeros(n), -w]), offset=0.0)
    out = solve_form(ef, {**settings, "solver_method": "simplex"}, keep_highs=False)
    slack, direction = np.zeros(m), np.zeros(m)
    if out.optimal:
        s_down = np.zeros(m)
        s_up = np.zeros(m)
        s_down[down] = out.x[n:n + len(down)]
        s_up[up] = out.x[n + len(down):]
        slack = s_down + s_up  # at most one of the two is non-zero at a vertex of a minimal relaxation
        direction = np.where(s_down > s_up, 1.0, np.where(s_up > 0, -1.0, 0.0))
    return out.status, slack, direction


def _iis(form: StandardForm) -> list[int]:
    h = new_highs()
    pass_to_highs(form, h)
    h.setOptionValue("iis_strategy", 2)
    h.run()
    try:
        status, iis = h.getIis()
    except Exception as e:  # pragma: no cover - depends on the HiGHS build
        log.warning("HiGHS could not compute an irreducible infeasible subset: %s", e)
        return []
    if not iis.valid_:
        return []
    return sorted(int(i) for i in iis.row_index_)


def diagnose(spec: ModelSpec, lm: LandModel | None = None) -> Diagnosis | None:
    """Diagnose ``spec``; returns None when the model is feasible."""
    lm = lm or build(spec)
    form = lm.standard_form()
    first = solve_form(form, spec.settings, keep_highs=False)
    if first.status not in ("infeasible",):
        return None
    rows = lm.row_table()
    status, slack, direction = _elastic(form, rows, spec.settings)
    tol = 1e-6 * np.maximum(1.0, np.abs(rows["rhs"].to_numpy(dtype=float)))
    rel = rows[slack > tol].copy()
    rel["relaxation"] = slack[slack > tol]
    rel["direction"] = direction[slack > tol]
    rel["text"] = [relaxation_text(r, a, spec.location_kind, spec) + scenario_origin(spec, r)
                   for (_, r), a in zip(rel.iterrows(), rel["relaxation"])]
    rel["text_zh"] = [relaxation_text_zh(r, a, spec=spec) + scenario_origin_zh(spec, r)
                      for (_, r), a in zip(rel.iterrows(), rel["relaxation"])]
    iis_rows = _iis(form)
    conflict = rows.iloc[iis_rows].copy() if iis_rows else rows.iloc[0:0].copy()
    said = [requirement_text(r, spec) for _, r in conflict.iterrows()]
    conflict["text"] = [e for _z, e in said]
    conflict["text_zh"] = [z for z, _e in said]
    if status != "optimal":
        msg_zh = "即使放宽全部目标、下限和上限仍无可行方案：核算恒等式本身相互矛盾（请检查各区域基期面积之和是否等于土地总面积）。"
        msg = ("No plan exists even when every target, floor and limit may be relaxed: the accounting identities "
               "themselves conflict (check that baseline areas add up to the region totals).")
    elif rel.empty:
        msg_zh = "模型不可行，但在数值容差之外没有需要放宽的约束。"
        msg = "The model is infeasible, but no requirement needed relaxing beyond numerical tolerance."
    else:
        n = len(rel)
        msg_zh = f"没有能满足全部约束的方案。恢复可行方案的最小放宽涉及 {n} 项约束："
        msg = (f"No plan meets every requirement. The smallest relaxation that restores a plan changes "
               f"{n} requirement{'s' if n != 1 else ''}:")
    cols = ["label", "constraint", "family", "sense", "rhs", "unit", "sheet", "row", "column", "region", "land_use", "year",
            "policy"]
    return Diagnosis(spec=spec, relaxations=rel[cols + ["relaxation", "direction", "text", "text_zh"]].reset_index(drop=True),
                     conflict=conflict[cols + ["text", "text_zh"]].reset_index(drop=True), message=msg, scenario=spec.scenario,
                     message_zh=msg_zh)


def _overrides_of(spec: ModelSpec, row: pd.Series) -> list[pd.Series]:
    """The scenario overrides (rows of ``spec.overrides``) that changed the cell a requirement came from."""
    ov = spec.overrides
    if ov is None or ov.empty or not int(row.get("row") or 0):
        return []
    hits = []
    for _, o in ov[(ov["sheet"] == row["sheet"]) & (ov["column"] == row["column"])].iterrows():
        changed = {int(x) for x in str(o.get("rows_changed") or "").replace(" ", "").split(",") if x.isdigit()}
        if int(row["row"]) in changed:
            hits.append(o)
    return hits


def scenario_overrides_of(spec: ModelSpec, row: pd.Series) -> list[str]:
    """The scenario overrides that changed the cell a requirement came from: 'S (sheet 'scenarios', row N: scale 3)'."""
    return [f"{o['scenario']} ({o['origin']}: {o['operation']} {o['value']})" for o in _overrides_of(spec, row)]


def scenario_origin(spec: ModelSpec, row: pd.Series) -> str:
    """' The value there was set by scenario S (…).' when a scenario override changed the cell; '' otherwise."""
    hits = scenario_overrides_of(spec, row)
    return f" The value there was set by scenario {'; then '.join(hits)}." if hits else ""


def scenario_origin_zh(spec: ModelSpec, row: pd.Series) -> str:
    """'该值由情景 S 设定（工作表“情景 scenarios”第 25 行：乘以 3）。' when a scenario override changed the cell."""
    hits = []
    for o in _overrides_of(spec, row):
        m = re.fullmatch(r"sheet '(.+)', row (\d+)", str(o["origin"]))
        origin = f"工作表“{m.group(1)}”第 {m.group(2)} 行" if m else str(o["origin"])
        hits.append(f"情景 {o['scenario']}（{origin}：{OPERATION_ZH.get(str(o['operation']), o['operation'])} {o['value']}）")
    return f"该值由{'，再由'.join(hits)}设定。" if hits else ""


def write_diagnosis(diag: Diagnosis, path: Path, lang: str = "both") -> Path:
    """Write the diagnosis workbook atomically (:func:`landopt.report.diagnosis_book.write_diagnosis`)."""
    from landopt.report.diagnosis_book import write_diagnosis as write

    return write(diag, path, lang)
