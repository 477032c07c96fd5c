"""The dashboards' bar charts (reporting/charts.py): a chart of many rows draws the largest only."""

from reporting import charts
from reporting.indicators import Cell, Column, Table
from reporting.suppression import Mark


def table_of(values: list[int | None], hidden: set[int] = frozenset()) -> Table:
    table = Table("t", "Answers", "Organisation", (Column("received", "Received"),), chart_column="received")
    for index, value in enumerate(values):
        table.rows.append((str(index), f"Organisation {index}"))
        table.cells[str(index), "received"] = Cell(value, mark=Mark.SMALL if index in hidden else Mark.SHOWN)
    return table


def test_a_chart_of_few_rows_draws_every_row():
    table = table_of(list(range(charts.MOST_BARS)))
    assert charts.charted_rows(table) == table.rows


def test_a_chart_of_many_rows_draws_the_largest_shown_figures_in_the_tables_order(monkeypatch):
    monkeypatch.setattr(charts, "MOST_BARS", 3)
    table = table_of([5, 90, 7, 60, None, 80, 6, 70], hidden={1})  # 90 shows as "<5": the page hides its size
    drawn = charts.charted_rows(table)
    svg = str(charts.bar_chart(table))
    assert [label for _key, label in drawn] == ["Organisation 3", "Organisation 5", "Organisation 7"]
    assert svg.count("<rect") == 3
    assert "Organisation 1<" not in svg
