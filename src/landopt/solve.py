"""Solve a built model on either backend (see :mod:`landopt.backends`)."""

from __future__ import annotations

from landopt.backends import BACKENDS, PYOMO_MAX_COLUMNS, choose_backend, solve
from landopt.backends.highs import (INF, WarmHighs, choose_method, highs_started, new_highs, pass_to_highs, silence_banner,
                                    solve_form, solver_version)
from landopt.backends.outcome import MESSAGES, SolveOutcome
from landopt.model.standard_form import StandardForm

__all__ = ["BACKENDS", "PYOMO_MAX_COLUMNS", "INF", "MESSAGES", "SolveOutcome", "StandardForm", "WarmHighs",
           "choose_backend", "choose_method", "highs_started", "new_highs", "pass_to_highs", "silence_banner", "solve", "solve_form", "solver_version"]
