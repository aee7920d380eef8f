"""Imports from the dashboard: a link to upload an export, then the import's progress.

On AWS the link is a presigned POST straight into the lake bucket (an export is far larger
than an API Gateway request may be), and the upload's object event unpacks it. Locally
there is no bucket: the link is `PUT /api/v1/imports/{id}/file` on this API, which stores
the file under the local lake's `uploads/`, then unpacks it and runs the pipeline in the
background. `etl.imports.uploads` does the work in both homes.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, Request
from fastapi.exceptions import RequestValidationError

from api.deps import ClockDep, UserIdDep
from api.models import (
    FileRecords,
    ImportCreated,
    ImportedFile,
    ImportRequest,
    ImportStatus,
    RejectedReason,
    SupersededBy,
    UploadForm,
)
from api.routers.auth import ProcessRawKeys
from etl.core.lake import Lake, LocalLake, lake_from_settings
from etl.core.settings import Settings
from etl.exports.records import RecordCounts
from etl.imports import uploads
from etl.imports.importer import FileOutcome

router = APIRouter(prefix="/imports", tags=["imports"])

_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No import of this id belongs to the signed-in user."}
}


@dataclass(frozen=True)
class Imports:
    lake: Lake
    presigner: uploads.Presigner
    work_dir: Path  # where an upload is unpacked


def get_imports(request: Request) -> Imports:
    """Built on first use and kept: the S3 clients are reused across requests."""
    state = request.app.state
    if getattr(state, "imports", None) is None:
        settings: Settings = state.settings
        presigner: uploads.Presigner
        if settings.lake_bucket:
            presigner = uploads.S3PresignedPost.for_bucket(
                settings.lake_bucket, settings.aws_region
            )
        else:
            app = request.app
            presigner = uploads.LocalPut(
                lambda import_id: str(app.url_path_for("upload_import_file", import_id=import_id))
            )
        state.imports = Imports(
            lake_from_settings(settings), presigner, Path(tempfile.gettempdir())
        )
    imports: Imports = state.imports
    return imports


ImportsDep = Annotated[Imports, Depends(get_imports)]


@router.post(
    "",
    status_code=201,
    summary="Start an import: where to upload the export",
    description="Answers a one-hour link for exactly this file (a .zip or .json of at most "
    "2 GiB, no larger than `size_bytes`) and the URL to follow the import at. On AWS the "
    "link is a presigned POST to the lake bucket; locally a PUT to this API.",
)
def create_import(
    body: ImportRequest,
    request: Request,
    user_id: UserIdDep,
    imports: ImportsDep,
    clock: ClockDep,
) -> ImportCreated:
    try:
        new = uploads.create_upload(
            imports.lake,
            imports.presigner,
            user_id,
            body.file_name,
            body.size_bytes,
            clock=clock,
        )
    except uploads.UploadRefused as refused:
        value = getattr(body, refused.field)
        raise RequestValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ("body", refused.field),
                    "msg": str(refused),
                    "input": value,
                }
            ]
        ) from refused
    return ImportCreated(
        import_id=new.import_id,
        upload=UploadForm(method=new.target.method, url=new.target.url, fields=new.target.fields),
        status_url=str(request.app.url_path_for("get_import", import_id=new.import_id)),
        expires_at=new.expires_at,
    )


@router.get(
    "/{import_id}",
    summary="An import's progress",
    description="`waiting_for_upload`, `unpacking`, `processing` (each history file goes "
    "through the pipeline), then `done` when every file has been processed or set aside, "
    "or `failed` with a message. Each file says whether it was imported (and as what), set "
    "aside (quarantined, with the reason) or left out (ignored: not listening history); "
    "once a file is loaded, what became of every one of its records.",
    responses=_NOT_FOUND,
)
def get_import(
    import_id: str, user_id: UserIdDep, imports: ImportsDep, clock: ClockDep
) -> ImportStatus:
    try:
        return _model(uploads.import_status(imports.lake, user_id, import_id, clock))
    except uploads.ImportNotFound as missing:
        raise HTTPException(404, f"No import {import_id} of yours") from missing


@router.put(
    "/{import_id}/file",
    status_code=202,
    summary="Local only: upload the export's file as the request body",
    description="Stores the file and imports it in the background; follow the import at "
    "its status URL. On AWS the file goes straight to the lake bucket instead.",
    responses={
        **_NOT_FOUND,
        409: {"description": "The import already has its file."},
        413: {"description": "The body is larger than the size the import was created with."},
    },
)
async def upload_import_file(
    import_id: str,
    request: Request,
    user_id: UserIdDep,
    imports: ImportsDep,
    background: BackgroundTasks,
    clock: ClockDep,
) -> ImportStatus:
    lake = imports.lake
    if not isinstance(lake, LocalLake):
        raise HTTPException(
            404, "On AWS the file goes to the lake with the link from POST /api/v1/imports"
        )
    try:
        path, max_bytes = uploads.local_upload_path(lake, user_id, import_id)
    except uploads.ImportNotFound as missing:
        raise HTTPException(404, f"No import {import_id} of yours") from missing
    except uploads.UploadRefused as refused:
        raise HTTPException(409, str(refused)) from refused
    await _receive(request, path, max_bytes)
    process: ProcessRawKeys = request.app.state.process_raw_keys
    upload_key = path.relative_to(lake.root).as_posix()
    background.add_task(
        uploads.import_local_upload, lake, upload_key, imports.work_dir, process, clock
    )
    return _model(uploads.import_status(lake, user_id, import_id, clock))


async def _receive(request: Request, path: Path, max_bytes: int) -> None:
    """The body, streamed to `path` (whole or not at all), refused past `max_bytes`."""
    too_large = HTTPException(413, f"The file is larger than the {max_bytes} bytes announced")
    if int(request.headers.get("content-length") or 0) > max_bytes:
        raise too_large
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        received = 0
        with os.fdopen(fd, "wb") as handle:
            async for chunk in request.stream():
                received += len(chunk)
                if received > max_bytes:
                    raise too_large
                handle.write(chunk)
        if received == 0:
            raise HTTPException(422, "The upload was empty")
        os.replace(temp, path)
    finally:
        Path(temp).unlink(missing_ok=True)


def _records(counts: RecordCounts) -> FileRecords:
    return FileRecords(
        read=counts.read,
        new=counts.new,
        already_stored=counts.already_stored,
        superseded=counts.superseded,
        not_plays=counts.not_plays,
        rejected=counts.rejected,
        superseded_by=[
            SupersededBy(
                source=item.source,
                by=item.by,
                file=item.file,
                kind=item.kind,
                from_=item.from_,
                to=item.to,
                records=item.records,
            )
            for item in counts.superseded_by
        ],
        rejected_reasons=[
            RejectedReason(reason=reason, records=records)
            for reason, records in counts.rejected_reasons
        ],
    )


def _file(outcome: FileOutcome) -> ImportedFile:
    return ImportedFile(
        name=outcome.name,
        status=outcome.status,
        reason=outcome.reason,
        taken_as=outcome.taken_as,
        records=None if outcome.records is None else _records(outcome.records),
    )


def _model(status: uploads.ImportStatus) -> ImportStatus:
    return ImportStatus(
        import_id=status.import_id,
        status=status.status,
        files=[_file(f) for f in status.files],
        raw_keys=status.raw_keys,
        message=status.message,
        updated_at=status.updated_at,
    )
