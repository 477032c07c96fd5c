"""Small-cell suppression: no figure lets anyone count fewer than five people.

Primary suppression: a count from 1 to 4 is shown as "<5" (`SMALL`). Secondary suppression:
cells are tied by sums (the parts of a row or column add up to its total, shown or not), and
from the shown members of a sum a reader could work out the hidden one. So, until no sum gives
a hidden member away, one more member of such a sum is hidden (`HIDDEN`, shown as "x"): the
smallest non-zero part, else the total. A sum gives a member away when it has exactly one
hidden member, or when, knowing that a "<5" cell holds 1 to 4 and an "x" cell 0 or 5 and more,
the hidden members' known sum leaves one of them a single possible value (e.g. two "<5" cells
adding up to 2). Sums are only those declared (rows and columns, and a total shared with
another table); a reader combining several sums at once is not modelled beyond that, which
the tests check on hand-built tables by trying every possible value.

Rates and medians computed from hidden counts, or from fewer than five people, are hidden too
(`hide_derived`).
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.utils.translation import gettext_lazy as _

SMALLEST_SHOWN = 5


class Mark(Enum):
    SHOWN = "shown"
    SMALL = "small"  # a count from 1 to 4, shown as "<5"
    HIDDEN = "hidden"  # hidden so that no small count can be worked out, shown as "x"


SMALL_LABEL = _("<5")
HIDDEN_LABEL = _("x")
RULE = _(
    "Counts from 1 to 4 are shown as <5; x marks a figure hidden so that no such count can be worked out "
    "from the totals; rates and times based on fewer than 5 people are hidden too."
)


@dataclass(frozen=True)
class Sum:
    """The parts add up to the total."""

    total: Hashable
    parts: tuple[Hashable, ...]


def suppress(values: Mapping[Any, int], sums: Iterable[Sum]) -> dict[Any, Mark]:
    """The mark of every cell of `values`: primary suppression, then secondary until every sum is safe."""
    marks = {key: Mark.SMALL if 0 < value < SMALLEST_SHOWN else Mark.SHOWN for key, value in values.items()}
    sums = [item for item in sums if item.parts]
    changed = True
    while changed:
        changed = False
        for item in sums:
            if gives_away(item, values, marks):
                marks[next_to_hide(item, values, marks)] = Mark.HIDDEN
                changed = True
    return marks


def gives_away(item: Sum, values: Mapping[Any, int], marks: Mapping[Any, Mark]) -> bool:
    members = (item.total, *item.parts)
    hidden = [key for key in members if marks[key] != Mark.SHOWN]
    if not hidden:
        return False
    if len(hidden) == 1:
        return True
    if marks[item.total] != Mark.SHOWN:
        return False  # the total is hidden with some part: their difference is all a reader knows
    known_sum = sum(values[key] for key in hidden)
    return any(len(possible_values(key, hidden, known_sum, marks)) == 1 for key in hidden)


def next_to_hide(item: Sum, values: Mapping[Any, int], marks: Mapping[Any, Mark]) -> Any:
    shown_parts = [key for key in item.parts if marks[key] == Mark.SHOWN and values[key] > 0]
    if shown_parts:
        return min(shown_parts, key=lambda key: values[key])
    if marks[item.total] == Mark.SHOWN:
        return item.total
    return min((key for key in item.parts if marks[key] == Mark.SHOWN), key=lambda key: values[key])


def domain(mark: Mark, limit: int) -> int:
    """The values a reader knows a cell may hold, up to `limit`, as a bit set (bit n: the value n)."""
    every = (1 << (limit + 1)) - 1
    if mark == Mark.SMALL:
        return 0b11110 & every
    if mark == Mark.HIDDEN:
        return (every >> SMALLEST_SHOWN << SMALLEST_SHOWN) | 1
    raise ValueError(mark)


def reachable(keys: Iterable[Hashable], marks: Mapping[Hashable, Mark], limit: int) -> int:
    """The sums the cells `keys` may make together, up to `limit`, as a bit set."""
    every = (1 << (limit + 1)) - 1
    sums = 1
    for key in keys:
        if marks[key] == Mark.SMALL:
            sums = (sums << 1 | sums << 2 | sums << 3 | sums << 4) & every
        else:  # 0, or any value from 5 on: everything from the smallest sum so far plus 5
            lowest = (sums & -sums).bit_length() - 1
            sums = (sums | every >> (lowest + SMALLEST_SHOWN) << (lowest + SMALLEST_SHOWN)) & every
        if not sums:
            return 0
    return sums


def possible_values(key: Hashable, hidden: list[Hashable], known_sum: int, marks: Mapping[Hashable, Mark]) -> list[int]:
    """The values hidden cell `key` may hold, given its domain, the others' and their known sum."""
    others = reachable([other for other in hidden if other != key], marks, known_sum)
    options = domain(marks[key], known_sum)
    return [value for value in range(known_sum + 1) if options >> value & 1 and others >> (known_sum - value) & 1]


def shown(value: int, mark: Mark) -> int | str:
    """A count as every page, chart, export and answer of the API shows it."""
    if mark == Mark.SMALL:
        return str(SMALL_LABEL)
    if mark == Mark.HIDDEN:
        return str(HIDDEN_LABEL)
    return value


def shown_alone(count: int) -> int | str:
    """A count shown with no total or neighbour that could give it away: "<5" from 1 to 4."""
    return shown(count, Mark.SMALL if 0 < count < SMALLEST_SHOWN else Mark.SHOWN)


def hide_derived(base_count: int, *marks: Mark) -> bool:
    """Whether a rate or a time worked out from `base_count` people, and from counts marked `marks`, is hidden."""
    return base_count < SMALLEST_SHOWN or any(mark != Mark.SHOWN for mark in marks)
