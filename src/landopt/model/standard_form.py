"""The LP in the form solvers take: row blocks, row bounds, column bounds and costs, in landopt's order."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from landopt.model.sparse import as_scipy, transpose_times

INF = float("inf")


def block_bounds(sense: str, rhs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row bounds ``lower <= a'x <= upper`` of rows ``a'x (sense) rhs``."""
    free = np.full(len(rhs), INF)
    return {"<=": (-free, rhs), ">=": (rhs, free), "==": (rhs, rhs.copy())}[sense]


@dataclass
class StandardForm:
    """The LP, maximised: ``max c'x + offset`` s.t. ``row_lower <= A x <= row_upper``, ``col_lower <= x <= col_upper``."""

    row_blocks: list  # the constraint matrix as CSR row blocks (scipy, or landopt.model.sparse.CSR), top to bottom (one per constraint)
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    cost: np.ndarray
    offset: float
    compile_seconds: float = 0.0
    compiled_by: str = ""  # 'arrays' (the built model) or 'pyomo' (a Pyomo model, read by Pyomo's compiler)
    _A: Any = field(default=None, init=False, repr=False)

    @property
    def n_cols(self) -> int:
        return len(self.cost)

    @property
    def n_rows(self) -> int:
        return len(self.row_lower)

    @property
    def A(self) -> Any:
        """The whole constraint matrix (rows x columns, scipy CSR), stacked from the row blocks on first use."""
        if self._A is None:
            import scipy.sparse as sp  # imported on use: see landopt.backends.pyomo (Pyomo's deferred scipy)

            blocks = [as_scipy(B) for B in self.row_blocks]
            self._A = (blocks[0] if len(blocks) == 1 else sp.vstack(blocks, format="csr")) if blocks \
                else sp.csr_array((0, len(self.cost)))
        return self._A

    def blocks_with_rows(self) -> Iterator[tuple[Any, slice]]:
        """Each row block with the slice of global rows it holds."""
        first = 0
        for B in self.row_blocks:
            yield B, slice(first, first + B.shape[0])
            first += B.shape[0]

    def activity(self, x: np.ndarray) -> np.ndarray:
        """Row activities :math:`Ax` (block by block, without stacking the matrix)."""
        parts = [B @ x for B, _ in self.blocks_with_rows()]
        return np.concatenate(parts) if parts else np.zeros(0)

    def reduced_costs(self, y: np.ndarray) -> np.ndarray:
        """Reduced costs :math:`c - A^\\top y` for row duals ``y``."""
        rc = np.array(self.cost, dtype=float)
        for B, rows in self.blocks_with_rows():
            rc -= transpose_times(B, y[rows])
        return rc
