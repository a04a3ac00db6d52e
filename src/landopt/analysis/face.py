"""What the objective leaves open: among all plans with the optimal net sink, how far the PV area and the herd of
each region can move.

The land-allocation LP is degenerate: on the shipped Tibet workbook PV on unused land holds the same carbon in every
prefecture, so *which* prefecture takes the province-wide PV target beyond the named bases' minimums does not change
the net sink, and neither does much of the herd's layout across prefectures once the region-wide herd binds.  The
solver returns one vertex; a planner must not read it as the only answer.  For every region and milestone this
module gives the least and greatest PV capacity (MW) and herd (sheep units) over the **optimal face**

.. math::

    \\{x \\text{ feasible}: c^\\top x + c_0 \\ge z^* - 10^{-9}\\,|z^*|\\}

(the near-optimal region of :mod:`landopt.analysis.nearopt` with a slack of 0; the hair of :math:`10^{-9}` relative —
0.5 t CO2e on Tibet — keeps the optimum itself feasible), each extreme on its own (two quantities generally cannot
both sit at their extremes in one plan).  The extremes are solved as one warm batch
(:class:`landopt.analysis.ranges.Search`); the plan sheets show them beside the plan's own figures.

Computed only where it is cheap: at most :data:`MAX_QUANTITIES` quantities (every prefecture- or county-level plan);
a larger model gets an empty table and a log line (use ``landopt ranges`` there).
"""

from __future__ import annotations

import logging
import time

import numpy as np
import pandas as pd

from landopt.model.build import LandModel
from landopt.model.standard_form import StandardForm

log = logging.getLogger(__name__)

MAX_QUANTITIES = 400  #: above this many (region, year) quantities the ranges are left to ``landopt ranges``
COLUMNS = ["kind", "region", "year", "unit", "plan", "min", "max"]


def equally_good_ranges(lm: LandModel, form: StandardForm | None = None) -> pd.DataFrame:
    """Per region and milestone: the PV capacity (``kind`` ``pv_mw``, MW) and the herd (``livestock_su``, SU) of the
    plan and their least and greatest values over the optimal face; empty when the model has neither, when it is
    too large (:data:`MAX_QUANTITIES`), or when the LP has no optimum.  ``form``: the LP that was solved (a Pyomo
    model as the user edited it), else the model's own."""
    import scipy.sparse as sp

    from landopt.analysis.nearopt import NearOptimal, NoOptimumError
    from landopt.analysis.ranges import Search
    from landopt.analysis.ranges import proven_bounds  # TODO-MERGE: ranges_bounds after the rfork merge

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
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    terms = pd.concat(parts, ignore_index=True)
    # one quantity per (kind, region, year): several PV land uses of a region add up
    q = terms.groupby(["kind", "region", "year", "unit"], sort=False).ngroup().to_numpy()
    table = terms.drop_duplicates(["kind", "region", "year", "unit"])[["kind", "region", "year", "unit"]]
    table = table.reset_index(drop=True)
    if len(table) > MAX_QUANTITIES:
        log.info("ranges among equally good plans skipped: %d quantities (more than %d; use landopt ranges)",
                 len(table), MAX_QUANTITIES)
        return pd.DataFrame(columns=COLUMNS)
    t0 = time.perf_counter()
    try:
        nx = NearOptimal(lm, 0.0, form=form)
    except NoOptimumError:
        return pd.DataFrame(columns=COLUMNS)
    Q = sp.csr_array((terms["coef"].to_numpy(dtype=float), (q, terms["col"].to_numpy())),
                     shape=(len(table), lm.columns.n))
    opt = np.asarray(Q @ nx.optimum.x, dtype=float)
    lo, hi = proven_bounds(nx.warm.form, Q)
    search = Search(Q=Q, proven_lo=lo, proven_hi=hi, lo=opt.copy(), hi=opt.copy())
    search.visit(nx.optimum.x)
    search.run(nx.batch(), np.arange(len(table)))
    low = np.where(search.at_lo, np.maximum(search.lo, lo), search.lo)
    high = np.where(search.at_hi, np.minimum(search.hi, hi), search.hi)
    table["plan"], table["min"], table["max"] = opt, np.minimum(low, opt), np.maximum(high, opt)
    log.info("ranges among equally good plans: %d quantities, %d LPs in %.3f s", len(table), search.solves,
             time.perf_counter() - t0)
    return table[COLUMNS]
