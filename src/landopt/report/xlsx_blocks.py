"""Blocks built on :func:`landopt.report.xlsx.write_table`: a two-column item list and native bar charts."""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
import pandas as pd

from landopt.report.i18n import W, tr
from landopt.report.style import FONT, value_axis_bounds
from landopt.report.xlsx import FMT_INT, MAX_WIDTH, ROW_PX, Block, Book, text_width, write_table


def write_items(book: Book, ws: Any, rows: Sequence[tuple[str, Any, str]], row: int, col: int = 0, *,
                name: str, headers: tuple[str, str, str], formats: Sequence[str | None] | None = None) -> Block:
    """A three-column (item, value, unit) table; ``formats`` gives a number format per row."""
    df = pd.DataFrame([(a, None, c) for a, _b, c in rows], columns=["item", "value", "unit"])
    blk = write_table(book, ws, df, row, col, headers=dict(zip(df.columns, headers)), name=name)
    vc = blk.col("value")
    for i, (_a, v, _c) in enumerate(rows):
        f = book.fmt(num_format=formats[i]) if formats and formats[i] else None
        r = blk.first_row + i
        if v is None or (isinstance(v, float) and not math.isfinite(v)):
            continue
        if isinstance(v, bool):
            ws.write_string(r, vc, tr(W["yes"] if v else W["no"], book.lang))
        elif isinstance(v, (int, float, np.integer, np.floating)):
            ws.write_number(r, vc, float(v), f)
        else:
            ws.write_string(r, vc, str(v), book.fmt(text_wrap=True, valign="top") if len(str(v)) > 60 else None)
        book.widen(ws, vc, min(text_width(str(v)), MAX_WIDTH) + 2)
    return blk


# --------------------------------------------------------------------------- charts
def bar_chart(book: Book, ws: Any, block: Block, series: Sequence[tuple[str, str, str]], category: str, *,
              title: str, y_title: str, data: pd.DataFrame, rows: tuple[int, int] | None = None,
              horizontal: bool = False, stacked: bool = False, number_format: str = FMT_INT,
              width_px: int = 720, height_px: int = 400) -> Any:
    """A bar/column chart of ``series`` = [(column, legend name, colour)] against ``category`` in ``block``.

    ``data`` holds the plotted values (to set the value axis): it starts at zero (see
    :func:`landopt.report.style.value_axis_bounds`)."""
    first, last = rows or (block.first_row, block.last_row)
    ch = book.wb.add_chart({"type": "bar" if horizontal else "column", **({"subtype": "stacked"} if stacked else {})})
    for c, legend, colour in series:
        j = block.col(c)
        ch.add_series({"name": legend, "categories": [ws.name, first, block.col(category), last, block.col(category)],
                       "values": [ws.name, first, j, last, j], "fill": {"color": colour},
                       "border": {"none": True}, "gap": 60, **({"overlap": 100} if stacked else {})})
    values = data[[c for c, _l, _c in series]].to_numpy(dtype=float)
    if stacked:
        values = np.concatenate([np.where(values > 0, values, 0).sum(axis=1), np.where(values < 0, values, 0).sum(axis=1)])
    bounds = value_axis_bounds(values.ravel())
    axis = {"name": y_title, "num_format": number_format, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
            "name_font": {"name": FONT, "bold": False, "size": 11}, "num_font": {"name": FONT, "size": 11}, **bounds}
    cat_axis = {"label_position": "low", "num_font": {"name": FONT, "size": 11}}  # ≥ 8 pt when printed at 73 %
    ch.set_y_axis(axis)
    ch.set_x_axis(cat_axis)
    ch.set_title({"name": title, "name_font": {"name": FONT, "size": 13}})
    ch.set_legend({"position": "bottom" if len(series) <= 6 else "right", "font": {"name": FONT, "size": 11}})
    ch.set_size({"width": width_px, "height": height_px})
    ch.show_hidden_data()
    return ch


def chart_rows(height_px: int) -> int:
    """Rows of default height a chart of ``height_px`` covers, plus one."""
    return int(math.ceil(height_px / ROW_PX)) + 1
