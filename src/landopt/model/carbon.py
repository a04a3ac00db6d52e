"""IPCC stock-change carbon accounting (2006 Guidelines Vol. 4, 2019 Refinement), as linear coefficients.

Land remaining in its use earns its *gain–loss* net flux; land converted from one use to another carries the
*stock difference* of its pools.  Everything is linear in the decision variables, so it fits the LP.

Time.  Milestones :math:`t_0 < t_1 < \\dots < t_K` (:math:`t_0` the baseline year).  Period :math:`k` runs from
:math:`t_{k-1}` to :math:`t_k` (length :math:`\\Delta_k`).  The area converted in period :math:`k`,
:math:`y_{r,l\\to m,k}`, is one *cohort*; it is converted at mid-period :math:`\\tau_k = t_{k-1} + \\Delta_k/2`
(conversions spread evenly over the period, counted at their mean date).

A hectare converted from :math:`l` to :math:`m` at :math:`\\tau`, seen :math:`a = t - \\tau \\ge 0` years later, has
removed (t C, positive = removed from the atmosphere; stocks :math:`B` biomass, :math:`D` dead organic matter,
:math:`S` soil organic carbon in t C/ha; :math:`N_m` the new use's years to maturity; :math:`T_s` the soil
transition time of the conversion (``transitions.soil_transition_years``, blank = the new use's
``carbon_stocks.soil_transition_years``, blank = ``settings.soil_transition_years``); :math:`\\zeta_{l\\to m}` the share
of the soil difference the conversion realises (``transitions.soil_change_pct`` / 100, blank = 1: 0 for PV built on
grassland, degraded grassland or sandy land, whose soil stays under the panels); :math:`\\lambda_{l\\to m}` the share of the
old use's biomass lost at once (``transitions.biomass_loss_pct`` / 100, blank = 1: the land is cleared; 0 where it is
not, as degraded grassland restored under grazing ban or rest -- a change of condition within grassland, whose stock
moves gradually from the old use's to the new use's); :math:`f` the remaining-land flux, emission +;
:math:`g` methane, kg CH4/ha/yr)

.. math::

    R_{l\\to m}(a) = \\underbrace{-\\lambda_{l\\to m} B_l}_{\\text{biomass lost at once}}
      + \\underbrace{\\big(B_m - (1 - \\lambda_{l\\to m}) B_l\\big) \\min(1, a/N_m)}_{\\text{growth to the new use's stock}}
      + \\underbrace{\\zeta_{l\\to m} (D_m + S_m - D_l - S_l) \\min(1, a/T_s)}_{\\text{soil and dead organic matter}}
      + \\underbrace{f_l\\, a - f_m \\max(0, a - J)}_{\\text{remaining-land flux forgone / gained}}

(:math:`N_m = 0`: the stock is there at once; :math:`J` the age from which the converted hectare earns the new
use's remaining-land flux: :math:`N_m`, or :math:`\\max(N_m, T_s)` where ``carbon_stocks.remaining_flux_includes_soil``
says that flux is the soil's own accumulation -- a marsh's measured uptake -- so that it is not counted on top of the
soil gain still under way) and its methane changes by :math:`(g^{new}_m - g_l)` kg CH4/ha/yr, where :math:`g^{new}_m`
is the new use's ``carbon_stocks.new_land_ch4_kg_per_ha_yr`` (a new reservoir's flooded-land methane, IPCC 2019
Refinement Vol. 4 Ch. 7, which the lakes and rivers already in that use are not counted for) and, blank, its :math:`g_m`.  Its
annual rate at :math:`t` is the derivative :math:`\\mathrm dR/\\mathrm da` (the one-off biomass loss is not a
rate).  Land that stays in its baseline use earns :math:`-f_l` t C/ha/yr and emits :math:`g_l` kg CH4/ha/yr; the
converted hectares leave that stock (their forgone flux is the :math:`f_l a` term above).  Livestock at milestone
:math:`t_k` is held over period :math:`k`.  Carbon is reported in t CO2e (× 44/12; CH4 × GWP / 1000).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.model.columns import Columns
from landopt.spec import TC_TO_TCO2, ModelSpec

#: stock-change terms: name -> (sign with which the term's per-column amount enters the net removals, English, 中文);
#: the amounts are signed removals (t CO2e, positive = removal) except livestock CH4, a positive emission.  The
#: reported tables (:func:`account`, ``PlanResult.terms``) hold every term signed (removal +, emission −).
STOCK_TERMS: dict[str, tuple[int, str, str]] = {
    "standing_land": (+1, "Land remaining in its baseline use (gain–loss flux and CH4)", "保持原地类土地的净碳汇（含甲烷）"),
    "biomass_loss": (+1, "Biomass lost by converted land", "地类转换损失的生物量碳"),
    "biomass_growth": (+1, "Biomass growth of converted land (cohorts)", "转换后新地类的生物量碳增长"),
    "soil_dom_change": (+1, "Soil and dead organic matter change of converted land", "转换土地的土壤及枯落物碳变化"),
    "remaining_change": (+1, "Remaining-land flux gained minus forgone by converted land", "转换土地净通量的得失"),
    "land_ch4_change": (+1, "Methane change of converted land (CO2e)", "转换土地甲烷排放变化（CO2当量）"),
    "livestock_ch4": (-1, "Livestock enteric methane (CO2e)", "牲畜肠道甲烷排放（CO2当量）"),
}
FLOW_TERMS = ("biomass_loss", "biomass_growth", "soil_dom_change", "remaining_change", "land_ch4_change")


def periods(spec: ModelSpec) -> pd.DataFrame:
    """Milestone periods: year (its end), start, length (years), tau (mid-period conversion date)."""
    ends = np.asarray(spec.years, dtype=float)
    starts = np.concatenate([[float(spec.baseline_year)], ends[:-1]])
    return pd.DataFrame({"year": np.asarray(spec.years, dtype=np.int64), "start": starts, "length": ends - starts,
                         "tau": (starts + ends) / 2.0})


def _stock_matrix(spec: ModelSpec, cols: Columns, column: str) -> np.ndarray:
    """regions × land uses array of a carbon_stocks column (zeros where the sheet has no row)."""
    out = cols.grid.by_region_land_use(spec.stocks, column) if not spec.stocks.empty else None
    if out is None:
        return np.zeros((len(cols.grid.regions), len(cols.grid.land_uses)))
    return np.nan_to_num(out, nan=0.0)


#: carbon_stocks columns read as regions × land uses arrays (zeros where the sheet has no row)
STOCK_COLUMNS = ("biomass_tC_per_ha", "dom_tC_per_ha", "soc_tC_per_ha", "maturity_years", "remaining_flux_tC_per_ha_yr",
                 "ch4_kg_per_ha_yr", "remaining_flux_includes_soil")


def stock_matrices(spec: ModelSpec, cols: Columns) -> dict[str, np.ndarray]:
    """Every :data:`STOCK_COLUMNS` array plus ``soil_transition_years`` (NaN where not given), read once — pass them
    to :func:`flow_terms` and :func:`standing` when evaluating many milestones."""
    S = {c: _stock_matrix(spec, cols, c) for c in STOCK_COLUMNS}
    for c in ("soil_transition_years", "new_land_ch4_kg_per_ha_yr"):  # NaN where blank: a fallback applies
        S[c] = cols.grid.by_region_land_use(spec.stocks, c) if not spec.stocks.empty and c in spec.stocks.columns \
            else np.full((len(cols.grid.regions), len(cols.grid.land_uses)), np.nan)
    return S


def _gwp(spec: ModelSpec) -> float:
    return float(spec.settings.get("ch4_gwp") or 0.0) / 1000.0  # t CO2e per kg CH4


def flow_terms(spec: ModelSpec, cols: Columns, at_year: int, kind: str,
               stocks: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Each flow column's contribution (t CO2e per ha converted) to the removals up to ``at_year`` (``kind`` =
    'cumulative', from the baseline year) or to the annual rate in ``at_year`` (``kind`` = 'annual', t CO2e/ha/yr).

    Arrays are aligned with ``cols.tables['flow']``; cohorts converted after ``at_year`` contribute 0.
    """
    grid, flow = cols.grid, cols.tables["flow"]
    r, p, t = grid.flow_codes(flow["col"].to_numpy())
    lf, lt = grid.pair_from[p], grid.pair_to[p]
    per = periods(spec)
    a = float(at_year) - per["tau"].to_numpy()[t]
    live = a >= 0
    a = np.where(live, a, 0.0)
    S = stocks if stocks is not None else stock_matrices(spec, cols)
    B = S["biomass_tC_per_ha"]
    DS = S["dom_tC_per_ha"] + S["soc_tC_per_ha"]
    N = S["maturity_years"][r, lt]
    f_from, f_to = (S["remaining_flux_tC_per_ha_yr"][r, x] for x in (lf, lt))
    g_from, g_to = (S["ch4_kg_per_ha_yr"][r, x] for x in (lf, lt))
    g_new = S["new_land_ch4_kg_per_ha_yr"][r, lt]  # the methane of land converted to the use (a new reservoir's)
    g_to = np.where(np.isnan(g_new), g_to, g_new)
    Ts_default = float(spec.settings.get("soil_transition_years") or 20.0)
    Ts = S["soil_transition_years"][r, lt]
    Ts = np.where(np.isnan(Ts) | (Ts <= 0), Ts_default, Ts)
    if "soil_transition_years" in spec.transitions.columns:  # a conversion's own transition time comes first
        pair_Ts = spec.transitions["soil_transition_years"].to_numpy(dtype=float)[p]
        Ts = np.where(np.isnan(pair_Ts) | (pair_Ts <= 0), Ts, pair_Ts)
    b_to, b_from, d_soil = B[r, lt], B[r, lf], DS[r, lt] - DS[r, lf]
    if "soil_change_pct" in spec.transitions.columns:  # the share of the soil difference this conversion realises
        pct = spec.transitions["soil_change_pct"].to_numpy(dtype=float)[p]
        d_soil = d_soil * np.where(np.isnan(pct), 1.0, pct / 100.0)
    lost = biomass_lost_share(spec, p)  # of the old use's biomass, lost at once; the rest grows into the new stock
    b_gain = b_to - (1.0 - lost) * b_from
    growing = N > 0
    # the age from which the cohort earns the new use's remaining-land flux: its maturity, or also the end of its soil
    # transition where that flux is the soil's own accumulation (a marsh's uptake)
    joins = np.where(S["remaining_flux_includes_soil"][r, lt] > 0, np.maximum(N, Ts), N)
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "cumulative":
            out = {
                "biomass_loss": -lost * b_from,
                "biomass_growth": b_gain * np.where(growing, np.minimum(1.0, a / np.where(growing, N, 1.0)), 1.0),
                "soil_dom_change": d_soil * np.minimum(1.0, a / Ts),
                "remaining_change": f_from * a - f_to * np.maximum(0.0, a - joins),
            }
            ch4 = -(g_to - g_from) * a
        elif kind == "annual":
            young = growing & (a < N)
            out = {
                "biomass_loss": np.zeros_like(a),
                "biomass_growth": np.where(young, b_gain / np.where(growing, N, 1.0), 0.0),
                "soil_dom_change": np.where(a < Ts, d_soil / Ts, 0.0),
                "remaining_change": f_from - np.where(a >= joins, f_to, 0.0),  # the rate just after a break, as above
            }
            ch4 = -(g_to - g_from)
        else:
            raise ValueError(f"kind must be 'cumulative' or 'annual', not {kind!r}")
    out = {k: np.where(live, v * TC_TO_TCO2, 0.0) for k, v in out.items()}
    out["land_ch4_change"] = np.where(live, ch4 * _gwp(spec), 0.0)
    return out


