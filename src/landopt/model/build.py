"""Assemble the Pyomo model from the constraint blocks, in bulk.

Variables are flat-indexed Pyomo ``Var`` components, one per kind (``area``,
``flow``, ``livestock``, ``grazed``, ``rested``), whose ``VarData`` are made on first use
(:mod:`landopt.model.variables`); constraints are one
:class:`~landopt.model.rows.RowMatrix` component per block (``cropland_protection``,
...): a Pyomo constraint whose rows are the block's coefficient arrays as one sparse
matrix plus row bounds (no per-element ``Param`` objects, no expression object per
row).  The objective is a :class:`~landopt.model.variables.LinearObjective` (its
``LinearExpression`` made on first use).  Readable names such as
``cropland_protection[Lhasa,2035]`` come from the block tables:
``LandModel.row_table()`` and ``LandModel.column_labels()``.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from landopt.model.blocks import RowBlock
from landopt.model.columns import Columns, build_columns
from landopt.model.families import FAMILY_MODULES
from landopt.model.objective import ObjectiveTerms, objective_terms
from landopt.model.rows import RowList, RowMatrix
from landopt.model.variables import LinearObjective, VarList, add_flat_var
from landopt.reader import ROW
from landopt.spec import ModelSpec

log = logging.getLogger(__name__)


from landopt.errors import ModelError  # noqa: E402  (one taxonomy: an InputError, exit 2)


@dataclass
class LandModel:
    spec: ModelSpec
    model: pyo.ConcreteModel
    columns: Columns
    blocks: list[RowBlock]
    terms: ObjectiveTerms
    vardata: VarList = field(repr=False, default_factory=lambda: VarList([]))  # every column's VarData, made on access
    condata: Sequence = field(repr=False, default_factory=list)  # every row's ConstraintData, in global row order
    components: list = field(repr=False, default_factory=list)  # the RowMatrix of every non-empty block, in order
    build_seconds: float = 0.0
    _labels: np.ndarray | None = field(default=None, repr=False)
    _rows: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def n_rows(self) -> int:
        return sum(b.n for b in self.blocks)

    def column_labels(self) -> np.ndarray:
        """Readable variable names in global column order (made once; the model does not change after build)."""
        if self._labels is None:
            self._labels = self.columns.labels()
        return self._labels

    def row_table(self) -> pd.DataFrame:
        """Every constraint row in global order: name, label, sense, rhs, unit, source sheet/row/column.

        Made once per model; each call returns a copy that the caller may extend.
        """
        if self._rows is None:
            self._rows = self._make_row_table()
        return self._rows.copy()

    def _make_row_table(self) -> pd.DataFrame:
        parts = []
        for b in self.blocks:
            if b.n == 0:
                continue
            d = pd.DataFrame({
                "constraint": b.name,
                "family": b.family,
                "label": b.labels(),
                "sense": b.sense,
                "rhs": b.rows["rhs"].to_numpy(dtype=float),
                "unit": b.unit,
                "lever": b.lever,
                "policy": b.policy,
                "sheet": b.rows["sheet"].to_numpy(),
                "row": b.rows[ROW].to_numpy(),
                "column": b.rows["column"].to_numpy(),
                "local": np.arange(b.n),
            })
            for k in ("region", "land_use", "year"):
                d[k] = b.rows[k].to_numpy() if k in b.rows.columns else None
            parts.append(d)
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    def matrix(self):
        """The constraint matrix in global row/column order (scipy CSR), straight from the blocks."""
        import scipy.sparse as sp

        mats = [b.csr(self.columns.n) for b in self.blocks if b.n]
        return sp.vstack(mats, format="csr") if mats else sp.csr_array((0, self.columns.n))


def _to_oldest_generation() -> None:
    """Move the objects just made (they live as long as the model) to the collector's oldest generation.

    Otherwise, once collection resumes, Python's cyclic garbage collector walks the million or so new
    Pyomo objects three times as it promotes them generation by generation (about 0.45 s at a million
    variables) although none of them is garbage.  ``gc.freeze()`` followed by ``gc.unfreeze()`` moves
    every tracked object to the oldest generation without walking any (cyclic garbage among them is
    still found by the next full collection).  Skipped when the program uses the permanent generation
    itself (``gc.freeze()`` before a fork), which unfreezing would undo.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def _drop_empty_rows(b: RowBlock) -> RowBlock:
    """Rows with no variables: drop when trivially met, raise when they cannot be met."""
    if b.n == 0:
        return b
    has = np.zeros(b.n, dtype=bool)
    has[b.row] = True
    if has.all():
        return b
    rhs = b.rows["rhs"].to_numpy(dtype=float)
    ok = {"<=": rhs >= 0, ">=": rhs <= 0, "==": rhs == 0}[b.sense]
    bad = ~has & ~ok
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        r = b.rows.iloc[i]
        raise ModelError(f"{b.labels()[i]} requires {b.sense} {rhs[i]:,.2f} {b.unit} but no land use or variable can "
                         f"meet it (sheet '{r['sheet']}', row {int(r[ROW])}, column '{r['column']}')")
    keep = np.flatnonzero(has)
    remap = -np.ones(b.n, dtype=np.int64)
    remap[keep] = np.arange(len(keep))
    b.rows = b.rows.iloc[keep].reset_index(drop=True)
    b.row = remap[b.row]
    return b


def build_blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    blocks: list[RowBlock] = []
    for name, mod in FAMILY_MODULES.items():
        if getattr(mod, "SWITCHABLE", True) and not spec.family_on(name):
            log.info("constraint family %s is switched off", name)
            continue
        blocks.extend(_drop_empty_rows(b) for b in mod.blocks(spec, cols))
    return blocks


def _row_matrix(block: RowBlock, vardata: VarList, ncols: int) -> RowMatrix:
    """The block's rows as one :class:`~landopt.model.rows.RowMatrix` (CSR over all columns, duplicates summed)."""
    A = block.csr(ncols)
    A.sum_duplicates()
    rhs = block.rows["rhs"].to_numpy(dtype=float)
    free = np.full(block.n, np.inf)
    lower, upper = {"<=": (-free, rhs), ">=": (rhs, free), "==": (rhs, rhs)}[block.sense]
    return RowMatrix(A, lower, upper, vardata)


def build(spec: ModelSpec) -> LandModel:
    """Build the Pyomo model for ``spec``."""
    t0 = time.perf_counter()
    # Building creates millions of small Pyomo objects; Python's cyclic garbage collector would
    # rescan them over and over (the cost grows quadratically), so it is paused as Pyomo's own
    # writers do.
    with PauseGC():
        lm = _build(spec)
        _to_oldest_generation()
    lm.build_seconds = time.perf_counter() - t0
    log.info("built model: %d variables, %d constraints in %.2f s", lm.columns.n, lm.n_rows, lm.build_seconds)
    return lm


def _build(spec: ModelSpec) -> LandModel:
    cols = build_columns(spec)
    blocks = build_blocks(spec, cols)
    terms = objective_terms(spec, cols)
    m = pyo.ConcreteModel(name=spec.title)
    vardata = VarList([add_flat_var(m, kind, len(table)) for kind, table in cols.tables.items()])
    components: list[RowMatrix] = []
    for b in blocks:
        if b.n == 0:
            continue
        comp = _row_matrix(b, vardata, cols.n)
        m.add_component(b.name, comp)
        components.append(comp)
    m.net_sink = LinearObjective(terms.objective(), vardata, sense=pyo.maximize)
    return LandModel(spec=spec, model=m, columns=cols, blocks=blocks, terms=terms, vardata=vardata,
                     condata=RowList(components), components=components)
