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

from landopt.model.blocks import Meaning, RowBlock, negative_terms, provenance, rows_from_column
from landopt.model.columns import Columns
from landopt.reader import ROW
from landopt.spec import ModelSpec

FAMILY = "transitions"
#: constraint -> its meaning in plain words: (noun, 中文, lever = one unit of the right-hand side, 中文, unit)
CONSTRAINTS: dict[str, Meaning] = {
    "conversion_rate": Meaning("conversion-rate limit", "地类转换速度上限", "ha of allowed conversion", "公顷允许转换面积", "ha"),
    "afforestation_limit": Meaning("afforestation potential", "宜林地造林潜力", "ha of afforestation potential", "公顷宜林地", "ha"),
}
RATE_KEYS = ("region", "from_land_use", "to_land_use", "year")


def conversion_rate_index(spec: ModelSpec, cols: Columns) -> pd.DataFrame:
    """Rows: every flow variable whose conversion has a ``max_pct_per_period``."""
    tr, flow, grid = spec.transitions, cols.tables["flow"], cols.grid
    R, P, T = len(grid.regions), len(tr), len(grid.years)
    pct = tr["max_pct_per_period"].to_numpy(dtype=float)
    # one region's rated flows (conversion, year) in column order; every region has the same
    rated = np.flatnonzero(~np.isnan(pct))
    pair, year = np.repeat(rated, T), np.tile(np.arange(T), len(rated))
    at = grid.per_region(pair * T + year, P * T)  # their rows in the flow table
    rows = flow[list(RATE_KEYS)].take(at).reset_index(drop=True)
    share = pct[pair] / 100.0
    base = grid.by_region_land_use(spec.baseline, "area_ha")[:, grid.pair_from[pair]]  # regions × rated flows
    rows["share"] = np.tile(share, R)
    rows["rhs"] = np.where(year == 0, share * base, 0.0).ravel()
    rows[ROW] = np.tile(tr[ROW].to_numpy()[pair], R)
    rows["col"] = flow["col"].to_numpy()[at]
    return provenance(rows, "transitions", "max_pct_per_period")


def conversion_rate_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`y_{r,l\\to m,t} - \\frac{p_{l,m}}{100} x_{r,l,t-1} \\le 0` (at the first milestone the baseline term moves to the right)"""
    grid = cols.grid
    n = len(rows)
    i = np.arange(n)
    reg, pair, year = grid.flow_codes(rows["col"].to_numpy())
    later = year > 0
    prev = grid.area_cols(reg[later], grid.pair_from[pair[later]], year[later] - 1)
    r = np.concatenate([i, i[later]])
    c = np.concatenate([rows["col"].to_numpy(), prev])
    v = np.concatenate([np.ones(n), -rows["share"].to_numpy()[later]])
    return r, c, v


def afforestation_limit_index(spec: ModelSpec) -> pd.DataFrame:
    return rows_from_column(spec.targets, "targets", "afforestation_potential_ha", ("region", "year"))


def afforestation_limit_rule(spec: ModelSpec, rows: pd.DataFrame, cols: Columns):
    """:math:`\\sum_{t'\\le t} \\sum_{u,f} y_{r,u\\to f,t'}`"""
    grid = cols.grid
    unused = grid.land_uses.get_indexer(spec.land_uses_with_role("unused"))
    forest = grid.land_uses.get_indexer(spec.land_uses_with_role("forest"))
    pairs = np.flatnonzero(np.isin(grid.pair_from, unused) & np.isin(grid.pair_to, forest))
    if rows.empty or len(pairs) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    # every (row, unused→forest conversion, milestone), kept for the milestones up to the row's year
    n, k, T = len(rows), len(pairs), len(grid.years)
    i = np.repeat(np.arange(n), k * T)
    pair = np.tile(np.repeat(pairs, T), n)
    year = np.tile(np.arange(T), n * k)
    reg = grid.region_codes(rows["region"])[i]
    keep = (reg >= 0) & (year <= grid.year_codes(rows["year"])[i])
    return i[keep], grid.flow_cols(reg[keep], pair[keep], year[keep]), np.ones(int(keep.sum()))


def blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    rate = conversion_rate_index(spec, cols)
    aff = afforestation_limit_index(spec)
    terms = conversion_rate_rule(spec, rate, cols)
    return [
        RowBlock("conversion_rate", FAMILY, "<=", RATE_KEYS, rate, *terms, limit=negative_terms(terms),
                 unit="ha", lever=CONSTRAINTS["conversion_rate"].lever),
        RowBlock("afforestation_limit", FAMILY, "<=", ("region", "year"), aff,
                 *afforestation_limit_rule(spec, aff, cols), unit="ha", lever=CONSTRAINTS["afforestation_limit"].lever),
    ]
