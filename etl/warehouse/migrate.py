"""Versioned SQL migrations, applied in order, each exactly once.

Files are `migrations/NNNN_name.sql`; the applied versions are recorded in
`schema_migrations`. An advisory lock serialises concurrent migrators (a deploy and a
local CLI, or two Lambda retries), so applying twice is a no-op.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from psycopg2 import sql

from etl.warehouse.connection import Connection, ConnectionParams, connect_params
from etl.warehouse.load import refresh_stale_aggregates

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_MIGRATION_FILE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_LOCK_ID = 7_231_042  # arbitrary, fixed: the advisory lock every migrator takes


@dataclass(frozen=True)
class Migration:
    version: str
    path: Path

    @property
    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


def discover_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    migrations = []
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_FILE.match(path.name)
        if match is None:
            raise ValueError(f"Migration file name must look like 0001_name.sql: {path.name}")
        migrations.append(Migration(version=match.group(1), path=path))
    versions = [m.version for m in migrations]
    if len(set(versions)) != len(versions):
        raise ValueError(f"Duplicate migration versions in {directory}")
    return migrations


def apply_migrations(conn: Connection, *, until: str | None = None) -> list[str]:
    """Apply the migrations not yet applied (only those before version `until`, when given:
    the schema as it was then); return their versions."""
    applied: list[str] = []
    with conn, conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_ID,))
        cur.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version     text PRIMARY KEY,
                applied_at  timestamptz NOT NULL DEFAULT now()
            )
            """
        )
        cur.execute("SELECT version FROM schema_migrations")
        done = {row[0] for row in cur.fetchall()}
        for migration in discover_migrations():
            if migration.version in done:
                continue
            if until is not None and migration.version >= until:
                break
            cur.execute(migration.sql)
            cur.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (migration.version,))
            applied.append(migration.version)
    return applied


def upgrade(conn: Connection) -> list[str]:
    """Apply every migration not yet applied, then rebuild the rollup days they marked: a
    migration that adds a rollup, or changes what one holds, marks the days to rebuild."""
    applied = apply_migrations(conn)
    if applied:
        refresh_stale_aggregates(conn)
    return applied


def ensure_app_user(conn: Connection, app_user: str) -> None:
    """Create the application's login role (IAM-authenticated on RDS) and grant it DML.

    `rds_iam` exists only on RDS; elsewhere the grant is skipped.
    """
    role = sql.Identifier(app_user)
    with conn, conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (app_user,))
        if cur.fetchone() is None:
            cur.execute(sql.SQL("CREATE ROLE {} LOGIN").format(role))
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = 'rds_iam'")
        if cur.fetchone() is not None:
            cur.execute(sql.SQL("GRANT rds_iam TO {}").format(role))
        cur.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role))
        cur.execute(
            sql.SQL(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}"
            ).format(role)
        )
        cur.execute(
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
                "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}"
            ).format(role)
        )


def migrate_database(params: ConnectionParams, app_user: str) -> list[str]:
    """The AWS migrate step: as the master user, apply migrations and set up the app user."""
    conn = connect_params(params)
    try:
        applied = upgrade(conn)
        ensure_app_user(conn, app_user)
    finally:
        conn.close()
    return applied
