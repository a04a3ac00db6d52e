"""Wall time of solving the shipped Tibet workbook, against the time it takes just to import the libraries it needs.

    python benchmarks/tibet_wall.py [--repeat 7] [--backends auto,highs,pyomo] [--input inputs/tibet_2035.xlsx]
                                    [--bytecode compiled|source] [--profile] [--json]

Each round runs, one after the other in fresh processes (paired: A B A B ...):

* the baseline ``python -c "import pandas, openpyxl, highspy, pyomo.environ"``;
* ``landopt solve INPUT -o <tmp>/plan.xlsx --backend B`` for every backend asked for (``python -m landopt.cli``
  from this worktree's ``src``), which must exit 0 and write the plan.

landopt's own modules are compiled to bytecode first (``--bytecode compiled``, the default), the state the
baseline's libraries are in (pip compiles them at install) and a user's from the second run on; ``--bytecode source``
measures runs that compile landopt from source every time (no ``__pycache__`` and ``PYTHONDONTWRITEBYTECODE=1``, as
on this machine), ≈ 0.4 s more.  It prints, per backend, the median wall times, the median of the per-round ratios landopt / baseline (goal ≤ 2,
aim 1.5) and the load average before every run.  ``--profile`` adds where the time goes: the modules the solve
imports beyond the baseline's (``python -X importtime``; whether Pyomo's deferred scipy modules such as
``scipy.stats`` were loaded) and the stages of the same job timed in one process through :mod:`landopt.api`
(imports, read + validate, optimize, write the plan).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import e2e  # noqa: E402

STAGES = r"""
import json, sys, time
t0 = time.perf_counter()
from landopt import api
import landopt.backends.highs, landopt.report.plan
if sys.argv[2] != "highs":
    import landopt.backends.pyomo
t1 = time.perf_counter()
spec = api.read(sys.argv[1])
t2 = time.perf_counter()
result = api.optimize(spec, backend=sys.argv[2])
t3 = time.perf_counter()
api.write_plan(result, sys.argv[3])
t4 = time.perf_counter()
md = result.metadata
print(json.dumps({"imports": t1 - t0, "read + validate": t2 - t1, "optimize": t3 - t2,
                  "  of which build": md["build_seconds"], "  of which compile": md["compile_seconds"],
                  "  of which HiGHS run": md["solve_seconds"], "write plan": t4 - t3, "backend": md["backend"]}))
