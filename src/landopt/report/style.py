"""One look for every workbook: a colour per land use, page setup, and value-axis rules for charts.

* :data:`ROLE_COLOURS` — one colour per land-use *role*; :func:`land_use_colours` gives every land use
  of a workbook its colour (by role, so forest is green in every chart of every workbook).
* :func:`print_setup_xlsxwriter` / :func:`print_setup_openpyxl` — landscape A4, fit to one page wide,
  header rows repeated on every printed page.
* :func:`value_axis_bounds` — value axes start at zero: all data ≥ 0 → min 0; all ≤ 0 → max 0; data of both
  signs → the axis spans zero anyway and Excel's automatic bounds are kept.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

import numpy as np

#: One colour per land-use role (ColorBrewer-like, distinguishable in print).
ROLE_COLOURS: dict[str, str] = {
    "cropland": "#E6AB02",  # yellow-brown
    "garden": "#A6D854",  # light green
    "forest": "#1B7837",  # dark green
    "grassland": "#7FBC41",  # grass green
    "wetland": "#35978F",  # teal
    "water": "#2166AC",  # blue
    "urban": "#D73027",  # red
    "rural": "#F46D43",  # orange
    "other_construction": "#8C510A",  # brown
    "pv": "#762A83",  # purple
    "unused": "#BABABA",  # grey
    "sandy": "#E6C88C",  # sand
}
EXTRA_COLOURS: tuple[str, ...] = ("#E7298A", "#66C2A5", "#FC8D62", "#8DA0CB", "#FFD92F", "#B3B3B3")
#: Colours of the objective terms and the net sink.
TERM_COLOURS: dict[str, str] = {
    "sequestration": "#1B7837",
    "construction_emissions": "#D73027",
    "livestock_ch4": "#8C510A",
    "avoided_emissions": "#762A83",
    "standing_land": "#4D9221",
    "biomass_loss": "#F46D43",
    "biomass_growth": "#1A9850",
    "soil_dom_change": "#A6761D",
    "remaining_change": "#66BD63",
    "land_ch4_change": "#E08214",
    "net_sink": "#2166AC",
}
POSITIVE, NEGATIVE = "#1B7837", "#D73027"  # change charts of one quantity: gain / loss
HEADER_FILL = "#DDEBF7"
BANNER_FILL = "#FCE4D6"  # the estimates banner
FONT = "Microsoft YaHei"  # falls back to the viewer's CJK font where absent
PAPER_A4 = 9  # xlsxwriter / Excel paper code


def land_use_colours(land_uses: Sequence[str], roles: Mapping[str, str]) -> dict[str, str]:
    """Land use → colour: by role; a second land use of the same role (or an unknown role) gets an extra colour."""
    out: dict[str, str] = {}
    used: set[str] = set()
    extra = iter(EXTRA_COLOURS * 10)
    for lu in land_uses:
        c = ROLE_COLOURS.get(str(roles.get(lu, "")))
        if c is None or c in used:
            c = next(extra)
        used.add(c)
        out[lu] = c
    return out


def value_axis_bounds(values: Iterable[Any]) -> dict[str, float]:
    """``{'min': 0}`` when every value is ≥ 0, ``{'max': 0}`` when every value is ≤ 0, else ``{}``.

    A bar's length must be measured from zero; with values of both signs the axis crosses zero on its own.
    """
    v = np.asarray([x for x in values if x is not None], dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0 or (v >= 0).all():
        return {"min": 0}
    if (v <= 0).all():
        return {"max": 0}
    return {}


def print_setup_xlsxwriter(ws: Any, header_row: int | None = None, first_col: int = 0, last_col: int | None = None) -> None:
    """Landscape A4, one page wide, ``header_row`` (0-based) repeated at the top of every printed page."""
    ws.set_landscape()
    ws.set_paper(PAPER_A4)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.set_footer("&C&P / &N")
    if header_row is not None:
        ws.repeat_rows(header_row)


def print_setup_openpyxl(ws: Any, header_row: int | None = None) -> None:
    """The same page setup for an openpyxl worksheet (``header_row`` 1-based)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "&P / &N"
    if header_row is not None:
        ws.print_title_rows = f"{header_row}:{header_row}"
