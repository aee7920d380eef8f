"""Search across a user's tracks, artists, albums and shows, on a warehouse filled by hand.

"me" lives in Europe/Berlin (UTC+1 in January): local days start at 23:00 UTC.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.api_calls import StartApp, get_json, refusals
from tests.integration.warehouse import FRIEND, ME, Warehouse

MINUTE = 60_000


def seed(warehouse: Warehouse) -> None:
    warehouse.user(ME, "Europe/Berlin")
    warehouse.user(FRIEND, "UTC")
    warehouse.artist("beyonce", "Beyoncé")
    warehouse.artist("name:sigur ros", "SIGUR RÓS")  # a provisional key, as exports give
    warehouse.artist("bonobo", "Bonobo")
    warehouse.album("agaetis", "Ágætis byrjun", "https://i.scdn.co/image/agaetis")
    warehouse.album("lemonade", "Lemonade", None)
    warehouse.track("t-halo", "Halo", "lemonade", ["beyonce"])
    warehouse.track("t-hold", "Hold Up", "lemonade", ["beyonce"])
    warehouse.track("t-svefn", "Svefn-g-englar", "agaetis", ["name:sigur ros"])
    warehouse.track("t-pure", "100% Pure", None, ["bonobo"])
    warehouse.track("t-kerala", "Kerala", None, ["bonobo"])
    warehouse.episode("e1", "Monday's episode", show="The Daily")
    warehouse.episode("c1", "Chapter 1", show="The Daily Stoic", kind="chapter")

    warehouse.play("2024-01-01T10:00:00+00:00", 3 * MINUTE, track="t-halo")
    warehouse.play("2024-01-01T11:00:00+00:00", 3 * MINUTE, track="t-halo")
    warehouse.play("2024-01-01T12:00:00+00:00", 4 * MINUTE, track="t-hold")
    # 23:30 UTC on Jan 1 is 00:30 on Jan 2 in Berlin.
    warehouse.play("2024-01-01T23:30:00+00:00", 10 * MINUTE, track="t-svefn")
    warehouse.play("2024-01-03T09:00:00+00:00", 2 * MINUTE, track="t-pure")
    warehouse.play("2024-01-03T10:00:00+00:00", 30 * MINUTE, episode="e1")
    warehouse.play("2024-01-03T11:00:00+00:00", 20 * MINUTE, episode="c1")
    # Only the friend played Kerala: it is not one of "me"'s.
    warehouse.play("2024-01-03T12:00:00+00:00", 5 * MINUTE, track="t-kerala", user_id=FRIEND)
    warehouse.refresh()


@pytest.fixture
def client(warehouse: Warehouse, start_app: StartApp) -> TestClient:
    seed(warehouse)
    return start_app()


def search(client: TestClient, q: str, **params: object) -> Any:
    return get_json(client, "/api/v1/search", q=q, **params)


def names(results: Any) -> dict[str, list[str]]:
    kinds = ("tracks", "artists", "albums", "shows")
    return {kind: [hit["name"] for hit in results[kind]] for kind in kinds if results[kind]}


def test_names_match_without_case_or_accents(client: TestClient) -> None:
    assert names(search(client, "beyonce")) == {"artists": ["Beyoncé"]}
    assert names(search(client, "Sigur Ros")) == {"artists": ["SIGUR RÓS"]}
    assert names(search(client, "agaetis")) == {"albums": ["Ágætis byrjun"]}


def test_hits_carry_what_their_pages_and_rows_need(client: TestClient) -> None:
    results = search(client, "  ho  ")  # spaces around the words are not part of them
    assert results["query"] == "ho"
    assert [(hit["name"], hit["plays"], hit["listening_ms"]) for hit in results["tracks"]] == [
        ("Hold Up", 1, 4 * MINUTE)
    ]
    sigur = search(client, "sigur")["artists"][0]
    assert sigur == {
        "kind": "artist",
        "id": "name:sigur ros",
        "name": "SIGUR RÓS",
        "detail": None,
        "image_url": None,
        "plays": 1,
        "listening_ms": 10 * MINUTE,
    }
    lemonade = search(client, "lemon")["albums"][0]
    assert (lemonade["id"], lemonade["detail"], lemonade["plays"]) == ("lemonade", "Beyoncé", 3)
    halo = search(client, "halo")["tracks"][0]
    assert (halo["detail"], halo["plays"]) == ("Beyoncé", 2)


def test_shows_and_audiobooks_are_found_by_name(client: TestClient) -> None:
    shows = search(client, "daily")["shows"]
    assert [(hit["kind"], hit["id"], hit["listening_ms"]) for hit in shows] == [
        ("show", "The Daily", 30 * MINUTE),
        ("audiobook", "The Daily Stoic", 20 * MINUTE),
    ]


def test_the_most_played_come_first_up_to_the_limit(client: TestClient) -> None:
    assert names(search(client, "h"))["tracks"] == ["Halo", "Hold Up"]
    assert names(search(client, "h", limit=1))["tracks"] == ["Halo"]


def test_like_wildcards_in_the_query_match_only_themselves(client: TestClient) -> None:
    assert names(search(client, "100%")) == {"tracks": ["100% Pure"]}
    assert names(search(client, "%")) == {"tracks": ["100% Pure"]}
    assert names(search(client, "_")) == {}


def test_only_the_users_plays_within_the_range_count(client: TestClient) -> None:
    assert names(search(client, "kerala")) == {}
    # Svefn-g-englar was played on Jan 2 in Berlin (Jan 1 in UTC).
    assert names(search(client, "svefn", to="2024-01-01")) == {}
    day_two = search(client, "svefn", **{"from": "2024-01-02", "to": "2024-01-02"})
    assert names(day_two) == {"tracks": ["Svefn-g-englar"]}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "x" * 101}, "q"),
        ({"q": "halo", "limit": 0}, "limit"),
        ({"q": "halo", "limit": 51}, "limit"),
        ({"q": "halo", "from": "2024-02-01", "to": "2024-01-01"}, "to"),
    ],
)
def test_bad_values_are_refused_with_the_field_named(
    client: TestClient, params: dict[str, object], field: str
) -> None:
    assert [refused for refused, _ in refusals(client, "/api/v1/search", **params)] == [field]