"""


def _imports(text: str) -> dict[str, int]:
    """``-X importtime`` lines: module -> own microseconds."""
    out = {}
    for line in text.splitlines():
        if line.startswith("import time:") and "self [us]" not in line:
            own, _, name = line[len("import time:"):].split("|")
            out[name.strip()] = int(own)
    return out


def profile(inp: Path, backend: str) -> dict:
    """Modules the solve imports beyond the baseline (by top two name levels, own time) and the stage times."""
    base = subprocess.run([sys.executable, "-X", "importtime", "-c", e2e.IMPORT_BASELINE], capture_output=True,
                          text=True, env=e2e.env())
    with tempfile.TemporaryDirectory(prefix="landopt_bench_") as tmp:
        run = subprocess.run([sys.executable, "-X", "importtime", *e2e.landopt_cmd(inp, Path(tmp) / "p.xlsx", backend)[1:]],
                             capture_output=True, text=True, env=e2e.env())
        stages = subprocess.run([sys.executable, "-c", STAGES, str(inp), backend, str(Path(tmp) / "s.xlsx")],
                                capture_output=True, text=True, env=e2e.env())
    if run.returncode != 0 or stages.returncode != 0:
        raise RuntimeError(f"profiling failed:\n{run.stderr[-2000:]}\n{stages.stderr[-2000:]}")
    b, r = _imports(base.stderr), _imports(run.stderr)
    extra = Counter()
    for name, us in r.items():
        if name not in b:
            extra[".".join(name.split(".")[:2])] += us
    return {"baseline_import_ms": round(sum(b.values()) / 1e3, 1), "solve_import_ms": round(sum(r.values()) / 1e3, 1),
            "beyond_baseline_ms": round(sum(extra.values()) / 1e3, 1),
            "top_beyond_baseline_ms": {k: round(v / 1e3, 1) for k, v in extra.most_common(12)},
            "scipy_stats_loaded": "scipy.stats" in r, "pyomo_loaded": "pyomo.core" in r,
            "pyomo_environ_loaded": "pyomo.environ" in r,
            "stages_s": {k: (round(v, 3) if isinstance(v, float) else v)
                         for k, v in json.loads(stages.stdout.strip().splitlines()[-1]).items()}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", default=str(ROOT / "inputs" / "tibet_2035.xlsx"))
    ap.add_argument("--repeat", type=int, default=7, help="paired rounds")
    ap.add_argument("--backends", default="auto,highs,pyomo", help="comma-separated: auto, highs, pyomo")
    ap.add_argument("--profile", action="store_true", help="also show where the time goes (imports, stages)")
    ap.add_argument("--json", action="store_true", help="one JSON object on stdout")
    ap.add_argument("--bytecode", choices=("compiled", "source"), default="compiled",
                    help="landopt's modules compiled to bytecode first (default), or compiled from source every run")
    args = ap.parse_args(argv)
    inp = Path(args.input)
    bytecode = e2e.prepare_bytecode(args.bytecode)
    backends = [b for b in args.backends.split(",") if b]
    base: list[dict] = []
    runs: dict[str, list[dict]] = {b: [] for b in backends}
    for _ in range(max(1, args.repeat)):
        base.append(e2e.timed([sys.executable, "-c", e2e.IMPORT_BASELINE]))
        for b in backends:
            runs[b].append(e2e.run_landopt(inp, b))
    bw = [r["wall_s"] for r in base]
    report: dict = {"input": str(inp), "repeat": len(bw), "baseline": e2e.IMPORT_BASELINE,
                    "baseline_median_s": round(median(bw), 3), "baseline_walls_s": [round(w, 3) for w in bw],
                    "loads": [r["load"] for r in base], "bytecode": bytecode, "backends": {}}
    for b, rs in runs.items():
        ws = [r["wall_s"] for r in rs]
        report["backends"][b] = {"median_s": round(median(ws), 3), "walls_s": [round(w, 3) for w in ws],
                                 "ratio_median": round(median(w / x for w, x in zip(ws, bw)), 3),
                                 "ratio_of_medians": round(median(ws) / median(bw), 3),
                                 "loads": [r["load"] for r in rs]}
    if args.profile:
        report["profile"] = {b: profile(inp, b) for b in backends}
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"# {inp}: {len(bw)} paired rounds; baseline `python -c \"{e2e.IMPORT_BASELINE}\"`; {bytecode}")
    print(f"baseline              median {report['baseline_median_s']:.2f} s   runs "
          + ", ".join(f"{w:.2f}@{ld:.1f}" for w, ld in zip(bw, report["loads"])) + "  (wall s @ load average)")
    for b, d in report["backends"].items():
        print(f"landopt solve {b:<7} median {d['median_s']:.2f} s   ratio {d['ratio_median']:.2f}x (median of the "
              f"paired ratios; goal <= 2, aim 1.5)   runs " + ", ".join(f"{w:.2f}@{ld:.1f}" for w, ld in
                                                                       zip(d["walls_s"], d["loads"])))
    for b, p in report.get("profile", {}).items():
        print(f"\n## where the time goes, --backend {b} (one run each; -X importtime own times)")
        print(f"imports: {p['solve_import_ms']:.0f} ms (baseline's {p['baseline_import_ms']:.0f} ms); "
              f"{p['beyond_baseline_ms']:.0f} ms in modules the baseline does not load; Pyomo loaded: "
              f"{p['pyomo_loaded']} (pyomo.environ: {p['pyomo_environ_loaded']}); scipy.stats loaded: "
              f"{p['scipy_stats_loaded']}")
        print("  beyond the baseline: " + ", ".join(f"{k} {v:.0f}" for k, v in p["top_beyond_baseline_ms"].items()))
        print("stages (s): " + ", ".join(f"{k.strip()} {v}" for k, v in p["stages_s"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
