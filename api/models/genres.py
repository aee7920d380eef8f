"""Genres of a user's music: top parent genres for a range, their share over time, and what
the providers know."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from api.models.common import Granularity, Milliseconds, RangeEcho, Share, TopMeasure
from etl.warehouse.refetch import ProviderKind


class RawGenre(BaseModel):
    genre: str = Field(description="As the provider names it, lower case.")
    plays: int
    listening_ms: Milliseconds


class ParentGenre(BaseModel):
    parent_genre: str
    plays: int
    listening_ms: Milliseconds
    share: Share = Field(description="Its listening time over the range's music listening time.")
    genres: list[RawGenre] = Field(description="Its raw genres most listened to, at most five.")


class TopGenres(RangeEcho):
    by: TopMeasure
    listening_ms: Milliseconds = Field(description="The range's music listening time.")
    coverage: Share = Field(
        description="The share of the music listening time whose track has at least one "
        "artist with a known genre."
    )
    items: list[ParentGenre]


class GenreTrendPoint(BaseModel):
    period_start: dt.date
    listening_ms: Milliseconds = Field(description="The period's music listening time.")
    coverage: Share = Field(
        description="The share of it whose track has an artist with a known genre."
    )
    shares: list[Share] = Field(
        description="Each of `genres`' share of the covered time, in its order; they add up "
        "to 1 (all 0 when nothing is covered)."
    )


class GenreTrend(RangeEcho):
    granularity: Granularity
    genres: list[str] = Field(
        description="The top parent genres over the range, most listened first, then 'Other' "
        "(every other parent genre) when it has time."
    )
    points: list[GenreTrendPoint]


class ArtistGenre(BaseModel):
    genre: str
    parent_genre: str
    provider: str = Field(description="Who gave it: `spotify` or `musicbrainz`.")


class ProviderCount(BaseModel):
    provider: str
    items: int


class KindCoverage(BaseModel):
    kind: ProviderKind
    items: int = Field(
        description="The tracks (features), artists (genres) or albums (artwork) you played."
    )
    known: int = Field(description="Those a provider gave the data for.")
    by_provider: list[ProviderCount]
    unknown: int = Field(
        description="Those the providers were asked about and did not know: asked again "
        "later, or on the next run after a refetch."
    )
    not_asked: int = Field(description="Those not asked about yet.")
    share_of_time: Share = Field(
        description="The share of your music listening time (all time) whose track has the "
        "data (for genres: an artist with a genre)."
    )


class ProviderCoverage(BaseModel):
    kinds: list[KindCoverage]


class Refetch(BaseModel):
    kind: ProviderKind
    queued: int = Field(
        description="How many unknown items will be asked about again on the next enrich "
        "run (those already due are not counted again)."
    )
