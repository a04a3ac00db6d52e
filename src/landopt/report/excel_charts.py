"""Native openpyxl bar charts for the openpyxl-written workbooks (sweep, diagnosis, template)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Mapping, Sequence

from openpyxl.chart import BarChart, Reference, Series
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from landopt.report.units import FMT_INT, sheet_ref

if TYPE_CHECKING:
    from landopt.report.excel import TableBlock

EXCEL_ROW_CM = 0.53  # default row height (15 pt) in cm

# --------------------------------------------------------------------------- charts
def bar_chart(
    ws: Worksheet,
    block: TableBlock,
    series_columns: Sequence[str],
    category_column: str,
    title: str,
    y_title: str,
    *,
    grouping: str = "clustered",
    horizontal: bool = False,
    rows: tuple[int, int] | None = None,
    width_cm: float = 18.0,
    height_cm: float = 9.0,
    number_format: str = FMT_INT,
    series_titles: Mapping[str, str] | None = None,
) -> BarChart:
    """A native bar/column chart of ``series_columns`` (one series each, titled by its header) against
    ``category_column`` of ``block``.  ``rows`` restricts the data rows (default: all).  ``series_titles``
    gives short legend names (default: a reference to the column's header cell)."""
    first, last = rows or (block.first_row, block.last_row)
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.grouping = grouping
    if grouping in ("stacked", "percentStacked"):
        chart.overlap = 100
    else:
        chart.gapWidth = 80
    chart.title = title
    chart.y_axis.title = y_title
    chart.y_axis.number_format = number_format
    # openpyxl >= 3.1 leaves the axes' <c:delete> unset, which newer Excel reads as "hidden"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.tickLblPos = "low"  # category labels below the plot, not on the zero line among negative bars
    chart.plot_visible_only = False  # filtering a table beside the data must not blank the chart
    chart.width = width_cm
    chart.height = height_cm
    chart.legend.position = "b" if len(series_columns) <= 6 else "r"  # many series: legend beside the plot
    for c in series_columns:
        col = block.col(c)
        s = Series(Reference(ws, min_col=col, max_col=col, min_row=first, max_row=last), title_from_data=False)
        if series_titles and c in series_titles:
            s.tx = SeriesLabel(v=series_titles[c])
        else:
            s.tx = SeriesLabel(strRef=StrRef(f"{sheet_ref(ws.title)}!${get_column_letter(col)}${block.header_row}"))
        chart.series.append(s)
    cats = Reference(ws, min_col=block.col(category_column), max_col=block.col(category_column),
                     min_row=first, max_row=last)
    chart.set_categories(cats)
    return chart


def chart_rows(height_cm: float) -> int:
    """Rows (of default height) a chart of ``height_cm`` covers."""
    return int(math.ceil(height_cm / EXCEL_ROW_CM)) + 1
