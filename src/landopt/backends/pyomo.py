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
:func:`solve_pyomo` then reads the model *as it stands* with Pyomo's ``LinearStandardFormCompiler``, hands the
matrix to HiGHS in landopt's row and column order (landopt's rows first, then the user's), and returns a
:class:`~landopt.backends.outcome.SolveOutcome` whose values and duals are in landopt's order, so the same result
tables and plan workbook follow.  Because the matrix HiGHS receives is the one the direct backend hands over, both
backends reach the same vertex of the same LP.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.common.gc_manager import PauseGC
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from landopt.backends.highs import solve_form
from landopt.backends.outcome import SolveOutcome
from landopt.model.blocks import RowBlock
from landopt.model.build import LandModel
from landopt.model.columns import KEYS
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


def _block_rows(A: sp.csr_array, cols: list) -> Iterator[LinearExpression]:
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
        A = b.csr(lm.n_cols)
        A.sum_duplicates()
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


def standard_form(m: pyo.ConcreteModel, lm: LandModel) -> tuple[StandardForm, list]:
    """The Pyomo model as it now stands, in landopt's order: landopt's rows, then any rows the user added.

    Read with Pyomo's ``LinearStandardFormCompiler`` (public API).  A landopt row that was deactivated or deleted
    is kept in its place, empty and free (dual 0).  Fixed variables stay columns with both bounds at their value.
    Returns the form and the user-added rows as ``(name, position)`` pairs.
    """
    t0 = time.perf_counter()
    cols = column_vars(m, lm)
    n = len(cols)
    objectives = list(m.component_data_objects(pyo.Objective, active=True))
    if len(objectives) != 1:
        raise ValueError(f"the Pyomo model has {len(objectives)} active objectives; landopt solves a model with exactly one")
    fixed = [v for v in cols if v.fixed]
    for v in fixed:  # handed to HiGHS as columns with both bounds at the value (not substituted by the compiler)
        v.unfix()
    try:
        repn = LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=None, column_order=cols)
    finally:
        for v in fixed:
            v.fix()
    ours = {id(c) for c in cols}
    extra_vars = [v for v in repn.columns if id(v) not in ours]
    if extra_vars:
        raise ValueError(f"variable {extra_vars[0].name} was added to the Pyomo model; landopt solves only its own "
                         "variables (add land uses or conversions through the input tables)")
    # global position of every landopt row: its block's first row + its place among the block's keys
    where: dict[int, int] = {}
    first = 0
    for b in lm.blocks:
        if b.n == 0:
            continue
        comp = m.component(b.name)
        if comp is not None:
            for i, k in enumerate(row_keys(b)):
                if k in comp:
                    where[id(comp[k])] = first + i
        first += b.n
    m_ours = first
    kinds = np.fromiter((r.bound_type for r in repn.rows), dtype=np.int8, count=len(repn.rows))
    pos = np.empty(len(repn.rows), dtype=np.int64)
    extra: list = []
    for i, r in enumerate(repn.rows):
        p = where.get(id(r.constraint))
        if p is None:
            p = m_ours + len(extra)
            extra.append((r.constraint.name, p))
        pos[i] = p
    m_all = m_ours + len(extra)
    rhs = np.asarray(repn.rhs, dtype=float)
    row_lower, row_upper = np.full(m_all, -np.inf), np.full(m_all, np.inf)
    lower_side = kinds <= 0
    upper_side = kinds >= 0
    row_lower[pos[lower_side]] = rhs[lower_side]
    row_upper[pos[upper_side]] = rhs[upper_side]
    # matrix rows in global order (a row compiled twice, for its two sides, is placed once)
    A = sp.csr_array(repn.A)
    first_of = {}
    for i, p in enumerate(pos):
        first_of.setdefault(int(p), i)
    order = np.full(m_all, -1, dtype=np.int64)
    for p, i in first_of.items():
        order[p] = i
    present = order >= 0
    P = sp.csr_array((np.ones(int(present.sum())), (np.flatnonzero(present), order[present])),
                     shape=(m_all, A.shape[0]))
    A = (P @ A).tocsr()
    # columns: the compiler may drop columns in no row and not in the objective
    col_of = {id(v): j for j, v in enumerate(cols)}
    keep = np.fromiter((col_of[id(v)] for v in repn.columns), dtype=np.int64, count=len(repn.columns))
    Q = sp.csr_array((np.ones(len(keep)), (np.arange(len(keep)), keep)), shape=(len(keep), n))
    A = (A @ Q).tocsr()
    cvec = np.zeros(n)
    if repn.c.shape[0]:
        cvec[keep] = repn.c.toarray().ravel()
    offset = float(repn.c_offset[0]) if len(repn.c_offset) else 0.0
    if objectives[0].sense == pyo.minimize:  # HiGHS is told to maximise: minimise f as maximise -f
        cvec, offset = -cvec, -offset
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
    minimise = next(m.component_data_objects(pyo.Objective, active=True)).sense == pyo.minimize
    if out.optimal and minimise:
        out.objective = -out.objective
    m_ours = lm.n_rows
    if extra:
        out.extra_rows = pd.DataFrame({"constraint": [name for name, _ in extra],
                                       "activity": out.row_activity[m_ours:], "dual": out.dual[m_ours:]})
        out.row_activity, out.dual = out.row_activity[:m_ours], out.dual[:m_ours]
    if out.optimal:
        for v, val in zip(column_vars(m, lm), out.x):
            v.set_value(float(val), skip_validation=True)
    return out
