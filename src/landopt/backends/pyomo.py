"""The Pyomo backend: the model's arrays as a standard Pyomo ``ConcreteModel``, built with public Pyomo API only.

:func:`to_pyomo` makes

* one ``Var`` per variable kind, indexed by readable keys: ``m.area['Nyingchi', 'forest', 2035]``,
  ``m.flow['Lhasa', 'unused', 'forest', 2030]``, ``m.livestock['Nagqu', 2035]`` … (non-negative reals);
* one ``Constraint`` per constraint block, indexed by the block's row keys:
  ``m.cropland_protection['Lhasa', 2035]`` (a block whose keys repeat is indexed 0, 1, 2 …);
* one ``Objective`` ``m.net_sink`` (maximise).

It is an ordinary Pyomo model: ``pprint``, ``display``, ``write('plan.lp')``, ``clone``, transformations and any
``SolverFactory`` solver (with duals through ``m.dual = Suffix(direction=Suffix.IMPORT)``) work on it.  A user may
add constraints, fix or bound variables, deactivate constraints or replace the objective;
:func:`solve_pyomo` then reads the model *as it stands* — every row still the number × variable sum it was made as
from its public ``args``, any row the user wrote or changed with Pyomo's ``generate_standard_repn`` — hands the
matrix to HiGHS in landopt's row and column order (landopt's rows first, then the user's), and returns a
:class:`~landopt.backends.outcome.SolveOutcome` whose values and duals are in landopt's order, so the same result
tables and plan workbook follow.  Because the matrix HiGHS receives is the one the direct backend hands over, both
backends reach the same vertex of the same LP.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pyomo.core as pyo  # the modelling layer only; pyomo.environ (solver and writer plugins) is imported by api.to_pyomo
from pyomo.common.gc_manager import PauseGC
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression
from pyomo.repn.standard_repn import generate_standard_repn

from landopt.backends.highs import solve_form
from landopt.backends.outcome import SolveOutcome
from landopt.model.blocks import RowBlock
from landopt.model.build import LandModel
from landopt.model.columns import KEYS
from landopt.model.sparse import CSR
from landopt.model.standard_form import StandardForm

log = logging.getLogger(__name__)

#: Name of the plain attribute that ties a Pyomo model made by :func:`to_pyomo` to its landopt model.
LINK = "landopt_model"
OBJECTIVE = "net_sink"


def _keys(table: pd.DataFrame, names: tuple[str, ...]) -> list:
    """Index keys of a table's rows as Python values (tuples for several key columns)."""
    cols = [table[c].tolist() for c in names]
    cols = [[int(v) if isinstance(v, (np.integer,)) else v for v in c] for c in cols]
    return list(zip(*cols)) if len(cols) > 1 else cols[0]


def variable_keys(lm: LandModel) -> dict[str, list]:
    """Each variable kind's index keys, in global column order within the kind."""
    return {kind: _keys(t, KEYS[kind]) for kind, t in lm.columns.tables.items()}


def row_keys(b: RowBlock) -> list:
    """A block's row keys; positions 0..n-1 when the keys do not tell its rows apart."""
    keys = _keys(b.rows, b.keys)
    return keys if len(set(keys)) == len(keys) else list(range(b.n))


def column_vars(m: pyo.ConcreteModel, lm: LandModel) -> list:
    """The model's ``VarData`` in landopt's global column order."""
    out: list = []
    for kind, keys in variable_keys(lm).items():
        var = m.component(kind)
        out.extend(var[k] for k in keys)
    return out


def _linear(coefs: list, variables: list) -> LinearExpression:
    return LinearExpression([MonomialTermExpression((c, v)) for c, v in zip(coefs, variables)])


def _block_rows(A: Any, cols: list) -> Iterator[LinearExpression]:
    """Each row of ``A`` as a ``LinearExpression`` over ``cols`` (entries read as Python lists once per block)."""
    data, indices, indptr = A.data.tolist(), A.indices.tolist(), A.indptr.tolist()
    for lo, hi in zip(indptr[:-1], indptr[1:]):
        yield _linear(data[lo:hi], [cols[j] for j in indices[lo:hi]])


def to_pyomo(lm: LandModel) -> pyo.ConcreteModel:
    """A standard Pyomo ``ConcreteModel`` of ``lm`` (see the module docstring)."""
    with PauseGC():  # Pyomo's own scoped pause (as its writers do): no collector passes over the new objects
        return _to_pyomo(lm)


