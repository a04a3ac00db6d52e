"""Which requirements bind, and where: for the base plan and every scenario of a workbook, the number of rows of
each constraint with a non-zero shadow price (a requirement that never binds in any scenario is a finding: either it
is slack by construction or the data never test it).

Run: PYTHONPATH=src python scripts/binding_audit.py [inputs/tibet_2035.xlsx] [--markdown]

Cells: rows with |shadow price| > 1e-7 (t CO2e per unit of the requirement), then in brackets "(+m)" the m more
inequality rows that sit exactly at their limit with a zero price (the LP is degenerate there: an equally good plan can move off
the limit, so relaxing it gains nothing); "—" where the scenario has no plan.
Accounting identities (area_total, stock_flow …) are listed too: they are not policy levers, but their duals show
where land is scarce.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from landopt import api  # noqa: E402
from landopt.reader import read_workbook  # noqa: E402
from landopt.scenarios import load_scenarios  # noqa: E402

TOL = 1e-7
AT_LIMIT = 1e-6  #: a row is at its limit when |slack| ≤ this × max(1, |requirement|)


def audit(path: Path) -> pd.DataFrame:
    """Constraint × (base, scenario…) table of the number of rows with a non-zero shadow price."""
    names = [None, *load_scenarios(read_workbook(path))]
    cols: dict[str, pd.Series | None] = {}
    family: dict[str, str] = {}
    for s in names:
        r = api.optimize(api.read(path, scenario=s), backend="highs", with_ranging=False)
        if not r.optimal:
            cols[s or "base"] = None
            continue
        c = r.constraints
        family.update(dict(zip(c["constraint"], c["family"])))
        priced = c["dual"].abs() > TOL
        at_limit = ~priced & (c["sense"] != "==") & (c["slack"].abs() <= AT_LIMIT * np.maximum(1.0, c["rhs"].abs()))
        cols[s or "base"] = pd.DataFrame({"priced": priced, "at_limit": at_limit}).groupby(c["constraint"]).sum()
    index = sorted(family, key=lambda k: (family[k], k))

    def cell(v: pd.DataFrame | None) -> pd.Series:
        if v is None:
            return pd.Series("—", index=index)
        v = v.reindex(index).fillna(0).astype(int)
        return pd.Series([f"{p} (+{a})" if a else str(p) for p, a in zip(v["priced"], v["at_limit"])], index=index)

    out = pd.DataFrame({k: cell(v) for k, v in cols.items()}, index=index)
    out.insert(0, "family", [family[k] for k in index])
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", nargs="?", default=str(ROOT / "inputs" / "tibet_2035.xlsx"))
    ap.add_argument("--markdown", action="store_true", help="a Markdown table (for docs/)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    t = audit(Path(args.input))
    never = [k for k in t.index if all(v == "—" or v.split(" ")[0] == "0" for v in t.loc[k].iloc[1:])]
    if args.markdown:
        print("| constraint | family | " + " | ".join(t.columns[1:]) + " |")
        print("|---|---|" + "---|" * (len(t.columns) - 1))
        for k, row in t.iterrows():
            print(f"| `{k}` | {row['family']} | " + " | ".join(row.iloc[1:]) + " |")
    else:
        print(t.to_string())
    print(f"\nnever binding (no non-zero shadow price in any run): {', '.join(never) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
