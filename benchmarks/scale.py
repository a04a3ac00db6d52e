"""Scale benchmark: landopt (both backends) against a bare highspy floor and linopy, on synthetic Tibet-like instances.

    python benchmarks/scale.py [--sizes 1e3,1e4,1e5,1e6] [--repeat 3] [--threads 1] [--method auto|simplex|ipm]
                               [--e2e-max 1e5] [--pyomo-max 1e5] [--e2e-timeout 1800] [--json]

For every size (number of decision variables) the instance of :func:`landopt.synthetic.generate` with that many
variables is measured three ways:

1. **Stage table** (in-process, imports before the clock; each run a fresh worker process, so peak memory is
   clean -- the worker's own high-water mark ``VmHWM``):

   * ``landopt-highs`` / ``landopt-pyomo`` -- ``reader.from_tables`` + ``api.spec_from_raw`` (validation) +
     ``api.optimize(spec, backend=..., with_ranging=False)``; build, compile and HiGHS-run times from the result's
     metadata, the Pyomo model, hand-over, read-back and result tables from landopt's log lines.  Two ratios to the
     floor: the whole time outside HiGHS, and the floor's own steps only (build + compile + hand-over + read-back);
   * ``floor`` -- :func:`floor.floor_build` (numpy/scipy, no modelling layer) handed to a bare highspy;
   * ``linopy`` -- :func:`linopy_model.linopy_build` solved with ``io_api="direct"``.

2. **End to end** (sizes up to ``--e2e-max``): the instance is written to a Parquet folder first (outside the
   timing); then, paired (A B C D A B C D ...), the wall time of ``landopt solve FOLDER -o plan.xlsx --backend
   highs|pyomo`` as a subprocess -- start, imports, reading, validating, building, solving and writing the plan
   workbook -- and of the floor's and linopy's whole job in a fresh process (import, read the same folder, build,
   solve, write the primal values).  ``outside`` = wall time minus HiGHS's own run.

3. **Import time**, separately: fresh ``python -c "import ..."`` processes, paired (see ``e2e.IMPORTS``).

The load average (``uptime``'s first figure) is recorded before every run and printed beside every figure.
``--repeat K`` runs everything K times, interleaved; medians are reported.  All approaches use the same HiGHS
settings (the method landopt's auto rule picks unless ``--method``; the same threads; the instance's time limit)
and must agree on the objective to a relative 1e-6 (asserted).  ``floor_solve`` stays importable from here
(``tests/test_synthetic.py`` checks it against landopt on a small instance).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
for p in (str(ROOT / "src"), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

import e2e  # noqa: E402
from floor import floor_build, floor_solve, highs_options, pick_method  # noqa: E402,F401  (floor_solve: tests)

REL_TOL = 1e-6
LANDOPT = ("landopt-highs", "landopt-pyomo")


# ============================================================================ landopt, through its API
class _StageSeconds(logging.Handler):
    """Picks stage times out of landopt's own log lines: the Pyomo model's build (pyomo backend), the hand-over to
    HiGHS and the solution read back (both backends), the result tables."""

    LOGGERS = ("landopt.backends.pyomo", "landopt.backends.highs", "landopt.results")

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.seconds = dict.fromkeys(("pyomo_model_s", "handover_s", "readback_s", "extract_s"), 0.0)

    def emit(self, record: logging.LogRecord) -> None:
        msg = record.msg if isinstance(record.msg, str) else ""
        if msg.startswith("Pyomo model made"):
            self.seconds["pyomo_model_s"] += float(record.args[-1])
        elif msg.startswith("hand-over to HiGHS"):
            self.seconds["handover_s"] += float(record.args[0])
            self.seconds["readback_s"] += float(record.args[1])
        elif msg.startswith("result tables made"):
            self.seconds["extract_s"] += float(record.args[0])

    def __enter__(self) -> "_StageSeconds":
        for lg in map(logging.getLogger, self.LOGGERS):
            lg.addHandler(self)
            lg.setLevel(logging.INFO)
        return self

    def __exit__(self, *exc: object) -> None:
        for name in self.LOGGERS:
            logging.getLogger(name).removeHandler(self)


def landopt_solve(tables: dict[str, pd.DataFrame], backend: str, method: str | None = None,
                  threads: int | None = None) -> dict:
    from landopt import api
    from landopt.reader import from_tables

    if method and method != "auto":  # the instance asks for the method (landopt takes it from its settings)
        st = tables["settings"]
        st = st[st["key"] != "solver_method"]
        tables = {**tables, "settings": pd.concat([st, pd.DataFrame({"key": ["solver_method"], "value": [method]})],
                                                  ignore_index=True)}
    with _StageSeconds() as grab:
        t0 = time.perf_counter()
        raw = from_tables(tables)
        ta = time.perf_counter()
        spec = api.spec_from_raw(raw)
        t1 = time.perf_counter()
        result = api.optimize(spec, threads=threads, backend=backend, with_ranging=False)
        t2 = time.perf_counter()
        labelled = len(result.constraints) + len(result.reduced_costs)  # made on first use: not in the total
        t3 = time.perf_counter()
    md, g = result.metadata, grab.seconds
    build_s, compile_s, run_s = md["build_seconds"], md["compile_seconds"], md["solve_seconds"]
    tie_s = float(md.get("tie_break_seconds", 0.0))  # the least-change second solve (none above 50,000 columns)
    rest = (t2 - t1) - build_s - g["pyomo_model_s"] - compile_s - run_s - tie_s
    # the floor's own steps: the LP from the tables (landopt's: the labelled model), the hand-over, the read-back
    model_outside = build_s + g["pyomo_model_s"] + compile_s + g["handover_s"] + g["readback_s"]
    return {"status": result.status, "objective": result.objective, "method": md["method"], "backend": md["backend"],
            "vars": md["variables"], "rows": md["constraints"], "build_s": ta - t0 + t1 - ta + build_s,
            "solve_s": (t2 - t1) - build_s, "from_tables_s": ta - t0, "validate_s": t1 - ta, "model_s": build_s,
            "compile_s": compile_s, "run_s": run_s, **g, "tie_break_s": tie_s, "handover_extract_s": rest,
            "model_outside_s": model_outside,
            "labelled_tables_s": t3 - t2, "labelled_rows": labelled, "iterations": -1}


def _run_approach(name: str, tables: dict, method: str, threads: int | None) -> dict:
    if name in LANDOPT:
        return landopt_solve(tables, name.split("-")[1], method=method, threads=threads)
    if name == "floor":
        return floor_solve(tables, method=method, threads=threads)
    from linopy_model import linopy_solve

    return linopy_solve(tables, method=method, threads=threads)


# ============================================================================ worker (one stage run)
def _synthetic():
    """``landopt.synthetic`` loaded on its own (numpy + pandas only), so that the floor and linopy workers do
    not import the landopt package."""
    if "landopt.synthetic" in sys.modules:
        return sys.modules["landopt.synthetic"]
    spec = importlib.util.spec_from_file_location("_landopt_synthetic", ROOT / "src" / "landopt" / "synthetic.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _maxrss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024.0 if sys.platform != "darwin" else kb / 2**20


def _peak_mb() -> float:
    """Peak resident memory of this process, MB: ``VmHWM`` (``ru_maxrss`` of a fresh child also counts the
    parent's resident set at the fork on Linux); ``ru_maxrss`` elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return _maxrss_mb()


def _worker(args: argparse.Namespace) -> None:
    import highspy  # noqa: F401  (imports before the clock: each approach pays its own)
    import scipy.sparse  # noqa: F401

    if args.worker in LANDOPT:
        import landopt.api  # noqa: F401
        import landopt.backends.highs  # noqa: F401
        import landopt.reader  # noqa: F401
        import landopt.results  # noqa: F401

        if args.worker == "landopt-pyomo":
            import landopt.backends.pyomo  # noqa: F401  (Pyomo, and the scipy modules its import hook loads)
    elif args.worker == "linopy":
        import linopy  # noqa: F401
        import xarray  # noqa: F401
    tables = _synthetic().generate(args.n_regions, seed=args.seed)
    rss_before = _peak_mb()
    res = _run_approach(args.worker, tables, args.method, args.threads)
    res = {k: v for k, v in res.items() if not isinstance(v, np.ndarray)}
    res.update(peak_mb=_peak_mb(), ru_maxrss_mb=_maxrss_mb(), peak_mb_after_setup=rss_before,
               total_s=res["build_s"] + res["solve_s"])
    print(json.dumps(res))


def run_one(approach: str, n_regions: int, seed: int, method: str, threads: int | None) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", approach, "--n-regions", str(n_regions),
           "--seed", str(seed), "--method", method] + (["--threads", str(threads)] if threads else [])
    before = e2e.load()
    p = subprocess.run(cmd, capture_output=True, text=True, env=e2e.env())
    if p.returncode != 0:
        raise RuntimeError(f"{approach} worker failed:\n{p.stderr[-4000:]}")
    return {**json.loads(p.stdout.strip().splitlines()[-1]), "load": before}


