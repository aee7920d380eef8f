"""Importing a privacy export: sanitise each file, put it in the lake, run the pipeline.

Files are handled one at a time, so memory holds one file, never the whole export. The raw
key is derived from the sanitised content, so importing the same file again finds its
object already in the lake; the steps are idempotent, so re-running them on it changes
nothing and completes any run that was interrupted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import orjson

from etl.core.keys import REPORT_SUFFIX, quarantined_file_key, raw_export_key, validate_user_id
from etl.core.lake import Lake
from etl.exports.extended import sanitize
from etl.exports.files import ExportFile, export_files
from etl.exports.json_array import InvalidJson, NotAnArray, json_array
from etl.exports.kinds import (
    ACCOUNT_DATA,
    SAMPLED_RECORDS,
    TakenAs,
    recognise,
    taken_as_by_name,
)
from etl.exports.records import RecordCounts
from etl.pipeline.order import STEP_NAMES
from etl.pipeline.transform import quarantine_report

if TYPE_CHECKING:
    from etl.pipeline.context import PipelineContext
    from etl.pipeline.steps import State

FileDone = Callable[[str, "State"], None]  # called with each imported file's name and run
FileStatus = Literal["imported", "quarantined", "ignored"]


def _ignore(name: str, state: State) -> None:
    """The default progress callback: report nothing."""


@dataclass(frozen=True)
class FileOutcome:
    """What became of one file handed over."""

    name: str
    status: FileStatus
    # Why it was set aside or left out; for an imported file, the records it could not read.
    reason: str | None = None
    taken_as: TakenAs | None = None  # what an imported file was recognised as
    raw_key: str | None = None  # the raw object an imported file became
    records: RecordCounts | None = None  # what became of its records, once loaded


@dataclass
class StagedExport:
    files: list[FileOutcome] = field(default_factory=list)  # every file, in the order met

    @property
    def raw_keys(self) -> list[str]:
        return [f.raw_key for f in self.files if f.raw_key]

    @property
    def quarantined(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "quarantined"]


@dataclass
class ImportReport:
    files: list[FileOutcome] = field(default_factory=list)  # every file, in the order met
    features_stored: int = 0

    def with_status(self, status: FileStatus) -> list[FileOutcome]:
        return [f for f in self.files if f.status == status]

    def total(self, count: str) -> int:
        """One of `RecordCounts`' counts over every loaded file."""
        return sum(getattr(f.records, count) for f in self.files if f.records)

    @property
    def plays_inserted(self) -> int:
        return self.total("new")


def _records(file: ExportFile) -> Iterator[Any]:
    """The file's records, each read as it is reached; ValueError says why it holds none,
    at once or when iteration reaches what is not JSON."""
    if not file.name.lower().endswith(".json"):
        raise ValueError("not a JSON file")
    try:
        yield from json_array(file.data)  # also refuses text that is not UTF-8
    except NotAnArray as error:
        raise ValueError(f"expected a JSON array of stream records, {error}") from error
    except InvalidJson as error:
        raise ValueError(f"not valid JSON ({error})") from error


def _sanitized_body(records: Iterator[Any]) -> bytes:
    """The records without their personal fields, as `orjson.dumps` writes a list of them
    (the raw key is a digest of these bytes), without ever holding that list."""
    body = bytearray()
    while batch := list(islice(records, SAMPLED_RECORDS)):
        for record in sanitize(batch):
            body += b"," if body else b"["
            try:
                body += orjson.dumps(record)
            except orjson.JSONEncodeError as error:  # a lone surrogate in a string
                raise ValueError(f"not valid JSON ({error})") from error
    body += b"]" if body else b"[]"
    return bytes(body)


def stage_file(file: ExportFile, lake: Lake, user_id: str, staged: StagedExport) -> FileOutcome:
    """Put one file in the lake if it is listening history, or quarantine it, or leave it
    out; what became of it is also added to `staged`.

    A file named as Spotify names its history files that cannot be read is quarantined; a
    file with any other name that is not listening history is left out, and never stored
    (an export holds other personal data, such as payment details).
    """
    if file.refused is not None:
        return _quarantined(lake, user_id, file, file.refused, staged)
    try:
        records = _records(file)
        first = list(islice(records, SAMPLED_RECORDS))  # all that `recognise` reads
    except ValueError as error:
        return _unreadable(lake, user_id, file, error, staged)
    taken_as = recognise(file.name, first)
    if taken_as is None:
        why = (
            "it holds no records"
            if not first
            else "its records are neither Extended streaming history nor Account data"
        )
        return _add(staged, FileOutcome(file.name, "ignored", f"not listening history: {why}"))
    try:
        body = _sanitized_body(chain(first, records))
    except ValueError as error:
        return _unreadable(lake, user_id, file, error, staged)
    key = raw_export_key(user_id, file.name, body)
    same = next((f for f in staged.files if f.raw_key == key), None)
    if same is not None:
        reason = f"the same file as {same.name}, imported once"
        return _add(staged, FileOutcome(file.name, "ignored", reason))
    lake.put_new(key, body)
    return _add(staged, FileOutcome(file.name, "imported", taken_as=taken_as, raw_key=key))


