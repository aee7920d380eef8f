"""Raw lake objects into curated plays, choosing the parser by source and by what an export
file holds (`etl.exports.kinds.recognise`: its records, and its name where they cannot tell)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, islice
from pathlib import PurePosixPath
from typing import Any

import orjson

from etl.core.curated import CuratedPlay
from etl.core.keys import RawKey, content_digest, page_cursor
from etl.exports.account import parse_account_records
from etl.exports.extended import REPORTED_ERRORS, ParsedFile, RecordError, parse_records
from etl.exports.json_array import InvalidJson, NotAnArray, json_array
from etl.exports.kinds import (
    ACCOUNT_DATA,
    SAMPLED_RECORDS,
    TakenAs,
    recognise,
    taken_as_by_name,
)
from etl.spotify.pages import parse_recently_played


def is_account_data_file(name: str) -> bool:
    """Whether a file is the account data by its name alone (for ordering raw keys)."""
    return taken_as_by_name(name) in ACCOUNT_DATA


def in_pipeline_order(raw_keys: Iterable[str]) -> list[str]:
    """Account-data plays resolve to tracks the extended history names: theirs go last.

    On AWS each raw object runs on its own; in-process (locally) this order matters.
    """
    keys = list(raw_keys)
    return sorted(keys, key=lambda key: is_account_data_file(PurePosixPath(key).name))


class UnreadableObject(ValueError):
    """The whole object cannot be parsed; it is quarantined."""


@dataclass
class Transformed:
    plays: list[CuratedPlay]
    read: int  # records in the object: plays + not_plays + rejected
    taken_as: TakenAs | None = None  # what an export file was recognised as
    # The first REPORTED_ERRORS rejected records: (record index, message).
    rejected: list[tuple[int, str]] = field(default_factory=list)
    rejected_reasons: Counter[str] = field(default_factory=Counter)
    not_plays: int = 0
    # What the warehouse learns besides plays: a profile, possible gaps.
    facts: dict[str, Any] | None = None

    @property
    def rejected_count(self) -> int:
        return self.rejected_reasons.total()


def _json(body: bytes, file_name: str) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise UnreadableObject(f"{file_name} is not valid JSON: {error}") from error


_PARSERS: dict[TakenAs, Callable[[Iterable[Any]], ParsedFile]] = {
    "extended_audio": parse_records,
    "extended_video": parse_records,
    "extended_unknown": parse_records,
    "account_music": partial(parse_account_records, podcast=False),
    "account_podcast": partial(parse_account_records, podcast=True),
}


def check_content(raw: RawKey, body: bytes) -> None:
    """Refuse an export's raw object whose content is not what its key names.

    Export keys carry a digest of their content (`etl.core.keys.raw_export_key`); other raw
    objects (API pages, profiles) have nothing to check but that they parse.
    """
    expected = raw.named_digest
    if expected is None:
        return
    actual = content_digest(body)
    if expected != actual:
        raise UnreadableObject(
            f"its content does not match its key: the key names content digest {expected}, "
            f"the content's is {actual}"
        )


def transform_raw(raw: RawKey, body: bytes) -> Transformed:
    file_name = raw.file_name
    if raw.source == "export":
        return _export_file(body, file_name)
    if raw.source == "api":
        is_page, after_ms = page_cursor(raw.path)
        if is_page:
            return _recently_played(body, file_name, after_ms)
        if raw.is_profile:
            return Transformed(plays=[], read=0, facts={"profile": _json(body, file_name)})
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
    items = len(page["items"])  # parsing checked that it is a list
    return Transformed(
        plays=parsed.plays, read=items, not_plays=items - len(parsed.plays), facts=facts
    )


def _export_file(body: bytes, file_name: str) -> Transformed:
    # Record by record (see `etl.exports.json_array`): a file of millions of tiny records,
    # parsed whole, is a list many times its size.
    try:
        records = json_array(body)
        first = list(islice(records, SAMPLED_RECORDS))  # all that `recognise` reads
        taken_as = recognise(file_name, first)
        if taken_as is None:
            raise UnreadableObject(
                f"{file_name} is not listening history: its records are neither Extended "
                "streaming history nor Account data"
            )
        parsed = _PARSERS[taken_as](chain(first, records))
    except NotAnArray as error:
        raise UnreadableObject(
            f"{file_name} must hold a JSON array of stream records, {error}"
        ) from error
    except InvalidJson as error:
        raise UnreadableObject(f"{file_name} is not valid JSON: {error}") from error
    return Transformed(
        plays=parsed.plays,
        read=len(parsed.plays) + parsed.not_plays + parsed.rejected_count,
        taken_as=taken_as,
        rejected=parsed.rejected,
        rejected_reasons=parsed.rejected_reasons,
        not_plays=parsed.not_plays,
    )


def quarantine_report(
    raw_key: str, reason: str, rejected: list[tuple[int, str]], rejected_count: int = 0
) -> bytes:
    """`rejected` lists the first rejected records, of `rejected_count` in all."""
    report = {
        "raw_key": raw_key,
        "reason": reason,
        "rejected_records": rejected_count,
        "first_errors": [
            {"record": index, "error": error} for index, error in rejected[:REPORTED_ERRORS]
        ],
    }
    return json.dumps(report, indent=2).encode("utf-8")
