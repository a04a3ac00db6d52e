"""The arithmetic feasibility checks of ``docs/data.md`` §10, computed from the input tables (no solve).

Used by ``docs/gen_data_checks.py``; each function returns the lines of one markdown table. Every area is in ha,
every herd in sheep units (SU), every capacity in MW; a check that fails is marked **✗**.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import pandas as pd

from landopt.reader import ROW, RawWorkbook
from landopt.results import PlanResult
from landopt.scenarios import Scenario, apply_overrides, chain

MINUS = "−"
CONSTRUCTION = ("urban", "rural", "other_construction")
VEGETATED = ("grassland", "forest", "garden", "wetland")  # L^veg of docs/model.md §3
FLOORS = {"forest_min_ha": ("forest",), "wetland_min_ha": ("wetland",),
          "grassland_min_ha": ("grassland", "degraded_grassland")}  # docs/model.md §6.8: L^(grassland) = L^grass*


def fmt(x: Any, nd: int = 0) -> str:
    """1,234,567 (nd decimals), with a true minus sign."""
    if x is None or (isinstance(x, float) and x != x):
        return "—"
    s = f"{float(x):,.{nd}f}"
    if float(s.replace(",", "")) == 0:
        s = s.lstrip("-")
    return s.replace("-", MINUS)


def signed(x: float, nd: int = 0) -> str:
    s = fmt(x, nd)
    return s if s.startswith(MINUS) or float(s.replace(",", "")) == 0 else "+" + s


def ok(holds: bool) -> str:
    return "" if holds else " **✗**"


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"


def cells(col: pd.Series) -> list[object]:
    """A column's values, comparable whatever its dtype: blanks as None, numbers as float."""
    out: list[object] = []
    for v in col.tolist():
        if v is None or (isinstance(v, str) and not v.strip()) or (not isinstance(v, str) and pd.isna(v)):
            out.append(None)
            continue
        try:
            out.append(float(v))
        except (TypeError, ValueError):
            out.append(str(v).strip())
    return out


def value_text(v: object) -> str:
    try:
        x = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(v)
    return fmt(x) if x == round(x) else f"{x:g}"


def and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def land_name(data: "Data", lu: str) -> str:
    zh = data.name_zh.get(lu, "")
    return f"{zh} {lu}" if zh else lu


def _table(raw: RawWorkbook, sheet: str) -> pd.DataFrame:
    df = raw.tables.get(sheet)
    if df is None:
        return pd.DataFrame()
    df = df.drop(columns=[ROW], errors="ignore").copy()
    for c in df.columns:  # the reader keeps text; a column whose every non-blank cell is a number becomes numeric
        col = df[c].astype(object).map(lambda v: None if isinstance(v, str) and not v.strip() else v)
        num = pd.to_numeric(col, errors="coerce")
        df[c] = num.astype(float) if num.notna().sum() == col.notna().sum() and col.notna().any() else col
    return df


