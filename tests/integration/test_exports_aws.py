"""The plays export on AWS, end to end in-process through moto S3: the API writes a request
and answers 202; the export function's handler, given the event the lake's rule sends,
writes the file and a ready status; the status answers a five-minute link that downloads
the warehouse's plays. A failure leaves a failed status with a message, a request that
never finishes turns failed once the function's time is up, and another user's export id
is a 404."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import pyarrow.parquet as pq
import pytest
import requests
from fastapi.testclient import TestClient

from api.app import create_app
from etl.core.clock import Clock
from etl.core.keys import export_status_key
from etl.core.lake import S3Lake
from etl.core.settings import Settings
from etl.warehouse import export_jobs
from lambdas import export as export_function
from tests.integration.test_exports import NOW, read_csv, seed, stored_plays
from tests.integration.test_imports import BUCKET, REGION
from tests.integration.test_imports import s3 as s3  # the moto bucket, as a fixture
from tests.integration.warehouse import FRIEND, ME, Warehouse
from tests.unit.test_lambdas import CONTEXT


@pytest.fixture
def aws(s3: Any, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The API's and the export function's settings on AWS; the function's lake is moto's."""
    configured = settings.model_copy(update={"lake_bucket": BUCKET, "aws_region": REGION})
    monkeypatch.setattr(export_function, "settings", lambda: configured)
    monkeypatch.setattr(export_function, "lake", lambda: S3Lake(BUCKET, s3))
    return configured


@contextmanager
def api(settings: Settings, clock: Clock = lambda: NOW) -> Iterator[TestClient]:
    with TestClient(create_app(settings, clock=clock)) as client:
        yield client


def rule_event(key: str) -> dict[str, str]:
    """The rule's input for an Object Created event (keys may arrive URL-encoded)."""
    return {"request_key": key.replace("=", "%3D")}


def request_keys(s3: Any) -> list[str]:
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix="exports/").get("Contents", [])
    return [item["Key"] for item in listed if item["Key"].endswith("/request.json")]


