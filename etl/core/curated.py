"""Curated plays: the one row shape every source is transformed into.

A curated object is a CSV file whose columns match the load step's staging table, so the
load is a single COPY. Artists travel as a JSON array of `{"id", "name"}` in track order.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import datetime
from functools import lru_cache

NULL = r"\N"  # COPY's NULL marker, so that an empty string stays an empty string


@dataclass(frozen=True, slots=True)
class Artist:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class CuratedPlay:
    source: str
    started_at: datetime
    ended_at: datetime
    ms_played: int
    # What a source does not know stays None (COPY's NULL).
    track_id: str | None = None
    track_name: str | None = None
    album_id: str | None = None
    album_name: str | None = None
    album_release_date: str | None = None
    album_release_date_precision: str | None = None
    album_image_url: str | None = None
    duration_ms: int | None = None
    explicit: bool | None = None
    isrc: str | None = None
    artists: tuple[Artist, ...] = ()
    episode_id: str | None = None
    episode_name: str | None = None
    show_name: str | None = None
    reason_start: str | None = None
    reason_end: str | None = None
    skipped: bool | None = None
    shuffle: bool | None = None
    offline: bool | None = None
    incognito: bool | None = None
    platform: str | None = None
    conn_country: str | None = None
    # 'episode' or 'chapter' (of an audiobook) for an episode play. Added after the others:
    # columns join at the end, so the load reads an object curated before them (it says
    # which columns it has in its header).
    episode_kind: str | None = None


CURATED_COLUMNS: tuple[str, ...] = tuple(field.name for field in fields(CuratedPlay))
_FIRST_RELEASE_COLUMNS = CURATED_COLUMNS.index("conn_country") + 1  # every object has these


@lru_cache(maxsize=65_536)
def _artists_json(artists: tuple[Artist, ...]) -> str:
    # A history names the same few thousand artist lists over and over: encode each once.
    return json.dumps([{"id": a.id, "name": a.name} for a in artists], ensure_ascii=False)


def _row(p: CuratedPlay) -> tuple[object, ...]:
    """One play as CSV cells, in CURATED_COLUMNS order; None becomes COPY's NULL marker.

    Written out field by field: this runs once per play, hundreds of thousands of times.
    """
    n = NULL
    return (
        p.source, p.started_at.isoformat(), p.ended_at.isoformat(), p.ms_played,
        n if p.track_id is None else p.track_id,
        n if p.track_name is None else p.track_name,
        n if p.album_id is None else p.album_id,
        n if p.album_name is None else p.album_name,
        n if p.album_release_date is None else p.album_release_date,
        n if p.album_release_date_precision is None else p.album_release_date_precision,
        n if p.album_image_url is None else p.album_image_url,
        n if p.duration_ms is None else p.duration_ms,
        n if p.explicit is None else p.explicit,
        n if p.isrc is None else p.isrc,
        _artists_json(p.artists),
        n if p.episode_id is None else p.episode_id,
        n if p.episode_name is None else p.episode_name,
        n if p.show_name is None else p.show_name,
        n if p.reason_start is None else p.reason_start,
        n if p.reason_end is None else p.reason_end,
        n if p.skipped is None else p.skipped,
        n if p.shuffle is None else p.shuffle,
        n if p.offline is None else p.offline,
        n if p.incognito is None else p.incognito,
        n if p.platform is None else p.platform,
        n if p.conn_country is None else p.conn_country,
        n if p.episode_kind is None else p.episode_kind,
    )  # fmt: skip


def header_columns(curated: bytes) -> tuple[str, ...]:
    """The columns a curated object holds, as its header names them.

    Objects curated by an earlier release lack the columns added since (always at the end),
    and a load may read one: a run started before an upgrade loads after it.
    """
    end = curated.find(b"\n")  # not split: that would copy the whole object
    header = (curated if end < 0 else curated[:end]).decode("utf-8").rstrip("\r")
    columns = tuple(header.split(","))
    if columns != CURATED_COLUMNS[: len(columns)] or len(columns) < _FIRST_RELEASE_COLUMNS:
        raise ValueError(f"not a curated object's header: {header[:200]!r}")
    return columns


def curated_csv(plays: Iterable[CuratedPlay]) -> bytes:
    # Encoded as it is written: a StringIO would hold the text, at 4 bytes a character once
    # one emoji is in it, and then a copy of it.
    buffer = io.BytesIO()
    with io.TextIOWrapper(buffer, encoding="utf-8", newline="") as text:
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(CURATED_COLUMNS)
        writer.writerows(map(_row, plays))
        text.flush()
        return buffer.getvalue()
