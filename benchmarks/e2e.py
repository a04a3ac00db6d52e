"""The whole job, timed from outside: fresh processes, wall-clock time, the machine's load beside every figure.

Used by ``benchmarks/scale.py`` (end-to-end runs per size) and ``benchmarks/tibet_wall.py``.

* :func:`run_landopt` -- ``python -m landopt.cli solve INPUT -o OUT --backend B --json`` (this worktree's
  ``src``): start, imports, reading, validation, build, solve, result tables and the plan workbook.
* :func:`run_peer` -- the floor or linopy doing the same job in a fresh process (this file run with ``--peer``):
  imports, reading the same Parquet folder, building, solving and writing the primal values (a Parquet file;
  neither writes a plan a planner could read).
* :func:`import_seconds` -- wall time of ``python -c STATEMENT``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent

#: What the Tibet wall time is compared against: the libraries landopt solve needs, imported and nothing done.
IMPORT_BASELINE = "import pandas, openpyxl, highspy, pyomo.environ"
#: Import statements timed separately (fresh process each).
IMPORTS = {
    "baseline": IMPORT_BASELINE,
    "landopt.cli": "import landopt.cli",
    "solve path (highs)": "import landopt.api, landopt.backends.highs, landopt.report.plan",
    "solve path (pyomo)": "import landopt.api, landopt.backends.pyomo, landopt.report.plan",
    "floor": "import pandas, scipy.sparse, highspy",
    "linopy": "import linopy, highspy",
}


def env() -> dict[str, str]:
    """The environment of every child: this worktree's ``src`` first on the path."""
    return dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))


def prepare_bytecode(mode: str) -> str:
    """Put landopt's own modules in the state ``mode`` says, before any timed run; returns a line saying which.

    ``compiled`` (default): compile ``src/landopt`` to ``__pycache__`` first (gitignored), as ``pip install``
    compiles every package it installs and as Python does on a package's first import — the state the baseline's
    libraries (pandas, openpyxl, highspy, Pyomo: compiled by pip) are in, and the one a user has from the second
    run on.  ``source``: delete landopt's ``__pycache__`` folders, so that with ``PYTHONDONTWRITEBYTECODE=1`` (set on
    this machine) every run compiles landopt's ≈ 100 modules from source, ≈ 0.4 s (a first run, or a machine that
    never writes bytecode)."""
    import shutil

    caches = [p for p in (ROOT / "src" / "landopt").rglob("__pycache__") if p.is_dir()]
    if mode == "source":
        for p in caches:
            shutil.rmtree(p)
        flag = os.environ.get("PYTHONDONTWRITEBYTECODE")
        return (f"landopt's modules compiled from source on every run (no __pycache__; PYTHONDONTWRITEBYTECODE="
                f"{flag!r}{'' if flag else ': the first run writes bytecode, so only that run is measured so'})")
    if mode != "compiled":
        raise ValueError(f"bytecode mode {mode!r}: choose compiled or source")
    e = dict(os.environ)
    e.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src" / "landopt")], check=True, env=e,
                   stdout=subprocess.DEVNULL)
    return "landopt's modules compiled to bytecode first (__pycache__), as pip compiles the baseline's libraries"


def load() -> float:
    """The machine's 1-minute load average (what ``uptime`` shows first)."""
    return round(os.getloadavg()[0], 2)


def timed(cmd: list[str], timeout: float | None = None) -> dict[str, Any]:
    """Run ``cmd``; its wall time (s), exit code, stdout, the tail of stderr and the load average before it."""
    before = load()
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, env=env(), timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"wall_s": time.perf_counter() - t0, "rc": None, "timeout": True, "load": before, "stdout": "",
                "stderr": f"timed out after {timeout:g} s"}
    return {"wall_s": time.perf_counter() - t0, "rc": p.returncode, "timeout": False, "load": before,
            "stdout": p.stdout, "stderr": p.stderr[-3000:]}


def landopt_cmd(inp: Path, out: Path, backend: str = "auto", threads: int | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "landopt.cli", "solve", str(inp), "-o", str(out), "--backend", backend, "--json", "-q"]
    return cmd + (["--threads", str(threads)] if threads else [])


def _last_json(text: str) -> dict[str, Any]:
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return {}


def run_landopt(inp: Path, backend: str = "auto", threads: int | None = None, timeout: float | None = None) -> dict:
    """One ``landopt solve`` run; ``run_s`` is HiGHS's own run time (from ``--json``), ``outside_s`` the rest."""
    with tempfile.TemporaryDirectory(prefix="landopt_bench_") as tmp:
        out = Path(tmp) / "plan.xlsx"
        r = timed(landopt_cmd(inp, out, backend, threads), timeout)
        r["plan_mb"] = round(out.stat().st_size / 2**20, 2) if out.exists() else None
    if r["timeout"]:
        return r
    if r["rc"] != 0 or r["plan_mb"] is None:
        raise RuntimeError(f"landopt solve --backend {backend} failed (exit {r['rc']}):\n{r['stderr']}")
    summary = _last_json(r.pop("stdout"))
    r.update(objective=summary.get("objective"), run_s=summary.get("solve_seconds"))
    r["outside_s"] = r["wall_s"] - (r["run_s"] or 0.0)
    return r


def run_peer(approach: str, folder: Path, method: str, threads: int | None = None, timeout: float | None = None) -> dict:
    """The floor or linopy doing the whole job in a fresh process (see :func:`peer_main`)."""
    with tempfile.TemporaryDirectory(prefix="landopt_bench_") as tmp:
        cmd = [sys.executable, str(HERE / "e2e.py"), "--peer", approach, "--folder", str(folder), "--method", method,
               "--out", str(Path(tmp) / "x.parquet")] + (["--threads", str(threads)] if threads else [])
        r = timed(cmd, timeout)
    if r["timeout"]:
        return r
    if r["rc"] != 0:
        raise RuntimeError(f"{approach} end-to-end run failed (exit {r['rc']}):\n{r['stderr']}")
    res = _last_json(r.pop("stdout"))
    r.update(objective=res["objective"], run_s=res["run_s"], outside_s=r["wall_s"] - res["run_s"])
    return r


def import_seconds(statement: str) -> float:
    """Wall time of a fresh ``python -c STATEMENT`` (interpreter start included)."""
    r = timed([sys.executable, "-c", statement])
    if r["rc"] != 0:
        raise RuntimeError(f"python -c {statement!r} failed:\n{r['stderr']}")
    return r["wall_s"]


def peer_main(args: argparse.Namespace) -> None:
    """A peer's whole job: import, read the Parquet folder, build, solve, write the primal values."""
    import pandas as pd

    sys.path.insert(0, str(HERE))
    if args.peer == "floor":
        from floor import floor_solve as solve
    else:
        from linopy_model import linopy_solve as solve
    tables = {f.stem: pd.read_parquet(f) for f in sorted(Path(args.folder).glob("*.parquet"))}
    res = solve(tables, method=args.method, threads=args.threads)
    pd.DataFrame({"x": res["x"]}).to_parquet(args.out)
    print(json.dumps({"objective": res["objective"], "run_s": res["run_s"], "vars": res["vars"]}))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="a peer's end-to-end job (run by benchmarks/scale.py)")
    ap.add_argument("--peer", choices=["floor", "linopy"], required=True)
    ap.add_argument("--folder", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--method", default="simplex")
    ap.add_argument("--threads", type=int, default=None)
    peer_main(ap.parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
