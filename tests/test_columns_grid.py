"""Column positions from integer codes (``Columns.grid``) agree with the key lookup, and helper columns
look to pandas exactly like the ones they replace."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from landopt.model import blocks
from landopt.model.blocks import CONSTANT_CHUNK, constant, provenance
from landopt.model.columns import build_columns, positions
from landopt.reader import from_tables
from landopt.synthetic import generate
from landopt.validate import load_spec


@pytest.fixture(scope="module")
def spec():
    return load_spec(from_tables(generate(6, seed=2, years=(2025, 2030, 2040, 2050))))


@pytest.fixture(scope="module")
def cols(spec):
    return build_columns(spec)


def test_area_columns_from_codes_match_the_key_lookup(cols):
    grid, area = cols.grid, cols.tables["area"]
    col = area["col"].to_numpy()
    assert (grid.area_of(area) == col).all()
    assert (cols.lookup("area", area) == col).all()
    r, lu, t = grid.area_codes(col)
    assert (grid.regions[r] == area["region"].to_numpy()).all()
    assert (grid.land_uses[lu] == area["land_use"].to_numpy()).all()
    assert (grid.years[t] == area["year"].to_numpy()).all()


def test_flow_columns_from_codes_match_the_key_lookup(spec, cols):
    grid, flow = cols.grid, cols.tables["flow"]
    col = flow["col"].to_numpy()
    assert (cols.lookup("flow", flow) == col).all()
    r, p, t = grid.flow_codes(col)
    assert (grid.flow_cols(r, p, t) == col).all()
    assert (grid.regions[r] == flow["region"].to_numpy()).all()
    assert (spec.transitions["from_land_use"].to_numpy()[p] == flow["from_land_use"].to_numpy()).all()
    assert (grid.land_uses[grid.pair_to[p]] == flow["to_land_use"].to_numpy()).all()
    assert (grid.years[t] == flow["year"].to_numpy()).all()
    # the flows of every region follow the same (conversion, year) layout
    per_region = len(grid.pair_from) * len(grid.years)
    assert (grid.per_region(np.arange(per_region), per_region) + grid.flow0 == col).all()


def test_unknown_keys_give_minus_one(cols):
    grid = cols.grid
    keys = pd.DataFrame({"region": [grid.regions[0], "nowhere", grid.regions[1], None],
                         "land_use": [grid.land_uses[0], grid.land_uses[0], "moon", grid.land_uses[0]],
                         "year": [int(grid.years[0]), int(grid.years[0]), int(grid.years[0]), int(grid.years[0])]})
    expected = [0, -1, -1, -1]
    assert cols.lookup("area", keys).tolist() == expected
    assert grid.area_of(keys).tolist() == expected
    keys["year"] = 1999
    assert cols.lookup("area", keys).tolist() == [-1] * 4
    assert grid.area_of(keys).tolist() == [-1] * 4
    assert positions(pd.Index(["a", "b"]), pd.Series(["b", None, "c", "a", "b"])).tolist() == [1, -1, -1, 0, 1]


def test_grazing_columns_are_found_by_key(spec, cols):
    g = spec.grazing
    assert (cols.lookup("livestock", g) == cols.tables["livestock"]["col"].to_numpy()).all()
    assert (cols.lookup("rested", g.iloc[::-1]) == cols.tables["rested"]["col"].to_numpy()[::-1]).all()


@pytest.mark.parametrize("n", [0, 3, CONSTANT_CHUNK, 2 * CONSTANT_CHUNK + 5])
def test_constant_column_is_the_column_a_scalar_makes(n):
    base = pd.DataFrame({"x": np.arange(n)})
    expected, got = base.copy(), base.copy()
    expected["sheet"] = "transitions"
    got["sheet"] = constant("transitions", n)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    if hasattr(expected["sheet"].array, "_pa_array"):  # text stored in pyarrow (pandas 3): the same arrow type too
        assert got["sheet"].array._pa_array.type == expected["sheet"].array._pa_array.type
    keep = np.arange(0, n, 7)
    pd.testing.assert_frame_equal(got.iloc[keep], expected.iloc[keep], check_exact=True)


def test_constant_column_without_pyarrow_storage(monkeypatch):
    """Where pandas 3 keeps text as Python strings (pyarrow is optional), the column is made the plain way."""
    try:
        dtype = pd.StringDtype("python", na_value=np.nan)
    except TypeError:  # pandas < 2.3 (the lower bound is 2.2): no na_value
        dtype = pd.StringDtype("python")
    monkeypatch.setattr(blocks, "_TEXT_DTYPE", dtype)
    frame = pd.DataFrame({"x": np.arange(3)})
    frame["sheet"] = constant("transitions", 3)
    assert frame["sheet"].dtype == dtype and frame["sheet"].tolist() == ["transitions"] * 3


def test_provenance_leaves_its_input_alone():
    rows = pd.DataFrame({"region": ["A", "B"], "_row": [2.0, np.nan]})
    out = provenance(rows, "targets", "cropland_min_ha")
    assert list(rows.columns) == ["region", "_row"] and np.isnan(rows["_row"].iloc[1])
    assert out["_row"].tolist() == [2, 0] and out["sheet"].tolist() == ["targets", "targets"]


@pytest.mark.parametrize("kind", ["arrow", "object", "chunked"])
def test_positions_of_long_columns_agree_whichever_lookup_is_taken(kind):
    """Above 1,000 values the lookup goes through pyarrow's hash (pandas' pyarrow-backed text) or pandas'
    factorise (anything else): the same positions, -1 for unknown ids and blank cells."""
    index = pd.Index([f"R{i:04d}" for i in range(1500)], dtype="str")
    pool = np.array([f"R{i:04d}" for i in range(1600)] + [None], dtype=object)  # 100 unknown ids and a blank
    picked = pool[np.random.default_rng(3).integers(0, len(pool), 4000)]
    if kind == "chunked":  # a column made by constant(): one text repeated in shared chunks
        values = pd.Series(constant("R0007", CONSTANT_CHUNK + 5))
        expected = np.full(CONSTANT_CHUNK + 5, 7)
    else:
        values = pd.Series(picked, dtype="str" if kind == "arrow" else object)
        expected = np.array([int(v[1:]) if isinstance(v, str) and int(v[1:]) < 1500 else -1 for v in picked])
    got = positions(index, values)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, expected)
