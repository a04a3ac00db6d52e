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
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from landopt.model.build import LandModel, build
from landopt.model.families import MEANINGS
from landopt.results import where_text
from landopt.backends.highs import INF, new_highs, pass_to_highs, solve_form
from landopt.model.standard_form import StandardForm
from landopt.spec import ModelSpec

log = logging.getLogger(__name__)

#: plain-words name of each constraint (from its family's ``CONSTRAINTS``)
NOUNS: dict[str, str] = {name: meaning.noun for name, meaning in MEANINGS.items()}
UNIT_WORDS = {"SU": "sheep units", "ha": "ha", "MW": "MW"}


def _where(row: pd.Series) -> str:
    return where_text(row.get("region"), row.get("year"), row.get("land_use"), year_in_parens=False)


def _source(row: pd.Series, kind: str = "xlsx") -> str:
    where = f"sheet {row['sheet']}" if kind == "xlsx" else f"file {row['sheet']}.csv"
    if int(row["row"] or 0) > 0:
        where += f", row {int(row['row'])}"
    return f"{where}, column {row['column']}"


def relaxation_text(row: pd.Series, amount: float, kind: str = "xlsx", spec: ModelSpec | None = None) -> str:
    """The relaxation in words, in the unit of the cell that set the requirement."""
    unit = UNIT_WORDS.get(row["unit"], row["unit"])
    noun = NOUNS.get(row["constraint"], row["constraint"])
    rhs = f"{row['rhs']:,.0f}" if abs(row["rhs"]) >= 100 else f"{row['rhs']:,.4g}"
    amt = f"{amount:,.0f}" if abs(amount) >= 100 else f"{amount:,.4g}"
    src = _source(row, kind)
    if row["constraint"] == "urban_demand" and spec is not None:  # set by two cells: persons × m² per person
        t = spec.targets
        hit = t[(t["region"] == row.get("region")) & (t["year"] == row.get("year"))]
        if len(hit):
            pop, m2 = float(hit["urban_population"].iloc[0]), float(hit["urban_land_per_capita_m2"].iloc[0])
            persons, per = amount * 1e4 / m2, amount * 1e4 / pop if pop else float("nan")
            return (f"The {_where(row)} urban land demand of {rhs} ha ({pop:,.0f} persons × {m2:,.4g} m²/person) is "
                    f"{amt} ha more than the land can provide: lower the urban population by {persons:,.0f} persons "
                    f"or the urban land per resident by {per:,.3g} m²/person ({src} and column "
                    f"urban_land_per_capita_m2), or allow {amt} ha more urban land (urban_boundary_ha, if it binds).")
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


@dataclass
class Diagnosis:
    spec: ModelSpec
    relaxations: pd.DataFrame  # rows to relax: label, constraint, sense, rhs, relaxation, unit, sheet, row, column, text
    conflict: pd.DataFrame  # IIS rows: label, constraint, sense, rhs, unit, sheet, row, column
    message: str
    scenario: str | None = None
    extra: dict = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [self.message]
        out += [f"relax: {t}" for t in self.relaxations["text"]]
        if not self.conflict.empty:
            policy = self.conflict[self.conflict["policy"]]
            out.append(f"conflicting requirements (HiGHS irreducible infeasible set of {len(self.conflict)} rows, "
                       f"accounting identities not listed): " + "; ".join(policy["label"]))
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
    iis_rows = _iis(form)
    conflict = rows.iloc[iis_rows].copy() if iis_rows else rows.iloc[0:0].copy()
    conflict["text"] = [f"{r['label']} {r['sense']} {r['rhs']:,.4g} {r['unit']} ({_source(r, spec.location_kind)})"
                        for _, r in conflict.iterrows()]
    if status != "optimal":
        msg = ("No plan exists even when every target, floor and limit may be relaxed: the accounting identities "
               "themselves conflict (check that baseline areas add up to the region totals).")
    elif rel.empty:
        msg = "The model is infeasible, but no requirement needed relaxing beyond numerical tolerance."
    else:
        n = len(rel)
        msg = (f"No plan meets every requirement. The smallest relaxation that restores a plan changes "
               f"{n} requirement{'s' if n != 1 else ''}:")
    cols = ["label", "constraint", "family", "sense", "rhs", "unit", "sheet", "row", "column", "region", "land_use", "year",
            "policy"]
    return Diagnosis(spec=spec, relaxations=rel[cols + ["relaxation", "direction", "text"]].reset_index(drop=True),
                     conflict=conflict[cols + ["text"]].reset_index(drop=True), message=msg, scenario=spec.scenario)


def scenario_overrides_of(spec: ModelSpec, row: pd.Series) -> list[str]:
    """The scenario overrides that changed the cell a requirement came from: 'S (sheet 'scenarios', row N: scale 3)'."""
    ov = spec.overrides
    if ov is None or ov.empty or not int(row.get("row") or 0):
        return []
    hits = []
    for _, o in ov[(ov["sheet"] == row["sheet"]) & (ov["column"] == row["column"])].iterrows():
        changed = {int(x) for x in str(o.get("rows_changed") or "").replace(" ", "").split(",") if x.isdigit()}
        if int(row["row"]) in changed:
            hits.append(f"{o['scenario']} ({o['origin']}: {o['operation']} {o['value']})")
    return hits


