"""The constraint table of a solved plan: one row per constraint with its activity, slack, dual (shadow price),
whether it is at its limit, and its meaning in words ("One more ha of ... changes the cumulative net removals by ...",
or "adds at most ..." where the price holds only for a lower value); rows a user added in Pyomo after the model's own.

Used by :mod:`landopt.results` (``PlanResult.constraints``) and by the reports and diagnosis for their sentences.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from landopt.model.build import LandModel
from landopt.model.objective import UNIT
from landopt.solve import SolveOutcome


def where_text(region: Any, year: Any, land_use: Any = None, year_in_parens: bool = True) -> str:
    """'Lhasa forest (2035)' (or 'Lhasa forest 2035'): the place a constraint row is about, blanks left out."""
    parts = [str(p) for p in (region, land_use) if p is not None and p == p and str(p).strip()]
    s = " ".join(parts)
    if year is not None and year == year:
        y = int(year)
        s = (f"{s} ({y})" if year_in_parens else f"{s} {y}") if s else str(y)  # a region-wide row: 'in 2030'
    return s


def shadow_text(row: pd.Series) -> str:
    """'One more ha of urban development boundary in Lhasa (2035) changes the net sink by -12.3 t CO2e/yr'."""
    return _shadow_text(row['lever'], row.get('region'), row.get('year'), row.get('land_use'), row['shadow_price'])


def _shadow_text(lever: Any, region: Any, year: Any, land_use: Any, price: float, unit: str = UNIT) -> str:
    return f"One more {lever} in {where_text(region, year, land_use)} " + change_words(price, _what(unit), unit)


def _what(unit: str) -> str:
    return "the net sink" if unit == UNIT else "the cumulative net removals"


def change_words(price: float, what: str, unit: str, one_way: bool = False, signed: str | None = None,
                 magnitude: str | None = None) -> str:
    """What one more unit of a right-hand side does, in English: 'changes the net sink by +3.7 t CO2e/yr', or where
    the price holds only for a lower value (``one_way``) 'adds at most 3.7 t CO2e/yr to the net sink (the price holds
    only for a lower value; one more unit may gain less)' / 'takes at least ...'.  ``signed`` / ``magnitude``: the
    price as the caller writes numbers (default ``+,.4g`` / ``,.4g``).  The one sentence rule for the API's meanings
    and the workbook's bilingual sentences (:func:`landopt.report.i18n.shadow_sentence`)."""
    if not one_way:
        return f"changes {what} by {signed if signed is not None else f'{price:+,.4g}'} {unit}"
    a = magnitude if magnitude is not None else f"{abs(price):,.4g}"
    if price >= 0:
        return f"adds at most {a} {unit} to {what} (the price holds only for a lower value; one more unit may gain less)"
    return f"takes at least {a} {unit} from {what} (the price holds only for a lower value; one more unit may cost more)"


def price_holds_one_way(labels: Any, rhs: Any, rhs_ranging: pd.DataFrame | None) -> np.ndarray:
    """True for rows whose shadow price does not hold for one more unit of the right-hand side: the interval over
    which it holds (``rhs_ranging``) ends at the current value, so the plan is degenerate there and one more unit
    changes the objective by less than the price (at most the price, algebraically: the optimum is concave in the
    right-hand side).  False where no ranging is known."""
    labels = list(labels)
    if rhs_ranging is None or rhs_ranging.empty or not labels:
        return np.zeros(len(labels), dtype=bool)
    hi = rhs_ranging.drop_duplicates("label").set_index("label")["rhs_upper"].reindex(labels).to_numpy(dtype=float)
    b = np.asarray(rhs, dtype=float)
    return ~np.isnan(hi) & (hi - b <= 1e-9 * np.maximum(1.0, np.abs(b)))


def one_way_meanings(rows: pd.DataFrame, rhs_ranging: pd.DataFrame, unit: str) -> None:
    """Reword, in place, the meaning of rows whose price holds only for a lower right-hand side."""
    if rows.empty or "meaning" not in rows.columns or rhs_ranging is None or rhs_ranging.empty:
        return
    worded = (rows["meaning"] != "").to_numpy()
    one_way = price_holds_one_way(rows["label"], rows["rhs"], rhs_ranging) & worded
    if one_way.any():
        rows.loc[one_way, "meaning"] = _shadow_texts(rows[one_way], unit, one_way=True)


