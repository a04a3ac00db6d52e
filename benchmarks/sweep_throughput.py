"""Sweep throughput: runs per minute on 1 and 2 local workers (a benchmark, not a test).

    python benchmarks/sweep_throughput.py [--samples 12] [--workers 1,2] [--input inputs/tibet_2035]

Uses the shipped Tibet workbook when it exists (four uncertain coefficients: the forest and grassland
carbon fluxes, forage yield and PV capacity per hectare), else a 7-region synthetic instance
(:func:`landopt.synthetic.generate`).  Each sweep is ``samples`` sampled runs + the base run; the figure
includes starting the worker processes and reading the input, as a user sees it.  "solve" is the mean time per run inside a
worker (validate + build + solve), so ``60 / solve`` is the one-worker ceiling.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]

RANGES = pd.DataFrame([
    {"parameter": "forest_flux", "sheet": "land_uses", "column": "carbon_flux_tC_per_ha_yr", "where": "land_use=forest",
     "low": -0.644, "high": -0.5, "distribution": "uniform", "note": "Fang et al. 2007 −0.581; alternative −0.644"},
    {"parameter": "grassland_flux", "sheet": "land_uses", "column": "carbon_flux_tC_per_ha_yr",
     "where": "land_use=grassland", "low": -0.05, "high": 0.0, "distribution": "triangular", "mode": -0.021},
    {"parameter": "forage_yield", "sheet": "grazing", "column": "forage_yield_kg_per_ha", "where": "", "low": 0.8,
     "high": 1.2, "operation": "scale", "note": "±20 % on every region and year"},
    {"parameter": "pv_mw_per_ha", "sheet": "energy", "column": "pv_mw_per_ha", "where": "", "low": 0.25, "high": 0.4},
])


def instance(path: str | Path | None = None):
    """The workbook path to sweep (the shipped Tibet case) or a synthetic RawWorkbook."""
    p = Path(path) if path else ROOT / "inputs" / "tibet_2035"
    if p.exists():
        return p, f"{p.relative_to(ROOT) if p.is_relative_to(ROOT) else p}"
    from landopt.reader import from_tables
    from landopt.synthetic import generate

    return from_tables(generate(7, seed=0), name="synthetic-7"), "synthetic instance, 7 regions"


def benchmark(samples: int = 12, workers: tuple[int, ...] = (1, 2), input_path: str | Path | None = None,
              seed: int = 0) -> pd.DataFrame:
    """Run the same sweep on each worker count; return (and print) runs per minute."""
    from landopt.sweep import run_sweep, warm_imports

    warm_imports()  # the parent's one-off import of Pyomo/SciPy is not part of either figure
    src, label = instance(input_path)
    rows = []
    baseline = None
    for k in workers:
        t0 = time.perf_counter()
        res = run_sweep(src, samples, seed=seed, workers=k, ranges=RANGES, progress=False)
        wall = time.perf_counter() - t0
        rec = res.records
        if baseline is None:
            baseline = res.comparable()
        else:
            pd.testing.assert_frame_equal(res.comparable(), baseline)  # same seed → same records on any worker count
        rows.append({"workers": k, "runs": len(rec), "optimal": int((rec["status"] == "optimal").sum()),
                     "wall_s": round(wall, 2), "runs_per_min": round(len(rec) / wall * 60.0, 1),
                     "solve_s_per_run": round(float(rec["seconds"].mean()), 3)})
    table = pd.DataFrame(rows)
    table["speedup"] = (table["runs_per_min"] / table["runs_per_min"].iloc[0]).round(2)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    print(f"sweep throughput: {label}; {samples} samples + base run; {os.cpu_count()} CPUs "
          f"(load average now {load}); Python {sys.version.split()[0]}")
    print(table.to_string(index=False))
    return table


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=12)
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    ap.add_argument("--input", default=None, help="workbook or folder (default inputs/tibet_2035)")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    benchmark(a.samples, tuple(int(x) for x in a.workers.split(",")), a.input, a.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
