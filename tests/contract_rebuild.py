"""An independent rebuild of the landopt LP from the input tables, following docs/model.md only.

Nothing here imports landopt: the LP is made from the sheets (a dict of pandas DataFrames, one per sheet, as
``pandas.read_excel(..., sheet_name=None)`` or ``read_csv`` gives them) by the rules of docs/model.md — sets (§3),
parameters and their defaults (§4), variables and their order (§5), every constraint row (§6) and the objective
(§7).  tests/test_model_contract.py compares it with ``landopt.model.build.build`` and solves it with highspy.
When the two disagree, either the code or docs/model.md is wrong: fix the one that is, never this file alone.

Scope: the ids of the shipped data and the test instances (no Chinese aliases for ids or roles, §2).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd

K = 44.0 / 12.0  # t CO2 per t C (§1)
CON = ("urban", "rural", "other_construction")  # L^con (§3)
YES = {"yes", "y", "true", "1", "是", "on"}
Row = tuple[str, str, float, dict[int, float]]  # label, sense, rhs, {column: coefficient}


def blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip()) or v is pd.NA


def num(v: Any) -> float:
    return np.nan if blank(v) else float(v)


def yes(v: Any) -> bool:
    return not blank(v) and (v is True or str(v).strip().lower() in YES or (isinstance(v, (int, float)) and v == 1))


def items(text: Any) -> list[str]:
    """A list in one cell: separated by commas, semicolons (ASCII or full width), 、 or spaces (§4.1)."""
    return [p for p in re.split(r"[,;、\s]+", unicodedata.normalize("NFKC", str(text))) if p] if not blank(text) else []


#: docs/inputs.md "How sheet names and headers may be written": the id, or '<Chinese label> <id> [(<unit>)]'
NAMED = re.compile(r"^.*?[\u3400-\u9fff\uf900-\ufaff].*?\s+([A-Za-z][A-Za-z0-9_]*)\s*(?:[(（][^()（）]*[)）])?\s*$")


def ident(text: Any) -> str:
    """The id a sheet name or header stands for (docs/inputs.md): '面积 area_ha (公顷)' → 'area_ha'."""
    s = str(text).strip()
    m = NAMED.match(s)
    return m.group(1) if m else s


def sheet(t: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """A sheet with its all-blank rows dropped (§2: blank rows skipped); an absent sheet is empty."""
    df = t.get(name)
    if df is None:
        df = next((v for k, v in t.items() if ident(k) == name), None)
    if df is None:
        return pd.DataFrame()
    df = df.copy()
    df.columns = [str(c).strip() if str(c).strip() in ("_row",) else ident(c) for c in df.columns]
    df = df[[c for c in df.columns if not c.startswith("Unnamed:") and c != "_row"]]
    keep = [not all(blank(v) for v in r) for r in df.itertuples(index=False)]
    return df[keep].reset_index(drop=True)


def cells(df: pd.DataFrame, column: str) -> list[Any]:
    """A column's cells; all blank when the column is absent (a missing column is a blank one)."""
    return list(df[column]) if column in df.columns else [None] * len(df)


@dataclass
class LP:
    """The rebuilt LP: columns (labels in order), rows, costs c and constant c0 (maximise c·v + c0)."""

    accounting: str
    columns: list[str] = field(default_factory=list)
    index: dict[tuple, int] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    cost: np.ndarray = field(default_factory=lambda: np.zeros(0))
    constant: float = 0.0

    def add_col(self, key: tuple) -> None:
        self.index[key] = len(self.columns)
        self.columns.append(f"{key[0]}[{','.join(map(str, key[1:]))}]")

    def col(self, *key: Any) -> int | None:
        return self.index.get(tuple(key))

    def matrix(self) -> np.ndarray:
        A = np.zeros((len(self.rows), len(self.columns)))
        for i, (_, _, _, d) in enumerate(self.rows):
            for j, v in d.items():
                A[i, j] += v
        return A


def terms(*parts: dict[int, float]) -> dict[int, float]:
    """Sum of term dicts; repeated (row, column) entries are summed, zeros are not stored (§6.0)."""
    out: dict[int, float] = {}
    for p in parts:
        for j, v in p.items():
            if j is not None:
                out[j] = out.get(j, 0.0) + v
    return {j: v for j, v in out.items() if v != 0.0}


