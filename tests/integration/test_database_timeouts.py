"""A database that does not answer: the API says so with 503 within 5 s, instead of hanging
every request, while the ETL's connections keep no statement timeout."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import closing

import psycopg2
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from etl.core.settings import Settings
from etl.warehouse.connection import connect

UNAVAILABLE = {"detail": "The database is unavailable."}


def _answer_within_5_s(settings: Settings, path: str) -> tuple[int, object, float]:
    with TestClient(create_app(settings)) as client:
        started = time.monotonic()
        answer = client.get(path)
        return answer.status_code, answer.json(), time.monotonic() - started


@pytest.fixture
def frozen(database_dsn: str) -> Iterator[None]:
    """Every table of the warehouse locked by another transaction, as a stuck migration or
    a wedged server leaves them: any read waits."""
    conn = psycopg2.connect(database_dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables "
                "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            )
            tables = [name for (name,) in cur.fetchall()]
            cur.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
        yield
    finally:
        conn.rollback()
        conn.close()


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize("path", ["/api/v1/summary", "/api/v1/top_artists"])
def test_a_frozen_database_answers_503_within_5_s(settings: Settings, path: str) -> None:
    status, body, seconds = _answer_within_5_s(settings, path)
    assert (status, body) == (503, UNAVAILABLE)
    assert seconds < 5


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A database URL whose server accepts connections and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()  # the kernel completes the handshakes; nobody ever reads
        yield f"postgresql://moodify@127.0.0.1:{listener.getsockname()[1]}/moodify"


def test_a_silent_server_answers_503_within_5_s(settings: Settings, silent_server: str) -> None:
    silent = settings.model_copy(update={"database_url": silent_server})
    status, body, seconds = _answer_within_5_s(silent, "/api/v1/summary")
    assert (status, body) == (503, UNAVAILABLE)
    assert seconds < 5


def test_only_the_api_reads_have_a_statement_timeout(settings: Settings) -> None:
    app = create_app(settings)
    with app.state.services.database.pool.connection() as conn, conn.cursor() as cur:
        cur.execute("SHOW statement_timeout")
        assert cur.fetchone() == ("4s",)
    # The ETL's (and the API's rare writes': a time-zone re-cut, an erasure) run long.
    with closing(connect(settings)) as conn, conn.cursor() as cur:
        cur.execute("SHOW statement_timeout")
        assert cur.fetchone() == ("0",)
