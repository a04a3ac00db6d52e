"""Solver backends behind one interface: both take a :class:`~landopt.model.build.LandModel` and return a
:class:`~landopt.backends.outcome.SolveOutcome` in landopt's row and column order.

* ``highs`` (:mod:`landopt.backends.highs`): the arrays straight to HiGHS; warm re-solves (:class:`WarmHighs`).
* ``pyomo`` (:mod:`landopt.backends.pyomo`): a standard Pyomo model made from the same arrays, read back by
  Pyomo's standard-form compiler and solved by HiGHS.
"""

from __future__ import annotations

import logging

from landopt.backends.outcome import SolveOutcome
from landopt.model.build import LandModel

log = logging.getLogger(__name__)

BACKENDS = ("auto", "pyomo", "highs")
#: ``auto`` builds a Pyomo model up to this many variables (every prefecture- or county-level plan: Tibet's 74
#: counties × 14 land uses × 3 milestones with their conversions are about 20,000) and goes straight to HiGHS above.
PYOMO_MAX_COLUMNS = 50_000


def choose_backend(lm: LandModel, backend: str = "auto") -> str:
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    if backend != "auto":
        return backend
    return "pyomo" if lm.n_cols <= PYOMO_MAX_COLUMNS else "highs"


def solve(lm: LandModel, backend: str = "auto", threads: int | None = None, keep_highs: bool = True,
          method: str | None = None) -> SolveOutcome:
    """Solve ``lm`` on the chosen backend (``auto``: Pyomo up to :data:`PYOMO_MAX_COLUMNS` variables, else HiGHS),
    then take the least-change plan among the equally good ones (:mod:`landopt.backends.least_change`)."""
    chosen = choose_backend(lm, backend)
    log.info("backend: %s (%s, %d variables)", chosen, "chosen automatically" if backend == "auto" else "as asked",
             lm.n_cols)
    from landopt.backends.least_change import least_change

    if chosen == "pyomo":
        from landopt.backends.pyomo import solve_pyomo_model, to_pyomo

        out = solve_pyomo_model(to_pyomo(lm), threads=threads, keep_highs=keep_highs, method=method)
    else:
        from landopt.backends.highs import solve_form

        out = solve_form(lm.standard_form(), lm.spec.settings, threads=threads, keep_highs=keep_highs, method=method)
    return least_change(lm, out, threads=threads)
