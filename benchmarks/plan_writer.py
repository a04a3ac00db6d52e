"""Time ``landopt.write_plan`` on synthetic instances (issue #11 item 7).

    PYTHONPATH=src python benchmarks/plan_writer.py 1e4 1e5 [--out /tmp/plans] [--repeat 1]

For every size: build + solve once (``landopt.optimize``), then write the plan workbook ``--repeat`` times and
print the median write time, the workbook size and the full tables written beside it.  No assertion: speed
goals live here, not in tests.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from landopt.api import optimize, write_plan
from landopt.reader import from_tables
from landopt.synthetic import generate, size_for_vars
from landopt.validate import load_spec


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="+", type=float, help="approximate number of variables, e.g. 1e4 1e5")
    ap.add_argument("--out", type=Path, default=None, help="folder for the workbooks (default: a temporary folder)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="landopt_plans_"))
    for n in args.sizes:
        spec = load_spec(from_tables(generate(size_for_vars(n), seed=args.seed)))
        t = time.perf_counter()
        res = optimize(spec)
        t_solve = time.perf_counter() - t
        path = out / f"plan_{int(n)}.xlsx"
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            write_plan(res, path)
            times.append(time.perf_counter() - t)
        side = path.with_name(path.stem + "_tables")
        side_mb = sum(p.stat().st_size for p in side.iterdir()) / 1e6 if side.exists() else 0.0
        print(f"{res.metadata['variables']:>9,} variables {res.metadata['constraints']:>9,} rows | build+solve {t_solve:6.2f} s | "
              f"write_plan {statistics.median(times):6.2f} s | {path.stat().st_size / 1e6:5.1f} MB workbook, "
              f"{side_mb:5.1f} MB full tables beside it", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
