"""Generate §9 (scenarios) and §10 (feasibility check) of ``docs/data.md`` from the shipped Tibet dataset.

Every figure is computed here from ``inputs/tibet_2035/`` (read with landopt's reader) and from solving the base
data and every shipped scenario through the public API; the text between each pair of marker lines in
``docs/data.md`` is replaced, everything outside the markers is hand-written and kept.

    python docs/gen_data_checks.py            # rewrite the generated parts of docs/data.md
    python docs/gen_data_checks.py --check    # exit 1 if docs/data.md is out of date
    python docs/gen_data_checks.py --stdout   # print the generated parts

``tests/test_docs.py`` (slow: nine solves and a diagnosis, ≈10 s) fails when docs/data.md is not current.
The arithmetic checks live in ``docs/data_checks.py``.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
DOC = HERE / "data.md"
DATA = HERE.parent / "inputs" / "tibet_2035"
PARTS = ("scenarios", "checks")


def begin(part: str) -> str:
    return f"<!-- BEGIN GENERATED {part} by docs/gen_data_checks.py from inputs/tibet_2035/: do not edit by hand -->"


def end(part: str) -> str:
    return f"<!-- END GENERATED {part} -->"


try:
    import landopt  # noqa: F401
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, str(HERE.parent / "src"))

from landopt import api  # noqa: E402
from landopt.diagnose import diagnose  # noqa: E402
from landopt.reader import RawWorkbook, read_workbook  # noqa: E402
from landopt.results import PlanResult  # noqa: E402
from landopt.scenarios import Scenario, apply_overrides, chain, load_scenarios  # noqa: E402
from landopt.safety import atomic_write  # noqa: E402

BASE = "base"


def _load_checks():
    """docs/data_checks.py, loaded by path (docs/ is not a package; sys.path is left alone)."""
    name = "landopt_docs_data_checks"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / "data_checks.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while the class is made
        spec.loader.exec_module(module)
    return sys.modules[name]


_checks = _load_checks()
Data, fmt, signed, land_name = _checks.Data, _checks.fmt, _checks.signed, _checks.land_name
cells, value_text, and_list = _checks.cells, _checks.value_text, _checks.and_list
grazing_table, pv_table, requirements_table = _checks.grazing_table, _checks.pv_table, _checks.requirements_table
scenario_floor_table, urban_table = _checks.scenario_floor_table, _checks.urban_table


@dataclass
class Runs:
    """The shipped data, its scenarios and one solved plan per run (``base`` first)."""

    raw: RawWorkbook
    scenarios: dict[str, Scenario]
    plans: dict[str, PlanResult]

    def optimal(self, name: str) -> bool:
        return self.plans[name].optimal


def solve_all(folder: Path = DATA) -> Runs:
    raw = read_workbook(folder)
    scenarios = load_scenarios(raw)
    plans = {BASE: api.optimize(api.spec_from_raw(raw), backend="highs", with_ranging=False)}
    for name in scenarios:
        plans[name] = api.optimize(api.spec_from_raw(raw, name), backend="highs", with_ranging=False)
    return Runs(raw, scenarios, plans)


# ----------------------------------------------------------------------------------------------------------- §9
def area_in(plan: PlanResult, year: int) -> pd.Series:
    a = plan.allocation.reset_index()
    return a[a["year"] == year].groupby("land_use")["area_ha"].sum()


def biggest_changes(runs: Runs, data: Data, name: str, n: int = 2) -> str:
    diff = area_in(runs.plans[name], data.target) - area_in(runs.plans[BASE], data.target)
    diff = diff[diff.abs() >= 0.5]
    if diff.empty:
        return "none"
    order = sorted(diff.index, key=lambda k: (-round(abs(float(diff[k]))), str(k)))[:n]  # ties by name
    return "; ".join(f"{land_name(data, lu)} {signed(diff[lu])}" for lu in order)


def spending(plan: PlanResult) -> pd.Series:
    c = plan.costs.reset_index()
    return c.groupby("measure")["cost_yuan"].sum() if len(c) else pd.Series(dtype=float)


def biggest_spending_changes(runs: Runs, name: str, n: int = 2) -> str:
    diff = spending(runs.plans[name]).sub(spending(runs.plans[BASE]), fill_value=0.0) / 1e9
    diff = diff[diff.abs() >= 0.005]
    if diff.empty:
        return "none"
    # largest first, as printed (two decimals); ties by name, so the order does not follow the last digits
    order = sorted(diff.index, key=lambda k: (-round(abs(float(diff[k])), 2), str(k)))[:n]
    return "; ".join(f"{k} {signed(diff[k], 2)}" for k in order)


def override_groups(runs: Runs, name: str) -> list[str]:
    """The scenario's own overrides in words, one line per (sheet, column, operation, note), no-ops flagged."""
    sc = runs.scenarios[name]
    rows = runs.raw.tables["scenarios"]
    rows = rows[rows["scenario"].astype(str).str.strip() == name].reset_index(drop=True)
    if len(rows) != len(sc.overrides):
        raise ValueError(f"scenario {name}: {len(rows)} rows on the sheet but {len(sc.overrides)} overrides read")
    inherited = [(s.name, o) for s in chain(runs.scenarios, name)[:-1] for o in s.overrides]
    full = apply_overrides(runs.raw, inherited + [(name, o) for o in sc.overrides])
    note = rows["note"].fillna("").astype(str)
    keys = list(zip(rows["sheet"], rows["column"], rows["operation"], note))
    lines = []
    for key in dict.fromkeys(keys):
        idx = [i for i, k in enumerate(keys) if k == key]
        sheet, column, op, text = key
        values = [sc.overrides[i].value for i in idx]
        wheres = [sc.overrides[i].where_text or "all rows" for i in idx]
        if len(idx) == 1:
            what = f"{op} {value_text(values[0])} ({wheres[0]})"
        else:
            what = f"{op} in {len(idx)} rows ({wheres[0]} … {wheres[-1]})"
        others = [(name, o) for i, o in enumerate(sc.overrides) if i not in idx]
        without = apply_overrides(runs.raw, inherited + others)
        same = cells(full.tables[sheet][column]) == cells(without.tables[sheet][column])
        flag = " — **changes nothing**: the cells it matches are blank in the shipped data" if same else ""
        lines.append(f"`{sheet}.{column}` {what}{': ' + text if text else ''}{flag}")
    return lines


