"""Imports of a privacy export from the browser, and what became of every record."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from api.models.common import UtcDatetime
from etl.exports.kinds import TakenAs
from etl.exports.records import By, ReportedKind, Source
from etl.imports.presign import (
    ACCEPTED_FILES,
    ACCEPTED_SUFFIXES,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_SIZE,
)
from etl.warehouse.load import SAME_PLAY_WITHIN


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
