"""The Extended Streaming History format (`Streaming_History_Audio_*.json`, `endsong_*.json`).

Each file is a JSON array of stream records; `ts` is the END of the stream in UTC, so a
play starts at `ts - ms_played`. Artists and albums come without IDs: they get provisional
`name:` keys until an API object names the real ones.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from etl.core.curated import Artist, CuratedPlay

# Personal data Moodify never uses; dropped before a file enters the lake. Everything
# else is kept as Spotify wrote it.
PERSONAL_FIELDS = frozenset({"ip_addr", "ip_addr_decrypted"})
SKIP_THRESHOLD_MS = 30_000  # Spotify's own "played" threshold, used where `skipped` is null
_URI = re.compile(r"^spotify:(?P<kind>track|episode|chapter|audiobook):(?P<id>[A-Za-z0-9]{1,64})$")


class RecordError(ValueError):
    """A record that cannot be read. `reason` names the field and the rule it breaks, the
    same words for every record that breaks it (so reasons can be counted); the message
    adds what was found."""

    def __init__(self, reason: str, found: str | None = None) -> None:
        super().__init__(reason if found is None else f"{reason}, found {found}")
        self.reason = reason


# A quarantine report lists this many rejected records, then counts. Only these are kept:
# a file of millions of malformed records would otherwise hold a message for each.
REPORTED_ERRORS = 50


@dataclass
class ParsedFile:
    plays: list[CuratedPlay] = field(default_factory=list)
    # The first REPORTED_ERRORS rejected records: (record index, message).
    rejected: list[tuple[int, str]] = field(default_factory=list)
    rejected_reasons: Counter[str] = field(default_factory=Counter)  # reason -> records
    not_plays: int = 0  # records with neither a track nor an episode to attribute

    @property
    def rejected_count(self) -> int:
        return self.rejected_reasons.total()


def sanitize(records: list[Any]) -> list[Any]:
    """Drop the personal fields Moodify never stores, in place; return the records."""
    for record in records:
        if isinstance(record, dict):
            for name in PERSONAL_FIELDS:
                record.pop(name, None)
    return records


@lru_cache(maxsize=65_536)
def provisional_id(*names: str) -> str:
    return "name:" + "/".join(" ".join(name.lower().split()) for name in names)


@lru_cache(maxsize=65_536)
def album_artist(name: str) -> tuple[Artist, ...]:
    return (Artist(provisional_id(name), name),)


def text_field(record: Mapping[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value.__class__ is str:  # the common case, tested first: this runs millions of times
        return value or None
    if value is None:
        return None
    raise RecordError(f"{name} must be a string", type(value).__name__)


def _flag(record: Mapping[str, Any], name: str) -> bool | None:
    value = record.get(name)
    if value is None or isinstance(value, bool):
        return value
    raise RecordError(f"{name} must be true, false or null", repr(value))


def _uri_id(record: Mapping[str, Any], name: str) -> str | None:
    uri = text_field(record, name)
    if uri is None:
        return None
    match = _URI.match(uri)
    if match is None:
        raise RecordError(f"{name} is not a Spotify URI", repr(uri))
    return match["id"]


def _end_time(record: Mapping[str, Any]) -> datetime:
    ts = text_field(record, "ts")
    if ts is None:
        raise RecordError("ts is missing")
    try:
        moment = datetime.fromisoformat(ts)  # Python 3.11 reads the trailing Z
    except ValueError as error:
        raise RecordError("ts is not an ISO 8601 time", repr(ts)) from error
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def _ms_played(record: Mapping[str, Any]) -> int:
    value = record.get("ms_played")
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RecordError("ms_played must be a non-negative integer", repr(value))
    return value


def parse_record(record: Any) -> CuratedPlay | None:
    """One stream record as a curated play, or None when it names no track or episode."""
    if not isinstance(record, dict):
        raise RecordError("record must be an object", type(record).__name__)
    ended_at = _end_time(record)
    ms_played = _ms_played(record)
    track_id = _uri_id(record, "spotify_track_uri")
    episode_id = _uri_id(record, "spotify_episode_uri")
    episode_kind = "episode"
    if episode_id is None:
        # Audiobook chapters are kept as episodes of a show named after the book.
        episode_id, episode_kind = _uri_id(record, "audiobook_chapter_uri"), "chapter"
    if track_id is None and episode_id is None:
        return None
    is_track = track_id is not None
    artist_name = text_field(record, "master_metadata_album_artist_name") if is_track else None
    album_name = text_field(record, "master_metadata_album_album_name") if is_track else None
    skipped = _flag(record, "skipped")
    return CuratedPlay(
        source="export",
        started_at=ended_at - timedelta(milliseconds=ms_played),
        ended_at=ended_at,
        ms_played=ms_played,
        track_id=track_id,
        track_name=(text_field(record, "master_metadata_track_name") or track_id)
        if is_track
        else None,
        album_id=provisional_id(artist_name or "", album_name) if album_name else None,
        album_name=album_name,
        artists=album_artist(artist_name) if artist_name else (),
        episode_id=None if is_track else episode_id,
        episode_name=None
        if is_track
        else (
            text_field(record, "episode_name")
            or text_field(record, "audiobook_chapter_title")
            or episode_id
        ),
        show_name=None
        if is_track
        else (text_field(record, "episode_show_name") or text_field(record, "audiobook_title")),
        reason_start=text_field(record, "reason_start"),
        reason_end=text_field(record, "reason_end"),
        skipped=skipped if skipped is not None else ms_played < SKIP_THRESHOLD_MS,
        shuffle=_flag(record, "shuffle"),
        offline=_flag(record, "offline"),
        incognito=_flag(record, "incognito_mode"),
        platform=text_field(record, "platform"),
        conn_country=text_field(record, "conn_country"),
        episode_kind=None if is_track else episode_kind,
    )


def parse_all(records: Iterable[Any], parse: Callable[[Any], CuratedPlay | None]) -> ParsedFile:
    """Every record through `parse`: a play, a rejection with its reason, or not a play."""
    parsed = ParsedFile()
    for index, record in enumerate(records):
        try:
            play = parse(record)
        except RecordError as error:
            if len(parsed.rejected) < REPORTED_ERRORS:
                parsed.rejected.append((index, str(error)))
            parsed.rejected_reasons[error.reason] += 1
            continue
        if play is None:
            parsed.not_plays += 1
        else:
            parsed.plays.append(play)
    return parsed


def parse_records(records: Iterable[Any]) -> ParsedFile:
    return parse_all(records, parse_record)