def scenarios_part(runs: Runs, data: Data) -> str:
    base = runs.plans[BASE].metadata
    out = [f"All {len(runs.scenarios)} shipped scenarios (`scenarios.csv`, read with `landopt.scenarios.load_scenarios`)"
           f" and the base data, each solved with `landopt.api.optimize(spec, backend=\"highs\")` (stock-change "
           f"accounting). Removals are cumulative net removals {base['horizon']}; area changes are the Tibet "
           f"totals in {data.target} against the base plan.", "",
           "| scenario | parent | what it changes (`description`) | status | cumulative net removals (t CO2e) "
           f"| vs base (t CO2e) | {data.target} rate (t CO2e/yr) | largest {data.target} area changes vs base (ha) "
           f"| largest changes in public spending {base['horizon']} vs base (10⁹ yuan) |",
           "|---|---|---|---|---:|---:|---:|---|---|"]
    for name in [BASE, *runs.scenarios]:
        plan = runs.plans[name]
        sc = runs.scenarios.get(name)
        desc = "the shipped data, no overrides" if sc is None else sc.description.replace("|", "\\|")
        parent = f"`{sc.parent}`" if sc is not None and sc.parent else ""
        if plan.optimal:
            m = plan.metadata
            figures = (f"{fmt(m['cumulative_t_co2e'])} | "
                       f"{'—' if name == BASE else signed(m['cumulative_t_co2e'] - base['cumulative_t_co2e'])} | "
                       f"{fmt(m['annual_target_t_co2e_per_yr'])} | "
                       f"{'—' if name == BASE else biggest_changes(runs, data, name)} | "
                       f"{'—' if name == BASE else biggest_spending_changes(runs, name)}")
            status = "optimal"
        else:
            figures = "— | — | — | — | —"
            status = f"**{plan.status}**"
        out.append(f"| `{name}` | {parent} | {desc} | {status} | {figures} |")
    out += ["", "The overrides, as `scenarios.csv` states them (a child scenario applies its parent's first):", ""]
    for name in runs.scenarios:
        out.append(f"* `{name}`:")
        out += [f"  * {line}" for line in override_groups(runs, name)]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------------------- §10
