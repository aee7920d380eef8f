"""Response models of the HTTP API (the contract the dashboard is built against)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from etl.exports.kinds import TakenAs
from etl.exports.records import By, ReportedKind, Source
from etl.imports.presign import (
    ACCEPTED_FILES,
    ACCEPTED_SUFFIXES,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_SIZE,
)
from etl.warehouse.load import SAME_PLAY_WITHIN


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
    # The upload limits are stated in the schema, where the dashboard's generated constants
    # come from, and enforced by `presign.check_upload`, whose refusals say what to do instead.
    file_name: str = Field(
        min_length=1,
        max_length=255,
        examples=["my_spotify_data.zip"],
        description=f"A {ACCEPTED_FILES} file (any case).",
        json_schema_extra={"x-accepted-suffixes": list(ACCEPTED_SUFFIXES)},
    )
    size_bytes: int = Field(
        description=f"The file's size; at most {MAX_UPLOAD_SIZE}.",
        examples=[123_456_789],
        json_schema_extra={"exclusiveMinimum": 0, "maximum": MAX_UPLOAD_BYTES},
    )


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


class SupersededBy(BaseModel):
    source: Source = Field(description="The more trusted source the records gave way to.")
    by: By = Field(
        description="`span`: within the time span of `file`, which holds every play of its "
        "kind; `match`: `file` holds the same plays (same track or episode, ending within "
        f"{SAME_PLAY_WITHIN.total_seconds():.0f} seconds)."
    )
    file: str | None
    kind: ReportedKind | None = Field(
        description="By span, of an extended-history file: the kind of plays it holds. "
        "Account data says it by its file (music or podcast)."
    )
    from_: UtcDatetime | None = Field(serialization_alias="from", description="By span.")
    to: UtcDatetime | None = Field(description="By span.")
    records: int


class RejectedReason(BaseModel):
    reason: str = Field(description="The field and the rule the records broke.")
    records: int


class FileRecords(BaseModel):
    """What became of every record of a file; the counts after `read` sum to it."""

    read: int = Field(description="Records in the file.")
    new: int = Field(description="Plays added to the warehouse.")
    already_stored: int = Field(
        description="Plays the warehouse held already from the same or an equal source, or "
        "listed twice in the file: true duplicates."
    )
    superseded: int = Field(description="Plays a more trusted source holds; see superseded_by.")
    not_plays: int = Field(description="Records naming no track or episode (an app load).")
    rejected: int = Field(description="Records that could not be read; see rejected_reasons.")
    superseded_by: list[SupersededBy]
    rejected_reasons: list[RejectedReason]


class ImportedFile(BaseModel):
    name: str
    status: Literal["imported", "quarantined", "ignored"]
    reason: str | None = Field(
        default=None,
        description="Why it was set aside (quarantined) or left out (ignored); for an "
        "imported file, that some records could not be read.",
    )
    taken_as: TakenAs | None = Field(
        default=None,
        description="What the file was recognised as, by its records (and its name, for "
        "audio or video). `extended_unknown` claims no time span: it supersedes only the "
        "plays it matches.",
    )
    records: FileRecords | None = Field(
        default=None, description="Null until the file's load has finished."
    )


class ImportStatus(BaseModel):
    import_id: str
    status: Literal["waiting_for_upload", "unpacking", "processing", "done", "failed"]
    files: list[ImportedFile]
    raw_keys: int = Field(description="Raw lake objects the upload became, one per history file.")
    message: str | None
    updated_at: UtcDatetime
