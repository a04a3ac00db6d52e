"""Validate raw input tables and resolve them into a :class:`~landopt.spec.ModelSpec`.

Every check runs; all problems are collected and reported together, each
naming the sheet, the spreadsheet row, the column, the offending value and what
was expected (in the spirit of pandera's ``lazy=True``).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
import pandas as pd

from landopt.reader import ROW, RawWorkbook
from landopt.schema import DATA_SHEETS, SETTINGS_KEYS, SHEETS, Column, Sheet
from landopt.spec import ModelSpec

log = logging.getLogger(__name__)

TRUE = {"yes", "y", "true", "1", "是", "on"}
FALSE = {"no", "n", "false", "0", "否", "off", ""}


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str | None
    value: Any
    expected: str
    kind: str = "xlsx"

    def __str__(self) -> str:
        where = f"sheet '{self.sheet}'" if self.kind == "xlsx" else f"file '{self.sheet}.csv'"
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        if self.value is not None and not (isinstance(self.value, float) and math.isnan(self.value)):
            return f"{where}: value {_show(self.value)} — {self.expected}"
        return f"{where}: {self.expected}"


def _show(v: Any) -> str:
    """A cell value as messages show it: text quoted, numbers with thousands separators from 10,000 on."""
    if isinstance(v, (np.integer, np.floating)):
        v = v.item()
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return f"{v:,}" if abs(v) >= 10_000 else str(v)  # years (2035) and small numbers stay plain
    return repr(v)


class InputError(ValueError):
    """The input has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem], path: Any = None):
        self.problems = problems
        self.path = path
        head = f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {path or 'the input'}:"
        super().__init__("\n".join([head] + [f"  - {p}" for p in problems]))


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and v.strip() == "") or v is pd.NA