def totals_paragraph(runs: Runs) -> str:
    base = runs.plans[BASE].metadata
    parts, infeasible = [], []
    for name in runs.scenarios:
        plan = runs.plans[name]
        if plan.optimal:
            d = plan.metadata["cumulative_t_co2e"] - base["cumulative_t_co2e"]
            parts.append(f"`{name}` {fmt(plan.metadata['cumulative_t_co2e'])} ({signed(d)})")
        else:
            infeasible.append(name)
    text = (f"In stock-change accounting the cumulative net removals {base['horizon']} are, in t CO2e: base "
            f"{fmt(base['cumulative_t_co2e'])} ({fmt(base['annual_target_t_co2e_per_yr'])} t CO2e/yr in "
            f"{base['target_year']}); " + "; ".join(parts) + " (difference from base in brackets).")
    for name in infeasible:
        diag = diagnose(api.spec_from_raw(runs.raw, name))
        if diag is None:
            continue
        rel = "; ".join(f"`{r.label}` by {fmt(r.relaxation)} {r.unit}" for r in diag.relaxations.itertuples())
        text += (f" `{name}` is {runs.plans[name].status}; `landopt diagnose` finds the smallest relaxation that "
                 f"restores a plan: {rel} (relaxations are weighted by the size of each requirement: the list is "
                 f"the cheapest combination, not a list of separate conflicts).")
    return text


def base_plan_table(runs: Runs, data: Data) -> list[str]:
    plan = runs.plans[BASE]
    alloc = plan.allocation.reset_index()
    now = alloc[alloc["year"] == data.target].groupby("land_use")[["baseline_ha", "area_ha"]].sum()
    conv = plan.conversions.reset_index().groupby(["from_land_use", "to_land_use"])["area_ha"].sum()
    conv = conv[conv >= 0.5]
    out = [f"| land use | {data.base_year} (ha) | {data.target} (ha) | change (ha) | largest flows in (+) and out (−), "
           f"cumulative to {data.target} (ha) |", "|---|---:|---:|---:|---|"]
    for lu in data.land_uses:
        inflow = conv.xs(lu, level="to_land_use") if lu in conv.index.get_level_values(1) else pd.Series(dtype=float)
        outflow = conv.xs(lu, level="from_land_use") if lu in conv.index.get_level_values(0) else pd.Series(dtype=float)
        flows = [f"+{fmt(v)} from {k}" for k, v in inflow.sort_values(ascending=False)[:2].items()]
        flows += [f"−{fmt(v)} to {k}" for k, v in outflow.sort_values(ascending=False)[:2].items()]
        b, a = now.loc[lu, "baseline_ha"], now.loc[lu, "area_ha"]
        out.append(f"| {land_name(data, lu)} | {fmt(b)} | {fmt(a)} | {signed(a - b)} | {'; '.join(flows) or 'none'} |")
    return out


