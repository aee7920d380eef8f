"""Time for the fakes and the live demo: the real clock, or one a test or the demo moves.

A clock is any `() -> datetime` that answers an aware UTC instant (`etl.core.clock.Clock`), so
Moodify's own code can run on a simulated clock unchanged.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from etl.core.clock import Clock, system_clock

__all__ = ["Clock", "SimulatedClock", "from_unix_ms", "system_clock", "unix_ms"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def unix_ms(moment: datetime) -> int:
    """Milliseconds since the epoch, exactly (Spotify's cursors and `after`/`before`)."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no place on the timeline")
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def from_unix_ms(ms: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=ms)


def _aware_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("a simulated clock needs an aware datetime")
    return moment.astimezone(UTC)


class SimulatedClock:
    """A clock that stands still until told to move; safe to share between threads.

    The fakes read it on their server threads while a test or the demo moves it.
    """

    def __init__(self, start: datetime) -> None:
        self._now = _aware_utc(start)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        return self.now()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by `delta` (never back: time that runs backwards breaks cursors)."""
        if delta < timedelta(0):
            raise ValueError("a simulated clock only moves forward; use set() to go back")
        with self._lock:
            self._now += delta
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = _aware_utc(moment)
