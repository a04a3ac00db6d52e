"""The results of a sweep: the records as tables, and the summary tables of the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from landopt.sweep.columns import FAILED, NET_SINK_STATS, OBJECTIVE, RUN_INFO_COLUMNS, TERM_PREFIX
from landopt.sweep.parameters import UncertainParameter

#: The net sink's record key before it became unit-neutral (read from old checkpoints only).
OLD_OBJECTIVE = "net_sink_t_co2e_per_yr"
#: A land use "changes" against the base run when its target-year area differs by more than this.
CHANGE_TOLERANCE_HA = 1.0


@dataclass
class SweepResult:
    """Everything a sweep produced.

    ``records``: one row per run (run_id, scenario, sample_id, parameter values, status, ``net_sink``, the terms of
    the accounting in use (``term_<name>``; net sink and terms in ``metadata["objective_unit"]``), seconds, attempt, started_at, worker, solve_start — cold, warm or warm→cold — and message), sorted by
    run id.  ``areas``: target-year area per run
    (index run_id, columns (region, land_use)).  ``summary``: the report tables (see :func:`summarize`).
    """

    records: pd.DataFrame
    areas: pd.DataFrame
    summary: dict[str, pd.DataFrame]
    parameters: list[UncertainParameter]
    metadata: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    parquet_paths: list[Path] = field(default_factory=list)
    #: Chinese names for the workbook: {"region": {id: 名称}, "land_use": {id: 名称}} (the ids stay in the tables)
    names: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def n_runs(self) -> int:
        return len(self.records)

    @property
    def n_optimal(self) -> int:
        return int((self.records["status"] == "optimal").sum()) if len(self.records) else 0

    def comparable(self) -> pd.DataFrame:
        """The records without the columns that depend on the executor (timings, worker, attempt, solve start)."""
        return self.records.drop(columns=[c for c in RUN_INFO_COLUMNS if c in self.records.columns])


def accounting_terms(objective_unit: str) -> list[str]:
    """The objective's terms under the accounting whose objective is in ``objective_unit`` ('t CO2e': stock change)."""
    from landopt.model.carbon import STOCK_TERMS
    from landopt.model.objective import FLUX_TERMS, STOCK_UNIT

    return list(STOCK_TERMS if objective_unit == STOCK_UNIT else FLUX_TERMS)


def display_names(tables: dict[str, pd.DataFrame]) -> dict[str, dict[str, str]]:
    """Chinese names of the regions and land uses of a workbook's tables (``name_zh``; a land use without one is
    named by its role: 耕地, 林地 …), for the sweep workbook."""
    from landopt.report.i18n import ROLE_NAMES

    def zh(df: pd.DataFrame | None, key: str) -> dict[str, str]:
        if df is None or key not in df.columns or "name_zh" not in df.columns:
            return {}
        return {str(k): v.strip() for k, v in zip(df[key], df["name_zh"]) if isinstance(v, str) and v.strip()}

    lus = tables.get("land_uses")
    roles = {} if lus is None or not {"land_use", "role"} <= set(lus.columns) else {
        str(k): ROLE_NAMES[str(r)][0] for k, r in zip(lus["land_use"], lus["role"]) if str(r) in ROLE_NAMES}
    return {"region": zh(tables.get("regions"), "region"), "land_use": roles | zh(lus, "land_use")}


