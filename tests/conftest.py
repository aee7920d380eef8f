"""Shared fixtures: a real PostgreSQL (embedded, or DATABASE_URL) and per-test databases.

`pytest --days-ahead N` runs the suite with this process's wall clock moved N days ahead
(PostgreSQL keeps the real one). `make test` runs the suite a second time a year ahead, so
that a test which passes only around the day it was written fails there.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import psycopg2
import pytest
from psycopg2.extensions import make_dsn

from etl.core.clock import system_clock
from etl.core.settings import Settings
from etl.warehouse.migrate import apply_migrations
from moodify.database import embedded_server_url


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--days-ahead",
        type=float,
        default=0,
        help="Run with the test process's wall clock moved this many days ahead.",
    )


@pytest.fixture(scope="session", autouse=True)
def wall_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    """The wall clock as `--days-ahead` sets it (ticking on from there)."""
    days = request.config.getoption("--days-ahead")
    if not days:
        yield
        return
    import time_machine

    with time_machine.travel(system_clock() + timedelta(days=days), tick=True):
        yield


@pytest.fixture(scope="session", autouse=True)
def no_musicbrainz() -> Iterator[None]:
    """No test reaches the real MusicBrainz: every Settings built in the tests (and every
    process they start) has no call budget for it unless the test gives one (the tests of
    genres and covers point it at the loopback fake)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MOODIFY_MUSICBRAINZ_CALL_BUDGET", "0")
        yield


_TEMPLATE = "moodify_test_template"
_database_numbers = itertools.count()


def _admin_execute(server_dsn: str, statement: str) -> None:
    conn = psycopg2.connect(server_dsn)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
    finally:
        conn.close()


def fresh_database(server_dsn: str, name: str, *, migrated: bool = True) -> str:
    """(Re)create database `name` on the server, migrated unless told not; return its DSN."""
    _admin_execute(server_dsn, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    template = f" TEMPLATE {_TEMPLATE}" if migrated else ""
    _admin_execute(server_dsn, f"CREATE DATABASE {name}{template}")
    return str(make_dsn(server_dsn, dbname=name))


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A DSN for the server's maintenance database, with a migrated template database."""
    external = os.environ.get("DATABASE_URL")
    server = external or embedded_server_url(tmp_path_factory.mktemp("pg") / "pgdata")
    _admin_execute(server, f"DROP DATABASE IF EXISTS {_TEMPLATE}")
    _admin_execute(server, f"CREATE DATABASE {_TEMPLATE}")
    template = psycopg2.connect(make_dsn(server, dbname=_TEMPLATE))
    try:
        apply_migrations(template)
    finally:
        template.close()
    return server


@pytest.fixture
def database_dsn(postgres_server: str) -> Iterator[str]:
    """A fresh, migrated database for one test."""
    name = f"moodify_test_{os.getpid()}_{next(_database_numbers)}"
    _admin_execute(postgres_server, f"CREATE DATABASE {name} TEMPLATE {_TEMPLATE}")
    yield make_dsn(postgres_server, dbname=name)
    _admin_execute(postgres_server, f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def settings(tmp_path: Path, database_dsn: str) -> Settings:
    return Settings(
        home=tmp_path / ".moodify", database_url=database_dsn, feature_providers=("sample",)
    )
