"""The uncertain parameters of a sweep: the ``uncertainty`` sheet (or a ``--ranges`` CSV), checked row by row."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from landopt.errors import Message, zh_list
from landopt.reader import ROW, RawWorkbook, tidy
from landopt.folder_tables import read_csv_file
from landopt.scenarios import NOT_OVERRIDABLE, Override, ScenarioError, as_text, sheet_zh
from landopt.schema import SETTINGS_KEYS, SHEETS
from landopt.sweep.columns import RESERVED, TERM_PREFIX
from landopt.validate import InputError, Problem, blank, to_float

log = logging.getLogger(__name__)

#: Columns of the ``uncertainty`` sheet / ``--ranges`` CSV.
UNCERTAINTY_COLUMNS = ("parameter", "sheet", "column", "where", "low", "high", "distribution", "mode", "operation", "note")
DISTRIBUTIONS = ("uniform", "triangular")
SAMPLE_OPERATIONS = ("set", "scale", "add")


@dataclass(frozen=True)
class UncertainParameter:
    """One uncertain coefficient: which cells it sets and how it is distributed."""

    name: str
    sheet: str
    column: str
    where: dict[str, str]
    low: float
    high: float
    distribution: str = "uniform"
    mode: float | None = None
    operation: str = "set"
    note: str = ""
    origin: str = ""
    where_text: str = ""
    origin_zh: str = ""  # the origin in Chinese: "工作表“不确定参数 uncertainty”第 3 行"

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Map uniform quantiles ``u`` in [0, 1) to values of the parameter (inverse CDF)."""
        u = np.asarray(u, dtype=float)
        lo, hi = self.low, self.high
        if hi == lo:
            return np.full_like(u, lo)
        if self.distribution == "triangular":
            c = (float(self.mode) - lo) / (hi - lo)
            left = lo + np.sqrt(u * (hi - lo) * (float(self.mode) - lo))
            right = hi - np.sqrt((1.0 - u) * (hi - lo) * (hi - float(self.mode)))
            return np.where(u < c, left, right)
        return lo + u * (hi - lo)

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """The distribution function (for checking stratification)."""
        x = np.asarray(x, dtype=float)
        lo, hi = self.low, self.high
        if hi == lo:
            return np.where(x < lo, 0.0, 1.0)
        if self.distribution == "triangular":
            m = float(self.mode)
            left = np.where(m > lo, (x - lo) ** 2 / ((hi - lo) * max(m - lo, 1e-300)), 0.0)
            right = 1.0 - np.where(hi > m, (hi - x) ** 2 / ((hi - lo) * max(hi - m, 1e-300)), 0.0)
            return np.clip(np.where(x <= m, left, right), 0.0, 1.0)
        return np.clip((x - lo) / (hi - lo), 0.0, 1.0)

    def override(self, value: float, sample_id: int) -> Override:
        return Override(sheet=self.sheet, column=self.column, where=dict(self.where), operation=self.operation,
                        value=float(value), origin=f"{self.origin}, parameter '{self.name}', sample {sample_id}",
                        where_text=self.where_text,
                        origin_zh=f"{self.origin_zh or self.origin}（参数“{self.name}”，样本 {sample_id}）")

    def as_row(self) -> dict[str, Any]:
        return {"parameter": self.name, "sheet": self.sheet, "column": self.column, "where": self.where_text,
                "operation": self.operation, "distribution": self.distribution, "low": self.low, "high": self.high,
                "mode": self.mode, "note": self.note, "origin": self.origin}


