"""Among equally good plans, the one that changes least: the second stage of every solve (``settings.tie_break``).

The net sink is the plan's one objective, and on the land-allocation LP many plans often reach the same maximum: a
sheep unit emits the same methane in every prefecture, PV on unused land costs no carbon anywhere, resting good or
degraded grassland meets the same ban/rest minimum.  A solver then returns whichever of those plans its algorithm
reaches first — herds that double in one prefecture and halve in the next from one milestone to the next, PV built
years before its target asks for it.  Such a plan is optimal but is not one a planner would sign.

So, once the maximum :math:`z^*` is known, the solve is run a second time: the net sink is held at its maximum and,
among the plans that reach it, the one is taken that changes least.

.. math::

    \\min_{x} \\; \\sum_{r,\\,l\\to m,\\,t} W_t\\, y_{r,l\\to m,t}
        \\;+\\; \\sum_{r,t} \\big| s_{r,t} - s_{r,t^-} \\big| \\;+\\; \\sum_t \\Big(\\sum_r S^{ref}_{r,t}\\Big) \\mu_t
        \\;+\\; \\sum_{r,t} \\Delta_t \\big(b_{r,t} - \\tfrac12 d_{r,t}\\big)
        \\;+\\; \\sum_t \\Big(\\sum_r A_{r,t}\\Big) \\nu_t
    \\qquad\\text{s.t. every row of the LP and}\\quad
    c^\\top x \\ge z^* \\quad (\\text{or } z^* - \\max(10^{-7}, 10^{-13}|z^*|)\\text{: see docs/model.md §8.1})

* **land kept in its use as long as the optimum allows** (不提前占用): each hectare converted in the period ending at
  milestone *t* counts :math:`W_t = T - t^{start}` years — the years from the start of its period to the target
  year *T* (16, 10 and 5 for Tibet's periods 2020–2025, 2026–2030, 2031–2035): a conversion the optimum needs by
  2035 is made in 2031–2035, not in 2020–2025, and no conversion the optimum does not need is made at all;
* **herds move least, and alike** (以草定畜, 稳定存栏, 减畜等比例分摊): the change of each region's livestock from one
  milestone to the next, in sheep units, and from its reference herd :math:`S^{ref}_{r,t_1}`
  (``grazing.reference_livestock_su`` of the first milestone's row; blank: no term) to the first milestone; and per
  milestone the largest share by which any region's herd departs from its reference,
  :math:`\\mu_t \\ge |s_{r,t} - S^{ref}_{r,t}| / S^{ref}_{r,t}`, weighted by the reference herds' total
  :math:`\\sum_r S^{ref}_{r,t}` — so a cut the region-wide requirement allows is shared in proportion to the
  reference herds (a region's floor or capacity permitting), not taken from whichever region the solver meets first;
* **no more grazing ban and rest than the optimum needs, and on degraded grassland first** (禁牧休牧优先安排在退化草地):
  each hectare rested counts :math:`\\Delta_t` (the years it is rested), each hectare of degraded grassland rested
  :math:`-\\Delta_t/2` — moving rest from good to degraded grassland lowers the sum, resting more does not.
* **PV spread over the prefectures by their PV-suitable land** (光伏按适宜用地等比例布局): per milestone the largest
  share of any region's PV-suitable land :math:`A_{r,t}` (``energy.pv_suitable_ha``) that its PV land
  :math:`P_{r,t}` takes, :math:`\\nu_t \\ge P_{r,t} / A_{r,t}`, weighted by the suitable land's total
  :math:`\\sum_r A_{r,t}` (hectares) — PV on unused land holds the same carbon everywhere, so the PV the targets ask
  for beyond the named bases' minimums is spread so that every region takes the same share of its suitable land
  (a region's base minimum or its 2019 PV permitting), not piled where the solver met it first.

The absolute values and maxima are made linear the usual way, one column :math:`u \\ge 0` per term with
:math:`u \\ge s_{r,t} - s_{r,t^-}` and :math:`u \\ge s_{r,t^-} - s_{r,t}`.  The three parts share one scale (hectare-years,
sheep units, hectare-years, hectares): they never trade against the net sink, which the first row holds, and rarely against
each other.

====================  ==========  =================================================================================
symbol                unit        meaning
====================  ==========  =================================================================================
:math:`z^*`           objective   the maximum of the first stage (the net sink, or the objective a user set)
:math:`c`             objective   the first stage's objective coefficients
:math:`W_t`           yr          years from the start of the period ending at *t* to the target year
:math:`y`             ha          area converted in a period (``m.flow``)
:math:`s`             SU          livestock (``m.livestock``)
:math:`b`             ha          grassland under grazing ban or rest (``m.rested``)
:math:`d`             ha          degraded grassland under grazing ban or rest (``m.rested_degraded``)
:math:`\\Delta_t`      yr          length of the period ending at *t*
:math:`S^{ref}_{r,t}` SU          reference herd of region *r* (``grazing.reference_livestock_su`` of row (r, t))
:math:`\\mu_t`        —           the largest share by which a herd of milestone *t* departs from its reference
:math:`P_{r,t}`       ha          PV land of region *r* at milestone *t* (``m.area`` of the land uses of role pv)
:math:`A_{r,t}`       ha          PV-suitable land of region *r* (``energy.pv_suitable_ha`` of row (r, t))
:math:`\\nu_t`        —           the largest share of a region's PV-suitable land its PV land takes at milestone *t*
====================  ==========  =================================================================================

The plan's tables and workbook show the second stage's plan; the objective reported is the first stage's maximum
(the second stage's plan reaches it to HiGHS's feasibility tolerance, 1e-7 absolute), and the shadow prices, reduced costs, ranging, the 1 %
relaxations and the ranges among equally good plans are the first stage's (the second stage's duals price the
tie-break, not the sink).  ``settings.tie_break = none`` skips the second stage (the solver's first optimal plan).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from landopt.model.build import LandModel

#: ``settings.tie_break``: ``least_change`` (the default) or ``none``
TIE_BREAKS = ("least_change", "none")
#: how far below its maximum the second stage holds the first stage's objective when the maximum itself, to the last
#: digit, is out of its reach (rounding: Tibet's 2.7e8 t CO2e): max(SLACK_ABS, SLACK·|z*|) — 1e-7 in the objective's
#: unit, or 1e-13 of it (2.7e-5 t CO2e on Tibet); used only then, as the second stage trades that sliver of sink
SLACK = 1e-13
SLACK_ABS = 1e-7


@dataclass
class LeastChange:
    """The second stage's terms over the model's columns: ``cost`` (minimised, one entry per column), the
    absolute-value terms ``|x[a] - x[b] - anchor|`` (``b`` = -1: ``|x[a] - anchor|``), each with weight 1, and per
    milestone the herds' largest relative deviation from their reference: ``shares`` = [(columns s_{r,t}, S^ref_{r,t})]
    for a column μ_t >= |s_{r,t} - S^ref_{r,t}| / S^ref_{r,t} of weight Σ_r S^ref_{r,t}; per milestone the largest
    share of PV-suitable land taken: ``spread`` = [([PV columns of each region r], A_{r,t})] for a column
    ν_t >= Σ_l x_{r,l,t} / A_{r,t} of weight Σ_r A_{r,t}."""

    cost: np.ndarray
    a: np.ndarray
    b: np.ndarray
    anchor: np.ndarray
    shares: list[tuple[np.ndarray, np.ndarray]]
    spread: list[tuple[list[np.ndarray], np.ndarray]] = field(default_factory=list)

    @property
    def n_abs(self) -> int:
        return len(self.a)


def least_change_terms(lm: LandModel) -> LeastChange:
    """The terms of :mod:`landopt.model.least_change` for the built model ``lm``."""
    spec, cols = lm.spec, lm.columns
    cost = np.zeros(lm.n_cols)
    start = {int(t): int(s) for t, s in zip(spec.years, [spec.baseline_year, *spec.years[:-1]])}
    target = int(spec.target_year)
    flow = cols.tables["flow"]
    if len(flow):
        w = np.array([max(target - start[int(t)], 0) for t in flow["year"]], dtype=float)
        cost[flow["col"].to_numpy()] += w
    for kind, weight in (("rested", 1.0), ("rested_degraded", -0.5)):  # no more rest than the optimum needs; within
        tab = cols.tables.get(kind)                                    # it, degraded grassland first
        if tab is not None and len(tab):
            cost[tab["col"].to_numpy()] += weight * np.array([int(t) - start[int(t)] for t in tab["year"]], dtype=float)
    a: list[int] = []
    b: list[int] = []
    anchor: list[float] = []
    shares: list[tuple[np.ndarray, np.ndarray]] = []
    stock = cols.tables.get("livestock")
    if stock is not None and len(stock):
        ref = _reference_herd(spec)
        for region, g in stock.sort_values("year").groupby("region", sort=False):
            prev = -1
            for year, col in zip(g["year"], g["col"]):
                if prev >= 0:
                    a.append(int(col)), b.append(prev), anchor.append(0.0)
                elif (region, int(year)) in ref:
                    a.append(int(col)), b.append(-1), anchor.append(ref[(region, int(year))])
                prev = int(col)
        for year, g in stock.groupby("year", sort=True):  # every herd of a milestone off its reference by one share
            keys = [(str(r), int(year)) for r in g["region"]]
            keep = np.array([k in ref and ref[k] > 0 for k in keys], dtype=bool)
            if keep.any():
                shares.append((g["col"].to_numpy()[keep].astype(np.int64),
                               np.array([ref[k] for k, ok in zip(keys, keep) if ok], dtype=float)))
    return LeastChange(cost=cost, a=np.array(a, dtype=np.int64), b=np.array(b, dtype=np.int64),
                       anchor=np.array(anchor, dtype=float), shares=shares, spread=_pv_spread(lm))


def _pv_spread(lm: LandModel) -> list[tuple[list[np.ndarray], np.ndarray]]:
    """Per milestone, the PV columns of each region with PV-suitable land (> 0) and that land: the ν_t terms."""
    spec = lm.spec
    pv = set(spec.land_uses_with_role("pv"))
    e = spec.energy
    if not pv or e is None or e.empty or "pv_suitable_ha" not in e.columns:
        return []
    area = lm.columns.tables["area"]
    area = area[area["land_use"].astype(str).isin(pv)]
    cols = {k: g["col"].to_numpy(dtype=np.int64) for k, g in area.groupby(["region", "year"], sort=False)}
    out = []
    for year, g in e.groupby("year", sort=True):
        keys = [(r, int(year)) for r in g["region"]]
        suit = g["pv_suitable_ha"].to_numpy(dtype=float)
        keep = [i for i, k in enumerate(keys) if k in cols and np.isfinite(suit[i]) and suit[i] > 0]
        if keep:
            out.append(([cols[keys[i]] for i in keep], suit[keep]))
    return out


def _reference_herd(spec) -> dict[tuple[str, int], float]:
    """(region, year) → the reference herd given on that grazing row (``reference_livestock_su``; blank: none)."""
    g = spec.grazing
    if g is None or g.empty or "reference_livestock_su" not in g.columns:
        return {}
    v = g["reference_livestock_su"]
    keep = v.notna()
    return {(str(r), int(t)): float(x) for r, t, x in zip(g.loc[keep, "region"], g.loc[keep, "year"], v[keep])}