@dataclass
class Data:
    """The shipped tables and the facts every check needs (regions, land uses and roles, milestones)."""

    raw: RawWorkbook
    regions: list[str]
    totals: dict[str, float]
    land_uses: list[str]
    roles: dict[str, str]
    name_zh: dict[str, str]
    baseline: pd.DataFrame  # region × land use, ha
    years: list[int]
    base_year: int

    @classmethod
    def from_raw(cls, raw: RawWorkbook) -> "Data":
        reg = _table(raw, "regions")
        lus = _table(raw, "land_uses")
        settings = dict(zip(_table(raw, "settings")["key"].astype(str), _table(raw, "settings")["value"].astype(str)))
        base = _table(raw, "baseline").pivot_table(index="region", columns="land_use", values="area_ha", aggfunc="sum")
        regions = reg["region"].astype(str).tolist()
        land_uses = lus["land_use"].astype(str).tolist()
        return cls(raw=raw, regions=regions, totals=dict(zip(regions, reg["total_area_ha"].astype(float))),
                   land_uses=land_uses, roles=dict(zip(land_uses, lus["role"].astype(str))),
                   name_zh=dict(zip(land_uses, lus["name_zh"].fillna("").astype(str))) if "name_zh" in lus else {},
                   baseline=base.reindex(index=regions, columns=land_uses).fillna(0.0),
                   years=[int(y) for y in settings["milestone_years"].split(",")],
                   base_year=int(float(settings["baseline_year"])))

    @property
    def target(self) -> int:
        return self.years[-1]

    @property
    def total_area(self) -> float:
        return sum(self.totals.values())

    def table(self, sheet: str, raw: RawWorkbook | None = None) -> pd.DataFrame:
        return _table(raw or self.raw, sheet)

    @property
    def province(self) -> pd.DataFrame:
        return self.table("province_targets")

    def of_role(self, roles: str | Iterable[str]) -> list[str]:
        roles = (roles,) if isinstance(roles, str) else tuple(roles)
        return [lu for lu in self.land_uses if self.roles[lu] in roles]

    def base_area(self, region: str, roles: str | Iterable[str]) -> float:
        return float(self.baseline.loc[region, self.of_role(roles)].sum())

    def row(self, sheet: str, region: str, year: int, raw: RawWorkbook | None = None) -> pd.Series:
        t = self.table(sheet, raw)
        hit = t[(t["region"].astype(str) == region) & (t["year"].astype(int) == year)]
        return hit.iloc[0] if len(hit) else pd.Series(dtype=object)

    def role_area(self, plan: PlanResult, roles: str | Iterable[str], year: int) -> float:
        """Tibet area of the roles in ``year`` (0: the baseline)."""
        a = plan.allocation.reset_index()
        a = a[a["land_use"].isin(self.of_role(roles)) & (a["year"] == self.years[0])] if year == 0 else \
            a[a["land_use"].isin(self.of_role(roles)) & (a["year"] == year)]
        return float(a["baseline_ha" if year == 0 else "area_ha"].sum())

    def unused_left(self, plan: PlanResult) -> pd.Series:
        """Per region, % of the 2019 unused and sandy land still unused or sandy in the target year."""
        a = plan.allocation.reset_index()
        a = a[a["land_use"].isin(self.of_role(("unused", "sandy"))) & (a["year"] == self.target)]
        g = a.groupby("region")[["baseline_ha", "area_ha"]].sum()
        return (100 * g["area_ha"] / g["baseline_ha"]).reindex(self.regions)

    def baseline_table(self) -> list[str]:
        cols = self.land_uses
        out = ["| region | total | " + " | ".join(land_name(self, lu) for lu in cols) + " |",
               "|---|" + "---:|" * (len(cols) + 1)]
        for r in self.regions:
            out.append(f"| {r} | {fmt(self.totals[r])} | " + " | ".join(fmt(self.baseline.loc[r, lu]) for lu in cols)
                       + " |")
        out.append(f"| **Tibet** | **{fmt(self.total_area)}** | "
                   + " | ".join(fmt(self.baseline[lu].sum()) for lu in cols) + " |")
        gap = (self.baseline.sum(axis=1) - pd.Series(self.totals)).abs().max()
        out += ["", f"Every region's land uses add up to its `regions.total_area_ha` (largest difference "
                    f"{fmt(gap, 1)} ha). `unused` is the land left after the restorable sandy land 沙化土地 and "
                    f"the other uses; `grassland` is good grassland, `degraded_grassland` the degraded part."]
        return out

    def dropped_tables(self, plan: PlanResult) -> list[str]:
        ratio, where = rate_use(self, plan)
        c = plan.constraints
        urban = sorted(set(c[c["binding"] & (c["shadow_price"].abs() > 1e-9) & c["constraint"].isin(
            ["urban_new_land", "urban_per_capita_cap", "urban_boundary"])]["constraint"]))
        return [
            "Tables of earlier versions of this section that no longer apply:", "",
            f"* *Per period: growth needed vs what unused land alone may supply* is dropped: in the base plan the "
            f"largest conversion into construction or PV land in any prefecture and period uses {ratio:.0f}% of its "
            f"rate limit ({where}), so the rate limits decide nothing; the rows that bind on urban growth are "
            f"{', '.join(f'`{n}`' for n in urban) or 'none'} (urban table above).",
            "* The per-prefecture *PV needed ≤ suitable* column is replaced by the PV table: the PV target is now "
            "province-wide (`province_targets.pv_capacity_min_mw`) with minimums per named base, and "
            "`energy.clean_capacity_min_mw` is blank.",
            "* The *livestock floor ≤ capacity* column moved to the grazing tables, which count degraded grassland "
            "at its lower yield and the region-wide herd 宜牧则牧.",
        ]


