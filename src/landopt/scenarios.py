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

from landopt.errors import InputError, Problem
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

    def __init__(self, problems: list[str] | list[Problem], path: Any = None):
        super().__init__(problems, path, what="the scenarios")


@dataclass
class Override:
    sheet: str
    column: str
    where: dict[str, str]
    operation: str
    value: Any
    origin: str  # "sheet 'scenarios', row 7" or "x.scenarios.yaml, scenario foo, override 2"
    where_text: str = ""


@dataclass
class Scenario:
    name: str
    parent: str | None
    description: str
    overrides: list[Override] = field(default_factory=list)
    origin: str = ""


def _text(v: Any) -> str:
    if _blank(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


as_text = _text  #: a cell's value as the text a user typed ("" when blank; 2.0 → "2")


def _parse_where(text: str, origin: str, problems: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in [p.strip() for p in text.split(";") if p.strip()]:
        if "=" not in part:
            problems.append(f"{origin}, column 'where': '{part}' should look like key=value (e.g. region=Lhasa;year=2035)")
            continue
        k, v = part.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def scenarios_from_sheet(df: pd.DataFrame | None, problems: list[str], sheet: str = "scenarios") -> dict[str, Scenario]:
    """The scenarios of the ``scenarios`` sheet; problems name it ``sheet`` (its name as the workbook writes it,
    e.g. ``情景 scenarios``)."""
    out: dict[str, Scenario] = {}
    if df is None or df.empty:
        return out
    missing = [c for c in ("scenario", "sheet", "column", "operation") if c not in df.columns]
    if missing:
        problems.append(f"sheet '{sheet}': missing column(s) {', '.join(missing)} (expected: {', '.join(COLUMNS)})")
        return out
    for rec in df.to_dict("records"):
        row = rec[ROW]
        origin = f"sheet '{sheet}', row {row}"
        bad = [(k, v) for k, v in rec.items() if isinstance(v, BadCell)]
        for k, v in bad:
            problems.append(f"{origin}, column '{k}': value '{v}' — {v.message()[1]}")
        if bad:
            continue
        name = _text(rec.get("scenario"))
        if not name:
            problems.append(f"{origin}, column 'scenario': a scenario name is required")
            continue
        sc = out.get(name)
        parent = _text(rec.get("parent")) or None
        desc = _text(rec.get("description"))
        if sc is None:
            sc = out[name] = Scenario(name, parent, desc, origin=origin)
        else:
            if parent and sc.parent and parent != sc.parent:
                problems.append(f"{origin}, column 'parent': scenario '{name}' already has parent '{sc.parent}' (row {sc.origin.split()[-1]})")
            sc.parent = sc.parent or parent
            sc.description = sc.description or desc
        if not _text(rec.get("sheet")):
            continue  # a row that only describes the scenario
        where_text = _text(rec.get("where"))
        sc.overrides.append(Override(
            sheet=_text(rec.get("sheet")), column=_text(rec.get("column")),
            where=_parse_where(where_text, origin, problems), operation=_text(rec.get("operation")).lower(),
            value=rec.get("value"), origin=origin, where_text=where_text))
    return out


def yaml_path(workbook: Path) -> Path:
    stem = workbook.stem if workbook.suffix else workbook.name
    return workbook.parent / f"{stem}.scenarios.yaml"


def scenarios_from_yaml(path: Path, problems: list[str]) -> dict[str, Scenario]:
    """Read ``scenarios: {name: {parent, description, overrides: [{sheet, column, where, operation, value}]}}``."""
    import yaml

    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except UnicodeDecodeError:
        problems.append(f"file '{path.name}': not UTF-8 text; save it as UTF-8")
        return {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        what = getattr(e, "problem", None) or str(e).splitlines()[0]
        problems.append(f"file '{path.name}'{where}: not valid YAML ({what}); see docs/scenarios.md for the layout")
        return {}
    scen = data.get("scenarios") if isinstance(data, dict) else None
    if not isinstance(scen, dict):
        problems.append(f"file '{path.name}': expected 'scenarios:' followed by one entry per scenario name "
                        "(see docs/scenarios.md)")
        return {}
    out: dict[str, Scenario] = {}
    for name, body in scen.items():
        body = body or {}
        if not isinstance(body, dict) or not isinstance(body.get("overrides") or [], list) or not all(
                isinstance(o, dict) for o in body.get("overrides") or []):
            problems.append(f"file '{path.name}', scenario '{name}': expected parent, description and a list of "
                            "overrides (each with sheet, column, where, operation, value)")
            continue
        sc = Scenario(str(name), body.get("parent"), body.get("description", ""), origin=f"{path.name}, scenario '{name}'")
        for i, o in enumerate(body.get("overrides") or [], start=1):
            origin = f"{path.name}, scenario '{name}', override {i}"
            where = o.get("where") or {}
            if isinstance(where, str):
                where_text = where
                where = _parse_where(where, origin, problems)
            else:
                where = {str(k): _text(v) for k, v in where.items()}
                where_text = ";".join(f"{k}={v}" for k, v in where.items())
            sc.overrides.append(Override(str(o.get("sheet", "")), str(o.get("column", "")), where,
                                         str(o.get("operation", "")).lower(), o.get("value"), origin, where_text))
        out[sc.name] = sc
    return out


def load_scenarios(raw: RawWorkbook) -> dict[str, Scenario]:
    """All scenarios of the workbook (sheet) and its YAML file; raises ScenarioError on any problem."""
    problems: list[str] = []
    found = scenarios_from_sheet(raw.tables.get("scenarios"), problems, raw.sheet_label("scenarios"))
    extra = scenarios_from_yaml(yaml_path(raw.path), problems)
    for name, sc in extra.items():
        if name in found:
            problems.append(f"{sc.origin}: scenario '{name}' is also defined on the scenarios sheet ({found[name].origin})")
        else:
            found[name] = sc
    for sc in found.values():
        if sc.parent and sc.parent not in found:
            problems.append(f"{sc.origin}, column 'parent': unknown parent scenario '{sc.parent}'; known: {', '.join(sorted(found))}")
    if problems:
        raise ScenarioError(problems)
    return found


def chain(scenarios: dict[str, Scenario], name: str) -> list[Scenario]:
    """The scenario and its ancestors, oldest first; raises on unknown names and cycles."""
    if name not in scenarios:
        # say where each known scenario is defined, so a typo can be found on the sheet (or in the YAML file)
        known = "; ".join(f"{n} ({scenarios[n].origin})" for n in sorted(scenarios)) or "none defined"
        import difflib

        near = [n for n in scenarios if n.lower() == str(name).strip().lower()] \
            or difflib.get_close_matches(str(name), list(scenarios), n=1, cutoff=0.6)
        hint = f"did you mean '{near[0]}'? " if near else ""
        raise ScenarioError([f"unknown scenario '{name}'; {hint}known scenarios: {known}"])
    seen: list[str] = []
    cur: str | None = name
    while cur is not None:
        if cur in seen:
            cyc = " → ".join(seen[seen.index(cur):] + [cur])
            raise ScenarioError([f"{scenarios[cur].origin}: scenarios inherit from each other in a cycle: {cyc}"])
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
    problems: list[str] = []
    log_rows: list[dict[str, Any]] = []
    for scen, o in overrides:
        rec = {"scenario": scen, "origin": o.origin, "sheet": o.sheet, "column": o.column, "where": o.where_text,
               "operation": o.operation, "value": _text(o.value), "rows_changed": ""}
        if o.operation not in OPERATIONS:
            hint = ""
            if o.operation in ("true", "false"):  # YAML 1.1 reads an unquoted off/on as false/true
                hint = f" (in YAML write '{'on' if o.operation == 'true' else 'off'}' in quotes: unquoted on/off mean true/false)"
            problems.append(f"{o.origin}, column 'operation': '{o.operation}' is not one of {', '.join(OPERATIONS)}{hint}")
            continue
        if o.sheet == "families":
            if o.column not in FAMILIES:
                problems.append(f"{o.origin}, column 'column': unknown constraint family '{o.column}'; expected one of: {', '.join(FAMILIES)}")
                continue
            if o.operation not in ("off", "on"):
                problems.append(f"{o.origin}, column 'operation': families take 'off' or 'on', not '{o.operation}'")
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
            problems.append(f"{o.origin}, column 'sheet': unknown sheet '{o.sheet}'; expected one of: "
                            f"{', '.join([s for s in SHEETS if s not in NOT_OVERRIDABLE] + ['families'])}")
            continue
        sheet = SHEETS[o.sheet]
        if o.column not in sheet.column_names:
            problems.append(f"{o.origin}, column 'column': sheet '{o.sheet}' has no column '{o.column}'; expected one of: "
                            f"{', '.join(sheet.column_names)}")
            continue
        keys = sheet.key or tuple(sheet.column_names)
        bad_keys = [k for k in o.where if k not in sheet.column_names]
        if bad_keys:
            problems.append(f"{o.origin}, column 'where': sheet '{o.sheet}' has no column '{bad_keys[0]}'; filter on: {', '.join(keys)}")
            continue
        df = tables.get(o.sheet)
        if df is None:
            problems.append(f"{o.origin}, column 'sheet': the workbook has no sheet '{o.sheet}' to override")
            continue
        unknown_id = False
        for k, v in o.where.items():
            if k in ("region", "land_use", "from_land_use", "to_land_use"):
                ref = "regions" if k == "region" else "land_uses"
                known = set(tables.get(ref, pd.DataFrame({ref[:-1]: []})).get("region" if k == "region" else "land_use", pd.Series([])).map(_text))
                if v not in known:
                    unknown_id = True
                    problems.append(f"{o.origin}, column 'where': unknown {'region' if k == 'region' else 'land use'} '{v}' "
                                    f"(see sheet '{ref}'); expected one of: {', '.join(sorted(known))}")
        if unknown_id:
            continue  # the filter cannot match; saying so again would only repeat the problem
        if o.sheet == "settings" and o.where.get("key") in SAME_FOR_EVERY_RUN:
            problems.append(f"{o.origin}: a scenario cannot change setting '{o.where['key']}': the runs compared must "
                            "count the net removals over the same horizon; set it on the settings sheet, where it "
                            "applies to the base and every scenario")
            continue
        if o.sheet == "settings" and o.column == "value" and "key" in o.where and o.where["key"] not in SETTINGS_KEYS:
            problems.append(f"{o.origin}, column 'where': unknown setting '{o.where['key']}'")
            continue
        mask = _matches(df, o.where)
        if not mask.any():
            if o.sheet == "settings" and o.operation == "set" and set(o.where) == {"key"}:
                df = pd.concat([df, pd.DataFrame({ROW: [0], "key": [o.where["key"]], "value": [o.value]})], ignore_index=True)
                tables["settings"] = df
                rec["rows_changed"] = "added"
                log_rows.append(rec)
                continue
            problems.append(f"{o.origin}, column 'where': '{o.where_text or '(all rows)'}' matches no row of sheet '{o.sheet}'")
            continue
        if o.column not in df.columns:
            df[o.column] = None
        if o.operation == "set":
            df[o.column] = df[o.column].astype(object)
            df.loc[mask, o.column] = o.value
        elif o.operation in ("scale", "add"):
            f = _to_float(o.value)
            if f is None:
                problems.append(f"{o.origin}, column 'value': '{o.value}' is not a number ({o.operation} needs one)")
                continue
            vals = df.loc[mask, o.column].map(_to_float)
            if vals.isna().all():  # scaling or adding to blanks changes nothing: a scenario that changes nothing is a mistake
                problems.append(f"{o.origin}: column '{o.column}' is blank on every matching row of sheet '{o.sheet}'; "
                                f"nothing to {'add to' if o.operation == 'add' else 'scale'} (use set to give it a value)")
                continue
            new = vals * f if o.operation == "scale" else vals + f
            df[o.column] = df[o.column].astype(object)
            df.loc[mask & new.reindex(df.index).notna(), o.column] = new.dropna()
        else:
            problems.append(f"{o.origin}, column 'operation': '{o.operation}' applies only to sheet 'families'")
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
