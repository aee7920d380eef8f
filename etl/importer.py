"""Importing a privacy export: sanitise each file, put it in the lake, run the pipeline.

Files are handled one at a time, so memory holds one file, never the whole export. The raw
key is derived from the sanitised content, so importing the same file again finds its
object already in the lake; the steps are idempotent, so re-running them on it changes
nothing and completes any run that was interrupted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from etl.context import PipelineContext
from etl.exports.extended import sanitize
from etl.exports.files import ExportFile, export_files
from etl.lake import Lake, safe_name, validate_user_id
from etl.pipeline import STEP_NAMES
from etl.steps import State, run_step, run_steps
from etl.transform import is_account_data_file, is_history_file, quarantine_report

FileDone = Callable[[str, State], None]  # called with each imported file's name and run


def _ignore(name: str, state: State) -> None:
    """The default progress callback: report nothing."""


@dataclass
class StagedExport:
    raw_keys: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # not part of the listening history
    quarantined: dict[str, str] = field(default_factory=dict)  # origin -> reason


@dataclass
class ImportReport:
    files_imported: list[str] = field(default_factory=list)
    files_ignored: list[str] = field(default_factory=list)
    files_quarantined: dict[str, str] = field(default_factory=dict)  # origin -> reason
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


def content_digest(body: bytes) -> str:
    """The digest of a raw object's content that its export key carries."""
    return hashlib.sha256(body).hexdigest()[:20]


def raw_export_key(user_id: str, file_name: str, body: bytes) -> str:
    return f"raw/export/user={user_id}/{content_digest(body)}/{safe_name(file_name)}"


def _quarantine(lake: Lake, user_id: str, file: ExportFile, reason: str) -> None:
    digest = hashlib.sha256(file.data or file.origin.encode()).hexdigest()[:20]
    base = f"quarantine/upload/user={user_id}/{digest}/{safe_name(file.name)}"
    if file.data:
        lake.put(base, file.data)
    lake.put(base + ".report.json", quarantine_report(file.origin, reason, []))


def _lake_object(file: ExportFile) -> bytes:
    """The file as it enters the lake: Spotify's records less the personal fields."""
    records = orjson.loads(file.data)
    if not isinstance(records, list):
        raise ValueError(f"expected a JSON array of stream records, found {type(records).__name__}")
    return orjson.dumps(sanitize(records))


def stage_file(file: ExportFile, lake: Lake, user_id: str, staged: StagedExport) -> str | None:
    """Put one file in the lake (or quarantine, or pass it over); its raw key if any."""
    if file.refused is not None:
        staged.quarantined[file.origin] = file.refused
        _quarantine(lake, user_id, file, file.refused)
        return None
    if not is_history_file(file.name):
        staged.ignored.append(file.name)
        return None
    try:
        body = _lake_object(file)
    except (UnicodeDecodeError, ValueError) as error:
        reason = f"{file.name} is not a listening-history file: {error}"
        staged.quarantined[file.origin] = reason
        _quarantine(lake, user_id, file, reason)
        return None
    key = raw_export_key(user_id, file.name, body)
    lake.put_new(key, body)
    staged.raw_keys.append(key)
    return key


def stage_files(files: Iterable[ExportFile], lake: Lake, user_id: str) -> StagedExport:
    """Put every history file in the lake; the pipeline runs on each from its event."""
    validate_user_id(user_id)
    staged = StagedExport()
    for file in files:
        stage_file(file, lake, user_id, staged)
    return staged


def _extended_history_first(files: Iterable[ExportFile]) -> Iterator[ExportFile]:
    """The account data's plays resolve to tracks the extended history names, so it comes
    last; it is one small year, so holding it back costs little memory."""
    held_back = []
    for file in files:
        if is_account_data_file(file.name):
            held_back.append(file)
        else:
            yield file
    yield from held_back


def import_export(
    path: Path, ctx: PipelineContext, user_id: str, on_file: FileDone = _ignore
) -> ImportReport:
    """Import locally: each file through the whole pipeline, in the state machine's order.

    Two files are in flight at most: while one goes through the database steps on a
    worker thread (PostgreSQL does that work, and psycopg2 lets go of the GIL meanwhile),
    the next is read, staged and transformed here, so both cores work.
    """
    validate_user_id(user_id)
    staged = StagedExport()
    report = ImportReport(files_ignored=staged.ignored, files_quarantined=staged.quarantined)
    first, rest = STEP_NAMES[0], STEP_NAMES[1:]

    def finish(name: str, in_flight: Future[State]) -> None:
        state = in_flight.result()
        report.add_run(state)
        report.files_imported.append(name)
        on_file(name, state)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import") as database_steps:
        in_flight: tuple[str, Future[State]] | None = None
        for file in _extended_history_first(export_files(path)):
            key = stage_file(file, ctx.lake, user_id, staged)
            if key is None:
                continue
            transformed = run_step(first, {"raw_key": key}, ctx)
            if in_flight is not None:
                finish(*in_flight)
            in_flight = (file.name, database_steps.submit(run_steps, transformed, ctx, rest))
        if in_flight is not None:
            finish(*in_flight)
    return report
