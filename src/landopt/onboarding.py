"""Onboarding a new province: the standard land-use classes and a yearbook's wide table as input tables.

* :func:`standard_tables` — the first-level classes of the land-use classification used by the third
  national land survey (三调) and the 国土空间调查、规划、用途管制用地用海分类指南 (codes 01 耕地, 02 园地,
  03 林地, 04 草地, 05 湿地, 17 陆地水域, 23 其他土地), with construction land grouped as the plan's
  三类建设用地 (城镇, 村庄, 交通采矿及其他) and PV land, each with its landopt role, plus a default
  transition matrix (edit it: the rates are starting points, not rules).
* :func:`read_wide` — a region × land-use table as statistical yearbooks print it (first column the
  region, one column per land-use class named by code, Chinese name or id, an optional total column),
  turned into the ``regions`` and ``baseline`` sheets.  Areas are taken in hectares.
"""

from __future__ import annotations

import difflib
import io
import logging
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd

from landopt.errors import UsageError
from landopt.schema import ROLE_NAMES_ZH

log = logging.getLogger(__name__)

#: (land_use id = class code, Chinese name, role, note)
STANDARD_CLASSES: tuple[tuple[str, str, str, str], ...] = (
    ("01", "耕地", "cropland", "用地用海分类 01 耕地 (三调 0101-0103)"),
    ("02", "园地", "garden", "用地用海分类 02 园地 (三调 0201-0204)"),
    ("03", "林地", "forest", "用地用海分类 03 林地 (三调 0301-0307)"),
    ("04", "草地", "grassland", "用地用海分类 04 草地 (三调 0401-0404)"),
    ("05", "湿地", "wetland", "用地用海分类 05 湿地 (三调 00 湿地)"),
    ("17", "陆地水域", "water", "用地用海分类 17 陆地水域 (三调 11 水域及水利设施用地, less 1109 水工建筑用地)"),
    ("U", "城镇建设用地", "urban", "classes 07-16 inside towns and cities (三调 201 城市, 202 建制镇)"),
    ("R", "村庄建设用地", "rural", "classes 07-16 in villages (三调 203 村庄)"),
    ("T", "交通、采矿及其他建设用地", "other_construction", "classes 12 交通运输, 10 工矿 (采矿), 15 特殊 outside towns and villages"),
    ("PV", "光伏用地", "pv", "photovoltaic power land (光伏发电用地), split from 23 其他土地 / 04 草地 where built"),
    ("23", "其他土地", "unused", "用地用海分类 23 其他土地 (三调 12 其他土地)"),
)

# default transitions: (from role, to role, max % of the from-area per period; None = no limit)
_DEFAULT_TRANSITIONS: tuple[tuple[str, str, float | None], ...] = (
    ("cropland", "forest", 5.0), ("cropland", "grassland", 5.0), ("cropland", "garden", 5.0),  # 退耕还林还草
    ("cropland", "urban", 2.0), ("cropland", "rural", 1.0), ("cropland", "other_construction", 1.0),
    ("garden", "cropland", 5.0), ("garden", "urban", 2.0), ("garden", "rural", 1.0),
    ("grassland", "urban", 0.2), ("grassland", "rural", 0.1), ("grassland", "other_construction", 0.2),
    ("grassland", "pv", 0.5),
    ("rural", "cropland", 2.0),  # 村庄整治复垦
    ("unused", "forest", None), ("unused", "grassland", 1.0), ("unused", "wetland", 0.2),
    ("unused", "cropland", 1.0), ("unused", "urban", 1.0), ("unused", "rural", 1.0),
    ("unused", "other_construction", 1.0), ("unused", "pv", 2.0),
    ("forest", "urban", None), ("wetland", "urban", None),  # listed as forbidden: 生态保护红线
)
_FORBIDDEN = {("forest", "urban"), ("wetland", "urban")}


def standard_tables() -> dict[str, pd.DataFrame]:
    """``land_uses`` (standard classes, carbon blank for the user's sourced values) and ``transitions``."""
    land_uses = pd.DataFrame(
        [{"land_use": code, "name_zh": zh, "role": role, "carbon_flux_tC_per_ha_yr": None,
          "output_yuan_per_ha_yr": None, "food_t_per_ha_yr": None, "description": note}
         for code, zh, role, note in STANDARD_CLASSES])
    by_role = {role: code for code, _zh, role, _n in STANDARD_CLASSES}
    transitions = pd.DataFrame(
        [{"from_land_use": by_role[a], "to_land_use": by_role[b], "allowed": "no" if (a, b) in _FORBIDDEN else "yes",
          "max_pct_per_period": None if (a, b) in _FORBIDDEN else pct} for a, b, pct in _DEFAULT_TRANSITIONS])
    return {"land_uses": land_uses, "transitions": transitions}


