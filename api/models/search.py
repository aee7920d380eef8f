"""Search across the tracks, artists, albums and shows a user has played."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from api.models.common import Milliseconds


class SearchHit(BaseModel):
    kind: Literal["track", "artist", "album", "show", "audiobook"]
    id: str = Field(
        description="The item's id for its page: a Spotify id, a provisional `name:` key "
        "(exports name artists and albums without ids), or a show's or audiobook's name."
    )
    name: str
    detail: str | None = Field(description="A track's artists, an album's artist.")
    image_url: str | None
    plays: int
    listening_ms: Milliseconds


class SearchResults(BaseModel):
    query: str
    tracks: list[SearchHit]
    artists: list[SearchHit]
    albums: list[SearchHit]
    shows: list[SearchHit] = Field(description="Podcast shows and audiobooks.")
