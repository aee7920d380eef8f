"""/me tells when the last ingest and the last ETL refresh succeeded, on the server's clock,
and whether the ingest is stale (3 hours while signed in); the demo has no ingest."""

from __future__ import annotations

from contextlib import closing
from datetime import timedelta

import psycopg2
from fastapi.testclient import TestClient

from api.app import create_app
from etl.core.lake import LocalLake
from etl.core.settings import Settings
from etl.core.state import StateStore, UserState
from etl.warehouse.load import record_etl_refresh
from tests.integration.test_spotify_connection import (  # noqa: F401  (fixture)
    World,
    _session,
    world,
)


def _utc(instant: object) -> str:
    return str(instant).replace("+00:00", "Z")


def _me(world: World) -> dict[str, object]:  # noqa: F811
    client = TestClient(create_app(world.settings, clock=world.clock))
    client.cookies.set("moodify_session", _session(world, "alice"))
    freshness: dict[str, object] = client.get("/api/v1/me").json()["freshness"]
    return freshness


def test_me_tells_when_the_last_ingest_and_etl_succeeded(world: World) -> None:  # noqa: F811
    world.connect("alice")
    assert _me(world)["last_etl_at"] is None
    world.play("alice", [20, 10])
    world.clock.advance(timedelta(minutes=5))
    ingested_at = world.clock.now()
    _, runs = world.ingest()
    assert sum(run["inserted"] for run in runs) == 2

    world.clock.advance(timedelta(minutes=12))
    freshness = _me(world)
    assert freshness["last_ingest_at"] == _utc(ingested_at.isoformat())
    assert freshness["last_etl_at"] == _utc(ingested_at.isoformat())
    assert freshness["checked_at"] == _utc(world.clock.now().isoformat())
    assert freshness["ingest_stale"] is False

    # No ingest for over 3 hours while signed in: stale.
    world.clock.advance(timedelta(hours=3))
    assert _me(world)["ingest_stale"] is True


def test_the_etl_refresh_instant_never_moves_back(world: World) -> None:  # noqa: F811
    world.connect("alice")
    world.play("alice", [10])
    later = world.clock.now()
    world.ingest()
    # A late pipeline run holding an older clock reading.
    with closing(psycopg2.connect(world.dsn)) as conn:
        record_etl_refresh(conn, later - timedelta(hours=1))
    assert _me(world)["last_etl_at"] == _utc(later.isoformat())


def test_the_demo_shows_the_etl_time_and_no_ingest(settings: Settings) -> None:
    StateStore(LocalLake(settings.lake_dir)).put_user(UserState(settings.user_id, generated=True))
    with TestClient(create_app(settings)) as client:
        freshness = client.get("/api/v1/me").json()["freshness"]
    assert freshness["last_ingest_at"] is None
    assert freshness["ingest_stale"] is False
