"""A "Wrapped" of any range of local days: totals, tops, highlight days, discoveries, the
longest session, the mood, and how the range compares with the one before."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from api.models.common import Milliseconds, Share, UtcDatetime
from api.models.listening import TopArtist, TopTrack


class RecapTotals(BaseModel):
    plays: int = Field(description="Plays of music and episodes.")
    listening_ms: Milliseconds
    listening_days: int = Field(description="Local days with at least one play.")
    distinct_tracks: int
    distinct_artists: int
    distinct_episodes: int
    new_tracks: int = Field(description="Tracks first played in the range (ever).")
    new_artists: int = Field(description="Artists first played in the range (ever).")


class RecapTrack(BaseModel):
    track_id: str
    name: str
    artists: list[str] = Field(description="Artist names in the track's credit order.")


class RecapDay(BaseModel):
    date: dt.date = Field(description="A local day in the user's time zone.")
    plays: int = Field(description="All plays of the day, music and episodes.")
    listening_ms: Milliseconds
    valence: Share | None = Field(description="The day's music, weighted by listening time.")
    energy: Share | None
    coverage: Share | None = Field(
        description="The share of the day's music time with audio features; none without music."
    )
    top_track: RecapTrack | None = Field(description="The day's most listened track.")


class RecapSession(BaseModel):
    started_at: UtcDatetime
    ended_at: UtcDatetime
    date: dt.date = Field(description="The local day the session started on.")
    plays: int
    listening_ms: Milliseconds


class RecapDiscovery(BaseModel):
    artist_id: str
    name: str
    first_played_at: UtcDatetime
    plays: int = Field(description="Plays of the artist's tracks within the range.")
    listening_ms: Milliseconds


class RecapMood(BaseModel):
    valence: Share | None = Field(description="Weighted by listening time over featured music.")
    energy: Share | None
    coverage: Share = Field(description="The share of music time with audio features.")
    listening_ms: Milliseconds = Field(description="Music time (episodes have no mood).")


class RecapChange(BaseModel):
    current: int
    previous: int
    change: float | None = Field(
        description="(current - previous) / previous: 0.25 is 25% more; none when previous is 0."
    )


class RecapComparison(BaseModel):
    from_: dt.date = Field(serialization_alias="from", description="First day compared.")
    to: dt.date = Field(
        description="Last day compared: the range's end, or today while the range is under way."
    )
    previous_from: dt.date
    previous_to: dt.date
    listening_ms: RecapChange
    plays: RecapChange
    distinct_artists: RecapChange
    new_tracks: RecapChange
    new_artists: RecapChange


class Recap(BaseModel):
    from_: dt.date = Field(serialization_alias="from")
    to: dt.date
    days: int = Field(description="How many days the range has.")
    totals: RecapTotals
    top_tracks: list[TopTrack] = Field(description="The top 5, by listening time.")
    top_artists: list[TopArtist] = Field(description="The top 5, by listening time.")
    brightest_day: RecapDay | None = Field(description="The highest valence of a mood day.")
    melancholic_day: RecapDay | None = Field(
        description="The lowest valence of a mood day other than the brightest."
    )
    mood_day_min_listening_ms: Milliseconds = Field(
        description="The brightest and most melancholic days are chosen among the days with "
        "at least this much music,"
    )
    mood_day_min_coverage: Share = Field(
        description="and at least this share of that music with audio features."
    )
    busiest_day: RecapDay | None = Field(description="The day with the most listening time.")
    longest_session: RecapSession | None = Field(
        description="The session with the longest span (first start to last end) that started "
        "in the range."
    )
    top_discoveries: list[RecapDiscovery] = Field(
        description="Up to 3 artists first played in the range, by listening time in it."
    )
    mood: RecapMood
    comparison: RecapComparison
