"""Cell conversion: every cell of a known column converted to its type, or a :class:`Problem` naming it.

Text is taken as typed once normalised (NFKC: full-width digits and punctuation such as ２０３５ or ．
become their ASCII forms where numbers are expected); Chinese names are accepted for choices that have
them (``林地`` for the role ``forest``); an Excel error value or a formula without a saved value
(:class:`~landopt.readers.BadCell`) is a problem naming the cell and how to fix it.
"""

from __future__ import annotations

import difflib
import logging
import math
import re
import unicodedata
from typing import Any, Iterable

import numpy as np
import pandas as pd

from landopt.errors import InputError, Message, Problem, show_value, zh_list
from landopt.reader import ROW, RawWorkbook
from landopt.readers import BadCell
from landopt.schema import CHOICE_ALIASES, SHEETS, Column, Sheet
from landopt.schema.labels import INPUT_COLUMNS, INPUT_SHEETS, input_unit_zh

log = logging.getLogger(__name__)

#: the sheets ids refer to -> how messages name such an id (Chinese, English)
ID_NOUNS = {"regions": ("区域编号", "region id"), "land_uses": ("地类编号", "land-use id")}
TRUE = {"yes", "y", "true", "1", "是", "on"}
FALSE = {"no", "n", "false", "0", "否", "off", ""}

__all__ = ["Checker", "InputError", "Problem", "blank", "to_float", "to_id", "floats", "show_value"]


def blank(v: Any) -> bool:
    """Whether a cell is empty: None, NaN, NA or only spaces."""
    return v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and v.strip() == "") or v is pd.NA