def rebuild(t: dict[str, pd.DataFrame]) -> LP:
    """The LP of docs/model.md for the sheets ``t`` (which must pass ``landopt validate``)."""
    st_df = sheet(t, "settings")
    st = {str(k).strip(): v for k, v in zip(st_df["key"], cells(st_df, "value"))}
    t0 = int(float(st["baseline_year"]))
    years = [int(float(x)) for x in items(st["milestone_years"])]
    T = years[-1]
    gam = float(st.get("ch4_gwp", 27)) / 1000.0
    Tset = float(st.get("soil_transition_years", 20))
    nnl = yes(st["no_net_loss"]) if "no_net_loss" in st else True
    off = set(items(st.get("families_off")))
    balance = str(st.get("farmland_balance", "none")).strip()
    on: Callable[[str], bool] = lambda fam: fam not in off  # noqa: E731
    cs = sheet(t, "carbon_stocks")
    acc = str(st.get("carbon_accounting", "auto")).strip()
    if acc in ("auto", ""):
        acc = "stock_change" if len(cs) else "flux"
    lp = LP(accounting=acc)

    # -- sets (§3) and areas (§4.2)
    regions, lus_df = sheet(t, "regions"), sheet(t, "land_uses")
    R, L = [str(r) for r in regions["region"]], [str(lu) for lu in lus_df["land_use"]]
    role = dict(zip(L, lus_df["role"]))
    Lk = lambda *k: [lu for lu in L if role[lu] in k]  # noqa: E731
    X0 = {(r, lu): 0.0 for r in R for lu in L}
    for r, lu, a in zip(*(cells(sheet(t, "baseline"), c) for c in ("region", "land_use", "area_ha"))):
        X0[(str(r), str(lu))] = float(a)
    A = {r: sum(X0[(r, lu)] for lu in L) for r in R}
    Atot = {str(r): float(a) for r, a in zip(regions["region"], regions["total_area_ha"])}
    tr = sheet(t, "transitions")
    P = [i for i, a in enumerate(cells(tr, "allowed")) if yes(a)]
    pair = {i: (str(tr["from_land_use"][i]), str(tr["to_land_use"][i])) for i in P}
    starts = [t0] + years[:-1]
    delta = {y: y - s for s, y in zip(starts, years)}
    tau = {y: (s + y) / 2 for s, y in zip(starts, years)}
    crop = set(Lk("cropland"))
    deg = Lk("degraded_grassland")

    # -- variables (§5)
    for r in R:
        for lu in L:
            for y in years:
                lp.add_col(("area", r, lu, y))
    for r in R:
        for i in P:
            for y in years:
                lp.add_col(("flow", r, *pair[i], y))
    gz = sheet(t, "grazing")
    G = [(str(r), int(float(y))) for r, y in zip(cells(gz, "region"), cells(gz, "year"))] if on("grazing_balance") else []
    for kind in ("livestock", "grazed", "rested") + (("rested_degraded",) if deg else ()):
        for r, y in G:
            lp.add_col((kind, r, y))
    tg = sheet(t, "targets")
    # z: redevelopment (§5, set Z)
    Z = [(str(r), int(float(y))) for r, y, v in zip(cells(tg, "region"), cells(tg, "year"),
                                                    cells(tg, "redevelopment_potential_ha")) if not blank(v)] \
        if on("redevelopment") else []
    for r, y in Z:
        lp.add_col(("redevelop", r, y))
    zsum = lambda r, y: terms(*({lp.col("redevelop", rr, yy): 1.0} for rr, yy in Z if rr == r and yy <= y))  # noqa: E731

    x = lambda r, lus, y, c=1.0: {lp.col("area", r, lu, y): c for lu in lus}  # noqa: E731

    def flows(r: str, ok: Callable[[str, str], bool], ys: list[int], c: float = 1.0) -> dict[int, float]:
        return terms(*({lp.col("flow", r, *pair[i], yy): c} for i in P if ok(*pair[i]) for yy in ys))

    upto = lambda y: [yy for yy in years if yy <= y]  # noqa: E731
    rows = lp.rows
    tgt = lambda c: [(str(r), int(float(y)), num(v)) for r, y, v in zip(cells(tg, "region"), cells(tg, "year"), cells(tg, c))  # noqa: E731
                     if not blank(v)]
    pt = sheet(t, "province_targets")

    # 6.1 area balance (always on)
    for r in R:
        for y in years:
            rows.append((f"area_total[{r},{y}]", "==", A[r], x(r, L, y)))
    for r in R:
        for lu in L:
            for k, y in enumerate(years):
                d = terms({lp.col("area", r, lu, y): 1.0}, {lp.col("area", r, lu, years[k - 1]): -1.0} if k else {},
                          flows(r, lambda a, b: b == lu, [y], -1.0), flows(r, lambda a, b: a == lu, [y], 1.0))
                rows.append((f"stock_flow[{r},{lu},{y}]", "==", X0[(r, lu)] if k == 0 else 0.0, d))
    # 6.2 transitions
    if on("transitions"):
        for r in R:
            for i in P:
                p = num(tr["max_pct_per_period"][i]) if "max_pct_per_period" in tr.columns else np.nan
                if np.isnan(p):
                    continue
                a, b = pair[i]
                for k, y in enumerate(years):
                    d = terms({lp.col("flow", r, a, b, y): 1.0}, {lp.col("area", r, a, years[k - 1]): -p / 100} if k else {})
                    rows.append((f"conversion_rate[{r},{a},{b},{y}]", "<=", p / 100 * X0[(r, a)] if k == 0 else 0.0, d))
        for r, y, v in tgt("afforestation_potential_ha"):
            rows.append((f"afforestation_limit[{r},{y}]", "<=", v,
                         flows(r, lambda a, b: role[a] == "unused" and role[b] == "forest", upto(y))))
    # 6.3 cropland protection
    if on("cropland_protection"):
        for r, y, v in tgt("cropland_min_ha"):
            rows.append((f"cropland_protection[{r},{y}]", ">=", v, x(r, Lk("cropland"), y)))
    # 6.4 urban boundary and demand
    if on("urban_boundary"):
        for r, y, v in tgt("urban_boundary_ha"):
            rows.append((f"urban_boundary[{r},{y}]", "<=", v, x(r, Lk("urban"), y)))
        for r, y, n, a in zip(cells(tg, "region"), cells(tg, "year"), cells(tg, "urban_population"),
                              cells(tg, "urban_land_per_capita_m2")):
            if not blank(n) and not blank(a):
                rows.append((f"urban_demand[{r},{int(float(y))}]", ">=", float(n) * float(a) / 1e4,
                             terms(x(str(r), Lk("urban"), int(float(y))), zsum(str(r), int(float(y))))))
        pop = {(str(r), int(float(y))): num(n) for r, y, n in zip(cells(tg, "region"), cells(tg, "year"),
                                                                 cells(tg, "urban_population")) if not blank(n)}
        for r, y, a in tgt("urban_land_per_capita_max_m2"):
            if (r, y) in pop:
                rows.append((f"urban_per_capita_cap[{r},{y}]", "<=", pop[(r, y)] * a / 1e4, x(r, Lk("urban"), y)))
        for r, y, a in tgt("new_urban_land_per_capita_m2"):
            k = years.index(y)
            if k == 0 or (r, y) not in pop or (r, years[k - 1]) not in pop:
                continue
            rows.append((f"urban_new_land[{r},{y}]", "<=", max(pop[(r, y)] - pop[(r, years[k - 1])], 0.0) * a / 1e4,
                         terms(x(r, Lk("urban"), y), x(r, Lk("urban"), years[k - 1], -1.0))))
        # urban_site: what a land use gives to urban land, cumulative, at most its area inside the boundary
        site = sheet(t, "protected_land")
        for r, lu, v in zip(cells(site, "region"), cells(site, "land_use"), cells(site, "in_urban_boundary_ha")):
            r, lu = str(r), str(lu)
            to_town = (lambda a, b, lu=lu: a == lu and role[b] == "urban")
            if blank(v) or not any(to_town(*pair[i]) for i in P):
                continue
            rows.extend((f"urban_site[{r},{lu},{y}]", "<=", float(v), flows(r, to_town, upto(y))) for y in years)
    # 6.5 grass-livestock balance and grassland condition
    if on("grazing_balance"):
        g = gz.reset_index(drop=True)
        grass = Lk("grassland", "degraded_grassland")
        for r, y in G:
            rows.append((f"grassland_split[{r},{y}]", "==", 0.0,
                         terms({lp.col("grazed", r, y): 1.0, lp.col("rested", r, y): 1.0}, x(r, grass, y, -1.0))))
        for i, (r, y) in enumerate(G):
            Y, u, I = float(g["forage_yield_kg_per_ha"][i]), float(g["utilisation_rate"][i]), float(g["intake_kg_per_su_yr"][i])
            Yd = num(cells(g, "degraded_yield_kg_per_ha")[i])
            loss = Y * u / I - (Y if np.isnan(Yd) else Yd) * u / I
            d = terms({lp.col("livestock", r, y): 1.0, lp.col("grazed", r, y): -(Y * u / I)}, x(r, deg, y, loss),
                      {lp.col("rested_degraded", r, y): -loss} if deg else {})
            rows.append((f"grazing_capacity[{r},{y}]", "<=", 0.0, d))
        for (r, y), v in zip(G, cells(g, "rest_min_ha")):
            if not blank(v):
                rows.append((f"grazing_rest[{r},{y}]", ">=", float(v), {lp.col("rested", r, y): 1.0}))
        if deg:
            for r, y in G:
                rows.append((f"rest_degraded_share[{r},{y}]", "<=", 0.0,
                             terms({lp.col("rested_degraded", r, y): 1.0, lp.col("rested", r, y): -1.0})))
            for r, y in G:
                rows.append((f"rest_degraded_area[{r},{y}]", "<=", 0.0,
                             terms({lp.col("rested_degraded", r, y): 1.0}, x(r, deg, y, -1.0))))
            rate = {(r, y): num(v) for (r, y), v in zip(G, cells(g, "restoration_pct_per_yr"))}
            for r in R:
                for y in years:
                    rho = rate.get((r, y), np.nan)
                    share = 0.0 if np.isnan(rho) else rho / 100 * delta[y]
                    rows.append((f"restoration[{r},{y}]", "<=", 0.0,
                                 terms(flows(r, lambda a, b: role[a] == "degraded_grassland" and role[b] == "grassland", [y]),
                                       {lp.col("rested_degraded", r, y): -share})))
        for (r, y), v in zip(G, cells(g, "livestock_min_su")):
            if not blank(v):
                rows.append((f"livestock_floor[{r},{y}]", ">=", float(v), {lp.col("livestock", r, y): 1.0}))
    # 6.6 livestock layout
    if on("livestock_layout"):
        for y, v in zip(cells(pt, "year"), cells(pt, "livestock_min_su")):
            if not blank(v):
                y = int(float(y))
                rows.append((f"livestock_total[{y}]", ">=", float(v),
                             terms(*({lp.col("livestock", r, yy): 1.0} for r, yy in G if yy == y))))
    # 6.7 energy sites
    en = sheet(t, "energy")
    if on("energy_sites"):
        for r, y, v in zip(cells(en, "region"), cells(en, "year"), cells(en, "pv_suitable_ha")):
            if not blank(v):
                rows.append((f"pv_suitability[{r},{int(float(y))}]", "<=", float(v), x(str(r), Lk("pv"), int(float(y)))))
        for r, y, E, H, kp in zip(*(cells(en, c) for c in ("region", "year", "clean_capacity_min_mw",
                                                           "other_clean_capacity_mw", "pv_mw_per_ha"))):
            if not blank(E):
                rows.append((f"clean_capacity[{r},{int(float(y))}]", ">=", float(E) - (0.0 if blank(H) else float(H)),
                             x(str(r), Lk("pv"), int(float(y)), float(kp))))
    # 6.8 ecological floors (grassland counts good and degraded grassland)
    if on("ecological_floors"):
        for k, roles in (("forest", ("forest",)), ("wetland", ("wetland",)), ("grassland", ("grassland", "degraded_grassland"))):
            lus = Lk(*roles)
            if not lus:
                continue
            given = {(r, y): v for r, y, v in tgt(f"{k}_min_ha")}
            for r in R:
                for y in years:
                    v = given.get((r, y), np.nan)
                    if np.isnan(v) and nnl:
                        v = sum(X0[(r, lu)] for lu in lus)
                    if not np.isnan(v) and v > 0:
                        rows.append((f"{k}_floor[{r},{y}]", ">=", v, x(r, lus, y)))
    # 6.9 forest cover
    if on("forest_cover"):
        for y, v in zip(cells(pt, "year"), cells(pt, "forest_cover_min_pct")):
            if not blank(v):
                y = int(float(y))
                rows.append((f"forest_cover[{y}]", ">=", float(v) / 100 * sum(Atot.values()),
                             terms(*(x(r, Lk("forest"), y) for r in R))))
    # 6.10 farmland
    if on("farmland"):
        out_of = lambda a, b: a in crop and b not in crop  # noqa: E731
        into = lambda a, b: a not in crop and b in crop  # noqa: E731
        taken = lambda a, b: a in crop and role[b] in CON + ("pv",)  # noqa: E731
        for r, y, v in tgt("basic_farmland_min_ha"):
            rows.append((f"basic_farmland[{r},{y}]", "<=", sum(X0[(r, lu)] for lu in crop) - v, flows(r, out_of, upto(y))))
        for r, y, v in tgt("supplementary_cropland_potential_ha"):
            rows.append((f"cropland_supplement_limit[{r},{y}]", "<=", v, flows(r, into, upto(y))))
        quota = {(r, y): v for r, y, v in tgt("eco_retirement_quota_ha")}
        for name, restricted, cumulative in (("cropland_offset", taken, False), ("cropland_in_out", out_of, True)):
            if balance == "none" or not any(restricted(*pair[i]) for i in P):
                continue
            q = (lambda r, y: quota.get((r, y), 0.0)) if cumulative else (lambda r, y: 0.0)
            lhs = lambda r, y: terms(flows(r, restricted, upto(y) if cumulative else [y]),  # noqa: E731
                                     flows(r, into, upto(y) if cumulative else [y], -1.0))
            if balance == "region":
                rows.extend((f"{name}[{r},{y}]", "<=", q(r, y), lhs(r, y)) for r in R for y in years)
            else:
                rows.extend((f"{name}[{y}]", "<=", sum(q(r, y) for r in R), terms(*(lhs(r, y) for r in R))) for y in years)
    # 6.11 protection (sheet protected_land)
    pl = sheet(t, "protected_land")
    if on("protection"):
        built = lambda a, b: role[b] in CON + ("pv",)  # noqa: E731
        for column, name, ok in (("redline_ha", "redline", built), ("basic_grassland_ha", "basic_grassland", None)):
            for r, lu, v in zip(cells(pl, "region"), cells(pl, "land_use"), cells(pl, column)):
                r, lu = str(r), str(lu)
                if blank(v) or (ok is None and role[lu] != "grassland"):
                    continue
                restrict = (lambda a, b, lu=lu, ok=ok: a == lu and (ok is None or ok(a, b)))
                if not any(restrict(*pair[i]) for i in P):
                    continue
                rows.extend((f"{name}[{r},{lu},{y}]", "<=", X0[(r, lu)] - float(v), flows(r, restrict, upto(y)))
                            for y in years)
    # 6.12 construction cap
    if on("construction_cap"):
        for r, y, v in tgt("construction_max_ha"):
            rows.append((f"construction_cap[{r},{y}]", "<=", v, x(r, Lk(*CON), y)))
    # 6.12b land-based economic output
    if on("economic_output") and "economic_output_min_yuan_per_yr" in pt.columns:
        v_out = {lu: (0.0 if blank(v) else float(v)) for lu, v in zip(L, cells(lus_df, "output_yuan_per_ha_yr"))} \
            if "output_yuan_per_ha_yr" in lus_df.columns else {lu: 0.0 for lu in L}
        for y, e in zip(cells(pt, "year"), cells(pt, "economic_output_min_yuan_per_yr")):
            if not blank(e):
                y = int(float(y))
                rows.append((f"economic_output[{y}]", ">=", float(e),
                             terms(*({lp.col("area", r, lu, y): v_out[lu]} for r in R for lu in L if v_out[lu]))))
    # 6.13 budget
    if on("budget"):
        cost = {i: (0.0 if blank(c) else float(c)) for i, c in zip(range(len(tr)), cells(tr, "cost_yuan_per_ha"))}
        kban = {(r, y): (0.0 if blank(k) else float(k)) for (r, y), k in zip(G, cells(gz, "rest_cost_yuan_per_ha_yr"))}
        qz = {(str(r), int(float(y))): (0.0 if blank(q) else float(q)) for r, y, q in
              zip(cells(tg, "region"), cells(tg, "year"), cells(tg, "redevelopment_cost_yuan_per_ha"))}
        for y, v in zip(cells(pt, "year"), cells(pt, "budget_yuan")):
            if blank(v):
                continue
            y = int(float(y))
            d = terms(*({lp.col("flow", r, *pair[i], y): cost[i]} for r in R for i in P),
                      *({lp.col("rested", r, yy): kban[(r, yy)] * delta[y]} for r, yy in G if yy == y),
                      *({lp.col("redevelop", r, yy): qz[(r, yy)]} for r, yy in Z if yy == y))
            rows.append((f"budget[{y}]", "<=", float(v), d))
    # 6.14 desertification control (sandy land restored to a vegetated use, cumulative)
    if on("desertification_control"):
        veg = ("grassland", "forest", "garden", "wetland")
        for r, y, v in tgt("sandy_restoration_min_ha"):
            rows.append((f"desertification_control[{r},{y}]", ">=", v,
                         flows(r, lambda a, b: role[a] == "sandy" and role[b] in veg, upto(y))))
    # 6.15 forest growing stock: V_{r,t} = d_{r,t} x_F + sum (h_r (t - tau) - d_{r,t}) y_{into forest}
    if on("forest_stock"):
        F = Lk("forest")
        par = lambda c: {str(r): (0.0 if blank(v) else float(v)) for r, v in zip(regions["region"], cells(regions, c))}  # noqa: E731
        V0, g, h = par("forest_stock_m3"), par("forest_growth_m3_per_ha_yr"), par("young_forest_growth_m3_per_ha_yr")
        XF = {r: sum(X0[(r, lu)] for lu in F) for r in R}
        s0 = {r: V0[r] / XF[r] if XF[r] > 0 else 0.0 for r in R}
        for y, v in zip(cells(pt, "year"), cells(pt, "forest_stock_min_m3")):
            if blank(v):
                continue
            y = int(float(y))
            d = {r: s0[r] + g[r] * (y - t0) for r in R}
            parts = []
            for r in R:
                parts.append(x(r, F, y, d[r]))
                for yy in upto(y):
                    parts.append(flows(r, lambda a, b: a not in F and b in F, [yy], h[r] * (y - tau[yy]) - d[r]))
            rows.append((f"forest_stock[{y}]", ">=", float(v), terms(*parts)))
    # 6.16 redevelopment
    if on("redevelopment"):
        for r, y in Z:
            v = {(rr, yy): vv for rr, yy, vv in tgt("redevelopment_potential_ha")}[(r, y)]
            rows.append((f"redevelopment_limit[{r},{y}]", "<=", v, zsum(r, y)))
    # 6.17 energy bases
    if on("energy_bases"):
        eb = sheet(t, "energy_bases")
        E = {(str(r), int(float(y))): float(k) for r, y, k in zip(cells(en, "region"), cells(en, "year"),
                                                                  cells(en, "pv_mw_per_ha"))}
        bases = list(zip(cells(eb, "base"), cells(eb, "region"), cells(eb, "year"), cells(eb, "min_mw")))
        for r in R:
            for y in years:
                latest: dict[str, tuple[int, float]] = {}
                for b, rr, yy, m in bases:
                    if str(rr) == r and int(float(yy)) <= y and (b not in latest or int(float(yy)) >= latest[b][0]):
                        latest[b] = (int(float(yy)), float(m))
                if latest and (r, y) in E:
                    rows.append((f"energy_base[{r},{y}]", ">=", sum(m for _, m in latest.values()),
                                 x(r, Lk("pv"), y, E[(r, y)])))
        for y, v in zip(cells(pt, "year"), cells(pt, "pv_capacity_min_mw")):
            if not blank(v):
                y = int(float(y))
                rows.append((f"pv_total[{y}]", ">=", float(v),
                             terms(*(x(r, Lk("pv"), yy, k) for (r, yy), k in E.items() if yy == y))))
    # 6.18 hydro
    if on("hydro"):
        hp = sheet(t, "hydro_projects")
        prev = dict(zip(years, [t0] + years[:-1]))
        proj = [(str(r), int(float(ys)), num(i), num(c)) for r, ys, i, c in
                zip(cells(hp, "region"), cells(hp, "year_in_service"), cells(hp, "inundated_ha"), cells(hp, "construction_ha"))]
        period = lambda ys: next((y for y in years if prev[y] < ys <= y), None)  # noqa: E731
        for k, name, sense, target, every in ((2, "hydro_inundation", "==", "water", True),
                                              (3, "hydro_construction", ">=", "other_construction", False)):
            listed = [(p[0], period(p[1]), p[k]) for p in proj if period(p[1]) is not None and not np.isnan(p[k]) and p[k] > 0]
            for r in R:
                mine = [(y, a) for rr, y, a in listed if rr == r]
                for y in years:
                    now = sum(a for yy, a in mine if yy == y)
                    if (every and listed) or now > 0:
                        rows.append((f"{name}[{r},{y}]", sense, now, flows(r, lambda a, b: role[b] == target, [y])))
    # 6.19 area bounds
    ab = sheet(t, "area_bounds")
    if on("area_bounds"):
        for c, name, sense in (("min_ha", "area_min", ">="), ("max_ha", "area_max", "<=")):
            for r, lu, y, v in zip(cells(ab, "region"), cells(ab, "land_use"), cells(ab, "year"), cells(ab, c)):
                if not blank(v):
                    rows.append((f"{name}[{r},{lu},{int(float(y))}]", sense, float(v), {lp.col("area", r, lu, int(float(y))): 1.0}))
    # a row with no variable is dropped when it holds, else the run stops (§6.0)
    kept = []
    for lab, s, rhs, d in rows:
        d = {j: v for j, v in d.items() if j is not None and v != 0.0}
        if not d:
            if not {"<=": rhs >= 0, ">=": rhs <= 0, "==": rhs == 0}[s]:
                raise ValueError(f"{lab} requires {s} {rhs} but has no variable")
            continue
        kept.append((lab, s, rhs, d))
    lp.rows = kept
    lp.cost = np.zeros(len(lp.columns))
    if acc == "stock_change":
        # §4.1 / §7.1: E = settings.accounting_end_year, blank or missing = T
        E = T if blank(st.get("accounting_end_year")) else int(float(st["accounting_end_year"]))
        _stock_objective(lp, t, cs, R, L, P, pair, tr, G, gz, years, t0, T, E, tau, delta, X0, Tset, gam)
    else:
        _flux_objective(lp, t, st, R, L, role, G, gz, en, years, T, gam)
    return lp


