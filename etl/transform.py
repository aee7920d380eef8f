"""Raw lake objects into curated plays, choosing the parser by source and file name."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from etl.curated import CuratedPlay
from etl.exports.extended import parse_records
from etl.lake import RawKey

EXTENDED_HISTORY_FILE = re.compile(
    r"^(Streaming_History_(Audio|Video)_.*|endsong(_\d+)?)\.json$", re.IGNORECASE
)
REPORTED_ERRORS = 50  # a quarantine report lists this many rejected records, then counts


class UnreadableObject(ValueError):
    """The whole object cannot be parsed; it is quarantined."""


@dataclass
class Transformed:
    plays: list[CuratedPlay]
    rejected: list[tuple[int, str]] = field(default_factory=list)
    unidentified: int = 0


def transform_raw(raw: RawKey, body: bytes) -> Transformed:
    file_name = raw.path.rsplit("/", 1)[-1]
    if raw.source != "export" or not EXTENDED_HISTORY_FILE.match(file_name):
        raise UnreadableObject(f"No parser for {raw.source} object {file_name!r}")
    try:
        records = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnreadableObject(f"{file_name} is not valid JSON: {error}") from error
    if not isinstance(records, list):
        raise UnreadableObject(
            f"{file_name} must hold a JSON array of stream records, found {type(records).__name__}"
        )
    parsed = parse_records(records)
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
