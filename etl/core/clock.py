"""Time, in one place: the only module that reads the wall clock.

Everything else takes a `Clock` (any `() -> datetime` answering an aware UTC instant)
injected from its edge (the CLI, a Lambda handler, the API app), so every test can run
on any date, and SQL receives "now" and "today" as bind parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The wall clock, in UTC."""
    return datetime.now(UTC)


def local_today(clock: Clock, time_zone: str) -> date:
    """The calendar day it is now in `time_zone` (an IANA name)."""
    return clock().astimezone(ZoneInfo(time_zone)).date()