def read_ranges(path: str | Path) -> pd.DataFrame:
    """Read a ``--ranges`` CSV (same columns as the ``uncertainty`` sheet) as a raw table with ``_row``."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"ranges file not found: {path}")
    df = read_csv_file(path, ("与工作表“不确定参数 uncertainty”相同的列；工作簿请把取值范围填入其 uncertainty 工作表",
                              "the columns of the uncertainty sheet; in a workbook, put the ranges on its uncertainty "
                              "sheet"))
    return tidy(df)


class UncertaintyError(ScenarioError):
    """An uncertain parameter's ``where`` matches no cell (found by applying it once); each problem names its row.

    ``problems``: :class:`Problem` s (plain strings and (Chinese, English) pairs are made placeless problems)."""

    def __init__(self, problems: list[Problem | Message], label: str = "the uncertain parameters"):
        InputError.__init__(self, problems, what=label)


#: (sheet, column) the carbon accounting in use does not read: sampling them changes nothing
FLUX_ONLY = {("land_uses", "carbon_flux_tC_per_ha_yr"), ("carbon_by_region", "carbon_flux_tC_per_ha_yr")}


def warn_unread(params: list[UncertainParameter], mode: str) -> None:
    """Say so when a parameter samples a column the workbook's carbon accounting (``mode``: ``ModelSpec.accounting``,
    as validation resolved it) does not read: its samples would change nothing (P5 = P50 = P95)."""
    for p in params:
        if (mode == "stock_change" and (p.sheet, p.column) in FLUX_ONLY) or (mode == "flux" and p.sheet == "carbon_stocks"):
            method_zh, method = ("碳储量变化法", "stock-change") if mode == "stock_change" else ("通量法", "flux")
            log.warning("%s（参数“%s”）：所抽样的“%s.%s”不被本工作簿的%s核算读取，其抽样不改变任何结果 %s (parameter '%s'): "
                        "the %s accounting of this workbook does not read %s.%s; its samples change nothing",
                        p.origin_zh, p.name, p.sheet, p.column, method_zh, p.origin, p.name, method, p.sheet, p.column)


def parse_uncertainty(df: pd.DataFrame | None, raw: RawWorkbook | None = None, *, sheet: str = "uncertainty",
                      kind: str = "xlsx", label: str | None = None) -> list[UncertainParameter]:
    """Check the ``uncertainty`` table and return its parameters; raises :class:`InputError` naming every bad row.

    ``sheet``/``kind`` say how to name the table in messages (``kind="folder"`` names it ``file '<sheet>.csv'``).
    With ``raw``, every parameter is also applied once (at its midpoint) to check that its ``where`` matches rows.
    """
    if df is None or df.empty:
        return []
    problems: list[Problem] = []

    # a sheet of the user's workbook is named as written there (``不确定参数 uncertainty``), and its columns too
    written = raw is not None and kind == "xlsx" and raw.kind == "xlsx"
    shown = raw.sheet_label(sheet) if written else sheet
    place = f"sheet '{shown}'" if kind == "xlsx" else f"{sheet}.csv"

    def bad(row: int | None, column: str | None, value: Any, expected: Message) -> None:
        col = raw.column_label(sheet, column) if written else column
        problems.append(Problem.at(shown, row, col, None if blank(value) else value, expected, kind))

    missing = [c for c in ("sheet", "column", "low", "high") if c not in df.columns]
    if missing:
        for c in missing:
            bad(1, c, None, (f"缺少必填列（应有的列：{zh_list(UNCERTAINTY_COLUMNS)}）",
                             f"required column is missing (columns: {', '.join(UNCERTAINTY_COLUMNS)})"))
        raise InputError(problems, label or sheet)
    for c in df.columns:
        if c != ROW and c not in UNCERTAINTY_COLUMNS:
            log.warning("%s: column '%s' is not used by landopt and is ignored", sheet, c)

    params: list[UncertainParameter] = []
    names: dict[str, int] = {}
    targets: dict[tuple, int] = {}
    for rec in df.to_dict("records"):
        row = int(rec[ROW])
        n0 = len(problems)
        sh, col = as_text(rec.get("sheet")), as_text(rec.get("column"))
        op = as_text(rec.get("operation")).lower() or "set"
        dist = as_text(rec.get("distribution")).lower() or "uniform"
        where_text = as_text(rec.get("where"))
        where: dict[str, str] = {}
        for part in [p.strip() for p in where_text.split(";") if p.strip()]:
            if "=" not in part:
                bad(row, "where", part, ("应写成 key=value 的形式，多个条件用 ';' 连接（如 region=Lhasa;year=2035）",
                                         "should look like key=value, several joined by ';' (e.g. region=Lhasa;year=2035)"))
                continue
            k, v = part.split("=", 1)
            where[k.strip()] = v.strip()
        schema_col = None
        if sh not in SHEETS or sh in NOT_OVERRIDABLE:  # the sampled values are applied as scenario overrides are
            known = [s for s in SHEETS if s not in NOT_OVERRIDABLE]
            if sh in NOT_OVERRIDABLE:
                bad(row, "sheet", sh, (f"该工作表是说明或抽样范围，不是模型数据，不能抽样；应为下列之一：{zh_list(known)}",
                                       f"the sheet holds documentation or sweep ranges, not model data: it cannot be "
                                       f"sampled; expected one of: {', '.join(known)}"))
            else:
                bad(row, "sheet", sh, (f"不是可抽样的工作表；应为下列之一：{zh_list(known)}",
                                       f"unknown sheet; expected one of: {', '.join(known)}"))
        elif col not in SHEETS[sh].column_names:
            listed = ', '.join(SHEETS[sh].column_names)
            bad(row, "column", col, (f"{sheet_zh(sh, raw)}没有该列；应为下列之一：{zh_list(SHEETS[sh].column_names)}",
                                     f"sheet '{sh}' has no such column; expected one of: {listed}"))
        else:
            schema_col = SHEETS[sh].column(col)
            for k in where:
                if k not in SHEETS[sh].column_names:
                    keys = ', '.join(SHEETS[sh].key or SHEETS[sh].column_names)
                    bad(row, "where", k, (f"{sheet_zh(sh, raw)}没有可用于筛选的“{k}”列；可筛选的列："
                                          f"{keys.replace(', ', '、')}",
                                          f"sheet '{sh}' has no column '{k}' to filter on; filter on: {keys}"))
            if sh == "settings":
                key = where.get("key")
                if col != "value" or key is None:
                    bad(row, "where", where_text, ("对设置项抽样时，column 应填 'value'，where 应填 key=<设置项>，如 key=ch4_gwp",
                                                   "a setting is sampled as column 'value' with where key=<setting>, "
                                                   "e.g. key=ch4_gwp"))
                elif key not in SETTINGS_KEYS or SETTINGS_KEYS[key][0] != "number":
                    numeric = [k for k, v in SETTINGS_KEYS.items() if v[0] == "number"]
                    bad(row, "where", key, (f"不是数值型设置项；应为下列之一：{zh_list(numeric)}",
                                            f"not a numeric setting; expected one of: {', '.join(numeric)}"))
            elif schema_col.kind != "number":
                bad(row, "column", col, (f"{sheet_zh(sh, raw)}的“{col}”列不是数值系数，不能抽样",
                                         f"column '{col}' of sheet '{sh}' is not a numeric coefficient and cannot be sampled"))
        if op not in SAMPLE_OPERATIONS:
            bad(row, "operation", op, (f"应为下列之一：{zh_list(SAMPLE_OPERATIONS)}（留空即为 set）",
                                       f"expected one of: {', '.join(SAMPLE_OPERATIONS)} (blank = set)"))
        if dist not in DISTRIBUTIONS:
            bad(row, "distribution", dist, (f"应为下列之一：{zh_list(DISTRIBUTIONS)}（留空即为 uniform）",
                                            f"expected one of: {', '.join(DISTRIBUTIONS)} (blank = uniform)"))
        lo, hi = to_float(rec.get("low")), to_float(rec.get("high"))
        if lo is None:
            bad(row, "low", rec.get("low"), ("应填数字", "expected a number") if not blank(rec.get("low"))
                else ("必须填写（下限，即最小取值）", "a value is required (the lowest value)"))
        if hi is None:
            bad(row, "high", rec.get("high"), ("应填数字", "expected a number") if not blank(rec.get("high"))
                else ("必须填写（上限，即最大取值）", "a value is required (the highest value)"))
        if lo is not None and hi is not None and lo > hi:
            high = as_text(rec.get('high'))
            bad(row, "low", rec.get("low"), (f"下限大于同一行的上限（{high}）", f"low exceeds high ({high}) on the same row"))
        mode = None
        if dist == "triangular":
            mode = to_float(rec.get("mode"))
            if mode is None:
                bad(row, "mode", rec.get("mode"), ("三角分布须填写众数（最可能的取值），且应为数字",
                                                   "a triangular distribution needs its mode (most likely value) as a number"))
            elif lo is not None and hi is not None and lo <= hi and not (lo <= mode <= hi):
                bad(row, "mode", rec.get("mode"), (f"众数应在下限（{lo:g}）与上限（{hi:g}）之间",
                                                   f"the mode must lie between low ({lo:g}) and high ({hi:g})"))
        elif not blank(rec.get("mode")) and to_float(rec.get("mode")) is None:
            bad(row, "mode", rec.get("mode"), ("应填数字", "expected a number"))
        if (schema_col is not None and op == "set" and lo is not None and hi is not None and sh != "settings"
                and len(problems) == n0):
            if schema_col.minimum is not None and lo < schema_col.minimum:
                bad(row, "low", rec.get("low"), (f"低于“{col}”列允许的最小值（{schema_col.minimum:g}）",
                                                 f"below the smallest value column '{col}' accepts ({schema_col.minimum:g})"))
            if schema_col.maximum is not None and hi > schema_col.maximum:
                bad(row, "high", rec.get("high"), (f"高于“{col}”列允许的最大值（{schema_col.maximum:g}）",
                                                   f"above the largest value column '{col}' accepts ({schema_col.maximum:g})"))
        name = as_text(rec.get("parameter")) or (f"{sh}.{col}" + (f"[{where_text}]" if where_text else ""))
        if name in RESERVED or name.startswith(TERM_PREFIX):
            bad(row, "parameter", name, ("该名称与结果表中的列名相同；请另取一个名称",
                                         "this name is used by a column of the results; choose another"))
        elif name in names:
            bad(row, "parameter", name, (f"参数名称重复；已在第 {names[name]} 行使用",
                                         f"duplicate parameter name; already used on row {names[name]}"))
        names.setdefault(name, row)
        tkey = (sh, col, tuple(sorted(where.items())))
        if tkey in targets and len(problems) == n0:
            if where_text:
                bad(row, "where", where_text, (f"与第 {targets[tkey]} 行对同一组单元格抽样",
                                               f"samples the same cells as row {targets[tkey]}"))
            else:  # no filter: the blank cell means every row
                bad(row, "where", None, (f"未填（即全部行），与第 {targets[tkey]} 行对同一组单元格抽样",
                                         f"blank (every row) — samples the same cells as row {targets[tkey]}"))
        targets.setdefault(tkey, row)
        if len(problems) > n0:
            continue
        origin = f"sheet '{shown}', row {row}" if kind == "xlsx" else f"file '{sheet}.csv', row {row}"
        origin_zh = f"工作表“{shown}”第 {row} 行" if kind == "xlsx" else f"文件“{sheet}.csv”第 {row} 行"
        params.append(UncertainParameter(name=name, sheet=sh, column=col, where=where, low=float(lo), high=float(hi),
                                         distribution=dist, mode=mode, operation=op, note=as_text(rec.get("note")),
                                         origin=origin, where_text=where_text, origin_zh=origin_zh))
    if problems:
        raise InputError(problems, label or place)
    if raw is not None and params:
        from landopt.scenarios import apply_overrides

        mid = [(p.name, p.override((p.low + p.high) / 2.0, 0)) for p in params]
        try:
            apply_overrides(raw, mid)
        except ScenarioError as e:  # the places name the parameter's row, not the midpoint sample applied
            found = [Problem(str(m).replace(", sample 0", ""), message_zh=m.zh().replace("，样本 0）", "）"))
                     for m in e.problems]
            raise UncertaintyError(found, label or place) from None
    return params