STOCK_COLUMNS = ("biomass_tC_per_ha", "dom_tC_per_ha", "soc_tC_per_ha", "maturity_years", "soil_transition_years",
                 "remaining_flux_tC_per_ha_yr", "ch4_kg_per_ha_yr")


def _stocks(cs: pd.DataFrame, r: str, lu: str, Tset: float) -> dict[str, float]:
    """The carbon_stocks row that applies to (r, l), taken whole, with the blank defaults of §4.6."""
    reg = cells(cs, "region")
    sel = [i for i in range(len(cs)) if str(cs["land_use"][i]) == lu and not blank(reg[i]) and str(reg[i]) == r]
    sel = sel or [i for i in range(len(cs)) if str(cs["land_use"][i]) == lu and blank(reg[i])]
    v = {k: (num(cells(cs, k)[sel[0]]) if sel else np.nan) for k in STOCK_COLUMNS}
    v["includes_soil"] = 1.0 if sel and yes(cells(cs, "remaining_flux_includes_soil")[sel[0]]) else 0.0
    out = {k: (0.0 if np.isnan(x) else x) for k, x in v.items()}
    out["soil_transition_years"] = Tset if np.isnan(v["soil_transition_years"]) or v["soil_transition_years"] <= 0 \
        else v["soil_transition_years"]
    # §4.6: g^new, the methane of land converted to the use (blank: the use's own g)
    g_new = num(cells(cs, "new_land_ch4_kg_per_ha_yr")[sel[0]]) if sel else np.nan
    out["new_land_ch4"] = out["ch4_kg_per_ha_yr"] if np.isnan(g_new) else g_new
    return out