class _Checker:
    def __init__(self, raw: RawWorkbook):
        self.raw = raw
        self.problems: list[Problem] = []

    def add(self, sheet: str, row: int | None, column: str | None, value: Any, expected: str) -> None:
        self.problems.append(Problem(sheet, row, column, value, expected, self.raw.kind))

    # -- cell conversion -------------------------------------------------
    def convert(self, sheet: Sheet, df: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame({ROW: df[ROW].to_numpy()})
        for col in sheet.columns:
            if col.name not in df.columns:
                out[col.name] = np.nan if col.kind in ("number", "int") else None
                continue
            out[col.name] = self.convert_column(sheet.name, col, df[ROW], df[col.name])
        if len(out) == 0:
            out = out.astype({c.name: (float if c.kind in ("number", "int") else object) for c in sheet.columns})
        return out

    def convert_column(self, sheet: str, col: Column, rows: pd.Series, values: pd.Series) -> Any:
        """``[self.cell(sheet, col, r, v) for r, v in zip(rows, values)]``, vectorised.

        Cells that are clean are converted in bulk; every cell that could raise a problem goes
        through :meth:`cell` itself, in row order, so the problems and their messages are exactly
        those of the cell-by-cell loop.  Numeric columns are checked with numpy; text columns are
        converted once per distinct value (:meth:`distinct`).  Columns of mixed Python types take the loop.
        """
        n = len(values)
        x = _plain_numbers(values) if n and col.kind in ("number", "int") else None
        if x is not None:
            blank = np.isnan(x)
            with np.errstate(invalid="ignore"):
                bad = np.isinf(x) | (blank if col.required else np.zeros(n, dtype=bool))
                if col.kind == "int":
                    bad |= ~blank & (x != np.floor(x))
                if col.minimum is not None:
                    bad |= x < col.minimum
                if col.maximum is not None:
                    bad |= x > col.maximum
            if bad.any():
                r, v = rows.tolist(), values.tolist()  # the same Python objects the loop would see
                for i in np.flatnonzero(bad).tolist():
                    x[i] = self.cell(sheet, col, r[i], v[i])
            if col.kind == "int" and not np.isnan(x).any():
                return x.astype(np.int64)
            return x
        if n and pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            mapped, clean = self.distinct(sheet, col, uniques.tolist() + [None])  # code -1 (missing) picks None
            result = np.empty(len(mapped), dtype=object)
            result[:] = mapped
            out = result[codes]
            bad = ~np.array(clean)[codes]
            if bad.any():
                r, v = rows.tolist(), values.tolist()  # the same Python objects the loop would see
                for i in np.flatnonzero(bad).tolist():
                    out[i] = self.cell(sheet, col, r[i], v[i])
            return out.tolist()
        return [self.cell(sheet, col, r, v) for r, v in zip(rows, values)]

    def distinct(self, sheet: str, col: Column, values: list) -> tuple[list, list[bool]]:
        """Each of ``values`` converted as :meth:`cell` converts it, and whether that raises no problem.

        A string with text in an id, text or choice column converts to itself stripped (when it is
        one of the choices); every other value goes through :meth:`cell` with a throw-away checker.
        """
        if col.kind in ("id", "text", "choice"):
            mapped: list[Any] = [v.strip() if type(v) is str else "" for v in values]
            choices = col.choices if col.kind == "choice" else None
            clean = [bool(s) and (choices is None or s in choices) for s in mapped]
        else:
            mapped, clean = [None] * len(values), [False] * len(values)
        for i in [i for i, ok in enumerate(clean) if not ok]:
            probe = _Checker(self.raw)
            mapped[i] = probe.cell(sheet, col, 0, values[i])
            clean[i] = not probe.problems
        return mapped, clean

    def cell(self, sheet: str, col: Column, row: int, v: Any) -> Any:
        if _blank(v):
            if col.required:
                self.add(sheet, row, col.name, None, f"a value is required ({col.description or col.name})")
            return np.nan if col.kind in ("number", "int") else None
        if col.kind in ("number", "int"):
            x = _to_float(v)
            # "fraction" is not a unit one writes after a number; the bounds say it all
            unit = f" {col.unit}" if col.unit and col.unit != "fraction" else ""
            if col.kind == "int" and (x is None or not float(x).is_integer()):
                what = "a year (a whole number such as 2030)" if col.unit == "year" else "a whole number"
                self.add(sheet, row, col.name, v, f"expected {what}")
                return np.nan
            if x is None:
                self.add(sheet, row, col.name, v, f"expected a number{(' in' + unit) if unit else ''}")
                return np.nan
            # out of range: show the number as parsed, so CSV text '-5' and an Excel -5 read the same
            lo, hi = col.minimum, col.maximum
            if (lo is not None and x < lo) or (hi is not None and x > hi):
                if lo is not None and hi is not None:
                    rng = f"between {lo:g} and {hi:g}"
                else:
                    rng = f"≥ {lo:g}" if lo is not None else f"≤ {hi:g}"
                self.add(sheet, row, col.name, x, f"expected a number {rng}{unit}")
                return np.nan
            return int(x) if col.kind == "int" else x
        if col.kind == "bool":
            s = str(v).strip().lower()
            if s in TRUE:
                return True
            if s in FALSE:
                return False
            self.add(sheet, row, col.name, v, "expected yes or no")
            return None
        s = _to_id(v)
        if col.kind == "choice" and s not in col.choices:
            self.add(sheet, row, col.name, v, f"expected one of: {', '.join(col.choices)}")
            return None
        return s

    # -- table-level checks ----------------------------------------------
    def table(self, name: str) -> pd.DataFrame | None:
        sheet = SHEETS[name]
        df = self.raw.tables.get(name)
        if df is None:
            if sheet.required:
                self.add(name, None, None, None, f"not found (expected columns: {', '.join(sheet.column_names)})")
            return self.convert(sheet, pd.DataFrame({ROW: pd.Series([], dtype=int)}))
        missing = [c.name for c in sheet.columns if c.required and c.name not in df.columns]
        for m in missing:
            self.add(name, 1, m, None, f"required column is missing ({sheet.column(m).unit or 'text'}: {sheet.column(m).description})")
        known = set(sheet.column_names) | {ROW}
        for c in df.columns:
            if c not in known:
                log.warning("%s: column '%s' is not used by landopt and is ignored", self.raw.location(name), c)
        out = self.convert(sheet, df)
        self.duplicates(sheet, out)
        return out

    def duplicates(self, sheet: Sheet, df: pd.DataFrame) -> None:
        if not sheet.key or df.empty:
            return
        key = list(sheet.key)
        valid = df.dropna(subset=key)
        dup = valid[valid.duplicated(subset=key, keep=False)]
        for _, grp in dup.groupby(key, sort=False):
            rows = grp[ROW].tolist()
            for r in rows[1:]:
                value = ", ".join(f"{k}={grp[k].iloc[0]}" for k in key)
                self.add(sheet.name, int(r), sheet.key[0], value,
                         f"duplicate entry; the same {' and '.join(key)} is already on row {rows[0]}")

    def refs(self, name: str, df: pd.DataFrame, column: str, known: Iterable[str], what: str) -> None:
        known = set(known)
        values = df[column]
        # converted id cells are stripped strings, or None where blank (reported by the cell check if required);
        # each distinct id is looked up once, and blank cells (code -1) are not unknown ids
        codes, ids = pd.factorize(values)
        unknown = np.array([i not in known for i in ids.tolist()] + [False], dtype=bool)
        for i in np.flatnonzero(unknown[codes]).tolist():
            self.add(name, int(df[ROW].iloc[i]), column, values.iloc[i],
                     f"unknown {what}; expected one of: {', '.join(sorted(known))}")


def _plain_numbers(values: pd.Series) -> np.ndarray | None:
    """``values`` as floats (NaN where missing) when every cell is a plain int/float or missing, else None.

    For such cells ``float(v)`` is exactly what :func:`_to_float` computes; booleans and text are excluded.
    """
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_complex_dtype(dtype):
        return None
    if pd.api.types.is_numeric_dtype(dtype):
        return np.array(values.to_numpy(dtype=float, na_value=np.nan), dtype=float, copy=True)
    if dtype != object:
        return None
    v = values.to_numpy()
    kinds = set(map(type, v))
    if not kinds <= {int, float, type(None)}:
        return None
    if type(None) in kinds:
        v = np.where(pd.isna(v), np.nan, v)
    return np.asarray(v, dtype=float)


def _floats(values: pd.Series) -> np.ndarray:
    """A converted number column as a float array (NaN where blank or invalid)."""
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _to_float(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float, np.integer, np.floating)):
        x = float(v)
        return None if math.isnan(x) or math.isinf(x) else x
    try:
        x = float(str(v).strip().replace("\u2212", "-"))
    except ValueError:
        return None
    return None if math.isnan(x) or math.isinf(x) else x