# ============================================================================ driver
def machine() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    def v(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    cpu = next((line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if line.startswith("model name")), "")
    mem = next((int(line.split()[1]) / 2**20 for line in _lines("/proc/meminfo") if line.startswith("MemTotal")), float("nan"))
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem, 1), "python": platform.python_version(),
            **{k: v(k) for k in ("pyomo", "highspy", "pandas", "numpy", "scipy", "openpyxl", "linopy")}}


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def _median_run(runs: list[dict]) -> dict:
    """The run with the median total time (the lower middle one for an even count)."""
    return sorted(runs, key=lambda r: r["total_s"])[(len(runs) - 1) // 2]


def _med(values: list[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return round(float(median(vals)), 3) if vals else None


def stage_runs(approaches: list[str], R: int, args: argparse.Namespace, method: str) -> dict[str, list[dict]]:
    runs: dict[str, list[dict]] = {a: [] for a in approaches}
    for _ in range(max(1, args.repeat)):
        for a in approaches:  # interleaved, so that a slow spell of the machine hits every approach
            runs[a].append(run_one(a, R, args.seed, method, args.threads))
    return runs


def e2e_runs(approaches: list[str], R: int, args: argparse.Namespace, method: str) -> dict[str, list[dict]]:
    """Paired end-to-end runs on the instance written to a Parquet folder (outside the timing)."""
    runs: dict[str, list[dict]] = {a: [] for a in approaches}
    with tempfile.TemporaryDirectory(prefix="landopt_scale_") as tmp:
        folder = _synthetic().write_tables(_synthetic().generate(R, seed=args.seed), Path(tmp) / "instance")
        for _ in range(max(1, args.repeat)):
            for a in approaches:
                if runs[a] and runs[a][-1].get("timeout"):
                    continue  # timed out once: not again
                if a in LANDOPT:
                    r = e2e.run_landopt(folder, a.split("-")[1], args.threads, args.e2e_timeout)
                else:
                    r = e2e.run_peer(a, folder, method, args.threads, args.e2e_timeout)
                runs[a].append(r)
    return runs


def summarise(stage: dict[str, list[dict]], ends: dict[str, list[dict]]) -> dict:
    res = {a: _median_run(rs) for a, rs in stage.items()}
    out: dict = {"stage": {}, "e2e": {}}
    for a, rs in stage.items():
        m = res[a]
        out["stage"][a] = {
            "total_s": round(m["total_s"], 3), "build_s": round(m["build_s"], 3), "solve_s": round(m["solve_s"], 3),
            "peak_mb": round(m["peak_mb"], 1), "iterations": sorted({int(r.get("iterations", -1)) for r in rs}),
            "outside_s": round(m["total_s"] - m["run_s"], 3),
            "outside_median_s": _med([r["total_s"] - r["run_s"] for r in rs]),
            "outside_each_s": [round(r["total_s"] - r["run_s"], 3) for r in rs],
            # the floor's steps only (see landopt_solve): for the floor, its whole time outside HiGHS
            "model_outside_median_s": _med([r.get("model_outside_s", r["total_s"] - r["run_s"]) for r in rs]),
            "totals_s": [round(r["total_s"], 3) for r in rs], "loads": [r["load"] for r in rs],
            "stages": {k: round(v, 3) for k, v in m.items() if k.endswith("_s") and k not in ("total_s",)},
        }
    for a, rs in ends.items():
        ok = [r for r in rs if not r.get("timeout")]
        out["e2e"][a] = {"wall_median_s": _med([r["wall_s"] for r in ok]), "walls_s": [round(r["wall_s"], 3) for r in rs],
                         "outside_median_s": _med([r.get("outside_s") for r in ok]), "loads": [r["load"] for r in rs],
                         "timeout": any(r.get("timeout") for r in rs), "plan_mb": ok[0].get("plan_mb") if ok else None}
    objs = {a: r["objective"] for a, r in res.items()}
    objs.update({f"e2e {a}": rs[0]["objective"] for a, rs in ends.items() if rs and rs[0].get("objective") is not None})
    ref = next(iter(objs.values()))
    out["objective"] = ref
    out["objectives"] = objs
    out["objectives_agree"] = all(abs(o - ref) <= REL_TOL * max(1.0, abs(ref)) for o in objs.values())
    return out


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def print_size(row: dict) -> None:
    f = lambda v, w=7: f"{v:>{w}.2f}" if isinstance(v, (int, float)) else f"{'-':>{w}}"  # noqa: E731
    st = row["stage"]
    print(f"\n## {row['vars']:,} variables, {row['rows']:,} rows, {row['method']} (load before each run in brackets)")
    print(f"{'stage table':<14} {'total s':>8} {'outside HiGHS s (median)':>25} {'peak MB':>8}  runs (total s @ load)")
    for a, s in st.items():
        runs = ", ".join(f"{t:.2f}@{ld:.1f}" for t, ld in zip(s["totals_s"], s["loads"]))
        print(f"{a:<14} {f(s['total_s'], 8)} {f(s['outside_median_s'], 25)} {f(s['peak_mb'], 8)}  {runs}")
    for a in LANDOPT:
        if a in st:
            g = st[a]["stages"]
            print(f"  {a} stages: " + ", ".join(f"{k[:-2]} {v:.2f}" for k, v in g.items()
                                                if k not in ("build_s", "solve_s", "labelled_tables_s")))
    fl = st.get("floor", {}).get("outside_median_s")
    for a in LANDOPT:
        if a in st:
            m = st[a]["model_outside_median_s"]  # build, hand-over, read-back: the steps the floor does too
            print(f"  {a}: outside HiGHS / floor's = {_ratio(st[a]['outside_median_s'], fl)} (whole path); the floor's "
                  f"steps only ({m:.3f} s) / floor's = {_ratio(m, fl)}; total / linopy's = "
                  f"{_ratio(st[a]['total_s'], st.get('linopy', {}).get('total_s'))}")
    if row["e2e"]:
        print(f"{'end to end':<14} {'wall s':>8} {'outside HiGHS s':>25} {'plan MB':>8}  runs (wall s @ load)")
        for a, e in row["e2e"].items():
            runs = ", ".join(f"{t:.2f}@{ld:.1f}" for t, ld in zip(e["walls_s"], e["loads"]))
            print(f"{a:<14} {f(e['wall_median_s'], 8)} {f(e['outside_median_s'], 25)} {f(e['plan_mb'], 8)}  "
                  f"{runs}{'  TIMED OUT' if e['timeout'] else ''}")
        for a in LANDOPT:
            if a in row["e2e"] and a in st:
                w = row["e2e"][a]["wall_median_s"]
                print(f"  {a}: end to end / its build+solve = {_ratio(w, st[a]['total_s'])}; / linopy's end to end = "
                      f"{_ratio(w, row['e2e'].get('linopy', {}).get('wall_median_s'))}; / floor's = "
                      f"{_ratio(w, row['e2e'].get('floor', {}).get('wall_median_s'))}")
    print(f"  objective {row['objective']:,.1f} ({'all agree' if row['objectives_agree'] else 'DISAGREE'})", flush=True)


def import_table(repeat: int, json_out: bool) -> dict:
    names = [n for n in e2e.IMPORTS if n != "linopy" or importlib.util.find_spec("linopy")]
    walls: dict[str, list[float]] = {n: [] for n in names}
    loads = []
    for _ in range(max(1, repeat)):
        loads.append(e2e.load())
        for n in names:  # paired: every statement once per round
            walls[n].append(e2e.import_seconds(e2e.IMPORTS[n]))
    row = {"imports": {n: {"statement": e2e.IMPORTS[n], "median_s": _med(w), "walls_s": [round(x, 3) for x in w]}
                       for n, w in walls.items()}, "loads": loads}
    if json_out:
        print(json.dumps(row), flush=True)
    else:
        print(f"\n## import time (fresh `python -c`, median of {len(loads)}; loads {loads})")
        for n, d in row["imports"].items():
            print(f"  {n:<20} {d['median_s']:.3f} s   {d['statement']}")
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1e3,1e4,1e5,1e6", help="decision variables per instance, comma-separated")
    ap.add_argument("--json", action="store_true", help="one JSON object per size on stdout")
    ap.add_argument("--threads", type=int, default=None, help="HiGHS threads (same for all)")
    ap.add_argument("--method", default="auto", choices=["auto", "simplex", "ipm"], help="HiGHS method for all")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=1, help="runs per approach and size (fresh process each, interleaved)")
    ap.add_argument("--approaches", default="landopt-highs,landopt-pyomo,floor,linopy",
                    help="which of landopt-highs, landopt-pyomo, floor, linopy")
    ap.add_argument("--pyomo-max", type=float, default=1e5, help="largest size the pyomo backend is run at")
    ap.add_argument("--e2e-max", type=float, default=1e5, help="largest size with end-to-end runs (0: none)")
    ap.add_argument("--e2e-timeout", type=float, default=1800.0, help="seconds before an end-to-end run is stopped")
    ap.add_argument("--no-imports", action="store_true", help="skip the import-time table")
    ap.add_argument("--worker", choices=[*LANDOPT, "floor", "linopy"], help=argparse.SUPPRESS)
    ap.add_argument("--n-regions", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        _worker(args)
        return 0

    size_for_vars, vars_per_region = _synthetic().size_for_vars, _synthetic().vars_per_region
    approaches = args.approaches.split(",")
    if "linopy" in approaches and importlib.util.find_spec("linopy") is None:
        print("benchmarks/scale.py: linopy (the peer modelling layer it compares against) is not installed; "
              "install the benchmark extra first: pip install -e \".[bench]\"", file=sys.stderr)
        return 2
    mc = machine()
    if not args.json:
        print(f"# {mc['nproc']} cores, {mc['cpu']}, {mc['ram_gib']} GiB; Python {mc['python']}, Pyomo {mc['pyomo']}, "
              f"highspy {mc['highspy']}, openpyxl {mc['openpyxl']}, linopy {mc['linopy']}; threads="
              f"{args.threads or 'default'}, method={args.method}, repeat={args.repeat}")
    if not args.no_imports:
        import_table(args.repeat, args.json)
    for size in [float(s) for s in args.sizes.split(",") if s.strip()]:
        R = size_for_vars(size)
        from landopt.backends.highs import choose_method

        method = args.method if args.method != "auto" else choose_method("auto", R * vars_per_region())
        here = [a for a in approaches if a != "landopt-pyomo" or size <= args.pyomo_max]
        stage = stage_runs(here, R, args, method)
        ends = e2e_runs([a for a in here if a != "linopy" or "linopy" in approaches], R, args, method) \
            if size <= args.e2e_max else {}
        row = {"vars": R * vars_per_region(), "regions": R, "method": method, "threads": args.threads,
               "repeat": max(1, args.repeat), "machine": mc, **summarise(stage, ends)}
        any_run = next(iter(stage.values()))[0]
        row["rows"] = any_run["rows"]
        assert all(r["method"] == method for rs in stage.values() for r in rs), "approaches used different methods"
        if args.json:
            print(json.dumps(row), flush=True)
        else:
            print_size(row)
        assert row["objectives_agree"], f"objectives differ beyond {REL_TOL:g}: {row['objectives']}"
    return 0


if __name__ == "__main__":
    sys.exit(main())
