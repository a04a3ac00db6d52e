"""What relaxing a binding requirement by 1 % really adds: re-solved, for the measures a planner reads first.

The plan's brief ranks the binding policy requirements by what relaxing each by 1 % of its value would add to the
net sink.  The shadow price gives two bounds (:func:`relax_one_percent`): the price × the 1 %
step is an **upper** bound (the LP's value is concave in a requirement's value, so the gain per unit only falls), the
price × the part of the step inside its ranging interval a **lower** bound.  On the shipped Tibet workbook the two
can differ by a factor of 26 (the 2030 forest-cover target: 50.6 to 1,320.1 万吨), and neither is the answer.  This
module re-solves the LP with the requirement's limit moved by the 1 % step, one requirement at a time:

.. math::

    \\Delta_i = z^*(b + \\delta_i e_i) - z^*(b), \\qquad \\delta_i = \\operatorname{sign}(\\pi_i)\\, 0.01\\, |b_i|

(:math:`\\pi_i` the row's shadow price: a floor is lowered, a cap raised, an equality moved the way that adds sink;
both bounds of a ranged row move).  Each re-solve starts from the optimal basis with dual simplex (a change of
limits leaves the basis dual feasible), a few milliseconds on Tibet.

How the plan adjusts (:class:`Responses`): each re-solve also says what the plan does with the room, as the
change of the solution :math:`\\Delta x = x^*(b + \\delta_i e_i) - x^*(b)` read three ways — the area of each land use
in the requirement's milestone year summed over the regions (with the region where most of it happens), the other
decisions (livestock, grassland under grazing ban or rest, redevelopment) in that year, and each carbon term of the
objective (:math:`\\sum_j c^k_j w_j \\Delta x_j`, signed as it enters the net sink; the terms add up to
:math:`\\Delta_i`).  The re-solve starts from the plan's own basis, so this is how *this* plan adjusts; where the
plan is one of several equally good plans, another may adjust differently with the same gain.

Which rows: in the order of their upper bound, until the ``top`` best exact gains found are each at least the next
row's upper bound — no row not re-solved can then enter the top (its gain is at most its upper bound).  Only for
models up to :data:`MAX_COLUMNS` columns (every prefecture- or county-level plan) and within :data:`TIME_BUDGET_S`;
otherwise the rows keep their bounds only (logged).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

MAX_COLUMNS = 50_000  #: above this many columns the gains keep their bounds (each re-solve would cost seconds)
TIME_BUDGET_S = 3.0  #: stop re-solving after this long (the rows left keep their bounds)
TOP = 10  #: the brief shows 8 (workbook and PDF); the exact top is guaranteed for this many
RELAX_SHARE = 0.01  #: the relaxation compared: 1 % of the requirement's value
PRICE_TOL = 1e-7  #: a row whose |shadow price| is above this limits the net sink (binding, in the plan workbook's words)
COLUMNS = ["label", "gain_exact"]
#: :class:`Responses`: one row per (relaxed row, item that changed); ``what`` is ``area`` (item: a land use),
#: a variable kind (livestock, rested_degraded …; item: the kind) or ``term`` (item: a carbon term, year blank);
#: ``direct``: the relaxed row itself counts this item's variables of that year (what the requirement is about)
RESPONSE_COLUMNS = ["label", "what", "item", "year", "change", "unit", "region", "region_change", "region_share",
                    "direct"]
RESPONSE_TOL = 1e-7  #: a change below this share of the plan's largest value is solver noise, not a response


def relax_one_percent(b: pd.DataFrame, rhs_ranging: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """Upper and lower bounds on the net-sink gain of relaxing each row of ``b`` by :data:`RELAX_SHARE` of its value
    (see :func:`landopt.report.brief.binding_measures`): of its ``limit`` as the plan sets it where ``b`` has one
    (a conversion-rate limit: 1 % of share × the previous area), else of its ``rhs``.  Without ranging
    (``with_ranging=False``) the lower bound is NaN."""
    price = b["shadow_price"].to_numpy(dtype=float)
    rhs = b["rhs"].to_numpy(dtype=float)
    step = RELAX_SHARE * np.abs(b["limit"].to_numpy(dtype=float) if "limit" in b.columns else rhs)
    high = np.abs(price) * step
    low = np.full(len(b), np.nan)
    if rhs_ranging is not None and not rhs_ranging.empty and "label" in b.columns:
        rg = rhs_ranging.drop_duplicates("label").set_index("label")
        lo = rg["rhs_lower"].reindex(b["label"]).to_numpy(dtype=float)
        hi = rg["rhs_upper"].reindex(b["label"]).to_numpy(dtype=float)
        # the way that adds sink: down for a floor (price < 0), up for a cap (price > 0); an equality by its price
        room = np.where(price < 0, rhs - lo, hi - rhs)
        room = np.where(np.isnan(room), np.nan, np.maximum(room, 0.0))
        low = np.abs(price) * np.minimum(step, room)
    return high, low


def binding_rows(lm: Any, out: Any) -> pd.DataFrame:
    """The model's binding policy rows (|shadow price| > :data:`PRICE_TOL`) with their position in the LP, shadow
    price, value and the upper bound of their 1 % gain (``effect``), as :func:`exact_relax_gains` takes them."""
    t = lm.row_table()
    if t.empty or not out.optimal:
        return pd.DataFrame(columns=["label", "position", "shadow_price", "rhs", "limit", "effect"])
    price = np.asarray(out.dual, dtype=float)[: len(t)]
    keep = t["policy"].to_numpy(dtype=bool) & (np.abs(price) > PRICE_TOL)
    rhs = t["rhs"].to_numpy(dtype=float)[keep]
    rows = pd.DataFrame({"label": t["label"].to_numpy()[keep], "position": np.flatnonzero(keep),
                         "shadow_price": price[keep], "rhs": rhs, "limit": rhs + lm.limit_part(out.x)[keep],
                         "year": t["year"].to_numpy()[keep] if "year" in t.columns else None})
    rows["effect"] = relax_one_percent(rows, None)[0]
    return rows


def exact_relax_gains(out: Any, rows: pd.DataFrame, top: int = TOP,
                      lm: Any = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``label``, ``gain_exact``: the net-sink gain (the objective's unit) of relaxing each of the binding rows
    ``rows`` by 1 % of its value, re-solved, for the rows needed to know the ``top`` largest gains exactly; and with
    the model ``lm``, how the plan adjusts to each (:class:`Responses`, :data:`RESPONSE_COLUMNS`; else empty).

    ``rows``: one row per binding policy row with ``label``, ``position`` (its row in ``out.form``),
    ``shadow_price``, ``rhs``, ``limit`` (the rhs plus the part of the limit the plan sets) and ``effect`` (the upper
    bound, |price| × 1 % × |limit|): the row's rhs is moved by 1 % of its limit.  Empty when ``out`` has no
    optimum or no form, or the model is larger than :data:`MAX_COLUMNS`.  ``rows`` may carry
    the row's milestone ``year`` (the year whose areas the response lists; else the target year).
    """
    import highspy

    from landopt.backends.highs import new_highs, pass_to_highs

    form = out.form
    none = (pd.DataFrame(columns=COLUMNS), pd.DataFrame(columns=RESPONSE_COLUMNS))
    if rows.empty or not out.optimal or form is None:
        return none
    if form.n_cols > MAX_COLUMNS:
        log.info("1%% relaxations not re-solved: %d columns (more than %d); the brief shows their bounds",
                 form.n_cols, MAX_COLUMNS)
        return none
    t0 = time.perf_counter()
    h = new_highs()
    pass_to_highs(form, h)
    h.setOptionValue("solver", "simplex")
    h.setOptionValue("simplex_strategy", 1)  # dual simplex: new row limits leave the optimal basis dual feasible
    h.setOptionValue("presolve", "off")
    if out.highs is not None:  # from the optimal basis; a batch's run that kept no instance is solved again cold
        h.setBasis(out.highs.getBasis())
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        log.info("1%% relaxations not re-solved: the copy of the LP did not solve (%s)", h.modelStatusToString(h.getModelStatus()))
        return none
    z0 = float(h.getInfo().objective_function_value)
    x0 = np.asarray(h.getSolution().col_value, dtype=float) if lm is not None else None
    respond = Responses(lm) if lm is not None else None
    start = h.getBasis()
    responses: list[dict[str, Any]] = []
    years = order_years(rows, lm)
    order = rows.reindex(rows["effect"].abs().sort_values(ascending=False, kind="stable").index)
    found: list[tuple[str, float]] = []
    best: list[float] = []  # the exact gains found, largest first
    solves = failed = 0
    for label, pos, price, limit, upper in zip(order["label"], order["position"], order["shadow_price"],
                                               order["limit"], order["effect"]):
        if len(best) >= top and best[top - 1] >= abs(float(upper)):
            break  # no row left can enter the top: its gain is at most its upper bound
        if time.perf_counter() - t0 > TIME_BUDGET_S:
            log.info("1%% relaxations: time budget (%.0f s) spent after %d re-solves; the rest keep their bounds",
                     TIME_BUDGET_S, solves)
            break
        step = RELAX_SHARE * abs(float(limit))  # 1 % of the limit as the plan sets it, added to the row's rhs
        if step == 0.0:
            continue  # a limit of 0 has no 1 %
        i = int(pos)
        lo, up = float(form.row_lower[i]), float(form.row_upper[i])
        delta = step if price > 0 else -step
        h.changeRowBounds(i, lo + delta if np.isfinite(lo) else lo, up + delta if np.isfinite(up) else up)
        h.setBasis(start)
        h.run()
        solves += 1
        if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            gain = float(h.getInfo().objective_function_value) - z0
            found.append((str(label), gain))
            best = sorted([*best, gain], reverse=True)
            if x0 is not None:
                dx = np.asarray(h.getSolution().col_value, dtype=float) - x0
                responses += respond.records(dx, years[str(label)], str(label), scale=float(np.abs(x0).max(initial=1.0)),
                                             direct=row_columns(form, i))
        else:  # leave the row with its bounds
            failed += 1
        h.changeRowBounds(i, lo, up)
    log.info("1%% relaxations re-solved: %d rows (%d not optimal) in %.3f s", solves, failed, time.perf_counter() - t0)
    resp = pd.DataFrame(responses, columns=RESPONSE_COLUMNS) if responses else none[1]
    return pd.DataFrame(found, columns=COLUMNS), resp


