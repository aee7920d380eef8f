"""Your data back, in files: the plays as CSV or Parquet (all, or a range of local days), and
the settings and exclusion rules as JSON.

Locally a plays export is the download itself, streamed from a temporary file. On AWS the
API function neither writes it (pyarrow stays out of its bundle) nor waits for it (a large
history takes longer than the HTTP API's 29 s): it writes a request to the lake and answers
202 with a status URL; the export function writes the file (`etl.warehouse.export_jobs`),
and the status answers a presigned link valid for five minutes once it is ready.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.background import BackgroundTask

from api.deps import ClockDep, ScopeDep, ServicesDep, SettingsDep, UserIdDep
from api.models.exports import ExportStatus, SettingsExport
from etl.core.clock import local_today
from etl.warehouse import export, export_jobs

router = APIRouter(prefix="/exports", tags=["exports"])

_PLAYS_DESCRIPTION = (
    "Every stored play that started in the inclusive local days `from`..`to` (all of them "
    "when both are left out), oldest first, excluded plays included and flagged (`excluded`); "
    "the columns are documented in the README's Export section. Locally the answer is the "
    "file, as an attachment; on AWS a 202: the export is being written, and its status URL "
    "(`status_url`, also `Location`) answers a five-minute link to it once it is ready."
)
_FILE_ANSWERS: dict[int | str, dict[str, Any]] = {
    202: {
        "model": ExportStatus,
        "description": "On AWS: the export is being written; poll `status_url`.",
    }
}


def _export_plays(
    file_format: export.PlaysFormat,
    scope: ScopeDep,
    services: ServicesDep,
    clock: ClockDep,
) -> Response:
    settings = services.settings
    period = scope.period
    name = export.export_file_name(
        scope.user_id,
        "plays",
        period.start,
        period.end,
        local_today(clock, scope.time_zone),
        file_format,
    )
    if settings.lake_bucket:
        request = export_jobs.ExportRequest.new(
            scope.user_id, file_format, scope.time_zone, period.start, period.end, name, clock()
        )
        export_jobs.request_export(services.lake, request)
        pending = export_jobs.ExportStatus("pending", name)
        body = _status_answer(request.export_id, pending, services)
        return JSONResponse(body, status_code=202, headers={"Location": body["status_url"]})
    params = export.plays_params(scope.user_id, scope.time_zone, period.start, period.end)
    fd, temp = tempfile.mkstemp(prefix="moodify-export-", suffix=f".{file_format}")
    path = Path(temp)
    try:
        with os.fdopen(fd, "wb") as file, export.snapshot(settings) as conn:
            export.write_plays(conn, file_format, params, file)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return FileResponse(
        path,
        media_type=export.MEDIA_TYPES[file_format],
        filename=name,
        background=BackgroundTask(path.unlink),
    )


def _status_answer(
    export_id: str, status: export_jobs.ExportStatus, services: ServicesDep
) -> dict[str, Any]:
    url = None
    if status.state == "ready" and status.file_key:
        # Signed on every read: each poll's link has its full five minutes.
        url = services.export_links.link(status.file_key, status.file_name)
    answer = ExportStatus(
        export_id=export_id,
        state=status.state,
        status_url=str(services.url_path_for("export_status", export_id=export_id)),
        file_name=status.file_name,
        url=url,
        message=status.message,
    )
    return answer.model_dump(mode="json")


@router.get(
    "/plays.csv",
    summary="Export the plays as CSV",
    description=_PLAYS_DESCRIPTION + " UTF-8 with a header row; times in UTC as ISO 8601, "
    "artists as JSON arrays, an empty field for a missing value.",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **_FILE_ANSWERS},
)
def export_plays_csv(scope: ScopeDep, services: ServicesDep, clock: ClockDep) -> Response:
    return _export_plays("csv", scope, services, clock)


@router.get(
    "/plays.parquet",
    summary="Export the plays as Parquet",
    description=_PLAYS_DESCRIPTION + " Times are UTC timestamps (microseconds), artists "
    "lists of strings; zstd-compressed, a row group per MB of CSV (about 4,000 plays).",
    response_class=Response,
    responses={200: {"content": {"application/vnd.apache.parquet": {}}}, **_FILE_ANSWERS},
)
def export_plays_parquet(scope: ScopeDep, services: ServicesDep, clock: ClockDep) -> Response:
    return _export_plays("parquet", scope, services, clock)


@router.get(
    "/settings.json",
    summary="Export the settings and exclusion rules as JSON",
    description="The time zone, the stored settings and every exclusion rule, as a "
    "versioned document (`version`), as an attachment. Small: answered directly on AWS too.",
    response_model=SettingsExport,
)
def export_settings(user_id: UserIdDep, settings: SettingsDep, clock: ClockDep) -> JSONResponse:
    with export.snapshot(settings) as conn:
        document = export.settings_document(conn, user_id, settings.time_zone, clock())
    body = SettingsExport.model_validate(document).model_dump(mode="json")
    today = local_today(clock, body["time_zone"])
    name = export.export_file_name(user_id, "settings", None, None, today, "json")
    return JSONResponse(body, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get(
    "/{export_id:uuid}",  # no other path (plays.xlsx) is taken for an export id
    name="export_status",
    summary="Where a plays export stands (AWS)",
    description="On AWS, the status of a plays export that a 202 answered: `pending` while "
    "the export function writes it, `ready` with a link (`url`) valid for five minutes, "
    "signed anew on each read, or `failed` with a `message`. 404 for an id that is not one "
    "of the caller's exports (locally there are none: the export is the download).",
    response_model=ExportStatus,
    responses={404: {"description": "No such export of yours."}},
)
def get_export_status(
    export_id: uuid.UUID, services: ServicesDep, user_id: UserIdDep, clock: ClockDep
) -> JSONResponse:
    status = export_jobs.export_status(services.lake, user_id, str(export_id), clock())
    if status is None:
        raise HTTPException(404, "No such export")
    # A status changes without any data change: never cached.
    headers = {"Cache-Control": "no-store"}
    return JSONResponse(_status_answer(str(export_id), status, services), headers=headers)
