"""Sharing one's listening with the other users of this Moodify, and comparing with them."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from api.models.common import Milliseconds, RangeEcho, Share, UtcDatetime


class Friend(BaseModel):
    """A user of this Moodify who shares their listening."""

    user_id: str
    display_name: str | None


class Sharing(BaseModel):
    shared: bool = Field(description="Whether I share my listening (opt-in: false until I do).")
    changed_at: UtcDatetime | None = Field(description="When I last chose; None: never.")
    sharing: list[Friend] = Field(
        description="The other users of this Moodify who share, whether I do or not; users "
        "who do not share are never named."
    )
    max_sharing: int = Field(description="How many users may share at once.")
    slots_left: int = Field(ge=0, description="How many more users may start sharing.")


class SharingChoice(BaseModel):
    shared: bool


class Friends(BaseModel):
    shared: bool = Field(description="Whether I share; comparing needs both sides to.")
    friends: list[Friend] = Field(
        description="Who I can compare with: the others who share; none while I do not."
    )


class SharedArtist(BaseModel):
    artist_id: str
    name: str
    mine_ms: Milliseconds
    theirs_ms: Milliseconds
    mine_share: Share = Field(description="The artist's share of my artist listening time.")
    theirs_share: Share = Field(description="The artist's share of the friend's.")


class SharedTrack(BaseModel):
    track_id: str
    name: str
    artists: list[str] = Field(description="Artist names in the track's credit order.")
    album: str | None
    image_url: str | None
    mine_ms: Milliseconds
    theirs_ms: Milliseconds
    mine_plays: int
    theirs_plays: int
    mine_share: Share = Field(description="The track's share of my music listening time.")
    theirs_share: Share = Field(description="The track's share of the friend's.")


class Mood(BaseModel):
    """One side's music mood: means weighted by listening time over the tracks with known
    features; `coverage` is the share of music listening time they cover."""

    listening_ms: Milliseconds
    valence: Share | None
    energy: Share | None
    danceability: Share | None
    coverage: Share


class MoodDifference(BaseModel):
    """Mine minus the friend's (None where either side has no value)."""

    valence: float | None
    energy: float | None
    danceability: float | None


class MoodComparison(BaseModel):
    mine: Mood
    theirs: Mood
    difference: MoodDifference


class MonthMood(BaseModel):
    month: dt.date = Field(description="The month's first local day.")
    mine: Mood | None = Field(description="None: no music of mine that month.")
    theirs: Mood | None


class Comparison(RangeEcho):
    friend: Friend
    score: float = Field(
        ge=0,
        le=100,
        description="Taste overlap, 0 to 100: the sum over artists both listened to of the "
        "smaller of the two shares of artist listening time, times 100. 100: the same artists "
        "in the same proportions; 0: no artist in common.",
    )
    my_artists: int = Field(description="How many artists I listened to in the range.")
    their_artists: int
    shared_artists: int = Field(description="How many artists both listened to.")
    shared_tracks: int = Field(description="How many tracks both listened to.")
    artists: list[SharedArtist] = Field(
        description="Shared artists, ranked by the smaller of the two shares (their part of "
        "the score), then name and id; at most `limit`."
    )
    tracks: list[SharedTrack] = Field(
        description="Shared tracks, ranked likewise by the smaller of the two shares of music "
        "listening time; at most `limit`."
    )
    mood: MoodComparison
    months: list[MonthMood] = Field(description="Each side's mood per month with music.")