def requirements_table(d: Data) -> list[str]:
    t = d.target
    tr = d.table("transitions")
    allowed = tr[tr["allowed"].astype(str).str.lower().isin(["yes", "y", "true", "1", "on", "是"])]
    sandy_veg = allowed[allowed["from_land_use"].isin(d.of_role("sandy"))
                        & allowed["to_land_use"].isin(d.of_role(VEGETATED))]
    sigma = min(1.0, float(sandy_veg["max_pct_per_period"].fillna(100).sum()) / 100)
    hydro = d.table("hydro_projects")
    bounds = d.table("area_bounds")
    y0 = d.base_year
    out = [f"| region | cropland {y0} ≥ 耕地保有量 ≥ 永久基本农田 | urban {y0} → demand ≤ 城镇开发边界 "
           f"| other construction {y0} → minimum (hydro) | construction land needed ≤ 建设用地总规模 "
           f"| afforestation potential ≤ unused land | sandy restoration required ≤ possible at the rate limits |",
           "|---|---|---|---|---|---|---|"]
    tot: dict[str, float] = {}
    for r in d.regions:
        g = d.row("targets", r, t)
        crop0, crop_min, bf = d.base_area(r, "cropland"), float(g["cropland_min_ha"]), float(g["basic_farmland_min_ha"])
        urb0 = d.base_area(r, "urban")
        demand = float(g["urban_population"]) * float(g["urban_land_per_capita_m2"]) / 1e4
        boundary = float(g["urban_boundary_ha"])
        oc0 = d.base_area(r, "other_construction")
        ocb = bounds[(bounds["region"] == r) & bounds["land_use"].isin(d.of_role("other_construction"))
                     & (bounds["year"].astype(int) == t)]
        oc_min = float(ocb["min_ha"].sum())
        h = hydro[(hydro["region"] == r) & (hydro["year_in_service"].astype(int) > d.base_year)
                  & (hydro["year_in_service"].astype(int) <= t)]["construction_ha"].fillna(0).sum()
        rural_b = bounds[(bounds["region"] == r) & bounds["land_use"].isin(d.of_role("rural"))
                         & (bounds["year"].astype(int) == t)]["min_ha"]
        rural = float(rural_b.sum()) if len(rural_b) else d.base_area(r, "rural")
        redev = pd.to_numeric(g.get("redevelopment_potential_ha"), errors="coerce")
        urban_need = max(urb0, demand - (0.0 if pd.isna(redev) else float(redev)))
        need = urban_need + rural + oc_min
        cap = float(g["construction_max_ha"])
        aff, unused = float(g["afforestation_potential_ha"]), d.base_area(r, "unused")
        sandy0 = d.base_area(r, "sandy")
        possible = sandy0 * (1 - (1 - sigma) ** len(d.years))
        required = float(g["sandy_restoration_min_ha"])
        for k, v in dict(crop0=crop0, crop_min=crop_min, bf=bf, urb0=urb0, demand=demand, boundary=boundary, oc0=oc0,
                         oc_min=oc_min, h=h, need=need, cap=cap, aff=aff, unused=unused, possible=possible,
                         required=required).items():
            tot[k] = tot.get(k, 0.0) + v
        out.append(f"| {r} | {fmt(crop0)} ≥ {fmt(crop_min)} ≥ {fmt(bf)}{ok(crop0 >= crop_min >= bf)} "
                   f"| {fmt(urb0)} → {fmt(demand)} ≤ {fmt(boundary)}{ok(demand <= boundary)} "
                   f"| {fmt(oc0)} → {fmt(oc_min)} ({fmt(h)}) "
                   f"| {fmt(need)} ≤ {fmt(cap)} ({pct(need, cap)}){ok(need <= cap)} "
                   f"| {fmt(aff)} ≤ {fmt(unused)} ({pct(aff, unused)}){ok(aff <= unused)} "
                   f"| {fmt(required)} ≤ {fmt(possible)} ({pct(required, possible)}){ok(required <= possible)} |")
    out.append(f"| **Tibet** | {fmt(tot['crop0'])} ≥ {fmt(tot['crop_min'])} ≥ {fmt(tot['bf'])} "
               f"| {fmt(tot['urb0'])} → {fmt(tot['demand'])} ≤ {fmt(tot['boundary'])} "
               f"| {fmt(tot['oc0'])} → {fmt(tot['oc_min'])} ({fmt(tot['h'])}) | {fmt(tot['need'])} ≤ {fmt(tot['cap'])} "
               f"| {fmt(tot['aff'])} ≤ {fmt(tot['unused'])} | {fmt(tot['required'])} ≤ {fmt(tot['possible'])} |")
    out += ["", f"Demand = urban population × `urban_land_per_capita_m2`; construction land needed = the urban land "
                f"the demand leaves after all the redevelopment potential + rural land (not below its baseline) + the "
                f"other-construction minimum, which includes the land of hydro projects in service by {t} (in "
                f"brackets). Sandy restoration: sandy → vegetated land at most {100 * sigma:g}% of the sandy land per "
                f"period ({len(d.years)} periods), the budget aside. Afforestation potential counts unused → forest "
                f"only (`afforestation_limit`); sandy → forest is limited by its own rate."]
    return out


