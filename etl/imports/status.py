"""An import from the browser, and its status: `waiting_for_upload`, `unpacking`,
`processing`, then `done` or `failed`.

On AWS the API hands out a presigned POST for the upload's key (`etl.imports.presign`) and
writes the import's status document; the browser uploads straight to the bucket; the
object's event starts the unpack function (`etl.imports.unpack`), which stages every export
file under raw/ (whose own events start the ETL, as for any raw object) and records what
became of each file. The import is `done` once every raw object it produced has been loaded
(the load step's account of its records exists) or set aside (its quarantine report exists).
Locally the API receives the file itself and does the same in-process (`etl.imports.receipt`).

The status document (`etl.core.keys.import_status_key`) is written by the API when the
import is created and by the unpacking from then on: never both at once, since the upload
it waits for cannot exist before the API has answered. Everything after that (`done`, or
`failed` when a step went quiet for too long) is read off the lake, so nothing has to write
back when the ETL finishes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel

from etl.core.clock import Clock
from etl.core.keys import (
    RawKey,
    UploadKey,
    import_status_key,
    is_import_id,
    user_prefix,
    validate_user_id,
)
from etl.core.lake import Lake
from etl.exports.kinds import TakenAs
from etl.exports.records import RecordCounts
from etl.imports.importer import FileOutcome, FileStatus

# The unpack function times out after 5 minutes and Lambda tries an event 3 times: an
# import still "unpacking" after this long is not going to finish.
UNPACK_DEADLINE = timedelta(minutes=20)
# The ETL state machine gives up after an hour; its first step writes the curated object.
PROCESSING_DEADLINE = timedelta(hours=1, minutes=10)

ImportState = Literal["waiting_for_upload", "unpacking", "processing", "done", "failed"]
_UNFINISHED: tuple[ImportState, ...] = ("waiting_for_upload", "unpacking", "processing")


class ImportNotFound(LookupError):
    """No import of this id belongs to this user (or the id is not one Moodify makes)."""


class StoredFile(BaseModel):
    """A file as the status document keeps it: what staging knew (records are read off the
    lake, where the load step keeps them)."""

    name: str
    status: FileStatus
    reason: str | None = None
    taken_as: TakenAs | None = None
    raw_key: str | None = None

    @classmethod
    def of(cls, outcome: FileOutcome) -> StoredFile:
        return cls(
            name=outcome.name,
            status=outcome.status,
            reason=outcome.reason,
            taken_as=outcome.taken_as,
            raw_key=outcome.raw_key,
        )

    def outcome(self) -> FileOutcome:
        return FileOutcome(self.name, self.status, self.reason, self.taken_as, self.raw_key)


class StatusDocument(BaseModel):
    """The import's status document. Who writes it knows every field: there is no
    read-modify-write, so the unpacking needs no read access to state/."""

    import_id: str
    user_id: str
    file_name: str
    upload_key: str
    status: ImportState
    files: list[StoredFile] = []
    raw_keys: list[str] = []
    message: str | None = None
    # Known when the import is created (the unpacking, which writes after, does not know
    # them): the most bytes the upload may have, and until when its link works.
    size_bytes: int | None = None
    upload_expires_at: datetime | None = None
    updated_at: datetime

    @classmethod
    def of(
        cls,
        upload: UploadKey,
        status: ImportState,
        now: datetime,
        message: str | None = None,
        files: list[StoredFile] | None = None,
        raw_keys: list[str] | None = None,
    ) -> StatusDocument:
        """The document of a step after the upload's creation, from the upload's key."""
        return cls(
            import_id=upload.import_id,
            user_id=upload.user_id,
            file_name=upload.name,
            upload_key=upload.key,
            status=status,
            files=files or [],
            raw_keys=raw_keys or [],
            message=message,
            updated_at=now,
        )


@dataclass(frozen=True)
class ImportStatus:
    import_id: str
    status: ImportState
    files: list[FileOutcome]
    raw_keys: int
    message: str | None
    updated_at: datetime

    def as_dict(self) -> dict[str, Any]:
        """For logs and Lambda results: JSON-friendly, without the raw keys."""
        return {
            "import_id": self.import_id,
            "status": self.status,
            "files": [
                StoredFile.of(f).model_dump(exclude={"raw_key"}, exclude_none=True)
                for f in self.files
            ],
            "raw_keys": self.raw_keys,
            "message": self.message,
            "updated_at": self.updated_at.isoformat(),
        }

    @classmethod
    def of(cls, document: StatusDocument) -> ImportStatus:
        return cls(
            import_id=document.import_id,
            status=document.status,
            files=[f.outcome() for f in document.files],
            raw_keys=len(document.raw_keys),
            message=document.message,
            updated_at=document.updated_at,
        )

    def became(self, status: ImportState, message: str) -> ImportStatus:
        return replace(self, status=status, message=message)


def load_status(lake: Lake, user_id: str, import_id: str) -> StatusDocument:
    if not is_import_id(import_id):
        raise ImportNotFound(import_id)
    key = import_status_key(validate_user_id(user_id), import_id)
    if not lake.exists(key):
        raise ImportNotFound(import_id)
    return StatusDocument.model_validate_json(lake.get(key))


def save_status(lake: Lake, document: StatusDocument) -> StatusDocument:
    key = import_status_key(document.user_id, document.import_id)
    lake.put(key, document.model_dump_json(indent=2).encode())
    return document


def mark_failed(lake: Lake, user_id: str, import_id: str, message: str, clock: Clock) -> None:
    """Record that an import stopped for a reason its status cannot see in the lake."""
    upload = UploadKey.parse(load_status(lake, user_id, import_id).upload_key)
    save_status(lake, StatusDocument.of(upload, "failed", clock(), message))


def counted(count: int, noun: str = "file") -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


# --- reading it -----------------------------------------------------------------------------


def import_status(lake: Lake, user_id: str, import_id: str, clock: Clock) -> ImportStatus:
    """The import as the dashboard shows it; read-only, so any reader may ask any time."""
    document = load_status(lake, user_id, import_id)
    status = ImportStatus.of(document)
    now = clock()
    if status.status == "waiting_for_upload":
        expires_at = document.upload_expires_at
        if expires_at is not None and now > expires_at:
            message = "No file arrived before the upload link expired; start the import again"
            return status.became("failed", message)
    elif status.status == "unpacking":
        if now - status.updated_at > UNPACK_DEADLINE:
            message = (
                "Unpacking stopped without finishing; the file may be too large to unpack "
                "in one go. Try uploading its Streaming_History_Audio_*.json files instead"
            )
            return status.became("failed", message)
    elif status.status == "processing":
        return _settle(lake, status, now)
    return status


def pending_imports(lake: Lake, user_id: str, clock: Clock) -> int:
    """How many of the user's imports are neither done nor failed."""
    now = clock()
    # No import stays pending past its longest deadline: only documents younger than that
    # are settled against the lake, so finished imports cost one read each.
    prefix = import_status_key(validate_user_id(user_id), "").rpartition("/")[0] + "/"
    recent = [
        document
        for key in lake.keys(prefix)
        if (document := StatusDocument.model_validate_json(lake.get(key))).status in _UNFINISHED
        and now - document.updated_at <= PROCESSING_DEADLINE
    ]
    return sum(
        import_status(lake, user_id, document.import_id, clock).status in _UNFINISHED
        for document in recent
    )


