"""The range a recap is compared with, for whole months, other ranges, and ranges under way."""

from __future__ import annotations

from datetime import date

import pytest

from api.deps import Days
from api.periods import compared_ranges

FAR_AHEAD = date(2100, 1, 1)  # "today" after every range below: none is under way


def days(start: str, end: str) -> Days:
    return Days(date.fromisoformat(start), date.fromisoformat(end))


@pytest.mark.parametrize(
    ("shown", "before"),
    [
        (days("2025-01-01", "2025-12-31"), days("2024-01-01", "2024-12-31")),  # a year
        (days("2024-03-01", "2024-03-31"), days("2024-02-01", "2024-02-29")),  # a leap February
        (days("2025-04-01", "2025-06-30"), days("2025-01-01", "2025-03-31")),  # a quarter
        (days("2025-01-01", "2025-01-31"), days("2024-12-01", "2024-12-31")),  # across a year
        (days("2026-02-01", "2026-02-14"), days("2026-01-18", "2026-01-31")),  # 14 days
        (days("2026-03-15", "2026-04-14"), days("2026-02-12", "2026-03-14")),  # 31 days
    ],
)
def test_whole_months_compare_with_the_months_before_other_ranges_with_as_many_days(
    shown: Days, before: Days
) -> None:
    assert compared_ranges(shown, FAR_AHEAD) == (shown, before)


def test_a_range_under_way_compares_its_days_so_far_with_the_same_part_before() -> None:
    year = days("2026-01-01", "2026-12-31")
    assert compared_ranges(year, date(2026, 11, 30)) == (
        days("2026-01-01", "2026-11-30"),
        days("2025-01-01", "2025-11-30"),
    )
    march = days("2026-03-01", "2026-03-31")
    # The 30th of March maps to the 28th of February, and the month's end to its end.
    assert compared_ranges(march, date(2026, 3, 30)) == (
        days("2026-03-01", "2026-03-30"),
        days("2026-02-01", "2026-02-28"),
    )
    assert compared_ranges(march, date(2026, 3, 31)) == (march, days("2026-02-01", "2026-02-28"))
