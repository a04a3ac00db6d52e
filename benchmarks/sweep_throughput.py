"""Sweep throughput, cold against warm: runs per minute at the shipped Tibet size and at 1e5 variables, on 1 and
2 local workers (a benchmark, not a test).

    python benchmarks/sweep_throughput.py [--sizes tibet,1e5] [--samples N] [--workers 1,2] [--repeat 2] [--json]

Instances: ``tibet`` is the shipped workbook (inputs/tibet_2035, four uncertain coefficients: the forest and
grassland carbon fluxes — objective coefficients —, forage yield — a matrix coefficient — and PV capacity per
hectare — a matrix coefficient); a number is a synthetic instance with about that many variables
(:func:`landopt.synthetic.generate`, as benchmarks/scale.py makes them) with five uncertain parameters: the
forest flux (costs), the grassland flux per region (costs), forage yield and PV density (coefficients) and the
cropland red lines (right-hand sides).

Each measurement is a pair of the same sweep (``samples`` sampled runs + the base run, same seed): cold
(``warm=False``: every run built and solved from scratch) then warm (each worker keeps its HiGHS instance and
re-solves from the previous basis); pairs are repeated ``--repeat`` times on the shared machine (cold, warm,
cold, warm …) and the medians reported.  Every warm run's status and net sink are checked against the cold run
(1e-9 relative).  Columns:

* ``cold_runs_min`` / ``warm_runs_min``: runs per minute of the whole sweep as a user sees it (worker start,
  reading the input and the first, cold, solve in each worker included);
* ``cold_s_run``: seconds per run inside a worker in the cold sweep (apply the sample, validate, build, solve);
  ``warm_s_resolve``: the same for the warm sweep's warm re-solves (validate, build, hand the changes to HiGHS,
  re-solve); ``resolve_speedup`` = their ratio: the per-worker rate of warm re-solves against cold runs;
* ``warm_share``: the warm sweep's runs that were re-solved warm (the others: each worker's first run, and
  ``warm→cold`` retries).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]

TIBET_RANGES = pd.DataFrame([
    {"parameter": "forest_flux", "sheet": "land_uses", "column": "carbon_flux_tC_per_ha_yr", "where": "land_use=forest",
     "low": -0.644, "high": -0.5, "distribution": "uniform", "note": "Fang et al. 2007 −0.581; alternative −0.644"},
    {"parameter": "grassland_flux", "sheet": "land_uses", "column": "carbon_flux_tC_per_ha_yr",
     "where": "land_use=grassland", "low": -0.05, "high": 0.0, "distribution": "triangular", "mode": -0.021},
    {"parameter": "forage_yield", "sheet": "grazing", "column": "forage_yield_kg_per_ha", "where": "", "low": 0.8,
     "high": 1.2, "operation": "scale", "note": "±20 % on every region and year"},
    {"parameter": "pv_mw_per_ha", "sheet": "energy", "column": "pv_mw_per_ha", "where": "", "low": 0.25, "high": 0.4},
])

SYNTHETIC_RANGES = pd.DataFrame([
    {"parameter": "forest_flux", "sheet": "land_uses", "column": "carbon_flux_tC_per_ha_yr", "where": "land_use=forest",
     "low": -0.644, "high": -0.5},
    {"parameter": "grassland_flux", "sheet": "carbon_by_region", "column": "carbon_flux_tC_per_ha_yr",
     "where": "land_use=grassland", "low": 0.8, "high": 1.2, "operation": "scale"},
    {"parameter": "forage_yield", "sheet": "grazing", "column": "forage_yield_kg_per_ha", "where": "", "low": 0.9,
     "high": 1.1, "operation": "scale"},
    {"parameter": "pv_density", "sheet": "energy", "column": "pv_mw_per_ha", "where": "", "low": 0.9, "high": 1.1,
     "operation": "scale"},
    {"parameter": "cropland_floor", "sheet": "targets", "column": "cropland_min_ha", "where": "", "low": 0.95,
     "high": 1.0, "operation": "scale"},
])

DEFAULT_SAMPLES = {"tibet": 40, "synthetic": 12}


def instance(size: str):
    """(input, label, ranges, variables) for ``tibet`` or a variable count such as ``1e5``."""
    from landopt.reader import from_tables, read_workbook
    from landopt.synthetic import generate, size_for_vars, vars_per_region

    if size == "tibet":
        p = ROOT / "inputs" / "tibet_2035"
        if not p.exists():
            p = ROOT / "inputs" / "tibet_2035.xlsx"
        raw = read_workbook(p)
        from landopt.api import model, spec_from_raw

        return p, f"Tibet ({p.relative_to(ROOT)})", TIBET_RANGES, model(spec_from_raw(raw)).n_cols
    n_regions = size_for_vars(float(size))
    raw = from_tables(generate(n_regions, seed=0), name=f"synthetic-{size}")
    return raw, f"synthetic {n_regions} regions", SYNTHETIC_RANGES, n_regions * vars_per_region()


def one_sweep(src, ranges: pd.DataFrame, samples: int, workers: int, warm: bool, seed: int) -> dict:
    from landopt.sweep import OBJECTIVE, run_sweep

    t0 = time.perf_counter()
    res = run_sweep(src, samples, seed=seed, workers=workers, ranges=ranges, progress=False, warm=warm)
    wall = time.perf_counter() - t0
    rec = res.records
    warm_runs = rec[rec["solve_start"] == "warm"]
    return {"wall": wall, "runs": len(rec), "runs_min": len(rec) / wall * 60.0,
            "s_run": float(rec["seconds"].mean()),
            "s_resolve": float(warm_runs["seconds"].mean()) if len(warm_runs) else np.nan,
            "warm_share": len(warm_runs) / len(rec), "optimal": int((rec["status"] == "optimal").sum()),
            "status": rec["status"].to_numpy(), "objective": rec[OBJECTIVE].to_numpy(dtype=float)}


def benchmark(sizes=("tibet", "1e5"), samples: int | None = None, workers=(1, 2), repeat: int = 2,
              seed: int = 0) -> pd.DataFrame:
    """Paired cold/warm sweeps per size and worker count; returns (and prints) the medians."""
    from landopt.sweep import warm_imports

    warm_imports()  # the parent's one-off imports are part of neither figure
    rows = []
    for size in sizes:
        src, label, ranges, n_vars = instance(size)
        n = samples if samples is not None else DEFAULT_SAMPLES["tibet" if size == "tibet" else "synthetic"]
        for k in workers:
            cold, warm = [], []
            for _ in range(repeat):
                c = one_sweep(src, ranges, n, k, False, seed)
                w = one_sweep(src, ranges, n, k, True, seed)
                if not (np.array_equal(c["status"], w["status"])
                        and np.allclose(c["objective"], w["objective"], rtol=1e-9, atol=0, equal_nan=True)):
                    raise AssertionError(f"{label}, {k} workers: the warm sweep's runs differ from the cold sweep's")
                cold.append(c)
                warm.append(w)
            med = lambda runs, key: float(np.median([r[key] for r in runs]))  # noqa: E731
            rows.append({
                "instance": label, "variables": n_vars, "workers": k, "runs": cold[0]["runs"],
                "optimal": cold[0]["optimal"], "pairs": repeat,
                "cold_runs_min": round(med(cold, "runs_min"), 1), "warm_runs_min": round(med(warm, "runs_min"), 1),
                "sweep_speedup": round(med(warm, "runs_min") / med(cold, "runs_min"), 2),
                "cold_s_run": round(med(cold, "s_run"), 3), "warm_s_resolve": round(med(warm, "s_resolve"), 3),
                "resolve_speedup": round(med(cold, "s_run") / med(warm, "s_resolve"), 1),
                "warm_share": round(med(warm, "warm_share"), 2),
            })
            print(pd.DataFrame(rows[-1:]).to_string(index=False, header=len(rows) == 1), flush=True)
    table = pd.DataFrame(rows)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    print(f"\nsweep throughput, cold vs warm: {os.cpu_count()} CPUs (load average now {load}); "
          f"Python {sys.version.split()[0]}; medians of {repeat} paired sweeps")
    print(table.to_string(index=False))
    return table


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="tibet,1e5", help="comma-separated: tibet and/or variable counts (1e4, 1e5 …)")
    ap.add_argument("--samples", type=int, default=None,
                    help=f"samples per sweep (default {DEFAULT_SAMPLES['tibet']} for tibet, "
                         f"{DEFAULT_SAMPLES['synthetic']} for synthetic sizes)")
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    ap.add_argument("--repeat", type=int, default=2, help="cold/warm pairs per size and worker count")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true", help="also print the table as JSON records on the last line")
    a = ap.parse_args(argv)
    table = benchmark(tuple(s.strip() for s in a.sizes.split(",") if s.strip()), a.samples,
                      tuple(int(x) for x in a.workers.split(",")), a.repeat, a.seed)
    if a.json:
        print(json.dumps(table.to_dict("records")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