def urban_table(d: Data, plan: PlanResult) -> list[str]:
    """Greedy upper bound of urban land per milestone, and the redevelopment it leaves to do (docs/model.md §6.4)."""
    costs = plan.costs.reset_index() if not plan.costs.empty else pd.DataFrame(columns=["region", "year", "measure",
                                                                                          "area_ha"])
    redev = costs[costs["measure"].astype(str).str.startswith("redevelopment")]
    alloc = plan.allocation.reset_index()
    out = ["| region | year | demand (ha) | most urban land allowed (ha; the limit that decides) "
           "| redevelopment needed at least ≤ potential (ha, cumulative) | base plan: urban land, redevelopment "
           "(cumulative, ha) |", "|---|---|---:|---|---|---|"]
    for r in d.regions:
        prev_pop, xmax = None, d.base_area(r, "urban")
        done = 0.0
        for y in d.years:
            g = d.row("targets", r, y)
            pop = float(g["urban_population"])
            demand = pop * float(g["urban_land_per_capita_m2"]) / 1e4
            limits = {"per-capita cap": pop * float(g["urban_land_per_capita_max_m2"]) / 1e4,
                      "城镇开发边界": float(g["urban_boundary_ha"])}
            if prev_pop is not None:
                limits["new-land standard"] = xmax + max(pop - prev_pop, 0) * float(g["new_urban_land_per_capita_m2"]) / 1e4
            which = min(limits, key=limits.get)
            xmax = limits[which]
            need = max(0.0, demand - xmax)
            potential = float(g["redevelopment_potential_ha"])
            done += float(redev[(redev["region"] == r) & (redev["year"] == y)]["area_ha"].sum())
            urban = float(alloc[(alloc["region"] == r) & (alloc["year"] == y)
                                & alloc["land_use"].isin(d.of_role("urban"))]["area_ha"].sum())
            out.append(f"| {r} | {y} | {fmt(demand)} | {fmt(xmax)} ({which}) | {fmt(need)} ≤ {fmt(potential)}"
                       f"{ok(need <= potential)} | {fmt(urban)}; {fmt(done)} |")
            prev_pop = pop
    out += ["", "Most urban land allowed: the per-capita cap (`urban_land_per_capita_max_m2`), the urban development "
                "boundary, and from the second milestone the land of the previous milestone plus the growth of the "
                "urban population × `new_urban_land_per_capita_m2` (`urban_new_land`); whichever is smallest, "
                "building as much as allowed in every period. What the demand asks beyond it must come from "
                "redevelopment of inefficient construction land (`redevelopment_potential_ha`)."]
    return out


