"""Fixtures of the integration tests: the `moodify` command as a user would run it, and a
warehouse filled by hand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from rich.console import Console

from etl.core.settings import Settings
from moodify import cli
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
