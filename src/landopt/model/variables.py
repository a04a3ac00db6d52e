"""Flat-indexed Pyomo variables, and the objective over them, made on first use.

Each variable kind (``area``, ``flow``, ...) is one Pyomo ``Var`` over ``0 .. n-1`` with domain
``NonNegativeReals`` and no explicit bounds: to Pyomo and to the analyst it is the dense ``Var``
that ``Var(RangeSet(0, n - 1), domain=NonNegativeReals, dense=True)`` makes (``len``, ``in``,
indexing, iteration in index order, ``component_data_objects``, ``fix``/``setub`` on the
component, ``clone``, pickling), but a variable's ``VarData`` is only made when it is first asked
for, as :class:`~landopt.model.rows.RowMatrix` does for constraint rows.  The objective
(:class:`LinearObjective`) likewise makes its expression when first asked for.  Building and
solving a model with a million columns thus makes no ``VarData`` at all: the hand-over to HiGHS
reads the row matrices, the objective's cost vector and the bounds of the variables made so far.

A variable that has never been asked for is exactly as built: non-negative, no bounds, not fixed,
no value.  :meth:`VarList.made` lists the others, which is how the hand-over reads the column
bounds without making every ``VarData`` (:func:`landopt.solve.read_linear_model`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import accumulate, repeat
from typing import Any

import numpy as np
import pyomo.environ as pyo
from pyomo.core.base.objective import ObjectiveData, ScalarObjective
from pyomo.core.base.var import VarData
from pyomo.core.expr.numeric_expr import LinearExpression

from landopt.model.rows import locate


class LazyVarData(dict):
    """The ``_data`` dict of a flat ``Var``: index -> ``VarData``, each made on first access.

    To Pyomo it answers as the dict of a dense ``Var``: ``len`` is ``n``, every index ``0 .. n-1`` is
    ``in`` it, and its ``keys``/``values``/``items`` (which Pyomo's component-wide ``fix``, ``setlb``,
    ``domain = ...``, ``get_values`` ... go through) first make every missing ``VarData``, in index
    order.  ``d[i]`` makes the one ``VarData`` as a copy of a pristine template (what Pyomo made for
    index 0 at construction, never handed out), with its own index.
    """

    __slots__ = ("_n", "_template", "_in_order")

    def __init__(self, n: int, template: VarData) -> None:
        super().__init__()
        self._n = n
        self._template = template
        self._in_order = n == 0  # True when the dict holds every index, in index order

    def _position(self, i: Any) -> int | None:
        if isinstance(i, (int, np.integer)) and not isinstance(i, bool) and 0 <= i < self._n:
            return int(i)
        return None

    def __missing__(self, i: Any) -> VarData:
        j = self._position(i)
        if j is None:
            raise KeyError(i)
        return self.make([j])[0]

    def made(self) -> Iterator[tuple[int, VarData]]:
        """``(index, VarData)`` of the variables made so far (any other is still as built)."""
        return iter(dict.items(self))

    def make(self, indices: list[int]) -> list[VarData]:
        """The ``VarData`` of ``indices`` (distinct valid positions), the missing ones made in one pass."""
        get = dict.get
        found = [get(self, i) for i in indices]
        new = [i for i, v in zip(indices, found) if v is None]
        if new:
            tmpl = self._template
            made = list(map(type(tmpl).copy, repeat(tmpl, len(new))))
            for i, v in zip(new, made):
                v._index = i
            dict.update(self, zip(new, made))
            self._in_order = False
            found = [get(self, i) for i in indices]
        return found

    def fill(self) -> None:
        """Make every missing ``VarData`` and keep them in index order."""
        if self._in_order:
            return
        every = self.make(list(range(self._n)))
        dict.clear(self)
        dict.update(self, zip(range(self._n), every))
        self._in_order = True

    def __len__(self) -> int:
        return self._n

    def __contains__(self, i: object) -> bool:
        return self._position(i) is not None

    def get(self, i: Any, default: Any = None) -> Any:
        return self[i] if self._position(i) is not None else default

    def __iter__(self) -> Iterator[int]:
        self.fill()
        return dict.__iter__(self)

    def keys(self) -> Any:
        self.fill()
        return dict.keys(self)

    def values(self) -> Any:
        self.fill()
        return dict.values(self)

    def items(self) -> Any:
        self.fill()
        return dict.items(self)

    def __reduce__(self) -> tuple:
        # pickling and deep copies (``model.clone()``) carry only what has been made, plus the template
        return _restore, (type(self), self._n, self._template, dict(dict.items(self)))


def _restore(cls: type, n: int, template: VarData, made: dict) -> LazyVarData:
    d = cls(n, template)
    dict.update(d, made)
    d._in_order = list(made) == list(range(n))
    return d


def add_flat_var(m: pyo.ConcreteModel, name: str, n: int) -> pyo.Var:
    """Add ``m.<name>``, a non-negative ``Var`` indexed ``0 .. n-1`` whose ``VarData`` are made on first use."""
    comp = pyo.Var(pyo.RangeSet(0, n - 1), domain=pyo.NonNegativeReals, dense=False)
    m.add_component(name, comp)
    if n:
        template = comp[0]  # made (and its domain set) by Pyomo itself
        comp._data = LazyVarData(n, template)
    return comp


class VarList(Sequence):
    """The variables of several flat ``Var`` components in one global column order (made on access)."""

    def __init__(self, components: Sequence[pyo.Var]) -> None:
        self.components = list(components)
        self.starts = list(accumulate(map(len, self.components), initial=0))

    @property
    def _data(self) -> list[dict]:
        return [c._data for c in self.components]

    def __len__(self) -> int:
        return self.starts[-1]

    def __getitem__(self, j: int) -> VarData:  # type: ignore[override]
        k, local = locate(self.starts, j, "column")
        return self.components[k]._data[local]

    def take(self, cols: np.ndarray) -> list[VarData]:
        """The ``VarData`` of the given columns, in their order, the missing ones made in bulk per component."""
        cols = np.asarray(cols, dtype=np.int64)
        if len(cols) and (cols.min() < 0 or cols.max() >= len(self)):
            raise IndexError(f"a column is out of range ({len(self)} columns)")
        out = np.empty(len(cols), dtype=object)
        for k, d in enumerate(self._data):
            lo, hi = self.starts[k], self.starts[k + 1]
            where = np.flatnonzero((cols >= lo) & (cols < hi))
            if len(where):
                local, back = np.unique(cols[where] - lo, return_inverse=True)
                made = np.empty(len(local), dtype=object)
                made[:] = d.make(local.tolist())
                out[where] = made[back]
        return out.tolist()

    def __iter__(self) -> Iterator[VarData]:
        for d in self._data:
            if isinstance(d, LazyVarData):
                d.fill()
            yield from dict.values(d)

    def made(self) -> Iterator[tuple[int, VarData]]:
        """``(column, VarData)`` of the variables made so far; every other column is as built."""
        for k, d in enumerate(self._data):
            start = self.starts[k]
            for i, v in (d.made() if isinstance(d, LazyVarData) else dict.items(d)):
                yield start + i, v


class LinearObjective(ScalarObjective):
    """A Pyomo objective :math:`\\sum_j c_j x_j` over a :class:`VarList`, its expression made on first use.

    To Pyomo it is an ordinary scalar objective: ``expr``, ``value(obj)``, ``sense``, printing,
    ``set_value``, ``clone`` all work, and the expression (one ``LinearExpression`` with a term for
    every non-zero :math:`c_j`) is made the first time anything asks for it.  Until then no
    ``VarData`` need exist for the objective's columns.  :attr:`as_built` says whether the objective
    is still the one it was made with (an expression set on it with ``set_value`` or ``expr = ...``
    replaces it), so that the hand-over to HiGHS can take :attr:`cost` as it is.
    """

    def __init__(self, cost: np.ndarray, variables: VarList, sense: Any = pyo.maximize) -> None:
        self._lazy: tuple[np.ndarray, VarList] | None = None
        super().__init__()
        self._lazy = (np.asarray(cost, dtype=float), variables)
        self._sense_as_built = sense
        self.as_built = True

    def construct(self, data: Any = None) -> None:
        if self._constructed:
            return
        super().construct(data)
        self.set_sense(self._sense_as_built)  # an objective with its sense and an expression (made on first use)

    @property
    def cost(self) -> np.ndarray:
        """The cost vector the objective was made with (column order)."""
        assert self._lazy is not None
        return self._lazy[0]

    @property
    def variables(self) -> VarList:
        """The columns the cost vector is over."""
        assert self._lazy is not None
        return self._lazy[1]

    def __getstate__(self) -> Any:
        # pickling and deep copies (``model.clone()``) carry the objective as it is, without making it:
        # the copy makes its own from the copied variables when first asked for
        _READING_STATE.add(id(self))
        try:
            return super().__getstate__()
        finally:
            _READING_STATE.discard(id(self))

    def _made_args(self) -> tuple:
        args = _OBJECTIVE_ARGS.__get__(self)
        if args[0] is None and self.as_built and self._lazy is not None and id(self) not in _READING_STATE:
            c, variables = self._lazy
            nz = np.flatnonzero(c)
            args = (LinearExpression(linear_coefs=c[nz].tolist(), linear_vars=variables.take(nz)),)
            _OBJECTIVE_ARGS.__set__(self, args)
        return args

    def _set_args(self, args: tuple) -> None:
        _OBJECTIVE_ARGS.__set__(self, args)
        if getattr(self, "_lazy", None) is not None:
            self.as_built = False  # an expression set from outside replaces the one it was made with

    # Pyomo keeps a named expression's expression in the slot ``_args_``; every read of it (``expr``,
    # ``args``, evaluation, writers) goes through this property, which makes it when first read.
    _args_ = property(_made_args, _set_args)


_OBJECTIVE_ARGS = ObjectiveData._args_  # the slot itself
_READING_STATE: set[int] = set()  # objectives whose state is being read for a copy
