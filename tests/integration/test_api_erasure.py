"""The erasure API: a range of days (counted first, then erased), and everything of the
signed-in user behind a typed confirmation."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from etl.core.keys import PREFIXES
from etl.core.settings import Settings
from etl.imports.importer import import_export
from etl.pipeline.context import PipelineContext
from tests.integration.api_calls import StartApp, get_json
from tests.integration.test_erasure import DAYS, _records
from tests.integration.test_import_pipeline import write_history

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)


@pytest.fixture
def client(settings: Settings, start_app: StartApp, tmp_path: Path) -> TestClient:
    """The demo user's history: two plays a day from 2024-04-01 to 2024-04-06."""
    folder = tmp_path / "export"
    write_history(folder, "Streaming_History_Audio_2024_0.json", _records(DAYS))
    import_export(folder, PipelineContext.from_settings(settings, lambda: NOW), settings.user_id)
    return start_app(NOW)


def _erase(client: TestClient, **body: Any) -> Any:
    response = client.post("/api/v1/erasure/plays", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def _refusals(client: TestClient, path: str, body: Any) -> list[tuple[str, str]]:
    response = client.post(path, json=body)
    assert response.status_code == 422, response.text
    return [(str(error["loc"][-1]), error["msg"]) for error in response.json()["detail"]]


def test_a_range_is_counted_then_erased_and_the_totals_drop(client: TestClient) -> None:
    before = get_json(client, "/api/v1/summary")
    days = {"from": "2024-04-02", "to": "2024-04-03"}
    in_range = get_json(client, "/api/v1/summary", **days)

    counted = _erase(client, **days, dry_run=True)
    assert get_json(client, "/api/v1/summary") == before  # a dry run erases nothing
    erased = _erase(client, **days)

    expected = {**days, "plays": 4, "listening_ms": in_range["listening_ms"]}
    assert counted == {**expected, "erased": False}
    assert erased == {**expected, "erased": True}
    after = get_json(client, "/api/v1/summary")
    assert after["plays"] == before["plays"] - 4
    assert after["listening_ms"] == before["listening_ms"] - in_range["listening_ms"]
    assert get_json(client, "/api/v1/summary", **days)["plays"] == 0
    assert _erase(client, **days)["plays"] == 0  # again: nothing left to erase


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"from": "2024-04-03", "to": "2024-04-02"}, "to"),  # ends before it starts
        ({"from": "2024-05-30", "to": "2024-06-02"}, "to"),  # after today
        ({"from": "2024-4-2", "to": "2024-04-03"}, "from"),  # not YYYY-MM-DD
        ({"to": "2024-04-03"}, "from"),  # missing
        ({"from": "2024-04-02", "to": "2024-04-03", "all": True}, "all"),  # unknown field
    ],
    ids=["reversed", "future", "bad-date", "missing", "unknown-field"],
)
def test_a_bad_range_is_refused_and_nothing_erased(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    before = get_json(client, "/api/v1/summary")
    assert [name for name, _ in _refusals(client, "/api/v1/erasure/plays", body)] == [field]
    assert get_json(client, "/api/v1/summary") == before


def test_today_can_be_erased_up_to_now(client: TestClient) -> None:
    assert _erase(client, **{"from": "2024-06-01", "to": "2024-06-01"})["erased"] is True


@pytest.mark.parametrize("confirm", ["", "Me", "someone", " "])
def test_deleting_everything_needs_the_user_typed_out(
    client: TestClient, settings: Settings, confirm: str
) -> None:
    before = get_json(client, "/api/v1/summary")
    refused = _refusals(client, "/api/v1/erasure/everything", {"confirm": confirm})
    assert [name for name, _ in refused] == ["confirm"]
    assert _refusals(client, "/api/v1/erasure/everything", {}) == [("confirm", "Field required")]
    assert get_json(client, "/api/v1/summary") == before


def test_deleting_everything_deletes_the_users_data_and_the_session_cookie(
    client: TestClient, settings: Settings
) -> None:
    response = client.post("/api/v1/erasure/everything", json={"confirm": settings.user_id})

    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["rows"]["fact_plays"] == 12
    assert answer["rows"]["users"] == 1
    assert answer["refresh_token"] == "none"  # the demo never signed in
    assert answer["lake_objects"] > 0
    assert 'moodify_session=""' in response.headers["set-cookie"]
    assert get_json(client, "/api/v1/summary")["plays"] == 0
    lake = PipelineContext.from_settings(settings).lake
    assert [
        key for prefix in PREFIXES for key in lake.keys(prefix) if f"={settings.user_id}/" in key
    ] == []
