"""Answers are reused until the data behind them changes, and never after: the ETag and the
API process's cache follow the user's data version, the catalog's, the user's time zone and
local day."""

from __future__ import annotations

from contextlib import closing
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from etl.core.settings import Settings
from etl.warehouse.connection import connect
from etl.warehouse.load import refresh_stale_aggregates, set_time_zone
from tests.integration.api_calls import StartApp
from tests.integration.test_api import seed
from tests.integration.warehouse import FRIEND, ME, Warehouse

NOW = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
SUMMARY = "/api/v1/summary"


@pytest.fixture
def client(warehouse: Warehouse, start_app: StartApp) -> TestClient:
    seed(warehouse)
    return start_app(NOW)


def tagged(client: TestClient, path: str = SUMMARY) -> tuple[str, Any]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "private, no-cache"
    return response.headers["etag"], response.json()


def test_an_answer_is_reused_while_its_data_stands(client: TestClient) -> None:
    tag, summary = tagged(client)
    assert tagged(client) == (tag, summary)

    revalidated = client.get(SUMMARY, headers={"If-None-Match": tag})
    assert revalidated.status_code == 304
    assert revalidated.headers["etag"] == tag
    assert revalidated.content == b""
    # As a CDN that compressed the answer would send it back, among others.
    weak = client.get(SUMMARY, headers={"If-None-Match": f'"other", W/{tag}'})
    assert weak.status_code == 304

    # Each URL has its own tag; a stale tag gets the whole answer.
    other_tag, _ = tagged(client, "/api/v1/top_tracks")
    assert other_tag != tag
    stale = client.get(SUMMARY, headers={"If-None-Match": other_tag})
    assert stale.status_code == 200
    assert stale.json() == summary


def test_new_plays_change_the_answer_at_once(client: TestClient, warehouse: Warehouse) -> None:
    tag, summary = tagged(client)

    # Loaded, not yet applied: the plays themselves are news (recent reads them).
    warehouse.play("2024-01-04T15:00:00+00:00", 100_000, track="t1")
    warehouse.conn.commit()
    loaded_tag, _ = tagged(client)
    assert loaded_tag != tag
    assert client.get(SUMMARY, headers={"If-None-Match": tag}).status_code == 200

    # Applied: the rollups hold them.
    warehouse.refresh()
    applied_tag, applied = tagged(client)
    assert applied_tag not in {tag, loaded_tag}
    assert applied["plays"] == summary["plays"] + 1


def test_someone_elses_plays_leave_the_answer_as_it_was(
    client: TestClient, warehouse: Warehouse
) -> None:
    tag, _ = tagged(client)
    warehouse.play("2024-01-04T15:00:00+00:00", 100_000, track="t1", user_id=FRIEND)
    # As a load marks them: only the days of the plays it added.
    warehouse.execute("INSERT INTO agg_stale_days VALUES (%s, '2024-01-04')", (FRIEND,))
    warehouse.conn.commit()
    refresh_stale_aggregates(warehouse.conn)
    assert client.get(SUMMARY, headers={"If-None-Match": tag}).status_code == 304


def test_a_catalog_change_changes_every_users_answers(
    client: TestClient, warehouse: Warehouse
) -> None:
    tag, top = tagged(client, "/api/v1/top_tracks")
    warehouse.execute("UPDATE dim_tracks SET name = 'Renamed' WHERE track_id = 't1'", ())
    warehouse.conn.commit()
    renamed_tag, renamed = tagged(client, "/api/v1/top_tracks")
    assert renamed_tag != tag
    assert "Renamed" in {item["name"] for item in renamed["items"]}
    assert "Renamed" not in {item["name"] for item in top["items"]}


def test_a_new_time_zone_changes_the_answer(
    client: TestClient, settings: Settings, warehouse: Warehouse
) -> None:
    tag, _ = tagged(client, "/api/v1/clock")
    with closing(connect(settings)) as conn:
        set_time_zone(conn, ME, "Asia/Tokyo")
    new_tag, _ = tagged(client, "/api/v1/clock")
    assert new_tag != tag


def test_a_new_local_day_changes_the_answer(warehouse: Warehouse, start_app: StartApp) -> None:
    seed(warehouse)
    # "me" lives in New York: 04:59 and 05:01 UTC are two local days, 23:59 and 00:01 in UTC
    # are one.
    evening = start_app(datetime(2024, 3, 2, 4, 59, tzinfo=UTC))
    morning = start_app(datetime(2024, 3, 2, 5, 1, tzinfo=UTC))
    before_midnight_utc = start_app(datetime(2024, 3, 1, 23, 59, tzinfo=UTC))
    streaks = "/api/v1/streaks"
    assert tagged(evening, streaks)[0] != tagged(morning, streaks)[0]
    assert tagged(evening, streaks)[0] == tagged(before_midnight_utc, streaks)[0]


def test_a_rebuilt_warehouse_starts_new_tags(client: TestClient, warehouse: Warehouse) -> None:
    """A rebuild swaps in new tables whose version sums start again: the tag tells the
    warehouses apart, even where the sums happen to meet."""
    tag, _ = tagged(client)
    warehouse.execute(
        "CREATE TABLE data_changes_rebuilt (LIKE data_changes INCLUDING ALL);"
        "INSERT INTO data_changes_rebuilt (user_id, changes) "
        "SELECT user_id, sum(changes) FROM data_changes GROUP BY user_id;"
        "DROP TABLE data_changes; ALTER TABLE data_changes_rebuilt RENAME TO data_changes",
        (),
    )
    warehouse.conn.commit()
    assert tagged(client)[0] != tag


def test_the_refresh_keeps_version_rows_few_and_sums_intact(warehouse: Warehouse) -> None:
    seed(warehouse)
    start = datetime(2024, 2, 1, 12, tzinfo=UTC)
    for hour in range(5):
        warehouse.play((start + timedelta(hours=hour)).isoformat(), 60_000, track="t2")
        warehouse.conn.commit()
    with warehouse.conn.cursor() as cur:
        cur.execute("SELECT user_id, sum(changes) FROM data_changes GROUP BY 1 ORDER BY 1")
        before = cur.fetchall()
    warehouse.refresh()
    with warehouse.conn.cursor() as cur:
        cur.execute(
            "SELECT user_id, sum(changes), count(*) FROM data_changes GROUP BY 1 ORDER BY 1"
        )
        after = cur.fetchall()
    assert all(rows == 1 for _, _, rows in after)
    versions = dict((user, total) for user, total, _ in after)
    # The refresh is a change of its own for the users whose days it rebuilt.
    assert versions[ME] == dict(before)[ME] + 1
    assert versions[None] == dict(before)[None]


def test_an_answer_the_client_got_wrong_is_not_kept(client: TestClient) -> None:
    refused = client.get(SUMMARY, params={"from": "2024-02-01", "to": "2024-01-01"})
    assert refused.status_code == 422
    assert "etag" not in refused.headers