class Checker:
    def __init__(self, raw: RawWorkbook):
        self.raw = raw
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.aliases: dict[str, dict[str, str]] = {}  # "regions"/"land_uses": Chinese name -> id

    def add(self, sheet: str, row: int | None, column: str | None, value: Any, expected: Message) -> None:
        """A problem at a cell; the sheet and column are named as the user's file writes them (bilingual or id)."""
        self.problems.append(Problem.at(self.raw.sheet_label(sheet), row, self.raw.column_label(sheet, column), value,
                                        expected, self.raw.kind, self._file(sheet)))

    def _file(self, sheet: str) -> str:
        """The file a problem is in: the table's file of a folder input, else the workbook's name."""
        return self.raw.file_of(sheet) or self.raw.path.name

    def warn(self, sheet: str, row: int | None, column: str | None, value: Any, message: Message) -> None:
        self.warnings.append(Problem.at(self.raw.sheet_label(sheet), row, self.raw.column_label(sheet, column), value,
                                        message, self.raw.kind, self._file(sheet), severity="warning"))

    # -- cell conversion -------------------------------------------------
    def convert(self, sheet: Sheet, df: pd.DataFrame) -> pd.DataFrame:
        n = len(df)
        data: dict[str, Any] = {ROW: df[ROW].to_numpy()}
        for col in sheet.columns:
            if col.name not in df.columns:
                data[col.name] = np.full(n, np.nan) if col.kind in ("number", "int") else \
                    pd.Series(np.full(n, None, dtype=object), dtype=object)
                continue
            data[col.name] = self.convert_column(sheet.name, col, df[ROW], df[col.name])
        out = pd.DataFrame(data)  # one frame: a column inserted at a time costs more than the conversion
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
                    bad |= (x <= col.minimum) if col.low_open else (x < col.minimum)
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
            probe = Checker(self.raw)
            mapped[i] = probe.cell(sheet, col, 0, values[i])
            clean[i] = not probe.problems
        return mapped, clean

    def cell(self, sheet: str, col: Column, row: int, v: Any) -> Any:
        if isinstance(v, BadCell):
            self.add(sheet, row, col.name, v, v.message())
            return np.nan if col.kind in ("number", "int") else None
        if blank(v):
            if col.required:
                self.add(sheet, row, col.name, None, (f"必须填写（{column_zh(col.name)}）",
                                                      f"a value is required ({col.description or col.name})"))
            return np.nan if col.kind in ("number", "int") else None
        if col.kind in ("number", "int"):
            x = to_float(v)
            # "fraction" is not a unit one writes after a number; the bounds say it all
            unit = f" {col.unit}" if col.unit and col.unit != "fraction" else ""
            # '% of from-area' after a number reads as part of it: 'between 0 and 100 (% of from-area)'
            ranged = f" ({col.unit})" if unit.startswith(" % ") else unit
            unit_zh = f"（{input_unit_zh(col.unit)}）" if unit else ""
            # '52,524' typed or pasted as text: say that the separators are the problem, and what to type
            plain = digits_only(v) if x is None else None
            hint = (f"; it is text because of its thousands separators: enter {plain} (or store the cell as a number)"
                    if plain is not None else "")
            hint_zh = (f"；该值因含千位分隔符而以文本形式存储：请填 {plain}（或将单元格存为数值）"
                       if plain is not None else "")
            if col.kind == "int" and (x is None or not float(x).is_integer()):
                what = "a year (a whole number such as 2030)" if col.unit == "year" else "a whole number"
                what_zh = "年份（整数，如 2030）" if col.unit == "year" else "整数"
                self.add(sheet, row, col.name, v, (f"应填{what_zh}{hint_zh}", f"expected {what}{hint}"))
                return np.nan
            if x is None:
                self.add(sheet, row, col.name, v, (f"应填数字{unit_zh}{hint_zh}",
                                                   f"expected a number{(' in' + unit) if unit else ''}{hint}"))
                return np.nan
            # out of range: show the number as parsed, so CSV text '-5' and an Excel -5 read the same
            if out_of_range(col, x):
                self.add(sheet, row, col.name, x, (f"应填{range_text_zh(col)}的数字{unit_zh}",
                                                   f"expected a number {range_text(col)}{ranged}"))
                return np.nan
            return int(x) if col.kind == "int" else x
        if col.kind == "bool":
            s = str(v).strip().lower()
            if s in TRUE:
                return True
            if s in FALSE:
                return False
            self.add(sheet, row, col.name, v, ("应填“是”或“否”", "expected yes or no"))
            return None
        s = to_id(v)
        if col.kind == "choice" and s not in col.choices:
            alias = CHOICE_ALIASES.get(col.name, {}).get(s)
            if alias is not None:
                return alias
            self.add(sheet, row, col.name, v, (f"应为下列之一：{zh_list(col.choices)}",
                                               f"expected one of: {', '.join(col.choices)}"))
            return None
        return s

    # -- table-level checks ----------------------------------------------
    def table(self, name: str) -> pd.DataFrame | None:
        sheet = SHEETS[name]
        df = self.raw.tables.get(name)
        if df is None:
            if sheet.required:
                # a sheet renamed by mistake is among those the reader did not recognise: name them
                others = [o for o in getattr(self.raw, "unknown_sheets", []) or []
                          if str(o).split()[-1:] != ["README"]][:5]  # the template's own notes sheet is no candidate
                full = f"{INPUT_SHEETS[name]} {name}" if name in INPUT_SHEETS else name
                hint_zh = (f"；工作簿中未识别的工作表：{zh_list(repr(o) for o in others)}，如其中之一即是，"
                           f"请改名为“{full}”或“{name}”" if others else "")
                hint_en = (f"; the workbook has sheets landopt does not know: {', '.join(repr(o) for o in others)} — if "
                           f"one of them is it, rename it '{full}' or '{name}'" if others else "")
                self.add(name, None, None, None, (f"未找到该表（应有的列：{zh_list(sheet.column_names)}）{hint_zh}",
                                                  f"not found (expected columns: {', '.join(sheet.column_names)})"
                                                  f"{hint_en}"))
            return self.convert(sheet, pd.DataFrame({ROW: pd.Series([], dtype=int)}))
        missing = [c.name for c in sheet.columns if c.required and c.name not in df.columns]
        for m in missing:
            c = sheet.column(m)
            self.add(name, 1, m, None, (f"缺少必填列“{column_zh(m)}”（{input_unit_zh(c.unit) if c.unit else '文本'}）",
                                        f"required column is missing ({c.unit or 'text'}: {c.description})"))
        known = set(sheet.column_names) | {ROW}
        for c in df.columns:
            if c not in known and (name, c) not in self.raw.told:
                self.raw.told.add((name, c))
                log.warning("%s的“%s”列不是 landopt 读取的列，已忽略 %s: column '%s' is not used by landopt and is ignored",
                            self.raw.location_zh(name), c, self.raw.location(name), c)
        out = self.convert(sheet, df)
        for col in sheet.columns:  # a Chinese name typed where an id goes (拉萨市 for Lhasa) is that id
            names = self.aliases.get(col.ref or "")
            # looked up in bulk first: most sheets use the ids themselves, and then nothing is rewritten
            if names and col.name in out.columns and any(isinstance(v, str) and v in names
                                                          for v in out[col.name].unique().tolist()):
                out[col.name] = [names.get(v, v) if isinstance(v, str) else v for v in out[col.name].tolist()]
        self.duplicates(sheet, out)
        return out

    def learn_names(self, table: str, df: pd.DataFrame, id_column: str) -> None:
        """Remember ``name_zh -> id`` of ``table`` so other sheets may name a row by its Chinese name."""
        ids = {v for v in df[id_column].tolist() if isinstance(v, str)}
        names: dict[str, str] = {}
        for i, zh in zip(df[id_column].tolist(), df["name_zh"].tolist()):
            if isinstance(i, str) and isinstance(zh, str) and zh and zh not in ids:
                names.setdefault(zh, i)
        self.aliases[table] = names

    def duplicates(self, sheet: Sheet, df: pd.DataFrame) -> None:
        if not sheet.key or df.empty:
            return
        key = list(sheet.key)
        if not _any_duplicate(df, key):  # the usual case, answered without pandas' grouping
            return
        valid = df.dropna(subset=key)
        dup = valid[valid.duplicated(subset=key, keep=False)]
        for _, grp in dup.groupby(key, sort=False):
            rows = grp[ROW].tolist()
            for r in rows[1:]:
                value = ", ".join(f"{k}={grp[k].iloc[0]}" for k in key)
                self.add(sheet.name, int(r), sheet.key[0], value,
                         (f"重复记录：第 {rows[0]} 行已有相同的{zh_list(f'“{k}”' for k in key)}",
                          f"duplicate entry; the same {' and '.join(key)} is already on row {rows[0]}"))

    def refs(self, name: str, df: pd.DataFrame, column: str, known: Iterable[str], listed_on: str) -> None:
        """Every id of ``df[column]`` not in ``known`` (the ids listed on sheet ``listed_on``, ``regions`` or
        ``land_uses``) is a problem: '地类编号不存在（见工作表“地类 land_uses”）…' / "unknown land-use id (see …)"."""
        noun_zh, noun_en = ID_NOUNS[listed_on]
        where_zh, where_en = self.raw.location_zh(listed_on), self.raw.location(listed_on)
        known = {k for k in known if isinstance(k, str)}
        values = df[column]
        # converted id cells are stripped strings, or None where blank (reported by the cell check if required);
        # each distinct id is looked up once, and blank cells (code -1) are not unknown ids
        codes, ids = pd.factorize(values)
        unknown = np.array([i not in known for i in ids.tolist()] + [False], dtype=bool)
        for i in np.flatnonzero(unknown[codes]).tolist():
            v = values.iloc[i]
            near = difflib.get_close_matches(str(v), sorted(known), n=1, cutoff=0.6)
            hint = f"did you mean '{near[0]}'? " if near else ""
            hint_zh = f"是否应为 '{near[0]}'？" if near else ""
            listed = ', '.join(sorted(known))
            self.add(name, int(df[ROW].iloc[i]), column, v,
                     (f"{noun_zh}不存在（见{where_zh}）；{hint_zh}应为下列之一：{zh_list(sorted(known))}",
                      f"unknown {noun_en} (see {where_en}); {hint}expected one of: {listed}"))