def base_plan_prose(runs: Runs, data: Data) -> str:
    plan = runs.plans[BASE]
    m = plan.metadata
    c = plan.constraints
    bind = c[c["binding"] & (c["shadow_price"].abs() > 1e-9)]
    cover = c[c["constraint"] == "forest_cover"]
    forest = area_by_year(plan, data, "forest")
    pct = " / ".join(f"{100 * forest[y] / data.total_area:.2f}%" for y in data.years)
    cover_bind = [str(int(y)) for y in cover["year"] if f"forest_cover[{int(y)}]" in set(bind["label"])]
    budget = c[c["constraint"] == "budget"]
    budget_bind = [str(int(y)) for y in budget["year"] if f"budget[{int(y)}]" in set(bind["label"])]
    g = plan.grazing.reset_index()
    g = g[g["year"] == data.target]
    at_floor = g[(g["livestock_su"] - g["livestock_min_su"]).abs() <= 1e-6 * g["livestock_min_su"]]["region"].tolist()
    herd_min = data.province.set_index("year").get("livestock_min_su", pd.Series(dtype=float)).get(data.target)
    deg0, deg1 = data.role_area(plan, "degraded_grassland", 0), data.role_area(plan, "degraded_grassland", data.target)
    grass0 = data.role_area(plan, ("grassland", "degraded_grassland"), 0)
    grass1 = data.role_area(plan, ("grassland", "degraded_grassland"), data.target)
    stock = plan.forest_stock.reset_index()
    stock = stock.groupby("year")["stock_m3"].sum()
    left = data.unused_left(plan)
    eco = runs.plans.get("ecological_priority")
    eco_left = data.unused_left(eco) if eco is not None and eco.optimal else None
    text = (f"Base plan: cumulative net removals {m['horizon']} {fmt(m['cumulative_t_co2e'])} t CO2e "
            f"({fmt(m['annual_target_t_co2e_per_yr'])} t CO2e/yr in {m['target_year']}); the reference pathway "
            f"(land use frozen at {data.base_year}, the {data.base_year} herd) gives {fmt(m['reference_cumulative_t_co2e'])} t CO2e, so the "
            f"plan adds {fmt(m['additional_t_co2e'])} t CO2e. Public cost {fmt(m['public_cost_yuan'] / 1e9, 2)}×10⁹ "
            f"yuan; the budget binds in {', '.join(budget_bind) or 'no period'}. Forest cover 森林覆盖率 {pct} in "
            f"{' / '.join(map(str, data.years))} (the target binds in {', '.join(cover_bind) or 'no year'}). "
            f"Degraded grassland 退化草地 {fmt(deg0)} → {fmt(deg1)} ha ({100 * deg0 / grass0:.1f}% → "
            f"{100 * deg1 / grass1:.1f}% of grassland). Forest growing stock 森林蓄积量 "
            f"{stock.iloc[0] / 1e8:.2f} → {stock.iloc[-1] / 1e8:.2f}亿 m³. Herd in {data.target} "
            f"{fmt(g['livestock_su'].sum())} SU against the region-wide requirement of {fmt(herd_min)} SU; "
            f"{and_list(at_floor) or 'no prefecture'} at {'its' if len(at_floor) == 1 else 'their'} prefecture "
            f"floor{'' if len(at_floor) == 1 else 's'}; {herd_jump(plan, data)}. Unused and sandy land left in "
            f"{data.target}: at least {left.min():.0f}% of each prefecture's {data.base_year} area (lowest {left.idxmin()})")
    if eco_left is not None:
        text += f"; under `ecological_priority` at least {eco_left.min():.0f}% ({eco_left.idxmin()})"
    return text + "."


def herd_jump(plan: PlanResult, data: Data) -> str:
    """The largest change of one prefecture's herd between two consecutive milestones, in words."""
    h = plan.grazing["livestock_su"].unstack("year").reindex(columns=data.years)
    step = h.diff(axis=1).iloc[:, 1:]
    region, year = step.abs().stack().idxmax()
    before = h.loc[region, data.years[data.years.index(year) - 1]]
    return (f"the largest move of a prefecture's herd between milestones is {region}'s {signed(step.loc[region, year])} "
            f"SU ({signed(100 * step.loc[region, year] / before)}%) from {data.years[data.years.index(year) - 1]} to "
            f"{year} (no row limits how fast a prefecture's herd changes; among equally good plans the least-change "
            f"rule, docs/model.md §8.1, keeps every herd at one share of its reference herd)")


def area_by_year(plan: PlanResult, data: Data, role: str) -> dict[int, float]:
    a = plan.allocation.reset_index()
    a = a[a["land_use"].isin(data.of_role(role))]
    return a.groupby("year")["area_ha"].sum().to_dict()


def degenerate_pv(runs: Runs, data: Data) -> str:
    """Re-solve the base with the region that fills most of its PV-suitable land capped at half of it."""
    plan = runs.plans[BASE]
    e = plan.energy.reset_index()
    e = e[e["year"] == data.target].set_index("region")
    share = e["pv_ha"] / e["suitable_ha"]
    region = share.idxmax()
    tables = dict(runs.raw.tables)
    energy = tables["energy"].copy()
    mask = energy["region"].astype(str) == region
    suitable = pd.to_numeric(energy["pv_suitable_ha"], errors="coerce")
    energy["pv_suitable_ha"] = suitable.where(~mask, suitable / 2)
    tables["energy"] = energy
    capped = api.optimize(api.spec_from_raw(replace(runs.raw, tables=tables)), backend="highs", with_ranging=False)
    loss = plan.metadata["cumulative_t_co2e"] - capped.metadata["cumulative_t_co2e"] if capped.optimal else None
    head = (f"The base plan puts {fmt(e.loc[region, 'pv_mw'])} MW of PV in {region}, {100 * share[region]:.0f}% of its "
            f"PV-suitable land. ")
    if loss is None:
        return head + f"With {region}'s suitable land halved the base data has no plan ({capped.status})."
    if abs(loss) < 1.0:
        return head + (f"That placement is **degenerate**, not a finding: with {region}'s suitable land halved the "
                       f"optimum is unchanged ({fmt(capped.metadata['cumulative_t_co2e'])} t CO2e, difference "
                       f"{0.0 if abs(loss) < 5e-4 else loss:.3f} t). PV beyond the named bases sits on unused land, which holds the same carbon as "
                       f"PV land in every prefecture (one all-region `carbon_stocks` row each), so the carbon does "
                       f"not decide where it goes; among the equally good plans the plan shows the least-change one "
                       f"(docs/model.md §8.1: PV built no earlier and no larger than the targets ask, and spread so "
                       f"that no prefecture takes a larger share of its PV-suitable land than the others — "
                       f"{100 * share.max():.2f}% of every prefecture's where the named bases' minimums allow), not a "
                       f"siting study: grid access, distance to load and slope are not in the model. Read the regional "
                       f"PV split as a proportional default (`landopt ranges` reports each prefecture's PV area range "
                       f"within a slack of the optimum).")
    return head + (f"Capping {region}'s suitable land at half costs {fmt(loss)} t CO2e of cumulative removals: "
                   f"the placement is not degenerate.")


