"""Importing a privacy export: sanitise each file, put it in the lake, run the pipeline.

The raw key is derived from the sanitised content, so importing the same file again
finds its object already in the lake; the steps are idempotent, so re-running them on it
changes nothing and completes any run that was interrupted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from etl.context import PipelineContext
from etl.exports.extended import sanitize
from etl.exports.files import ExportFile, UnsafeArchive, export_files
from etl.lake import safe_name, validate_user_id
from etl.steps import State, run_pipeline
from etl.transform import EXTENDED_HISTORY_FILE, quarantine_report

FileDone = Callable[[str, State], None]  # called with each imported file's name and run


def _ignore(name: str, state: State) -> None:
    """The default progress callback: report nothing."""


@dataclass
class ImportReport:
    files_imported: list[str] = field(default_factory=list)
    files_ignored: list[str] = field(default_factory=list)  # not part of the listening history
    files_quarantined: dict[str, str] = field(default_factory=dict)  # name -> reason
    plays_read: int = 0
    plays_inserted: int = 0
    duplicates_skipped: int = 0
    records_rejected: int = 0
    features_stored: int = 0

    def add_run(self, state: State) -> None:
        self.plays_read += state.get("plays", 0)
        self.plays_inserted += state.get("inserted", 0)
        self.duplicates_skipped += state.get("duplicates", 0)
        self.records_rejected += state.get("rejected", 0)
        self.features_stored += state.get("features_stored", 0)


def raw_export_key(user_id: str, file_name: str, body: bytes) -> str:
    digest = hashlib.sha256(body).hexdigest()[:20]
    return f"raw/export/user={user_id}/{digest}/{safe_name(file_name)}"


def _quarantine_upload(ctx: PipelineContext, user_id: str, file: ExportFile, reason: str) -> None:
    digest = hashlib.sha256(file.data).hexdigest()[:20]
    base = f"quarantine/upload/user={user_id}/{digest}/{file.name}"
    ctx.lake.put(base, file.data)
    ctx.lake.put(base + ".report.json", quarantine_report(file.origin, reason, []))


def _lake_object(file: ExportFile) -> bytes:
    """The file as it enters the lake: Spotify's records less the personal fields."""
    records = json.loads(file.data)
    if not isinstance(records, list):
        raise ValueError(f"expected a JSON array of stream records, found {type(records).__name__}")
    return json.dumps(sanitize(records), ensure_ascii=False).encode("utf-8")


def import_export(
    path: Path,
    ctx: PipelineContext,
    user_id: str,
    on_file: FileDone = _ignore,
) -> ImportReport:
    validate_user_id(user_id)
    report = ImportReport()
    try:
        files = list(export_files(path))
    except UnsafeArchive as error:
        report.files_quarantined[path.name] = str(error)
        ctx.lake.put(
            f"quarantine/upload/user={user_id}/{path.name}.report.json",
            quarantine_report(str(path), str(error), []),
        )
        return report
    for file in files:
        if not EXTENDED_HISTORY_FILE.match(file.name):
            report.files_ignored.append(file.name)
            continue
        try:
            body = _lake_object(file)
        except (UnicodeDecodeError, ValueError) as error:
            reason = f"{file.name} is not a listening-history file: {error}"
            report.files_quarantined[file.origin] = reason
            _quarantine_upload(ctx, user_id, file, reason)
            continue
        key = raw_export_key(user_id, file.name, body)
        ctx.lake.put_new(key, body)
        state = run_pipeline(key, ctx)
        report.add_run(state)
        report.files_imported.append(file.name)
        on_file(file.name, state)
    return report
