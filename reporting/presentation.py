"""A table's figures as every page, chart, export and API answer shows them: suppressed cells never leave as numbers."""

from portal.foundation.formats import local_number
from reporting.indicators import Cell, Table
from reporting.suppression import HIDDEN_LABEL, Mark, shown


def shown_value(cell: Cell) -> int | float | str | None:
    """The figure as data: a number when shown, "<5" or "x" when suppressed, None when there is none."""
    if cell.kind == "count":
        return shown(int(cell.value or 0), cell.mark)
    if cell.mark != Mark.SHOWN:
        return str(HIDDEN_LABEL)
    if cell.value is None:
        return None
    return round(cell.value, 1)


def shown_cell(cell: Cell) -> str:
    """The figure as text on a page or in a chart."""
    value = shown_value(cell)
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    text = local_number(value, decimal_pos=0 if cell.kind == "count" else 1)
    return f"{text} %" if cell.kind == "percent" else text


def header_of(table: Table) -> list[str]:
    return [str(table.row_label), *(str(column.label) for column in table.columns)]


def rows_of(table: Table) -> list[list]:
    """Each row: its label, then each column's shown value (for the exports)."""
    return [
        [str(label), *(shown_value(table.cell(row, column.key)) for column in table.columns)]
        for row, label in table.all_rows()
    ]
