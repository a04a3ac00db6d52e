"""Scenarios: named sets of overrides on the base workbook, resolved into one spec per run.

A scenario lives in the workbook's ``scenarios`` sheet (long format, one
override per row) and/or in a YAML file next to the workbook
(``<workbook stem>.scenarios.yaml``).  Columns / keys:

``scenario``     name of the scenario
``parent``       scenario it builds on (its overrides are applied first); blank = the base workbook
``description``  one sentence saying what the scenario represents
``sheet``        sheet the override changes (``settings``, ``targets``, ... or ``families``)
``column``       column it changes (for ``families``: the constraint family name)
``where``        which rows: ``key=value`` filters on the sheet's key columns joined by ``;`` (blank = all rows)
``operation``    ``set`` (replace), ``scale`` (multiply), ``add``; for ``families``: ``off`` / ``on``
``value``        the new value, factor or amount

Overrides are applied to the raw tables before validation, so a scenario's
values are checked exactly like the base workbook's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from landopt.errors import InputError, Message, Problem, show_value, split_message, zh_list
from landopt.reader import ROW, RawWorkbook
from landopt.readers import BadCell
from landopt.schema import OPERATIONS, SCENARIOS_SHEET, SETTINGS_KEYS, SHEETS
from landopt.validate.cells import blank as _blank  # scenario values parse exactly like the cells they override
from landopt.validate.cells import to_float as _to_float

log = logging.getLogger(__name__)

#: settings a scenario may not change: every run of a comparison counts the net removals over the same horizon
SAME_FOR_EVERY_RUN = ("baseline_year", "milestone_years", "accounting_end_year")

COLUMNS = tuple(SCENARIOS_SHEET.column_names)
NOT_OVERRIDABLE = ("sources", "uncertainty")  # documentation and sweep ranges, not model data


class ScenarioError(InputError):
    """Problems in the scenario definitions, each naming its row (an :class:`InputError`: exit 2)."""

    def __init__(self, problems: list[Problem | Message], path: Any = None):
        super().__init__(problems, path, what="the scenarios")


def problem_at(origin: str, origin_zh: str, column: str | None, message: Message) -> Problem:
    """A problem of an override, a scenario or a sampled parameter, its place written into the message as today's
    English has it (``sheet 'scenarios', row 7, column 'where': …``, ``x.scenarios.yaml, scenario 'a', override 2: …``)
    and in Chinese (``工作表“情景 scenarios”第 7 行“where”列：…``; an override of a YAML file has fields, not columns:
    ``文件“x.scenarios.yaml”中情景“a”的第 2 项调整的“where”字段：…``); ``origin_zh`` blank: the English place."""
    zh, en = split_message(message)
    where_zh = origin_zh or origin
    if column:
        field_zh = f"的“{column}”字段" if where_zh.endswith(YAML_OVERRIDE_ZH) else f"“{column}”列"
        return Problem(f"{origin}, column '{column}': {en}", message_zh=f"{where_zh}{field_zh}：{zh}" if zh else "")
    return Problem(f"{origin}: {en}", message_zh=f"{where_zh}：{zh}" if zh else "")


#: how the Chinese place of an override of a scenarios YAML file ends (``…的第 2 项调整``)
YAML_OVERRIDE_ZH = "项调整"


def sheet_zh(sheet: str, raw: RawWorkbook | None = None) -> str:
    """A sheet named in Chinese text: as ``raw`` writes it (``工作表“规划目标 targets”``, ``文件“targets.csv”``) when it
    has the sheet, else by its id (``工作表“targets”``)."""
    if raw is not None and sheet in raw.tables:
        return raw.location_zh(sheet)
    return f"工作表“{sheet}”"


@dataclass
class Override:
    sheet: str
    column: str
    where: dict[str, str]
    operation: str
    value: Any
    origin: str  # "sheet 'scenarios', row 7" or "x.scenarios.yaml, scenario foo, override 2"
    where_text: str = ""
    origin_zh: str = ""  # the origin in Chinese: "工作表“情景 scenarios”第 7 行" (blank: messages use ``origin``)


@dataclass
class Scenario:
    name: str
    parent: str | None
    description: str
    overrides: list[Override] = field(default_factory=list)
    origin: str = ""
    origin_zh: str = ""  # the origin in Chinese (blank: messages use ``origin``)


def _text(v: Any) -> str:
    if _blank(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


as_text = _text  #: a cell's value as the text a user typed ("" when blank; 2.0 → "2")


def _parse_where(text: str, origin: str, problems: list[Problem], origin_zh: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for part in [p.strip() for p in text.split(";") if p.strip()]:
        if "=" not in part:
            problems.append(problem_at(origin, origin_zh, "where", (
                f"'{part}' 应写成 key=value 的形式（如 region=Lhasa;year=2035）",
                f"'{part}' should look like key=value (e.g. region=Lhasa;year=2035)")))
            continue
        k, v = part.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def scenarios_from_sheet(df: pd.DataFrame | None, problems: list[Problem], sheet: str = "scenarios"
                         ) -> dict[str, Scenario]:
    """The scenarios of the ``scenarios`` sheet; problems name it ``sheet`` (its name as the workbook writes it,
    e.g. ``情景 scenarios``)."""
    out: dict[str, Scenario] = {}
    if df is None or df.empty:
        return out
    missing = [c for c in ("scenario", "sheet", "column", "operation") if c not in df.columns]
    if missing:
        problems.append(Problem.at(sheet, None, None, None, (
            f"缺少列{zh_list(f'“{c}”' for c in missing)}（应有的列：{zh_list(COLUMNS)}）",
            f"missing column(s) {', '.join(missing)} (expected: {', '.join(COLUMNS)})")))
        return out
    for rec in df.to_dict("records"):
        row = rec[ROW]
        origin = f"sheet '{sheet}', row {row}"
        origin_zh = f"工作表“{sheet}”第 {row} 行"
        bad = [(k, v) for k, v in rec.items() if isinstance(v, BadCell)]
        for k, v in bad:
            zh, en = v.message()
            if show_value(v) == f"'{v}'":
                problems.append(Problem.at(sheet, row, k, v, (zh, en)))
            else:  # the value as typed between quotes, as ever (show_value would quote it otherwise)
                problems.append(Problem.at(sheet, row, k, None, (f"填写值为 '{v}'，{zh}", f"value '{v}' — {en}")))
        if bad:
            continue
        name = _text(rec.get("scenario"))
        if not name:
            problems.append(Problem.at(sheet, row, "scenario", None, ("必须填写情景名称", "a scenario name is required")))
            continue
        sc = out.get(name)
        parent = _text(rec.get("parent")) or None
        desc = _text(rec.get("description"))
        if sc is None:
            sc = out[name] = Scenario(name, parent, desc, origin=origin, origin_zh=origin_zh)
        else:
            if parent and sc.parent and parent != sc.parent:
                first = sc.origin.split()[-1]
                problems.append(Problem.at(sheet, row, "parent", None, (
                    f"情景“{name}”已有上级情景“{sc.parent}”（第 {first} 行）",
                    f"scenario '{name}' already has parent '{sc.parent}' (row {first})")))
            sc.parent = sc.parent or parent
            sc.description = sc.description or desc
        if not _text(rec.get("sheet")):
            continue  # a row that only describes the scenario
        where_text = _text(rec.get("where"))
        sc.overrides.append(Override(
            sheet=_text(rec.get("sheet")), column=_text(rec.get("column")),
            where=_parse_where(where_text, origin, problems, origin_zh), operation=_text(rec.get("operation")).lower(),
            value=rec.get("value"), origin=origin, where_text=where_text, origin_zh=origin_zh))
    return out


def yaml_path(workbook: Path) -> Path:
    stem = workbook.stem if workbook.suffix else workbook.name
    return workbook.parent / f"{stem}.scenarios.yaml"


def scenarios_from_yaml(path: Path, problems: list[Problem]) -> dict[str, Scenario]:
    """Read ``scenarios: {name: {parent, description, overrides: [{sheet, column, where, operation, value}]}}``."""
    import yaml

    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except UnicodeDecodeError:
        problems.append(Problem.at("", None, None, None, ("不是 UTF-8 编码的文本；请另存为 UTF-8 编码",
                                                          "not UTF-8 text; save it as UTF-8"), file=path.name))
        return {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        where_zh = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else ""
        what = getattr(e, "problem", None) or str(e).splitlines()[0]
        problems.append(Problem(f"file '{path.name}'{where}: not valid YAML ({what}); see docs/scenarios.md for the layout",
                                message_zh=f"文件“{path.name}”{where_zh}：不是有效的 YAML（{what}）；"
                                           "格式见 docs/scenarios.md"))
        return {}
    scen = data.get("scenarios") if isinstance(data, dict) else None
    if not isinstance(scen, dict):
        problems.append(Problem.at("", None, None, None, (
            "应以 'scenarios:' 开头，其下每个情景名称各占一项（见 docs/scenarios.md）",
            "expected 'scenarios:' followed by one entry per scenario name (see docs/scenarios.md)"), file=path.name))
        return {}
    out: dict[str, Scenario] = {}
    for name, body in scen.items():
        body = body or {}
        if not isinstance(body, dict) or not isinstance(body.get("overrides") or [], list) or not all(
                isinstance(o, dict) for o in body.get("overrides") or []):
            problems.append(problem_at(f"file '{path.name}', scenario '{name}'", f"文件“{path.name}”中的情景“{name}”", None, (
                "应包含 parent（上级情景）、description（说明）和调整项列表 overrides"
                "（每项含 sheet、column、where、operation、value）",
                "expected parent, description and a list of overrides (each with sheet, column, where, operation, value)")))
            continue
        sc = Scenario(str(name), body.get("parent"), body.get("description", ""), origin=f"{path.name}, scenario '{name}'",
                      origin_zh=f"文件“{path.name}”中的情景“{name}”")
        for i, o in enumerate(body.get("overrides") or [], start=1):
            origin = f"{path.name}, scenario '{name}', override {i}"
            origin_zh = f"文件“{path.name}”中情景“{name}”的第 {i} {YAML_OVERRIDE_ZH}"
            where = o.get("where") or {}
            if isinstance(where, str):
                where_text = where
                where = _parse_where(where, origin, problems, origin_zh)
            else:
                where = {str(k): _text(v) for k, v in where.items()}
                where_text = ";".join(f"{k}={v}" for k, v in where.items())
            sc.overrides.append(Override(str(o.get("sheet", "")), str(o.get("column", "")), where,
                                         str(o.get("operation", "")).lower(), o.get("value"), origin, where_text,
                                         origin_zh))
        out[sc.name] = sc
    return out


def load_scenarios(raw: RawWorkbook) -> dict[str, Scenario]:
    """All scenarios of the workbook (sheet) and its YAML file; raises ScenarioError on any problem."""
    problems: list[Problem] = []
    found = scenarios_from_sheet(raw.tables.get("scenarios"), problems, raw.sheet_label("scenarios"))
    extra = scenarios_from_yaml(yaml_path(raw.path), problems)
    for name, sc in extra.items():
        if name in found:
            first = found[name]
            problems.append(problem_at(sc.origin, sc.origin_zh, None, (
                f"情景工作表中也定义了同名情景（{first.origin_zh or first.origin}）",
                f"scenario '{name}' is also defined on the scenarios sheet ({first.origin})")))
        else:
            found[name] = sc
    for sc in found.values():
        if sc.parent and sc.parent not in found:
            known = ', '.join(sorted(found))
            problems.append(problem_at(sc.origin, sc.origin_zh, "parent", (
                f"上级情景 '{sc.parent}' 不存在；已有的情景：{zh_list(sorted(found))}",
                f"unknown parent scenario '{sc.parent}'; known: {known}")))
    if problems:
        raise ScenarioError(problems)
    return found


def chain(scenarios: dict[str, Scenario], name: str) -> list[Scenario]:
    """The scenario and its ancestors, oldest first; raises on unknown names and cycles."""
    if name not in scenarios:
        # say where each known scenario is defined, so a typo can be found on the sheet (or in the YAML file)
        known = "; ".join(f"{n} ({scenarios[n].origin})" for n in sorted(scenarios)) or "none defined"
        known_zh = "；".join(f"{n}（{scenarios[n].origin_zh or scenarios[n].origin}）" for n in sorted(scenarios)) \
            or "尚未定义任何情景"
        import difflib

        near = [n for n in scenarios if n.lower() == str(name).strip().lower()] \
            or difflib.get_close_matches(str(name), list(scenarios), n=1, cutoff=0.6)
        hint = f"did you mean '{near[0]}'? " if near else ""
        hint_zh = f"是否应为 '{near[0]}'？" if near else ""
        raise ScenarioError([(f"情景 '{name}' 不存在；{hint_zh}已有的情景：{known_zh}",
                              f"unknown scenario '{name}'; {hint}known scenarios: {known}")])
    seen: list[str] = []
    cur: str | None = name
    while cur is not None:
        if cur in seen:
            cyc = " → ".join(seen[seen.index(cur):] + [cur])
            raise ScenarioError([problem_at(scenarios[cur].origin, scenarios[cur].origin_zh, None, (
                f"各情景的上级情景相互引用，形成循环：{cyc}", f"scenarios inherit from each other in a cycle: {cyc}"))])
        seen.append(cur)
        cur = scenarios[cur].parent
    return [scenarios[n] for n in reversed(seen)]


def _matches(df: pd.DataFrame, where: dict[str, str]) -> pd.Series:
    mask = pd.Series(True, index=df.index)
    for k, v in where.items():
        mask &= df[k].map(_text) == v
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
               "operation": o.operation, "value": _text(o.value), "rows_changed": ""}
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
            hit = st["key"].map(_text) == "families_off"
            current = [p.strip() for p in ",".join(st.loc[hit, "value"].map(_text)).split(",") if p.strip()]
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
                known = set(tables.get(ref, pd.DataFrame({ref[:-1]: []})).get("region" if k == "region" else "land_use", pd.Series([])).map(_text))
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
                          f"'{o.where_text or '(all rows)'}' matches no row of sheet '{o.sheet}'"))
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


def describe(raw: RawWorkbook) -> pd.DataFrame:
    """One row per scenario: name, parent, description, number of overrides (own and inherited)."""
    scenarios = load_scenarios(raw)
    recs = []
    for name, sc in scenarios.items():
        n = sum(len(s.overrides) for s in chain(scenarios, name))
        recs.append({"scenario": name, "parent": sc.parent or "", "description": sc.description,
                     "own_overrides": len(sc.overrides), "all_overrides": n})
    return pd.DataFrame(recs)
