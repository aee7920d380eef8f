"""The suite's own clock: `--days-ahead` really moves this process's wall clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import psycopg2
import pytest

from etl.core.clock import system_clock


def test_the_wall_clock_is_where_the_suite_was_told(
    request: pytest.FixtureRequest, database_dsn: str
) -> None:
    conn = psycopg2.connect(database_dsn)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT now()")  # PostgreSQL, another process, keeps the real time
            row = cur.fetchone()
    finally:
        conn.close()
    assert row is not None
    database_now: datetime = row[0]
    days_ahead = timedelta(days=request.config.getoption("--days-ahead"))
    assert abs(system_clock() - database_now - days_ahead) < timedelta(minutes=1)
