"""What the objective leaves open: among all plans with the optimal net sink, how far the PV capacity and the herd
of each region can move.

The land-allocation LP is degenerate: on the shipped Tibet workbook PV on unused land holds the same carbon in every
prefecture, so *which* prefecture takes the province-wide PV target beyond the named bases' minimums does not change
the net sink, and neither does much of the herd's layout across prefectures once the region-wide herd binds.  The
solver returns one vertex; a planner must not read it as the only answer.  For every region and milestone this
module gives the least and greatest PV capacity (MW) and herd (sheep units) over the **optimal face** of the LP that
was solved

.. math::

    \\{x \\text{ feasible}: c^\\top x + c_0 \\ge z^* - 10^{-9}\\max(1, |z^*|)\\}

(the hair of :math:`10^{-9}` relative — 0.5 t CO2e on Tibet — keeps the optimum itself feasible), each extreme on
its own: two quantities generally cannot both sit at their extremes in one plan.

How: a second HiGHS instance gets the same LP, the optimal basis of the solve and the row above; every extreme is
a re-solve with primal simplex from that basis in which only the quantity's costs are set (about 2 ms each on Tibet,
84 of them).  No scipy on this path (``landopt solve`` on the Pyomo backend keeps scipy out: see
:mod:`landopt.backends.pyomo`).  Computed only where it is cheap: at most :data:`MAX_QUANTITIES` quantities (every
prefecture- or county-level plan); a larger model gets an empty table and a log line (use ``landopt ranges``).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np
import pandas as pd

from landopt.model.build import LandModel

log = logging.getLogger(__name__)

MAX_QUANTITIES = 400  #: above this many (region, year) quantities the ranges are left to ``landopt ranges``
EXACT = 1e-9  #: the optimal face keeps the net sink within this share of |z*| (at least 1e-9 of one unit)
COLUMNS = ["kind", "region", "year", "unit", "plan", "min", "max"]


def _quantities(lm: LandModel) -> pd.DataFrame:
    """One row per (kind, region, year) term: the column and its coefficient (PV: MW per ha; herd: 1)."""
    spec, tables = lm.spec, lm.columns.tables
    parts: list[pd.DataFrame] = []
    pv = spec.land_uses_with_role("pv")
    area = tables["area"]
    if pv and not spec.energy.empty:
        a = area[area["land_use"].isin(pv)]
        dens = dict(zip(zip(spec.energy["region"].astype(str), spec.energy["year"].astype(int)),
                        spec.energy["pv_mw_per_ha"].astype(float)))
        k = np.array([dens.get((str(r), int(y)), np.nan) for r, y in zip(a["region"], a["year"])])
        keep = np.isfinite(k)
        parts.append(pd.DataFrame({"kind": "pv_mw", "region": a["region"].astype(str).to_numpy()[keep],
                                   "year": a["year"].astype(int).to_numpy()[keep], "unit": "MW",
                                   "col": a["col"].to_numpy()[keep], "coef": k[keep]}))
    stock = tables.get("livestock")
    if stock is not None and not stock.empty:
        parts.append(pd.DataFrame({"kind": "livestock_su", "region": stock["region"].astype(str).to_numpy(),
                                   "year": stock["year"].astype(int).to_numpy(), "unit": "SU",
                                   "col": stock["col"].to_numpy(), "coef": 1.0}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def equally_good_ranges(lm: LandModel, out: Any) -> pd.DataFrame:
    """Per region and milestone: the PV capacity (``kind`` ``pv_mw``, MW) and the herd (``livestock_su``, SU) of the
    plan and their least and greatest values over the optimal face of ``out``'s LP (``out.form``, solved with its
    HiGHS instance ``out.highs``: a Pyomo model as the user edited it included).  Empty when the model has neither,
    when it is too large (:data:`MAX_QUANTITIES`), or when ``out`` has no optimum or no HiGHS instance."""
    import highspy

    from landopt.backends.highs import hold_objective, new_highs, pass_to_highs

    terms = _quantities(lm)
    if terms.empty or not out.optimal or out.highs is None or out.form is None:
        return pd.DataFrame(columns=COLUMNS)
    keys = ["kind", "region", "year", "unit"]
    group = terms.groupby(keys, sort=False).ngroup().to_numpy()
    table = terms.drop_duplicates(keys)[keys].reset_index(drop=True)
    if len(table) > MAX_QUANTITIES:
        log.info("ranges among equally good plans skipped: %d quantities (more than %d; use landopt ranges)",
                 len(table), MAX_QUANTITIES)
        return pd.DataFrame(columns=COLUMNS)
    t0 = time.perf_counter()
    form = out.form
    cols, coefs = terms["col"].to_numpy(dtype=np.int32), terms["coef"].to_numpy(dtype=float)
    plan = np.bincount(group, weights=coefs * out.x[cols], minlength=len(table))
    h = new_highs()
    pass_to_highs(form, h)
    h.setOptionValue("solver", "simplex")
    h.setOptionValue("simplex_strategy", 4)  # primal simplex: a change of costs leaves the basis primal feasible
    h.setOptionValue("presolve", "off")
    h.setBasis(out.highs.getBasis())
    z = float(out.objective)
    hold_objective(h, form, z - float(form.offset) - EXACT * max(1.0, abs(z)))
    n = form.n_cols
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.zeros(n))
    h.changeObjectiveOffset(0.0)
    start = h.getBasis()
    lo, hi = plan.copy(), plan.copy()
    solves = failed = 0
    for q in range(len(table)):
        mine = group == q
        c, a = cols[mine], coefs[mine]
        for sense in (1.0, -1.0):
            h.changeColsCost(len(c), c, sense * a)
            h.setBasis(start)
            h.run()
            solves += 1
            if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                v = sense * float(h.getInfo().objective_function_value)
                if sense > 0:
                    hi[q] = max(hi[q], v)
                else:
                    lo[q] = min(lo[q], v)
            else:  # leave the plan's own value as the extreme: the range is then at least this wide
                failed += 1
        h.changeColsCost(len(c), c, np.zeros(len(c)))
    table["plan"], table["min"], table["max"] = plan, lo, hi
    log.info("ranges among equally good plans: %d quantities, %d LPs (%d not optimal) in %.3f s", len(table), solves,
             failed, time.perf_counter() - t0)
    return table[COLUMNS]