def pv_table(d: Data, plan: PlanResult) -> list[str]:
    t = d.target
    e = plan.energy.reset_index()
    e = e[e["year"] == t].set_index("region")
    bases = d.table("energy_bases")
    out = [f"| region | named bases' minimum {t} (MW → ha) | PV-suitable land (ha) | PV {d.base_year} (ha) "
           f"| base plan PV {t} (ha; MW) | share of suitable land used |", "|---|---|---:|---:|---|---:|"]
    tot = {"mw": 0.0, "ha": 0.0, "suit": 0.0, "pv0": 0.0, "pv": 0.0, "pvmw": 0.0}
    for r in d.regions:
        g = d.row("energy", r, t)
        dens = float(g["pv_mw_per_ha"])
        b = bases[(bases["region"] == r) & (bases["year"].astype(int) <= t)]
        mw = float(b.sort_values("year").groupby("base")["min_mw"].last().sum()) if len(b) else 0.0
        suit, pv0 = float(g["pv_suitable_ha"]), d.base_area(r, "pv")
        pv, pvmw = float(e.loc[r, "pv_ha"]), float(e.loc[r, "pv_mw"])
        for k, v in dict(mw=mw, ha=mw / dens, suit=suit, pv0=pv0, pv=pv, pvmw=pvmw).items():
            tot[k] += v
        out.append(f"| {r} | {fmt(mw)} → {fmt(mw / dens)}{ok(mw / dens <= suit)} | {fmt(suit)} | {fmt(pv0)} "
                   f"| {fmt(pv)}; {fmt(pvmw, 1)} | {pct(pv, suit)} |")
    prov = d.province.set_index("year")
    target = float(prov.loc[t, "pv_capacity_min_mw"]) if "pv_capacity_min_mw" in prov else float("nan")
    dens_all = tot["pvmw"] / tot["pv"] if tot["pv"] else float("nan")
    out.append(f"| **Tibet** | {fmt(tot['mw'])} → {fmt(tot['ha'])}; province-wide target {fmt(target)} MW → "
               f"{fmt(target / dens_all)}{ok(target / dens_all <= tot['suit'])} | {fmt(tot['suit'])} | {fmt(tot['pv0'])} "
               f"| {fmt(tot['pv'])}; {fmt(tot['pvmw'], 1)} | {pct(tot['pv'], tot['suit'])} |")
    return out


def capacity(d: Data, g: pd.Series, region: str, rest: float) -> float:
    """SU the 2019 grassland carries with ``rest`` ha rested, resting good grassland first (the least capacity)."""
    u, intake = float(g["utilisation_rate"]), float(g["intake_kg_per_su_yr"])
    good, deg = d.base_area(region, "grassland"), d.base_area(region, "degraded_grassland")
    y = float(g["forage_yield_kg_per_ha"])
    ydeg = float(g["degraded_yield_kg_per_ha"]) if pd.notna(g.get("degraded_yield_kg_per_ha")) else y
    rest_good = min(rest, good)
    return ((good - rest_good) * y + (deg - (rest - rest_good)) * ydeg) * u / intake


def grazing_table(d: Data, raw: RawWorkbook, plan: PlanResult) -> list[str]:
    out = ["| region | " + " | ".join(f"{y}: floor ≤ capacity after the rest minimum (SU)" for y in d.years)
           + f" | herd in the plan, {d.target} (SU) |", "|---|" + "---|" * (len(d.years) + 1)]
    herd = plan.grazing.reset_index() if plan.optimal else pd.DataFrame(columns=["region", "year", "livestock_su"])
    total_cap = {y: 0.0 for y in d.years}
    for r in d.regions:
        cells = []
        for y in d.years:
            g = d.row("grazing", r, y, raw)
            cap = capacity(d, g, r, float(g["rest_min_ha"]) if pd.notna(g["rest_min_ha"]) else 0.0)
            floor = float(g["livestock_min_su"]) if pd.notna(g["livestock_min_su"]) else 0.0
            total_cap[y] += cap
            cells.append(f"{fmt(floor)} ≤ {fmt(cap)} ({signed(100 * (cap / floor - 1)) if floor else '—'}%)"
                         f"{ok(floor <= cap)}")
        h = herd[(herd["region"] == r) & (herd["year"] == d.target)]["livestock_su"].sum()
        out.append(f"| {r} | " + " | ".join(cells) + f" | {fmt(h) if plan.optimal else '—'} |")
    prov = d.table("province_targets", raw).set_index("year")
    cells = []
    for y in d.years:
        need = float(prov.loc[y, "livestock_min_su"]) if y in prov.index else 0.0
        cells.append(f"region-wide herd {fmt(need)} ≤ {fmt(total_cap[y])} ({signed(100 * (total_cap[y] / need - 1))}%)"
                     f"{ok(need <= total_cap[y])}")
    h = herd[herd["year"] == d.target]["livestock_su"].sum()
    out.append("| **Tibet** | " + " | ".join(cells) + f" | {fmt(h) if plan.optimal else '—'} |")
    return out


