"""Spotify Web API objects for catalog entries, shaped as Spotify serves them in 2026.

Fields Spotify removed in 2026 are absent: track `popularity`, `available_markets` and
`linked_from`; album `label`, `popularity` and `available_markets`; artist `followers` and
`popularity`. Links (`href`) point at the fake's own API so that a client can follow them;
`external_urls` and `uri` are Spotify's.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from moodify.demo.simulation.catalog import Album, Artist, AudioFeatures, Catalog, Image, Track
from moodify.demo.simulation.listener import Play, PlayContext

Json = dict[str, Any]
_OPEN = "https://open.spotify.com"


def played_at(moment: datetime) -> str:
    """Spotify's timestamp: UTC, milliseconds, a Z (`2026-11-24T10:15:02.123Z`)."""
    utc = moment.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def _links(kind: str, item_id: str, api: str) -> Json:
    return {
        "external_urls": {"spotify": f"{_OPEN}/{kind}/{item_id}"},
        "href": f"{api}/{kind}s/{item_id}",
        "id": item_id,
        "type": kind,
        "uri": f"spotify:{kind}:{item_id}",
    }


def _images(images: tuple[Image, ...]) -> list[Json]:
    return [{"url": i.url, "height": i.height, "width": i.width} for i in images]


def simplified_artist(artist: Artist, api: str) -> Json:
    return {**_links("artist", artist.id, api), "name": artist.name}


def artist_object(artist: Artist, api: str) -> Json:
    return {
        **simplified_artist(artist, api),
        "genres": list(artist.genres),
        "images": _images(artist.images),
    }


def simplified_album(album: Album, catalog: Catalog, api: str) -> Json:
    return {
        **_links("album", album.id, api),
        "album_type": album.album_type,
        "artists": [simplified_artist(catalog.artists[a], api) for a in album.artist_ids],
        "images": _images(album.images),
        "name": album.name,
        "release_date": album.release_date,
        "release_date_precision": album.release_date_precision,
        "total_tracks": album.total_tracks,
    }


def track_object(track: Track, catalog: Catalog, api: str) -> Json:
    return {
        **_links("track", track.id, api),
        "album": simplified_album(catalog.albums[track.album_id], catalog, api),
        "artists": [simplified_artist(catalog.artists[a], api) for a in track.artist_ids],
        "disc_number": track.disc_number,
        "duration_ms": track.duration_ms,
        "explicit": track.explicit,
        "external_ids": {"isrc": track.isrc},
        "is_local": False,
        "name": track.name,
        "track_number": track.track_number,
    }


def context_object(context: PlayContext, api: str) -> Json:
    context_id = context.uri.rsplit(":", 1)[1]
    links = _links(context.type, context_id, api)
    return {key: links[key] for key in ("external_urls", "href", "type", "uri")}


def play_history_object(play: Play, catalog: Catalog, api: str) -> Json:
    return {
        "track": track_object(catalog.tracks[play.track_id], catalog, api),
        "played_at": played_at(play.played_at),
        "context": None if play.context is None else context_object(play.context, api),
    }


def audio_features_object(track: Track, features: AudioFeatures, api: str) -> Json:
    """Spotify's own audio features (served only to apps that kept access)."""
    return {
        **asdict(features),
        "analysis_url": f"{api}/audio-analysis/{track.id}",
        "duration_ms": track.duration_ms,
        "id": track.id,
        "time_signature": 4,
        "track_href": f"{api}/tracks/{track.id}",
        "type": "audio_features",
        "uri": f"spotify:track:{track.id}",
    }
