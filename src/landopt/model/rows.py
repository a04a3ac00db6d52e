"""A block of linear constraint rows stored as a sparse matrix inside the Pyomo model.

Each of landopt's constraints (``cropland_protection``, ``stock_flow``, ...) is one
:class:`RowMatrix` component: an indexed Pyomo ``Constraint`` (it is found by
``model.component_objects(Constraint)`` and has one ``ConstraintData`` per row,
with ``body``, ``lower``, ``upper``, ``expr``, ``active``, ``deactivate()``, and a
value for the current variable values) whose rows are held as one CSR matrix
over the model's variables and two arrays of row bounds, not as one expression
object per row.  It is Pyomo's ``MatrixConstraint`` (``pyomo.repn.beta.matrix``)
with what landopt's use of it needs:

* the row bounds are given as ``row_lower <= A x <= row_upper`` (``-inf`` / ``inf`` for
  a missing side; equal bounds are an equality row);
* ``expr`` gives the row as a Pyomo relational expression (made on demand), so that
  printing and code that reads ``constraint.expr`` work as for any constraint;
* ``lslack()`` / ``uslack()`` return the slacks;
* the rows are kept in a dict, as Pyomo's own indexed components keep theirs, and
  made on first use, so ``pprint()`` and ``model.clone()`` work (the beta class
  keeps a tuple, which both trip over);
* ``set_value`` says how to change a row instead (rows are fixed once built: change
  the input tables or a scenario, or deactivate the row).

Building a block makes no Python object per row (a row's ``ConstraintData`` is
made when it is first asked for); the hand-over to HiGHS
(:func:`landopt.solve.read_linear_model`) reads ``A``, ``row_lower`` and
``row_upper`` as they are, and which rows are deactivated (:meth:`RowMatrix.inactive_rows`).
"""

from __future__ import annotations

import operator
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from itertools import accumulate
from typing import Any

import numpy as np
from pyomo.core.expr.relational_expr import EqualityExpression, InequalityExpression, RangedExpression
from pyomo.repn.beta.matrix import MatrixConstraint, _LinearMatrixConstraintData


class RowData(_LinearMatrixConstraintData):
    """One row of a :class:`RowMatrix`."""

    __slots__ = ()

    def __init__(self, index: int, component: Any = None) -> None:
        super().__init__(index, component)
        self._expr = None  # unused (``expr`` is made from the matrix), but set: Pyomo's copying reads every slot

    @property
    def expr(self) -> Any:
        """The row as a relational expression: ``body == b``, ``body <= u``, ``l <= body`` or ``l <= body <= u``."""
        lower, upper, body = self.lower, self.upper, self.body
        if self.equality:
            return EqualityExpression((body, upper))
        if lower is not None and upper is not None:
            return RangedExpression((lower, body, upper), (False, False))
        if upper is not None:
            return InequalityExpression((body, upper), False)
        return InequalityExpression((lower, body), False)

    def get_value(self) -> Any:
        return self.expr

    def lslack(self) -> float:
        """``body - lower`` at the current variable values (``inf`` without a lower bound)."""
        return float("inf") if self.lower is None else float(self()) - float(self.lower)

    def uslack(self) -> float:
        """``upper - body`` at the current variable values (``inf`` without an upper bound)."""
        return float("inf") if self.upper is None else float(self.upper) - float(self())

    def set_value(self, expr: Any) -> None:
        raise NotImplementedError(
            f"{self.name}: landopt's constraint rows are stored as a matrix and cannot be rewritten one by one; "
            "change the input tables or a scenario override, or deactivate the row (its bound then no longer applies)")


class RowMatrix(MatrixConstraint):
    """Rows ``row_lower <= A @ x <= row_upper`` over ``variables`` (the model's variables in column order).

    ``A`` is a scipy CSR matrix (rows x len(variables)) with sorted column indices.  A row's
    ``ConstraintData`` is made when the row is first asked for (``component[i]``, iteration, ...), so
    building a block costs no Python object per row.
    """

    def __init__(self, A: Any, row_lower: np.ndarray, row_upper: np.ndarray, variables: Sequence[Any]) -> None:
        m, n = A.shape
        row_lower = np.asarray(row_lower, dtype=float)
        row_upper = np.asarray(row_upper, dtype=float)
        has_lower, has_upper = np.isfinite(row_lower), np.isfinite(row_upper)
        types = np.where(has_lower, MatrixConstraint.LowerBound, 0) | np.where(has_upper, MatrixConstraint.UpperBound, 0)
        types[has_lower & has_upper & (row_lower == row_upper)] = MatrixConstraint.Equality
        ranges = np.empty(2 * m)
        ranges[0::2], ranges[1::2] = row_lower, row_upper
        super().__init__(m, n, A.nnz, A.indptr, A.indices, A.data, ranges, types.astype(np.uint8), variables)
        self.A = A
        self.row_lower = row_lower
        self.row_upper = row_upper
        self.variables = variables

    def construct(self, data: Any = None) -> None:
        if self._constructed:
            return
        self._constructed = True
        self._data = {}  # row -> its ConstraintData, made when the row is first asked for

    def __getitem__(self, i: int) -> RowData:
        row = self._data.get(i)
        if row is None:
            if not (isinstance(i, (int, np.integer)) and 0 <= i < self.A.shape[0]):
                raise KeyError(f"{self.name} has no row {i!r} (rows 0 to {self.A.shape[0] - 1})")
            i = int(i)
            row = self._data[i] = RowData(i, component=self)
        return row

    def __len__(self) -> int:
        return self.A.shape[0]

    def inactive_rows(self) -> np.ndarray:
        """Positions of the rows that are deactivated (all of them if the component is).

        A row whose ``ConstraintData`` has never been asked for is active: rows are created active, and
        deactivating the component creates and deactivates every row.
        """
        if not self.active:
            return np.arange(self.A.shape[0])
        return np.array(sorted(i for i, row in self._data.items() if not row.active), dtype=np.int64)


class RowList(Sequence):
    """The rows of several :class:`RowMatrix` components in one global order (``ConstraintData`` made on access)."""

    def __init__(self, components: Sequence[RowMatrix]) -> None:
        self.components = list(components)
        self.starts = list(accumulate((c.A.shape[0] for c in self.components), initial=0))

    def __len__(self) -> int:
        return self.starts[-1]

    def __getitem__(self, i: int) -> RowData:  # type: ignore[override]
        k, local = locate(self.starts, i, "row")
        return self.components[k][local]

    def __iter__(self) -> Iterator[RowData]:
        for c in self.components:
            yield from map(c.__getitem__, range(c.A.shape[0]))


def locate(starts: Sequence[int], i: int, what: str) -> tuple[int, int]:
    """Part ``k`` and position within it of global position ``i`` (negative counts from the end), for parts
    that start at ``starts`` (``starts[-1]`` is the total); ``IndexError`` naming ``what`` when out of range."""
    i = operator.index(i)
    n = starts[-1]
    if i < 0:
        i += n
    if not 0 <= i < n:
        raise IndexError(f"{what} {i} out of range ({n} {what}s)")
    k = bisect_right(starts, i) - 1
    return k, i - starts[k]
