"""One track, artist, album or show: its figures in a range and over its whole history."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from api.models.common import Milliseconds, RangeEcho, Share, TopMeasure, UtcDatetime
from api.models.genres import ArtistGenre
from api.models.listening import ArtistRef


class SpotifyLink(StrEnum):
    """What `spotify_url` opens."""

    item = "item"
    search = "search"


class AlbumRef(BaseModel):
    """An album as a row names it: enough to show it and link to its page."""

    album_id: str
    name: str
    image_url: str | None


class EntityMonth(BaseModel):
    month: dt.date = Field(description="The first day of a local calendar month.")
    plays: int
    listening_ms: Milliseconds
    rank: int | None = Field(
        description="Its place by plays among the items of its kind played in the month "
        "(ties: listening time, then the name, then the id, as the top lists rank); none "
        "in a month without plays of it."
    )
    ranked: int = Field(description="How many items of its kind were played in the month.")


class EntityMood(BaseModel):
    valence: Share | None = Field(
        description="Mean valence of its tracks weighted by listening time, over the tracks "
        "with known audio features; none when no listening time has them."
    )
    energy: Share | None
    coverage: Share = Field(description="The share of its listening time with known features.")
    listening_ms: Milliseconds


class EntityTrack(BaseModel):
    rank: int
    track_id: str
    name: str
    artists: list[ArtistRef] = Field(description="In the track's credit order.")
    album: AlbumRef | None
    plays: int
    listening_ms: Milliseconds


class EntityEpisode(BaseModel):
    rank: int
    episode_id: str
    name: str
    plays: int
    listening_ms: Milliseconds
    spotify_url: str | None = Field(
        description="The episode on open.spotify.com; none for an episode known only by name."
    )


class Entity(RangeEcho):
    """What every entity page answers."""

    plays: int = Field(description="Plays between `from` and `to`.")
    listening_ms: Milliseconds = Field(description="Listening time between `from` and `to`.")
    first_played_at: UtcDatetime = Field(description="Its first play ever.")
    last_played_at: UtcDatetime = Field(description="Its last play ever.")
    months: list[EntityMonth] = Field(
        description="Every local month from its first play to its last, months without "
        "plays included."
    )
    spotify_url: str = Field(
        description="Opens it on open.spotify.com: the item itself when its Spotify ID is "
        "known, otherwise a search for its name (exports give no IDs for artists, albums "
        "and shows)."
    )
    spotify_link: SpotifyLink = Field(description="Whether `spotify_url` is the item or a search.")


class TrackEntity(Entity):
    track_id: str
    name: str
    artists: list[ArtistRef] = Field(description="In the track's credit order.")
    album: AlbumRef | None
    duration_ms: int | None
    mood: EntityMood = Field(description="Its audio features, over its plays in the range.")


class ArtistEntity(Entity):
    artist_id: str
    name: str
    image_url: str | None = Field(
        description="The art of the album of the artist's most played track that has art."
    )
    genres: list[ArtistGenre] = Field(
        description="Its raw genres, each with its parent genre and who gave it (none when no "
        "provider knows it)."
    )
    by: TopMeasure = Field(description="The measure `top_tracks` is ranked by.")
    top_tracks: list[EntityTrack] = Field(description="Its tracks most played in the range.")
    mood: EntityMood = Field(description="The mood of its tracks played in the range.")


class AlbumEntity(Entity):
    album_id: str
    name: str
    image_url: str | None
    release_date: str | None = Field(
        description="As Spotify gives it: YYYY, YYYY-MM or YYYY-MM-DD."
    )
    artists: list[ArtistRef] = Field(
        description="The artists credited first on its tracks, the most tracks first."
    )
    by: TopMeasure = Field(description="The measure `top_tracks` is ranked by.")
    top_tracks: list[EntityTrack] = Field(description="Its tracks most played in the range.")
    mood: EntityMood = Field(description="The mood of its tracks played in the range.")


class ShowEntity(Entity):
    name: str
    kind: Literal["podcast", "audiobook"] = Field(
        description="An audiobook when every played item of it is an audiobook chapter."
    )
    by: TopMeasure = Field(description="The measure `top_episodes` is ranked by.")
    top_episodes: list[EntityEpisode] = Field(
        description="Its episodes (an audiobook's chapters) most played in the range."
    )
