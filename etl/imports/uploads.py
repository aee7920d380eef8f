"""Imports from the browser: an upload into the lake, unpacked into raw objects.

On AWS the API hands out a presigned POST for `uploads/user=<id>/<import id>/<name>` and
writes the import's status document; the browser uploads straight to the bucket; the
object's event starts the unpack function, which stages every export file under raw/
(whose own events start the ETL, as for any raw object) and records what became of each
file. The import is `done` once every raw object it produced has been loaded (the load
step's account of its records exists) or set aside (its quarantine report exists).

Locally the same steps run in-process: the browser PUTs the file to the API, which writes
it under the local lake's `uploads/`, unpacks it with the same code and runs the pipeline.

The status document, `state/imports/user=<id>/<import id>.json`, is written by the API when
the import is created and by the unpacking from then on: never both at once, since the
upload it waits for cannot exist before the API has answered. Everything after that
(`done`, or `failed` when a step went quiet for too long) is read off the lake, so nothing
has to write back when the ETL finishes.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol
from urllib.parse import unquote_plus

from etl.core.clock import Clock
from etl.core.lake import Lake, LocalLake, RawKey, S3Lake, safe_name, validate_user_id
from etl.exports.files import export_files
from etl.exports.kinds import ACCOUNT_DATA
from etl.exports.records import RecordCounts
from etl.imports.importer import FileOutcome, StagedExport, stage_files

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

MAX_UPLOAD_BYTES = 2 * 1024**3  # Spotify's export of a long history is ~300 MB zipped
ACCEPTED_SUFFIXES = (".zip", ".json")
UPLOAD_LINK_LIFETIME = timedelta(hours=1)
# The unpack function times out after 5 minutes and Lambda tries an event 3 times: an
# import still "unpacking" after this long is not going to finish.
UNPACK_DEADLINE = timedelta(minutes=20)
# The ETL state machine gives up after an hour; its first step writes the curated object.
PROCESSING_DEADLINE = timedelta(hours=1, minutes=10)

_log = logging.getLogger(__name__)

ImportState = Literal["waiting_for_upload", "unpacking", "processing", "done", "failed"]

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
_UPLOAD_KEY = re.compile(
    r"^uploads/user=(?P<user_id>[A-Za-z0-9._-]{1,128})/(?P<import_id>[0-9a-f-]{36})"
    r"/(?P<name>[A-Za-z0-9._-]+)$"
)


class UploadRefused(ValueError):
    """The requested upload breaks a rule; `field` names the request field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class ImportNotFound(LookupError):
    """No import of this id belongs to this user (or the id is not one Moodify makes)."""


@dataclass(frozen=True)
class UploadKey:
    """Where an import's upload lands in the lake; user and import are in the key."""

    user_id: str
    import_id: str
    name: str

    @classmethod
    def new(cls, user_id: str, file_name: str) -> UploadKey:
        return cls(validate_user_id(user_id), str(uuid.uuid4()), safe_name(file_name))

    @classmethod
    def parse(cls, key: str) -> UploadKey:
        # Decoded as `RawKey.parse` does: object events may URL-encode keys (`user%3D`).
        match = _UPLOAD_KEY.match(unquote_plus(key))
        if match is None or not _UUID.match(match["import_id"]):
            raise ValueError(f"Not an upload key (uploads/user=<id>/<import id>/<name>): {key!r}")
        return cls(match["user_id"], match["import_id"], match["name"])

    @property
    def key(self) -> str:
        return f"uploads/user={self.user_id}/{self.import_id}/{self.name}"

    @property
    def status_key(self) -> str:
        return status_key(self.user_id, self.import_id)


def status_key(user_id: str, import_id: str) -> str:
    return f"state/imports/user={user_id}/{import_id}.json"


@dataclass(frozen=True)
class UploadTarget:
    """How the browser sends the file: a form POST to S3, or (locally) a PUT to the API."""

    method: Literal["POST", "PUT"]
    url: str
    fields: dict[str, str] = field(default_factory=dict)


class Presigner(Protocol):
    def target(self, upload: UploadKey, size_bytes: int, lifetime: timedelta) -> UploadTarget:
        """Where and how to send the file of `upload`, valid for `lifetime`."""


