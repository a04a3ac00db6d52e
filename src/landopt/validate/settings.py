"""The settings sheet: one setting per row, each converted and checked; milestone years parsed."""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any

import pandas as pd

from landopt.errors import zh_list
from landopt.reader import ROW
from landopt.schema import SETTINGS_KEYS
from landopt.schema.base import REQUIRED_SETTINGS
from landopt.validate.cells import FALSE, TRUE, Checker, blank, to_float, to_id

_SEPARATORS = re.compile(r"[,;、\s]+")


def split_list(text: Any) -> list[str]:
    """A list typed in one cell: items separated by commas or semicolons, ASCII or full-width (，；、) or spaces."""
    norm = unicodedata.normalize("NFKC", str(text))  # ，→,  ；→;  ２０３５→2035
    return [p for p in _SEPARATORS.split(norm) if p]


def setting_rows(df: pd.DataFrame | None) -> dict[str, int]:
    """The sheet row of each setting given on the settings sheet (key -> row number); {} without the sheet."""
    if df is None or "key" not in df.columns:
        return {}
    return {str(k).strip(): int(r) for r, k in zip(df[ROW], df["key"]) if not blank(k)}


def settings(ck: Checker, df: pd.DataFrame) -> dict[str, Any]:
    given = {k: (r, v) for r, k, v in zip(df[ROW], df["key"], df["value"]) if k is not None}
    for k, (r, _v) in given.items():
        if k not in SETTINGS_KEYS:  # a misspelt key would otherwise be ignored silently and its default used
            near = difflib.get_close_matches(str(k), list(SETTINGS_KEYS), n=1, cutoff=0.6)
            hint = f"did you mean '{near[0]}'? " if near else ""
            hint_zh = f"是否应为 '{near[0]}'？" if near else ""
            known = ', '.join(SETTINGS_KEYS)
            ck.add("settings", int(r), "key", k, (f"该设置项不存在；{hint_zh}应为下列之一：{zh_list(SETTINGS_KEYS)}",
                                                  f"unknown setting; {hint}expected one of: {known}"))
    out: dict[str, Any] = {}
    for key, (kind, default, _desc) in SETTINGS_KEYS.items():
        row, raw = given.get(key, (None, default))
        text = "" if blank(raw) else to_id(raw)
        if kind == "int":
            if not text and default == "" and key not in REQUIRED_SETTINGS:  # an optional whole number left blank
                out[key] = None
                continue
            x = to_float(text) if text else None
            if x is None or not float(x).is_integer():
                ck.add("settings", row, "value", raw if text else None,
                       (f"设置项“{key}”应填整数（如 2019）", f"setting '{key}' needs a whole number (e.g. 2019)"))
                out[key] = None
            else:
                out[key] = int(x)
        elif kind == "number":
            x = to_float(text)
            if not text and default == "":  # an optional number left blank
                out[key] = None
                continue
            if x is None or x < 0:
                ck.add("settings", row, "value", raw, (f"设置项“{key}”应填不小于 0 的数字", f"setting '{key}' needs a number ≥ 0"))
            out[key] = x
        elif kind == "bool":
            s = text.lower()
            if s not in TRUE | FALSE:
                ck.add("settings", row, "value", raw, (f"设置项“{key}”应填“是”或“否”", f"setting '{key}' needs yes or no"))
            out[key] = s in TRUE
        elif kind.startswith("choice:"):
            choices = kind.split(":", 1)[1].split("|")
            if text not in choices:
                ck.add("settings", row, "value", raw, (f"设置项“{key}”应为下列之一：{zh_list(choices)}",
                                                       f"setting '{key}' must be one of: {', '.join(choices)}"))
            out[key] = text
        else:
            out[key] = text
    # milestone years
    row = given.get("milestone_years", (None, ""))[0]
    years: list[int] = []
    text = out.get("milestone_years") or ""
    for part in split_list(text):
        x = to_float(part)
        if x is None or not float(x).is_integer():
            ck.add("settings", row, "value", text, (f"设置项“milestone_years”应填以逗号分隔的年份，如 2025,2030,2035"
                                                    f"（'{part}' 不是年份）",
                                                    f"setting 'milestone_years' needs years separated by commas, e.g. "
                                                    f"2025,2030,2035 ('{part}' is not a year)"))
            years = []
            break
        years.append(int(x))
    if not years and text == "":
        ck.add("settings", row, "value", None, ("必须填写设置项“milestone_years”（规划年份），如 2025,2030,2035",
                                                "setting 'milestone_years' is required, e.g. 2025,2030,2035"))
    if years and (sorted(set(years)) != years):
        ck.add("settings", row, "value", text, ("规划年份应从小到大排列且互不重复", "milestone years must be increasing and distinct"))
    by = out.get("baseline_year")
    if years and by is not None and years[0] <= by:
        ck.add("settings", row, "value", text, (f"规划年份应晚于基期年 {by}", f"milestone years must come after the baseline year {by}"))
    out["years"] = tuple(years)
    end, end_row = out.get("accounting_end_year"), given.get("accounting_end_year", (None, ""))[0]
    if end is not None and years and not years[-1] <= end <= years[-1] + 200:
        ck.add("settings", end_row, "value", end, (f"设置项“accounting_end_year”应为规划目标年 {years[-1]} 至 "
                                                   f"{years[-1] + 200} 之间的年份（留空即为规划目标年）",
                                                   f"setting 'accounting_end_year' must be a year from the target year "
                                                   f"{years[-1]} to {years[-1] + 200} (blank: the target year)"))
    from landopt.model.families import FAMILIES  # local import: registry of family names

    off = split_list(out.get("families_off") or "")
    for f in off:
        if f not in FAMILIES:
            ck.add("settings", given.get("families_off", (None, ""))[0], "value", f,
                   (f"该约束族不存在；应为下列之一：{zh_list(FAMILIES)}",
                    f"unknown constraint family; expected one of: {', '.join(FAMILIES)}"))
    out["families_off"] = frozenset(off)
    return out
