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

Each repeat times one solve and one ranges batch back to back (paired) and reports both the wall-clock ratio and
the CPU-time ratio (``time.process_time``, all threads of this process): the machine is shared, and CPU time is
what stays comparable under load.  The load average is printed before and after.

    PYTHONPATH=src python benchmarks/ranges_time.py [--repeats 7] [--kinds area] [--no-cli]
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


def ranges(lm, kinds: tuple[str, ...], slack: float) -> tuple[float, float, dict]:
    """The ranges batch (after the optimum): wall and CPU as ``near_optimal_ranges`` reports them."""
    from landopt.analysis.ranges import near_optimal_ranges

    r = near_optimal_ranges(lm, slack, kinds=kinds, workers=1)
    return r.timing["batch_seconds"], r.timing["batch_cpu_seconds"], r.timing


def cli_solve() -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sys; from landopt.cli import main; sys.exit(main())", "solve", str(INPUT), "-o", str(Path(d) / "plan.xlsx")],
                       check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--slack", type=float, default=0.01)
    ap.add_argument("--no-cli", action="store_true", help="skip timing the whole `landopt solve` command")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from landopt import api
    from landopt.backends.highs import silence_banner

    silence_banner()
    lm = api.model(api.read(INPUT))
    print(f"{INPUT.name}: {lm.columns.n} columns, {lm.n_rows} rows; slack {100 * args.slack:g}%; load {load()}")
    one_solve(lm)  # warm-up: imports, HiGHS's scheduler
    cli = [] if args.no_cli else [cli_solve() for _ in range(3)]
    for kinds in (("area",), ("area", "conversion", "livestock")):
        rows = []
        for _ in range(args.repeats):
            s_wall, s_cpu = one_solve(lm)
            r_wall, r_cpu, timing = ranges(lm, kinds, args.slack)
            rows.append((s_wall, s_cpu, r_wall, r_cpu))
        med = [statistics.median(col) for col in zip(*rows)]
        wall_ratios = [r[2] / r[0] for r in rows]
        cpu_ratios = [r[3] / r[1] for r in rows]
        print(f"\n{'+'.join(kinds)}: {timing['quantities']} quantities, {timing['lps']} LPs solved, "
              f"{timing['skipped']} extremes proven without a solve, {timing['cold_retries']} cold retries, {timing['warm_solves']} warm runs in all")
        print(f"  one solve   wall {1e3 * med[0]:7.1f} ms   cpu {1e3 * med[1]:7.1f} ms   (median of {args.repeats})")
        print(f"  ranges      wall {1e3 * med[2]:7.1f} ms   cpu {1e3 * med[3]:7.1f} ms")
        print(f"  ratio       wall {statistics.median(wall_ratios):5.1f}×  (paired, min {min(wall_ratios):.1f}, "
              f"max {max(wall_ratios):.1f})   cpu {statistics.median(cpu_ratios):5.1f}×  (min {min(cpu_ratios):.1f}, "
              f"max {max(cpu_ratios):.1f})")
        if cli:
            print(f"  against `landopt solve` (whole command, median of 3: {statistics.median(cli):.2f} s): "
                  f"ranges = {med[2] / statistics.median(cli):.3f}×")
    print(f"\nload after: {load()}")


if __name__ == "__main__":
    main()
