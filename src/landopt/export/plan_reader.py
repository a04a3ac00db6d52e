"""Read a plan workbook written by ``landopt solve`` (or ``landopt alternatives``) back into tables.

The plan workbook holds every table as a named Excel table: ``Allocation`` (every region, land use and milestone
year with its baseline and area), ``Conversions``, ``Run`` and the input echo (``Input_regions``,
``Input_land_uses``, ``Input_transitions``, ``Input_targets``, ``Input_area_bounds`` …).  Headers are bilingual
(``area 面积 (ha)``); this reader maps them back to landopt's column names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from landopt.errors import UsageError

#: English part of a plan-workbook header (its start) → column name, for the Allocation and Conversions tables
#: (headers are bilingual, Chinese first: '区域编号 region id'; the English part is read)
HEADER_PREFIXES: tuple[tuple[str, str], ...] = (
    ("region id", "region"), ("region", "region_zh"), ("land-use id", "land_use"), ("land use", "land_use_zh"),
    ("from (id)", "from_land_use"), ("from", "from_land_use_zh"), ("to (id)", "to_land_use"), ("to", "to_land_use_zh"),
    ("period start", "period_start"), ("period end", "year"), ("year", "year"),
    ("baseline", "baseline_ha"), ("area converted", "area_ha"), ("area", "area_ha"), ("change（%", "change_pct"),
    ("change", "change_ha"),
)
_CJK = re.compile(r"^[\u3000-\u9fff\uff00-\uffef（）、/]+\s+")


def english(header: str) -> str:
    """The English part of a bilingual header ('区域编号 region id' → 'region id'); the header itself otherwise."""
    return _CJK.sub("", str(header), count=1)


class PlanReadError(UsageError):
    """The file is not a readable plan workbook."""


@dataclass
class PlanTables:
    path: Path
    allocation: pd.DataFrame  # region, land_use, year, baseline_ha, area_ha (+ Chinese names)
    conversions: pd.DataFrame  # region, from_land_use, to_land_use, year, area_ha
    regions: pd.DataFrame  # region, name_zh, total_area_ha
    land_uses: pd.DataFrame  # land_use, name_zh, role, ...
    transitions: pd.DataFrame  # from_land_use, to_land_use, max_pct_per_period
    targets: pd.DataFrame
    area_bounds: pd.DataFrame
    run: dict[str, object]

    @property
    def baseline_year(self) -> int:
        return int(self.run.get("baseline year") or 0)

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.allocation["year"].unique())

    def demand(self) -> pd.DataFrame:
        """Area (ha) by region × year (baseline year first) × land use: the land-use demand a spatial model takes."""
        a = self.allocation
        base = a[a["year"] == a["year"].min()][["region", "land_use", "baseline_ha"]].rename(
            columns={"baseline_ha": "area_ha"}).assign(year=self.baseline_year)
        long = pd.concat([base, a[["region", "land_use", "year", "area_ha"]]], ignore_index=True)
        return long


def _table(wb, name: str, path: Path, required: bool = True) -> pd.DataFrame:
    for ws in wb.worksheets:
        if name in ws.tables:
            rows = list(ws[ws.tables[name].ref])
            head = [str(c.value) if c.value is not None else "" for c in rows[0]]
            data = [[c.value for c in r] for r in rows[1:]]
            df = pd.DataFrame(data, columns=head)
            return df.dropna(how="all")
    if required:
        raise PlanReadError(f"{path}: no table '{name}' — is this a plan workbook written by `landopt solve`? "
                            f"(expected a named Excel table '{name}')")
    return pd.DataFrame()


def _rename_plan(df: pd.DataFrame) -> pd.DataFrame:
    names = {}
    for h in df.columns:
        for prefix, name in HEADER_PREFIXES:
            if english(h).startswith(prefix) and name not in names.values():
                names[h] = name
                break
    return df.rename(columns=names)


def _rename_input(df: pd.DataFrame) -> pd.DataFrame:
    """Input echo headers are '中文 column（unit）': keep the column name."""
    return df.rename(columns={h: re.sub(r"\s*[(（].*[)）]$", "", english(h)) for h in df.columns})


def read_plan(path: str | Path) -> PlanTables:
    """The tables of plan workbook ``path``; PlanReadError naming the file and the missing table otherwise."""
    from openpyxl import load_workbook

    path = Path(path)
    if not path.is_file():
        raise PlanReadError(f"{path}: no such file (expected a plan workbook .xlsx written by `landopt solve`)")
    try:
        wb = load_workbook(path, read_only=False, data_only=True)
    except Exception as e:  # not a zip/xlsx
        raise PlanReadError(f"{path}: cannot be read as an Excel workbook ({type(e).__name__}: {e})") from None
    alloc = _rename_plan(_table(wb, "Allocation", path))
    missing = [c for c in ("region", "land_use", "year", "baseline_ha", "area_ha") if c not in alloc.columns]
    if missing:
        raise PlanReadError(f"{path}: table 'Allocation' lacks the column(s) {', '.join(missing)} "
                            f"(headers found: {', '.join(map(str, alloc.columns))})")
    alloc["year"] = alloc["year"].astype(int)
    for c in ("baseline_ha", "area_ha"):
        alloc[c] = pd.to_numeric(alloc[c]).astype(float)
    conv = _rename_plan(_table(wb, "Conversions", path))
    conv = conv[conv.get("region", pd.Series(dtype=object)).notna()] if "region" in conv.columns else conv
    run_t = _table(wb, "Run", path, required=False)
    run = dict(zip(map(english, run_t.iloc[:, 0]), run_t.iloc[:, 1])) if not run_t.empty else {}
    if not run.get("baseline year"):
        raise PlanReadError(f"{path}: table 'Run' has no 'baseline year' row")
    return PlanTables(path=path, allocation=alloc.reset_index(drop=True), conversions=conv.reset_index(drop=True),
                      regions=_rename_input(_table(wb, "Input_regions", path)),
                      land_uses=_rename_input(_table(wb, "Input_land_uses", path)),
                      transitions=_rename_input(_table(wb, "Input_transitions", path, required=False)),
                      targets=_rename_input(_table(wb, "Input_targets", path, required=False)),
                      area_bounds=_rename_input(_table(wb, "Input_area_bounds", path, required=False)), run=run)


def side_by_side(paths: list[str | Path], year: int | None = None) -> pd.DataFrame:
    """Area (ha) by (region, land_use) of several plan workbooks side by side, one column per file (its stem), in
    ``year`` (default: each plan's target year) — how alternatives written to disk are compared."""
    cols = {}
    for p in paths:
        t = read_plan(p)
        y = year if year is not None else max(t.years)
        a = t.allocation[t.allocation["year"] == y].set_index(["region", "land_use"])["area_ha"]
        cols[f"{Path(p).stem}_ha"] = a
    return pd.DataFrame(cols)
