"""Names shared by every part of a sweep: the record's columns and the run statuses."""

from __future__ import annotations

#: Scenario label of runs on the unmodified workbook.
BASE = "base"
OBJECTIVE = "net_sink_t_co2e_per_yr"
TERM_SUFFIX = "_t_co2e_per_yr"
#: Record columns that describe how a run went rather than what it found (they differ between executors and
#: worker counts: which runs a worker re-solves warm depends on which runs it was given).
RUN_INFO_COLUMNS = ("seconds", "attempt", "started_at", "worker", "solve_start")
RESERVED = {"run_id", "scenario", "sample_id", "status", "message", OBJECTIVE, *RUN_INFO_COLUMNS}
#: Statuses counted as failures (as opposed to a model answer such as infeasible).
FAILED = ("invalid", "error", "crashed", "lost")
#: How a run's solve started: from scratch, from the previous basis of the worker's kept HiGHS instance, or warm
#: first and then from scratch because the warm solve did not end optimal.
SOLVE_STARTS = ("cold", "warm", "warm→cold")