def export_csv(client: TestClient, s3: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Ask for every play as CSV, run the export function as the rule would: the API's
    first answer, and the function's result."""
    body = client.get("/api/v1/exports/plays.csv").json()
    (key,) = request_keys(s3)
    return body, export_function.handler(rule_event(key), CONTEXT)


def test_the_export_is_requested_written_by_its_function_and_offered_by_a_link(
    s3: Any, aws: Settings, warehouse: Warehouse
) -> None:
    seed(warehouse)
    with api(aws) as client:
        asked = client.get(
            "/api/v1/exports/plays.parquet", params={"from": "2024-01-01", "to": "2024-01-03"}
        )
        assert asked.status_code == 202, asked.text
        body = asked.json()
        export_id = body["export_id"]
        assert body["state"] == "pending"
        assert body["status_url"] == f"/api/v1/exports/{export_id}"
        assert asked.headers["location"] == body["status_url"]
        assert body["file_name"] == "moodify_me_plays_2024-01-01_to_2024-01-03.parquet"
        assert body["url"] is None
        (key,) = request_keys(s3)
        assert key == f"exports/user={ME}/{export_id}/request.json"
        # Before the function ran: pending, and no file in the lake.
        assert client.get(body["status_url"]).json()["state"] == "pending"

        result = export_function.handler(rule_event(key), CONTEXT)
        assert result["state"] == "ready", result

        status = client.get(body["status_url"])
    assert status.status_code == 200
    assert status.headers["cache-control"] == "no-store"
    ready = status.json()
    assert ready["state"] == "ready"
    assert ready["message"] is None
    link = urlparse(ready["url"])
    file_key = f"exports/user={ME}/{export_id}/{body['file_name']}"
    assert unquote(link.path) == f"/{file_key}"
    query = parse_qs(link.query)
    # Expires five minutes after signing (moto serves expired links, so the lifetime is
    # checked where S3 reads it: the signed query).
    assert query["X-Amz-Expires"] == ["300"]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["response-content-disposition"] == [f'attachment; filename="{body["file_name"]}"']
    downloaded = requests.get(ready["url"], timeout=10)
    assert downloaded.status_code == 200
    table = pq.read_table(io.BytesIO(downloaded.content))
    assert table.to_pylist() == [
        play for play in stored_plays(warehouse) if play["local_day"] <= date(2024, 1, 3)
    ]
    head = s3.head_object(Bucket=BUCKET, Key=file_key)
    assert head["ContentType"] == "application/vnd.apache.parquet"


def test_a_csv_export_on_aws_holds_every_play(s3: Any, aws: Settings, warehouse: Warehouse) -> None:
    seed(warehouse)
    with api(aws) as client:
        body, _ = export_csv(client, s3)
        ready = client.get(body["status_url"]).json()
    downloaded = requests.get(ready["url"], timeout=10)
    rows = read_csv(downloaded.content)
    assert [(r["started_at"], r["ms_played"]) for r in rows] == [
        (p["started_at"], p["ms_played"]) for p in stored_plays(warehouse)
    ]


def test_a_failed_export_says_so_with_a_message(
    s3: Any, aws: Settings, warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(warehouse)
    broken = aws.model_copy(update={"database_url": "postgresql://nobody@127.0.0.1:1/none"})
    monkeypatch.setattr(export_function, "settings", lambda: broken)
    with api(aws) as client:
        body, result = export_csv(client, s3)
        status = client.get(body["status_url"]).json()
    assert result["state"] == "failed"
    assert status["state"] == "failed"
    assert status["url"] is None
    assert status["message"] == "The export could not be written (OperationalError). Try again."
    stored = json.loads(
        s3.get_object(Bucket=BUCKET, Key=export_status_key(ME, body["export_id"]))["Body"].read()
    )
    assert stored["state"] == "failed"
    # No file was put for it.
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix="exports/")["Contents"]
    assert sorted(item["Key"].rsplit("/", 1)[1] for item in listed) == [
        "request.json",
        "status.json",
    ]


def test_a_request_the_function_never_finished_fails_once_its_time_is_up(
    s3: Any, aws: Settings, warehouse: Warehouse
) -> None:
    seed(warehouse)
    now = [NOW]
    with api(aws, clock=lambda: now[0]) as client:
        body = client.get("/api/v1/exports/plays.csv").json()
        now[0] = NOW + export_jobs.EXPORT_TIME_LIMIT
        assert client.get(body["status_url"]).json()["state"] == "pending"
        now[0] = NOW + export_jobs.EXPORT_TIME_LIMIT + timedelta(minutes=2)
        late = client.get(body["status_url"]).json()
    assert late["state"] == "failed"
    assert late["message"] == "The export did not finish in time."


def test_another_users_export_is_not_found(s3: Any, aws: Settings, warehouse: Warehouse) -> None:
    seed(warehouse)
    with api(aws) as client:
        body, _ = export_csv(client, s3)
        assert client.get(body["status_url"]).json()["state"] == "ready"
        assert client.get("/api/v1/exports/not-an-id").json() == {
            "detail": "No API endpoint at /api/v1/exports/not-an-id"
        }
        unknown = "0b0e8a4e-5d2c-4c52-9a51-7f0f6b1c2d3e"
        assert client.get(f"/api/v1/exports/{unknown}").status_code == 404
    with api(aws.model_copy(update={"user_id": FRIEND})) as theirs:
        answer = theirs.get(body["status_url"])
    assert answer.status_code == 404
    assert answer.json() == {"detail": "No such export"}


def test_the_function_ignores_keys_the_api_does_not_write(aws: Settings) -> None:
    for key in ("exports/user=me/x/request.json", f"exports/user={ME}/a/b/status.json"):
        assert export_function.handler({"request_key": key}, CONTEXT) == {"ignored": key}


def test_the_settings_json_is_answered_directly_on_aws(aws: Settings, warehouse: Warehouse) -> None:
    seed(warehouse)
    with api(aws) as client:
        answer = client.get("/api/v1/exports/settings.json")
    assert answer.status_code == 200
    assert answer.json()["time_zone"] == "America/New_York"


def test_locally_the_plays_export_is_still_the_download(
    settings: Settings, warehouse: Warehouse
) -> None:
    seed(warehouse)
    assert not settings.lake_bucket
    with api(settings) as client:
        answer = client.get("/api/v1/exports/plays.csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert len(read_csv(answer.content)) == 5
