"""Drawing the samples: Latin hypercube or plain Monte Carlo, reproducible from the seed."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from landopt.sweep.parameters import UncertainParameter

METHODS = ("lhs", "mc")


def latin_hypercube(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """``n × k`` quantiles in [0, 1): in every column each of the ``n`` strata [i/n, (i+1)/n) holds exactly one."""
    u = np.empty((n, k))
    for j in range(k):
        u[:, j] = (rng.permutation(n) + rng.random(n)) / n
    return u


def draw_samples(params: Sequence[UncertainParameter], n: int, seed: int = 0, method: str = "lhs") -> pd.DataFrame:
    """``n`` samples of ``params`` (one column each, index ``sample_id`` = 1..n), reproducible from ``seed``."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    rng = np.random.default_rng(seed)
    k = len(params)
    u = latin_hypercube(n, k, rng) if method == "lhs" else rng.random((n, k))
    data = {p.name: p.ppf(u[:, j]) for j, p in enumerate(params)}
    return pd.DataFrame(data, index=pd.RangeIndex(1, n + 1, name="sample_id"), columns=[p.name for p in params])

