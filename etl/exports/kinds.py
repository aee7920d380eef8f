"""What an export file holds, told from its name and its records.

Spotify names its files (`Streaming_History_Audio_2023_4.json`, `StreamingHistory_music_0.json`,
...), but people rename them (`streaming_2018-2020_0.json`), so the format comes from the
records themselves, and the name only says what records cannot: whether an extended-history
file holds audio or video plays. A file whose records say nothing is taken as its name says,
if its name says anything (an empty or damaged file of a known name is still that file).

Staging (which decides what enters the lake) and the transform step (which on AWS sees only
the raw key and the bytes) both call `recognise`, so they cannot disagree.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Literal

TakenAs = Literal[
    "extended_audio", "extended_video", "extended_unknown", "account_music", "account_podcast"
]
Format = Literal["extended", "account_music", "account_podcast"]
# The plays an object's span covers, as `export_coverage.kind` records it.
SpanKind = Literal["audio", "video", "music", "podcast"]

ACCOUNT_DATA: frozenset[TakenAs] = frozenset({"account_music", "account_podcast"})
# A file holds records of one format: this many say which, however long the file is.
SAMPLED_RECORDS = 1_000

_SPOTIFY_NAMES: tuple[tuple[re.Pattern[str], TakenAs], ...] = (
    (re.compile(r"^Streaming_History_Audio_.*\.json$", re.IGNORECASE), "extended_audio"),
    (re.compile(r"^Streaming_History_Video_.*\.json$", re.IGNORECASE), "extended_video"),
    (re.compile(r"^endsong(_\d+)?\.json$", re.IGNORECASE), "extended_audio"),
    (re.compile(r"^StreamingHistory_podcast_?\d+\.json$", re.IGNORECASE), "account_podcast"),
    (re.compile(r"^StreamingHistory(_music)?_?\d+\.json$", re.IGNORECASE), "account_music"),
)
# In a name that is not Spotify's own: a word saying which plays an extended file holds.
_VIDEO_WORD = re.compile("video", re.IGNORECASE)
_AUDIO_WORD = re.compile("audio|endsong", re.IGNORECASE)
_SPANS: dict[TakenAs, SpanKind] = {
    "extended_audio": "audio",
    "extended_video": "video",
    "account_music": "music",
    "account_podcast": "podcast",
}

_EXTENDED_FIELDS = frozenset(
    {
        "spotify_track_uri",
        "spotify_episode_uri",
        "master_metadata_track_name",
        "master_metadata_album_artist_name",
    }
)


def taken_as_by_name(name: str) -> TakenAs | None:
    """What a file of Spotify's own naming is, by its name alone."""
    for pattern, taken_as in _SPOTIFY_NAMES:
        if pattern.match(name):
            return taken_as
    return None


def _record_format(record: Any) -> Format | None:
    if not isinstance(record, dict):
        return None
    if "ts" in record and "ms_played" in record and not _EXTENDED_FIELDS.isdisjoint(record):
        return "extended"
    if "endTime" in record and "msPlayed" in record:
        if "trackName" in record or "artistName" in record:
            return "account_music"
        if "episodeName" in record or "podcastName" in record:
            return "account_podcast"
    return None


def records_format(records: list[Any]) -> Format | None:
    """The format most of the (first) records have, or None when none has one."""
    formats = Counter(_record_format(record) for record in records[:SAMPLED_RECORDS])
    formats.pop(None, None)
    if not formats:
        return None
    return formats.most_common(1)[0][0]


def _extended_kind(name: str) -> TakenAs:
    by_name = taken_as_by_name(name)
    if by_name in ("extended_audio", "extended_video"):
        return by_name
    video, audio = bool(_VIDEO_WORD.search(name)), bool(_AUDIO_WORD.search(name))
    if video and not audio:
        return "extended_video"
    if audio and not video:
        return "extended_audio"
    return "extended_unknown"  # says neither, or both


def recognise(name: str, records: list[Any]) -> TakenAs | None:
    """What the file `name` holding `records` (a JSON array) is; None when it is not
    listening history."""
    found = records_format(records)
    if found == "extended":
        return _extended_kind(name)
    if found is not None:
        return found
    return taken_as_by_name(name)


def span_kind(taken_as: TakenAs | None) -> SpanKind | None:
    """The plays an object of this kind is complete for over its time span, if it claims a
    span at all: API pages (None) and extended files that may be audio or video do not."""
    return None if taken_as is None else _SPANS.get(taken_as)
