"""What ``landopt validate`` checks beyond the model sheets: every scenario applied, and the uncertainty sheet.

* :func:`scenario_problems` loads the scenarios (sheet and YAML file) and applies each one as ``landopt solve
  --scenario`` does (:func:`landopt.scenarios.apply_scenario`, then every check of the model sheets); a problem
  a scenario brings in is listed once, with the scenarios that bring it in, and problems the workbook has
  without any scenario are not repeated.
* :func:`uncertainty_problems` checks the uncertainty sheet as ``landopt sweep`` reads it
  (:func:`landopt.sweep.parameters.parse_uncertainty`: columns, ranges, distributions, and that each row's
  ``where`` matches rows).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from landopt.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from landopt.reader import RawWorkbook


def _grouped(found: dict[str, list[str]]) -> list[str]:
    """Each text (a problem's Chinese line, then its English line) led by the scenarios it comes from, in the order
    first found: '情景“a”：…' on the Chinese line, "scenario 'a': …" (or "scenarios 'a', 'b': …") on the English."""
    out = []
    for text, names in found.items():
        which_zh = "、".join(f"“{n}”" for n in names)
        which = ", ".join(f"'{n}'" for n in names)
        en_head = f"{'scenario' if len(names) == 1 else 'scenarios'} {which}: "
        zh, sep, en = text.partition("\n")
        if sep:  # two lines: Chinese, then the indented English
            indent = en[:len(en) - len(en.lstrip())]
            out.append(f"情景{which_zh}：{zh}\n{indent}{en_head}{en.lstrip()}")
        else:
            out.append(f"情景{which_zh} {en_head}{text}")
    return out


def scenario_problems(raw: "RawWorkbook", known_problems: list[str], known_warnings: list[str],
                      skip: str | None = None) -> tuple[list[str], list[str], int]:
    """(problems, warnings, scenarios checked) of every scenario of ``raw`` applied, less those already known.

    ``skip``: a scenario already checked as the main run (``validate --scenario``).
    """
    from landopt.scenarios import ScenarioError, apply_scenario, load_scenarios
    from landopt.validate import check_all

    if raw.tables.get("scenarios") is None and not _has_yaml(raw):
        return [], [], 0
    try:
        defined = load_scenarios(raw)
    except ScenarioError as e:
        return [p.bilingual() for p in e.problems], [], 0
    seen_p, seen_w = set(known_problems), set(known_warnings)
    problems: dict[str, list[str]] = {}
    warnings: dict[str, list[str]] = {}
    for name in defined:
        if name == skip:
            continue
        try:
            _spec, errs, warns = check_all(apply_scenario(raw, name))
        except InputError as e:  # an override that cannot be applied (ScenarioError): named by its row
            errs, warns = e.problems, []
        for text in (p.bilingual() for p in errs):
            if text not in seen_p:
                problems.setdefault(text, []).append(name)
        for text in (w.bilingual() for w in warns):
            if text not in seen_w:
                warnings.setdefault(text, []).append(name)
    return _grouped(problems), _grouped(warnings), len(defined) - (skip in defined)


def _has_yaml(raw: "RawWorkbook") -> bool:
    from landopt.scenarios import yaml_path

    return yaml_path(raw.path).exists()


def uncertainty_problems(raw: "RawWorkbook", accounting: str | None = None) -> tuple[list[str], int]:
    """(problems, uncertain parameters) of the workbook's uncertainty sheet, read as ``landopt sweep`` reads it;
    with the workbook's carbon ``accounting``, a parameter it does not read is said as sweep says it."""
    table = raw.tables.get("uncertainty")
    if table is None or table.empty:
        return [], 0
    from landopt.sweep.parameters import parse_uncertainty, warn_unread

    try:
        params = parse_uncertainty(table, raw, sheet="uncertainty", kind=raw.kind,
                                   label=f"{raw.path} ({raw.location('uncertainty')})")
    except InputError as e:
        return [p.bilingual() for p in e.problems], 0
    if accounting is not None:
        warn_unread(params, accounting)
    return [], len(params)