def scenario_origin(spec: ModelSpec, row: pd.Series) -> str:
    """' The value there was set by scenario S (…).' when a scenario override changed the cell; '' otherwise."""
    hits = scenario_overrides_of(spec, row)
    return f" The value there was set by scenario {'; then '.join(hits)}." if hits else ""


def relaxation_text_zh(row: pd.Series, amount: float, names: dict | None = None) -> str:
    """The relaxation in Chinese: where, which requirement, by how much, and the cell that set it."""
    meaning = MEANINGS.get(row["constraint"])
    noun = meaning.noun_zh if meaning else str(row["constraint"])
    unit = {"ha": "公顷", "SU": "羊单位", "MW": "兆瓦", "yuan": "元"}.get(row["unit"], str(row["unit"]))
    region = row.get("region")
    where = ("" if region is None or region != region else f"{(names or {}).get(region) or region} ") + \
        ("" if row.get("year") is None or row.get("year") != row.get("year") else f"{int(row['year'])}年 ")
    d = row.get("direction", 0)
    verb = "需降低" if row["sense"] == ">=" or row["sense"] == "==" and d > 0 else "需放宽" if row["sense"] == "<=" \
        else "需提高" if d < 0 else "需调整"
    amt = f"{amount:,.0f}" if abs(amount) >= 100 else f"{amount:,.4g}"
    cell = f"工作表 {row['sheet']}" + (f" 第{int(row['row'])}行" if int(row["row"] or 0) > 0 else "") + f" {row['column']}列"
    return f"{where or '全区 '}{noun}{verb} {amt} {unit}（{cell}）"


def write_diagnosis(diag: Diagnosis, path: Path, lang: str = "both") -> Path:
    """Write the diagnosis workbook atomically: page one says why there is no plan and what to relax (Chinese first),
    then the relaxations and the conflicting set traced to the input cells."""
    from openpyxl import Workbook

    from landopt.report.bilingual import write_sheet
    from landopt.report.excel import atomic_save
    from landopt.report.i18n import tr

    wb = Workbook()
    ws = wb.active
    ws.title = tr(("诊断", "diagnosis"), lang)
    rel = diag.relaxations
    names = dict(zip(diag.spec.regions["region"], diag.spec.regions["name_zh"].fillna(""))) if "name_zh" in diag.spec.regions else {}
    zh = [relaxation_text_zh(r, a, names) + "".join(f"；该值由情景 {h} 设定" for h in scenario_overrides_of(diag.spec, r))
          for (_, r), a in zip(rel.iterrows(), rel["relaxation"])] if not rel.empty else []
    page = pd.DataFrame({"what": [tr(("原因", "why"), lang)] + [tr(("放宽", "relax"), lang)] * len(rel),
                         "text": [tr(("各项约束无法同时满足。以下为恢复可行方案的最小放宽量（按输入单元格）。", diag.message), lang)]
                         + [tr((z, e), lang, sep="；") for z, e in zip(zh, rel["text"] if not rel.empty else [])]})
    write_sheet(ws, page, lang=lang, table_name="Diagnosis",
                title=("无可行方案：诊断", "No feasible plan: diagnosis"),
                note=(f"情景 {diag.scenario or 'base'}；输入 {diag.spec.input_path or ''}",
                      f"scenario {diag.scenario or 'base'}; input {diag.spec.input_path or ''}"),
                headers={"what": ("项目", "item"), "text": ("说明", "what it means")})
    heads = {"label": ("约束编号", "constraint id"), "constraint": ("约束类型", "constraint"), "sense": ("关系", "sense"),
             "rhs": ("约束值", "requirement value"), "relaxation": ("最小放宽量", "smallest relaxation"),
             "unit": ("单位", "unit"), "sheet": ("来源工作表", "source sheet"), "row": ("来源行", "source row"),
             "column": ("来源列", "source column"), "text": ("说明", "what it means"), "policy": ("政策约束", "policy")}
    if not rel.empty:
        rel = rel.assign(text=[tr((z, e), lang, sep="；") for z, e in zip(zh, rel["text"])])
    write_sheet(wb.create_sheet(tr(("放宽方案", "relaxations"), lang)), rel, lang=lang, table_name="Relaxations",
                title=("最小放宽方案", "Smallest relaxation"), headers=heads,
                note=("每一行：哪项约束、放宽多少、由哪个输入单元格设定。", "Each row: which requirement, by how much, and the input cell that set it."))
    write_sheet(wb.create_sheet(tr(("冲突约束", "conflicting set"), lang)), diag.conflict, lang=lang,
                table_name="ConflictingSet", title=("相互冲突的约束（不可约不可行子集）", "Conflicting requirements (irreducible infeasible set)"),
                headers=heads, note=("去掉其中任一行，其余即可同时满足。", "Dropping any one of these rows lets the rest hold together."))
    return atomic_save(wb, Path(path))
