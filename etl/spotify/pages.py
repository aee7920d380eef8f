"""Recently-played pages, as written verbatim to the lake by ingest, into curated plays.

`played_at` is (usually) when a play ended. The page does not say how long was heard, so a
play is taken to have lasted its track's duration, cut short where the previous play ended
later than it would have started: the best estimate the API allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from etl.core.curated import Artist, CuratedPlay
from etl.exports.extended import RecordError
from etl.spotify.client import RECENTLY_PLAYED_LIMIT


@dataclass(frozen=True)
class Gap:
    """Plays between `start` and `end` may be missing from the lake."""

    start: datetime
    end: datetime


@dataclass
class ParsedPage:
    plays: list[CuratedPlay]
    gap: Gap | None


def _played_at(item: dict[str, Any]) -> datetime:
    value = item.get("played_at")
    if not isinstance(value, str):
        raise RecordError(f"played_at must be a string, got {value!r}")
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def _image(album: dict[str, Any]) -> str | None:
    images = album.get("images") or []
    # Spotify lists the largest first; the dashboard shows small thumbnails.
    sized = [image for image in images if isinstance(image, dict) and image.get("url")]
    if not sized:
        return None
    sized.sort(key=lambda image: image.get("width") or 0)
    medium = [image for image in sized if (image.get("width") or 0) >= 200]
    return str((medium or sized)[0]["url"])


def _play(track: dict[str, Any], started_at: datetime, ended_at: datetime) -> CuratedPlay:
    album = track.get("album") or {}
    ms_played = int((ended_at - started_at) / timedelta(milliseconds=1))
    return CuratedPlay(
        source="api",
        started_at=started_at,
        ended_at=ended_at,
        ms_played=ms_played,
        track_id=track["id"],
        track_name=track.get("name") or track["id"],
        album_id=album.get("id"),
        album_name=album.get("name"),
        album_release_date=album.get("release_date"),
        album_release_date_precision=album.get("release_date_precision"),
        album_image_url=_image(album),
        duration_ms=track.get("duration_ms"),
        explicit=track.get("explicit"),
        isrc=(track.get("external_ids") or {}).get("isrc"),
        artists=tuple(
            Artist(artist["id"], artist.get("name") or artist["id"])
            for artist in track.get("artists") or []
            if artist.get("id")
        ),
        # Unknown: the page does not say, and ms_played here is an estimate, not a measure.
        skipped=None,
    )


def parse_recently_played(page: dict[str, Any], after_ms: int | None) -> ParsedPage:
    """The page's track plays, oldest first, and the gap it reveals, if any."""
    items = page.get("items")
    if not isinstance(items, list):
        raise RecordError("a recently-played page must have an `items` array")
    timed = sorted(
        (
            (_played_at(item), item["track"])
            for item in items
            if (item.get("track") or {}).get("id")
        ),
        key=lambda pair: pair[0],
    )
    plays: list[CuratedPlay] = []
    previous_end: datetime | None = None
    for ended_at, track in timed:
        duration = timedelta(milliseconds=int(track.get("duration_ms") or 0))
        started_at = ended_at - duration
        if previous_end is not None and started_at < previous_end:
            started_at = min(previous_end, ended_at)
        plays.append(_play(track, started_at, ended_at))
        previous_end = ended_at
    gap = None
    if after_ms is not None and len(items) >= RECENTLY_PLAYED_LIMIT and plays:
        since = datetime.fromtimestamp(after_ms / 1000, UTC)
        gap = Gap(start=since, end=plays[0].started_at)
    return ParsedPage(plays=plays, gap=gap)
