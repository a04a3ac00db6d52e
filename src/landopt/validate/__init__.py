"""Validate raw input tables and resolve them into a :class:`~landopt.spec.ModelSpec`.

Every check runs; all problems are collected and reported together, each naming the sheet, the
spreadsheet row, the column, the offending value and what was expected (in the spirit of pandera's
``lazy=True``).  The package: :mod:`.cells` (cell conversion), :mod:`.settings` (the settings sheet),
:mod:`.cross` (cross-sheet checks and warnings), :mod:`.build` (check, spec building).
"""

from __future__ import annotations

from landopt.errors import InputError, Problem
from landopt.validate.build import check, check_all, load_spec, resolve
from landopt.validate.cells import blank, floats, to_float, to_id
from landopt.validate.settings import split_list

# the names other modules imported before the split (sweep.py); new code uses the public names
_blank, _to_float = blank, to_float

__all__ = ["InputError", "Problem", "check", "check_all", "load_spec", "resolve", "blank", "floats", "to_float",
           "to_id", "split_list"]
