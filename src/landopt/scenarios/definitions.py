"""Reading scenario definitions (the ``scenarios`` sheet and the ``<workbook>.scenarios.yaml`` file) into
:class:`Scenario` objects, each a named list of :class:`Override` rows, and resolving their parents
(:func:`chain`).  Applying them to the raw tables is :mod:`landopt.scenarios.apply`."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from landopt.errors import InputError, Message, Problem, show_value, split_message, zh_list
from landopt.reader import ROW, RawWorkbook
from landopt.readers import BadCell
from landopt.schema import SCENARIOS_SHEET
from landopt.validate.cells import blank as _blank  # scenario values parse exactly like the cells they override

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


def describe(raw: RawWorkbook) -> pd.DataFrame:
    """One row per scenario: name, parent, description, number of overrides (own and inherited)."""
    scenarios = load_scenarios(raw)
    recs = []
    for name, sc in scenarios.items():
        n = sum(len(s.overrides) for s in chain(scenarios, name))
        recs.append({"scenario": name, "parent": sc.parent or "", "description": sc.description,
                     "own_overrides": len(sc.overrides), "all_overrides": n})
    return pd.DataFrame(recs)
