"""The ETL of the playback and podcast pages: audiobook chapters load as chapters, not
podcast episodes; the Web API's plays have no skip status."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg2
import pytest

from etl.core.curated import CURATED_COLUMNS, curated_csv, header_columns
from etl.exports.extended import parse_records
from etl.warehouse.load import load_curated_plays
from etl.warehouse.migrate import apply_migrations
from tests.conftest import fresh_database

CHAPTER = "spotify:chapter:0mMyZnv7DmfzNG9aUiYVa8"
EPISODE = "spotify:episode:512ojhOuo1ktJprKbVcKyQ"


def stream(ts: str, **fields: Any) -> dict[str, Any]:
    return {
        "ts": ts, "platform": "android", "ms_played": 600_000, "conn_country": "DE",
        "master_metadata_track_name": None, "master_metadata_album_artist_name": None,
        "master_metadata_album_album_name": None, "spotify_track_uri": None,
        "episode_name": None, "episode_show_name": None, "spotify_episode_uri": None,
        "audiobook_title": None, "audiobook_uri": None, "audiobook_chapter_uri": None,
        "audiobook_chapter_title": None, "reason_start": "clickrow", "reason_end": "trackdone",
        "shuffle": False, "skipped": False, "offline": False, "offline_timestamp": None,
        "incognito_mode": False, **fields,
    }  # fmt: skip


RECORDS = [
    stream(
        "2024-05-01T20:00:00Z",
        audiobook_title="The Hobbit",
        audiobook_uri="spotify:audiobook:2z9bIWqVKJRuVGwGgmSH8w",
        audiobook_chapter_uri=CHAPTER,
        audiobook_chapter_title="Chapter 1: An Unexpected Party",
    ),
    stream(
        "2024-05-02T07:00:00Z",
        spotify_episode_uri=EPISODE,
        episode_name="Ep 1",
        episode_show_name="Morning Show",
    ),
]


def kinds(conn: psycopg2.extensions.connection) -> dict[str, tuple[str, str, str]]:
    with conn, conn.cursor() as cur:
        cur.execute("SELECT episode_id, kind, name, show_name FROM dim_episodes")
        return {row[0]: tuple(row[1:]) for row in cur.fetchall()}


def load(conn: psycopg2.extensions.connection, curated: bytes, key: str) -> int:
    return load_curated_plays(conn, curated, user_id="me", time_zone="UTC", lake_key=key).inserted


@pytest.fixture
def conn(database_dsn: str) -> Iterator[psycopg2.extensions.connection]:
    connection = psycopg2.connect(database_dsn)
    yield connection
    connection.close()


def test_an_audiobook_chapter_loads_as_a_chapter_of_its_book(
    conn: psycopg2.extensions.connection,
) -> None:
    parsed = parse_records(RECORDS)
    assert [play.episode_kind for play in parsed.plays] == ["chapter", "episode"]
    assert load(conn, curated_csv(parsed.plays), "raw/a") == 2
    assert kinds(conn) == {
        "0mMyZnv7DmfzNG9aUiYVa8": ("chapter", "Chapter 1: An Unexpected Party", "The Hobbit"),
        "512ojhOuo1ktJprKbVcKyQ": ("episode", "Ep 1", "Morning Show"),
    }


def old_curated(curated: bytes) -> bytes:
    """The object as a release before episode kinds wrote it: without the last column."""
    lines = curated.decode().splitlines()
    return "".join(line.rsplit(",", 1)[0] + "\n" for line in lines).encode()


def test_an_object_curated_before_kinds_loads_and_a_later_load_corrects_the_chapter(
    conn: psycopg2.extensions.connection,
) -> None:
    curated = curated_csv(parse_records(RECORDS).plays)
    before_kinds = old_curated(curated)
    assert header_columns(before_kinds) == CURATED_COLUMNS[:-1]
    assert load(conn, before_kinds, "raw/old") == 2
    assert {kind for kind, *_ in kinds(conn).values()} == {"episode"}

    # The same history curated again (a rebuild, a new export) tells the chapter apart.
    assert load(conn, curated, "raw/new") == 0
    assert kinds(conn)["0mMyZnv7DmfzNG9aUiYVa8"][0] == "chapter"
    # And an old object loaded after that does not undo it.
    assert load(conn, before_kinds, "raw/old-again") == 0
    assert kinds(conn)["0mMyZnv7DmfzNG9aUiYVa8"][0] == "chapter"


def test_a_header_that_is_not_a_curated_objects_is_refused() -> None:
    with pytest.raises(ValueError, match="not a curated object's header"):
        header_columns(b"source,started_at;DROP TABLE users\n")


def test_upgrading_forgets_the_skips_guessed_for_web_api_plays_and_rebuilds_their_days(
    postgres_server: str,
) -> None:
    conn = psycopg2.connect(fresh_database(postgres_server, "migrate_api_skips", migrated=False))
    try:
        apply_migrations(conn, until="0010")
        with conn, conn.cursor() as cur:
            cur.execute("INSERT INTO users (user_id, time_zone) VALUES ('me', 'America/New_York')")
            cur.execute("INSERT INTO loaded_objects (lake_key) VALUES ('raw/a')")
            # 02:00 UTC on 2 March is 21:00 on 1 March in New York.
            cur.execute(
                "INSERT INTO fact_plays (user_id, source, started_at, ended_at, track_id, "
                "ms_played, skipped, object_id) SELECT 'me', source, t, t, 'x', 0, skipped, 1 "
                "FROM (VALUES ('api', '2024-03-02T02:00Z'::timestamptz, false), "
                "('export', '2024-03-05T12:00Z', true)) AS plays (source, t, skipped)"
            )
        # 0010 alone: a later one (0011) marks every day, for a rollup of its own.
        assert apply_migrations(conn, until="0011") == ["0010"]
        with conn, conn.cursor() as cur:
            cur.execute("SELECT source, skipped FROM fact_plays ORDER BY source")
            assert cur.fetchall() == [("api", None), ("export", True)]
            cur.execute("SELECT user_id, day::text FROM agg_stale_days")
            assert cur.fetchall() == [("me", "2024-03-01")]
    finally:
        conn.close()
