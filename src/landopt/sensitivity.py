"""Sensitivity from the optimal basis: HiGHS ranging, translated into planners' terms.

* **Carbon coefficients** — for each region and land use, the interval of the
  carbon flux :math:`c_{r,l}` (t C/ha/yr, literature sign) over which the
  optimal allocation (the basis) stays the same.  HiGHS ranges the objective
  coefficient :math:`\\gamma_j = -\\tfrac{44}{12}\\, c_{r,l}\\, w_t (+\\text{avoided})` of each area
  column :math:`j`; the flux interval follows from
  :math:`c = c^0 + (\\gamma^0 - \\gamma)\\,/\\,(\\tfrac{44}{12} w_t)`.  When the objective spans
  several milestones the coefficient enters several columns; the reported
  interval is the intersection of the per-column intervals (each valid with
  the others held fixed), which is conservative.
* **Right-hand sides** — for each binding policy constraint, the interval of
  its right-hand side over which its shadow price holds.

A result is called *robust* to a coefficient when the whole uncertainty band
(``±band_pct`` % of the coefficient, 25 % by default, or the range given on a
sheet ``uncertainty``) lies inside the interval.
"""

from __future__ import annotations

import logging
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from landopt.model.build import LandModel
from landopt.solve import SolveOutcome
from landopt.spec import TC_TO_TCO2

log = logging.getLogger(__name__)

BAND_PCT = 25.0


