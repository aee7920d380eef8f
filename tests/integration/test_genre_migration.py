"""Migration 0015: what Spotify already told (artists' genres, albums' covers) is kept with
its provider, and covers the load writes later are Spotify's."""

from __future__ import annotations

import psycopg2
from psycopg2.extensions import cursor as Cursor

from etl.warehouse.migrate import apply_migrations
from tests.conftest import fresh_database


def test_spotify_genres_and_covers_are_backfilled_with_their_provider(
    postgres_server: str,
) -> None:
    conn = psycopg2.connect(fresh_database(postgres_server, "migrate_genres", migrated=False))
    try:
        apply_migrations(conn, until="0015")
        with conn, conn.cursor() as cur:
            cur.execute(
                "INSERT INTO dim_artists (artist_id, name, genres, looked_up_at) VALUES "
                "('a1', 'A', ARRAY['Indie Folk', 'folk', 'indie folk'], '2025-01-02Z'), "
                "('a2', 'B', ARRAY[]::text[], '2025-01-02Z'), ('name:c', 'C', NULL, NULL)"
            )
            cur.execute(
                "INSERT INTO dim_albums (album_id, name, image_url) VALUES "
                "('al1', 'X', 'https://i.scdn.co/image/x'), ('name:y', 'Y', NULL)"
            )
        apply_migrations(conn, until="0016")
        with conn, conn.cursor() as cur:
            cur.execute(
                "SELECT artist_id, genre, provider, fetched_at::text FROM artist_genres "
                "ORDER BY 1, 2"
            )
            assert cur.fetchall() == [
                ("a1", "folk", "spotify", "2025-01-02 00:00:00+00"),
                ("a1", "indie folk", "spotify", "2025-01-02 00:00:00+00"),
            ]
            cur.execute("SELECT artist_id, provider, retry_after FROM artist_genre_lookups")
            assert cur.fetchall() == [("a1", "spotify", None)]
            cur.execute("SELECT album_id, image_provider FROM dim_albums ORDER BY 1")
            assert cur.fetchall() == [("al1", "spotify"), ("name:y", None)]

            # The load names no provider: a cover it brings is Spotify's; one stored with
            # a provider keeps it.
            cur.execute(
                "INSERT INTO dim_albums (album_id, name, image_url) VALUES ('al2', 'Z', 'u')"
            )
            cur.execute("UPDATE dim_albums SET image_url = 'v' WHERE album_id = 'name:y'")
            cur.execute(
                "INSERT INTO dim_albums (album_id, name, image_url, image_provider) "
                "VALUES ('name:w', 'W', 'c', 'coverartarchive')"
            )
            cur.execute("UPDATE dim_albums SET name = 'W2' WHERE album_id = 'name:w'")
            cur.execute("SELECT album_id, image_provider FROM dim_albums ORDER BY 1")
            assert cur.fetchall() == [
                ("al1", "spotify"),
                ("al2", "spotify"),
                ("name:w", "coverartarchive"),
                ("name:y", "spotify"),
            ]
    finally:
        conn.close()


def test_genre_rows_count_as_catalog_changes(database_dsn: str) -> None:
    conn = psycopg2.connect(database_dsn)
    try:
        with conn, conn.cursor() as cur:
            cur.execute("INSERT INTO dim_artists (artist_id, name) VALUES ('a', 'A')")
            before = catalog_version(cur)
            cur.execute(
                "INSERT INTO artist_genres VALUES ('a', 'rock', 'Rock', 'musicbrainz', now())"
            )
            assert catalog_version(cur) == before + 1
    finally:
        conn.close()


def catalog_version(cur: Cursor) -> int:
    cur.execute("SELECT coalesce(sum(changes), 0) FROM data_changes WHERE user_id IS NULL")
    (version,) = cur.fetchall()[0]
    return int(version)
