"""Imports from the dashboard: a link to upload an export, then the import's progress.

On AWS the link is a presigned POST straight into the lake bucket (an export is far larger
than an API Gateway request may be), and the upload's object event unpacks it. Locally
there is no bucket: the link is `PUT /api/v1/imports/{id}/file` on this API, which stores
the file under the local lake's `uploads/`, then unpacks it and runs the pipeline in the
background. `etl.imports` does the work in both homes (see `etl.imports.status`).
"""

from __future__ import annotations

from typing import Any, BinaryIO

from fastapi import APIRouter, BackgroundTasks, HTTPException, Request

from api.deps import ClockDep, ServicesDep, UserIdDep, invalid
from api.models.imports import (
    FileRecords,
    ImportCreated,
    ImportedFile,
    ImportRequest,
    ImportStatus,
    RejectedReason,
    SupersededBy,
    UploadForm,
)
from etl.exports.records import RecordCounts
from etl.imports import status
from etl.imports.importer import FileOutcome
from etl.imports.presign import (
    ACCEPTED_FILES,
    MAX_PENDING_IMPORTS,
    MAX_UPLOAD_SIZE,
    TooManyImports,
    UploadLinkExpired,
    UploadRefused,
    create_upload,
)

router = APIRouter(prefix="/imports", tags=["imports"])

_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No import of this id belongs to the signed-in user."}
}


@router.post(
    "",
    status_code=201,
    summary="Start an import: where to upload the export",
    description="Answers a one-hour link for exactly this file (a "
    f"{ACCEPTED_FILES} of at most {MAX_UPLOAD_SIZE}, no larger than `size_bytes`) and the URL "
    "to follow the import at. On AWS the link is a presigned POST to the lake bucket; locally "
    "a PUT to this API.",
    responses={
        429: {
            "description": f"{MAX_PENDING_IMPORTS} of the user's imports are neither done nor "
            "failed yet."
        }
    },
)
def create_import(
    body: ImportRequest,
    request: Request,
    user_id: UserIdDep,
    services: ServicesDep,
    clock: ClockDep,
) -> ImportCreated:
    try:
        new = create_upload(
            services.lake, services.presigner, user_id, body.file_name, body.size_bytes, clock=clock
        )
    except UploadRefused as refused:
        value = getattr(body, refused.field)
        raise invalid(refused.field, str(refused), value, part="body") from refused
    except TooManyImports as busy:
        raise HTTPException(429, str(busy)) from busy
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
    import_id: str, user_id: UserIdDep, services: ServicesDep, clock: ClockDep
) -> ImportStatus:
    try:
        return _model(status.import_status(services.lake, user_id, import_id, clock))
    except status.ImportNotFound as missing:
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
        410: {"description": "The import's upload link expired before its file arrived."},
        413: {"description": "The body is larger than the size the import was created with."},
    },
)
async def upload_import_file(
    import_id: str,
    request: Request,
    user_id: UserIdDep,
    services: ServicesDep,
    background: BackgroundTasks,
) -> ImportStatus:
    receipt = services.receipt
    if receipt is None:
        raise HTTPException(
            404, "On AWS the file goes to the lake with the link from POST /api/v1/imports"
        )
    try:
        expected = receipt.expect(user_id, import_id)
    except status.ImportNotFound as missing:
        raise HTTPException(404, f"No import {import_id} of yours") from missing
    except UploadRefused as refused:
        raise HTTPException(409, str(refused)) from refused
    except UploadLinkExpired as expired:
        raise HTTPException(410, str(expired)) from expired
    # Whole or not at all: the upload's key gets the file once all of it has arrived.
    with receipt.lake.writer(expected.upload.key) as file:
        await _receive(request, file, expected.max_bytes)
    background.add_task(receipt.import_upload, expected.upload)
    return _model(status.import_status(receipt.lake, user_id, import_id, receipt.clock))


async def _receive(request: Request, file: BinaryIO, max_bytes: int) -> None:
    """The body, streamed to `file`, refused past `max_bytes`."""
    too_large = HTTPException(413, f"The file is larger than the {max_bytes} bytes announced")
    if int(request.headers.get("content-length") or 0) > max_bytes:
        raise too_large
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > max_bytes:
            raise too_large
        file.write(chunk)
    if received == 0:
        raise invalid("file", "The upload was empty", None, part="body")


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


def _model(imported: status.ImportStatus) -> ImportStatus:
    return ImportStatus(
        import_id=imported.import_id,
        status=imported.status,
        files=[_file(f) for f in imported.files],
        raw_keys=imported.raw_keys,
        message=imported.message,
        updated_at=imported.updated_at,
    )
