"""Habits: listening sessions, streaks of listening days, and discoveries (first plays)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field

from api.models.common import Milliseconds, RangeEcho, UtcDatetime
from api.models.listening import ArtistRef


class Session(BaseModel):
    started_at: UtcDatetime = Field(description="The start of its first play.")
    ended_at: UtcDatetime = Field(description="The latest end of its plays.")
    day: dt.date = Field(description="The local day it started on (the user's time zone).")
    plays: int
    listening_ms: Milliseconds
    duration_ms: int = Field(ge=0, description="From `started_at` to `ended_at`.")


class SessionLengths(BaseModel):
    """How many sessions lasted at least `min_minutes` and less than `max_minutes`."""

    min_minutes: int
    max_minutes: int | None = Field(description="None for the last, open-ended bucket.")
    sessions: int


class Sessions(RangeEcho):
    sessions: int = Field(description="Sessions that started within the range.")
    duration_ms: int = Field(ge=0, description="Their durations, summed.")
    listening_ms: Milliseconds
    plays: int
    average_duration_ms: int | None = Field(description="None without sessions.")
    average_plays: float | None = Field(description="Plays per session; None without sessions.")
    longest: list[Session] = Field(
        description="The longest sessions, longest first (ties: more listening time, then "
        "the earlier one)."
    )
    lengths: list[SessionLengths] = Field(description="A histogram of the sessions' durations.")


class Streak(BaseModel):
    """Consecutive local days with at least one play each."""

    start: dt.date
    end: dt.date
    days: int


class Streaks(RangeEcho):
    today: dt.date = Field(description="The local day it is now in the user's time zone.")
    listening_days: int = Field(description="Local days with a play within the range.")
    longest: Streak | None = Field(
        description="The longest streak within the range (cut at its ends); the latest of "
        "equally long ones. None without listening days."
    )
    top: list[Streak] = Field(
        description="The longest streaks within the range, longest (then latest) first."
    )
    current: Streak | None = Field(
        description="The streak that ends today or yesterday, whatever the range: None when "
        "the user listened on neither day."
    )
    recent_days: list[dt.date] = Field(
        description="The listening days among the 28 local days up to today."
    )


class DiscoveryKind(StrEnum):
    track = "track"
    artist = "artist"


class DiscoveryMonth(BaseModel):
    month: dt.date = Field(description="The month's first day (local months).")
    tracks: int = Field(description="Tracks first played that month.")
    artists: int = Field(description="Artists first played that month.")


class Discovery(BaseModel):
    """A track or artist whose first-ever play falls within the range."""

    item_id: str = Field(description="The track_id or artist_id.")
    name: str
    first_played_at: UtcDatetime
    day: dt.date = Field(description="The local day of the first play.")
    plays: int = Field(description="All its plays since (and including) the first.")
    listening_ms: Milliseconds
    artists: list[ArtistRef] = Field(description="A track's artists in credit order; [] else.")
    album_id: str | None = Field(description="A track's album; None for an artist.")
    image_url: str | None = Field(description="The album's or the artist's image.")


class Discoveries(RangeEcho):
    kind: DiscoveryKind = Field(description="What `items` lists.")
    new_tracks: int = Field(description="Tracks first played within the range.")
    new_artists: int = Field(description="Artists first played within the range.")
    months: list[DiscoveryMonth] = Field(
        description="Every month from the range's first discovery to its last (zeros included)."
    )
    offset: int = Field(ge=0)
    total: int = Field(ge=0, description="How many discoveries of `kind` the range has.")
    items: list[Discovery] = Field(description="Newest first.")