def checks_part(runs: Runs, data: Data) -> str:
    out = [totals_paragraph(runs), "", f"### {data.base_year} baseline by region (ha)", ""]
    out += data.baseline_table()
    out += ["", f"### {data.target} requirements vs what the land allows (base data)", ""]
    out += requirements_table(data)
    out += ["", "### Urban land per period: demand, the new-land standard and redevelopment 存量盘活 (base data)", ""]
    out += urban_table(data, runs.plans[BASE])
    out += ["", "### PV: named bases 清洁能源基地, the province-wide target and suitable land (base data)", ""]
    out += pv_table(data, runs.plans[BASE])
    out += ["", degenerate_pv(runs, data), "", "### Grazing 草畜平衡: livestock floors vs capacity", ""]
    for name in [BASE, "strict_grazing_ban"]:
        if name == BASE or name in runs.scenarios:
            raw = runs.raw if name == BASE else apply_overrides(runs.raw, [
                (s.name, o) for s in chain(runs.scenarios, name) for o in s.overrides])
            out += [f"{'Base data' if name == BASE else f'Scenario `{name}`'}:", ""]
            out += grazing_table(data, raw, runs.plans[name])
            out.append("")
    out += _checks.capacity_note(data) + ["", f"### Floors set by scenarios vs the {data.base_year} area they count", ""]
    out += scenario_floor_table(data, runs.scenarios)
    out += ["", f"### The base plan ({data.target}, Tibet)", ""]
    out += base_plan_table(runs, data)
    out += ["", base_plan_prose(runs, data), ""]
    out += data.dropped_tables(runs.plans[BASE])
    return "\n".join(out) + "\n"


def render(folder: Path = DATA) -> dict[str, str]:
    """The generated parts of docs/data.md (without the marker lines), by part name."""
    runs = solve_all(folder)
    data = Data.from_raw(runs.raw)
    return {"scenarios": scenarios_part(runs, data), "checks": checks_part(runs, data)}


def splice(doc: str, parts: dict[str, str]) -> str:
    """``doc`` with the text between each part's markers replaced by the part."""
    for part, generated in parts.items():
        b, e = begin(part), end(part)
        if doc.count(b) != 1 or doc.count(e) != 1:
            raise ValueError(f"{DOC}: marker lines of part '{part}' not found exactly once ({b!r} ... {e!r})")
        head, rest = doc.split(b, 1)
        _, tail = rest.split(e, 1)
        doc = f"{head}{b}\n\n{generated}\n{e}{tail}"
    return doc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if docs/data.md is out of date")
    ap.add_argument("--stdout", action="store_true", help="print the generated parts instead of writing them")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    parts = render()
    if args.stdout:
        sys.stdout.write("\n".join(parts.values()))
        return 0
    doc = DOC.read_text(encoding="utf-8")
    new = splice(doc, parts)
    if args.check:
        if new != doc:
            print(f"{DOC} is out of date: run python docs/gen_data_checks.py", file=sys.stderr)
            return 1
        return 0
    if new != doc:
        atomic_write(DOC, lambda tmp: tmp.write_text(new, encoding="utf-8"))  # the project's temp file + rename
        print(f"updated {DOC}")
    else:
        print(f"{DOC} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