def _stock_objective(lp: LP, t, cs, R, L, P, pair, tr, G, gz, years, t0, T, E, tau, delta, X0, Tset, gam) -> None:
    """§7.1: cumulative net removals from the end of t0 to the end of E (t CO2e; E = T unless later)."""
    S = {(r, lu): _stocks(cs, r, lu, Tset) for r in R for lu in L}
    pair_Ts = {i: num(v) for i, v in zip(range(len(tr)), cells(tr, "soil_transition_years"))}
    # §7.1: zeta_p = soil_change_pct / 100, blank = 1 (a workbook without the column: every cell blank)
    pair_zeta = {i: (1.0 if np.isnan(num(v)) else num(v) / 100.0)
                 for i, v in zip(range(len(tr)), cells(tr, "soil_change_pct"))}
    # §7.1: lambda_p = biomass_loss_pct / 100, blank = 1 (the old use's biomass lost at once; the rest grows on)
    pair_lam = {i: (1.0 if np.isnan(num(v)) else num(v) / 100.0)
                for i, v in zip(range(len(tr)), cells(tr, "biomass_loss_pct"))}
    for r in R:
        for i in P:
            a, b = pair[i]
            sa, sb = S[(r, a)], S[(r, b)]
            Ts = pair_Ts[i] if not np.isnan(pair_Ts[i]) and pair_Ts[i] > 0 else sb["soil_transition_years"]
            N = sb["maturity_years"]
            for y in years:
                al = E - tau[y]
                phi = min(1.0, al / N) if N > 0 else 1.0
                DS = pair_zeta[i] * (sb["dom_tC_per_ha"] + sb["soc_tC_per_ha"] - sa["dom_tC_per_ha"] - sa["soc_tC_per_ha"])
                lam = pair_lam[i]
                Rr = (-lam * sa["biomass_tC_per_ha"] + (sb["biomass_tC_per_ha"] - (1 - lam) * sa["biomass_tC_per_ha"]) * phi
                      + DS * min(1.0, al / Ts)
                      + sa["remaining_flux_tC_per_ha_yr"] * al
                      - sb["remaining_flux_tC_per_ha_yr"] * max(0.0, al - (max(N, Ts) if sb["includes_soil"] else N)))
                lp.cost[lp.col("flow", r, a, b, y)] = K * Rr - gam * (sb["new_land_ch4"] - sa["ch4_kg_per_ha_yr"]) * al
    for (r, y), e in zip(G, cells(gz, "ch4_kg_per_su_yr")):
        lp.cost[lp.col("livestock", r, y)] = -gam * float(e) * (delta[y] + (E - T if y == T else 0.0))
    lp.constant = (E - t0) * sum(X0[(r, lu)] * (-K * S[(r, lu)]["remaining_flux_tC_per_ha_yr"] - gam * S[(r, lu)]["ch4_kg_per_ha_yr"])
                                 for r in R for lu in L)


