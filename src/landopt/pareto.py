"""Trade-off curves: the epsilon-constraint frontier between the net carbon sink and a second objective.

Second objectives (all in the target year):

===================  ==========  =====================================================================
``--against``        unit        definition
===================  ==========  =====================================================================
``economic_output``  yuan/yr     :math:`\\sum_{r,l} v_l\\, x_{r,l,T}`, :math:`v_l` = ``land_uses.output_yuan_per_ha_yr``
``food``             t/yr        :math:`\\sum_{r,l} q_l\\, x_{r,l,T}`, :math:`q_l` = ``land_uses.food_t_per_ha_yr``
``livestock``        SU          :math:`\\sum_r s_{r,T}`
``cost``             yuan        public cost of the plan's measures over the horizon (as in ``budget``), minimised
===================  ==========  =====================================================================

Method: solve for the largest achievable second objective :math:`f^{max}`
and for the second objective at the carbon optimum :math:`f^{min}` (a
lexicographic solve, so that point is not dominated); then for
:math:`N` evenly spaced :math:`\\varepsilon \\in [f^{min}, f^{max}]`

.. math::

    \\max Z \\quad\\text{s.t.}\\quad f(x) \\ge \\varepsilon,

followed by a lexicographic step that maximises :math:`f` while keeping
:math:`Z` at its optimum (within 1e-9 relative), so every point is
non-dominated.  Each point keeps its allocation.

The net sink of each point (column ``net_sink``) is in the objective's own unit, :attr:`Frontier.sink_unit`:
't CO2e' cumulative over the horizon under stock-change accounting, 't CO2e/yr' under flux accounting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from landopt.model.build import LandModel, build
from landopt.backends.highs import INF, WarmHighs
from landopt.backends.outcome import MESSAGES
from landopt.errors import NoPlanError
from landopt.spec import ModelSpec

log = logging.getLogger(__name__)

_TOL = 1e-9  #: relative slack on the rows that hold an objective at its optimum

AGAINST = {"economic_output": "yuan/yr", "food": "t/yr", "livestock": "SU", "cost": "yuan"}


def second_objective(lm: LandModel, against: str) -> np.ndarray:
    """Coefficient vector of the second objective over all columns (target year)."""
    spec = lm.spec
    n = lm.columns.n
    f = np.zeros(n)
    if against == "livestock":
        t = lm.columns.tables.get("livestock")
        if t is None or t.empty:
            raise ValueError("no livestock in the model: the grazing sheet is empty or the grazing_balance family is off")
        sel = t["year"].to_numpy() == spec.target_year
        f[t["col"].to_numpy()[sel]] = 1.0
        return f
    if against == "cost":  # the public cost of the plan's measures over the horizon, as a saving to maximise
        from landopt.model.families.budget import cost_coefficients

        c = cost_coefficients(spec, lm.columns)
        if not c.any():
            raise ValueError("模型中没有任何成本：成本权衡需要填写 transitions.cost_yuan_per_ha 或 "
                             "grazing.rest_cost_yuan_per_ha_yr "
                             "no costs in the model: give transitions.cost_yuan_per_ha or grazing.rest_cost_yuan_per_ha_yr "
                             "for the cost trade-off")
        return -c
    col = {"economic_output": "output_yuan_per_ha_yr", "food": "food_t_per_ha_yr"}.get(against)
    if col is None:
        raise ValueError(f"--against must be one of: {', '.join(AGAINST)}")
    v = spec.land_uses.set_index("land_use")[col]
    if v.isna().all():
        what_zh = {"economic_output": "经济产出", "food": "粮食"}[against]
        raise ValueError(f"工作表“land_uses”的“{col}”列没有任何数值，而{what_zh}权衡需要该列 "
                         f"sheet 'land_uses' has no values in column '{col}', which the {against} trade-off needs")
    area = lm.columns.tables["area"]
    sel = area["year"].to_numpy() == spec.target_year
    f[area["col"].to_numpy()[sel]] = area.loc[sel, "land_use"].map(v).fillna(0.0).to_numpy(dtype=float)
    return f


@dataclass
class Frontier:
    against: str
    unit: str  # the second objective's unit
    points: pd.DataFrame  # point, epsilon, net_sink (in sink_unit), <against> (in unit), status
    allocations: pd.DataFrame  # (point, region, land_use): area_ha in the target year
    spec: ModelSpec
    sink_unit: str = "t CO2e/yr"  # the objective's unit (stock-change accounting: t CO2e, cumulative)

    def table(self) -> pd.DataFrame:
        """The points with each amount's unit in its header (for the console): 'net_sink (t CO2e)', 'food (t/yr)'."""
        return self.points.rename(columns={"epsilon": f"epsilon ({self.unit})", "net_sink": f"net_sink ({self.sink_unit})",
                                           self.against: f"{self.against} ({self.unit})"})


