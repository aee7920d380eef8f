"""A database that does not answer: the API says so with 503 within 5 s, instead of hanging
every request, while the ETL's connections keep no statement timeout."""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack, closing
from pathlib import Path

import psycopg2
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from etl.core.settings import Settings
from etl.warehouse.connection import ConnectionParams, connect, connect_params

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


def _stop(backend: int) -> None:
    """SIGSTOP the server process serving one connection, or skip where this process may
    not (a server on another host, or run by another user when the tests are not root)."""
    try:
        command = Path(f"/proc/{backend}/cmdline").read_bytes()
    except FileNotFoundError:
        pytest.skip("the database server runs on another host")
    if not command.startswith(b"postgres"):
        pytest.skip("the database server runs on another host")
    try:
        os.kill(backend, signal.SIGSTOP)
    except PermissionError:
        pytest.skip("this process may not signal the database server")


def test_a_stopped_server_process_answers_503_within_5_s(settings: Settings) -> None:
    """A stopped server process cannot enforce its statement timeout (nor can a connection
    a failover left half-open), and its kernel keeps the connection alive: the API's own
    deadline gives up on the read, and the pool opens a new connection after it."""
    app = create_app(settings)
    pool = app.state.services.database.pool
    with TestClient(app) as client:
        # Handed back to the pool, this connection is the first the next request takes.
        with pool.connection() as conn, conn.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            (stopped,) = cur.fetchone()
        _stop(stopped)
        try:
            started = time.monotonic()
            answer = client.get("/api/v1/summary")
            seconds = time.monotonic() - started
        finally:
            os.kill(stopped, signal.SIGCONT)
        assert (answer.status_code, answer.json()) == (503, UNAVAILABLE)
        assert seconds < 5

        # Every connection the pool now hands out answers (a cut one would fail), none is
        # the stopped process's, and the API answers again.
        with ExitStack() as held:
            backends = set()
            for _ in range(4):
                cur = held.enter_context(held.enter_context(pool.connection()).cursor())
                cur.execute("SELECT pg_backend_pid()")
                backends.add(cur.fetchone()[0])
        assert len(backends) == 4
        assert stopped not in backends
        assert client.get("/api/v1/summary").status_code == 200


def test_connections_to_rds_give_up_on_a_vanished_host(database_dsn: str) -> None:
    """The parameters an RDS connection is opened with (connect_params): libpq takes every
    one of them, and keeps probing and waiting on unacknowledged data within a minute."""
    dsn = psycopg2.extensions.parse_dsn(database_dsn)
    params = ConnectionParams(
        host=dsn.get("host", ""),
        port=int(dsn.get("port", 5432)),
        dbname=dsn["dbname"],
        user=dsn["user"],
        password=dsn.get("password"),
        connect_timeout_s=3,
    )
    with closing(connect_params(params)) as conn:
        effective = conn.get_dsn_parameters()
    assert (effective["keepalives_idle"], effective["keepalives_interval"]) == ("30", "10")
    assert int(effective["keepalives_count"]) * 10 + 30 <= 60
    assert effective["tcp_user_timeout"] == "60000"
