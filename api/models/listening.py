"""Totals and top lists of a user's plays."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from api.models.common import Milliseconds, TopMeasure, UtcDatetime


class Summary(BaseModel):
    from_: dt.date | None = Field(serialization_alias="from")
    to: dt.date | None
    plays: int
    listening_ms: Milliseconds
    distinct_tracks: int
    distinct_artists: int
    distinct_episodes: int
    first_played_at: UtcDatetime | None
    last_played_at: UtcDatetime | None


class TopTrack(BaseModel):
    rank: int
    track_id: str
    name: str
    artists: list[str] = Field(description="Artist names in the track's credit order.")
    album: str | None
    image_url: str | None
    plays: int
    listening_ms: Milliseconds


class TopTracks(BaseModel):
    by: TopMeasure = Field(description="The measure the items are ranked by.")
    items: list[TopTrack]


class TopArtist(BaseModel):
    rank: int
    artist_id: str
    name: str
    plays: int
    listening_ms: Milliseconds


class TopArtists(BaseModel):
    by: TopMeasure = Field(description="The measure the items are ranked by.")
    items: list[TopArtist]
