"""A row-wise sparse matrix on plain numpy arrays, for the one path that must not import scipy.

Why: once Pyomo is imported, importing scipy anywhere makes Pyomo's import hook load ``scipy.stats``,
``scipy.spatial`` and ``scipy.integrate`` too (about 0.6 s, none of it used by landopt).  The Pyomo backend
(``landopt solve`` on every prefecture-size plan) therefore builds and reads its matrices with :class:`CSR`,
which offers exactly what :mod:`landopt.backends.highs` and :class:`~landopt.model.standard_form.StandardForm`
use of a row block: ``shape``, ``nnz``, ``format``, ``indptr``/``indices``/``data``, ``copy`` and ``tocsr``.
Batch code that needs scipy's full matrix algebra calls :meth:`CSR.to_scipy` (scipy is imported then).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass
class CSR:
    """Compressed sparse rows: row ``i`` holds ``data[indptr[i]:indptr[i+1]]`` in columns ``indices[...]``."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    shape: tuple[int, int]
    format: str = "csr"

    @classmethod
    def from_coo(cls, row: np.ndarray, col: np.ndarray, val: np.ndarray, shape: tuple[int, int]) -> "CSR":
        """Entries ``(row, col, val)`` in any order, duplicates summed, zeros kept out; rows and columns sorted."""
        row, col = np.asarray(row, dtype=np.int64), np.asarray(col, dtype=np.int64)
        val = np.asarray(val, dtype=float)
        order = np.lexsort((col, row))
        row, col, val = row[order], col[order], val[order]
        if len(row):
            new = np.empty(len(row), dtype=bool)
            new[0] = True
            new[1:] = (row[1:] != row[:-1]) | (col[1:] != col[:-1])
            start = np.flatnonzero(new)
            val = np.add.reduceat(val, start)
            row, col = row[start], col[start]
            keep = val != 0.0
            row, col, val = row[keep], col[keep], val[keep]
        indptr = np.zeros(shape[0] + 1, dtype=np.int64)
        np.cumsum(np.bincount(row, minlength=shape[0]), out=indptr[1:])
        return cls(val, col.astype(np.int32), indptr, (int(shape[0]), int(shape[1])))

    @property
    def nnz(self) -> int:
        return len(self.data)

    def row_ids(self) -> np.ndarray:
        """The row of every stored entry."""
        return np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))

    def copy(self) -> "CSR":
        return CSR(self.data.copy(), self.indices.copy(), self.indptr.copy(), self.shape)

    def tocsr(self) -> "CSR":
        return self

    def __matmul__(self, x: np.ndarray) -> np.ndarray:
        return np.bincount(self.row_ids(), weights=self.data * np.asarray(x, dtype=float)[self.indices],
                           minlength=self.shape[0])

    def rmatvec(self, y: np.ndarray) -> np.ndarray:
        """:math:`A^\\top y`."""
        return np.bincount(self.indices, weights=self.data * np.asarray(y, dtype=float)[self.row_ids()],
                           minlength=self.shape[1])

    def to_scipy(self) -> Any:
        import scipy.sparse as sp

        return sp.csr_array((self.data, self.indices, self.indptr), shape=self.shape)


def as_scipy(B: Any) -> Any:
    """A row block as a scipy sparse matrix (a :class:`CSR` is converted; scipy matrices pass through)."""
    return B.to_scipy() if isinstance(B, CSR) else B


def transpose_times(B: Any, y: np.ndarray) -> np.ndarray:
    """:math:`B^\\top y` for a :class:`CSR` or a scipy matrix."""
    return B.rmatvec(y) if isinstance(B, CSR) else B.T @ y
