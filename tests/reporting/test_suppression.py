"""Small-cell suppression on hand-built tables: what is hidden, and that no hidden cell can be worked out.

`assert_nothing_derivable` plays the reader: it tries every value each hidden cell could hold
("<5": 1 to 4; "x": 0 or 5 and more, up to the largest shown total) and keeps the combinations
that agree with every shown cell and every sum; each hidden cell must keep two values at least.
"""

import pytest

from reporting.suppression import Mark, Sum, hide_derived, shown, shown_alone, suppress


def grid(rows: list[list[int]], *, totals: bool = True) -> tuple[dict, list[Sum]]:
    """A table of `rows` with a total column and a total row (keys (row, column), "T" for totals)."""
    values, sums = {}, []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            values[r, c] = value
        values[r, "T"] = sum(row)
        sums.append(Sum((r, "T"), tuple((r, c) for c in range(len(row)))))
    columns = [*range(len(rows[0])), "T"]
    if totals:
        for c in columns:
            values["T", c] = sum(values[r, c] for r in range(len(rows)))
            sums.append(Sum(("T", c), tuple((r, c) for r in range(len(rows)))))
    return values, sums


def possible(mark: Mark, limit: int) -> list[int]:
    if mark == Mark.SMALL:
        return [1, 2, 3, 4]
    return [0, *range(5, limit + 1)]


def assert_nothing_derivable(values: dict, sums: list[Sum], marks: dict) -> None:
    hidden = [key for key, mark in marks.items() if mark != Mark.SHOWN]
    limit = max(values.values())
    seen: dict = {key: set() for key in hidden}

    def consistent(candidate: dict) -> bool:
        for item in sums:
            members = [item.total, *item.parts]
            if all(key in candidate for key in members):
                if candidate[item.total] != sum(candidate[part] for part in item.parts):
                    return False
        return True

    def solve(candidate: dict, left: list) -> bool:
        """Record every solution's values; True once every hidden cell has two values (enough)."""
        if not consistent(candidate):
            return False
        if not left:
            for key in hidden:
                seen[key].add(candidate[key])
            return all(len(values_seen) >= 2 for values_seen in seen.values())
        key, rest = left[0], left[1:]
        return any(solve({**candidate, key: value}, rest) for value in possible(marks[key], limit))

    shown_cells = {key: value for key, value in values.items() if marks[key] == Mark.SHOWN}
    solve(shown_cells, hidden)
    for key in hidden:
        assert len(seen[key]) >= 2, f"cell {key} can only be {seen[key]}"


def test_counts_from_1_to_4_are_shown_as_less_than_5_and_others_as_they_are():
    marks = suppress({"zero": 0, "one": 1, "four": 4, "five": 5}, [])
    assert [shown(value, marks[key]) for key, value in [("zero", 0), ("one", 1), ("four", 4), ("five", 5)]] == [
        0,
        "<5",
        "<5",
        5,
    ]


def test_a_small_cell_in_a_row_with_its_total_hides_the_next_smallest_cell():
    values, sums = grid([[3, 9, 12]], totals=False)
    marks = suppress(values, sums)
    assert marks[0, 0] == Mark.SMALL
    assert marks[0, 1] == Mark.HIDDEN  # 9, the next smallest: 24 - 12 - 9 would give the 3 away
    assert marks[0, 2] == Mark.SHOWN and marks[0, "T"] == Mark.SHOWN
    assert_nothing_derivable(values, sums, marks)


def test_a_small_cell_of_a_table_is_safe_in_its_row_and_its_column():
    values, sums = grid([[3, 9, 12], [8, 7, 10], [11, 6, 14]])
    marks = suppress(values, sums)
    assert marks[0, 0] == Mark.SMALL
    hidden_in_row = [key for key in [(0, 1), (0, 2), (0, "T")] if marks[key] != Mark.SHOWN]
    hidden_in_column = [key for key in [(1, 0), (2, 0), ("T", 0)] if marks[key] != Mark.SHOWN]
    assert hidden_in_row and hidden_in_column
    assert_nothing_derivable(values, sums, marks)


def test_a_small_cell_next_to_zeros_hides_the_total():
    values, sums = grid([[3, 0, 0], [6, 5, 7]])
    marks = suppress(values, sums)
    assert marks[0, "T"] != Mark.SHOWN  # 3 + 0 + 0: the total would be the cell
    assert_nothing_derivable(values, sums, marks)


def test_two_small_cells_whose_sum_gives_them_away_are_protected():
    # 1 + 1 = 2: two "<5" adding up to 2 can only be 1 and 1.
    values, sums = grid([[1, 1, 9]], totals=False)
    marks = suppress(values, sums)
    assert marks[0, 2] == Mark.HIDDEN
    assert_nothing_derivable(values, sums, marks)


def test_several_small_cells_across_a_table_stay_underivable():
    values, sums = grid([[2, 0, 7], [4, 6, 1], [8, 3, 12]])
    marks = suppress(values, sums)
    assert {key for key, mark in marks.items() if mark == Mark.SMALL} == {(0, 0), (1, 0), (1, 2), (2, 1)}
    assert_nothing_derivable(values, sums, marks)


def test_a_total_shared_with_another_table_is_protected_in_both():
    # Table A: a row of statuses adding up to 20; table B: the same 20 split by reason.
    values = {"a1": 16, "a2": 4, "a_total": 20, "b1": 10, "b2": 6}
    sums = [Sum("a_total", ("a1", "a2")), Sum("a1", ("b1", "b2"))]
    marks = suppress(values, sums)
    assert marks["a2"] == Mark.SMALL and marks["a1"] == Mark.HIDDEN
    assert marks["b1"] != Mark.SHOWN or marks["b2"] != Mark.SHOWN  # else b1 + b2 gives a1, and a2 away
    assert_nothing_derivable(values, sums, marks)


def test_a_table_without_small_cells_is_shown_whole():
    values, sums = grid([[5, 9], [7, 0]])
    assert set(suppress(values, sums).values()) == {Mark.SHOWN}


def test_rates_and_times_of_few_people_or_of_hidden_counts_are_hidden():
    assert hide_derived(4) is True
    assert hide_derived(5) is False
    assert hide_derived(20, Mark.SHOWN, Mark.SMALL) is True
    assert hide_derived(20, Mark.SHOWN, Mark.HIDDEN) is True
    assert hide_derived(20, Mark.SHOWN) is False


@pytest.mark.parametrize(("count", "expected"), [(0, 0), (1, "<5"), (4, "<5"), (5, 5), (72, 72)])
def test_a_count_shown_alone_from_one_to_four_is_less_than_five(count, expected):
    assert shown_alone(count) == expected
