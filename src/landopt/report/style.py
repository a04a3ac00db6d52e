"""One look for every workbook: a colour per land use, page setup, and value-axis rules for charts.

* :data:`ROLE_COLOURS` — one colour per land-use *role*; :func:`land_use_colours` gives every land use
  of a workbook its colour (by role, so forest is green in every chart of every workbook).
* :func:`print_setup_xlsxwriter` / :func:`print_setup_openpyxl` — landscape A4, fit to one page wide,
  header rows repeated on every printed page.
* :func:`value_axis_bounds` — value axes start at zero: all data ≥ 0 → min 0; all ≤ 0 → max 0; data of both
  signs → the axis spans zero anyway and Excel's automatic bounds are kept.
"""

from __future__ import annotations

import unicodedata

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


#: widest a sheet may be (px at 100 %) and still print one page wide at ≥ 73 % (11 pt text → ≥ 8 pt); pixels per
#: character of column width when printed: Excel's 7 px (Calibri) is too few where the workbook's font (Microsoft
#: YaHei) is missing — LibreOffice on Linux falls back to DejaVu Sans, 7.0 pt = 9.3 px per character (measured on
#: the plan's PDF) — so the one-page-wide test counts 9.4 px
MAX_PRINT_PX, PRINT_PX_PER_CHAR, PRINT_SCALE_MIN = 1430, 9.4, 73


def print_scale_openpyxl(ws: Any) -> None:
    """A sheet set to print one page wide that is too wide for ≥ 8 pt text prints at 73 % instead, over several
    pages wide with its first column repeated (the rule the xlsxwriter workbooks follow)."""
    from openpyxl.utils import get_column_letter

    if not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage:
        return
    starts, px = [], 0.0
    for c in range(1, (ws.max_column or 0) + 1):
        dim = ws.column_dimensions.get(get_column_letter(c))
        width = dim.width if dim is not None and dim.width else 8.43
        starts.append(px)
        px += width * PRINT_PX_PER_CHAR + 5
    # text that spills past the last column (titles, notes) widens the printed page too (LibreOffice prints it)
    for row in ws.iter_rows(max_row=min(ws.max_row or 0, 200)):
        for cell in row:
            if isinstance(cell.value, str) and not (cell.alignment and cell.alignment.wrap_text):
                width = sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in cell.value)
                px = max(px, starts[cell.column - 1] + width * PRINT_PX_PER_CHAR)
    if px > MAX_PRINT_PX:
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.page_setup.scale = PRINT_SCALE_MIN
        ws.print_title_cols = "A:A"


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
