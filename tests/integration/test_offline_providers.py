"""Unreachable services cost one bounded try per run: counted in connection attempts.

A loopback port that is bound but never listening refuses every connection, like a
machine without network. Attempts are counted where urllib3 opens connections, retries
included; where a test waits for retries, their backoff is skipped: attempts are what
is measured, not time.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import urllib3.util.connection
from pydantic import SecretStr
from urllib3.util.retry import Retry

from etl.core.settings import Settings
from etl.core.state import StateStore, UserState
from etl.enrich.artists import look_up_artists
from etl.enrich.features import fetch_features
from etl.imports.importer import import_export
from etl.pipeline.context import PipelineContext
from etl.spotify.ingest import Spotify, ingest_connected_users
from moodify.demo.sample import generate_sample_export
from moodify.demo.simulation import FakeReccoBeats
from tests.integration.test_import_pipeline import scalar

# One try, and the retries of `etl.core.http.retrying_session`: one for a connection that
# cannot be made, three for an answer that does not come (or a 5xx).
CONNECT_ATTEMPTS = 2
READ_ATTEMPTS = 4
FEATURES = "/v1/audio-features"
ARTIST_IDS = ["0OdUWJ0sBjDrqHygGUXeCF", "3WrFJ7ztbogyGnTHbHJFl2"]
TRACK_IDS = ["4uLU6hMCjMI75M1A2tKUQC", "7GhIk7Il098yCjg4BQjzvb"]


@pytest.fixture
def refusing_url() -> Iterator[str]:
    """A loopback port bound for the whole test and never listening: it refuses."""
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{bound.getsockname()[1]}"


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """urllib3 retries as configured, without waiting in between."""
    monkeypatch.setattr(Retry, "get_backoff_time", lambda self: 0.0)


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """The address of every TCP connection urllib3 tries to open, in order."""
    tried: list[tuple[str, int]] = []
    connect = urllib3.util.connection.create_connection

    def counting(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        tried.append(address)
        return connect(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", counting)
    return tried


def offline(settings: Settings, url: str) -> Settings:
    """Settings whose Spotify app and feature providers all live at `url`."""
    return settings.model_copy(
        update={
            "spotify_client_id": "app",
            "spotify_client_secret": SecretStr("secret"),
            "spotify_accounts_url": url,
            "spotify_api_url": f"{url}/v1",
            "reccobeats_url": f"{url}/v1",
            "feature_providers": ("spotify", "reccobeats"),
            "allowed_users": ("alice", "bob"),
        }
    )


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]


def unreachable_message(service: str) -> str:
    return (
        f"{service} is unreachable (ConnectionError: [Errno 111] Connection refused): "
        "it is off for the rest of this run"
    )


def test_an_offline_import_tries_each_provider_once(
    settings: Settings,
    database_dsn: str,
    refusing_url: str,
    attempts: list[tuple[str, int]],
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    caplog.set_level(logging.WARNING)
    export = generate_sample_export(
        tmp_path / "export", years=0.1, plays_per_file=400, end=datetime(2025, 6, 1, tzinfo=UTC)
    )
    assert len(export.files) >= 3
    ctx = PipelineContext.from_settings(offline(settings, refusing_url))
    attempts_after_each_file: list[int] = []

    report = import_export(
        export.files[0].parent,
        ctx,
        "me",
        lambda name, state: attempts_after_each_file.append(len(attempts)),
    )

    # The first file's enrichment tries Spotify (its token) and ReccoBeats, each within
    # the bounded retries; every later file tries neither.
    assert attempts_after_each_file == [2 * CONNECT_ATTEMPTS] * len(export.files)
    assert {address[1] for address in attempts} == {int(refusing_url.rsplit(":", 1)[1])}
    assert warnings(caplog) == [unreachable_message("spotify"), unreachable_message("reccobeats")]
    # Every play is in; no track was recorded as unknown to the providers ("not known yet").
    assert report.plays_inserted == export.plays
    assert scalar(database_dsn, "SELECT count(*) FROM track_audio_features") == 0
    assert scalar(database_dsn, "SELECT count(*) FROM audio_feature_misses") == 0
    assert not StateStore(ctx.lake).provider_disabled("spotify")  # unlike after a 403


def test_the_next_run_tries_again(
    tmp_path: Path, refusing_url: str, attempts: list[tuple[str, int]]
) -> None:
    settings = offline(Settings(home=tmp_path), refusing_url)
    for run in range(1, 3):
        ctx = PipelineContext.from_settings(settings)
        for _ in range(2):
            assert fetch_features(ctx.providers, TRACK_IDS).found == []
        assert len(attempts) == run * 2 * CONNECT_ATTEMPTS


def test_artist_lookups_share_the_runs_switch(
    tmp_path: Path,
    refusing_url: str,
    attempts: list[tuple[str, int]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    ctx = PipelineContext.from_settings(offline(Settings(home=tmp_path), refusing_url))

    first = look_up_artists(ctx.spotify_app_api(), ARTIST_IDS)
    assert (first.artists, len(attempts)) == ([], CONNECT_ATTEMPTS)
    second = look_up_artists(ctx.spotify_app_api(), ARTIST_IDS)
    features = fetch_features(ctx.providers[:1], TRACK_IDS)  # Spotify's audio features

    assert (second.artists, features.found, features.unknown) == ([], [], [])
    assert "unreachable" in str(second.stopped)
    assert len(attempts) == CONNECT_ATTEMPTS
    assert [r.getMessage() for r in caplog.records] == [unreachable_message("spotify")]


def test_an_ingest_run_tries_spotify_once_for_all_users(
    tmp_path: Path,
    refusing_url: str,
    attempts: list[tuple[str, int]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    settings = offline(Settings(home=tmp_path), refusing_url)
    signed_in_at = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    spotify = Spotify.from_settings(settings, lambda: signed_in_at)
    for user_id in ("alice", "bob"):
        spotify.tokens.put(user_id, f"refresh-{user_id}")
        spotify.state.put_user(UserState(user_id, signed_in_at=signed_in_at))

    report = ingest_connected_users(spotify)

    assert [user.outcome for user in report.users] == ["failed", "failed"]
    assert len(attempts) == CONNECT_ATTEMPTS
    assert warnings(caplog).count(unreachable_message("spotify")) == 1
    assert spotify.state.user("alice").cursor_ms is None


def test_a_timeout_after_the_retries_switches_the_service_off(
    tmp_path: Path,
    no_backoff: None,
    attempts: list[tuple[str, int]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    with FakeReccoBeats() as reccobeats:
        settings = Settings(
            home=tmp_path,
            reccobeats_url=reccobeats.api_url,
            feature_providers=("reccobeats",),
            http_read_timeout_s=0.1,
        )
        reccobeats.fail(FEATURES, delay=0.5, times=READ_ATTEMPTS)
        ctx = PipelineContext.from_settings(settings)
        for _ in range(2):
            assert fetch_features(ctx.providers, TRACK_IDS).found == []
    assert len(attempts) == READ_ATTEMPTS  # each retry on a new connection
    assert warnings(caplog) == [
        "reccobeats is unreachable (ConnectionError: timed out): it is off for the rest of this run"
    ]


def test_server_errors_leave_the_provider_on(
    tmp_path: Path, no_backoff: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    with FakeReccoBeats() as reccobeats:
        known = [t.id for t in reccobeats.catalog.tracks.values() if t.features is not None][:2]
        settings = Settings(
            home=tmp_path, reccobeats_url=reccobeats.api_url, feature_providers=("reccobeats",)
        )
        reccobeats.fail(FEATURES, 503, times=READ_ATTEMPTS)
        ctx = PipelineContext.from_settings(settings)

        failed = fetch_features(ctx.providers, known)
        answered = fetch_features(ctx.providers, known)

        assert (failed.found, failed.unknown) == ([], [])
        assert sorted(item.track_id for item in answered.found) == sorted(known)
        assert reccobeats.calls(FEATURES) == READ_ATTEMPTS + 1
    (warning,) = warnings(caplog)
    assert warning.startswith(
        "Audio-feature provider reccobeats unavailable: reccobeats answered 503"
    )
