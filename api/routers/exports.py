"""Your data back, in files: the plays as CSV or Parquet (all, or a range of local days), and
the settings and exclusion rules as JSON.

Locally a plays export is the download itself, streamed from a temporary file. On AWS the
API function cannot answer more than 6 MB: the file goes to the lake under exports/ and the
answer is a 303 redirect to a presigned link valid for five minutes, which the browser
follows as it does any download (the object is deleted a day later). `etl.warehouse.export`
writes the files; pyarrow is imported only there, when a Parquet file is written.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.background import BackgroundTask

from api.deps import ClockDep, ScopeDep, ServicesDep, SettingsDep, UserIdDep
from api.models.exports import SettingsExport
from etl.core.clock import local_today
from etl.core.keys import export_key
from etl.core.settings import Settings
from etl.warehouse import export
from etl.warehouse.connection import Connection, connect

router = APIRouter(prefix="/exports", tags=["exports"])

_PLAYS_DESCRIPTION = (
    "Every stored play that started in the inclusive local days `from`..`to` (all of them "
    "when both are left out), oldest first, excluded plays included and flagged (`excluded`); "
    "the columns are documented in the README's Export section. Locally the answer is the "
    "file, as an attachment; on AWS a 303 redirect to a link to it in the lake, valid for "
    "five minutes."
)
_FILE_ANSWERS: dict[int | str, dict[str, Any]] = {
    303: {"description": "On AWS: the file is in the lake; `Location` is a five-minute link."}
}


@contextmanager
def _snapshot(settings: Settings) -> Iterator[Connection]:
    """A read-only connection of its own, in one REPEATABLE READ transaction: the whole
    export reads one snapshot, and a long export holds none of the pool's connections."""
    with closing(connect(settings)) as conn:
        conn.set_session(readonly=True, isolation_level="REPEATABLE READ")
        yield conn


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
    media_type = export.MEDIA_TYPES[file_format]
    params = export.plays_params(scope.user_id, scope.time_zone, period.start, period.end)
    fd, temp = tempfile.mkstemp(prefix="moodify-export-", suffix=f".{file_format}")
    path = Path(temp)
    try:
        with os.fdopen(fd, "wb") as file, _snapshot(settings) as conn:
            if file_format == "csv":
                export.write_plays_csv(conn, params, file)
            else:
                export.write_plays_parquet(conn, params, file)
        if settings.lake_bucket:
            key = export_key(scope.user_id, str(uuid.uuid4()), name)
            url = services.export_links.publish(path, key, name, media_type)
            path.unlink()
            return RedirectResponse(url, status_code=303)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return FileResponse(
        path, media_type=media_type, filename=name, background=BackgroundTask(path.unlink)
    )


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
    with _snapshot(settings) as conn:
        document = export.settings_document(conn, user_id, settings.time_zone, clock())
    body = SettingsExport.model_validate(document).model_dump(mode="json")
    today = local_today(clock, body["time_zone"])
    name = export.export_file_name(user_id, "settings", None, None, today, "json")
    return JSONResponse(body, headers={"Content-Disposition": f'attachment; filename="{name}"'})
