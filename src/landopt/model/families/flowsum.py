"""Sums of conversion flows for the protection families (farmland, protection): not a family itself.

A row (region, year) — or (year) for a sum over every region — gets the terms
:math:`c \\sum_{p \\in P'} y_{r,p,t}` of the conversions ``pairs`` in the period ending at its year, or, with
``cumulative``, :math:`c \\sum_{t' \\le t} \\sum_{p \\in P'} y_{r,p,t'}` (everything converted from the baseline
year up to the row's milestone).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from landopt.model.columns import Columns, Grid

Terms = tuple[np.ndarray, np.ndarray, np.ndarray]


def pairs_between(grid: Grid, from_land_uses: Sequence[str], to_land_uses: Sequence[str]) -> np.ndarray:
    """Codes of the allowed conversions from any of ``from_land_uses`` to any of ``to_land_uses``."""
    src = grid.land_uses.get_indexer(list(from_land_uses))
    dst = grid.land_uses.get_indexer(list(to_land_uses))
    return np.flatnonzero(np.isin(grid.pair_from, src[src >= 0]) & np.isin(grid.pair_to, dst[dst >= 0]))


def flow_sum_terms(cols: Columns, rows: pd.DataFrame, pairs: np.ndarray, coef: float = 1.0,
                   cumulative: bool = False, land_use_of_row: np.ndarray | None = None) -> Terms:
    """Terms ``coef · Σ y`` of the conversions ``pairs`` for every row of ``rows``.

    ``rows`` has a ``year`` column and, unless the row sums over every region, a ``region`` column.  With
    ``land_use_of_row`` (a land-use code per row) only the conversions out of that land use count in that row.
    """
    grid = cols.grid
    empty = (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))
    n, k, T, R = len(rows), len(pairs), len(grid.years), len(grid.regions)
    if n == 0 or k == 0:
        return empty
    row_year = grid.year_codes(rows["year"].to_numpy())
    if "region" in rows.columns:
        owner, reg = np.arange(n), grid.region_codes(rows["region"])
    else:  # a row per year summing over every region: one copy of the row per region
        owner, reg = np.repeat(np.arange(n), R), np.tile(np.arange(R), n)
    m = len(owner)
    i = np.repeat(owner, k * T)
    rcode = np.repeat(reg, k * T)
    pair = np.tile(np.repeat(pairs, T), m)
    year = np.tile(np.arange(T), m * k)
    keep = (rcode >= 0) & (row_year[i] >= 0) & ((year <= row_year[i]) if cumulative else (year == row_year[i]))
    if land_use_of_row is not None:
        keep &= grid.pair_from[pair] == np.asarray(land_use_of_row)[i]
    return (i[keep], grid.flow_cols(rcode[keep], pair[keep], year[keep]),
            np.full(int(keep.sum()), float(coef)))
