"""landopt: allocate land across use types per region and milestone year to maximise the net carbon sink.

Quick start::

    import landopt
    spec = landopt.read("inputs/tibet_2035.xlsx")      # read + validate (raises InputError listing every problem)
    result = landopt.optimize(spec)                     # build, solve with HiGHS (Pyomo or direct backend), extract
    result.allocation                                   # tidy DataFrame indexed by (region, land_use, year)
    landopt.write_plan(result, "outputs/plan.xlsx")     # planner-ready workbook, written atomically
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

from landopt.errors import InputError  # noqa: E402

if TYPE_CHECKING:  # pragma: no cover
    from landopt.api import optimize, read, solve_pyomo, to_pyomo, write_plan

__all__ = ["read", "optimize", "to_pyomo", "solve_pyomo", "write_plan", "InputError", "__version__"]


def __getattr__(name: str) -> Any:
    """``landopt.read`` & co. load the pipeline on first use, so ``import landopt.errors`` (and the command
    line's start, which handles SIGTERM from its first moment) stays light."""
    if name in ("read", "optimize", "to_pyomo", "solve_pyomo", "write_plan"):
        from landopt import api

        return getattr(api, name)
    raise AttributeError(f"module 'landopt' has no attribute '{name}'")
