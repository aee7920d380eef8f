"""The one-year "Account data" format (`StreamingHistory_music_<n>.json`, formerly
`StreamingHistory<n>.json`, and `StreamingHistory_podcast_<n>.json`).

Records carry `endTime` ("YYYY-MM-DD HH:MM", UTC, to the minute), names and `msPlayed`, and
no URIs: tracks and episodes get provisional `name:` keys, and the load step resolves a
track to a known one where its name and artist say which unambiguously.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from etl.core.curated import CuratedPlay
from etl.exports.extended import (
    SKIP_THRESHOLD_MS,
    ParsedFile,
    RecordError,
    album_artist,
    parse_all,
    provisional_id,
    text_field,
)


def _end_time(record: dict[str, Any]) -> datetime:
    value = text_field(record, "endTime")
    if value is None:
        raise RecordError("endTime is missing")
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    except ValueError as error:
        raise RecordError("endTime is not YYYY-MM-DD HH:MM", repr(value)) from error


def _ms_played(record: dict[str, Any]) -> int:
    value = record.get("msPlayed")
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RecordError("msPlayed must be a non-negative integer", repr(value))
    return value


def parse_account_record(record: Any, *, podcast: bool) -> CuratedPlay | None:
    if not isinstance(record, dict):
        raise RecordError("record must be an object", type(record).__name__)
    ended_at = _end_time(record)
    ms_played = _ms_played(record)
    if podcast:
        show, episode = text_field(record, "podcastName"), text_field(record, "episodeName")
        if episode is None:
            return None
        track_id = track_name = artist = None
        episode_id = provisional_id(show or "", episode)
    else:
        artist, track_name = text_field(record, "artistName"), text_field(record, "trackName")
        if track_name is None:
            return None
        track_id = provisional_id(artist or "", track_name)
        show = episode = episode_id = None
    return CuratedPlay(
        source="account",
        started_at=ended_at - timedelta(milliseconds=ms_played),
        ended_at=ended_at,
        ms_played=ms_played,
        track_id=track_id,
        track_name=track_name,
        artists=album_artist(artist) if artist else (),
        episode_id=episode_id,
        episode_name=episode,
        show_name=show,
        skipped=ms_played < SKIP_THRESHOLD_MS,
        # The account data tells no audiobook chapters apart from episodes.
        episode_kind="episode" if podcast else None,
    )


def parse_account_records(records: Iterable[Any], *, podcast: bool) -> ParsedFile:
    return parse_all(records, partial(parse_account_record, podcast=podcast))