def biomass_lost_share(spec: ModelSpec, p: np.ndarray) -> np.ndarray:
    """Per conversion (positions ``p`` in ``spec.transitions``): the share of the old use's biomass lost at once,
    ``transitions.biomass_loss_pct`` / 100 (blank or no column: 1, the land is cleared)."""
    if "biomass_loss_pct" not in spec.transitions.columns:
        return np.ones(len(p))
    pct = spec.transitions["biomass_loss_pct"].to_numpy(dtype=float)[p]
    return np.where(np.isnan(pct), 1.0, pct / 100.0)


def livestock_factors(spec: ModelSpec, cols: Columns) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per livestock column: methane (t CO2e per sheep unit per year), its milestone year and its period's length."""
    ls = cols.tables.get("livestock")
    if ls is None or ls.empty:
        return np.zeros(0), np.zeros(0, dtype=np.int64), np.zeros(0)
    g = spec.grazing.set_index(["region", "year"])["ch4_kg_per_su_yr"]
    ef = g.reindex(pd.MultiIndex.from_frame(ls[["region", "year"]])).to_numpy(dtype=float) * _gwp(spec)
    year = ls["year"].to_numpy()
    length = periods(spec).set_index("year")["length"].reindex(year).to_numpy()
    return ef, year, length


def livestock_terms(spec: ModelSpec, cols: Columns, at_year: int, kind: str,
                    factors: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Each livestock column's methane (t CO2e per sheep unit, a positive emission) up to ``at_year``
    (cumulative: held over its period) or in ``at_year`` (annual); aligned with ``cols.tables['livestock']``.
    After the target year (``at_year`` > T, an accounting end year beyond it) the target year's herd is held.
    ``factors``: :func:`livestock_factors`, when already computed."""
    ef, year, length = factors if factors is not None else livestock_factors(spec, cols)
    T = int(spec.target_year)
    if kind == "annual":  # after the target year the target year's herd stays
        return np.where(year == min(int(at_year), T), ef, 0.0)
    held = np.where(year == T, max(0.0, float(at_year) - T), 0.0)
    return np.where(year <= at_year, ef * (length + held), 0.0)


def standing_by_land_use(spec: ModelSpec, cols: Columns, at_year: int, kind: str,
                         stocks: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Regions × land uses: removals (t CO2e; annual: t CO2e/yr) of each baseline use's land as if it all stayed
    in that use (the converted part is taken off through each cohort's ``remaining_change`` and ``land_ch4_change``)."""
    grid = cols.grid
    X0 = np.nan_to_num(grid.by_region_land_use(spec.baseline, "area_ha"), nan=0.0)
    f = stocks["remaining_flux_tC_per_ha_yr"] if stocks is not None else _stock_matrix(spec, cols, "remaining_flux_tC_per_ha_yr")
    g = stocks["ch4_kg_per_ha_yr"] if stocks is not None else _stock_matrix(spec, cols, "ch4_kg_per_ha_yr")
    rate = X0 * (-f * TC_TO_TCO2 - g * _gwp(spec))
    return rate if kind == "annual" else rate * (float(at_year) - float(spec.baseline_year))


def standing(spec: ModelSpec, cols: Columns, at_year: int, kind: str,
             stocks: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Per region: removals (t CO2e; annual: t CO2e/yr) of the baseline land as if it all stayed in its use
    (the converted part is taken off through each cohort's ``remaining_change`` and ``land_ch4_change``)."""
    return standing_by_land_use(spec, cols, at_year, kind, stocks).sum(axis=1)


def _by_region(values: np.ndarray, region_code: np.ndarray, n_regions: int) -> np.ndarray:
    return np.bincount(region_code, weights=values, minlength=n_regions) if len(values) else np.zeros(n_regions)


def account(spec: ModelSpec, cols: Columns, x: np.ndarray,
            livestock_x: np.ndarray | None = None, flows_x: np.ndarray | None = None) -> pd.DataFrame:
    """The carbon account of a plan: every term for every region and milestone, indexed (region, year, term), with
    ``t_co2e_per_yr`` (the annual rate in that year) and ``cumulative_t_co2e`` (from the baseline year to that year).

    ``flows_x`` / ``livestock_x`` replace the plan's conversions / livestock (e.g. zeros for the frozen reference).
    Every term is signed (removal +, emission −: livestock CH4 is negative); ``net_sink`` is their sum.
    """
    grid = cols.grid
    R = len(grid.regions)
    flow, ls = cols.tables["flow"], cols.tables.get("livestock")
    y = x[flow["col"].to_numpy()] if flows_x is None else flows_x
    fr = grid.flow_codes(flow["col"].to_numpy())[0]
    s = (x[ls["col"].to_numpy()] if livestock_x is None else livestock_x) if ls is not None and not ls.empty else np.zeros(0)
    sr = grid.region_codes(ls["region"]) if ls is not None and not ls.empty else np.zeros(0, dtype=np.int64)
    S = stock_matrices(spec, cols)
    lf = livestock_factors(spec, cols)
    names = ["standing_land", *FLOW_TERMS, "livestock_ch4", "net_sink"]
    years = list(spec.years)
    if spec.accounting_end_year > spec.target_year:  # the accounting end year, land use held at the target year's
        years.append(spec.accounting_end_year)
    vals = np.zeros((len(years), 2, len(names), R))  # year × (annual, cumulative) × term × region
    for i, year in enumerate(years):
        for j, kind in enumerate(("annual", "cumulative")):
            part = {"standing_land": standing(spec, cols, year, kind, S)}
            for k, v in flow_terms(spec, cols, year, kind, S).items():
                part[k] = _by_region(v * y, fr, R)
            ch4 = _by_region(livestock_terms(spec, cols, year, kind, lf) * s, sr, R) if len(s) else np.zeros(R)
            part["livestock_ch4"] = STOCK_TERMS["livestock_ch4"][0] * ch4 + 0.0  # an emission: negative (+ 0.0: no −0)
            part["net_sink"] = sum(part.values())
            for n, term in enumerate(names):
                vals[i, j, n] = part[term]
    # rows (region, year, term), sorted as the index is sorted (regions, years and terms alphabetically)
    region_ids = [str(r) for r in grid.regions]
    ro, yo, to = np.argsort(region_ids, kind="stable"), np.argsort(years, kind="stable"), np.argsort(names, kind="stable")
    v = vals[yo][:, :, to][:, :, :, ro]  # year × kind × term × region, each axis sorted
    v = v.transpose(3, 0, 2, 1).reshape(-1, 2)  # (region, year, term) × kind
    index = pd.MultiIndex.from_product([[region_ids[k] for k in ro], [years[k] for k in yo], [names[k] for k in to]],
                                       names=["region", "year", "term"])
    out = pd.DataFrame(v, index=index, columns=["t_co2e_per_yr", "cumulative_t_co2e"])
    return out[["t_co2e_per_yr", "cumulative_t_co2e"]]


def account_by_land_use(spec: ModelSpec, cols: Columns, x: np.ndarray) -> pd.DataFrame:
    """What each land use contributes to the net removals, per region and milestone, indexed (region, land_use,
    year) with ``t_co2e_per_yr`` (annual rate in that year) and ``cumulative_t_co2e`` (from the baseline year).

    Standing land counts under its baseline use; a conversion cohort l → m counts wholly under the use it goes TO
    (m), its biomass lost and the flux and methane forgone of l included.  Livestock CH4 is not a land use and is
    left out: these values plus :func:`account`'s ``livestock_ch4`` add up to its ``net_sink`` for every (region, year).
    """
    grid = cols.grid
    R, L = len(grid.regions), len(grid.land_uses)
    flow = cols.tables["flow"]
    fcol = flow["col"].to_numpy()
    y = x[fcol]
    r, p, _ = grid.flow_codes(fcol)
    cell = r * L + grid.pair_to[p]  # (region, land use the cohort goes to)
    S = stock_matrices(spec, cols)
    years = list(spec.years)
    vals = np.zeros((2, R, L, len(years)))  # (annual, cumulative) × region × land use × year
    for i, year in enumerate(years):
        for j, kind in enumerate(("annual", "cumulative")):
            per_ha = sum(flow_terms(spec, cols, year, kind, S).values()) if len(y) else np.zeros(0)
            conv = np.bincount(cell, weights=per_ha * y, minlength=R * L).reshape(R, L) if len(y) else 0.0
            vals[j, :, :, i] = standing_by_land_use(spec, cols, year, kind, S) + conv
    index = pd.MultiIndex.from_product([[str(v) for v in grid.regions], [str(v) for v in grid.land_uses], years],
                                       names=["region", "land_use", "year"])
    out = pd.DataFrame({"t_co2e_per_yr": vals[0].ravel(), "cumulative_t_co2e": vals[1].ravel()}, index=index)
    return out.sort_index()


def reference_livestock(spec: ModelSpec, cols: Columns, x: np.ndarray) -> np.ndarray | None:
    """The herd of the reference pathway per livestock column: ``grazing.reference_livestock_su`` where given, else
    the plan's own herd (so that a blank column compares land-use decisions only)."""
    ls = cols.tables.get("livestock")
    if ls is None or ls.empty:
        return None
    own = x[ls["col"].to_numpy()]
    if "reference_livestock_su" not in spec.grazing.columns:
        return own
    ref = spec.grazing.set_index(["region", "year"])["reference_livestock_su"]
    r = ref.reindex(pd.MultiIndex.from_frame(ls[["region", "year"]])).to_numpy(dtype=float)
    return np.where(np.isnan(r), own, r)


def cohorts(spec: ModelSpec, cols: Columns, x: np.ndarray, tol: float = 1e-6) -> pd.DataFrame:
    """Every conversion cohort of the plan (region, from, to, period ending ``year``) with its area and, for each
    milestone, its cumulative net removals so far (t CO2e) and its annual rate then (t CO2e/yr); biomass stock
    (t C) of the cohort at each milestone shows its growth rule."""
    flow = cols.tables["flow"]
    y = x[flow["col"].to_numpy()]
    keep = y > tol
    out = flow.loc[keep, ["region", "from_land_use", "to_land_use", "year"]].reset_index(drop=True)
    out["area_ha"] = y[keep]
    S = stock_matrices(spec, cols)
    r, p, t = cols.grid.flow_codes(flow["col"].to_numpy())
    lost, B, lf = biomass_lost_share(spec, p), S["biomass_tC_per_ha"], cols.grid.pair_from[p]
    tau = periods(spec)["tau"].to_numpy()[t]
    for year in spec.years:
        cum = flow_terms(spec, cols, year, "cumulative", S)
        rate = flow_terms(spec, cols, year, "annual", S)
        out[f"removals_to_{year}_t_co2e"] = sum(v[keep] for v in cum.values()) * y[keep]
        out[f"rate_{year}_t_co2e_per_yr"] = sum(v[keep] for v in rate.values()) * y[keep]
        kept = (1.0 - lost) * B[r, lf] * (year >= tau)  # the old use's biomass left standing, from conversion on
        out[f"biomass_{year}_tC"] = (cum["biomass_growth"][keep] / TC_TO_TCO2 + kept[keep]) * y[keep]
    return out.set_index(["region", "from_land_use", "to_land_use", "year"])
