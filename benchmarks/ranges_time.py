"""How long `landopt ranges` takes against one solve of the same plan (issue #15's goal: < 10× for the areas).

Definitions (what is timed):

* **one solve** — the plan LP (no near-optimality row) handed to a *fresh* HiGHS instance and solved from scratch
  with landopt's settings (:func:`landopt.backends.highs.solve_form`; dual simplex, presolve on): the time of
  HiGHS's ``run()`` alone, as ``SolveOutcome.solve_seconds`` reports it.
* **ranges** — :func:`landopt.analysis.ranges.near_optimal_ranges` after the optimum is known: listing the
  quantities, bound propagation, every warm re-solve and the table (``timing["batch_seconds"]``).  The model
  is built once beforehand, as it is for the solve.
* **landopt solve** — the wall time of the whole command ``landopt solve INPUT -o OUT.xlsx`` (start-up, reading,
  building, solving, the plan workbook), in a subprocess.

Each repeat times one solve, the ranges batch as ``near_optimal_ranges`` runs it by default (the tier it picks:
on the shipped workbook and two or more CPUs, the *fork* tier — this process plus forked children) and the same
batch forced serial (``workers=1``), back to back, and reports the wall-clock ratio and the CPU-time ratio.  CPU time
is ``time.process_time`` (all threads of this process) plus, for the batch, the CPU time of its child processes
(``timing["batch_cpu_seconds"]``): with the fork tier the wall ratio rests on two cores, the CPU ratio counts both.
The load average is printed before and after; the machine is shared.

    PYTHONPATH=src python benchmarks/ranges_time.py [--repeats 7] [--workers N] [--no-cli]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INPUT = ROOT / "inputs" / "tibet_2035.xlsx"


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def one_solve(lm) -> tuple[float, float]:
    """One cold solve as ``solve_form`` does it (fresh instance, landopt's method), timing HiGHS's ``run()`` alone:
    wall and CPU."""
    from landopt.backends.highs import choose_method, new_highs, pass_to_highs

    form = lm.standard_form()
    h = new_highs()
    h.setOptionValue("solver", choose_method(lm.spec.settings.get("solver_method", "auto"), form.n_cols))
    pass_to_highs(form, h)
    t0, c0 = time.perf_counter(), time.process_time()
    h.run()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert h.getModelStatus().name == "kOptimal"
    return wall, cpu


def ranges(lm, kinds: tuple[str, ...], slack: float, workers: int | None) -> tuple[float, float, dict]:
    """The ranges batch (after the optimum): wall and CPU (this process and its children) as ``near_optimal_ranges``
    reports them."""
    from landopt.analysis.ranges import near_optimal_ranges

    r = near_optimal_ranges(lm, slack, kinds=kinds, workers=workers)
    return r.timing["batch_seconds"], r.timing["batch_cpu_seconds"], r.timing


def cli_solve() -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sys; from landopt.cli import main; sys.exit(main())", "solve", str(INPUT), "-o", str(Path(d) / "plan.xlsx")],
                       check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - t0


def report(name: str, timing: dict, rows: list[tuple], repeats: int) -> None:
    """One batch variant: tiers seen, LPs, medians of wall and CPU, and the paired ratios to one solve."""
    med = [statistics.median(r[i] for r in rows) for i in range(5)]
    wall_ratios = [r[2] / r[0] for r in rows]
    cpu_ratios = [r[3] / r[1] for r in rows]
    tiers = ", ".join(f"{t} {sum(r[5] == t for r in rows)}×" for t in sorted({r[5] for r in rows}))
    print(f"  {name}: tier {tiers} (of {repeats}); last run {timing['workers']} process(es), {timing['lps']} LPs "
          f"solved, {timing['skipped']} extremes proven without a solve, {timing['warm_solves']} warm runs, "
          f"{timing['cold_retries']} cold retries")
    print(f"    ranges    wall {1e3 * med[2]:7.1f} ms   cpu {1e3 * med[3]:7.1f} ms (of which child processes "
          f"{1e3 * med[4]:.1f} ms)")
    print(f"    ratio     wall {statistics.median(wall_ratios):5.1f}×  (paired, min {min(wall_ratios):.1f}, "
          f"max {max(wall_ratios):.1f})   cpu {statistics.median(cpu_ratios):5.1f}×  (min {min(cpu_ratios):.1f}, "
          f"max {max(cpu_ratios):.1f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--slack", type=float, default=0.01)
    ap.add_argument("--workers", type=int, default=None, help="processes for the default batch (default: as ranges "
                    "decides) and the forked one (default 2)")
    ap.add_argument("--no-cli", action="store_true", help="skip timing the whole `landopt solve` command")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from landopt import api
    from landopt.backends.highs import silence_banner

    silence_banner()
    lm = api.model(api.read(INPUT))
    print(f"{INPUT.name}: {lm.columns.n} columns, {lm.n_rows} rows; slack {100 * args.slack:g}%; "
          f"{os.cpu_count()} CPUs; load {load()}")
    one_solve(lm)  # warm-up: imports, HiGHS's scheduler
    cli = [] if args.no_cli else [cli_solve() for _ in range(3)]
    for kinds in (("area",), ("area", "conversion", "livestock")):
        runs = {"as ranges decides": args.workers, "forced fork tier": max(2, args.workers or 2), "forced serial": 1}
        rows: dict[str, list] = {name: [] for name in runs}
        timing: dict[str, dict] = {}
        for _ in range(args.repeats):
            s_wall, s_cpu = one_solve(lm)
            for name, workers in runs.items():
                r_wall, r_cpu, timing[name] = ranges(lm, kinds, args.slack, workers)
                rows[name].append((s_wall, s_cpu, r_wall, r_cpu, timing[name]["children_cpu_seconds"],
                                   timing[name]["tier"]))
        one_wall = statistics.median(r[0] for r in rows["forced serial"])
        one_cpu = statistics.median(r[1] for r in rows["forced serial"])
        print(f"\n{'+'.join(kinds)}: {timing['forced serial']['quantities']} quantities; one solve wall "
              f"{1e3 * one_wall:.1f} ms, cpu {1e3 * one_cpu:.1f} ms (median of {args.repeats}); load {load()}")
        for name in runs:
            report(name, timing[name], rows[name], args.repeats)
        if cli:
            wall = statistics.median(r[2] for r in rows["as ranges decides"])
            print(f"  against `landopt solve` (whole command, median of 3: {statistics.median(cli):.2f} s): "
                  f"ranges as decided = {wall / statistics.median(cli):.3f}×")
    print(f"\nload after: {load()}")


if __name__ == "__main__":
    main()