def _shadow_texts(rows: pd.DataFrame, unit: str = UNIT, one_way: bool = False) -> list[str]:
    """:func:`shadow_text` for every row of ``rows``, without building a Series per row.  ``one_way``: the price
    holds only for a lower right-hand side (:func:`price_holds_one_way`): one more unit adds *at most* the price,
    or costs *at least* it."""
    cols = [rows[c].tolist() if c in rows.columns else [None] * len(rows)
            for c in ("lever", "region", "year", "land_use", "shadow_price")]
    what = _what(unit)
    places: dict[tuple[Any, Any, Any], str] = {}  # rows of one place share its words (region-wide rows, every year)
    out = []
    for lever, region, year, land_use, price in zip(*cols):
        key = (region, year, land_use)
        place = places.get(key)
        if place is None:
            place = places[key] = where_text(region, year, land_use)
        at = f" in {place}" if place else ""
        out.append(f"One more {lever}{at} " + change_words(price, what, unit, one_way))
    return out


#: the family of a constraint a user added to the Pyomo model (landopt.to_pyomo → edit → landopt.solve_pyomo)
USER_FAMILY = "用户在 Pyomo 中添加 added in Pyomo"


def user_rows(extra: pd.DataFrame) -> pd.DataFrame:
    """Rows a user added to the Pyomo model, in the row table's columns: the Pyomo name as the label, the sense from
    the bounds (a ranged row is shown by the bound it sits nearer).  Provenance: the Python session (no input cell)."""
    lo, up = extra["lower"].to_numpy(dtype=float), extra["upper"].to_numpy(dtype=float)
    act = extra["activity"].to_numpy(dtype=float)
    both = np.isfinite(lo) & np.isfinite(up)
    sense = np.where(both & (lo == up), "==", np.where(np.isfinite(up) & (~both | (np.abs(act - up) <= np.abs(act - lo))),
                                                       "<=", ">="))
    rhs = np.where(sense == ">=", lo, up)
    names = extra["constraint"].astype(str).to_numpy()
    return pd.DataFrame({"constraint": "user_constraint", "family": USER_FAMILY, "label": names, "sense": sense,
                         "rhs": rhs, "unit": "", "lever": [f"unit of the right-hand side of {n}" for n in names], "policy": True,
                         "sheet": "Python (Pyomo)", "row": 0, "column": names, "local": np.arange(len(extra)),
                         "region": None, "land_use": None, "year": None})


def constraint_table(lm: LandModel, out: SolveOutcome) -> pd.DataFrame:
    """One row per constraint: the row table with the solution's ``activity`` (the row's left-hand side), ``slack``,
    ``dual`` / ``shadow_price``, ``binding`` and ``meaning``; and the requirement as a planner states it: ``limit``
    (the right-hand side plus the part of the limit the plan sets, e.g. a conversion-rate limit's share × the
    previous area, :meth:`LandModel.limit_part`) and ``value`` (the requirement's own quantity, e.g. the area
    converted).  Both equal ``rhs`` and ``activity`` where the limit is a number from the inputs."""
    rows, act, dual = lm.row_table(), out.row_activity, out.dual
    part = lm.limit_part(out.x) if len(rows) else np.zeros(0)
    extra = out.extra_rows
    if extra is not None and len(extra):  # constraints the user added to the Pyomo model, after the model's own
        rows = pd.concat([rows, user_rows(extra)], ignore_index=True)
        act = np.concatenate([act, extra["activity"].to_numpy(dtype=float)])
        dual = np.concatenate([dual, extra["dual"].to_numpy(dtype=float)])
        part = np.concatenate([part, np.zeros(len(extra))])
    if rows.empty:
        return rows
    return _with_solution(rows, act, dual, lm.objective_unit, part)


def _with_solution(rows: pd.DataFrame, act: np.ndarray, dual: np.ndarray, unit: str,
                   part: np.ndarray | None = None) -> pd.DataFrame:
    rows["activity"] = act
    part = np.zeros(len(rows)) if part is None else part
    rows["limit"] = rows["rhs"].to_numpy(dtype=float) + part
    rows["value"] = act + part
    rows["slack"] = np.where(rows["sense"] == "<=", rows["rhs"] - act, np.where(rows["sense"] == ">=", act - rows["rhs"], 0.0))
    tol = 1e-6 * np.maximum(1.0, np.abs(rows["rhs"].to_numpy()))
    rows["dual"] = dual
    rows["shadow_price"] = dual  # d(objective)/d(rhs), in the objective's unit per unit of rhs
    rows["binding"] = (rows["sense"] == "==") | (np.abs(rows["slack"]) <= tol)
    rows.loc[rows["sense"] == "==", "binding"] = np.abs(rows.loc[rows["sense"] == "==", "dual"]) > 1e-9
    rows["meaning"] = ""
    mask = rows["binding"] & rows["policy"]
    if mask.any():
        rows.loc[mask, "meaning"] = _shadow_texts(rows[mask], unit)
    return rows
