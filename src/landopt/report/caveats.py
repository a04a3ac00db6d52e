"""Caveats travel with the numbers: which inputs marked *estimate* a result figure rests on.

The ``sources`` sheet lists where each input figure comes from, with a status (``verified`` or ``estimate``;
``illustrative`` counts as an estimate).  A source row marks inputs as estimated by this rule:

* the input sheet in its ``sheet`` column;
* the columns of that sheet whose id appears in its ``item`` text (``"cropland_min_ha Shigatse..Ngari"`` marks
  ``targets.cropland_min_ha``); when no column id appears, every column of the sheet (``"carbon flux forest"``
  marks all of ``land_uses``);
* the regions whose id appears in ``item`` (``A..B`` = every region from A to B in the regions sheet's order);
  when none appears, every region.

A result figure is flagged with the estimated inputs among those it depends on (:data:`DEPENDS`): its carbon
coefficients and baseline areas for any carbon figure, the cost columns for costs, ``output_yuan_per_ha_yr`` for
the economic-output trade-off, the requirement's own column for a binding measure's gain from a 1% relaxation, the
``scenarios`` sheet for a scenario's result.  The flag is short, so that a table still prints one page wide:
``估算 estimate [1, 2]`` with the numbers of the inputs, which :meth:`Caveats.legend` lists under the table
(``[1] 碳库与净通量 carbon_stocks；[2] 基期现状面积 baseline.area_ha``); ``—`` when none of its inputs is marked
estimate.  :meth:`Caveats.words` spells the inputs out in full.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import pandas as pd

from landopt.report.i18n import DEFAULT_LANG, INPUT_COLUMNS, INPUT_SHEETS, tr

Dep = tuple[str, str | None]  # (input sheet, column id or None = the whole sheet)
ESTIMATE_STATUSES = ("estimate", "illustrative")

#: What each kind of result figure depends on.  "carbon" is completed by the accounting's coefficients
#: (:func:`carbon_deps`).
DEPENDS: dict[str, tuple[Dep, ...]] = {
    "area": (("baseline", "area_ha"),),
    "livestock_ch4": (("grazing", "ch4_kg_per_su_yr"),),
    "avoided": (("energy", "pv_mw_per_ha"), ("energy", "pv_mwh_per_mw_yr"), ("energy", "grid_factor_tco2_per_mwh")),
    "cost": (("transitions", "cost_yuan_per_ha"), ("grazing", "rest_cost_yuan_per_ha_yr"),
             ("targets", "redevelopment_cost_yuan_per_ha")),
    "economic_output": (("land_uses", "output_yuan_per_ha_yr"),),
    "food": (("land_uses", "food_t_per_ha_yr"),),
    "livestock": (("grazing", "forage_yield_kg_per_ha"), ("grazing", "utilisation_rate"),
                  ("grazing", "intake_kg_per_su_yr")),
    "scenario": (("scenarios", None),),
}
#: Carbon coefficients by accounting.
COEFFICIENTS: dict[str, tuple[Dep, ...]] = {
    "stock_change": (("carbon_stocks", None), ("transitions", "soil_transition_years"), ("transitions", "soil_change_pct")),
    "flux": (("land_uses", "carbon_flux_tC_per_ha_yr"), ("carbon_by_region", None)),
}

#: The rule in one sentence, for sheet descriptions.
RULE: tuple[str, str] = (
    "“数据状态”列标出该行数值所依赖、且在输入 sources 表中标为估算（estimate）的输入（编号见表下）：碳数值依赖碳系数、"
    "基期面积和牲畜甲烷排放系数；费用依赖转换成本、禁牧休牧补助与存量建设用地盘活成本；权衡曲线还依赖第二目标的系数；约束放宽1%可增碳汇还依赖该约束的输入列；"
    "情景结果还依赖情景调整。“—”表示所依赖的输入均未标为估算。",
    "The 'data basis' column marks the inputs this row's figures rest on that the sources sheet marks estimate "
    "(numbered under the table): carbon figures rest on the carbon coefficients, baseline areas and livestock CH4 "
    "factors; costs on the conversion costs, ban/rest subsidies and redevelopment costs; a trade-off curve also on its second objective's "
    "coefficients; a measure's gain from a 1% relaxation also on the requirement's own input column; a scenario's result also on "
    "its overrides. '—' = none of them is marked estimate.",
)
HEADER: tuple[str, str] = ("数据状态", "data basis")
#: Chinese names of inputs whose column label alone would be vague
INPUT_ZH: dict[Dep, str] = {("baseline", "area_ha"): "基期现状面积", ("carbon_by_region", None): "分区域碳系数"}


def carbon_deps(accounting: str) -> tuple[Dep, ...]:
    """What every carbon figure rests on: the accounting's coefficients, the baseline areas, livestock CH4."""
    return (*COEFFICIENTS.get(accounting, COEFFICIENTS["flux"]), *DEPENDS["area"], *DEPENDS["livestock_ch4"])


@dataclass(frozen=True)
class Mark:
    """One estimated input: sheet, columns (None = all) and regions (None = all) it covers."""

    sheet: str
    columns: frozenset[str] | None
    regions: frozenset[str] | None


