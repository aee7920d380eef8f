"""How a user plays: skips, platforms and devices, shuffle and offline."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from api.models.common import Milliseconds, Share
from api.models.listening import ArtistRef


class SkipsBy(StrEnum):
    track = "track"
    artist = "artist"


class SkipCounts(BaseModel):
    plays: int = Field(description="Music plays, whether or not their skip status is known.")
    skip_known: int = Field(
        description="Plays whose skip status is known: all but the Web API's (it does not "
        "say), whose plays count in `plays` only."
    )
    skips: int = Field(description="Plays skipped, of `skip_known`.")
    skip_rate: Share | None = Field(description="`skips` / `skip_known`; None when none known.")


class SkippedItem(SkipCounts):
    rank: int
    id: str = Field(description="A track id or an artist id, as `by` says.")
    name: str
    artists: list[ArtistRef] = Field(
        description="A track's artists in credit order; empty for an artist."
    )


class Skips(BaseModel):
    by: SkipsBy
    min_plays: int = Field(description="Items have at least this many plays of known status.")
    overall: SkipCounts = Field(description="All music in the range.")
    total: int = Field(description="How many items have at least `min_plays` known plays.")
    items: list[SkippedItem] = Field(
        description="The most skipped items: highest skip rate first, then most skips."
    )


class ListeningShare(BaseModel):
    plays: int
    listening_ms: Milliseconds
    share: Share = Field(description="Of the range's listening time.")


class PlatformFamilyShare(ListeningShare):
    family: str = Field(
        description="Android, iOS, Windows, macOS, Linux, Web player, Cast & speakers, "
        "Other, or Unknown where the source does not say (the Web API)."
    )


class DeviceShare(ListeningShare):
    device: str = Field(
        description="The platform as the export names it, cleaned: a phone's maker and "
        "model, a computer's system without build numbers, a browser, a speaker."
    )
    family: str


class KnownShare(BaseModel):
    """A yes/no way of playing, over the listening whose answer is known."""

    listening_ms: Milliseconds = Field(description="Listening time with the answer yes.")
    known_ms: Milliseconds = Field(description="Listening time whose answer is known.")
    unknown_ms: Milliseconds = Field(description="Listening time the source says nothing of.")
    share: Share | None = Field(description="`listening_ms` / `known_ms`; None when none known.")


class Devices(BaseModel):
    plays: int
    listening_ms: Milliseconds
    families: list[PlatformFamilyShare] = Field(description="Most listening first.")
    devices: list[DeviceShare] = Field(description="Most listening first.")
    shuffle: KnownShare
    offline: KnownShare
