"""The synthetic instance generator (``landopt.synthetic``) and the benchmark's highspy floor.

No timing assertions here: the speed goals live in ``benchmarks/scale.py``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from landopt.model.build import build
from landopt.reader import from_tables, read_workbook
from landopt.schema import SHEETS
from landopt.solve import solve
from landopt.synthetic import generate, size_for_vars, vars_per_region, write_tables
from landopt.validate import check, load_spec

ROOT = Path(__file__).resolve().parents[1]


def _solve(tables_or_raw):
    raw = tables_or_raw if not isinstance(tables_or_raw, dict) else from_tables(tables_or_raw)
    spec = load_spec(raw)
    lm = build(spec)
    return lm, solve(lm, keep_highs=False)


@pytest.fixture(scope="module")
def small():
    return generate(5, seed=11)


def test_same_seed_gives_identical_tables_and_another_seed_does_not():
    a, b, c = generate(20, seed=3), generate(20, seed=3), generate(20, seed=4)
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    assert not a["baseline"].equals(c["baseline"])
    assert not a["targets"].equals(c["targets"])


def test_tables_follow_the_schema(small):
    for name, df in small.items():
        sheet = SHEETS[name]
        assert set(df.columns) <= set(sheet.column_names), name
        assert {c.name for c in sheet.columns if c.required} <= set(df.columns), name
    assert sorted(small["land_uses"]["role"]) == sorted(
        ["cropland", "garden", "forest", "grassland", "wetland", "water", "urban", "rural", "other_construction", "pv",
         "unused"])


def test_baselines_add_up_exactly_to_the_region_totals():
    t = generate(200, seed=5)
    sums = t["baseline"].groupby("region", sort=False)["area_ha"].sum()
    totals = t["regions"].set_index("region")["total_area_ha"]
    assert (t["baseline"]["area_ha"] >= 0).all()
    np.testing.assert_allclose(sums.reindex(totals.index).to_numpy(), totals.to_numpy(), rtol=0, atol=1e-6)


def test_targets_are_consistent_with_the_baseline():
    t = generate(100, seed=6)
    base = t["baseline"].pivot(index="region", columns="land_use", values="area_ha")
    tg = t["targets"].set_index("region")
    assert (tg["cropland_min_ha"] <= base["cropland"].reindex(tg.index)).all()  # red line at most the baseline
    demand = tg["urban_population"] * tg["urban_land_per_capita_m2"] / 1e4
    assert (demand <= tg["urban_boundary_ha"] + 1e-9).all()  # the boundary holds the demand
    assert tg["forest_min_ha"].isna().any() and tg["forest_min_ha"].notna().any()  # some floors blank (no net loss)
    gz = t["grazing"]
    assert (gz["intake_kg_per_su_yr"] == 657).all()
    assert (gz["livestock_min_su"] > 0).all() and (gz["rest_min_ha"] > 0).all()


@pytest.mark.parametrize("n", [5, 50])
def test_instances_validate_clean_and_solve_to_optimal(n):
    t = generate(n, seed=n)
    spec, problems = check(from_tables(t))
    assert problems == []
    lm, out = _solve(t)
    assert out.status == "optimal"
    assert out.objective is not None and np.isfinite(out.objective)


def test_variable_count_matches_the_built_model():
    t = generate(7, seed=2)
    lm, _ = _solve(t)
    assert lm.columns.n == 7 * vars_per_region()
    assert size_for_vars(7 * vars_per_region()) == 7
    assert size_for_vars(1) == 1
    years = (2025, 2030, 2035, 2040)
    lm4 = build(load_spec(from_tables(generate(3, seed=2, years=years))))
    assert lm4.columns.n == 3 * vars_per_region(years)


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_folder_round_trip_gives_the_same_objective(small, tmp_path, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    folder = write_tables(small, tmp_path / f"synthetic_{fmt}", fmt=fmt)
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{name}.{fmt}" for name in small)
    _, ref = _solve(small)
    raw = read_workbook(folder)
    assert raw.kind == "folder" and set(raw.tables) == set(small)
    _, out = _solve(raw)
    assert out.status == ref.status == "optimal"
    assert out.objective == pytest.approx(ref.objective, rel=1e-9)


def test_benchmark_floor_agrees_with_landopt():
    spec = importlib.util.spec_from_file_location("scale_benchmark", ROOT / "benchmarks" / "scale.py")
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    t = generate(12, seed=8)
    floor = scale.floor_solve(t)
    _, out = _solve(t)
    assert floor["status"] == "Optimal" and out.status == "optimal"
    assert floor["vars"] == 12 * vars_per_region()
    assert floor["objective"] == pytest.approx(out.objective, rel=1e-6)
