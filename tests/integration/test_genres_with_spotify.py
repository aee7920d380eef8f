"""The genre chain with a Spotify app connected, through the fake Spotify and the fake
MusicBrainz: Spotify's artist objects answer first, MusicBrainz finds the rest by their
Spotify URL relation, and Spotify's covers make every cover lookup unnecessary."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from etl.core.settings import Settings
from moodify.demo.simulation.musicbrainz import FakeMusicBrainz, catalog_data
from tests.integration.test_spotify_connection import World, open_world


@pytest.fixture
def world(settings: Settings, database_dsn: str) -> Iterator[tuple[World, FakeMusicBrainz]]:
    with open_world(settings, database_dsn) as opened:
        data = catalog_data(opened.spotify.catalog)
        with FakeMusicBrainz(data, min_interval=0, clock=opened.clock) as musicbrainz:
            configured = opened.settings.model_copy(
                update={
                    "musicbrainz_url": musicbrainz.api_url,
                    "coverartarchive_url": musicbrainz.url,
                    "musicbrainz_call_budget": 200,
                    "musicbrainz_interval_s": 0.0,
                }
            )
            yield replace(opened, settings=configured), musicbrainz


def test_spotify_answers_first_and_musicbrainz_by_spotify_url_after(
    world: tuple[World, FakeMusicBrainz],
) -> None:
    spotify_world, musicbrainz = world
    spotify_world.connect("alice")
    spotify_world.play("alice", [50, 45, 40, 35, 30, 25, 20, 15, 10, 5])
    spotify_world.ingest()
    # The first run looks the artists up at Spotify; MusicBrainz waits for that.
    assert musicbrainz.calls("/ws/2/") == 0
    spotify_world.clock.advance(timedelta(hours=1))
    spotify_world.play("alice", [30])
    spotify_world.ingest()

    catalog = spotify_world.spotify.catalog
    heard = {row[0] for row in rows(spotify_world, "SELECT artist_id FROM track_artists")}
    with_spotify_genres = {a for a in heard if catalog.artists[a].genres}
    assert with_spotify_genres  # the catalog gives about 40 % of its artists genres
    providers = {
        artist_id: provider
        for artist_id, provider in rows(
            spotify_world, "SELECT artist_id, provider FROM artist_genre_lookups"
        )
    }
    assert providers.keys() == heard
    assert {a for a, p in providers.items() if p == "spotify"} == with_spotify_genres
    known = {a.spotify_ids[0] for a in musicbrainz.data.artists if a.spotify_ids}
    assert {a for a, p in providers.items() if p == "musicbrainz"} == (
        (heard - with_spotify_genres) & known
    )
    paths = [r.path for r in musicbrainz.requests]
    by_url = {
        r.query["resource"].rsplit("/", 1)[-1]
        for r in musicbrainz.requests
        if r.path == "/ws/2/url"
    }
    assert by_url == heard - with_spotify_genres  # Spotify's artists are never asked about
    # An artist whose Spotify URL MusicBrainz does not know is searched by name once.
    assert paths.count("/ws/2/artist") == len(by_url - known)
    assert sum(p.startswith("/ws/2/artist/") for p in paths) == len(by_url & known)
    # Spotify's objects brought every cover: none is asked of the archive.
    assert musicbrainz.calls("/ws/2/release-group") == musicbrainz.calls("/release-group") == 0
    assert set(rows(spotify_world, "SELECT DISTINCT image_provider FROM dim_albums")) == {
        ("spotify",)
    }


def rows(world: World, query: str) -> list[tuple[Any, ...]]:
    import psycopg2

    with psycopg2.connect(world.dsn) as conn, conn.cursor() as cur:
        cur.execute(query)
        return cur.fetchall()