def _regions_in(item: str, regions: Sequence[str]) -> frozenset[str] | None:
    found: set[str] = set()
    for a, b in re.findall(r"([A-Za-z_][\w-]*)\s*\.\.\s*([A-Za-z_][\w-]*)", item):
        if a in regions and b in regions:
            i, j = sorted((regions.index(a), regions.index(b)))
            found.update(regions[i:j + 1])
    words = set(re.findall(r"[A-Za-z_][\w-]*", item))
    found.update(r for r in regions if r in words)
    return frozenset(found) if found else None


def marks_of(sources: pd.DataFrame | None, regions: Sequence[str] = (), columns: dict[str, list[str]] | None = None
             ) -> list[Mark]:
    """The estimated inputs the ``sources`` table marks (rule in the module docstring).

    ``columns``: sheet → its column ids (default: :mod:`landopt.schema` plus the scenarios sheet)."""
    if sources is None or sources.empty or "status" not in sources.columns or "sheet" not in sources.columns:
        return []
    if columns is None:
        from landopt.schema import SCENARIOS_SHEET, SHEETS

        columns = {n: s.column_names for n, s in SHEETS.items()} | {"scenarios": SCENARIOS_SHEET.column_names}
    regions = [str(r) for r in regions]
    out: list[Mark] = []
    items = sources["item"] if "item" in sources.columns else pd.Series([""] * len(sources), index=sources.index)
    for sheet, item, status in zip(sources["sheet"], items, sources["status"]):
        if str(status).strip().lower() not in ESTIMATE_STATUSES or not isinstance(sheet, str):
            continue
        text = item if isinstance(item, str) else ""
        words = set(re.findall(r"[A-Za-z_][\w]*", text))
        named = frozenset(c for c in columns.get(sheet.strip(), []) if c in words)
        out.append(Mark(sheet.strip(), named or None, _regions_in(text, regions)))
    return out


class Caveats:
    """Flags for result figures: the estimated inputs among a figure's dependencies, in words."""

    def __init__(self, sources: pd.DataFrame | None, regions: Sequence[str] = (), accounting: str = "flux",
                 lang: str = DEFAULT_LANG) -> None:
        self.marks = marks_of(sources, regions)
        self.carbon = carbon_deps(accounting)
        self.lang = lang
        self.keys: dict[Dep, int] = {}  # estimated input → its number in the flags and the legend, in order of use

    @classmethod
    def of(cls, spec: Any, lang: str = DEFAULT_LANG) -> "Caveats":
        """The caveats of a :class:`~landopt.spec.ModelSpec`."""
        return cls(getattr(spec, "sources", None), [str(r) for r in spec.region_ids], spec.accounting, lang)

    def estimated(self, deps: Iterable[Dep], region: Any = None) -> list[Dep]:
        """The dependencies (sheet, column) that an estimate covers, for ``region`` (None: any region)."""
        out: list[Dep] = []
        for sheet, col in deps:
            hit = any(m.sheet == sheet
                      and (col is None or m.columns is None or col in m.columns)
                      and (region is None or m.regions is None or str(region) in m.regions)
                      for m in self.marks)
            if hit and (sheet, col) not in out:
                out.append((sheet, col))
        return out

    def flag(self, deps: Iterable[Dep], region: Any = None) -> str:
        """``'估算 estimate [1, 2]'`` (the numbers of :meth:`legend`), or ``'—'`` when no input is an estimate."""
        hits = self.estimated(deps, region)
        if not hits:
            return "—"
        for d in hits:
            self.keys.setdefault(d, len(self.keys) + 1)
        return tr(("估算", "estimate"), self.lang) + " [" + ", ".join(str(self.keys[d]) for d in hits) + "]"

    def label(self, dep: Dep) -> str:
        """``'基期现状面积 baseline.area_ha'``: an input by its Chinese label (the column's, or the sheet's when the
        whole sheet counts), then its id."""
        s, c = dep
        zh = INPUT_ZH.get(dep) or (INPUT_COLUMNS.get(c, c) if c else INPUT_SHEETS.get(s, s))
        return tr((zh, f"{s}.{c}" if c else s), self.lang)

    def words(self, deps: Iterable[Dep], region: Any = None) -> str:
        """The estimated inputs spelled out: ``'估算：碳库与净通量、基期现状面积 estimate: carbon_stocks, baseline.area_ha'``."""
        hits = self.estimated(deps, region)
        if not hits:
            return "—"
        zh = "、".join(INPUT_ZH.get((s, c)) or (INPUT_COLUMNS.get(c, c) if c else INPUT_SHEETS.get(s, s)) for s, c in hits)
        en = ", ".join(f"{s}.{c}" if c else s for s, c in hits)
        return tr((f"估算：{zh}", f"estimate: {en}"), self.lang)

    def legend(self) -> str:
        """The numbered estimated inputs the flags so far refer to ('' when none):
        ``'估算的输入 estimated inputs：[1] 碳库与净通量 carbon_stocks；[2] 基期现状面积 baseline.area_ha'``."""
        if not self.keys:
            return ""
        items = "；".join(f"[{k}] {self.label(d)}" for d, k in sorted(self.keys.items(), key=lambda x: x[1]))
        return tr(("估算的输入", "estimated inputs"), self.lang) + "：" + items

    def share(self, deps: Iterable[Dep]) -> float:
        """Share of ``deps`` that an estimate covers (0–1)."""
        deps = list(deps)
        return len(self.estimated(deps)) / len(deps) if deps else 0.0