def _to_pyomo(lm: LandModel) -> pyo.ConcreteModel:
    t0 = time.perf_counter()
    m = pyo.ConcreteModel(name=lm.spec.title)
    for kind, keys in variable_keys(lm).items():
        dimen = len(KEYS[kind])
        m.add_component(f"{kind}_index", pyo.Set(initialize=keys, dimen=dimen, ordered=pyo.Set.InsertionOrder))
        m.add_component(kind, pyo.Var(m.component(f"{kind}_index"), domain=pyo.NonNegativeReals))
    cols = column_vars(m, lm)
    for b in lm.blocks:
        if b.n == 0:
            continue
        A = CSR.from_coo(b.row, b.col, b.coef, (b.n, lm.n_cols))
        rhs = b.rows["rhs"].to_numpy(dtype=float).tolist()
        keys = row_keys(b)
        if b.sense == "==":
            body = {k: e == r for k, e, r in zip(keys, _block_rows(A, cols), rhs)}
        elif b.sense == "<=":
            body = {k: e <= r for k, e, r in zip(keys, _block_rows(A, cols), rhs)}
        else:
            body = {k: e >= r for k, e, r in zip(keys, _block_rows(A, cols), rhs)}
        dimen = len(b.keys) if keys and isinstance(keys[0], tuple) else 1
        m.add_component(f"{b.name}_index", pyo.Set(initialize=keys, dimen=dimen, ordered=pyo.Set.InsertionOrder))
        m.add_component(b.name, pyo.Constraint(m.component(f"{b.name}_index"), rule=lambda _m, *k, _b=body: _b[k if len(k) > 1 else k[0]]))
    c = lm.cost()
    nz = np.flatnonzero(c)
    expr = _linear(c[nz].tolist(), [cols[j] for j in nz])
    constant = lm.terms.constant()
    if constant:
        expr = expr + constant
    m.add_component(OBJECTIVE, pyo.Objective(expr=expr, sense=pyo.maximize))
    setattr(m, LINK, lm)
    log.info("Pyomo model made: %d variables, %d constraints in %.2f s", lm.n_cols, lm.n_rows, time.perf_counter() - t0)
    return m


def landopt_model(m: pyo.ConcreteModel) -> LandModel:
    lm = getattr(m, LINK, None)
    if not isinstance(lm, LandModel):
        raise TypeError("this Pyomo model was not made by landopt.to_pyomo (it has no landopt model attached)")
    return lm


_NUMBER = (int, float)


def _plain_terms(expr: Any) -> tuple[list, list, float] | None:
    """``(variables, coefficients, constant)`` of an expression as :func:`to_pyomo` makes it — a
    ``LinearExpression`` of number × variable terms (and numbers) — read from its public ``args``; None for
    anything else (a row the user wrote or changed), which :func:`_linear_repn` reads with Pyomo's walker."""
    if type(expr) is not LinearExpression:
        return None
    variables, coefs, constant = [], [], 0.0
    for t in expr.args:
        if type(t) is MonomialTermExpression:
            a, v = t.args
            if type(a) not in _NUMBER or not v.is_variable_type():
                return None
            variables.append(v)
            coefs.append(float(a))
        elif type(t) in _NUMBER:
            constant += t
        else:
            return None
    return variables, coefs, float(constant)


def _linear_repn(expr: Any, what: Any) -> tuple[list, list, float]:
    """``(variables, coefficients, constant)`` of a linear expression: landopt's own rows straight from their terms
    (:func:`_plain_terms`), any other expression with Pyomo's public ``generate_standard_repn`` (fixed variables
    have been unfixed by the caller, so they stay variables).  ``what`` names the expression in an error (a
    constraint or objective, named only then: a Pyomo name costs a walk up the model)."""
    plain = _plain_terms(expr)
    if plain is not None:
        return plain
    repn = generate_standard_repn(expr, compute_values=True, quadratic=False)
    if not repn.is_linear():
        kind = "objective" if what.ctype is pyo.Objective else "constraint"
        raise ValueError(f"{kind} {what.name} is not linear; landopt solves linear programs only")
    return list(repn.linear_vars), [float(a) for a in repn.linear_coefs], float(repn.constant or 0.0)