class S3PresignedPost:
    """A presigned POST for exactly one key and at most the declared size.

    Signing is local (no request to AWS), so the API function does it inside the VPC; the
    upload then acts with the function's own permission to put objects under uploads/.
    """

    def __init__(self, bucket: str, client: S3Client) -> None:
        self.bucket = bucket
        self.client = client

    @classmethod
    def for_bucket(cls, bucket: str, region: str) -> S3PresignedPost:
        import boto3  # deferred so local mode never needs AWS configuration
        from botocore.config import Config

        # SigV4 and the regional virtual-hosted endpoint: the legacy global endpoint
        # answers a browser's POST to a bucket outside us-east-1 with a redirect, which a
        # cross-origin upload cannot follow.
        config = Config(signature_version="s3v4", s3={"addressing_style": "virtual"})
        return cls(bucket, boto3.client("s3", region_name=region, config=config))

    def target(self, upload: UploadKey, size_bytes: int, lifetime: timedelta) -> UploadTarget:
        post = self.client.generate_presigned_post(
            Bucket=self.bucket,
            Key=upload.key,  # boto3 adds the exact-key condition for a key without ${filename}
            # Bounded by the declared size (itself at most MAX_UPLOAD_BYTES), so a link
            # cannot carry more than the request said.
            Conditions=[["content-length-range", 1, size_bytes]],
            ExpiresIn=int(lifetime.total_seconds()),
        )
        return UploadTarget("POST", post["url"], dict(post["fields"]))


class LocalPut:
    """Locally there is no bucket: the browser PUTs the file to the API at `url(import_id)`."""

    def __init__(self, url: Callable[[str], str]) -> None:
        self.url = url

    def target(self, upload: UploadKey, size_bytes: int, lifetime: timedelta) -> UploadTarget:
        return UploadTarget("PUT", self.url(upload.import_id))


@dataclass(frozen=True)
class NewUpload:
    import_id: str
    upload_key: str
    target: UploadTarget
    expires_at: datetime


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
                {k: v for k, v in _file_document(f).items() if k != "raw_key" and v is not None}
                for f in self.files
            ],
            "raw_keys": self.raw_keys,
            "message": self.message,
            "updated_at": self.updated_at.isoformat(),
        }


# --- creating an upload ------------------------------------------------------------------


def check_upload(file_name: str, size_bytes: int) -> None:
    """Refuse what cannot be an export before handing out a link."""
    if not file_name.lower().endswith(ACCEPTED_SUFFIXES):
        raise UploadRefused(
            "file_name",
            f"{file_name!r} is neither a .zip nor a .json file: upload my_spotify_data.zip as "
            "Spotify sent it, or one of its Streaming_History_Audio_*.json files",
        )
    if size_bytes <= 0:
        raise UploadRefused("size_bytes", f"{file_name!r} is empty")
    if size_bytes > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            "size_bytes",
            f"{file_name!r} is {size_bytes / 1024**3:.1f} GiB; uploads are limited to "
            f"{MAX_UPLOAD_BYTES // 1024**3} GiB (a whole export is usually a few hundred MB)",
        )


def create_upload(
    lake: Lake,
    presigner: Presigner,
    user_id: str,
    file_name: str,
    size_bytes: int,
    *,
    clock: Clock,
) -> NewUpload:
    """A new import waiting for its file: where to send it, and its status document."""
    check_upload(file_name, size_bytes)
    upload = UploadKey.new(user_id, file_name)
    now = clock()
    target = presigner.target(upload, size_bytes, UPLOAD_LINK_LIFETIME)
    expires_at = now + UPLOAD_LINK_LIFETIME
    _save(
        lake,
        upload,
        {
            "status": "waiting_for_upload",
            "file_name": file_name,
            "size_bytes": size_bytes,
            "upload_expires_at": expires_at.isoformat(),
        },
        now,
    )
    return NewUpload(upload.import_id, upload.key, target, expires_at)


# --- receiving it locally ------------------------------------------------------------------


def local_upload_path(lake: LocalLake, user_id: str, import_id: str) -> tuple[Path, int]:
    """Where a local upload goes (the bucket's layout) and the most bytes it may have.

    Only an import that is still waiting takes a file, so a finished one is never replaced.
    """
    document = _load(lake, user_id, import_id)
    if document["status"] != "waiting_for_upload":
        raise UploadRefused("import_id", f"Import {import_id} already has its file")
    return lake.root / UploadKey.parse(document["upload_key"]).key, int(document["size_bytes"])


