"""Podcasts and audiobooks: listening by show and book, episodes finished, time of day."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.models.common import Milliseconds


class EpisodeCounts(BaseModel):
    plays: int
    listening_ms: Milliseconds
    started: int = Field(description="Distinct episodes (or chapters) played in the range.")
    finished: int = Field(
        description="Of `started`, those played to the end (reason_end 'trackdone') in the range."
    )


class ShowListening(EpisodeCounts):
    rank: int
    name: str = Field(description="The show's (or audiobook's) name: its page's key.")


class ShowGroup(BaseModel):
    totals: EpisodeCounts = Field(description="All of them in the range, named or not.")
    count: int = Field(description="How many named shows (or audiobooks) were played.")
    items: list[ShowListening] = Field(description="Most listening time first.")


class HourListening(BaseModel):
    hour: int = Field(ge=0, le=23, description="Local hour the plays started in.")
    plays: int
    listening_ms: Milliseconds


class Podcasts(BaseModel):
    shows: ShowGroup = Field(description="Podcast shows and their episodes.")
    audiobooks: ShowGroup = Field(description="Audiobooks and their chapters.")
    hours: list[HourListening] = Field(
        description="All 24 local hours, podcast episodes and audiobook chapters together."
    )
