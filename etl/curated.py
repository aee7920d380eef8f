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
from operator import attrgetter

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
    track_id: str | None
    track_name: str | None
    album_id: str | None
    album_name: str | None
    album_release_date: str | None
    album_release_date_precision: str | None
    album_image_url: str | None
    duration_ms: int | None
    explicit: bool | None
    isrc: str | None
    artists: tuple[Artist, ...]
    episode_id: str | None
    episode_name: str | None
    show_name: str | None
    reason_start: str | None
    reason_end: str | None
    skipped: bool | None
    shuffle: bool | None
    offline: bool | None
    incognito: bool | None
    platform: str | None
    conn_country: str | None


CURATED_COLUMNS: tuple[str, ...] = tuple(field.name for field in fields(CuratedPlay))
_row_values = attrgetter(*CURATED_COLUMNS)


def _cell(value: object) -> object:
    if value is None:
        return NULL
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return json.dumps([{"id": a.id, "name": a.name} for a in value], ensure_ascii=False)
    return value


def curated_csv(plays: Iterable[CuratedPlay]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CURATED_COLUMNS)
    writer.writerows([_cell(value) for value in _row_values(play)] for play in plays)
    return buffer.getvalue().encode("utf-8")