# --- unpacking ----------------------------------------------------------------------------


def unpack_upload(lake: Lake, upload_key: str, work_dir: Path, clock: Clock) -> ImportStatus:
    """Stage every file of an uploaded export under raw/ and record what became of each.

    Idempotent: raw objects are put once and quarantine reports replaced, so a repeated
    delivery of the upload's event finds the same keys and writes the same document.
    """
    upload = UploadKey.parse(upload_key)
    _save(lake, upload, {"status": "unpacking"}, clock())
    try:
        work_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=work_dir, prefix="upload-") as temp:
            path = _local_copy(lake, upload, Path(temp))
            staged = stage_files(export_files(path), lake, upload.user_id)
    except Exception as error:
        message = f"Unpacking {upload.name} failed: {type(error).__name__}: {error}"
        _save(lake, upload, {"status": "failed", "message": message}, clock())
        raise
    fields: dict[str, Any] = {
        "files": [_file_document(f) for f in staged.files],
        "raw_keys": staged.raw_keys,
        "status": "processing" if staged.raw_keys else "failed",
        "message": _unpacked_message(upload.name, staged),
    }
    return _status(upload.import_id, _save(lake, upload, fields, clock()))


def import_local_upload(
    lake: LocalLake,
    upload_key: str,
    work_dir: Path,
    process: Callable[[list[str]], object],
    clock: Clock,
) -> ImportStatus:
    """Locally: unpack an upload, run the pipeline on what it staged, drop the upload.

    What the unpack function and the lake's events do on AWS, in-process. The raw objects
    are the source of truth from here on, so the upload goes (on AWS, after seven days).
    """
    upload = UploadKey.parse(upload_key)
    try:
        unpacked = unpack_upload(lake, upload_key, work_dir, clock)
        # As `etl.pipeline.transform.in_pipeline_order`, told by what each file holds
        # rather than by its name.
        imported = sorted(unpacked.files, key=lambda f: f.taken_as in ACCOUNT_DATA)
        process([f.raw_key for f in imported if f.raw_key])
    except Exception as error:
        _log.exception("Import %s stopped", upload.import_id)
        message = f"The import stopped: {type(error).__name__}: {error}"
        mark_failed(lake, upload.user_id, upload.import_id, message, clock)
    finally:
        (lake.root / upload.key).unlink(missing_ok=True)
    return import_status(lake, upload.user_id, upload.import_id, clock)


def mark_failed(lake: Lake, user_id: str, import_id: str, message: str, clock: Clock) -> None:
    """Record that an import stopped for a reason its status cannot see in the lake."""
    upload = UploadKey.parse(_load(lake, user_id, import_id)["upload_key"])
    _save(lake, upload, {"status": "failed", "message": message}, clock())


def _local_copy(lake: Lake, upload: UploadKey, temp_dir: Path) -> Path:
    """The uploaded file on this machine's disk: a zip is read member by member, so a
    ~300 MB export never sits in memory whole.

    uploads/ is not one of the lake's data prefixes, so the `Lake` interface does not serve
    it: the file is read from where each kind of lake keeps it (its key parsed above).
    """
    if isinstance(lake, LocalLake):
        return lake.root / upload.key
    if isinstance(lake, S3Lake):
        path = temp_dir / upload.name
        lake.client.download_file(lake.bucket, upload.key, str(path))  # streamed, in parts
        return path
    raise TypeError(f"Cannot read uploads from a {type(lake).__name__}")


def _unpacked_message(name: str, staged: StagedExport) -> str:
    if staged.raw_keys:
        count = len(staged.raw_keys)
        return f"Unpacked {name}: {_files(count, 'listening-history file')} on their way in"
    if staged.quarantined:
        reasons = "; ".join(dict.fromkeys(f.reason or "" for f in staged.quarantined))
        return f"Nothing in {name} could be imported: {reasons}"
    return (
        f"No listening history in {name}: Spotify's Extended streaming history has files "
        "named Streaming_History_Audio_*.json, its Account data StreamingHistory*.json"
    )


# --- reporting ------------------------------------------------------------------------------