def _point(w: WarmHighs, cost: np.ndarray, offset: float = 0.0) -> tuple[str, float, np.ndarray]:
    """Re-solve the warm model for ``cost`` (cold retry on any non-optimal status): status, objective, x."""
    w.set_cost(cost, offset)
    out = w.solve()
    if not out.optimal:
        return out.status, float("nan"), np.array([])
    return "optimal", float(out.objective), out.x


def pareto(spec: ModelSpec, against: str, points: int = 5) -> Frontier:
    """The epsilon-constraint frontier on one warm HiGHS model (each re-solve starts from the previous basis)."""
    if points < 2:
        raise ValueError("--points must be at least 2")
    lm = build(spec)
    form = lm.standard_form()
    f = second_objective(lm, against)
    carbon = form.cost.copy()
    w = WarmHighs(form, {**spec.settings, "solver_method": "simplex"})
    st, fmax, _ = _point(w, f)
    if st != "optimal":
        raise NoPlanError(f"没有最优方案，无法绘制权衡曲线 no trade-off curve without an optimal plan: "
                          f"{MESSAGES.get(st, MESSAGES['error']).format(detail=st)}")
    # carbon optimum, then the best f at that optimum (lexicographic), so the first point is not dominated
    st, zmax, _ = _point(w, carbon, form.offset)
    idx_c = np.flatnonzero(carbon)
    zrow = w.add_row(zmax - _TOL * max(1.0, abs(zmax)) - form.offset, INF, idx_c, carbon[idx_c])
    st, fmin, _ = _point(w, f)
    w.set_row_bounds(zrow, -INF, INF)
    idx_f = np.flatnonzero(f)
    erow = w.add_row(fmin, INF, idx_f, f[idx_f])  # the epsilon row on f
    recs, allocs = [], []
    area = lm.columns.tables["area"]
    sel = area["year"].to_numpy() == spec.target_year
    acol = area["col"].to_numpy()[sel]
    for k, eps in enumerate(np.linspace(fmin, fmax, points)):
        w.set_row_bounds(erow, float(eps) - _TOL * max(1.0, abs(eps)), INF)
        st, z, x = _point(w, carbon, form.offset)
        if st == "optimal":
            w.set_row_bounds(zrow, z - _TOL * max(1.0, abs(z)) - form.offset, INF)
            st2, _, x2 = _point(w, f)
            w.set_row_bounds(zrow, -INF, INF)
            if st2 == "optimal":
                x = x2
            second = float(f @ x)
            recs.append({"point": k + 1, "epsilon": -float(eps) if against == "cost" else float(eps),
                         "net_sink": float(carbon @ x + form.offset),
                         against: -second if against == "cost" else second, "status": st})
            a = area.loc[sel, ["region", "land_use"]].copy()
            a["area_ha"] = x[acol]
            a.insert(0, "point", k + 1)
            allocs.append(a)
        else:
            recs.append({"point": k + 1, "epsilon": -float(eps) if against == "cost" else float(eps),
                         "net_sink": np.nan, against: np.nan, "status": st})
        log.info("pareto point %d/%d: %s", k + 1, points, st)
    log.info("pareto: %d warm re-solves, %d retried from scratch", w.solves, w.cold_retries)
    pts = pd.DataFrame(recs)
    al = pd.concat(allocs, ignore_index=True).set_index(["point", "region", "land_use"]) if allocs else pd.DataFrame()
    return Frontier(against=against, unit=AGAINST[against], points=pts, allocations=al, spec=spec,
                    sink_unit=lm.objective_unit)
