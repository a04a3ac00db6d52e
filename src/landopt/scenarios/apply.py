"""Applying scenario overrides to copies of the raw tables (before validation, so a scenario's values are checked
exactly like the base workbook's): every override names the rows it changed, or is a problem naming its row."""

from __future__ import annotations

import logging
from dataclasses import replace

import pandas as pd

from typing import Any

from landopt.errors import Message, Problem, zh_list
from landopt.reader import ROW, RawWorkbook
from landopt.schema import OPERATIONS, SETTINGS_KEYS, SHEETS
from landopt.scenarios.definitions import (NOT_OVERRIDABLE, SAME_FOR_EVERY_RUN, Override, ScenarioError, as_text,
                                           chain, load_scenarios, problem_at, sheet_zh)
from landopt.validate.cells import to_float as _to_float

log = logging.getLogger(__name__)


def _matches(df: pd.DataFrame, where: dict[str, str]) -> pd.Series:
    mask = pd.Series(True, index=df.index)
    for k, v in where.items():
        mask &= df[k].map(as_text) == v
    return mask


def apply_overrides(raw: RawWorkbook, overrides: list[tuple[str, Override]]) -> RawWorkbook:
    """Apply ``(scenario, override)`` pairs in order to copies of the raw tables."""
    from landopt.model.families import FAMILIES

    tables = {k: v.copy() for k, v in raw.tables.items()}
    problems: list[Problem] = []
    log_rows: list[dict[str, Any]] = []
    for scen, o in overrides:
        def bad(column: str | None, message: Message, o: Override = o) -> None:
            problems.append(problem_at(o.origin, o.origin_zh, column, message))

        rec = {"scenario": scen, "origin": o.origin, "sheet": o.sheet, "column": o.column, "where": o.where_text,
               "operation": o.operation, "value": as_text(o.value), "rows_changed": ""}
        if o.operation not in OPERATIONS:
            hint = hint_zh = ""
            if o.operation in ("true", "false"):  # YAML 1.1 reads an unquoted off/on as false/true
                word = 'on' if o.operation == 'true' else 'off'
                hint = f" (in YAML write '{word}' in quotes: unquoted on/off mean true/false)"
                hint_zh = f"（YAML 中请写带引号的 '{word}'：不带引号的 on/off 会被读作 true/false）"
            bad("operation", (f"操作 '{o.operation}' 无效；应为下列之一：{zh_list(OPERATIONS)}{hint_zh}",
                              f"'{o.operation}' is not one of {', '.join(OPERATIONS)}{hint}"))
            continue
        if o.sheet == "families":
            if o.column not in FAMILIES:
                bad("column", (f"约束族 '{o.column}' 不存在；应为下列之一：{zh_list(FAMILIES)}",
                               f"unknown constraint family '{o.column}'; expected one of: {', '.join(FAMILIES)}"))
                continue
            if o.operation not in ("off", "on"):
                bad("operation", (f"约束族（families）的操作只能是 'off' 或 'on'，不能是 '{o.operation}'",
                                  f"families take 'off' or 'on', not '{o.operation}'"))
                continue
            st = tables["settings"]
            hit = st["key"].map(as_text) == "families_off"
            current = [p.strip() for p in ",".join(st.loc[hit, "value"].map(as_text)).split(",") if p.strip()]
            new = sorted(set(current) | {o.column}) if o.operation == "off" else [f for f in current if f != o.column]
            if hit.any():
                st.loc[hit, "value"] = ",".join(new)
            else:
                st = pd.concat([st, pd.DataFrame({ROW: [0], "key": ["families_off"], "value": [",".join(new)]})], ignore_index=True)
            tables["settings"] = st
            rec["rows_changed"] = "settings.families_off"
            log_rows.append(rec)
            continue
        if o.sheet not in SHEETS or o.sheet in NOT_OVERRIDABLE:
            sheets = [s for s in SHEETS if s not in NOT_OVERRIDABLE] + ['families']
            known = ', '.join(sheets)
            if o.sheet in NOT_OVERRIDABLE:  # it exists, but holds documentation or sweep ranges, not model data
                bad("sheet", (f"工作表“{o.sheet}”是说明或抽样范围，不是模型数据，情景不能调整；应为下列之一：{zh_list(sheets)}",
                              f"sheet '{o.sheet}' holds documentation or sweep ranges, not model data: a scenario "
                              f"cannot change it; expected one of: {known}"))
            else:
                bad("sheet", (f"'{o.sheet}' 不是可调整的工作表；应为下列之一：{zh_list(sheets)}",
                              f"unknown sheet '{o.sheet}'; expected one of: {known}"))
            continue
        sheet = SHEETS[o.sheet]
        if o.column not in sheet.column_names:
            bad("column", (f"{sheet_zh(o.sheet, raw)}没有“{o.column}”列；应为下列之一：{zh_list(sheet.column_names)}",
                           f"sheet '{o.sheet}' has no column '{o.column}'; expected one of: {', '.join(sheet.column_names)}"))
            continue
        keys = sheet.key or tuple(sheet.column_names)
        bad_keys = [k for k in o.where if k not in sheet.column_names]
        if bad_keys:
            bad("where", (f"{sheet_zh(o.sheet, raw)}没有“{bad_keys[0]}”列；可筛选的列：{zh_list(keys)}",
                          f"sheet '{o.sheet}' has no column '{bad_keys[0]}'; filter on: {', '.join(keys)}"))
            continue
        df = tables.get(o.sheet)
        if df is None:
            bad("sheet", (f"工作簿中没有{sheet_zh(o.sheet)}，无法调整",
                          f"the workbook has no sheet '{o.sheet}' to override"))
            continue
        unknown_id = False
        for k, v in o.where.items():
            if k in ("region", "land_use", "from_land_use", "to_land_use"):
                ref = "regions" if k == "region" else "land_uses"
                known = set(tables.get(ref, pd.DataFrame({ref[:-1]: []})).get("region" if k == "region" else "land_use", pd.Series([])).map(as_text))
                if v not in known:
                    unknown_id = True
                    listed = ', '.join(sorted(known))
                    bad("where", (f"{'区域' if k == 'region' else '地类'} '{v}' 不存在（见{sheet_zh(ref, raw)}）；"
                                  f"应为下列之一：{zh_list(sorted(known))}",
                                  f"unknown {'region' if k == 'region' else 'land use'} '{v}' (see sheet '{ref}'); "
                                  f"expected one of: {listed}"))
        if unknown_id:
            continue  # the filter cannot match; saying so again would only repeat the problem
        if o.sheet == "settings" and o.where.get("key") in SAME_FOR_EVERY_RUN:
            key = o.where['key']
            bad(None, (f"情景不能修改设置项“{key}”：参与比较的各次运行必须按同一核算期计算净碳汇；请在{sheet_zh('settings', raw)}"
                       "中设置，该设置同时适用于工作簿原值和所有情景",
                       f"a scenario cannot change setting '{key}': the runs compared must count the net removals over "
                       "the same horizon; set it on the settings sheet, where it applies to the base and every scenario"))
            continue
        if o.sheet == "settings" and o.column == "value" and "key" in o.where and o.where["key"] not in SETTINGS_KEYS:
            bad("where", (f"设置项 '{o.where['key']}' 不存在", f"unknown setting '{o.where['key']}'"))
            continue
        mask = _matches(df, o.where)
        if not mask.any():
            if o.sheet == "settings" and o.operation == "set" and set(o.where) == {"key"}:
                df = pd.concat([df, pd.DataFrame({ROW: [0], "key": [o.where["key"]], "value": [o.value]})], ignore_index=True)
                tables["settings"] = df
                rec["rows_changed"] = "added"
                log_rows.append(rec)
                continue
            bad("where", (f"行筛选条件 '{o.where_text}' 在{sheet_zh(o.sheet, raw)}中未匹配到任何行" if o.where_text
                          else f"{sheet_zh(o.sheet, raw)}没有数据行（行筛选条件为空，即全部行）",
                          f"'{o.where_text}' matches no row of sheet '{o.sheet}'" if o.where_text
                          else f"sheet '{o.sheet}' has no data rows (the row filter is blank: every row)"))
            continue
        if o.column not in df.columns:
            df[o.column] = None
        if o.operation == "set":
            df[o.column] = df[o.column].astype(object)
            df.loc[mask, o.column] = o.value
        elif o.operation in ("scale", "add"):
            f = _to_float(o.value)
            if f is None:
                what_zh = "倍数" if o.operation == "scale" else "增加量"
                bad("value", (f"'{o.value}' 不是数字（{o.operation} 操作的{what_zh}须为数字）",
                              f"'{o.value}' is not a number ({o.operation} needs one)"))
                continue
            vals = df.loc[mask, o.column].map(_to_float)
            if vals.isna().all():  # scaling or adding to blanks changes nothing: a scenario that changes nothing is a mistake
                verb_zh = "累加" if o.operation == "add" else "按倍数缩放"
                bad(None, (f"{sheet_zh(o.sheet, raw)}所有匹配行的“{o.column}”列均为空，没有可{verb_zh}的数值"
                           "（请用 set 操作为其赋值）",
                           f"column '{o.column}' is blank on every matching row of sheet '{o.sheet}'; "
                           f"nothing to {'add to' if o.operation == 'add' else 'scale'} (use set to give it a value)"))
                continue
            new = vals * f if o.operation == "scale" else vals + f
            df[o.column] = df[o.column].astype(object)
            df.loc[mask & new.reindex(df.index).notna(), o.column] = new.dropna()
        else:
            bad("operation", (f"'{o.operation}' 操作只适用于工作表“families”（约束族）",
                              f"'{o.operation}' applies only to sheet 'families'"))
            continue
        tables[o.sheet] = df
        changed = mask if o.operation in ("set", "off", "on") else \
            mask & df[o.column].map(_to_float).reindex(df.index).notna()  # scale/add leave blank cells blank
        rec["rows_changed"] = ", ".join(str(int(r)) for r in df.loc[changed, ROW])
        log_rows.append(rec)
    if problems:
        raise ScenarioError(problems)
    return replace(raw, tables=tables, overrides=pd.DataFrame(log_rows, columns=[
        "scenario", "origin", "sheet", "column", "where", "operation", "value", "rows_changed"]))


def apply_scenario(raw: RawWorkbook, name: str) -> RawWorkbook:
    """Apply scenario ``name`` (and its ancestors, oldest first) to ``raw``."""
    scenarios = load_scenarios(raw)
    pairs = [(sc.name, o) for sc in chain(scenarios, name) for o in sc.overrides]
    out = apply_overrides(raw, pairs)
    log.info("scenario %s: %d overrides applied", name, len(pairs))
    return out
