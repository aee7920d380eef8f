from __future__ import annotations

import psycopg2

from etl.warehouse.migrate import apply_migrations, discover_migrations, ensure_app_user
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
    finally:
        conn.close()
