"""Write the input workbook: an annotated, empty template or a filled one built from CSV tables.

The layout follows :mod:`landopt.schema` exactly: a ``README`` sheet first, then
one sheet per schema sheet (``settings`` ... ``area_bounds``, ``sources``) and a
``scenarios`` sheet.  Sheet names and headers are Chinese first and bilingual
(``基期现状面积 baseline``, ``面积 area_ha (公顷)``; labels from
:mod:`landopt.report.i18n`, the form in :mod:`landopt.headers`); the reader takes the
id back out and accepts the plain ids as well.  Header cells carry a comment with the
description, unit and whether the column is required; required headers are dark
blue, optional ones light blue.
Region and land-use columns get dropdowns fed by the ``regions`` and
``land_uses`` sheets; roles, yes/no columns, settings keys and source status get
fixed dropdowns; number columns accept numbers in their allowed range only.

``build_from_csv`` is how the shipped workbook is made from the CSV tables in
``inputs/<name>/``.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from typing import Any, Mapping

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from landopt.errors import UsageError
from landopt.headers import to_id
from landopt.folder_tables import decode_csv
from landopt.report.excel import atomic_save, sheet_ref, write_note, write_table, write_title
from landopt.report.i18n import INPUT_COLUMNS, INPUT_SHEETS, input_header_text, input_sheet_title
from landopt.safety import cell_text
from landopt.schema import DATA_SHEETS, ROLES, SCENARIOS_SHEET, SETTINGS_KEYS, SHEETS, Column, Sheet
from landopt.schema.base import settings_value_hint

README_TITLE = "填写说明 README"
log = logging.getLogger(__name__)

#: Unit of every setting (the settings sheet's ``unit`` column).
REQUIRED_FILL = "9BC2E6"
OPTIONAL_FILL = "DDEBF7"
MIN_ROWS = 1000  # dropdowns and number checks cover at least this many rows

_NUMBER = re.compile(r"^[+-]?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$|^[+-]?(?:0|[1-9]\d*)?\.\d+(?:[eE][+-]?\d+)?$")


def _all_sheets() -> list[Sheet]:
    return [*SHEETS.values(), SCENARIOS_SHEET]


def to_number(v: Any) -> Any:
    """``"2020"`` → 2020, ``"0.28"`` → 0.28, ``""`` → None; anything else unchanged (``"007"``, ``"2025,2030"``)."""
    if not isinstance(v, str):
        return v
    s = v.strip()
    if s == "":
        return None
    if not _NUMBER.match(s):
        return v
    x = float(s)
    if re.match(r"^[+-]?\d+$", s):
        return int(s)
    return x


def _safe(v: Any) -> Any:
    """Text from the input made formula-safe (:func:`landopt.safety.cell_text`); other values unchanged."""
    return cell_text(v) if isinstance(v, str) else v


def _comment(sheet: Sheet, col: Column) -> str:
    lines = [f"中文：{INPUT_COLUMNS[col.name]}"] if col.name in INPUT_COLUMNS else []  # Chinese first
    lines.append(col.description or col.name)
    if col.unit:
        lines.append(f"Unit: {col.unit}")
    if col.kind == "bool":
        lines.append("Values: yes / no")
    elif col.choices and len(col.choices) <= 12:
        lines.append(f"Values: {', '.join(col.choices)}")
    elif col.choices:
        lines.append("Values: pick from the dropdown")
    if col.ref == "regions":
        lines.append("Must be a region listed on sheet 'regions' (dropdown)")
    elif col.ref == "land_uses":
        lines.append("Must be a land use listed on sheet 'land_uses' (dropdown)")
    if col.kind in ("number", "int"):
        rng = []
        if col.minimum is not None:
            rng.append(f"{'>' if col.low_open else '≥'} {col.minimum:g}")
        if col.maximum is not None:
            rng.append(f"≤ {col.maximum:,g}")
        if rng:
            lines.append("Range: " + " and ".join(rng))
    lines.append("必填 REQUIRED" if col.required else "选填 Optional: leave blank when not applicable")
    return "\n".join(lines)


def _settings_frame(given: pd.DataFrame | None) -> pd.DataFrame:
    """Every known setting in schema order: given values win (blank stays blank), otherwise the default."""
    rows: list[dict[str, Any]] = []
    g: dict[str, dict[str, Any]] = {}
    extra: list[dict[str, Any]] = []
    if given is not None and not given.empty and "key" in given.columns:
        for rec in given.drop(columns=["_row"], errors="ignore").to_dict("records"):
            key = str(rec.get("key") or "").strip()
            if key in SETTINGS_KEYS:
                g[key] = rec
            elif key:
                extra.append(rec)

    def blank(v: Any) -> bool:
        return v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and v.strip() == "")

    for key, (_kind, default, desc) in SETTINGS_KEYS.items():
        rec = g.get(key)
        value = rec.get("value") if rec is not None else to_number(default)
        unit = rec.get("unit") if rec is not None and not blank(rec.get("unit")) else settings_value_hint(key)
        description = rec.get("description") if rec is not None and not blank(rec.get("description")) else desc
        rows.append({"key": key, "value": None if blank(value) else value, "unit": unit or None,
                     "description": description})
    rows.extend(extra)
    return pd.DataFrame(rows)


def _frame(sheet: Sheet, given: pd.DataFrame | None) -> pd.DataFrame:
    """Schema columns first (missing ones blank), then any extra columns of ``given``."""
    names = sheet.column_names
    if given is None:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in names})
    df = given.drop(columns=[c for c in given.columns if str(c) == "_row"])
    df.columns = [str(c).strip() for c in df.columns]
    extra = [c for c in df.columns if c not in names]
    out = pd.DataFrame({c: (df[c].astype(object) if c in df.columns else pd.Series([None] * len(df), dtype=object))
                        for c in names + extra}, index=df.index)
    return out.reset_index(drop=True)


def _dv(ws: Worksheet, col: int, last_row: int, formula: str, title: str, prompt: str, error: str,
        strict: bool = True, kind: str = "list", operator: str | None = None, formula2: str | None = None) -> None:
    dv = DataValidation(type=kind, formula1=formula, formula2=formula2, operator=operator, allow_blank=True)
    dv.errorStyle = "stop" if strict else "warning"
    dv.promptTitle = title[:32]
    dv.prompt = prompt[:255]
    dv.errorTitle = "landopt"[:32]
    dv.error = error[:255]
    dv.showInputMessage = True
    dv.showErrorMessage = True
    letter = get_column_letter(col)
    dv.add(f"{letter}2:{letter}{last_row}")
    ws.add_data_validation(dv)


def _quoted_list(items: tuple[str, ...] | list[str]) -> str:
    text = ",".join(items)
    if len(text) > 255:
        raise ValueError(f"dropdown list too long for an inline Excel list: {text[:60]}...")
    return f'"{text}"'


def _validations(ws: Worksheet, sheet: Sheet, n_rows: int, ref_rows: Mapping[str, int],
                 setting_rows: tuple[int, int] | None = None) -> None:
    last = max(MIN_ROWS, n_rows + 1 + 500)
    for j, col in enumerate(sheet.columns, start=1):
        label = f"{col.name}" + (f" ({col.unit})" if col.unit else "")
        if col.ref in ("regions", "land_uses"):
            id_col = "region" if col.ref == "regions" else "land_use"
            letter = get_column_letter(SHEETS[col.ref].column_names.index(id_col) + 1)
            end = ref_rows.get(col.ref, MIN_ROWS)
            what = "region" if col.ref == "regions" else "land use"
            ref = input_sheet_title(col.ref)
            _dv(ws, j, last, f"={sheet_ref(ref)}!${letter}$2:${letter}${end}", label,
                f"Pick a {what} listed on sheet '{ref}'.", f"Not a {what} listed on sheet '{ref}'.")
        elif col.kind == "bool":
            _dv(ws, j, last, _quoted_list(["yes", "no"]), label, "yes or no", "Enter yes or no.")
        elif sheet.name == "settings" and col.name == "key":
            # the keys listed on the README sheet (an inline list is limited to 255 characters)
            keys = (f"={sheet_ref(README_TITLE)}!$A${setting_rows[0]}:$A${setting_rows[1]}" if setting_rows
                    else _quoted_list(list(SETTINGS_KEYS)))
            _dv(ws, j, last, keys, "setting", "Pick a setting name.", "Unknown setting name: pick one from the list.")
        elif sheet.name == "land_uses" and col.name == "role":
            _dv(ws, j, last, _quoted_list(list(ROLES)), "role",
                "What the constraints treat this land use as (see README).", "Pick a role from the list.")
        elif col.kind == "choice" and col.choices:
            _dv(ws, j, last, _quoted_list(list(col.choices)), label, f"One of: {', '.join(col.choices)}",
                f"Pick one of: {', '.join(col.choices)}")
        elif sheet.name in ("sources", "scenarios") and col.name == "sheet":
            names = list(DATA_SHEETS) + (["families"] if sheet.name == "scenarios" else [])
            _dv(ws, j, last, _quoted_list(names), "sheet", "The sheet this row refers to.",
                "Not a landopt sheet name.", strict=False)
        elif col.kind == "int" and col.name == "year":
            _dv(ws, j, last, "1900", label, "A milestone year (see settings.milestone_years).",
                "Enter a year (a whole number).", kind="whole", operator="between", formula2="2200")
        elif col.kind == "number" and (col.minimum is not None or col.maximum is not None):
            if col.minimum is not None and col.maximum is not None:
                op, f1, f2 = "between", f"{col.minimum:g}", f"{col.maximum:g}"
                rng = f"between {col.minimum:g} and {col.maximum:g}"
            elif col.minimum is not None:
                op, f1, f2 = "greaterThanOrEqual", f"{col.minimum:g}", None
                rng = f"≥ {col.minimum:g}"
            else:
                op, f1, f2 = "lessThanOrEqual", f"{col.maximum:g}", None
                rng = f"≤ {col.maximum:g}"
            unit = f" {col.unit}" if col.unit else ""
            _dv(ws, j, last, f1, label, f"A number {rng}{unit}; blank = " + ("required" if col.required else "not set"),
                f"Enter a number {rng}{unit}.", kind="decimal", operator=op, formula2=f2)


def _data_sheet(wb: Workbook, sheet: Sheet, df: pd.DataFrame, ref_rows: Mapping[str, int],
                setting_rows: tuple[int, int] | None = None) -> Worksheet:
    ws = wb.create_sheet(input_sheet_title(sheet.name))
    comments = {c.name: _comment(sheet, c) for c in sheet.columns}
    heads = {c.name: input_header_text(c.name, c.unit) for c in sheet.columns}
    blk = write_table(ws, df, 1, table_name=f"tbl_{sheet.name}", headers={c: heads.get(c, c) for c in df.columns},
                      number_formats={c: None for c in df.columns}, header_comments=comments, freeze=True,
                      header_fill=OPTIONAL_FILL)
    required = {c.name for c in sheet.columns if c.required}
    for name, col in blk.columns.items():
        if name in required:
            ws.cell(row=1, column=col).fill = PatternFill("solid", fgColor=REQUIRED_FILL)
    _validations(ws, sheet, blk.n_rows, ref_rows, setting_rows)
    return ws


def _readme(ws: Worksheet) -> tuple[int, int]:
    """Write the README sheet; returns the first and last row of its settings keys (column A)."""
    ws.sheet_properties.tabColor = "1F4E78"
    r = write_title(ws, 1, "landopt 输入工作簿 input workbook")
    r = write_note(ws, r, "以净碳汇最大化为目标的国土空间用地配置。 "
                          "Land allocation that maximises the net carbon sink of a territorial spatial plan.")
    r += 1
    r = write_title(ws, r, "填写步骤 How to fill it in", level=2)
    steps = [  # Chinese first, then English (the planners' language, then the analysts')
        ("1. settings（设置）：填写基期年份 baseline_year 和规划年份 milestone_years（如 2025,2030,2035，最后一个为目标年），其余设置有默认值。",
         "settings: give baseline_year (the year of the baseline areas) and milestone_years (e.g. 2025,2030,2035; the last is the target year). Other settings have defaults."),
        ("2. regions（区域）：每个规划区域一行，填简短编号、中文名称和土地总面积（公顷）。",
         "regions: one row per planning region with a short id, its Chinese name and its total land area (ha)."),
        ("3. land_uses（地类）：每个地类一行，从下拉列表选择其角色（role）。",
         "land_uses: one row per land-use type; pick its role from the dropdown."),
        ("4. carbon_stocks（碳库与净通量，默认的IPCC碳储量变化法）：每个地类的生物量、枯落物、土壤碳储量（吨碳/公顷）、成熟年数、保持原地类的净通量"
         "和甲烷排放；新建水库等“转入后”的甲烷填 new_land_ch4_kg_per_ha_yr。只用通量法时（settings.carbon_accounting = flux）"
         "改在 land_uses 填碳通量（吨碳/公顷/年，排放为正、碳汇为负），本表不用。",
         "carbon_stocks (the default IPCC stock-change accounting): per land use its biomass, dead organic matter and soil "
         "carbon (t C/ha), years to maturity, the flux of land remaining in it and its methane; the methane of land "
         "converted into a use (new reservoirs) goes in new_land_ch4_kg_per_ha_yr. With flux accounting only "
         "(settings.carbon_accounting = flux) give the flux on land_uses (t C/ha/yr, emission +, sink −) instead."),
        ("5. baseline（基期现状面积）：每个区域每个地类在基期年的面积（公顷），每个区域与地类一行。",
         "baseline: the area (ha) of every land use in every region in the baseline year, one row per region and land use."),
        ("6. transitions（地类转换）：允许的转换（未列出的转换均禁止），可选填每时段转换比例上限（%）、成本和土壤碳变化。",
         "transitions: which conversions may happen (pairs not listed are forbidden), optionally with a speed limit in % per period, a cost and the soil change."),
        ("7. targets（规划目标）：各区域各规划年份的目标（耕地保有量、城镇开发边界、生态底线等）；留空即无约束。",
         "targets: planning targets per region and milestone year (cropland red line, urban boundary, ecological floors ...); blank = no constraint."),
        ("8. grazing 与 energy（草畜平衡、清洁能源）：各区域各年份的草畜平衡和光伏选址；不需要时保留表头、不填数据行。",
         "grazing and energy: the grass-livestock balance and clean-energy siting per region and year; leave a sheet without rows to leave it out."),
        ("9. 可选表：carbon_by_region（分区域碳通量）、area_bounds（面积上下限）、protected_land（控制线内用地）、province_targets（全域目标）等。",
         "optional sheets: carbon_by_region (regional flux coefficients), area_bounds (extra area limits), protected_land (land inside the control lines), province_targets (region-wide targets) ..."),
        ("10. sources（数据来源）：每个数值的来源、年份，以及状态：verified（已在来源中核实）或 estimate（估算）。",
         "sources: where every figure comes from, its year, and its status: verified (seen in the source) or estimate."),
        ("11. scenarios（情景，可选）：命名的调整，如更严格的耕地目标，用 --scenario 名称 运行。",
         "scenarios (optional): named overrides, e.g. a stricter cropland target, run with --scenario NAME."),
        ("然后检查工作簿：landopt validate <工作簿>，求解：landopt solve <工作簿>",
         "Then check the workbook with: landopt validate <workbook>   and solve it with: landopt solve <workbook>"),
    ]
    steps = [f"{zh} {en}" for zh, en in steps]
    for s in steps:
        r = write_note(ws, r, s)
    r += 1
    r = write_title(ws, r, "填写约定 Conventions", level=2)
    for s in (
        "Headers read 'Chinese label, the id, (unit)', e.g. '面积 area_ha (公顷)'; landopt reads the id, so keep it (the "
        "Chinese wording may change). A header may also be the plain id (area_ha); extra columns are ignored with a warning.",
        "Sheet names read 'Chinese name, the id', e.g. '基期现状面积 baseline'; the plain id (baseline) works as well.",
        "Hover over a header to read what the column means, its unit and whether it is required (red triangle = comment).",
        "Dark blue header = required column; light blue = optional. Blank optional cells mean 'no constraint' or the default.",
        "Units are part of the column name: _ha hectares, _su sheep units, _mw megawatts, _pct percent, tC_per_ha_yr t C/ha/yr.",
        "Region and land-use columns have dropdowns fed by the regions and land_uses sheets; yes/no columns accept yes or no.",
        "表头格式为“中文名称 英文编号 (单位)”，landopt 按英文编号识别，请保留编号；也可只写英文编号。"
        "将鼠标悬停在表头上可查看说明、单位及是否必填；深蓝色表头为必填列。",
    ):
        r = write_note(ws, r, s)
    r += 1
    r = write_title(ws, r, "工作表 Sheets", level=2)
    rows = [(input_sheet_title(s.name), INPUT_SHEETS.get(s.name, ""), "required" if s.required and s.name in DATA_SHEETS else "optional",
             s.description, ", ".join(s.key)) for s in _all_sheets()]
    blk = write_table(ws, pd.DataFrame(rows, columns=["sheet", "sheet_zh", "required", "description", "unique_key"]),
                      r, table_name="ReadmeSheets", freeze=False,
                      headers={"sheet": "sheet", "sheet_zh": "工作表", "required": "required?",
                               "description": "what it holds", "unique_key": "one row per"})
    r = write_title(ws, blk.end_row + 2, "地类角色 Land-use roles", level=2)
    blk = write_table(ws, pd.DataFrame(list(ROLES.items()), columns=["role", "meaning"]), r,
                      table_name="ReadmeRoles", freeze=False)
    r = write_title(ws, blk.end_row + 2, "设置项 Settings", level=2)
    rows = [(k, d, settings_value_hint(k), desc) for k, (_kind, d, desc) in SETTINGS_KEYS.items()]
    blk = write_table(ws, pd.DataFrame(rows, columns=["key", "default", "unit", "description"]), r,
                      table_name="ReadmeSettings", freeze=False, number_formats={"default": None})
    for col in range(1, 6):
        cell = ws.cell(row=1, column=col)
        cell.alignment = Alignment(wrap_text=False)
    ws["A1"].font = Font(bold=True, size=16)
    return blk.end_row - len(rows) + 1, blk.end_row


def write_template(path: Path, tables: Mapping[str, pd.DataFrame] | None = None) -> Path:
    """Write the input workbook to ``path`` (atomically); returns ``path``.

    Without ``tables`` the sheets are empty except ``settings`` (every key with its default, unit and
    description).  With ``tables`` (sheet name → DataFrame of values) those rows are written; blank
    values stay blank cells.  Unknown sheet names are written after the known ones (landopt ignores them).
    """
    path = Path(path)
    tables = dict(tables or {})
    wb = Workbook()
    readme = wb.active
    readme.title = README_TITLE
    setting_rows = _readme(readme)

    frames: dict[str, pd.DataFrame] = {}
    for sheet in _all_sheets():
        given = tables.get(sheet.name)
        frames[sheet.name] = _settings_frame(given) if sheet.name == "settings" else _frame(sheet, given)
    # text that came from the input is never written as a formula (=HYPERLINK(...) in a name stays text)
    frames = {name: df.apply(lambda col: col.map(_safe)) if len(df) else df for name, df in frames.items()}
    ref_rows = {name: max(1000, len(frames[name]) + 1 + 500) for name in ("regions", "land_uses")}
    for sheet in _all_sheets():
        _data_sheet(wb, sheet, frames[sheet.name], ref_rows, setting_rows)
    for name, df in tables.items():
        if name not in frames:
            log.warning("template: sheet '%s' is not a landopt sheet; written as is (landopt ignores it)", name)
            ws = wb.create_sheet(name[:31])
            write_table(ws, df.drop(columns=["_row"], errors="ignore").apply(lambda col: col.map(_safe)), 1,
                        table_name=f"tbl_{name}",
                        headers={str(c): str(c) for c in df.columns}, number_formats={str(c): None for c in df.columns})
    wb.properties.title = "landopt input workbook"
    wb.properties.creator = "landopt"
    wb.active = 0
    return atomic_save(wb, path)


def read_csv_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """Every ``<sheet>.csv`` in ``folder`` as a DataFrame, numbers as numbers and blanks as None.

    Id columns (regions, land uses) keep their text so that codes like ``540102`` or ``007`` survive.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"不是存放 CSV 表格的文件夹 not a folder of CSV tables: {folder}")
    known = {s.name: s for s in _all_sheets()}
    out: dict[str, pd.DataFrame] = {}
    for f in sorted(folder.glob("*.csv")):
        name = to_id(f.stem, set(known))
        decoded = decode_csv(f.read_bytes())
        if decoded is None:
            raise UsageError(f"{f}: 文件编码不是 UTF-8、UTF-16 或 GBK/GB18030，请另存为“CSV UTF-8（逗号分隔）” "
                             "the text encoding is not UTF-8, UTF-16 or GBK/GB18030; save it as CSV UTF-8")
        try:
            df = pd.read_csv(io.StringIO(decoded[0]), dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as e:
            raise UsageError(f"{f}: 不是可读取的 CSV 表格 not a readable CSV table ({str(e).splitlines()[-1]})") from None
        sheet = known.get(name)
        df.columns = [to_id(c, set(sheet.column_names) if sheet else None) for c in df.columns]
        keep_text = {c.name for c in sheet.columns if c.kind == "id" or c.ref} if sheet else set()
        conv = pd.DataFrame(index=df.index)
        for c in df.columns:
            if c in keep_text:
                conv[c] = df[c].map(lambda v: None if v.strip() == "" else v.strip()).astype(object)
            else:
                conv[c] = df[c].map(to_number).astype(object)
        if name not in known:
            log.warning("%s: not a landopt sheet; it is copied into the workbook but not used", f.name)
        out[name] = conv
    if not out:
        raise UsageError(f"文件夹中没有 <工作表>.csv 文件 no <sheet>.csv files in {folder}")
    log.info("read %d CSV tables from %s", len(out), folder)
    return out


def build_from_csv(folder: Path, path: Path) -> Path:
    """Build the input workbook ``path`` from the ``<sheet>.csv`` tables in ``folder``; returns ``path``."""
    return write_template(Path(path), read_csv_tables(Path(folder)))