def capacity_note(d: Data) -> list[str]:
    return ["Capacity = (good grassland × `forage_yield_kg_per_ha` + degraded grassland × `degraded_yield_kg_per_ha`) "
            f"× `utilisation_rate` ÷ `intake_kg_per_su_yr`, at the {d.base_year} grassland area and condition, "
            "with the rest minimum 禁牧休牧 taken from good grassland first (the least capacity "
            "any layout leaves; restoration only adds to it)."]


def scenario_floor_table(d: Data, scenarios: dict[str, Scenario]) -> list[str]:
    out = [f"| scenario | floor | region | {d.base_year} area the floor counts (ha) | floor {d.target} (ha) "
           f"| floor − {d.base_year} (ha) |", "|---|---|---|---:|---:|---:|"]
    n = 0
    for name, sc in scenarios.items():
        cols = [c for c in FLOORS if any(o.sheet == "targets" and o.column == c for o in sc.overrides)]
        if not cols:
            continue
        raw = apply_overrides(d.raw, [(s.name, o) for s in chain(scenarios, name) for o in s.overrides])
        for col in cols:
            for r in d.regions:
                v = d.row("targets", r, d.target, raw).get(col)
                if v is None or pd.isna(v):
                    continue
                b = d.base_area(r, FLOORS[col])
                flag = f" **below the {d.base_year} area**" if float(v) < b else ""
                out.append(f"| `{name}` | `{col}` | {r} | {fmt(b)} | {fmt(v)} | {signed(float(v) - b)}{flag} |")
                n += 1
    if not n:
        out.append("| (no scenario sets a forest, wetland or grassland floor) | | | | | |")
    out += ["", f"A floor replaces the no-net-loss floor (the {d.base_year} area, `settings.no_net_loss`) where it is given; "
                "the grassland floor counts good and degraded grassland together (docs/model.md §6.8)."]
    return out


def rate_use(d: Data, plan: PlanResult) -> tuple[float, str]:
    """The largest share of its rate limit that any conversion into construction or PV land uses in the plan."""
    tr = d.table("transitions").dropna(subset=["max_pct_per_period"])
    rate = {(a, b): float(p) / 100 for a, b, p in zip(tr["from_land_use"], tr["to_land_use"], tr["max_pct_per_period"])}
    conv = plan.conversions.reset_index()
    alloc = plan.allocation.reset_index().set_index(["region", "land_use", "year"])
    best, where = 0.0, "none"
    into = set(d.of_role((*CONSTRUCTION, "pv")))
    for c in conv.itertuples():
        if c.to_land_use not in into or (c.from_land_use, c.to_land_use) not in rate or c.area_ha < 0.5:
            continue
        k = d.years.index(int(c.year))
        start = d.baseline.loc[c.region, c.from_land_use] if k == 0 else \
            alloc.loc[(c.region, c.from_land_use, d.years[k - 1]), "area_ha"]
        limit = rate[(c.from_land_use, c.to_land_use)] * float(start)
        if limit > 0 and c.area_ha / limit > best:
            best, where = c.area_ha / limit, f"{c.region} {c.from_land_use} → {c.to_land_use}, period to {c.year}"
    return 100 * best, where
