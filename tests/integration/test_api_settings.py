"""GET/PUT /api/v1/settings against a real PostgreSQL: the time zone (which re-cuts the
days) and the default ranking measure, changed alone or together, and bad input refused.

The user "me" lives in America/New_York; the play at 04:50 UTC on 2024-01-02 is 23:50 on
January 1 there (see tests/integration/test_api.py's seed)."""

from __future__ import annotations

from contextlib import closing
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from etl.core.lake import lake_from_settings
from etl.core.settings import Settings
from etl.core.state import StateStore
from etl.warehouse import load
from etl.warehouse.connection import Connection, connect
from etl.warehouse.user_settings import change_time_zone
from tests.integration.api_calls import StartApp, get_json
from tests.integration.test_api import seed
from tests.integration.warehouse import FRIEND, ME, Warehouse

SETTINGS = "/api/v1/settings"
NOW = datetime(2024, 3, 1, 12, tzinfo=UTC)


@pytest.fixture
def client(warehouse: Warehouse, start_app: StartApp) -> TestClient:
    seed(warehouse)
    return start_app(NOW)


def put(client: TestClient, **change: object) -> Any:
    response = client.put(SETTINGS, json=change)
    assert response.status_code == 200, response.text
    return response.json()


def refused(client: TestClient, body: object) -> list[tuple[object, str]]:
    response = client.put(SETTINGS, json=body)
    assert response.status_code == 422, response.text
    return [(error["loc"][-1], error["msg"]) for error in response.json()["detail"]]


def day(client: TestClient, date: str) -> Any:
    return get_json(client, "/api/v1/summary", **{"from": date, "to": date})


def test_settings_start_as_the_user_time_zone_and_listening_time(client: TestClient) -> None:
    expected = {"time_zone": "America/New_York", "ranking_measure": "listening_time"}
    assert get_json(client, SETTINGS) == expected
    assert get_json(client, "/api/v1/me")["ranking_measure"] == "listening_time"


def test_a_user_the_warehouse_does_not_know_gets_the_configured_zone(
    settings: Settings, start_app: StartApp
) -> None:
    client = start_app(NOW)
    expected = {"time_zone": settings.time_zone, "ranking_measure": "listening_time"}
    assert get_json(client, SETTINGS) == expected
    # Choosing a measure first makes the user known, in that zone.
    assert put(client, ranking_measure="plays") == {**expected, "ranking_measure": "plays"}


def test_the_ranking_measure_changes_alone(client: TestClient, warehouse: Warehouse) -> None:
    summary_before = day(client, "2024-01-01")
    answer = put(client, ranking_measure="plays")
    assert answer == {"time_zone": "America/New_York", "ranking_measure": "plays"}
    assert get_json(client, SETTINGS) == answer
    assert get_json(client, "/api/v1/me")["ranking_measure"] == "plays"
    assert day(client, "2024-01-01") == summary_before
    with warehouse.conn, warehouse.conn.cursor() as cur:
        cur.execute("SELECT user_id, ranking_measure, changed_at FROM user_settings")
        assert cur.fetchall() == [(ME, "plays", NOW)]
    # Back again: the row stays, with the measure as chosen.
    assert put(client, ranking_measure="listening_time")["ranking_measure"] == "listening_time"
    assert get_json(client, "/api/v1/me")["ranking_measure"] == "listening_time"


def test_another_users_settings_are_their_own(client: TestClient, settings: Settings) -> None:
    put(client, ranking_measure="plays", time_zone="Asia/Tokyo")
    friend_settings = settings.model_copy(update={"user_id": FRIEND})
    with TestClient(create_app(friend_settings, clock=lambda: NOW)) as friend:
        expected = {"time_zone": "UTC", "ranking_measure": "listening_time"}
        assert get_json(friend, SETTINGS) == expected


