"""The mood of a user's music, by day and over time."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from api.models.common import Granularity, Milliseconds, Share


class MoodDay(BaseModel):
    date: dt.date
    plays: int
    listening_ms: Milliseconds
    valence: Share | None
    energy: Share | None
    coverage: Share


class MoodCalendar(BaseModel):
    from_: dt.date = Field(serialization_alias="from")
    to: dt.date
    days: list[MoodDay]


class MoodPoint(BaseModel):
    period_start: dt.date
    valence: Share | None
    energy: Share | None
    coverage: Share
    listening_ms: Milliseconds


class MoodTrends(BaseModel):
    granularity: Granularity
    points: list[MoodPoint]