def ranging(lm: LandModel, out: SolveOutcome, band_pct: float = BAND_PCT) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (coefficient ranging, right-hand-side ranging) tables; empty when no basis is available."""
    empty = (pd.DataFrame(), pd.DataFrame())
    if out.highs is None or not out.optimal:
        return empty
    status, rg = out.highs.getRanging()
    if not getattr(rg, "valid", True):
        log.warning("HiGHS returned no ranging information")
        return empty
    n = lm.columns.n
    cost = out.form.cost if out.form is not None else lm.terms.objective()
    up = np.asarray(rg.col_cost_up.value_, dtype=float)[:n]
    dn = np.asarray(rg.col_cost_dn.value_, dtype=float)[:n]

    spec = lm.spec
    if lm.terms.accounting == "stock_change":
        coef = _conversion_ranging(lm, out, cost, up, dn, band_pct)
        return coef, _rhs_ranging(lm, out, rg)
    area = lm.columns.tables["area"]
    acol = area["col"].to_numpy()
    w = lm.terms.weight[acol]
    sel = w > 0
    k = TC_TO_TCO2 * w[sel]
    c0 = cost[acol[sel]]
    flux = spec.carbon.set_index(["region", "land_use"])["carbon_flux_tC_per_ha_yr"]
    a = area.loc[sel, ["region", "land_use", "year"]].copy()
    a["flux"] = flux.reindex(pd.MultiIndex.from_frame(a[["region", "land_use"]])).to_numpy(dtype=float)
    a["lo"] = a["flux"] + (c0 - up[acol[sel]]) / k  # a higher objective coefficient = a lower (more negative) flux
    a["hi"] = a["flux"] + (c0 - dn[acol[sel]]) / k
    a["area_ha"] = out.x[acol[sel]]
    g = a.groupby(["region", "land_use"], sort=False).agg(
        carbon_flux_tC_per_ha_yr=("flux", "first"), lower_tC_per_ha_yr=("lo", "max"), upper_tC_per_ha_yr=("hi", "min"),
        area_ha=("area_ha", "sum"))
    band = np.abs(g["carbon_flux_tC_per_ha_yr"]) * band_pct / 100.0
    g["band_low"] = g["carbon_flux_tC_per_ha_yr"] - band
    g["band_high"] = g["carbon_flux_tC_per_ha_yr"] + band
    robust = (g["lower_tC_per_ha_yr"] <= g["band_low"] + 1e-12) & (g["upper_tC_per_ha_yr"] >= g["band_high"] - 1e-12)
    g["robust"] = robust
    # column by column (a Series per row from iterrows costs more than the sentence)
    g["verdict"] = [
        _coef_verdict(r, l, lo, hi, c, rb, band_pct)
        for (r, l), lo, hi, c, rb in zip(g.index.tolist(), g["lower_tC_per_ha_yr"].tolist(),
                                         g["upper_tC_per_ha_yr"].tolist(), g["carbon_flux_tC_per_ha_yr"].tolist(),
                                         g["robust"].tolist())
    ]
    return g, _rhs_ranging(lm, out, rg)


def _conversion_ranging(lm: LandModel, out: SolveOutcome, cost: np.ndarray, up: np.ndarray, dn: np.ndarray,
                        band_pct: float) -> pd.DataFrame:
    """Stock-change accounting: for each conversion cohort, its value per hectare (cumulative net removals to the
    target year, t CO2e/ha) and the interval of that value over which the optimal plan (the basis) stays the same."""
    flow = lm.columns.tables["flow"]
    fcol = flow["col"].to_numpy()
    c0 = cost[fcol]
    g = flow[["region", "from_land_use", "to_land_use", "year"]].copy()
    g["value_t_co2e_per_ha"] = c0
    g["lower_t_co2e_per_ha"] = dn[fcol]
    g["upper_t_co2e_per_ha"] = up[fcol]
    g["area_ha"] = out.x[fcol]
    band = np.abs(c0) * band_pct / 100.0
    g["robust"] = (g["lower_t_co2e_per_ha"] <= c0 - band + 1e-12) & (g["upper_t_co2e_per_ha"] >= c0 + band - 1e-12)
    g["verdict"] = [
        ("Robust: " if rb else "Hinges on this value: ") +
        f"converting {f}→{t} in {r} (period to {y}) is worth {v:+,.4g} t CO2e/ha; the plan stays the same for any value in "
        f"[{lo:,.4g}, {hi:,.4g}] t CO2e/ha".replace("inf", "∞") +
        ("" if rb else f", which lies within ±{band_pct:g}%")
        for r, f, t, y, v, lo, hi, rb in zip(g["region"], g["from_land_use"], g["to_land_use"], g["year"], c0,
                                             g["lower_t_co2e_per_ha"], g["upper_t_co2e_per_ha"], g["robust"])
    ]
    return g.set_index(["region", "from_land_use", "to_land_use", "year"])


def _rhs_ranging(lm: LandModel, out: SolveOutcome, rg) -> pd.DataFrame:
    """For each binding policy row, the interval of its right-hand side over which its shadow price holds."""
    unit = lm.objective_unit
    rows = lm.row_table()
    m = len(rows)
    rup = np.asarray(rg.row_bound_up.value_, dtype=float)[:m]
    rdn = np.asarray(rg.row_bound_dn.value_, dtype=float)[:m]
    rows["lower"] = rdn
    rows["upper"] = rup
    rows["shadow_price"] = out.dual
    act = out.row_activity
    slack = np.where(rows["sense"] == "<=", rows["rhs"] - act, np.where(rows["sense"] == ">=", act - rows["rhs"], 0.0))
    tol = 1e-6 * np.maximum(1.0, np.abs(rows["rhs"].to_numpy()))
    binding = (np.abs(slack) <= tol) & rows["policy"].to_numpy(dtype=bool) & (np.abs(out.dual) > 1e-9)
    rhs = rows[binding][["label", "constraint", "sense", "rhs", "unit", "lower", "upper", "shadow_price", "sheet", "row", "column"]]
    rhs = rhs.rename(columns={"lower": "rhs_lower", "upper": "rhs_upper"}).reset_index(drop=True)
    # the same interval for the requirement as a planner states it (its limit at this plan: rhs + the part the plan
    # sets, e.g. share × the previous area of a conversion-rate limit; the rhs moves it one for one)
    part = lm.limit_part(out.x)[binding]
    rhs["limit"], rhs["limit_lower"], rhs["limit_upper"] = (rhs["rhs"] + part, rhs["rhs_lower"] + part,
                                                            rhs["rhs_upper"] + part)
    rhs["meaning"] = [
        f"The shadow price {sp:+,.4g} {unit} per {u} holds while the right-hand side stays within "
        f"[{lo:,.6g}, {hi:,.6g}] {u}" for sp, u, lo, hi in zip(rhs["shadow_price"], rhs["unit"], rhs["rhs_lower"], rhs["rhs_upper"])
    ]
    return rhs


def _coef_verdict(region: str, land_use: str, lo: float, hi: float, c: float, robust: bool, band_pct: float) -> str:
    span = f"[{lo:,.4g}, {hi:,.4g}]".replace("inf", "∞")
    if robust:
        return f"Robust: the plan stays the same for any {land_use} coefficient in {region} within ±{band_pct:g}% of {c:g} (holds on {span} t C/ha/yr)."
    return (f"Hinges on this coefficient: the plan for {land_use} in {region} changes if {c:g} t C/ha/yr moves outside "
            f"{span} t C/ha/yr, which lies within ±{band_pct:g}%.")


def reduced_cost_table(lm: LandModel, out: SolveOutcome, tol: float = 1e-9) -> pd.DataFrame:
    """Options the plan leaves unused, with what forcing one more unit of each would do to the net sink.

    A variable at zero with a non-zero reduced cost :math:`d_j` (HiGHS column dual, :math:`\\partial Z/\\partial x_j`
    for this maximisation) is an option the optimum rejects: forcing one unit of it changes the net sink by
    :math:`d_j` t CO2e/yr (negative: it would cost sink).
    """
    if not out.optimal:
        return pd.DataFrame()
    recs = []
    for kind, t in lm.columns.tables.items():
        if t.empty:
            continue
        c = t["col"].to_numpy()
        rc, x = out.reduced_cost[c], out.x[c]
        sel = (np.abs(rc) > tol) & (np.abs(x) <= 1e-7)
        if not sel.any():
            continue
        d = t[sel].copy()
        d["kind"], d["reduced_cost"], d["value"] = kind, rc[sel], x[sel]
        recs.append(d)
    if not recs:
        return pd.DataFrame(columns=["variable", "kind", "reduced_cost", "meaning"])
    df = pd.concat(recs, ignore_index=True)
    labels = lm.column_labels()
    df["variable"] = labels[df["col"].to_numpy()]
    # the fields as Python lists once (iterating pyarrow-backed text columns row by row is slow)
    fields = ("kind", "region", "land_use", "from_land_use", "to_land_use", "year", "reduced_cost")
    values = [df[f].tolist() if f in df.columns else [None] * len(df) for f in fields]
    df["meaning"] = [_rc_words(_Option(*v), lm.objective_unit) for v in zip(*values)]
    cols = ["variable", "kind", "region", "land_use", "from_land_use", "to_land_use", "year", "reduced_cost", "meaning"]
    df = df.reindex(columns=cols)
    return df.reindex(df["reduced_cost"].abs().sort_values(ascending=False).index).reset_index(drop=True)


class _Option(NamedTuple):
    """One unused option, the fields :func:`_rc_words` reads."""

    kind: str
    region: Any
    land_use: Any
    from_land_use: Any
    to_land_use: Any
    year: Any
    reduced_cost: float


def _rc_words(r: _Option, unit: str = "t CO2e/yr") -> str:
    v = ("the net sink by " if unit == "t CO2e/yr" else "the cumulative net removals by ") + f"{r.reduced_cost:+,.4g} {unit}"
    if r.kind == "flow":
        return (f"Converting one more ha of {r.from_land_use} to {r.to_land_use} in {r.region} in the period ending "
                f"{r.year} would change {v}")
    if r.kind == "area":
        return f"Keeping one more ha of {r.land_use} in {r.region} in {r.year} would change {v}"
    what = {"livestock": "sheep unit of livestock", "grazed": "ha of grazed grassland", "rested": "ha of rested grassland"}
    return f"One more {what.get(r.kind, r.kind)} in {r.region} in {r.year} would change {v}"