def records_frame(recs: Iterable[dict], params: Sequence[UncertainParameter],
                  terms: Sequence[str] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The records as a table (one row per run, sorted by run id) and the target-year areas (run × region, land use).

    The term columns are ``terms`` (the accounting in use, :func:`accounting_terms`, in its order), then any other
    term a record reports (a scenario that switches the accounting).
    """
    from landopt.model.objective import ALL_TERMS

    recs = list(recs)
    seen = {t for r in recs for t in (r.get("terms") or {})} - set(terms)
    term_names = list(terms) + [t for t in ALL_TERMS if t in seen] + sorted(seen - set(ALL_TERMS))
    rows = []
    area_rows: dict[int, dict[tuple[str, str], float]] = {}
    for r in sorted(recs, key=lambda r: r["run_id"]):
        row: dict[str, Any] = {"run_id": r["run_id"], "scenario": r["scenario"], "sample_id": r["sample_id"]}
        for p in params:
            v = (r.get("params") or {}).get(p.name)
            row[p.name] = np.nan if v is None else float(v)
        row["status"] = r["status"]
        v = r.get(OBJECTIVE, r.get(OLD_OBJECTIVE))  # a checkpoint written before the rename
        row[OBJECTIVE] = np.nan if v is None else float(v)
        for t in term_names:
            v = (r.get("terms") or {}).get(t)
            row[TERM_PREFIX + t] = np.nan if v is None else float(v)
        row["seconds"] = float(r.get("seconds") or 0.0)
        row["attempt"] = int(r.get("attempt") or 1)
        row["started_at"] = r.get("started_at") or ""
        row["worker"] = r.get("worker") or ""
        row["solve_start"] = r.get("solve_start") or ""
        row["message"] = r.get("message") or ""
        rows.append(row)
        if r.get("areas"):
            area_rows[r["run_id"]] = {(a[0], a[1]): float(a[2]) for a in r["areas"]}
    cols = (["run_id", "scenario", "sample_id"] + [p.name for p in params] + ["status", OBJECTIVE]
            + [TERM_PREFIX + t for t in term_names] + ["seconds", "attempt", "started_at", "worker", "solve_start", "message"])
    records = pd.DataFrame(rows, columns=cols)
    records = records.astype({"run_id": "int64", "sample_id": "int64", "attempt": "int64"}) if len(records) else records
    if area_rows:
        areas = pd.DataFrame.from_dict(area_rows, orient="index")
        areas.columns = pd.MultiIndex.from_tuples(areas.columns, names=["region", "land_use"])
        areas.index.name = "run_id"
        areas = areas.sort_index()
    else:
        areas = pd.DataFrame(index=pd.Index([], name="run_id", dtype="int64"),
                             columns=pd.MultiIndex.from_tuples([], names=["region", "land_use"]))
    return records, areas


def histogram(values: pd.Series, by: pd.Series, max_bins: int = 20) -> pd.DataFrame:
    """Runs per bin of ``values``, one count column per group of ``by`` (at most ``max_bins`` bins)."""
    v = values.dropna()
    if v.empty:
        return pd.DataFrame(columns=["bin", "bin_from", "bin_to"])
    lo, hi = float(v.min()), float(v.max())
    if hi - lo <= 1e-9 * max(1.0, abs(hi)):
        edges = np.array([lo - 0.5, hi + 0.5])
    else:
        edges = np.histogram_bin_edges(v.to_numpy(), bins="auto")
        if len(edges) - 1 > max_bins:
            edges = np.linspace(lo, hi, max_bins + 1)
    out = pd.DataFrame({"bin_from": edges[:-1], "bin_to": edges[1:]})
    out.insert(0, "bin", [f"{a:,.0f} – {b:,.0f}" for a, b in zip(edges[:-1], edges[1:])])
    for name in pd.unique(by.loc[v.index]):
        counts, _ = np.histogram(v[by.loc[v.index] == name].to_numpy(), bins=edges)
        out[f"runs: {name}"] = counts.astype(int)
    return out


def summarize(records: pd.DataFrame, areas: pd.DataFrame, params: Sequence[UncertainParameter]) -> dict[str, pd.DataFrame]:
    """The report tables: ``net_sink`` (distribution per scenario: ``net_sink_base_run``, ``net_sink_p5`` …
    ``net_sink_max``, in the objective's unit), ``histogram`` (``bin_from``, ``bin_to``), ``influence``, ``areas``,
    ``statuses``."""
    from scipy.stats import spearmanr

    out: dict[str, pd.DataFrame] = {}
    scen_order = list(pd.unique(records["scenario"])) if len(records) else []
    sampled = records[records["sample_id"] > 0]
    ok = sampled[sampled["status"] == "optimal"]

    # distribution of the net sink
    rows = []
    for s in scen_order:
        base = records[(records["scenario"] == s) & (records["sample_id"] == 0)]
        base_v = float(base[OBJECTIVE].iloc[0]) if len(base) and base["status"].iloc[0] == "optimal" else np.nan
        all_s = sampled[sampled["scenario"] == s]
        v = ok.loc[ok["scenario"] == s, OBJECTIVE].to_numpy(dtype=float)
        row = {"scenario": s, "runs": len(all_s), "optimal": len(v),
               "infeasible": int((all_s["status"] == "infeasible").sum()),
               "failed": int(all_s["status"].isin(FAILED).sum()),
               "net_sink_base_run": base_v}
        if len(v):
            q = np.percentile(v, [5, 25, 50, 75, 95])
            row.update({"net_sink_p5": q[0], "net_sink_p25": q[1], "net_sink_p50": q[2], "net_sink_p75": q[3],
                        "net_sink_p95": q[4], "net_sink_mean": float(v.mean()),
                        "net_sink_std": float(v.std(ddof=1)) if len(v) > 1 else np.nan,
                        "net_sink_min": float(v.min()), "net_sink_max": float(v.max())})
        rows.append(row)
    cols = ["scenario", "runs", "optimal", "infeasible", "failed", *NET_SINK_STATS]
    out["net_sink"] = pd.DataFrame(rows, columns=cols)

    # histogram (sampled runs; the base runs when nothing was sampled)
    hist_src = ok if len(ok) else records[records["status"] == "optimal"]
    out["histogram"] = histogram(hist_src[OBJECTIVE], hist_src["scenario"])

    # influence: Spearman rank correlation of every parameter with the net sink, per scenario
    rows = []
    for s in scen_order:
        sub = ok[ok["scenario"] == s]
        for p in params:
            x = sub[p.name].to_numpy(dtype=float)
            y = sub[OBJECTIVE].to_numpy(dtype=float)
            rho = pval = np.nan
            if len(sub) >= 3 and np.ptp(x) > 0 and np.ptp(y) > 0:
                res = spearmanr(x, y)
                rho, pval = float(res.statistic), float(res.pvalue)
            rows.append({"scenario": s, "parameter": p.name, "spearman_rho": rho, "abs_rho": abs(rho),
                         "p_value": pval, "runs": len(sub), "sheet": p.sheet, "column": p.column,
                         "where": p.where_text, "low": p.low, "high": p.high})
    inf = pd.DataFrame(rows, columns=["scenario", "parameter", "spearman_rho", "abs_rho", "p_value", "runs", "sheet",
                                      "column", "where", "low", "high"])
    if len(inf):
        inf["_s"] = inf["scenario"].map({s: i for i, s in enumerate(scen_order)})
        inf = inf.sort_values(["_s", "abs_rho"], ascending=[True, False], na_position="last").drop(columns="_s")
        inf.insert(2, "rank", inf.groupby("scenario").cumcount() + 1)
    out["influence"] = inf.reset_index(drop=True)

    # target-year area per region × land use: range over the sampled runs and how often it moves off the base run
    rows = []
    if len(areas.columns):
        for s in scen_order:
            base_ids = records.loc[(records["scenario"] == s) & (records["sample_id"] == 0) & (records["status"] == "optimal"), "run_id"]
            base = areas.loc[base_ids.iloc[0]] if len(base_ids) and base_ids.iloc[0] in areas.index else None
            ids = ok.loc[ok["scenario"] == s, "run_id"]
            a = areas.reindex(ids.to_numpy())
            for (reg, lu) in areas.columns:
                v = a[(reg, lu)].to_numpy(dtype=float) if len(a) else np.array([])
                b = float(base[(reg, lu)]) if base is not None else np.nan
                changed = int((np.abs(v - b) > CHANGE_TOLERANCE_HA).sum()) if base is not None and len(v) else None
                rows.append({"scenario": s, "region": reg, "land_use": lu, "base_run_ha": b,
                             "min_ha": float(v.min()) if len(v) else np.nan, "max_ha": float(v.max()) if len(v) else np.nan,
                             "mean_ha": float(v.mean()) if len(v) else np.nan,
                             "P5_ha": float(np.percentile(v, 5)) if len(v) else np.nan,
                             "P95_ha": float(np.percentile(v, 95)) if len(v) else np.nan,
                             "range_ha": float(v.max() - v.min()) if len(v) else np.nan,
                             "runs": len(v), "changed_runs": changed,
                             "changed_pct": (changed / len(v) * 100.0) if changed is not None and len(v) else np.nan})
    out["areas"] = pd.DataFrame(rows, columns=["scenario", "region", "land_use", "base_run_ha", "min_ha", "max_ha",
                                               "mean_ha", "P5_ha", "P95_ha", "range_ha", "runs", "changed_runs", "changed_pct"])

    st = records.groupby(["scenario", "status"], sort=False).size().rename("runs").reset_index() if len(records) else \
        pd.DataFrame(columns=["scenario", "status", "runs"])
    out["statuses"] = st
    return out