def _settle(lake: Lake, status: ImportStatus, now: datetime) -> ImportStatus:
    """`done` once each raw object is loaded (its records counted) or set aside whole."""
    raws = {f.raw_key: RawKey.parse(f.raw_key) for f in status.files if f.raw_key}
    present = _existing(lake, [key for raw in raws.values() for key in _settled_keys(raw)])
    files, pending = [], 0
    for outcome in status.files:
        raw = raws.get(outcome.raw_key) if outcome.raw_key else None
        if raw is None:
            files.append(outcome)
            continue
        # Beside curated rows, a quarantine report lists the records left out.
        report = _report_reason(lake, raw) if raw.quarantine_report_key in present else None
        if raw.records_key in present:
            records = RecordCounts.from_json(json.loads(lake.get(raw.records_key)))
            files.append(replace(outcome, reason=report, records=records))
        elif raw.curated_key not in present and report is not None:
            files.append(replace(outcome, status="quarantined", reason=report))
        else:
            pending += 1
            files.append(replace(outcome, reason=report))
    settled = replace(status, files=files)
    if pending == 0:
        kept = sum(f.status == "imported" for f in files)
        aside = sum(f.status == "quarantined" for f in files)
        message = f"Imported {counted(kept)}" + (f"; {aside} set aside" if aside else "")
        return settled.became("done", message)
    if now - status.updated_at > PROCESSING_DEADLINE:
        message = (
            f"{counted(pending)} did not finish processing; importing the same export again "
            "retries them and changes nothing else"
        )
        return settled.became("failed", message)
    done = status.raw_keys - pending
    return settled.became("processing", f"Processed {done} of {counted(status.raw_keys)}")


def _settled_keys(raw: RawKey) -> tuple[str, str, str]:
    return raw.curated_key, raw.records_key, raw.quarantine_report_key


def _existing(lake: Lake, keys: list[str]) -> set[str]:
    """Which of `keys` exist, with one listing per user prefix rather than a HEAD per key
    (the dashboard asks every 2 seconds, and an export has a dozen or more files)."""
    wanted = set(keys)
    prefixes = sorted({user_prefix(key) for key in keys})
    return {key for prefix in prefixes for key in lake.keys(prefix) if key in wanted}


def _report_reason(lake: Lake, raw: RawKey) -> str:
    report = json.loads(lake.get(raw.quarantine_report_key))
    return str(report.get("reason") or "set aside; see its quarantine report")