def _any_duplicate(df: pd.DataFrame, key: list[str]) -> bool:
    """Whether two rows with no blank key cell share the same key (as ``DataFrame.duplicated`` on the rows that
    ``dropna(subset=key)`` keeps: 2035 and 2035.0 are the same year).

    Each key column is factorised (a blank cell is code −1, equal values share a code, as in a Python set) and the
    codes are combined into one integer per row, so a million-row sheet is checked in milliseconds, not in a
    Python loop over its rows.
    """
    combined = np.zeros(len(df), dtype=np.int64)
    blank = np.zeros(len(df), dtype=bool)
    for k in key:
        codes, uniques = pd.factorize(df[k])
        blank |= codes < 0
        n = len(uniques) + 1
        if combined.size and int(combined.max()) >= (2**62) // n:  # keep the mixed-radix number in int64
            combined = pd.factorize(combined)[0].astype(np.int64)
        combined = combined * n + codes
    kept = combined[~blank]
    return len(kept) != len(pd.unique(kept))


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


def floats(values: pd.Series) -> np.ndarray:
    """A converted number column as a float array (NaN where blank or invalid)."""
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def to_float(v: Any) -> float | None:
    """A cell as a finite float (full-width digits and minus signs accepted), or None."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float, np.integer, np.floating)):
        x = float(v)
        return None if math.isnan(x) or math.isinf(x) else x
    try:
        x = float(unicodedata.normalize("NFKC", str(v)).strip().replace("\u2212", "-"))
    except ValueError:
        return None
    return None if math.isnan(x) or math.isinf(x) else x


_SEPARATED = re.compile(r"[+-]?\d{1,3}(?P<sep>[,' ’_])\d{3}(?:(?P=sep)\d{3})*(?:\.\d+)?")


def digits_only(v: Any) -> str | None:
    """'52,524' → '52524' (also '1 234 567.5', full-width '５２，５２４'): text that is a number once its thousands
    separators are removed; None for anything else."""
    if not isinstance(v, str):
        return None
    text = unicodedata.normalize("NFKC", v).strip().replace("\u2212", "-")
    m = _SEPARATED.fullmatch(text)
    return text.replace(m.group("sep"), "") if m else None


def to_id(v: Any) -> str:
    """A cell as id text: whole floats without '.0', stripped."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()




