"""Response models of the HTTP API (the contract the dashboard is built against)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field


def _as_utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


UtcDatetime = Annotated[dt.datetime, AfterValidator(_as_utc)]
Milliseconds = Annotated[int, Field(ge=0, description="Listening time from ms_played.")]
Share = Annotated[float, Field(description="Between 0 and 1.")]


class Granularity(StrEnum):
    day = "day"
    week = "week"
    month = "month"


class TopMeasure(StrEnum):
    """What a top list ranks by."""

    plays = "plays"
    listening_time = "listening_time"


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


class MoodDay(BaseModel):
    date: dt.date
    plays: int
    listening_ms: Milliseconds
    valence: Share | None
    energy: Share | None
    coverage: Share


class MoodCalendar(BaseModel):
    from_: dt.date = Field(serialization_alias="from")
    to: dt.date
    days: list[MoodDay]


class MoodPoint(BaseModel):
    period_start: dt.date
    valence: Share | None
    energy: Share | None
    coverage: Share
    listening_ms: Milliseconds


class MoodTrends(BaseModel):
    granularity: Granularity
    points: list[MoodPoint]


class Health(BaseModel):
    status: Literal["ok", "error"]
    database: Literal["ok", "unavailable"]


class SignIn(BaseModel):
    state: Literal["connected", "sign_in_again", "not_connected"]
    signed_in_at: UtcDatetime | None
    expires_at: UtcDatetime | None
    expires_soon: bool = Field(description="Less than a month before Spotify ends the sign-in.")
    login_url: str


class IngestStatus(BaseModel):
    last_run_at: UtcDatetime | None
    cool_down_until: UtcDatetime | None
    cool_down_reason: Literal["rate_limited", "quota_exceeded"] | None


class Gap(BaseModel):
    from_: UtcDatetime = Field(serialization_alias="from")
    to: UtcDatetime
    detected_at: UtcDatetime


class Me(BaseModel):
    user_id: str
    display_name: str | None
    time_zone: str = Field(
        description="The IANA time zone that cuts this user's days; show every time in it.",
        examples=["Europe/Berlin"],
    )
    demo: bool = Field(description="This user's listening history was generated (the demo).")
    sign_in: SignIn
    ingest: IngestStatus
    gaps: list[Gap]


# --- imports from the browser -----------------------------------------------------------


class ImportRequest(BaseModel):
    file_name: str = Field(
        min_length=1,
        max_length=255,
        examples=["my_spotify_data.zip"],
        description="A .zip or .json file.",
    )
    size_bytes: int = Field(description="The file's size; at most 2 GiB.", examples=[123_456_789])


class UploadForm(BaseModel):
    method: Literal["POST", "PUT"] = Field(
        description="POST: a multipart form to the lake bucket, `fields` first, then the file "
        "as `file` (AWS). PUT: the file as the request body, to the API (local)."
    )
    url: str
    fields: dict[str, str]


class ImportCreated(BaseModel):
    import_id: str
    upload: UploadForm
    status_url: str
    expires_at: UtcDatetime = Field(description="The upload link works until then.")


class ImportedFile(BaseModel):
    name: str
    status: Literal["imported", "quarantined", "ignored"]
    reason: str | None = None


class ImportStatus(BaseModel):
    import_id: str
    status: Literal["waiting_for_upload", "unpacking", "processing", "done", "failed"]
    files: list[ImportedFile]
    raw_keys: int = Field(description="Raw lake objects the upload became, one per history file.")
    message: str | None
    updated_at: UtcDatetime
