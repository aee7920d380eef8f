"""The range a recap is compared with: calendar arithmetic, apart from any request."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from api.deps import Days


def _is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


def _whole_months(days: Days) -> int | None:
    """How many calendar months the range is made of; None unless it is whole months."""
    if days.start.day != 1 or not _is_month_end(days.end):
        return None
    return (days.end.year - days.start.year) * 12 + days.end.month - days.start.month + 1


def _months_back(day: date, months: int) -> date:
    """The same day `months` months earlier: a month's last day maps to a month's last day,
    a day the earlier month lacks (the 31st) to its last."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, last if _is_month_end(day) else min(day.day, last))


def compared_ranges(days: Days, today: date) -> tuple[Days, Days]:
    """The part of `days` compared (up to `today` while the range is under way) and the
    same part of the range before: the previous year, month or run of whole months for
    whole calendar months (2025 is compared with 2024, March with February), otherwise the
    same number of days just before."""
    end = today if days.start <= today < days.end else days.end
    months = _whole_months(days)
    if months is None:
        length = timedelta(days=(days.end - days.start).days + 1)
        return Days(days.start, end), Days(days.start - length, end - length)
    return Days(days.start, end), Days(_months_back(days.start, months), _months_back(end, months))
