"""Build the land-allocation LP once, as labelled arrays (no solver, no Pyomo).

:func:`build` turns a validated :class:`~landopt.spec.ModelSpec` into a :class:`LandModel`:

* **columns** (:mod:`landopt.model.columns`): one table per variable kind (``area``, ``flow``,
  ``livestock``, ``grazed``, ``rested``) with the variable's keys and its global position;
* **row blocks** (:class:`~landopt.model.blocks.RowBlock`): one per constraint (``cropland_protection``,
  ``stock_flow`` …), each a table of rows (keys, right-hand side, the input sheet/row/column it came
  from) plus its coefficients in coordinate form;
* **objective terms** (:mod:`landopt.model.objective`): each term's contribution per unit of every column.

Both solver backends read these same arrays: :mod:`landopt.backends.highs` hands them to HiGHS through
its array API, :mod:`landopt.backends.pyomo` makes a standard Pyomo ``ConcreteModel`` from them.
Readable names such as ``cropland_protection[Lhasa,2035]`` and ``area[Lhasa,forest,2035]`` come from
the tables (:meth:`LandModel.row_table`, :meth:`LandModel.column_labels`).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from landopt.model.blocks import RowBlock
from landopt.model.columns import Columns, build_columns
from landopt.model.families import FAMILY_MODULES, MEANINGS
from landopt.model.objective import ObjectiveTerms, objective_terms
from landopt.model.standard_form import StandardForm, block_bounds
from landopt.reader import ROW
from landopt.schema.labels import input_column_label, input_unit_zh
from landopt.spec import ModelSpec

log = logging.getLogger(__name__)


from landopt.errors import ModelError  # noqa: E402  (one taxonomy: an InputError, exit 2)

#: a row's sense as a Chinese message says it
SENSE_ZH = {"<=": "不超过", ">=": "不低于", "==": "等于"}


@dataclass
class LandModel:
    """The LP as labelled arrays: what both backends solve and what the result tables are made from."""

    spec: ModelSpec
    columns: Columns
    blocks: list[RowBlock]
    terms: ObjectiveTerms
    build_seconds: float = 0.0
    _labels: np.ndarray | None = field(default=None, repr=False)
    _rows: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def n_rows(self) -> int:
        return sum(b.n for b in self.blocks)

    @property
    def n_cols(self) -> int:
        return self.columns.n

    def cost(self) -> np.ndarray:
        """Objective coefficient of every column (per unit of the column, in :attr:`objective_unit`; maximised)."""
        return self.terms.objective()

    @property
    def objective_unit(self) -> str:
        """'t CO2e' (stock change: cumulative net removals) or 't CO2e/yr' (flux accounting)."""
        return self.terms.unit

    def column_labels(self) -> np.ndarray:
        """Readable variable names in global column order, e.g. ``area[Lhasa,forest,2035]``."""
        if self._labels is None:
            self._labels = self.columns.labels()
        return self._labels

    def limit_part(self, x: np.ndarray) -> np.ndarray:
        """Per row (global order): the part of the requirement's limit that the plan ``x`` sets (its terms moved to
        the left-hand side, :attr:`RowBlock.limit`), so that limit = rhs + part and the requirement's own quantity
        = row activity + part; 0 where the limit is the right-hand side alone."""
        out = np.zeros(self.n_rows)
        x = np.asarray(x, dtype=float)
        start = 0
        for b in self.blocks:
            if b.limit is not None and b.n and b.limit.any():
                m = b.limit
                np.add.at(out, start + b.row[m], -b.coef[m] * x[b.col[m]])
            start += b.n
        return out

    def row_table(self) -> pd.DataFrame:
        """Every constraint row in global order: name, label, sense, rhs, unit, source sheet/row/column.

        Made once per model; each call returns a copy that the caller may extend.
        """
        if self._rows is None:
            self._rows = self._make_row_table()
        return self._rows.copy()

    def _make_row_table(self) -> pd.DataFrame:
        """The row table assembled column by column from the blocks (one frame at the end: a frame per block and a
        concat cost ten times more at the shipped size)."""
        bl = [b for b in self.blocks if b.n]
        if not bl:
            return pd.DataFrame()
        ns = [b.n for b in bl]

        def per_block(attr: str) -> np.ndarray:
            return np.repeat(np.array([getattr(b, attr) for b in bl], dtype=object), ns)

        cols: dict[str, Any] = {
            "constraint": per_block("name"),
            "family": per_block("family"),
            "label": np.concatenate([b.labels() for b in bl]),
            "sense": per_block("sense"),
            "rhs": np.concatenate([b.rows["rhs"].to_numpy(dtype=float) for b in bl]),
            "unit": per_block("unit"),
            "lever": per_block("lever"),
            "policy": np.repeat(np.array([bool(b.policy) for b in bl]), ns),
            "sheet": np.concatenate([b.rows["sheet"].to_numpy() for b in bl]),
            "row": np.concatenate([b.rows[ROW].to_numpy() for b in bl]),
            "column": np.concatenate([b.rows["column"].to_numpy() for b in bl]),
            "local": np.concatenate([np.arange(n) for n in ns]),
        }
        if any("per_input" in b.rows.columns for b in bl):  # rhs units per step of the input cell (Meaning.input_step)
            cols["per_input"] = np.concatenate([b.rows["per_input"].to_numpy(dtype=float) if "per_input" in b.rows.columns
                                                else np.full(b.n, np.nan) for b in bl])
        for k in ("region", "land_use", "year"):
            if k == "land_use" and any("land_use" not in b.rows.columns and "from_land_use" in b.rows.columns for b in bl):
                cols[k] = pd.Series(np.concatenate([_land_use_key(b) for b in bl]), dtype=object)
            elif all(k in b.rows.columns for b in bl):
                cols[k] = np.concatenate([b.rows[k].to_numpy() for b in bl])
            else:  # None where a block has no such key (a region-wide row has no region)
                cols[k] = pd.Series(np.concatenate([b.rows[k].to_numpy(dtype=object) if k in b.rows.columns
                                                    else np.full(b.n, None, dtype=object) for b in bl]), dtype=object)
        return pd.DataFrame(cols)

    def matrix(self):
        """The constraint matrix in global row/column order (scipy CSR), straight from the blocks."""
        import scipy.sparse as sp

        mats = [b.csr(self.columns.n) for b in self.blocks if b.n]
        return sp.vstack(mats, format="csr") if mats else sp.csr_array((0, self.columns.n))

    def standard_form(self) -> StandardForm:
        """The LP as HiGHS takes it: one CSR block per constraint, row and column bounds, costs (maximised).

        Every variable is non-negative with no upper bound; duplicate coefficients are summed.
        """
        t0 = time.perf_counter()
        n = self.columns.n
        mats, lowers, uppers = [], [], []
        for b in self.blocks:
            if b.n == 0:
                continue
            A = b.csr(n)
            A.sum_duplicates()
            lo, up = block_bounds(b.sense, b.rows["rhs"].to_numpy(dtype=float))
            mats.append(A)
            lowers.append(lo)
            uppers.append(up)
        form = StandardForm(row_blocks=mats,
                            row_lower=np.concatenate(lowers) if lowers else np.empty(0),
                            row_upper=np.concatenate(uppers) if uppers else np.empty(0),
                            col_lower=np.zeros(n), col_upper=np.full(n, np.inf), cost=self.cost(), offset=self.terms.constant())
        form.compile_seconds = time.perf_counter() - t0
        form.compiled_by = "arrays"
        return form


def _land_use_key(b: RowBlock) -> np.ndarray:
    """The land use a row is about: its ``land_use`` key, or ``from→to`` for a row on one conversion."""
    if "land_use" in b.rows.columns:
        return b.rows["land_use"].to_numpy(dtype=object)
    if "from_land_use" in b.rows.columns and "to_land_use" in b.rows.columns:
        return (b.rows["from_land_use"].astype(str) + "→" + b.rows["to_land_use"].astype(str)).to_numpy(dtype=object)
    return np.full(b.n, None, dtype=object)


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
        meaning = MEANINGS.get(b.name)
        noun_zh = f"“{meaning.noun_zh}”约束 " if meaning is not None and meaning.noun_zh else "约束 "
        unit_zh = input_unit_zh(b.unit)
        raise ModelError((f"{noun_zh}{b.labels()[i]} 要求{SENSE_ZH[b.sense]} {rhs[i]:,.2f} {unit_zh}，但没有任何地类或变量"
                          f"能满足该要求（工作表“{r['sheet']}”第 {int(r[ROW])} 行“{input_column_label(r['column'])}”列）",
                          f"{b.labels()[i]} requires {b.sense} {rhs[i]:,.2f} {b.unit} but no land use or variable can "
                          f"meet it (sheet '{r['sheet']}', row {int(r[ROW])}, column '{r['column']}')"))
    keep = np.flatnonzero(has)
    remap = -np.ones(b.n, dtype=np.int64)
    remap[keep] = np.arange(len(keep))
    b.rows = b.rows.iloc[keep].reset_index(drop=True)
    b.row = remap[b.row]
    return b


def build_blocks(spec: ModelSpec, cols: Columns) -> list[RowBlock]:
    """Every switched-on family's row blocks, in the registry's order."""
    blocks: list[RowBlock] = []
    for name, mod in FAMILY_MODULES.items():
        if getattr(mod, "SWITCHABLE", True) and not spec.family_on(name):
            log.info("constraint family %s is switched off", name)
            continue
        blocks.extend(_drop_empty_rows(b) for b in mod.blocks(spec, cols))
    return blocks


def build(spec: ModelSpec) -> LandModel:
    """Build the LP for ``spec`` as labelled arrays."""
    t0 = time.perf_counter()
    cols = build_columns(spec)
    blocks = build_blocks(spec, cols)
    terms = objective_terms(spec, cols)
    lm = LandModel(spec=spec, columns=cols, blocks=blocks, terms=terms)
    lm.build_seconds = time.perf_counter() - t0
    log.info("built model: %d variables, %d constraints in %.2f s", lm.columns.n, lm.n_rows, lm.build_seconds)
    return lm
