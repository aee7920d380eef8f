"""The exclusion rules' API: a rule's effect on the summary is exactly the plays it matches,
removing it restores every answer of the history, answers' ETags change with the rules, and
invalid rules are refused with a message."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from etl.warehouse.exclusions import Rule
from tests.integration.api_calls import StartApp
from tests.integration.test_answers_equal_scan import history_requests, path_with
from tests.integration.test_exclusion_rules import CASES, NOW, PLAYS, fill
from tests.integration.warehouse import FRIEND, Warehouse

RULES = "/api/v1/exclusions"
SUMMARY = "/api/v1/summary"


def body(rule: Rule) -> dict[str, Any]:
    return {name: value for name, value in json.loads(rule.as_json()).items() if value is not None}


def answers(client: TestClient) -> dict[str, bytes]:
    """Every documented GET of the history, with its parameters' choices, answered."""
    found = {}
    for path, params in history_requests(client):
        answer = client.get(path_with(path, params), params=dict(params))
        assert answer.status_code == 200, (path, params, answer.text)
        found[f"{path} {params}"] = answer.content
    return found


@pytest.fixture
def client(warehouse: Warehouse, start_app: StartApp) -> TestClient:
    fill(warehouse)
    return start_app(NOW)


def test_each_rule_takes_exactly_its_plays_out_of_every_answer_and_gives_them_back(
    client: TestClient,
) -> None:
    before = answers(client)
    summary = client.get(SUMMARY)
    for rule, expected in CASES:
        added = client.post(RULES, json=body(rule))
        assert added.status_code == 201, added.text
        stored = added.json()
        matched_ms = sum(PLAYS[label][1] for label in expected)
        assert (stored["matched_plays"], stored["matched_ms"]) == (len(expected), matched_ms)
        assert stored["description"]
        assert client.get(RULES).json()["rules"] == [stored]

        after = client.get(SUMMARY)
        assert after.headers["ETag"] != summary.headers["ETag"]
        dropped = {
            name: summary.json()[name] - after.json()[name] for name in ("plays", "listening_ms")
        }
        assert dropped == {"plays": len(expected), "listening_ms": matched_ms}, rule

        assert client.delete(f"{RULES}/{stored['rule_id']}").status_code == 204
        assert client.get(RULES).json()["rules"] == []
        assert answers(client) == before, rule


def test_a_rule_is_edited_previewed_and_stays_its_users(
    client: TestClient, warehouse: Warehouse
) -> None:
    preview = client.post(f"{RULES}/preview", json={"kind": "artist", "item_id": "a1"})
    assert preview.status_code == 200, preview.text
    assert preview.json()["rule_id"] is None
    assert preview.json()["matched_plays"] == 3
    assert preview.json()["description"] == 'Plays of the artist "Band"'
    assert client.get(RULES).json()["rules"] == []

    stored = client.post(RULES, json={"kind": "artist", "item_id": "a1", "note": "the kids"})
    rule_id = stored.json()["rule_id"]
    listed = client.get(RULES)
    edited = client.put(
        f"{RULES}/{rule_id}",
        json={"kind": "daily", "daily_from": "23:00", "daily_to": "01:00", "weekdays": [7]},
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["matched_plays"] == 1
    assert edited.json()["description"] == "Plays 23:00 to 01:00 on Sun"
    assert edited.json()["note"] is None
    assert client.get(RULES).headers["ETag"] != listed.headers["ETag"]
    assert client.get(SUMMARY).json()["plays"] == len(PLAYS) - 1

    # Another user's rule, or none, is not found.
    warehouse.user(FRIEND, "UTC")
    warehouse.conn.commit()
    with warehouse.conn, warehouse.conn.cursor() as cur:
        cur.execute(
            "INSERT INTO exclusion_rules (user_id, kind, min_seconds, created_at, updated_at) "
            "VALUES (%s, 'shorter_than', 10, %s, %s) RETURNING rule_id",
            (FRIEND, NOW, NOW),
        )
        (friends,) = cur.fetchone()
    for missing in (friends, 999_999):
        assert client.delete(f"{RULES}/{missing}").status_code == 404
        assert (
            client.put(f"{RULES}/{missing}", json={"kind": "track", "item_id": "t1"}).status_code
            == 404
        )
    assert [rule["rule_id"] for rule in client.get(RULES).json()["rules"]] == [rule_id]


@pytest.mark.parametrize(
    ("rule", "field", "message"),
    [
        ({"kind": "genre", "item_id": "x"}, "kind", "Input should be"),
        ({"kind": "artist"}, "item_id", "needs `item_id`"),
        ({"kind": "artist", "item_id": "nobody"}, "item_id", "none of your plays"),
        ({"kind": "album", "item_id": "al1", "min_seconds": 3}, "min_seconds", "takes no"),
        (
            {
                "kind": "window",
                "starts_at": "2026-03-02T00:00:00Z",
                "ends_at": "2026-03-01T00:00:00Z",
            },
            "ends_at",
            "ends before it starts",
        ),
        ({"kind": "window", "starts_at": "2026-03-02T00:00:00"}, "starts_at", "timezone"),
        ({"kind": "daily", "daily_from": "25:00", "daily_to": "07:00"}, "daily_from", "time"),
        ({"kind": "daily", "daily_from": "01:00", "daily_to": "01:00"}, "daily_to", "same time"),
        (
            {"kind": "daily", "daily_from": "01:00", "daily_to": "07:00", "weekdays": [8]},
            "weekdays",
            "less than or equal to 7",
        ),
        ({"kind": "shorter_than", "min_seconds": -5}, "min_seconds", "positive"),
    ],
)
def test_invalid_rules_are_refused_with_a_message(
    client: TestClient, rule: dict[str, Any], field: str, message: str
) -> None:
    for answer in (client.post(RULES, json=rule), client.post(f"{RULES}/preview", json=rule)):
        assert answer.status_code == 422, answer.text
        errors = answer.json()["detail"]
        assert any(field in error["loc"] and message in error["msg"] for error in errors), errors
    assert client.get(RULES).json()["rules"] == []
