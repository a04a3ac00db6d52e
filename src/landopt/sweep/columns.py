"""Names shared by every part of a sweep: the record's columns and the run statuses.

Column ids carry no unit: the net sink and its terms are in the objective's own unit, which the sweep's metadata
gives (``objective_unit``: 't CO2e', cumulative over the horizon, under stock-change accounting; 't CO2e/yr'
under flux accounting).
"""

from __future__ import annotations

#: Scenario label of runs on the unmodified workbook.
BASE = "base"
#: The run's net sink (the objective), in ``metadata["objective_unit"]``.
OBJECTIVE = "net_sink"
#: Prefix of the columns holding the objective's terms ('term_livestock_ch4'), same unit as the net sink.
TERM_PREFIX = "term_"
#: The net-sink statistics of the summary table, in the objective's unit: column id → (中文, English).
NET_SINK_STATS: dict[str, tuple[str, str]] = {
    "net_sink_base_run": ("基准运行（本方案）", "base run"), "net_sink_p5": ("第5百分位", "P5"),
    "net_sink_p25": ("第25百分位", "P25"), "net_sink_p50": ("中位数", "P50"), "net_sink_p75": ("第75百分位", "P75"),
    "net_sink_p95": ("第95百分位", "P95"), "net_sink_mean": ("平均值", "mean"), "net_sink_std": ("标准差", "std"),
    "net_sink_min": ("最小值", "min"), "net_sink_max": ("最大值", "max")}
#: The histogram's bin edges, in the objective's unit.
BIN_EDGES = ("bin_from", "bin_to")
#: Record columns that describe how a run went rather than what it found (they differ between executors and
#: worker counts: which runs a worker re-solves warm depends on which runs it was given).
RUN_INFO_COLUMNS = ("seconds", "attempt", "started_at", "worker", "solve_start")
RESERVED = {"run_id", "scenario", "sample_id", "status", "message", OBJECTIVE, *RUN_INFO_COLUMNS}
#: Statuses counted as failures (as opposed to a model answer such as infeasible).
FAILED = ("invalid", "error", "crashed", "lost")
#: How a run's solve started: from scratch, from the previous basis of the worker's kept HiGHS instance, or warm
#: first and then from scratch because the warm solve did not end optimal.
SOLVE_STARTS = ("cold", "warm", "warm→cold")


def in_objective_unit(column: str) -> bool:
    """Whether ``column`` (of a record or summary table) holds an amount in the objective's unit."""
    return column == OBJECTIVE or column.startswith(TERM_PREFIX) or column in NET_SINK_STATS or column in BIN_EDGES
