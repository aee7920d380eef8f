"""Unpacking an upload: every export file in it staged under raw/, and what became of each
recorded in the import's status."""

from __future__ import annotations

import tempfile
from pathlib import Path

from etl.core.clock import Clock
from etl.core.keys import UploadKey
from etl.core.lake import Lake
from etl.exports.files import export_files
from etl.imports.importer import StagedExport, stage_files
from etl.imports.status import ImportStatus, StatusDocument, StoredFile, counted, save_status


def unpack_upload(lake: Lake, upload_key: str, work_dir: Path, clock: Clock) -> ImportStatus:
    """Stage every file of an uploaded export under raw/ and record what became of each.

    Idempotent: raw objects are put once and quarantine reports replaced, so a repeated
    delivery of the upload's event finds the same keys and writes the same document.
    """
    upload = UploadKey.parse(upload_key)
    save_status(lake, StatusDocument.of(upload, "unpacking", clock()))
    try:
        work_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=work_dir, prefix="upload-") as temp:
            # On this machine's disk: a zip is read member by member, so a ~300 MB export
            # never sits in memory whole.
            path = Path(temp) / upload.name
            lake.download(upload.key, path)
            staged = stage_files(export_files(path), lake, upload.user_id)
    except Exception as error:
        message = f"Unpacking {upload.name} failed: {type(error).__name__}: {error}"
        save_status(lake, StatusDocument.of(upload, "failed", clock(), message))
        raise
    unpacked = StatusDocument.of(
        upload,
        "processing" if staged.raw_keys else "failed",
        clock(),
        _unpacked_message(upload.name, staged),
        files=[StoredFile.of(f) for f in staged.files],
        raw_keys=staged.raw_keys,
    )
    return ImportStatus.of(save_status(lake, unpacked))


def _unpacked_message(name: str, staged: StagedExport) -> str:
    if staged.raw_keys:
        count = len(staged.raw_keys)
        return f"Unpacked {name}: {counted(count, 'listening-history file')} on their way in"
    if staged.quarantined:
        reasons = "; ".join(dict.fromkeys(f.reason or "" for f in staged.quarantined))
        return f"Nothing in {name} could be imported: {reasons}"
    return (
        f"No listening history in {name}: Spotify's Extended streaming history has files "
        "named Streaming_History_Audio_*.json, its Account data StreamingHistory*.json"
    )
