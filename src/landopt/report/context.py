"""What every sheet writer of the plan workbook shares: the result, the book, the language, names and colours."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from landopt.report.brief import Names, names_of, source_counts
from landopt.report.i18n import SHEETS, W, Label, sheet_name, title_in, tr, unit, with_unit
from landopt.report.style import land_use_colours
from landopt.report.xlsx import Book, write_note, write_title
from landopt.results import PlanResult

HEADER_ROW = 3  # 0-based: rows 0-1 title and note, row 2 block title, row 3 the first header
#: Row caps in the workbook (the full tables go beside it): what a planner reads, not what a machine stores.
CAP_LONG = 5_000  # long all-year tables (allocation, carbon, conversions): a planner filters, a machine reads the Parquet
CAP_ROWS = 2_000  # one row per constraint / per variable (all constraints, ranging, unused options)
CAP_BINDING = 500  # binding measures listed
#: A plan with more columns than this is a grid-level plan (every county-level plan of a province stays below: 183
#: counties × 96 columns ≈ 17,600 at the most): its workbook's long tables hold the first rows only, at the caps of
#: :data:`GRID_CAPS`, and every full table goes beside it (the same size above which the least-change second stage
#: and the 1 % re-solves are skipped).
GRID_COLUMNS = 50_000
GRID_CAPS = {"long": 1_000, "rows": 500, "binding": 200}
#: Charts by region are drawn up to this many regions (a county-level plan); above, a bar per region is unreadable
#: and the sheet says the charts were left out.
MAX_CHART_REGIONS = 200


@dataclass
class Ctx:
    result: PlanResult
    book: Book
    lang: str
    names: Names
    colours: dict[str, str]
    target_year: int
    baseline_year: int
    years: tuple[int, ...]
    sheet_names: dict[str, str] = field(default_factory=dict)

    @property
    def grid_level(self) -> bool:
        """More than :data:`GRID_COLUMNS` columns: the long tables are cut shorter (:data:`GRID_CAPS`)."""
        return int(self.result.metadata.get("variables") or 0) > GRID_COLUMNS

    @property
    def region_charts(self) -> bool:
        """Whether the by-region bar charts are drawn (at most :data:`MAX_CHART_REGIONS` regions)."""
        return len(self.names.regions) <= MAX_CHART_REGIONS

    def no_region_charts_note(self, ws: Any, row: int) -> int:
        """The note that stands where the by-region charts would be; returns the next free row."""
        n = len(self.names.regions)
        return write_note(self.book, ws, row, self.t((
            f"区域数（{n}个）超过{MAX_CHART_REGIONS}个，按区域的柱状图从略：请按上表筛选或排序。",
            f"{n} regions (more than {MAX_CHART_REGIONS}): the charts by region are left out; filter or sort the table "
            "above.")))

    @property
    def cap_long(self) -> int:
        """Rows of a long all-year table in the workbook (allocation detail, conversions, carbon detail, grazing ...)."""
        return GRID_CAPS["long"] if self.grid_level else CAP_LONG

    @property
    def cap_rows(self) -> int:
        """Rows of a one-row-per-constraint / per-variable table (all constraints, ranging, unused options, inputs)."""
        return GRID_CAPS["rows"] if self.grid_level else CAP_ROWS

    @property
    def cap_binding(self) -> int:
        """Binding measures listed (and worded) on the constraints sheet."""
        return GRID_CAPS["binding"] if self.grid_level else CAP_BINDING

    def estimates_clause(self) -> tuple[str, str] | None:
        """'本表数字所依赖的输入多为估算值…' when more than half of the input figures are estimates, else None."""
        c = source_counts(self.result)
        if not c["total"] or c["estimate"] * 2 <= c["total"]:
            return None
        return (f"本表数字所依赖的输入多为估算值（{c['total']} 项中 {c['estimate']} 项，见摘要表），仅供参考。",
                f" Most inputs behind these figures are estimates ({c['estimate']} of {c['total']}, see the brief): "
                "read them as indicative.")

    def t(self, key: str | Label) -> str:
        """A word from :data:`landopt.report.i18n.W` (or a (zh, en) label) in the workbook's language."""
        return tr(W[key] if isinstance(key, str) else key, self.lang)

    def h(self, key: str | Label, unit: str = "") -> str:
        """A header with its unit: '面积 area（公顷/ha）'."""
        return with_unit(W[key] if isinstance(key, str) else key, unit, self.lang)

    def u(self, code: str) -> str:
        return unit(code, self.lang)

    def sheet(self, key: str) -> Any:
        name = sheet_name(key, self.lang)
        self.sheet_names[key] = name
        return self.book.sheet(name, HEADER_ROW)

    def title(self, ws: Any, key: str, note: Label, estimates: bool = True) -> None:
        """Sheet title (the sheet's name in full) and its one-line description, ending with how much of the input
        is estimated when most of it is (a sheet printed alone still says so; ``estimates=False``: not — a sheet with
        no table, whose columns are too narrow to wrap a long note within one printed page)."""
        write_title(self.book, ws, 0, f"{tr(SHEETS[key], self.lang)} — {title_in(self.result.spec.title, self.lang)}")
        zh, en = (note, note) if isinstance(note, str) else note
        est = self.estimates_clause() if estimates else None
        write_note(self.book, ws, 1, tr((zh + est[0], en + est[1]) if est else (zh, en), self.lang))
        ws.freeze_panes(HEADER_ROW + 1, 0)

    def period_start(self, year: int) -> int:
        """The end of the previous milestone (or the baseline year) for the period ending at milestone ``year``: the
        period is (start, year], written start + 1 – year (2020–2025)."""
        return max([self.baseline_year, *(y for y in self.years if y < int(year))])

    def region_names(self, ids: pd.Series) -> list[str]:
        ids = pd.Series(ids).astype(str)
        names = {r: self.names.region(r, self.lang) for r in ids.unique()}  # once per distinct id
        return ids.map(names).tolist()

    def lu_names(self, ids: pd.Series) -> list[str]:
        ids = pd.Series(ids).astype(str)
        names = {x: self.names.land_use(x, self.lang) for x in ids.unique()}
        return ids.map(names).tolist()

    def sort(self, df: pd.DataFrame, by: list[str]) -> pd.DataFrame:
        """Rows in the workbook's region / land-use order (not alphabetical)."""
        keys = {}
        for c in by:
            if c == "region":
                order = {r: i for i, r in enumerate(self.names.regions)}
            elif c in ("land_use", "from_land_use", "to_land_use"):
                order = {x: i for i, x in enumerate(self.names.land_uses)}
            else:
                keys[c] = df[c]
                continue
            keys[c] = df[c].astype(str).map(order).fillna(len(order))
        idx = pd.DataFrame(keys).sort_values(by, kind="stable").index
        return df.loc[idx].reset_index(drop=True)


def make_ctx(result: PlanResult, book: Book, lang: str) -> Ctx:
    spec = result.spec
    names = names_of(result)
    return Ctx(result=result, book=book, lang=lang, names=names,
               colours=land_use_colours(names.land_uses, names.roles), target_year=int(spec.target_year),
               baseline_year=int(spec.baseline_year), years=tuple(int(y) for y in spec.years))