def _flux_objective(lp: LP, t, st, R, L, role, G, gz, en, years, T, gam) -> None:
    """§7.2: the net sink in the objective years (t CO2e/yr)."""
    lus = sheet(t, "land_uses")
    cf = dict(zip(L, (num(v) for v in lus["carbon_flux_tC_per_ha_yr"])))
    cbr = sheet(t, "carbon_by_region")
    over = {(str(r), str(lu)): float(v) for r, lu, v in zip(cells(cbr, "region"), cells(cbr, "land_use"),
                                                            cells(cbr, "carbon_flux_tC_per_ha_yr"))}
    W = years if str(st.get("objective_years", "target")).strip() == "all" else [T]
    avoided = yes(st.get("include_avoided_emissions"))
    for r in R:
        for lu in L:
            for y in W:
                lp.cost[lp.col("area", r, lu, y)] = -K * over.get((r, lu), cf[lu])
    if avoided:
        for r, y, kp, h, f in zip(*(cells(en, c) for c in ("region", "year", "pv_mw_per_ha", "pv_mwh_per_mw_yr",
                                                           "grid_factor_tco2_per_mwh"))):
            if int(float(y)) in W:
                for lu in (lu for lu in L if role[lu] == "pv"):
                    lp.cost[lp.col("area", str(r), lu, int(float(y)))] += float(kp) * (0.0 if blank(h) else float(h)) * \
                        (0.0 if blank(f) else float(f))
    for (r, y), e in zip(G, cells(gz, "ch4_kg_per_su_yr")):
        if y in W:
            lp.cost[lp.col("livestock", r, y)] = -gam * float(e)


def solve(lp: LP) -> tuple[str, float]:
    """Solve the rebuilt LP with HiGHS (maximise); returns the model status and the objective with its constant."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    n, inf = len(lp.columns), highspy.kHighsInf
    h.addVars(n, np.zeros(n), np.full(n, inf))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), lp.cost)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.changeObjectiveOffset(lp.constant)
    for _, s, rhs, d in lp.rows:
        lo, up = {"<=": (-inf, rhs), ">=": (rhs, inf), "==": (rhs, rhs)}[s]
        h.addRow(lo, up, len(d), np.array(list(d), dtype=np.int32), np.array(list(d.values())))
    h.run()
    return h.modelStatusToString(h.getModelStatus()), h.getInfo().objective_function_value
