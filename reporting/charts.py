"""Charts drawn by the portal itself: a horizontal bar per row of a table, as SVG, no script and no other host.

A bar's length is the row's shown figure; a suppressed figure draws no bar, only its "<5" or "x",
so a chart gives away no more than its table, which always follows it for screen readers. In a
right-to-left language the bars grow from the right.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language_bidi

from reporting.indicators import Table
from reporting.presentation import shown_cell

WIDTH = 640
LABEL_WIDTH = 240
BAR_HEIGHT = 20
GAP = 8
VALUE_SPACE = 48
# A chart of more rows draws the largest of them only (the network's 2,000 organisations would make it
# 56,000 px tall); its table lists every row.
MOST_BARS = 20


def charted_rows(table: Table) -> list:
    """The rows a chart draws, in the table's order: all of them, or the MOST_BARS with the largest shown figures."""
    rows = table.all_rows()
    if len(rows) <= MOST_BARS:
        return rows

    def shown_value(row) -> float:
        cell = table.cell(row[0], table.chart_column)
        return -1 if cell.hidden else cell.value or 0

    largest = {key for key, _label in sorted(rows, key=shown_value, reverse=True)[:MOST_BARS]}
    return [row for row in rows if row[0] in largest]


def bar_chart(table: Table) -> SafeString:
    rows = charted_rows(table)
    cells = [table.cell(row, table.chart_column) for row, _label in rows]
    values = [cell.value or 0 for cell in cells if not cell.hidden]
    largest = max(values, default=0) or 1
    bar_space = WIDTH - LABEL_WIDTH - VALUE_SPACE
    rtl = get_language_bidi()
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    bars = []
    for index, ((_row, label), cell) in enumerate(zip(rows, cells, strict=True)):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = 0 if cell.hidden else round(bar_space * (cell.value or 0) / largest)
        bar_x = WIDTH - LABEL_WIDTH - length if rtl else LABEL_WIDTH
        label_x, value_x = (
            (WIDTH - LABEL_WIDTH + 8, WIDTH - LABEL_WIDTH - length - 6)
            if rtl
            else (
                LABEL_WIDTH - 8,
                LABEL_WIDTH + length + 6,
            )
        )
        bars.append((y, bar_x, length, label_x, value_x, str(label), shown_cell(cell)))
    anchor_label, anchor_value = ("start", "end") if rtl else ("end", "start")
    body = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="{}" class="chart-label">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar"></rect>'
        '<text x="{}" y="{}" text-anchor="{}" class="chart-value">{}</text>',
        (
            (
                label_x,
                y + 15,
                anchor_label,
                label[:34],
                bar_x,
                y,
                length,
                BAR_HEIGHT,
                value_x,
                y + 15,
                anchor_value,
                value,
            )
            for y, bar_x, length, label_x, value_x, label, value in bars
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="chart-{}-title" '
        'xmlns="http://www.w3.org/2000/svg"><title id="chart-{}-title">{}</title>{}</svg>',
        WIDTH,
        height,
        table.key,
        table.key,
        table.title,
        body,
    )
