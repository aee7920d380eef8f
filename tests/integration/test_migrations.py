from __future__ import annotations

import psycopg2

from etl.warehouse.migrate import (
    apply_migrations,
    discover_migrations,
    ensure_app_user,
    upgrade,
)
from tests.conftest import fresh_database


def test_applying_twice_is_a_no_op(database_dsn: str) -> None:
    conn = psycopg2.connect(database_dsn)
    try:
        # The template was migrated already: nothing is left to apply, now or again.
        assert apply_migrations(conn) == []
        assert apply_migrations(conn) == []
        with conn.cursor() as cur:
            cur.execute("SELECT version FROM schema_migrations ORDER BY version")
            assert [row[0] for row in cur.fetchall()] == [m.version for m in discover_migrations()]
    finally:
        conn.close()


def test_fresh_database_gets_the_star_schema(postgres_server: str) -> None:
    conn = psycopg2.connect(fresh_database(postgres_server, "migrate_fresh", migrated=False))
    try:
        assert apply_migrations(conn) == [m.version for m in discover_migrations()]
        with conn.cursor() as cur:
            cur.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' ORDER BY table_name"
            )
            tables = {row[0] for row in cur.fetchall()}
        assert {
            "users",
            "dim_tracks",
            "dim_albums",
            "dim_artists",
            "track_artists",
            "dim_episodes",
            "fact_plays",
            "track_audio_features",
            "agg_daily_mood",
        } <= tables
        ensure_app_user(conn, "moodify_app")
        ensure_app_user(conn, "moodify_app")  # idempotent too
        with conn.cursor() as cur:
            cur.execute("SELECT has_table_privilege('moodify_app', 'fact_plays', 'INSERT')")
            assert cur.fetchone() == (True,)
            # What a load does first, as the app itself.
            cur.execute("SET ROLE moodify_app")
            cur.execute(
                "INSERT INTO loaded_objects (lake_key) VALUES ('raw/x') RETURNING object_id"
            )
            assert cur.fetchone() == (1,)
        conn.rollback()
    finally:
        conn.close()


def test_plays_loaded_before_loaded_objects_keep_their_source(postgres_server: str) -> None:
    conn = psycopg2.connect(fresh_database(postgres_server, "migrate_upgrade", migrated=False))
    try:
        apply_migrations(conn, until="0004")
        with conn, conn.cursor() as cur:
            cur.execute("INSERT INTO users (user_id) VALUES ('me')")
            cur.execute(
                "INSERT INTO fact_plays (user_id, source, started_at, ended_at, track_id, "
                "ms_played, lake_key) SELECT 'me', 'api', t, t, 'x', 0, key "
                "FROM (VALUES ('2024-01-01'::timestamptz, 'raw/a'), ('2024-01-02', 'raw/b'), "
                "('2024-01-03', 'raw/a')) AS plays (t, key)"
            )
        later = [m.version for m in discover_migrations() if m.version >= "0004"]
        assert apply_migrations(conn) == later
        with conn.cursor() as cur:
            cur.execute(
                "SELECT o.lake_key, count(*) FROM fact_plays JOIN loaded_objects o "
                "USING (object_id) GROUP BY 1 ORDER BY 1"
            )
            assert cur.fetchall() == [("raw/a", 2), ("raw/b", 1)]
    finally:
        conn.close()


def test_an_upgrade_builds_the_rollups_of_the_plays_already_there(postgres_server: str) -> None:
    conn = psycopg2.connect(fresh_database(postgres_server, "migrate_rollups", migrated=False))
    try:
        apply_migrations(conn, until="0007")
        with conn, conn.cursor() as cur:
            cur.execute("INSERT INTO users (user_id, time_zone) VALUES ('me', 'Asia/Tokyo')")
            cur.execute("INSERT INTO loaded_objects (lake_key) VALUES ('raw/a')")
            cur.execute(
                "INSERT INTO fact_plays (user_id, source, started_at, ended_at, track_id, "
                "ms_played, object_id) SELECT 'me', 'export', t, t + interval '3 minutes', "
                "'x', 180000, 1 FROM (VALUES ('2024-01-01 14:30Z'::timestamptz), "
                "('2024-01-01 15:30Z')) AS plays (t)"
            )
        assert upgrade(conn) == [m.version for m in discover_migrations() if m.version >= "0007"]
        with conn.cursor() as cur:
            cur.execute("SELECT day::text, hour, plays FROM agg_hourly ORDER BY day, hour")
            # 14:30 UTC is 23:30 in Tokyo; 15:30 UTC is 00:30 the next day.
            assert cur.fetchall() == [("2024-01-01", 23, 1), ("2024-01-02", 0, 1)]
            cur.execute("SELECT count(*) FROM agg_stale_days")
            assert cur.fetchone() == (0,)
    finally:
        conn.close()