def test_a_new_time_zone_recuts_the_days(client: TestClient, settings: Settings) -> None:
    assert day(client, "2024-01-01")["plays"] == 4  # with the play at 23:50 New York time
    assert day(client, "2024-01-02")["plays"] == 2
    tag = client.get("/api/v1/summary").headers["etag"]

    answer = put(client, time_zone="UTC")

    assert answer == {"time_zone": "UTC", "ranking_measure": "listening_time"}
    assert get_json(client, "/api/v1/me")["time_zone"] == "UTC"
    # At 04:50 UTC the play starts January 2 in UTC: it moved day, every rollup with it.
    assert day(client, "2024-01-01")["plays"] == 3
    assert day(client, "2024-01-02")["plays"] == 3
    clock = get_json(client, "/api/v1/clock", **{"from": "2024-01-02", "to": "2024-01-02"})
    assert {cell["hour"] for cell in clock["cells"] if cell["plays"]} == {4, 15, 16}
    # Answers computed in the old zone are not served again, and a rebuild keeps the zone.
    assert client.get("/api/v1/summary").headers["etag"] != tag
    assert StateStore(lake_from_settings(settings)).user(ME).time_zone == "UTC"


def test_both_change_together(client: TestClient) -> None:
    answer = put(client, time_zone="Europe/Berlin", ranking_measure="plays")
    assert answer == {"time_zone": "Europe/Berlin", "ranking_measure": "plays"}
    assert get_json(client, SETTINGS) == answer


def test_the_same_time_zone_again_changes_nothing(client: TestClient) -> None:
    tag = client.get("/api/v1/summary").headers["etag"]
    put(client, time_zone="America/New_York")
    assert client.get("/api/v1/summary").headers["etag"] == tag


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"time_zone": "../../etc/passwd"}, "time_zone"),
        ({"time_zone": ""}, "time_zone"),
        ({"time_zone": 3}, "time_zone"),
        ({"ranking_measure": "loudness"}, "ranking_measure"),
        ({"ranking_measure": None, "rank_by": "plays"}, "rank_by"),
    ],
)
def test_bad_settings_are_refused_and_change_nothing(
    client: TestClient, body: dict[str, object], field: str
) -> None:
    before = get_json(client, SETTINGS)
    # Named along with a valid change, which is not made either.
    other = {"ranking_measure": "plays"} if "ranking_measure" not in body else {}
    assert [name for name, _ in refused(client, {**body, **other})] == [field]
    assert get_json(client, SETTINGS) == before


def test_an_unknown_zone_is_named_in_the_refusal(client: TestClient) -> None:
    [(_, message)] = refused(client, {"time_zone": "Mars/Olympus_Mons"})
    assert "Mars/Olympus_Mons" in message
    assert "IANA" in message


def test_a_recut_stopped_midway_changes_nothing(
    client: TestClient, settings: Settings, warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As when the API's time runs out on AWS: the days stay cut, and shown, as they were."""
    tag = client.get("/api/v1/summary").headers["etag"]

    def out_of_time(conn: Connection) -> None:
        with conn.cursor() as cur:  # the re-cut's statements ran: to this transaction, the
            cur.execute("SELECT count(*) FROM agg_daily_items WHERE user_id = %s", (ME,))
            assert cur.fetchone() == (0,)  # rollups are gone; then the process is stopped
        raise TimeoutError("the request's time ran out")

    monkeypatch.setattr(load, "refresh_stale_aggregates", out_of_time)
    with closing(connect(settings)) as conn, pytest.raises(TimeoutError):
        change_time_zone(conn, StateStore(lake_from_settings(settings)), ME, "UTC", NOW)

    assert StateStore(lake_from_settings(settings)).user(ME).time_zone is None
    assert get_json(client, SETTINGS)["time_zone"] == "America/New_York"
    assert (day(client, "2024-01-01")["plays"], day(client, "2024-01-02")["plays"]) == (4, 2)
    assert client.get("/api/v1/summary").headers["etag"] == tag
    with warehouse.conn, warehouse.conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM agg_stale_days")
        assert cur.fetchone() == (0,)


def test_a_time_zone_set_for_a_user_without_state_brings_back_no_old_session(
    settings: Settings, warehouse: Warehouse
) -> None:
    """A deleted user's cookie may still pass the authorizer's five-minute cache and set a
    time zone: the state this makes again accepts no session issued before it."""
    state = StateStore(lake_from_settings(settings))
    assert state.stored_user("deleted") is None
    with closing(connect(settings)) as conn:
        change_time_zone(conn, state, "deleted", "Europe/Paris", NOW)
    made = state.user("deleted")
    assert made.time_zone == "Europe/Paris"
    assert not made.accepts_session(NOW - timedelta(seconds=1), "a-session-from-before")
    assert made.accepts_session(NOW, "a-session-from-now-on")