def _unreadable(
    lake: Lake, user_id: str, file: ExportFile, error: ValueError, staged: StagedExport
) -> FileOutcome:
    """A file that cannot be read: set aside if named as a history file, else left out."""
    if taken_as_by_name(file.name) is None:
        return _add(staged, FileOutcome(file.name, "ignored", f"not listening history: {error}"))
    reason = f"{file.name} is not a listening-history file: {error}"
    return _quarantined(lake, user_id, file, reason, staged)


def _add(staged: StagedExport, outcome: FileOutcome) -> FileOutcome:
    staged.files.append(outcome)
    return outcome


def _quarantined(
    lake: Lake, user_id: str, file: ExportFile, reason: str, staged: StagedExport
) -> FileOutcome:
    key = quarantined_file_key(user_id, file.name, file.data or file.origin.encode())
    if file.data:
        lake.put(key, file.data)
    lake.put(key + REPORT_SUFFIX, quarantine_report(file.origin, reason, []))
    return _add(staged, FileOutcome(file.name, "quarantined", reason))


def stage_files(files: Iterable[ExportFile], lake: Lake, user_id: str) -> StagedExport:
    """Put every history file in the lake; the pipeline runs on each from its event."""
    validate_user_id(user_id)
    staged = StagedExport()
    for file in files:
        stage_file(file, lake, user_id, staged)
    return staged


def _account_data_last(
    files: Iterable[ExportFile], lake: Lake, user_id: str, staged: StagedExport
) -> Iterator[tuple[FileOutcome, str]]:
    """Stage each file; yield those imported, with their raw keys, the account data last:
    its plays resolve to tracks the extended history names. Only its outcomes wait: its
    content is in the lake."""
    held_back = []
    for file in files:
        outcome = stage_file(file, lake, user_id, staged)
        if outcome.raw_key is None:
            continue
        if outcome.taken_as in ACCOUNT_DATA:
            held_back.append((outcome, outcome.raw_key))
        else:
            yield outcome, outcome.raw_key
    yield from held_back


def import_export(
    path: Path, ctx: PipelineContext, user_id: str, on_file: FileDone = _ignore
) -> ImportReport:
    """Import locally: each file through the whole pipeline, in the state machine's order.

    Two files are in flight at most: while one goes through the database steps on a
    worker thread (PostgreSQL does that work, and psycopg2 lets go of the GIL meanwhile),
    the next is read, staged and transformed here, so both cores work.
    """
    # Imported here: staging alone (the unpack function, the API's import status) needs
    # none of the steps, whose clients and loaders are most of a cold start's imports.
    from etl.pipeline.steps import run_step, run_steps

    validate_user_id(user_id)
    staged = StagedExport()
    report = ImportReport(files=staged.files)
    first, rest = STEP_NAMES[0], STEP_NAMES[1:]

    def finish(outcome: FileOutcome, in_flight: Future[State]) -> None:
        state = in_flight.result()
        report.features_stored += state.get("features_stored", 0)
        if state.get("records_key"):
            records = RecordCounts.from_json(orjson.loads(ctx.lake.get(state["records_key"])))
            done = replace(outcome, records=records)
        else:  # the transform set it aside whole
            done = replace(outcome, status="quarantined", reason=state["quarantined"])
        staged.files[staged.files.index(outcome)] = done
        on_file(outcome.name, state)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import") as database_steps:
        in_flight: tuple[FileOutcome, Future[State]] | None = None
        for outcome, raw_key in _account_data_last(export_files(path), ctx.lake, user_id, staged):
            transformed = run_step(first, {"raw_key": raw_key}, ctx)
            if in_flight is not None:
                finish(*in_flight)
            in_flight = (outcome, database_steps.submit(run_steps, transformed, ctx, rest))
        if in_flight is not None:
            finish(*in_flight)
    return report
