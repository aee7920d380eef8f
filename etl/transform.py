"""Raw lake objects into curated plays, choosing the parser by source and file name."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import orjson

from etl.curated import CuratedPlay
from etl.exports.account import parse_account_records
from etl.exports.extended import ParsedFile, RecordError, parse_records
from etl.lake import RawKey
from etl.spotify.pages import page_cursor, parse_recently_played

EXTENDED_HISTORY_FILE = re.compile(
    r"^(Streaming_History_(Audio|Video)_.*|endsong(_\d+)?)\.json$", re.IGNORECASE
)
ACCOUNT_MUSIC_FILE = re.compile(r"^StreamingHistory(_music)?_?\d+\.json$", re.IGNORECASE)
ACCOUNT_PODCAST_FILE = re.compile(r"^StreamingHistory_podcast_?\d+\.json$", re.IGNORECASE)


def is_account_data_file(name: str) -> bool:
    return bool(ACCOUNT_MUSIC_FILE.match(name) or ACCOUNT_PODCAST_FILE.match(name))


def is_history_file(name: str) -> bool:
    """Whether a file of an export holds plays, in either format."""
    return any(
        pattern.match(name)
        for pattern in (EXTENDED_HISTORY_FILE, ACCOUNT_MUSIC_FILE, ACCOUNT_PODCAST_FILE)
    )


REPORTED_ERRORS = 50  # a quarantine report lists this many rejected records, then counts


class UnreadableObject(ValueError):
    """The whole object cannot be parsed; it is quarantined."""


@dataclass
class Transformed:
    plays: list[CuratedPlay]
    rejected: list[tuple[int, str]] = field(default_factory=list)
    unidentified: int = 0
    # What the warehouse learns besides plays: a profile, possible gaps.
    facts: dict[str, Any] | None = None


def _json(body: bytes, file_name: str) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise UnreadableObject(f"{file_name} is not valid JSON: {error}") from error


def transform_raw(raw: RawKey, body: bytes) -> Transformed:
    file_name = raw.path.rsplit("/", 1)[-1]
    if raw.source == "export" and EXTENDED_HISTORY_FILE.match(file_name):
        return _export_file(body, file_name, parse_records)
    if raw.source == "export" and ACCOUNT_PODCAST_FILE.match(file_name):
        return _export_file(body, file_name, partial(parse_account_records, podcast=True))
    if raw.source == "export" and ACCOUNT_MUSIC_FILE.match(file_name):
        return _export_file(body, file_name, partial(parse_account_records, podcast=False))
    if raw.source == "api":
        is_page, after_ms = page_cursor(raw.path)
        if is_page:
            return _recently_played(body, file_name, after_ms)
        if raw.path.startswith("profile/"):
            return Transformed(plays=[], facts={"profile": _json(body, file_name)})
    raise UnreadableObject(f"No parser for {raw.source} object {raw.path!r}")


def _recently_played(body: bytes, file_name: str, after_ms: int | None) -> Transformed:
    page = _json(body, file_name)
    try:
        parsed = parse_recently_played(page, after_ms)
    except (RecordError, KeyError, TypeError, ValueError) as error:
        raise UnreadableObject(f"{file_name} is not a recently-played page: {error}") from error
    facts = None
    if parsed.gap is not None:
        gap = {"from": parsed.gap.start.isoformat(), "to": parsed.gap.end.isoformat()}
        facts = {"gaps": [gap]}
    return Transformed(plays=parsed.plays, facts=facts)


def _export_file(
    body: bytes, file_name: str, parse: Callable[[list[Any]], ParsedFile]
) -> Transformed:
    records = _json(body, file_name)
    if not isinstance(records, list):
        raise UnreadableObject(
            f"{file_name} must hold a JSON array of stream records, found {type(records).__name__}"
        )
    parsed = parse(records)
    return Transformed(parsed.plays, parsed.rejected, parsed.unidentified)


def quarantine_report(raw_key: str, reason: str, rejected: list[tuple[int, str]]) -> bytes:
    report = {
        "raw_key": raw_key,
        "reason": reason,
        "rejected_records": len(rejected),
        "first_errors": [
            {"record": index, "error": error} for index, error in rejected[:REPORTED_ERRORS]
        ],
    }
    return json.dumps(report, indent=2).encode("utf-8")