def out_of_range(col: Column, x: float) -> bool:
    """Whether ``x`` lies outside the column's documented range."""
    lo, hi = col.minimum, col.maximum
    if lo is not None and (x <= lo if col.low_open else x < lo):
        return True
    return hi is not None and x > hi


def column_zh(column: str) -> str:
    """How a Chinese message names an input column: ``'耕地保有量 cropland_min_ha'`` (the id alone when unlabelled)."""
    zh = INPUT_COLUMNS.get(column, "")
    return f"{zh} {column}" if zh else column


def range_text_zh(col: Column) -> str:
    """:func:`range_text` in Chinese, spaced to stand between Chinese words (``应填{…}的数字``):
    ' 0 到 100 之间', '大于 0 且不超过 2 ', '不小于 0 ', '大于 0 ', '不超过 1 '."""
    lo, hi = col.minimum, col.maximum
    if lo is not None and hi is not None:
        return f"大于 {lo:g} 且不超过 {hi:,g} " if col.low_open else f" {lo:g} 到 {hi:,g} 之间"
    if lo is not None:
        return f"大于 {lo:g} " if col.low_open else f"不小于 {lo:g} "
    return f"不超过 {hi:,g} " if hi is not None else ""


def range_text(col: Column) -> str:
    """The column's range in words: 'between 0 and 100', '> 0', '≥ 0', '≤ 1'."""
    lo, hi = col.minimum, col.maximum
    if lo is not None and hi is not None:
        return f"greater than {lo:g} and at most {hi:,g}" if col.low_open else f"between {lo:g} and {hi:,g}"
    if lo is not None:
        return f"> {lo:g}" if col.low_open else f"≥ {lo:g}"
    return f"≤ {hi:,g}" if hi is not None else ""