def order_years(rows: pd.DataFrame, lm: Any) -> dict[str, int]:
    """The milestone year each row's response lists: the row's own year, else the target year."""
    if lm is None:
        return {}
    target = int(lm.spec.target_year)
    ys = rows["year"] if "year" in rows.columns else pd.Series([None] * len(rows))
    return {str(lab): int(y) if y is not None and y == y and str(y) != "" else target
            for lab, y in zip(rows["label"], ys)}


def row_columns(form: Any, i: int) -> np.ndarray:
    """The columns row ``i`` of the standard form counts (non-zero coefficients)."""
    for B, rows in form.blocks_with_rows():
        if rows.start <= i < rows.stop:
            k = i - rows.start
            return np.asarray(B.indices[B.indptr[k]:B.indptr[k + 1]], dtype=np.int64)
    return np.zeros(0, dtype=np.int64)


class Responses:
    """How the plan's solution moved (``dx``, one entry per column) in planners' terms (:data:`RESPONSE_COLUMNS`):
    per land use the area change in a year summed over the regions, with the region of the largest change and its
    share of the land use's gross change; the same for the other decisions of that year (livestock in sheep units,
    hectares of grassland grazed / rested, of degraded grassland rested, of land redeveloped); and the change of each
    carbon term of the objective (its unit, signed as the term enters the net sink).  Changes below
    :data:`RESPONSE_TOL` × ``scale`` (the plan's largest value) are left out as solver noise; an item with a column
    among ``direct`` (the relaxed row's columns) is marked ``direct``.  Made once per model: the column groups are
    found once, so a re-solve then costs a few array sums."""

    def __init__(self, lm: Any) -> None:
        from landopt.model.objective import ALL_TERMS

        self._parts: dict[int, list[tuple[str, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]] = {}
        for kind, table in lm.columns.tables.items():
            if kind == "flow" or table.empty or "year" not in table.columns:
                continue  # conversions show as the areas they change
            years = table["year"].to_numpy(dtype=np.int64)
            all_cols = table["col"].to_numpy()
            if kind == "area":
                all_codes, items = pd.factorize(table["land_use"])
            else:
                all_codes, items = np.zeros(len(table), dtype=np.int64), [kind]
            all_rcodes, regions = pd.factorize(table["region"])
            items, regions = np.asarray(items, dtype=object), np.asarray(regions, dtype=object)
            for y in np.unique(years):
                m = years == y
                self._parts.setdefault(int(y), []).append(
                    (kind, all_cols[m], all_codes[m], items, all_rcodes[m], regions))
        w = lm.terms.weight
        self._terms = [(name, ALL_TERMS[name][0] * coef * w) for name, coef in lm.terms.coef.items()]
        self._unit = lm.terms.unit

    def records(self, dx: np.ndarray, year: int, label: str = "", scale: float = 1.0,
                direct: np.ndarray | None = None) -> list[dict[str, Any]]:
        """The response to one re-solve, as :data:`RESPONSE_COLUMNS` records (a batch of re-solves makes one frame)."""
        tol = RESPONSE_TOL * max(scale, 1.0)
        parts: list[dict[str, Any]] = []
        for kind, cols, codes, items, rcodes, regions in self._parts.get(int(year), []):
            d = dx[cols]
            d = np.where(np.abs(d) > tol, d, 0.0)
            if not d.any():
                continue
            is_direct = np.isin(cols, direct) if direct is not None else np.zeros(len(cols), dtype=bool)
            total = np.bincount(codes, weights=d, minlength=len(items))
            gross = np.bincount(codes, weights=np.abs(d), minlength=len(items))
            for k in np.flatnonzero(np.abs(total) > tol):  # an item moved between regions only is no change
                mine = np.flatnonzero(codes == k)
                top = mine[np.argmax(np.abs(d[mine]))]
                parts.append({"label": label, "what": kind, "item": str(items[k]), "year": int(year), "change": float(total[k]),
                              "unit": "SU" if kind == "livestock" else "ha", "region": str(regions[rcodes[top]]),
                              "region_change": float(d[top]), "region_share": float(abs(d[top]) / gross[k]),
                              "direct": bool(is_direct[mine].any())})
        for name, c in self._terms:
            v = float(c @ dx)
            if abs(v) > tol:
                parts.append({"label": label, "what": "term", "item": name, "year": None, "change": v, "unit": self._unit,
                              "region": None, "region_change": np.nan, "region_share": np.nan, "direct": False})
        return parts