def standard_form(m: pyo.ConcreteModel, lm: LandModel) -> tuple[StandardForm, list]:
    """The Pyomo model as it now stands, in landopt's order: landopt's rows, then any rows the user added.

    Every active constraint and the active objective are read with :func:`_linear_repn`: from the terms of an
    expression as :func:`to_pyomo` made it, else with Pyomo's public ``generate_standard_repn``
    (``pyomo.repn.standard_repn``) — not with ``LinearStandardFormCompiler``, whose first use makes Pyomo import
    ``scipy.stats`` and friends (about 0.6 s) that landopt never needs.  A landopt row that was deactivated or
    deleted is kept in its place, empty and free (dual 0).  Fixed variables stay columns with both bounds at their
    value.  Returns the form and the user-added rows as ``(name, position)`` pairs.
    """
    t0 = time.perf_counter()
    cols = column_vars(m, lm)
    n = len(cols)
    objectives = list(m.component_data_objects(pyo.Objective, active=True))
    if len(objectives) != 1:
        raise ValueError(f"the Pyomo model has {len(objectives)} active objectives; landopt solves a model with exactly one")
    col_of = {id(v): j for j, v in enumerate(cols)}
    fixed = [v for v in cols if v.fixed]
    # landopt's rows in their global order, then the user's
    ordered: list = []
    ours: set[int] = set()
    for b in lm.blocks:
        if b.n == 0:
            continue
        comp = m.component(b.name)
        for k in row_keys(b):
            c = comp[k] if comp is not None and k in comp else None
            ordered.append(c if c is not None and c.active else None)
            if c is not None:
                ours.add(id(c))
    extra: list = []
    for c in m.component_data_objects(pyo.Constraint, active=True, descend_into=True):
        if id(c) not in ours:
            extra.append((c.name, len(ordered)))
            ordered.append(c)
    m_all = len(ordered)
    row_lower, row_upper = np.full(m_all, -np.inf), np.full(m_all, np.inf)
    indptr = np.zeros(m_all + 1, dtype=np.int64)
    indices: list[int] = []
    data: list[float] = []
    for v in fixed:  # handed to HiGHS as columns with both bounds at the value (not folded into constants)
        v.unfix()
    try:
        for i, c in enumerate(ordered):
            if c is not None:
                variables, coefs, constant = _linear_repn(c.body, c)
                for v, a in zip(variables, coefs):
                    j = col_of.get(id(v))
                    if j is None:
                        raise ValueError(f"variable {v.name} was added to the Pyomo model; landopt solves only its own "
                                         "variables (add land uses or conversions through the input tables)")
                    indices.append(j)
                    data.append(a)
                lb, ub = c.lb, c.ub
                if lb is not None:
                    row_lower[i] = float(lb) - constant
                if ub is not None:
                    row_upper[i] = float(ub) - constant
            indptr[i + 1] = len(indices)
        obj = objectives[0]
        variables, coefs, offset = _linear_repn(obj.expr, obj)
    finally:
        for v in fixed:
            v.fix()
    cvec = np.zeros(n)
    for v, a in zip(variables, coefs):
        j = col_of.get(id(v))
        if j is None:
            raise ValueError(f"variable {v.name} was added to the Pyomo model; landopt solves only its own variables")
        cvec[j] += a
    if obj.sense == pyo.minimize:  # HiGHS is told to maximise: minimise f as maximise -f
        cvec, offset = -cvec, -offset
    rows_of = np.repeat(np.arange(m_all), np.diff(indptr))
    A = CSR.from_coo(rows_of, np.asarray(indices, dtype=np.int64), np.asarray(data, dtype=float), (m_all, n))
    lower, upper = np.zeros(n), np.full(n, np.inf)
    for j, v in enumerate(cols):
        if v.fixed:
            lower[j] = upper[j] = float(v.value)
            continue
        lb, ub = v.bounds
        lower[j] = -np.inf if lb is None else float(lb)
        upper[j] = np.inf if ub is None else float(ub)
    form = StandardForm(row_blocks=[A], row_lower=row_lower, row_upper=row_upper, col_lower=lower, col_upper=upper,
                        cost=cvec, offset=offset, compiled_by="pyomo")
    form.compile_seconds = time.perf_counter() - t0
    return form, extra


def solve_pyomo_model(m: pyo.ConcreteModel, threads: int | None = None, keep_highs: bool = True,
                      method: str | None = None) -> SolveOutcome:
    """Solve a Pyomo model made by :func:`to_pyomo` (possibly edited) with HiGHS; values back in landopt's order.

    The variable values are loaded into the Pyomo model too, so ``m.display()`` shows the plan.
    """
    lm = landopt_model(m)
    form, extra = standard_form(m, lm)
    out = solve_form(form, lm.spec.settings, threads=threads, keep_highs=keep_highs, method=method, backend="pyomo")
    ours = lm.cost()
    out.objective_replaced = not (np.allclose(form.cost, ours, rtol=1e-12, atol=1e-12)
                                  and np.isclose(form.offset, lm.terms.constant(), rtol=1e-12, atol=1e-9))
    minimise = next(m.component_data_objects(pyo.Objective, active=True)).sense == pyo.minimize
    if out.optimal and minimise:
        out.objective = -out.objective
    m_ours = lm.n_rows
    if extra:
        out.extra_rows = pd.DataFrame({"constraint": [name for name, _ in extra],
                                       "lower": form.row_lower[m_ours:], "upper": form.row_upper[m_ours:],
                                       "activity": out.row_activity[m_ours:], "dual": out.dual[m_ours:]})
        out.row_activity, out.dual = out.row_activity[:m_ours], out.dual[:m_ours]
    if out.optimal:
        for v, val in zip(column_vars(m, lm), out.x):
            v.set_value(float(val), skip_validation=True)
    return out