def import_status(lake: Lake, user_id: str, import_id: str, clock: Clock) -> ImportStatus:
    """The import as the dashboard shows it; read-only, so any reader may ask any time."""
    document = _load(lake, user_id, import_id)
    status = _status(import_id, document)
    now = clock()
    if status.status == "waiting_for_upload":
        expires_at = datetime.fromisoformat(document["upload_expires_at"])
        if now > expires_at:
            message = "No file arrived before the upload link expired; start the import again"
            return _replace(status, "failed", message)
    elif status.status == "unpacking":
        if now - status.updated_at > UNPACK_DEADLINE:
            message = (
                "Unpacking stopped without finishing; the file may be too large to unpack "
                "in one go. Try uploading its Streaming_History_Audio_*.json files instead"
            )
            return _replace(status, "failed", message)
    elif status.status == "processing":
        return _settle(lake, status, now)
    return status


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
    settled = ImportStatus(
        status.import_id, status.status, files, status.raw_keys, status.message, status.updated_at
    )
    if pending == 0:
        kept = sum(f.status == "imported" for f in files)
        aside = sum(f.status == "quarantined" for f in files)
        message = f"Imported {_files(kept)}" + (f"; {aside} set aside" if aside else "")
        return _replace(settled, "done", message)
    if now - status.updated_at > PROCESSING_DEADLINE:
        message = (
            f"{_files(pending)} did not finish processing; importing the same export again "
            "retries them and changes nothing else"
        )
        return _replace(settled, "failed", message)
    done = status.raw_keys - pending
    return _replace(settled, "processing", f"Processed {done} of {_files(status.raw_keys)}")


def _files(count: int, noun: str = "file") -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _settled_keys(raw: RawKey) -> tuple[str, str, str]:
    return raw.curated_key, raw.records_key, raw.quarantine_report_key


def _existing(lake: Lake, keys: list[str]) -> set[str]:
    """Which of `keys` exist, with one listing per user prefix rather than a HEAD per key
    (the dashboard asks every 2 seconds, and an export has a dozen or more files)."""
    prefixes = {key[: key.index("/", key.index("/user=") + 1) + 1] for key in keys}
    wanted = set(keys)
    return {key for prefix in sorted(prefixes) for key in lake.keys(prefix) if key in wanted}


def _report_reason(lake: Lake, raw: RawKey) -> str:
    report = json.loads(lake.get(raw.quarantine_report_key))
    return str(report.get("reason") or "set aside; see its quarantine report")


def _replace(status: ImportStatus, state: ImportState, message: str) -> ImportStatus:
    return ImportStatus(
        status.import_id, state, status.files, status.raw_keys, message, status.updated_at
    )


# --- the status document ------------------------------------------------------------------


def _load(lake: Lake, user_id: str, import_id: str) -> dict[str, Any]:
    if not _UUID.match(import_id):
        raise ImportNotFound(import_id)
    key = status_key(validate_user_id(user_id), import_id)
    if not lake.exists(key):
        raise ImportNotFound(import_id)
    document: dict[str, Any] = json.loads(lake.get(key))
    return document


def _save(lake: Lake, upload: UploadKey, fields: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Write the whole document: who writes it knows every field (no read-modify-write,
    so the unpacking needs no read access to state/)."""
    document = {
        "import_id": upload.import_id,
        "user_id": upload.user_id,
        "file_name": upload.name,
        "upload_key": upload.key,
        "files": [],
        "raw_keys": [],
        "message": None,
        **fields,
        "updated_at": now.isoformat(),
    }
    lake.put(upload.status_key, json.dumps(document, indent=2).encode())
    return document


def _file_document(outcome: FileOutcome) -> dict[str, Any]:
    """A file as the status document keeps it: what staging knew (records are read off the
    lake, where the load step keeps them)."""
    return {
        "name": outcome.name,
        "status": outcome.status,
        "reason": outcome.reason,
        "taken_as": outcome.taken_as,
        "raw_key": outcome.raw_key,
    }


def _status(import_id: str, document: dict[str, Any]) -> ImportStatus:
    return ImportStatus(
        import_id=import_id,
        status=document["status"],
        files=[FileOutcome(**f) for f in document.get("files", [])],
        raw_keys=len(document.get("raw_keys", [])),
        message=document.get("message"),
        updated_at=datetime.fromisoformat(document["updated_at"]),
    )
