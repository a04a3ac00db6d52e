"""Land-use demand, conversion matrix and restrictions in the files PLUS/FLUS and CLUE-S/CLUMondo read.

Formats (docs/export.md gives the sources and a walk-through):

* **PLUS** (Liang et al. 2021; PLUS v1.x CARS module) and **FLUS** take the *future land demand* of every
  land-use class as a count of raster cells, a *cost matrix* (rows = from, columns = to; 1 = the conversion is
  allowed, 0 = not) and an optional restricted-area raster.  ``plus/`` holds ``land_demand_ha.csv`` and
  ``land_demand_pixels.csv`` (region, year, one column per class ``<code>_<land_use>``), ``cost_matrix.txt``
  (the bare 0/1 matrix as typed into the dialog) and ``cost_matrix.csv`` (labelled), ``class_codes.csv``.
* **CLUE-S / CLUMondo** (Verburg, *The CLUE model: hands-on exercises*, 2010) read ``demand.in*``: first line the
  number of lines that follow (initial year + every simulated year), then one line per year with the area of
  every land-use type (codes 0…n−1, space separated, ha) — *yearly*, so milestones are interpolated linearly;
  and ``allow.txt``, the conversion matrix (rows = from, columns = to; 1 allowed, 0 not).  ``clue/<region>/`` and
  ``clue/ALL/`` (the whole study area) hold one set each.
* ``restrictions.csv`` (both): the protected quantities from the plan's inputs — 耕地保有量 cropland red line,
  生态保护红线 ecological floors (forest, wetland, grassland), 城镇开发边界 urban development boundary and
  ``area_bounds`` limits — per region and year, for building the restricted-area raster in GIS.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from landopt.safety import atomic_write
from landopt.export.plan_reader import PlanTables

RESTRICTIONS = {  # targets column → (land-use role, kind, Chinese planning term)
    "cropland_min_ha": ("cropland", "floor", "耕地保有量（永久基本农田）cropland red line"),
    "forest_min_ha": ("forest", "floor", "生态保护红线 林地 ecological floor, forest"),
    "wetland_min_ha": ("wetland", "floor", "生态保护红线 湿地 ecological floor, wetland"),
    "grassland_min_ha": ("grassland", "floor", "生态保护红线 草地 ecological floor, grassland"),
    "urban_boundary_ha": ("urban", "ceiling", "城镇开发边界 urban development boundary"),
}


def write_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically (:func:`landopt.safety.atomic_write`)."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline=""))


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """A CSV (UTF-8 with BOM so that Excel shows the Chinese names) written atomically."""
    return write_text(path, "\ufeff" + df.to_csv(index=False, lineterminator="\n"))


def class_codes(t: PlanTables, start: int) -> pd.DataFrame:
    lu = t.land_uses
    return pd.DataFrame({"code": np.arange(start, start + len(lu)), "land_use": lu["land_use"].astype(str),
                         "name_zh": lu.get("name_zh", pd.Series([""] * len(lu))).fillna("").astype(str),
                         "role": lu.get("role", pd.Series([""] * len(lu))).fillna("").astype(str)})


def allowed_matrix(t: PlanTables) -> pd.DataFrame:
    """Land use × land use, 1 where the plan's inputs allow the conversion (and on the diagonal), else 0."""
    names = t.land_uses["land_use"].astype(str).tolist()
    m = pd.DataFrame(np.eye(len(names), dtype=int), index=names, columns=names)
    tr = t.transitions
    if not tr.empty:
        ok = tr["allowed"].astype(str).str.lower().isin(["yes", "true", "1"]) if "allowed" in tr.columns \
            else pd.Series(True, index=tr.index)
        for f, to in zip(tr.loc[ok, "from_land_use"].astype(str), tr.loc[ok, "to_land_use"].astype(str)):
            if f in m.index and to in m.columns:
                m.loc[f, to] = 1
    return m


def demand_wide(t: PlanTables, codes: pd.DataFrame) -> pd.DataFrame:
    """region, year, then one column per class '<code>_<land_use>' (ha); plus the study-area total as region ALL."""
    d = t.demand()
    w = d.pivot_table(index=["region", "year"], columns="land_use", values="area_ha", aggfunc="sum", fill_value=0.0)
    order = t.regions["region"].astype(str).tolist()
    w = w.reindex(columns=codes["land_use"], fill_value=0.0)
    w = w.reindex(pd.MultiIndex.from_product([order, sorted(d["year"].unique())], names=["region", "year"]))
    total = w.groupby(level="year").sum()
    total.index = pd.MultiIndex.from_product([["ALL"], total.index], names=["region", "year"])
    w = pd.concat([w, total])
    w.columns = [f"{c}_{lu}" for c, lu in zip(codes["code"], codes["land_use"])]
    return w.reset_index()


