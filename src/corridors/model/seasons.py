"""Navigation seasons: the months of the year a link or passage can be used.

A season is written as a range of month numbers, ``"4-11"`` (April to November), which may run
over the new year (``"11-3"``). In the model it is the tuple of its months, in calendar order;
the empty tuple means all year. Compiled graphs keep it as a 12-bit mask, bit ``m - 1`` for
month ``m``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable

from corridors.errors import InvalidOptionError

ALL_YEAR = (1 << 12) - 1
"""The mask of a link open in every month."""


def parse_months(text: str) -> tuple[int, ...]:
    """The months of a season written ``"first-last"`` or as one month (month numbers, 1 to
    12); ``""`` is all year.

    >>> parse_months("4-11")
    (4, 5, 6, 7, 8, 9, 10, 11)
    >>> parse_months("11-2"), parse_months("8"), parse_months("")
    ((1, 2, 11, 12), (8,), ())
    """
    text = text.strip()
    if not text:
        return ()
    first, _, last = text.partition("-")
    try:
        a, b = int(first), int(last or first)
    except ValueError:
        a = b = 0
    if not (1 <= a <= 12 and 1 <= b <= 12):
        raise ValueError("a season is 'first-last' with months 1 to 12, e.g. '4-11' (April to November), or one month")
    return check_months(range(a, b + 1) if a <= b else [*range(a, 13), *range(1, b + 1)])


def check_months(months: Iterable[int]) -> tuple[int, ...]:
    """The months of a season as a sorted tuple, each checked with :func:`check_month`, and
    together one unbroken stretch (over the new year or not); all twelve become ``()``.

    >>> check_months([12, 1, 2]), check_months(range(1, 13))
    ((1, 2, 12), ())
    >>> check_months([4, 5, 8])
    Traceback (most recent call last):
    ValueError: a season is one stretch of months, e.g. April to November; got months [4, 5, 8]
    """
    found = tuple(sorted({check_month(int(m)) for m in months}))
    if len(found) == 12:
        return ()
    if len([m for m in found if (m - 2) % 12 + 1 not in found]) > 1:  # more than one first month
        raise ValueError(f"a season is one stretch of months, e.g. April to November; got months {list(found)}")
    return found


def open_in(masks, month: int):
    """Whether each 12-bit month mask (:func:`months_mask`; an int or an array) is open in ``month``.

    >>> open_in(months_mask((4, 5)), 5), open_in(months_mask((4, 5)), 6)
    (True, False)
    """
    return (masks & (1 << (month - 1))) != 0


def check_month(month: int) -> int:
    """A month number, 1 to 12; anything else raises :class:`InvalidOptionError` (a
    ``ValueError``) saying so."""
    if not 1 <= month <= 12:
        raise InvalidOptionError(f"month {month} is out of range; give 1 (January) to 12 (December)")
    return month


def months_mask(months: Iterable[int]) -> int:
    """The 12-bit mask of a season (:data:`ALL_YEAR` for the empty, all-year season).

    >>> months_mask((4, 5)) == 0b11000
    True
    """
    mask = 0
    for month in months:
        mask |= 1 << (month - 1)
    return mask or ALL_YEAR


def describe(months: tuple[int, ...]) -> str:
    """A season in words, its first to its last month.

    >>> describe((4, 5, 6, 7, 8, 9, 10, 11)), describe((1, 2, 11, 12)), describe((8,)), describe(())
    ('April to November', 'November to February', 'in August', 'all year')
    """
    if not months:
        return "all year"
    if len(months) == 1:
        return f"in {calendar.month_name[months[0]]}"
    gaps = [m for m in months if m - 1 not in months and not (m == 1 and 12 in months)]
    first = gaps[0] if gaps else months[0]
    last = (first - 2) % 12 + 1  # the month before the first, then back to the last open one
    while last not in months:
        last = (last - 2) % 12 + 1
    return f"{calendar.month_name[first]} to {calendar.month_name[last]}"
