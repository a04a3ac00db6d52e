"""Maximally different near-optimal plans (modelling to generate alternatives, MGA).

Method: **Hop-Skip-Jump** (Brill et al. 1982, as in TEMOA's MGA) on the land conversions, with a seeded
**random-direction** fallback.  All solves run on the one warm HiGHS instance of
:class:`~landopt.analysis.nearopt.NearOptimal`, whose extra row keeps every plan's net sink at or above
:math:`z^* - s|z^*|`.

1. Start from the optimum :math:`x^0`; let :math:`S` be the conversion (flow) variables that are non-zero in it.
2. Alternative *k*: minimise :math:`\\sum_{j \\in S} x_j` — the land converted along the routes earlier plans
   used — within the slack; add the routes the new plan uses to :math:`S`.
3. Distance between two plans: the **area allocated differently** in the target year,
   :math:`d(a,b) = \\tfrac12 \\sum_{r,l} |a_{r,l,T} - b_{r,l,T}|` (ha): the hectares that sit in a different
   land use in one plan than in the other (each moved hectare counted once).
4. A new plan closer than ``min_distance`` (default 1 ha) to any earlier plan is not kept; the next attempt
   then maximises a random direction (standard normal weights on the target-year areas, seed ``seed + attempt``)
   instead.  At most ``3·K`` attempts are made.

Each alternative becomes a :class:`~landopt.results.PlanResult` (through :func:`landopt.results.extract`):
its objective is its own net sink; it carries no shadow prices (those of the exploring LP mean nothing for
the plan), which its message says.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from landopt.analysis.nearopt import NearOptimal
from landopt.model.build import LandModel
from landopt.report.brief import Names, names_of_spec
from landopt.results import PlanResult, extract

log = logging.getLogger(__name__)

#: How an alternative was found, Chinese first
METHOD_WORDS: dict[str, tuple[str, str]] = {"hop-skip-jump": ("逐次远离法", "hop-skip-jump"),
                                            "random direction": ("随机方向法", "random direction")}
NONZERO = 1e-6  #: a conversion above this (ha) counts as used
MIN_DISTANCE = 1.0  #: ha allocated differently below which two plans count as the same


@dataclass
class Alternative:
    name: str  # alternative_1 ...
    method: str  # 'hop-skip-jump' or 'random direction'
    result: PlanResult
    net_sink: float  # in the objective's unit (Alternatives.unit)
    gap: float  # z* − net sink, same unit
    gap_pct: float  # % of |z*|
    distance_ha: float  # area allocated differently from the optimum, target year
    distinguishes: str  # the largest differences from the optimum, in words

    def description(self) -> str:
        """One line on the plan, Chinese first: '逐次远离法；净碳汇比最优方案低 1.000%；… hop-skip-jump; 1.000% below …'."""
        zh, en = METHOD_WORDS.get(self.method, (self.method, self.method))
        return (f"{zh}；净碳汇比最优方案低 {self.gap_pct:.3f}%；与最优方案配置不同的面积 {self.distance_ha:,.0f} 公顷。 "
                f"{en}; {self.gap_pct:.3f}% below the optimum; {self.distance_ha:,.0f} ha allocated differently. "
                f"主要差异 main differences: {self.distinguishes}")


@dataclass
class Alternatives:
    optimum: PlanResult
    plans: list[Alternative]
    slack: float
    floor: float
    distances: pd.DataFrame = field(default_factory=pd.DataFrame)  # plan × plan, ha allocated differently
    attempts: int = 0
    unit: str = "t CO2e/yr"  # the objective's unit (stock-change accounting: t CO2e, cumulative over the horizon)

    @property
    def names(self) -> list[str]:
        return ["optimum"] + [p.name for p in self.plans]


def target_areas(lm: LandModel) -> tuple[pd.DataFrame, np.ndarray]:
    """The target-year area columns: (region, land_use) table and column positions."""
    area = lm.columns.tables["area"]
    sel = area["year"].to_numpy() == lm.spec.target_year
    return area.loc[sel, ["region", "land_use"]].reset_index(drop=True), area["col"].to_numpy()[sel]


def distance(a: np.ndarray, b: np.ndarray) -> float:
    """Area allocated differently (ha): half the L1 distance of two target-year allocations."""
    return 0.5 * float(np.abs(np.asarray(a) - np.asarray(b)).sum())


def describe(keys: pd.DataFrame, plan: np.ndarray, ref: np.ndarray, names: Names, top: int = 4) -> str:
    """The ``top`` largest target-year area differences from ``ref``, Chinese first, e.g.
    '那曲市 Nagqu 草地 grassland +12,000 公顷 ha; …'."""
    d = np.asarray(plan) - np.asarray(ref)
    order = np.argsort(-np.abs(d))[:top]
    parts = [f"{names.region(keys.at[i, 'region'])} {names.land_use(keys.at[i, 'land_use'])} {d[i]:+,.0f} 公顷 ha"
             for i in order if abs(d[i]) >= 0.5]
    return "; ".join(parts) if parts else "与最优方案相同 same as the optimum"


def mga(lm: LandModel, optimum: PlanResult, n: int, slack: float, min_distance: float = MIN_DISTANCE,
        seed: int = 0, threads: int | None = None) -> Alternatives:
    """``n`` near-optimal plans, pairwise at least ``min_distance`` ha apart, by Hop-Skip-Jump on the conversions."""
    if n < 1:
        raise ValueError(f"--n must be at least 1, not {n}")
    nx = NearOptimal(lm, slack, threads=threads)
    keys, acols = target_areas(lm)
    flows = lm.columns.tables["flow"]["col"].to_numpy()
    used = np.zeros(lm.columns.n, dtype=bool)
    used[flows[nx.optimum.x[flows] > NONZERO]] = True
    # the optimum as reported (the least-change plan among the optimal ones, docs/model.md §8.1), not the vertex the
    # near-optimal instance started from: distances are measured from the plan the user holds
    ty = int(lm.spec.target_year)
    reported = optimum.allocation["area_ha"].xs(ty, level="year") if not optimum.allocation.empty else None
    kept: list[np.ndarray] = [reported.reindex(pd.MultiIndex.from_frame(keys)).to_numpy(dtype=float)
                              if reported is not None else nx.optimum.x[acols]]
    names = names_of_spec(lm.spec)
    plans: list[Alternative] = []
    attempts = 0
    rng_fallback = False
    while len(plans) < n and attempts < 3 * n:
        attempts += 1
        if not rng_fallback and used.any():
            method, cost = "hop-skip-jump", -used.astype(float)  # maximise −Σ used = minimise the routes used before
        else:
            method = "random direction"
            cost = np.zeros(lm.columns.n)
            cost[acols] = np.random.default_rng(seed + attempts).standard_normal(len(acols))
        out = nx.extreme(cost)
        if not out.optimal:
            log.warning("alternative attempt %d (%s) ended %s", attempts, method, out.status)
            rng_fallback = True
            continue
        a = out.x[acols]
        nearest = min(distance(a, b) for b in kept)
        if nearest < min_distance:
            log.info("attempt %d (%s): %.3g ha from an earlier plan; trying a random direction", attempts, method,
                     nearest)
            rng_fallback = True
            continue
        used[flows[out.x[flows] > NONZERO]] = True
        name = f"alternative_{len(plans) + 1}"
        plan_out = nx.as_plan_outcome(out, name)
        res = extract(lm, plan_out, scenario=name, with_ranging=False)
        z = float(plan_out.objective)
        gap = nx.z_star - z
        plans.append(Alternative(name=name, method=method, result=res, net_sink=z, gap=gap,
                                 gap_pct=100.0 * gap / abs(nx.z_star) if nx.z_star else 0.0,
                                 distance_ha=distance(a, kept[0]), distinguishes=describe(keys, a, kept[0], names)))
        kept.append(a)
        rng_fallback = False
        log.info("%s (%s): net sink %.6g, %.1f ha from the optimum", name, method, z, plans[-1].distance_ha)
    if len(plans) < n:
        log.warning("found %d of %d alternatives %g ha apart in %d attempts", len(plans), n, min_distance, attempts)
    labels = ["optimum"] + [p.name for p in plans]
    D = np.array([[distance(a, b) for b in kept] for a in kept])
    return Alternatives(optimum=optimum, plans=plans, slack=slack, floor=nx.floor, unit=nx.unit,
                        distances=pd.DataFrame(D, index=labels, columns=labels), attempts=attempts)
