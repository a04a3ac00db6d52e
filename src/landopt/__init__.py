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

from landopt.api import optimize, read, solve_pyomo, to_pyomo, write_plan  # noqa: E402
from landopt.validate import InputError  # noqa: E402

__all__ = ["read", "optimize", "to_pyomo", "solve_pyomo", "write_plan", "InputError", "__version__"]
