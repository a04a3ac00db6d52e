"""Scenario sweeps and Monte Carlo / Latin-hypercube sampling of uncertain parameters.

``landopt sweep INPUT --samples N`` draws ``N`` values of every uncertain
parameter (sheet ``uncertainty`` of the workbook, or ``--ranges FILE.csv``),
crosses them with the scenarios named by ``--scenarios`` and solves every
(scenario, sample) pair: the overrides of the scenario, then the sample's
values as ``set`` (or ``scale`` / ``add``) overrides, then validation, build,
solve.  Sample 0 of every scenario is its *base run* (no sampled values).

Runs go through one code path whatever the engine: a
:class:`concurrent.futures.Executor` -- a local process pool by default
(one HiGHS thread per worker) or a Dask distributed cluster
(``scheduler="tcp://host:port"``, via ``Client.get_executor()``).  Workers
receive the input (a path, or the raw tables) and the run's overrides, and
return a small record (a dict of numbers and strings).  Samples are drawn up
front in the parent from the seed and records are sorted by run id, so a
sweep gives the same records for the same seed on any executor and any
number of workers.

Faults: a run that is infeasible, invalid or raises is recorded with its
status and message and the sweep goes on; a run whose worker process dies is
retried (at most :data:`MAX_ATTEMPTS` attempts).  Every finished record is
appended to a checkpoint (``<out>.partial.jsonl``, flushed and fsynced per
record); ``resume=True`` reuses the checkpointed records and runs only the
rest.

Warm runs: a worker keeps the model it solved last and, when the next run changes only costs, right-hand
sides or coefficients (not the structure), hands HiGHS just the changes and re-solves from the previous basis
(:mod:`landopt.sweep.warm`); ``warm=False`` solves every run from scratch.  Local workers exit when the sweep's
process dies or the sweep stops early.  See ``docs/sweep.md``.

Modules: :mod:`~landopt.sweep.parameters` (the uncertainty sheet), :mod:`~landopt.sweep.sampling`,
:mod:`~landopt.sweep.tasks` (one run), :mod:`~landopt.sweep.warm`, :mod:`~landopt.sweep.executor`,
:mod:`~landopt.sweep.checkpoint`, :mod:`~landopt.sweep.progress`, :mod:`~landopt.sweep.summary`,
:mod:`~landopt.sweep.report` (the workbook), :mod:`~landopt.sweep.run` (``run_sweep``), :mod:`~landopt.sweep.cli` (SIGTERM in scripts).
"""

from __future__ import annotations

from landopt.sweep.checkpoint import Checkpoint, checkpoint_path
from landopt.sweep.cli import sigterm_raises
from landopt.sweep.columns import BASE, FAILED, OBJECTIVE, RESERVED, RUN_INFO_COLUMNS, SOLVE_STARTS, TERM_PREFIX
from landopt.sweep.executor import MAX_ATTEMPTS, PRELOAD, LocalPool, execute, start_method, warm_imports
from landopt.sweep.parameters import (DISTRIBUTIONS, SAMPLE_OPERATIONS, UNCERTAINTY_COLUMNS, UncertainParameter,
                                      UncertaintyError, parse_uncertainty, read_ranges)
from landopt.sweep.progress import Progress
from landopt.sweep.report import PARQUET_THRESHOLD, write_sweep_workbook
from landopt.sweep.run import run_sweep
from landopt.sweep.sampling import METHODS, draw_samples, latin_hypercube
from landopt.sweep.summary import CHANGE_TOLERANCE_HA, SweepResult, summarize
from landopt.sweep.tasks import run_task
from landopt.sweep.warm import WarmModel

__all__ = [
    "BASE", "CHANGE_TOLERANCE_HA", "Checkpoint", "DISTRIBUTIONS", "FAILED", "LocalPool", "MAX_ATTEMPTS", "METHODS",
    "OBJECTIVE", "PARQUET_THRESHOLD", "PRELOAD", "Progress", "RESERVED", "RUN_INFO_COLUMNS", "SAMPLE_OPERATIONS",
    "SOLVE_STARTS", "SweepResult", "TERM_PREFIX", "UNCERTAINTY_COLUMNS", "UncertainParameter", "UncertaintyError",
    "WarmModel", "checkpoint_path", "draw_samples", "execute", "latin_hypercube", "parse_uncertainty",
    "read_ranges", "run_sweep", "sigterm_raises", "run_task", "start_method", "summarize", "warm_imports",
    "write_sweep_workbook",
]
