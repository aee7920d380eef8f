"""Genres and covers through the pipeline and the fake MusicBrainz / Cover Art Archive:
the chain's order, unknowns asked again later, Spotify's covers kept, answers stored with
provider and fetched_at, parents re-mapped when the mapping changes, and the coverage a
generated history reaches."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg2
import pytest

from etl.core.genre_map import MAPPING_FILE, genre_mapping
from etl.core.keys import SAMPLE_CATALOG_KEY
from etl.core.settings import Settings
from etl.enrich.genres import look_up
from etl.imports.importer import import_export
from etl.pipeline.context import PipelineContext
from etl.pipeline.rebuild import rebuild_warehouse
from etl.warehouse.connection import Connection
from etl.warehouse.genres import lookup_candidates, remap_genres, store_album_art, store_open_data
from moodify.demo.sample import generate_sample_export
from moodify.demo.simulation.musicbrainz import (
    FakeArtist,
    FakeMusicBrainz,
    FakeReleaseGroup,
    MusicBrainzData,
    mbid,
    sample_data,
)
from tests.integration.test_import_pipeline import record

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
RETRY = timedelta(days=30)
AURORA = FakeArtist(mbid("Aurora"), "Aurora", genres=(("indie pop", 3), ("electropop", 5)))
TAGGED = FakeArtist(mbid("Tagged"), "The Tagged Ones", tags=(("post-punk", 6), ("seen live", 9)))
BARE = FakeArtist(mbid("Bare"), "Nobody Tags Us")
SPOTIFY_ONLY = FakeArtist(
    mbid("Linked"), "Linked Artist", genres=(("jazz", 2),), spotify_ids=("linked0000000000000001",)
)
DATA = MusicBrainzData(
    artists=[AURORA, TAGGED, BARE, SPOTIFY_ONLY],
    release_groups=[
        FakeReleaseGroup(mbid("rg", "Demons"), "All My Demons", AURORA, True),
        FakeReleaseGroup(mbid("rg", "Quiet"), "Quiet Songs", BARE, False),
    ],
)


def play(ts: str, track: str, artist: str, album: str) -> dict[str, Any]:
    uri = f"spotify:track:{track.ljust(22, '0')}"
    return record(
        ts,
        200_000,
        uri,
        master_metadata_track_name=track,
        master_metadata_album_artist_name=artist,
        master_metadata_album_album_name=album,
    )


HISTORY = [
    play("2026-05-01T08:00:00Z", "Runaway", "Aurora", "All My Demons"),
    play("2026-05-01T08:05:00Z", "Shards", "The Tagged Ones", "Broken Glass"),
    play("2026-05-01T08:10:00Z", "Hush", "Nobody Tags Us", "Quiet Songs"),
    play("2026-05-01T08:15:00Z", "Who", "Unknown Person", "Unheard"),
]


@pytest.fixture
def fake() -> Iterator[FakeMusicBrainz]:
    with FakeMusicBrainz(DATA, min_interval=0) as server:
        yield server


@pytest.fixture
def conn(database_dsn: str) -> Iterator[Connection]:
    with closing(psycopg2.connect(database_dsn)) as connection:
        yield connection


def open_data_settings(settings: Settings, fake: FakeMusicBrainz, budget: int = 100) -> Settings:
    return settings.model_copy(
        update={
            "musicbrainz_url": fake.api_url,
            "coverartarchive_url": fake.url,
            "musicbrainz_call_budget": budget,
            "musicbrainz_interval_s": 0.0,  # the loopback fake allows it; MusicBrainz does not
        }
    )


def import_history(tmp_path: Path, ctx: PipelineContext, records: list[dict[str, Any]]) -> None:
    folder = tmp_path / "export"
    folder.mkdir(exist_ok=True)
    (folder / "Streaming_History_Audio_2026.json").write_text(json.dumps(records))
    ctx.lake.put(SAMPLE_CATALOG_KEY, b"{}")
    import_export(folder, ctx, ctx.settings.user_id)


def rows(dsn: str, query: str) -> list[tuple[Any, ...]]:
    with closing(psycopg2.connect(dsn)) as conn, conn.cursor() as cur:
        cur.execute(query)
        return cur.fetchall()


def test_an_import_gets_genres_and_covers_with_provider_and_fetched_at(
    settings: Settings, fake: FakeMusicBrainz, tmp_path: Path
) -> None:
    ctx = PipelineContext.from_settings(open_data_settings(settings, fake), lambda: NOW)
    import_history(tmp_path, ctx, HISTORY)
    dsn = str(settings.database_url)
    assert rows(
        dsn,
        "SELECT a.name, g.genre, g.parent_genre, g.provider, g.fetched_at FROM artist_genres g "
        "JOIN dim_artists a USING (artist_id) ORDER BY 1, 2",
    ) == [
        ("Aurora", "electropop", "Electronic", "musicbrainz", NOW),
        ("Aurora", "indie pop", "Pop", "musicbrainz", NOW),
        ("The Tagged Ones", "post-punk", "Rock", "musicbrainz", NOW),
    ]
    assert rows(
        dsn,
        "SELECT a.name, l.provider, l.looked_up_at, l.retry_after FROM artist_genre_lookups l "
        "JOIN dim_artists a USING (artist_id) ORDER BY 1",
    ) == [
        ("Aurora", "musicbrainz", NOW, None),
        ("Nobody Tags Us", None, NOW, NOW + RETRY),
        ("The Tagged Ones", "musicbrainz", NOW, None),
        ("Unknown Person", None, NOW, NOW + RETRY),
    ]
    cover = f"{fake.url}/img/{mbid('rg', 'Demons')}-250.svg"
    assert rows(dsn, "SELECT name, image_url, image_provider FROM dim_albums ORDER BY 1") == [
        ("All My Demons", cover, "coverartarchive"),
        ("Broken Glass", None, None),
        ("Quiet Songs", None, None),
        ("Unheard", None, None),
    ]
    assert rows(
        dsn,
        "SELECT al.name, l.provider, l.retry_after FROM album_art_lookups l "
        "JOIN dim_albums al USING (album_id) ORDER BY 1",
    ) == [
        ("All My Demons", "coverartarchive", None),
        ("Broken Glass", None, NOW + RETRY),
        ("Quiet Songs", None, NOW + RETRY),
        ("Unheard", None, NOW + RETRY),
    ]


def test_unknowns_are_asked_again_only_when_their_time_comes(
    settings: Settings, fake: FakeMusicBrainz, tmp_path: Path
) -> None:
    ctx = PipelineContext.from_settings(open_data_settings(settings, fake), lambda: NOW)
    import_history(tmp_path, ctx, HISTORY)
    with ctx.database() as conn:
        soon = lookup_candidates(
            conn, limit=10, now=NOW + timedelta(days=29), spotify_connected=False
        )
        later = lookup_candidates(conn, limit=10, now=NOW + RETRY, spotify_connected=False)
    assert (soon.artists, soon.albums) == ([], [])
    assert sorted(a["name"] for a in later.artists) == ["Nobody Tags Us", "Unknown Person"]
    assert sorted(str(a["name"]) for a in later.albums) == [
        "Broken Glass",
        "Quiet Songs",
        "Unheard",
    ]


def test_spotify_genres_come_first_and_real_ids_are_found_by_their_spotify_url(
    conn: Connection, settings: Settings, fake: FakeMusicBrainz
) -> None:
    with conn, conn.cursor() as cur:
        cur.execute(
            "INSERT INTO dim_artists (artist_id, name, genres, looked_up_at) VALUES "
            "('spotifygenres000000001', 'Has Genres', ARRAY['k-pop'], %(t)s), "
            "('linked0000000000000001', 'Linked Artist', ARRAY[]::text[], %(t)s), "
            "('waiting000000000000001', 'Not Looked Up Yet', NULL, NULL)",
            {"t": NOW - timedelta(days=1)},
        )
        cur.execute("INSERT INTO dim_tracks (track_id, name) VALUES ('t1', 'T')")
        cur.execute(
            "INSERT INTO track_artists (track_id, position, artist_id) VALUES "
            "('t1', 0, 'spotifygenres000000001'), ('t1', 1, 'linked0000000000000001'), "
            "('t1', 2, 'waiting000000000000001')"
        )
    ctx = PipelineContext.from_settings(open_data_settings(settings, fake), lambda: NOW)
    # While a Spotify app is connected, an artist Spotify was not asked about waits.
    candidates = lookup_candidates(conn, limit=10, now=NOW, spotify_connected=True)
    assert [a["name"] for a in candidates.artists] == ["Linked Artist"]
    lookups = look_up(ctx.musicbrainz(), candidates.artists, [], ctx.clock)
    store_open_data(conn, {"genres": lookups.genres}, retry_after=RETRY, now=NOW)
    assert [r.path for r in fake.requests] == [
        "/ws/2/url",
        f"/ws/2/artist/{SPOTIFY_ONLY.mbid}",
    ]
    with conn.cursor() as cur:
        cur.execute(
            "SELECT artist_id, genre, parent_genre, provider, fetched_at FROM artist_genres "
            "ORDER BY 1"
        )
        assert cur.fetchall() == [
            ("linked0000000000000001", "jazz", "Jazz", "musicbrainz", NOW),
            ("spotifygenres000000001", "k-pop", "Pop", "spotify", NOW - timedelta(days=1)),
        ]
    # Without a Spotify app, MusicBrainz is asked about every artist without genres.
    candidates = lookup_candidates(conn, limit=10, now=NOW, spotify_connected=False)
    assert [a["name"] for a in candidates.artists] == ["Not Looked Up Yet"]


def test_spotify_covers_are_kept_and_export_albums_get_the_archives(conn: Connection) -> None:
    with conn, conn.cursor() as cur:
        cur.execute("INSERT INTO dim_artists (artist_id, name) VALUES ('a', 'A')")
        cur.execute(
            "INSERT INTO dim_albums (album_id, name, image_url) VALUES "
            "('spotify00000000000001', 'From Spotify', 'https://i.scdn.co/image/x'), "
            "('name:a|from an export', 'From An Export', NULL)"
        )
        cur.execute(
            "INSERT INTO dim_tracks (track_id, name, album_id) VALUES "
            "('t1', 'T1', 'spotify00000000000001'), ('t2', 'T2', 'name:a|from an export')"
        )
        cur.execute("INSERT INTO track_artists VALUES ('t1', 0, 'a'), ('t2', 0, 'a')")
    candidates = lookup_candidates(conn, limit=10, now=NOW, spotify_connected=False)
    assert candidates.albums == [
        {"album_id": "name:a|from an export", "name": "From An Export", "artist": "A"}
    ]
    answers = [
        {"album_id": album_id, "image_url": f"https://caa.example/{n}", "fetched_at": str(NOW)}
        for n, album_id in enumerate(["spotify00000000000001", "name:a|from an export"])
    ]
    store_album_art(conn, answers, RETRY)
    with conn.cursor() as cur:
        cur.execute("SELECT album_id, image_url, image_provider FROM dim_albums ORDER BY 2")
        assert cur.fetchall() == [
            ("name:a|from an export", "https://caa.example/1", "coverartarchive"),
            ("spotify00000000000001", "https://i.scdn.co/image/x", "spotify"),
        ]


def test_stored_genres_follow_an_edited_mapping(conn: Connection, tmp_path: Path) -> None:
    with conn, conn.cursor() as cur:
        cur.execute("INSERT INTO dim_artists (artist_id, name) VALUES ('a', 'A')")
        cur.execute(
            "INSERT INTO artist_genres VALUES ('a', 'zydeco', 'Other', 'musicbrainz', now()), "
            "('a', 'folk', 'Folk', 'musicbrainz', now())"
        )
    assert remap_genres(conn) == 0  # in line with the file: nothing written
    document = json.loads(MAPPING_FILE.read_text(encoding="utf-8"))
    document["exact"]["zydeco"] = "Country"
    edited = tmp_path / "genre_parents.json"
    edited.write_text(json.dumps(document), encoding="utf-8")
    assert remap_genres(conn, genre_mapping(edited)) == 1
    with conn.cursor() as cur:
        cur.execute("SELECT genre, parent_genre FROM artist_genres ORDER BY 1")
        assert cur.fetchall() == [("folk", "Folk"), ("zydeco", "Country")]


def test_genre_coverage_of_a_generated_history_through_the_fake(
    settings: Settings, tmp_path: Path
) -> None:
    sample = generate_sample_export(tmp_path / "sample", years=0.1, end=NOW)
    data = sample_data(sample)
    with FakeMusicBrainz(data, min_interval=0) as fake:
        ctx = PipelineContext.from_settings(
            open_data_settings(settings, fake, budget=10_000), lambda: NOW
        )
        ctx.lake.put(SAMPLE_CATALOG_KEY, sample.features_path.read_bytes())
        import_export(sample.files[0].parent, ctx, settings.user_id)
        calls = fake.calls("/ws/2/")
    dsn = str(settings.database_url)
    ((artists, with_genres, share),) = rows(
        dsn,
        """
        WITH listened AS (
            SELECT ta.artist_id, sum(p.ms_played) AS ms
            FROM fact_plays p JOIN track_artists ta ON ta.track_id = p.track_id
            GROUP BY ta.artist_id
        )
        SELECT count(*), count(*) FILTER (WHERE EXISTS (
                   SELECT FROM artist_genres g WHERE g.artist_id = l.artist_id)),
               sum(ms) FILTER (WHERE EXISTS (
                   SELECT FROM artist_genres g WHERE g.artist_id = l.artist_id)) / sum(ms)
        FROM listened l
        """,
    )
    ((albums, with_cover),) = rows(
        dsn, "SELECT count(*), count(image_url) FROM dim_albums WHERE album_id LIKE 'name:%'"
    )
    print(  # the figures the README quotes
        f"genre coverage: {with_genres}/{artists} artists, {float(share):.1%} of listening; "
        f"covers {with_cover}/{albums} albums; {calls} MusicBrainz calls"
    )
    known = sum(1 for a in data.artists if not a.disambiguation)
    # Every artist the fake knows with genres or genre-like tags is found, and none else.
    assert with_genres == known
    assert with_cover == sum(g.has_cover for g in data.release_groups)
    assert 0 < with_genres < artists


def test_a_rebuild_brings_genres_and_covers_back_without_asking_again(
    settings: Settings, fake: FakeMusicBrainz, tmp_path: Path
) -> None:
    ctx = PipelineContext.from_settings(open_data_settings(settings, fake), lambda: NOW)
    import_history(tmp_path, ctx, HISTORY)
    dsn = str(settings.database_url)
    genres = "SELECT artist_id, genre, parent_genre, provider, fetched_at FROM artist_genres"
    lookups = "SELECT * FROM artist_genre_lookups"
    covers = "SELECT album_id, image_url, image_provider FROM dim_albums"
    art = "SELECT * FROM album_art_lookups"
    before = [sorted(rows(dsn, query)) for query in (genres, lookups, covers, art)]
    asked = len(fake.requests)
    rebuild_warehouse(ctx)
    assert [sorted(rows(dsn, query)) for query in (genres, lookups, covers, art)] == before
    assert len(fake.requests) == asked
