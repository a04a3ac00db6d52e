"""Transition rules: only allowed conversions, at a limited pace, and afforestation within suitable land.

Forbidden conversions (pairs not listed, or listed with ``allowed = no`` on
sheet ``transitions``) have no flow variable at all, so they cannot happen.
Two constraints limit the allowed ones:

``conversion_rate[r,l,m,t]`` — at most a share of a land use converts to another per period

.. math::

    y_{r,l\\to m,t} \\le \\frac{p_{l,m}}{100}\\, x_{r,l,t-1}, \\qquad x_{r,l,t_0} = X^0_{r,l}

``afforestation_limit[r,t]`` — unused/sandy land becomes forest only on land suitable for afforestation

.. math::

    \\sum_{t' \\le t} \\sum_{u \\in L^{unused}} \\sum_{f \\in L^{forest}} y_{r,u\\to f,t'} \\le F^{aff}_{r,t}

=================  ===============  ==============================================================
symbol             unit             meaning
=================  ===============  ==============================================================
:math:`y`          ha               area converted in the period ending at milestone *t*
:math:`p_{l,m}`    % of from-area   ``transitions.max_pct_per_period``
:math:`F^{aff}`    ha               ``targets.afforestation_potential_ha`` (cumulative to year *t*)
=================  ===============  ==============================================================

Switching the family off drops both limits; the list of allowed conversions
always applies.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.model.blocks import RowBlock, provenance, rows_from_column
from landopt.model.columns import Columns
from landopt.reader import ROW
from landopt.spec import ModelSpec

FAMILY = "transitions"
RATE_KEYS = ("region", "from_land_use", "to_land_use", "year")


def conversion_rate_index(spec: ModelSpec, cols: Columns) -> pd.DataFrame:
    """Rows: every flow variable whose conversion has a ``max_pct_per_period``."""
    tr = spec.transitions.dropna(subset=["max_pct_per_period"])
    flow = cols.tables["flow"]
    rows = flow.merge(tr, on=["from_land_use", "to_land_use"], how="inner")
    first = rows["year"].to_numpy() == spec.years[0]
    base = spec.baseline.set_index(["region", "land_use"])["area_ha"]
    b = base.reindex(pd.MultiIndex.from_arrays([rows["region"], rows["from_land_use"]])).to_numpy()
    rows["share"] = rows["max_pct_per_period"].to_numpy() / 100.0
    rows["rhs"] = np.where(first, rows["share"] * b, 0.0)
    return provenance(rows[list(RATE_KEYS) + ["share", "rhs", ROW, "col"]], "transitions", "max_pct_per_period")


def conversion_rate_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`y_{r,l\\to m,t} - \\frac{p_{l,m}}{100} x_{r,l,t-1} \\le 0` (at the first milestone the baseline term moves to the right)"""
    n = len(rows)
    i = np.arange(n)
    year_pos = {y: k for k, y in enumerate(spec.years)}
    ypos = rows["year"].map(year_pos).to_numpy()
    later = ypos > 0
    prev = pd.DataFrame({
        "region": rows["region"].to_numpy()[later],
        "land_use": rows["from_land_use"].to_numpy()[later],
        "year": np.asarray(spec.years)[ypos[later] - 1],
    })
    r = np.concatenate([i, i[later]])
    c = np.concatenate([rows["col"].to_numpy(), cols.lookup("area", prev)])
    v = np.concatenate([np.ones(n), -rows["share"].to_numpy()[later]])
    return r, c, v


def afforestation_limit_index(spec: ModelSpec) -> pd.DataFrame:
    return rows_from_column(spec.targets, "targets", "afforestation_potential_ha", ("region", "year"))


def afforestation_limit_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`\\sum_{t'\\le t} \\sum_{u,f} y_{r,u\\to f,t'}`"""
    flow = cols.tables["flow"]
    unused, forest = spec.land_uses_with_role("unused"), spec.land_uses_with_role("forest")
    f = flow[flow["from_land_use"].isin(unused) & flow["to_land_use"].isin(forest)]
    if rows.empty or f.empty:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    pairs = rows[["region", "year"]].reset_index(names="row").merge(
        f[["region", "year", "col"]].rename(columns={"year": "fyear"}), on="region")
    pairs = pairs[pairs["fyear"] <= pairs["year"]]
    return pairs["row"].to_numpy(), pairs["col"].to_numpy(), np.ones(len(pairs))


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    rate = conversion_rate_index(spec, cols)
    aff = afforestation_limit_index(spec)
    return [
        RowBlock("conversion_rate", FAMILY, "<=", RATE_KEYS, rate, *conversion_rate_rule(spec, rate, cols),
                 unit="ha", lever="ha of allowed conversion"),
        RowBlock("afforestation_limit", FAMILY, "<=", ("region", "year"), aff,
                 *afforestation_limit_rule(spec, aff, cols), unit="ha", lever="ha of afforestation potential"),
    ]
