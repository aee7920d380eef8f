"""A plays export on AWS, run by a function of its own.

A large history's export takes longer than the HTTP API's 29 s, and pyarrow would make every
cold start of the API function pay for its 156 MB. So on AWS the API only writes a request
document under exports/ (`request_export`); the lake's Object Created event starts the
export function, which writes the file beside it and a status document (`run_export`); the
API reads the status back (`export_status`) and, once the file is there, signs a link to it.
Everything of an export lives in its own folder, `exports/user=<id>/<export id>/`, so
another user's export id names nothing of the caller's.
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import TypeAdapter

from etl.core.clock import Clock
from etl.core.keys import (
    export_key,
    export_request_key,
    export_status_key,
    parse_export_request_key,
)
from etl.core.lake import Lake
from etl.core.settings import Settings
from etl.warehouse.export import (
    MEDIA_TYPES,
    PlaysFormat,
    S3ExportLinks,
    plays_params,
    snapshot,
    write_plays,
)

logger = logging.getLogger(__name__)

ExportState = Literal["pending", "ready", "failed"]
# The export function's timeout (cdk_app/exports.py sets the same): a request still pending
# past it (and a minute for the event to arrive) was stopped before it wrote a status.
EXPORT_TIME_LIMIT = timedelta(minutes=5)
_STATUS_GRACE = timedelta(minutes=1)


@dataclass(frozen=True)
class ExportRequest:
    """What the API asks the export function for: the plays of `user_id` that started in
    the local days `start`..`end` of `time_zone`, as `file_name`."""

    user_id: str
    export_id: str
    file_format: PlaysFormat
    time_zone: str
    start: date | None
    end: date | None
    file_name: str
    requested_at: datetime

    @classmethod
    def new(
        cls,
        user_id: str,
        file_format: PlaysFormat,
        time_zone: str,
        start: date | None,
        end: date | None,
        file_name: str,
        requested_at: datetime,
    ) -> ExportRequest:
        export_id = str(uuid.uuid4())
        return cls(user_id, export_id, file_format, time_zone, start, end, file_name, requested_at)

    def to_json(self) -> bytes:
        return _REQUEST.dump_json(self)

    @classmethod
    def from_json(cls, body: bytes) -> ExportRequest:
        return _REQUEST.validate_json(body)


_REQUEST = TypeAdapter(ExportRequest)


@dataclass(frozen=True)
class ExportStatus:
    """Where an export stands; `file_key` once the file is in the lake, `message` on failure."""

    state: ExportState
    file_name: str
    file_key: str | None = None
    message: str | None = None

    def to_json(self) -> bytes:
        return _STATUS.dump_json(self)

    @classmethod
    def from_json(cls, body: bytes) -> ExportStatus:
        return _STATUS.validate_json(body)


_STATUS = TypeAdapter(ExportStatus)


def request_export(lake: Lake, request: ExportRequest) -> None:
    """Write the request whose creation starts the export function."""
    lake.put(export_request_key(request.user_id, request.export_id), request.to_json())


def export_status(lake: Lake, user_id: str, export_id: str, now: datetime) -> ExportStatus | None:
    """The status of `user_id`'s export `export_id`: pending until the function writes one
    (failed when it never did in time), None when the user asked for no such export."""
    status_key = export_status_key(user_id, export_id)
    if lake.exists(status_key):
        return ExportStatus.from_json(lake.get(status_key))
    request_key = export_request_key(user_id, export_id)
    if not lake.exists(request_key):
        return None
    request = ExportRequest.from_json(lake.get(request_key))
    if now - request.requested_at > EXPORT_TIME_LIMIT + _STATUS_GRACE:
        return ExportStatus(
            "failed", request.file_name, message="The export did not finish in time."
        )
    return ExportStatus("pending", request.file_name)


def run_export(
    lake: Lake, files: S3ExportLinks, settings: Settings, request_key: str, clock: Clock
) -> ExportStatus:
    """Write the file an export request asks for beside it, then its status: ready, or
    failed with a message (the error itself goes to the log). `clock` times the run."""
    user_id, export_id = parse_export_request_key(request_key)
    request = ExportRequest.from_json(lake.get(export_request_key(user_id, export_id)))
    started = clock()
    params = plays_params(user_id, request.time_zone, request.start, request.end)
    file_key = export_key(user_id, export_id, request.file_name)
    try:
        with (
            tempfile.NamedTemporaryFile(suffix=f".{request.file_format}") as file,
            snapshot(settings) as conn,
        ):
            write_plays(conn, request.file_format, params, file)
            file.flush()
            files.upload(Path(file.name), file_key, MEDIA_TYPES[request.file_format])
        status = ExportStatus("ready", request.file_name, file_key=file_key)
    # Whatever stopped it, the user waiting on the page must learn that it did.
    except Exception as error:
        logger.exception("Export %s of %s failed", export_id, user_id)
        message = f"The export could not be written ({type(error).__name__}). Try again."
        status = ExportStatus("failed", request.file_name, message=message)
    lake.put(export_status_key(user_id, export_id), status.to_json())
    logger.info("Export %s: %s in %s", export_id, status.state, clock() - started)
    return status
