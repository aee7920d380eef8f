"""Totals, top lists, the listening clock and the recent plays of a user."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from api.models.common import Milliseconds, RangeEcho, TopMeasure, UtcDatetime


class Summary(RangeEcho):
    plays: int
    listening_ms: Milliseconds
    distinct_tracks: int
    distinct_artists: int
    distinct_episodes: int
    first_played_at: UtcDatetime | None
    last_played_at: UtcDatetime | None


class ArtistRef(BaseModel):
    """An artist as a list row names it: enough to show the name and link to the page."""

    artist_id: str
    name: str


class Page(BaseModel):
    """What every top list answers besides its items: how it is ranked and paged."""

    by: TopMeasure = Field(description="The measure the items are ranked by.")
    offset: int = Field(ge=0, description="How many items of the range come before these.")
    total: int = Field(
        ge=0,
        description="How many items the range has in all; more follow while "
        "`offset` + the items' count is below it.",
    )


class TopTrack(BaseModel):
    rank: int
    track_id: str
    name: str
    artists: list[str] = Field(description="Artist names in the track's credit order.")
    artist_ids: list[str] = Field(description="The ids of `artists`, in the same order.")
    album_id: str | None
    album: str | None
    image_url: str | None
    plays: int
    listening_ms: Milliseconds


class TopTracks(Page):
    items: list[TopTrack]


class TopArtist(BaseModel):
    rank: int
    artist_id: str
    name: str
    plays: int
    listening_ms: Milliseconds


class TopArtists(Page):
    items: list[TopArtist]


class TopAlbum(BaseModel):
    rank: int
    album_id: str
    name: str
    image_url: str | None
    artists: list[ArtistRef] = Field(
        description="The artists credited on the album's tracks played in the range: lead "
        "artists before featured ones, then by plays in the range."
    )
    plays: int = Field(description="Plays of the album's tracks.")
    listening_ms: Milliseconds
    tracks_played: int = Field(description="How many of its tracks were played.")


class TopAlbums(Page):
    items: list[TopAlbum]


class TopShow(BaseModel):
    rank: int
    name: str = Field(description="The show's (or audiobook's) name, which also links to it.")
    plays: int
    listening_ms: Milliseconds
    episodes_played: int = Field(
        description="How many of its episodes (an audiobook's chapters) were played."
    )


class TopShows(Page):
    items: list[TopShow]


class ClockKind(StrEnum):
    """Which plays a listening clock counts."""

    all = "all"
    music = "music"
    podcasts = "podcasts"


class ClockCell(BaseModel):
    weekday: int = Field(ge=1, le=7, description="ISO weekday: 1 is Monday, 7 is Sunday.")
    hour: int = Field(ge=0, le=23, description="Local hour of day in the user's time zone.")
    plays: int
    listening_ms: Milliseconds


class ListeningClock(BaseModel):
    by: TopMeasure = Field(description="The measure the peak is the largest of.")
    kind: ClockKind
    time_zone: str = Field(description="The zone the weekdays and hours are local to.")
    plays: int = Field(description="All plays of the range (of `kind`).")
    listening_ms: Milliseconds
    peak: ClockCell | None = Field(
        description="The cell with the most `by` (ties: the other measure, then the earliest "
        "weekday and hour); none without plays."
    )
    cells: list[ClockCell] = Field(
        description="All 168 cells, Monday 00:00 first, weekday by weekday, hour by hour."
    )


class RecentTrack(BaseModel):
    track_id: str
    name: str
    artists: list[ArtistRef] = Field(description="In the track's credit order.")
    album_id: str | None
    album: str | None
    image_url: str | None


class RecentEpisode(BaseModel):
    episode_id: str
    name: str
    show: str | None = Field(description="The show's (or audiobook's) name.")


class RecentPlay(BaseModel):
    started_at: UtcDatetime
    ended_at: UtcDatetime
    ms_played: Milliseconds
    kind: Literal["track", "episode", "chapter"] = Field(
        description="A music track, a podcast episode or an audiobook chapter."
    )
    skipped: bool | None = Field(description="None where the source does not say.")
    track: RecentTrack | None
    episode: RecentEpisode | None


class RecentPlays(BaseModel):
    items: list[RecentPlay] = Field(description="Newest first.")
    next_before: UtcDatetime | None = Field(
        description="Pass as `before` for the next, older page; none on the last page."
    )