def restrictions(t: PlanTables) -> pd.DataFrame:
    """One row per protected quantity in the inputs: region, year, land_use, kind (floor/ceiling), limit_ha, term."""
    roles = dict(zip(t.land_uses["land_use"].astype(str), t.land_uses.get("role", pd.Series(dtype=str)).astype(str)))
    rows = []
    tg = t.targets
    for col, (role, kind, term) in RESTRICTIONS.items():
        if tg.empty or col not in tg.columns:
            continue
        lus = ",".join(lu for lu, r in roles.items() if r == role)
        for region, year, v in zip(tg["region"], tg["year"], pd.to_numeric(tg[col], errors="coerce")):
            if pd.notna(v):
                rows.append((str(region), int(year), lus, kind, float(v), term))
    ab = t.area_bounds
    if not ab.empty:
        for col, kind in (("min_ha", "floor"), ("max_ha", "ceiling")):
            if col in ab.columns:
                for region, lu, year, v in zip(ab["region"], ab["land_use"], ab["year"], pd.to_numeric(ab[col], errors="coerce")):
                    if pd.notna(v):
                        rows.append((str(region), int(year), str(lu), kind, float(v), "用地面积限制 area_bounds limit"))
    return pd.DataFrame(rows, columns=["region", "year", "land_use", "kind", "limit_ha", "term"])


def whole_cells(cells: np.ndarray) -> np.ndarray:
    """Cells per class as whole numbers whose row sum is the row total rounded (largest remainders: each class gets
    its floor, and the cells left over go to the largest fractions, ties to the first class), so every year of a
    region asks PLUS for the same number of cells as the region's map has — rounding each class on its own drifted by
    1–3 cells between years."""
    cells = np.nan_to_num(np.asarray(cells, dtype=float))
    base = np.floor(cells)
    frac = cells - base
    left = (np.rint(cells.sum(axis=1)) - base.sum(axis=1)).astype(np.int64)
    order = np.argsort(-frac, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(cells.shape[1])[None, :].repeat(len(cells), axis=0), axis=1)
    return (base + (rank < left[:, None])).astype(np.int64)


def write_plus(t: PlanTables, folder: Path, cell_size_m: float = 30.0) -> list[Path]:
    """PLUS/FLUS hand-off: land demand (ha and cells of ``cell_size_m``), cost matrix, class codes, restrictions."""
    if not (cell_size_m > 0):
        raise ValueError(f"the cell size must be a positive number of metres, not {cell_size_m!r}")
    codes = class_codes(t, start=1)
    wide = demand_wide(t, codes)
    cell_ha = cell_size_m * cell_size_m / 10_000.0
    pixels = wide.copy()
    value_cols = [c for c in wide.columns if c not in ("region", "year")]
    pixels[value_cols] = whole_cells(wide[value_cols].to_numpy(dtype=float) / cell_ha)
    m = allowed_matrix(t)
    bare = "\n".join(" ".join(str(int(v)) for v in row) for row in m.to_numpy()) + "\n"
    labelled = m.copy()
    labelled.index.name = "from \\ to"
    return [write_csv(wide, folder / "land_demand_ha.csv"),
            write_csv(pixels.assign(cell_size_m=cell_size_m), folder / "land_demand_pixels.csv"),
            write_text(folder / "cost_matrix.txt", bare),
            write_csv(labelled.reset_index(), folder / "cost_matrix.csv"),
            write_csv(codes, folder / "class_codes.csv"),
            write_csv(restrictions(t), folder / "restrictions.csv")]


def yearly(t: PlanTables, region_rows: pd.DataFrame, value_cols: list[str]) -> pd.DataFrame:
    """Milestone rows of one region interpolated linearly to every year from the baseline to the target year."""
    r = region_rows.set_index("year")[value_cols].astype(float)
    years = np.arange(int(r.index.min()), int(r.index.max()) + 1)
    return r.reindex(years).interpolate(method="index")


def write_clue(t: PlanTables, folder: Path) -> list[Path]:
    """CLUE-S/CLUMondo hand-off: demand.in1 and allow.txt per region and for the whole study area (ALL)."""
    codes = class_codes(t, start=0)
    wide = demand_wide(t, codes)
    cols = [c for c in wide.columns if c not in ("region", "year")]
    m = allowed_matrix(t)
    allow = "\n".join(" ".join(str(int(v)) for v in row) for row in m.to_numpy()) + "\n"
    out = [write_csv(codes, folder / "class_codes.csv"), write_csv(restrictions(t), folder / "restrictions.csv")]
    for region, rows in wide.groupby("region", sort=False):
        y = yearly(t, rows, cols)
        lines = [str(len(y))] + [" ".join(f"{v:.2f}" for v in row) for row in y.to_numpy()]
        out.append(write_text(folder / str(region) / "demand.in1", "\n".join(lines) + "\n"))
        out.append(write_text(folder / str(region) / "allow.txt", allow))
    return out


def write_long_csv(t: PlanTables, folder: Path) -> list[Path]:
    """Tidy CSVs: demand (region, land use, year incl. the baseline, ha), conversions, allowed matrix, restrictions."""
    d = t.demand()[["region", "land_use", "year", "area_ha"]]
    rz = dict(zip(t.regions["region"].astype(str), t.regions.get("name_zh", pd.Series(dtype=str)).fillna("")))
    lz = dict(zip(t.land_uses["land_use"].astype(str), t.land_uses.get("name_zh", pd.Series(dtype=str)).fillna("")))
    d.insert(1, "region_zh", d["region"].map(rz))
    d.insert(3, "land_use_zh", d["land_use"].map(lz))
    conv = t.conversions[[c for c in ("region", "from_land_use", "to_land_use", "period_start", "year", "area_ha")
                          if c in t.conversions.columns]]
    m = allowed_matrix(t)
    m.index.name = "from \\ to"
    return [write_csv(d, folder / "land_demand.csv"), write_csv(conv, folder / "conversions.csv"),
            write_csv(m.reset_index(), folder / "allowed_conversions.csv"),
            write_csv(restrictions(t), folder / "restrictions.csv")]