blank, to_float = _blank, _to_float  #: public names (as in main's validate.cells) for modules that parse cells alike


def _to_id(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _settings(ck: _Checker, df: pd.DataFrame) -> dict[str, Any]:
    given = {k: (r, v) for r, k, v in zip(df[ROW], df["key"], df["value"]) if k is not None}
    for k, (r, _v) in given.items():
        if k not in SETTINGS_KEYS:  # a misspelt key would otherwise be ignored silently and its default used
            ck.add("settings", int(r), "key", k, f"unknown setting; expected one of: {', '.join(SETTINGS_KEYS)}")
    out: dict[str, Any] = {}
    for key, (kind, default, _desc) in SETTINGS_KEYS.items():
        row, raw = given.get(key, (None, default))
        text = "" if _blank(raw) else _to_id(raw)
        if kind == "int":
            x = _to_float(text) if text else None
            if x is None or not float(x).is_integer():
                ck.add("settings", row, "value", raw if text else None,
                       f"setting '{key}' needs a whole number (e.g. 2019)")
                out[key] = None
            else:
                out[key] = int(x)
        elif kind == "number":
            x = _to_float(text)
            if x is None or x < 0:
                ck.add("settings", row, "value", raw, f"setting '{key}' needs a number ≥ 0")
            out[key] = x
        elif kind == "bool":
            s = text.lower()
            if s not in TRUE | FALSE:
                ck.add("settings", row, "value", raw, f"setting '{key}' needs yes or no")
            out[key] = s in TRUE
        elif kind.startswith("choice:"):
            choices = kind.split(":", 1)[1].split("|")
            if text not in choices:
                ck.add("settings", row, "value", raw, f"setting '{key}' must be one of: {', '.join(choices)}")
            out[key] = text
        else:
            out[key] = text
    # milestone years
    row = given.get("milestone_years", (None, ""))[0]
    years: list[int] = []
    text = out.get("milestone_years") or ""
    for part in [p.strip() for p in str(text).replace(";", ",").split(",") if p.strip()]:
        x = _to_float(part)
        if x is None or not float(x).is_integer():
            ck.add("settings", row, "value", text, "setting 'milestone_years' needs years separated by commas, e.g. 2025,2030,2035")
            years = []
            break
        years.append(int(x))
    if not years and text == "":
        ck.add("settings", row, "value", None, "setting 'milestone_years' is required, e.g. 2025,2030,2035")
    if years and (sorted(set(years)) != years):
        ck.add("settings", row, "value", text, "milestone years must be increasing and distinct")
    by = out.get("baseline_year")
    if years and by is not None and years[0] <= by:
        ck.add("settings", row, "value", text, f"milestone years must come after the baseline year {by}")
    out["years"] = tuple(years)
    from landopt.model.families import FAMILIES  # local import: registry of family names

    off = [p.strip() for p in str(out.get("families_off") or "").split(",") if p.strip()]
    for f in off:
        if f not in FAMILIES:
            ck.add("settings", given.get("families_off", (None, ""))[0], "value", f,
                   f"unknown constraint family; expected one of: {', '.join(FAMILIES)}")
    out["families_off"] = frozenset(off)
    return out


def check(raw: RawWorkbook) -> tuple[ModelSpec | None, list[Problem]]:
    """Run every check; return the spec (when clean) and the list of problems."""
    ck = _Checker(raw)
    t = {name: ck.table(name) for name in DATA_SHEETS}
    if "sources" in raw.tables:  # not model data, but its required columns and status (verified/estimate) are checked
        ck.table("sources")
    settings = _settings(ck, t["settings"])
    years = settings["years"]

    regions, land_uses = t["regions"], t["land_uses"]
    region_ids = [r for r in regions["region"].tolist() if r]  # tolist: the same values as iterating, in bulk
    lu_ids = [l for l in land_uses["land_use"].tolist() if l]
    for name, col, ids in (("regions", "region", region_ids), ("land_uses", "land_use", lu_ids)):
        df = raw.tables.get(name)
        if df is not None and col in df.columns and not ids:
            ck.add(name, None, None, None, f"no {name.replace('_', ' ')} listed: add one row per {col.replace('_', ' ')}")
    # ids can only be checked against a list that exists; a missing sheet or column is reported above
    if region_ids:
        for name in ("baseline", "carbon_by_region", "targets", "grazing", "energy", "area_bounds"):
            ck.refs(name, t[name], "region", region_ids, f"region id (see {raw.location('regions')})")
    if lu_ids:
        for name in ("baseline", "carbon_by_region", "area_bounds"):
            ck.refs(name, t[name], "land_use", lu_ids, f"land-use id (see {raw.location('land_uses')})")
        ck.refs("transitions", t["transitions"], "from_land_use", lu_ids, f"land-use id (see {raw.location('land_uses')})")
        ck.refs("transitions", t["transitions"], "to_land_use", lu_ids, f"land-use id (see {raw.location('land_uses')})")
    if years:
        for name in ("targets", "grazing", "energy", "area_bounds"):
            y = _floats(t[name]["year"])
            for i in np.flatnonzero(~np.isnan(y) & ~np.isin(y, years)).tolist():
                ck.add(name, int(t[name][ROW].iloc[i]), "year", t[name]["year"].iloc[i],
                       f"not a milestone year; expected one of: {', '.join(map(str, years))}")
    tr = t["transitions"]
    for r, a, b in zip(tr[ROW], tr["from_land_use"], tr["to_land_use"]):
        if a is not None and a == b:
            ck.add("transitions", int(r), "to_land_use", b, "a land use cannot convert to itself")
    ab = t["area_bounds"]
    lo_ab, hi_ab = _floats(ab["min_ha"]), _floats(ab["max_ha"])
    with np.errstate(invalid="ignore"):
        bad_ab = lo_ab > hi_ab  # False where either is blank (NaN)
    for i in np.flatnonzero(bad_ab).tolist():
        ck.add("area_bounds", int(ab[ROW].iloc[i]), "min_ha", ab["min_ha"].iloc[i],
               f"larger than max_ha on the same row ({_show(ab['max_ha'].iloc[i])} ha); min_ha must not exceed max_ha")

    # baseline sums vs totals, floors vs totals
    base = t["baseline"]
    tol = settings.get("area_tolerance_pct") or 0.0
    totals = dict(zip(regions["region"].tolist(), regions["total_area_ha"].tolist()))
    reg_rows = dict(zip(regions["region"].tolist(), regions[ROW].tolist()))
    sums = base.dropna(subset=["area_ha"]).groupby("region")["area_ha"].sum().to_dict()
    # a region with a blank or invalid baseline area is already reported cell by cell; its sum would only mislead
    unsure = set(base.loc[base["area_ha"].isna(), "region"])
    for reg, total in totals.items():
        if reg is None or total != total or reg in unsure:
            continue
        s = float(sums.get(reg, 0.0))
        if total > 0 and abs(s - total) > tol / 100.0 * total + 1e-6:
            ck.add("baseline", None, "area_ha", None,
                   f"region '{reg}': baseline areas add up to {s:,.1f} ha but its total area ({raw.location('regions')}, row {reg_rows[reg]}) is "
                   f"{total:,.1f} ha — a gap of {s - total:+,.1f} ha ({(s - total) / total * 100:+.3f}%), more than the allowed {tol:g}%")
    floor_cols = {
        "targets": ["cropland_min_ha", "forest_min_ha", "wetland_min_ha", "grassland_min_ha", "urban_boundary_ha",
                    "afforestation_potential_ha"],
        "grazing": ["rest_min_ha"],
        "energy": ["pv_suitable_ha"],
        "area_bounds": ["min_ha"],
    }
    # the region's total area next to every row (NaN where the region or its total is unknown)
    total_by_region = pd.Series({k: v for k, v in totals.items() if k is not None}, dtype=float)
    total_of = {name: _floats(t[name]["region"].map(total_by_region)) for name in floor_cols}
    for name, cols in floor_cols.items():
        df, tot = t[name], total_of[name]
        for c in cols:
            v = _floats(df[c])
            with np.errstate(invalid="ignore"):
                over = v > tot * (1 + 1e-9)  # False where either is NaN
            for i in np.flatnonzero(over).tolist():
                ck.add(name, int(df[ROW].iloc[i]), c, df[c].iloc[i],
                       f"exceeds the total area of region '{df['region'].iloc[i]}' ({tot[i]:,.0f} ha)")
    tg = t["targets"]
    tot = total_of["targets"]
    floor_names = ("cropland", "forest", "wetland", "grassland")
    floors = np.column_stack([_floats(tg[f"{n}_min_ha"]) for n in floor_names]) if len(tg) else np.zeros((0, 4))
    sums = np.nansum(floors, axis=1)
    with np.errstate(invalid="ignore"):
        # each floor alone within the total (a single floor too large is reported above), together over it
        together = (sums > tot * (1 + 1e-9)) & np.all(np.isnan(floors) | (floors <= tot[:, None]), axis=1)
    for i in np.flatnonzero(together).tolist():
        vals = floors[i]
        parts = " + ".join(f"{n} {v:,.0f}" for n, v in zip(floor_names, vals) if v == v)
        ck.add("targets", int(tg[ROW].iloc[i]), "cropland_min_ha", None,
               f"the cropland, forest, wetland and grassland floors add up to {sums[i]:,.0f} ha ({parts}), "
               f"more than the total area of region '{tg['region'].iloc[i]}' ({tot[i]:,.0f} ha)")
    pop, pc = _floats(tg["urban_population"]), _floats(tg["urban_land_per_capita_m2"])
    one_of = np.isnan(pop) != np.isnan(pc)
    with np.errstate(invalid="ignore"):
        demand = pop * pc / 1e4
        too_big = demand > tot  # False where any is NaN
    for i in np.flatnonzero(one_of | too_big).tolist():
        r = int(tg[ROW].iloc[i])
        if one_of[i]:
            ck.add("targets", r, "urban_land_per_capita_m2" if pop[i] == pop[i] else "urban_population", None,
                   "urban_population and urban_land_per_capita_m2 go together: give both or neither")
        if too_big[i]:
            ck.add("targets", r, "urban_population", tg["urban_population"].iloc[i],
                   f"urban land demand {demand[i]:,.0f} ha exceeds the total area of region '{tg['region'].iloc[i]}' ({tot[i]:,.0f} ha)")

    # roles needed by the data that is given
    roles = set(land_uses["role"].dropna())
    # skip when the land uses or a role are missing or invalid (reported above): the role may well be there once fixed
    roles_known = bool(lu_ids) and bool(land_uses["role"].notna().all())
    needs = [("targets", "cropland_min_ha", "cropland"), ("targets", "urban_boundary_ha", "urban"),
             ("targets", "urban_population", "urban"), ("targets", "forest_min_ha", "forest"),
             ("targets", "afforestation_potential_ha", "forest"), ("targets", "wetland_min_ha", "wetland"),
             ("targets", "grassland_min_ha", "grassland"), ("energy", "pv_suitable_ha", "pv"),
             ("energy", "clean_capacity_min_mw", "pv")]
    for name, col, role in needs:
        df = t[name]
        if roles_known and role not in roles and df[col].notna().any():
            r = int(df.loc[df[col].notna(), ROW].iloc[0])
            ck.add(name, r, col, None, f"no land use on {raw.location('land_uses')} has role '{role}', which this column constrains")
    if roles_known and not t["grazing"].empty and "grassland" not in roles:
        ck.add("grazing", None, None, None, f"no land use on {raw.location('land_uses')} has role 'grassland', which the grazing balance needs")

    if ck.problems:
        return None, ck.problems

    spec = _resolve(raw, settings, t)
    return spec, []


def _resolve(raw: RawWorkbook, settings: dict[str, Any], t: dict[str, pd.DataFrame]) -> ModelSpec:
    regions = t["regions"][["region", "name_zh", "total_area_ha", ROW]].reset_index(drop=True)
    land_uses = t["land_uses"][["land_use", "name_zh", "role", "carbon_flux_tC_per_ha_yr", "output_yuan_per_ha_yr",
                                 "food_t_per_ha_yr", "description", ROW]].reset_index(drop=True)
    grid = pd.MultiIndex.from_product([regions["region"], land_uses["land_use"]], names=["region", "land_use"]).to_frame(index=False)
    base = grid.merge(t["baseline"][["region", "land_use", "area_ha", ROW]], on=["region", "land_use"], how="left")
    base["area_ha"] = base["area_ha"].fillna(0.0)
    base[ROW] = base[ROW].fillna(0).astype(int)
    default = land_uses[["land_use", "carbon_flux_tC_per_ha_yr", ROW]].assign(sheet="land_uses")
    carbon = grid.merge(default, on="land_use", how="left")
    cbr = t["carbon_by_region"]
    if not cbr.empty:
        # a region's own coefficient replaces the land use's default (with its own sheet and row)
        over = cbr[["region", "land_use", "carbon_flux_tC_per_ha_yr", ROW]]
        o = carbon[["region", "land_use"]].merge(over, on=["region", "land_use"], how="left")
        has = o["carbon_flux_tC_per_ha_yr"].notna().to_numpy()
        for c in ("carbon_flux_tC_per_ha_yr", ROW):
            carbon[c] = np.where(has, o[c].to_numpy(dtype=float), carbon[c].to_numpy(dtype=float))
        carbon["sheet"] = np.where(has, "carbon_by_region", carbon["sheet"].to_numpy(dtype=object))
        carbon[ROW] = carbon[ROW].astype(int)
    tr = t["transitions"]
    tr = tr[tr["allowed"].astype(bool)][["from_land_use", "to_land_use", "max_pct_per_period", ROW]].reset_index(drop=True)
    for name in ("targets", "grazing", "energy", "area_bounds"):
        df = t[name]
        df["year"] = df["year"].astype(int)
        t[name] = df.reset_index(drop=True)
    sources = raw.tables.get("sources", pd.DataFrame())
    return ModelSpec(
        title=settings.get("title") or "landopt plan",
        baseline_year=int(settings["baseline_year"]),
        years=tuple(settings["years"]),
        settings=settings,
        regions=regions,
        land_uses=land_uses,
        carbon=carbon,
        baseline=base,
        transitions=tr,
        targets=t["targets"],
        grazing=t["grazing"],
        energy=t["energy"],
        area_bounds=t["area_bounds"],
        sources=sources,
        input_path=raw.path,
        input_sha256=raw.sha256,
        location_kind=raw.kind,
    )


def load_spec(raw: RawWorkbook) -> ModelSpec:
    """Validate ``raw`` and return the spec, or raise :class:`InputError` listing every problem."""
    spec, problems = check(raw)
    if problems:
        raise InputError(problems, raw.path)
    assert spec is not None
    return spec