def _key(text: Any) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")


def _class_of(header: str) -> str | None:
    """The standard class (its code) a yearbook column header names: code, Chinese name, role or role name."""
    h = _key(header)
    for code, zh, role, _note in STANDARD_CLASSES:
        if h in (code, zh, role) or h.lstrip("0") == code.lstrip("0") and h.isdigit():
            return code
    role = ROLE_NAMES_ZH.get(h)
    if role:
        return next(code for code, _zh, r, _n in STANDARD_CLASSES if r == role)
    return None


def _number(v: Any, where: str) -> float | None:
    if v is None or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    text = _key(v).replace(",", "")
    if text in ("", "-", "—", "…"):
        return None
    try:
        return float(text)
    except ValueError:
        raise UsageError(f"{where}: '{v}' 不是数字（面积以公顷计） '{v}' is not a number (areas in hectares)") from None


def read_wide(path: Path) -> dict[str, pd.DataFrame]:
    """``regions`` and ``baseline`` from a wide region × land-use table (.csv in any common encoding, or .xlsx)."""
    from landopt.folder_tables import decode_csv

    path = Path(path)
    if path.suffix.lower() == ".csv":
        decoded = decode_csv(path.read_bytes())
        if decoded is None:
            raise UsageError(f"{path}: 文件编码不是 UTF-8、UTF-16 或 GBK/GB18030，请另存为“CSV UTF-8（逗号分隔）” "
                             "the text encoding is not UTF-8, UTF-16 or GBK/GB18030; save it as CSV UTF-8")
        df = pd.read_csv(io.StringIO(decoded[0]), dtype=str, keep_default_na=False)
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        df = pd.read_excel(path, dtype=object, engine="openpyxl")
    else:
        raise UsageError(f"--from-wide {path}: 应为 .csv 或 .xlsx 表格 expected a .csv or .xlsx table")
    if df.shape[1] < 2:
        raise UsageError(f"{path}: 第一列应为区域，其后每个地类一列 "
                         "expected the region in the first column and one column per land-use class")
    region_col, *cols = list(df.columns)
    total_col = next((c for c in cols if _key(c).lower() in ("合计", "总计", "总面积", "土地总面积", "total",
                                                               "total_area_ha")), None)
    classes: dict[str, str] = {}
    unknown: list[str] = []
    unknown_zh: list[str] = []
    for c in cols:
        if c == total_col:
            continue
        code = _class_of(c)
        if code is None:
            near = difflib.get_close_matches(_key(c), [zh for _c, zh, _r, _n in STANDARD_CLASSES], n=1, cutoff=0.4)
            unknown.append(f"'{c}'" + (f" (did you mean '{near[0]}'?)" if near else ""))
            unknown_zh.append(f"“{c}”" + (f"（是否应为 '{near[0]}'？）" if near else ""))
        else:
            classes[c] = code
    if unknown:
        names = ", ".join(f"{code} {zh}" for code, zh, _r, _n in STANDARD_CLASSES)
        raise UsageError(f"{path}: 列{'、'.join(unknown_zh)}无法对应任何地类，请改用下列地类编码或名称之一 "
                         f"column(s) {', '.join(unknown)} name no land-use class; use a code or name of: {names}")
    regions, baseline = [], []
    for i, rec in enumerate(df.to_dict("records"), start=2):
        name = _key(rec[region_col])
        if not name:
            continue
        areas = {code: _number(rec[c], f"{path.name}, row {i}, column '{c}'") for c, code in classes.items()}
        total = _number(rec[total_col], f"{path.name}, row {i}, column '{total_col}'") if total_col else None
        summed = sum(a for a in areas.values() if a is not None)
        regions.append({"region": name, "name_zh": name if not name.isascii() else None,
                        "total_area_ha": total if total is not None else summed})
        baseline.extend({"region": name, "land_use": code, "area_ha": a} for code, a in areas.items() if a is not None)
    log.info("read %d regions × %d land-use classes from %s", len(regions), len(classes), path)
    return {"regions": pd.DataFrame(regions), "baseline": pd.DataFrame(baseline)}
