"""Fixtures of the integration tests: the `moodify` command as a user would run it, a
warehouse filled by hand, and the API started on it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

import psycopg2
import pytest
from fastapi.testclient import TestClient
from rich.console import Console

from api.app import create_app
from etl.core.clock import system_clock
from etl.core.settings import Settings
from moodify import cli
from tests.integration.api_calls import StartApp
from tests.integration.warehouse import Warehouse


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The environment `moodify` reads, naming the test's home and warehouse, with no calls
    out of this machine; its console wide enough that no line or table cell wraps, whatever
    the terminal running the tests."""
    monkeypatch.setenv("MOODIFY_HOME", str(settings.home))
    monkeypatch.setenv("DATABASE_URL", str(settings.database_url))
    monkeypatch.setenv("MOODIFY_FEATURE_PROVIDERS", "sample")
    monkeypatch.setattr(cli, "console", Console(width=200))
    return settings.home


@pytest.fixture
def warehouse(database_dsn: str) -> Iterator[Warehouse]:
    conn = psycopg2.connect(database_dsn)
    try:
        yield Warehouse(conn)
    finally:
        conn.close()


@pytest.fixture
def start_app(settings: Settings) -> Iterator[StartApp]:
    """Starts the API on the test's warehouse, its clock reading `now` (the system clock
    without one), as a client; every client started is stopped when the test ends."""
    with ExitStack() as started:

        def start(now: datetime | None = None) -> TestClient:
            clock = system_clock if now is None else lambda: now
            return started.enter_context(TestClient(create_app(settings, clock=clock)))

        yield start
