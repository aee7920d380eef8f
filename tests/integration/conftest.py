"""Fixtures for running the `moodify` command as a user would, on the test's warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from etl.core.settings import Settings
from moodify import cli


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
