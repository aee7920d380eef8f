"""The HTTP API against a real, seeded PostgreSQL: numbers, ranking, ranges, errors, shells.

The user "me" lives in America/New_York (UTC-5 in January), so local days end at 05:00 UTC.
"""

from __future__ import annotations

import importlib
import json
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psycopg2
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.openapi import openapi_json
from etl.core.lake import lake_from_settings
from etl.core.settings import Settings
from etl.core.state import StateStore
from etl.imports.presign import ACCEPTED_SUFFIXES, MAX_UPLOAD_BYTES
from tests.integration.api_calls import StartApp, get_json, refusals
from tests.integration.warehouse import FRIEND, ME, Warehouse

ALBUM_IMAGE = "https://i.scdn.co/image/alpha"


def seed(warehouse: Warehouse) -> None:
    warehouse.user(ME, "America/New_York")
    warehouse.user(FRIEND, "UTC")
    for artist_id, name in [("a1", "Aurora"), ("a2", "Bonobo"), ("a3", "Caribou"), ("a4", "Delta")]:
        warehouse.artist(artist_id, name)
    warehouse.album("al1", "Alpha", ALBUM_IMAGE)
    warehouse.track("t1", "First Song", "al1", ["a2", "a1"])  # two artists, credit order
    warehouse.track("t2", "Second Song", "al1", ["a3"])
    warehouse.track("t3", "Third Song", None, ["a1"])  # no album
    warehouse.track("t4", "Also Ran", "al1", ["a4"])
    warehouse.episode("e1", "An Episode")

    # Local 2024-01-01
    warehouse.play("2024-01-01T15:00:00+00:00", 200_000, track="t1")
    warehouse.play("2024-01-01T16:00:00+00:00", 5_000, track="t2", skipped=True)  # short skip
    warehouse.play("2024-01-01T17:00:00+00:00", 1_800_000, episode="e1")
    # 23:50 local on Jan 1, ends 00:10 on Jan 2 (and is Jan 2 in UTC): belongs to Jan 1.
    warehouse.play("2024-01-02T04:50:00+00:00", 1_200_000, track="t1")
    # Local 2024-01-02
    warehouse.play("2024-01-02T15:00:00+00:00", 180_000, track="t3")
    warehouse.play("2024-01-02T16:00:00+00:00", 65_000, track="t3")
    # Local 2024-01-03
    warehouse.play("2024-01-03T15:00:00+00:00", 240_000, track="t2")
    warehouse.play("2024-01-03T16:00:00+00:00", 245_000, track="t4")
    # Someone else's listening never shows up in "me"'s answers.
    warehouse.play("2024-01-01T12:00:00+00:00", 9_000_000, track="t4", user_id=FRIEND)

    warehouse.refresh()

    # Daily mood rows as the apply step would leave them with features known (music only),
    # in place of those computed from the plays above, whose tracks have none.
    warehouse.execute("DELETE FROM agg_daily_mood", ())
    warehouse.mood_day("2023-12-31", 400, 400, 0.75, 0.5)  # a Sunday
    warehouse.mood_day("2024-01-01", 1000, 800, 0.5, 0.25, plays=3)  # a Monday
    warehouse.mood_day("2024-01-03", 500, 200, 1.0, 0.5, plays=2)
    warehouse.mood_day("2024-01-08", 300, 0, None, None)  # no features known
    warehouse.mood_day("2024-02-15", 100, 100, 0.25, 0.75)
    warehouse.mood_day("2024-01-01", 777, 777, 0.1, 0.1, user_id=FRIEND)
    warehouse.conn.commit()


@pytest.fixture
def client(warehouse: Warehouse, start_app: StartApp) -> TestClient:
    seed(warehouse)
    return start_app()


# --- summary ---------------------------------------------------------------------------


def test_summary_of_all_time_counts_music_and_episodes(client: TestClient) -> None:
    assert get_json(client, "/api/v1/summary") == {
        "from": None,
        "to": None,
        "plays": 8,
        "listening_ms": 200_000
        + 5_000
        + 1_800_000
        + 1_200_000
        + 180_000
        + 65_000
        + 240_000
        + 245_000,
        "distinct_tracks": 4,
        "distinct_artists": 4,
        "distinct_episodes": 1,
        "first_played_at": "2024-01-01T15:00:00Z",
        "last_played_at": "2024-01-03T16:00:00Z",
    }


def test_summary_cuts_days_in_the_users_time_zone(client: TestClient) -> None:
    day = get_json(client, "/api/v1/summary", **{"from": "2024-01-01", "to": "2024-01-01"})
    assert day == {
        "from": "2024-01-01",
        "to": "2024-01-01",
        "plays": 4,  # includes the play that starts at 23:50 local
        "listening_ms": 200_000 + 5_000 + 1_800_000 + 1_200_000,
        "distinct_tracks": 2,
        "distinct_artists": 3,  # Bonobo and Aurora through t1, Caribou through t2
        "distinct_episodes": 1,
        "first_played_at": "2024-01-01T15:00:00Z",
        "last_played_at": "2024-01-02T04:50:00Z",
    }
    next_day = get_json(client, "/api/v1/summary", **{"from": "2024-01-02", "to": "2024-01-02"})
    assert (next_day["plays"], next_day["listening_ms"]) == (2, 245_000)
    assert (next_day["distinct_artists"], next_day["distinct_episodes"]) == (1, 0)


def test_summary_bounds_may_be_open(client: TestClient) -> None:
    since = get_json(client, "/api/v1/summary", **{"from": "2024-01-03"})
    assert (since["plays"], since["listening_ms"], since["to"]) == (2, 485_000, None)
    until = get_json(client, "/api/v1/summary", to="2024-01-01")
    assert (until["plays"], until["listening_ms"], until["from"]) == (4, 3_205_000, None)


def test_summary_of_an_empty_range_is_zero(client: TestClient) -> None:
    empty = get_json(client, "/api/v1/summary", **{"from": "2025-01-01", "to": "2025-12-31"})
    assert empty["plays"] == empty["listening_ms"] == empty["distinct_artists"] == 0
    assert empty["first_played_at"] is None
    assert empty["last_played_at"] is None


# --- top tracks and artists ------------------------------------------------------------


def test_top_tracks_rank_by_listening_time_then_plays_then_name(client: TestClient) -> None:
    items = get_json(client, "/api/v1/top_tracks")["items"]
    assert items[0] == {
        "rank": 1,
        "track_id": "t1",
        "name": "First Song",
        "artists": ["Bonobo", "Aurora"],
        "artist_ids": ["a2", "a1"],
        "album_id": "al1",
        "album": "Alpha",
        "image_url": ALBUM_IMAGE,
        "plays": 2,
        "listening_ms": 1_400_000,
    }
    # t2, t3 and t4 all total 245 000 ms: t2 and t3 (2 plays) before t4 (1 play, though
    # "Also Ran" sorts first), and "Second Song" before "Third Song" by name.
    assert [(i["rank"], i["track_id"], i["plays"], i["listening_ms"]) for i in items] == [
        (1, "t1", 2, 1_400_000),
        (2, "t2", 2, 245_000),  # the 5 s skip counts with its ms_played
        (3, "t3", 2, 245_000),
        (4, "t4", 1, 245_000),
    ]
    third = items[2]
    assert (third["album"], third["image_url"], third["artists"]) == (None, None, ["Aurora"])


def test_top_tracks_filter_dates_and_limit(client: TestClient) -> None:
    window = {"from": "2024-01-02", "to": "2024-01-03"}
    items = get_json(client, "/api/v1/top_tracks", **window)["items"]
    assert [(i["track_id"], i["plays"], i["listening_ms"]) for i in items] == [
        ("t3", 2, 245_000),
        ("t4", 1, 245_000),
        ("t2", 1, 240_000),
    ]
    limited = get_json(client, "/api/v1/top_tracks", limit=2)["items"]
    assert [(i["rank"], i["track_id"]) for i in limited] == [(1, "t1"), (2, "t2")]


def test_top_artists_credit_every_artist_of_a_track(client: TestClient) -> None:
    items = get_json(client, "/api/v1/top_artists")["items"]
    assert items == [
        {"rank": 1, "artist_id": "a1", "name": "Aurora", "plays": 4, "listening_ms": 1_645_000},
        {"rank": 2, "artist_id": "a2", "name": "Bonobo", "plays": 2, "listening_ms": 1_400_000},
        {"rank": 3, "artist_id": "a3", "name": "Caribou", "plays": 2, "listening_ms": 245_000},
        {"rank": 4, "artist_id": "a4", "name": "Delta", "plays": 1, "listening_ms": 245_000},
    ]
    first_day = {"from": "2024-01-01", "to": "2024-01-01", "limit": 1}
    assert get_json(client, "/api/v1/top_artists", **first_day)["items"] == [
        {"rank": 1, "artist_id": "a1", "name": "Aurora", "plays": 2, "listening_ms": 1_400_000}
    ]


def test_top_lists_are_empty_without_plays(client: TestClient) -> None:
    empty = {"from": "2020-01-01", "to": "2020-01-31"}
    nothing = {"by": "listening_time", "offset": 0, "total": 0, "items": []}
    assert get_json(client, "/api/v1/top_tracks", **empty) == nothing
    assert get_json(client, "/api/v1/top_artists", **empty) == nothing


def ranking(client: TestClient, path: str, **params: object) -> tuple[str, list[tuple[Any, ...]]]:
    body = get_json(client, path, **params)
    key = "track_id" if path.endswith("tracks") else "artist_id"
    return body["by"], [(i["rank"], i[key], i["plays"], i["listening_ms"]) for i in body["items"]]


def test_top_lists_rank_by_plays_or_by_listening_time(
    client: TestClient, warehouse: Warehouse
) -> None:
    # Local 2024-01-03: three short plays of t4, one short of t2, one long of t3.
    for hour in (17, 18, 19):
        warehouse.play(f"2024-01-03T{hour}:00:00+00:00", 10_000, track="t4")
    warehouse.play("2024-01-03T20:00:00+00:00", 1_000, track="t2")
    warehouse.play("2024-01-03T21:00:00+00:00", 50_000, track="t3")
    warehouse.refresh()

    tracks = "/api/v1/top_tracks"
    by_time = [(1, "t1", 2, 1_400_000), (2, "t3", 3, 295_000), (3, "t4", 4, 275_000)]
    assert ranking(client, tracks, limit=3) == ("listening_time", by_time)
    assert ranking(client, tracks, limit=3, by="listening_time") == ("listening_time", by_time)
    # "Third Song" before "Second Song" on equal plays: listening time decides before names.
    assert ranking(client, tracks, by="plays") == (
        "plays",
        [
            (1, "t4", 4, 275_000),
            (2, "t3", 3, 295_000),
            (3, "t2", 3, 246_000),
            (4, "t1", 2, 1_400_000),
        ],
    )

    artists = "/api/v1/top_artists"
    assert ranking(client, artists) == (
        "listening_time",
        [
            (1, "a1", 5, 1_695_000),
            (2, "a2", 2, 1_400_000),
            (3, "a4", 4, 275_000),
            (4, "a3", 3, 246_000),
        ],
    )
    assert ranking(client, artists, by="plays") == (
        "plays",
        [
            (1, "a1", 5, 1_695_000),
            (2, "a4", 4, 275_000),
            (3, "a3", 3, 246_000),
            (4, "a2", 2, 1_400_000),
        ],
    )
    window = {"from": "2024-01-03", "to": "2024-01-03", "by": "plays", "limit": 1}
    assert ranking(client, tracks, **window) == ("plays", [(1, "t4", 4, 275_000)])

    spec = get_json(client, "/openapi.json")
    for path in (tracks, artists):
        (by,) = [p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == "by"]
        assert "ties go to the other measure" in by["description"]
        measure = spec["components"]["schemas"][by["schema"]["$ref"].rsplit("/", 1)[1]]
        assert (measure["enum"], by["schema"].get("default")) == (
            ["plays", "listening_time"],
            "listening_time",
        )


# --- mood ------------------------------------------------------------------------------


def calendar_days(body: dict[str, Any]) -> list[str]:
    return [day["date"] for day in body["days"]]


def test_mood_calendar_of_a_year(client: TestClient) -> None:
    body = get_json(client, "/api/v1/mood/calendar", year=2024)
    assert (body["from"], body["to"]) == ("2024-01-01", "2024-12-31")
    assert calendar_days(body) == ["2024-01-01", "2024-01-03", "2024-01-08", "2024-02-15"]
    assert body["days"][0] == {
        "date": "2024-01-01",
        "plays": 3,
        "listening_ms": 1000,
        "valence": 0.5,
        "energy": 0.25,
        "coverage": 0.8,
    }
    assert body["days"][2]["valence"] is None
    assert body["days"][2]["coverage"] == 0


def test_mood_calendar_defaults_to_the_year_up_to_the_last_play(client: TestClient) -> None:
    # The last play starts 2024-01-03 11:00 local; the aggregate rows after it (seeded
    # without plays) fall outside the default window.
    body = get_json(client, "/api/v1/mood/calendar")
    assert (body["from"], body["to"]) == ("2023-01-04", "2024-01-03")
    assert calendar_days(body) == ["2023-12-31", "2024-01-01", "2024-01-03"]


def test_mood_calendar_of_a_date_range(client: TestClient) -> None:
    body = get_json(client, "/api/v1/mood/calendar", **{"from": "2024-01-02", "to": "2024-01-08"})
    assert calendar_days(body) == ["2024-01-03", "2024-01-08"]
    leap_year = {"from": "2024-01-01", "to": "2024-12-31"}  # 366 days: the most allowed
    assert len(get_json(client, "/api/v1/mood/calendar", **leap_year)["days"]) == 4
    open_end = get_json(client, "/api/v1/mood/calendar", **{"from": "2024-01-01"})
    assert open_end["to"] == "2024-12-30"  # 365 days


def test_mood_calendar_without_the_user_ends_today_in_the_default_zone(
    settings: Settings,
) -> None:
    zone = "Pacific/Kiritimati"  # UTC+14: at 11:00 UTC it is already tomorrow there
    now = datetime(2031, 3, 9, 11, 0, tzinfo=UTC)
    app = create_app(
        settings.model_copy(update={"user_id": "nobody", "time_zone": zone}), clock=lambda: now
    )
    body = get_json(TestClient(app), "/api/v1/mood/calendar")
    assert (body["from"], body["to"]) == ("2030-03-11", "2031-03-10")
    assert body["days"] == []


def test_mood_trends_weight_days_by_featured_time(client: TestClient) -> None:
    body = get_json(client, "/api/v1/mood/trends")
    assert body["granularity"] == "week"
    assert body["points"] == [
        # Sunday 2023-12-31 belongs to the week starting Monday 2023-12-25.
        {
            "period_start": "2023-12-25",
            "valence": 0.75,
            "energy": 0.5,
            "coverage": 1.0,
            "listening_ms": 400,
        },
        # (0.5·800 + 1.0·200) / 1000 and (0.25·800 + 0.5·200) / 1000; 1000 of 1500 ms.
        {
            "period_start": "2024-01-01",
            "valence": pytest.approx(0.6),
            "energy": pytest.approx(0.3),
            "coverage": pytest.approx(2 / 3),
            "listening_ms": 1500,
        },
        {
            "period_start": "2024-01-08",
            "valence": None,
            "energy": None,
            "coverage": 0.0,
            "listening_ms": 300,
        },
        {
            "period_start": "2024-02-12",
            "valence": 0.25,
            "energy": 0.75,
            "coverage": 1.0,
            "listening_ms": 100,
        },
    ]


def test_mood_trends_by_month_and_by_day(client: TestClient) -> None:
    months = get_json(client, "/api/v1/mood/trends", granularity="month")["points"]
    assert [p["period_start"] for p in months] == ["2023-12-01", "2024-01-01", "2024-02-01"]
    january = months[1]
    assert january["valence"] == pytest.approx(0.6)
    assert january["coverage"] == pytest.approx(1000 / 1800)
    assert january["listening_ms"] == 1800

    window = {"from": "2024-01-01", "to": "2024-01-07", "granularity": "day"}
    days = get_json(client, "/api/v1/mood/trends", **window)
    assert days["granularity"] == "day"
    assert [(p["period_start"], p["valence"]) for p in days["points"]] == [
        ("2024-01-01", 0.5),
        ("2024-01-03", 1.0),
    ]


# --- validation ------------------------------------------------------------------------


BAD_PARAMETERS: list[tuple[str, dict[str, object], str]] = [
    ("/api/v1/summary", {"from": "2024-13-01"}, "month value is outside expected range"),
    ("/api/v1/summary", {"to": "yesterday"}, "expected a date as YYYY-MM-DD"),
    ("/api/v1/top_tracks", {"from": "2024-1-1"}, "expected a date as YYYY-MM-DD"),
    ("/api/v1/mood/trends", {"to": "2024-02-30"}, "day value is outside expected range"),
    (
        "/api/v1/summary",
        {"from": "2024-02-01", "to": "2024-01-01"},
        "`to` (2024-01-01) is before `from` (2024-02-01)",
    ),
    (
        "/api/v1/mood/calendar",
        {"from": "2024-02-01", "to": "2024-01-01"},
        "`to` (2024-01-01) is before `from` (2024-02-01)",
    ),
    ("/api/v1/top_tracks", {"limit": 0}, "greater than or equal to 1"),
    ("/api/v1/top_artists", {"limit": 101}, "less than or equal to 100"),
    ("/api/v1/top_tracks", {"limit": "ten"}, "valid integer"),
    ("/api/v1/mood/trends", {"granularity": "year"}, "'day', 'week' or 'month'"),
    ("/api/v1/top_tracks", {"by": "rank"}, "'plays' or 'listening_time'"),
    ("/api/v1/top_artists", {"by": ""}, "'plays' or 'listening_time'"),
    ("/api/v1/mood/calendar", {"year": 1899}, "greater than or equal to 1900"),
    ("/api/v1/mood/calendar", {"year": 2101}, "less than or equal to 2100"),
    (
        "/api/v1/mood/calendar",
        {"from": "2023-01-01", "to": "2024-01-02"},
        "spans 367 days; at most 366 are allowed",
    ),
    (
        "/api/v1/mood/calendar",
        {"year": 2024, "from": "2024-01-01"},
        "give either `year` or `from`/`to`, not both",
    ),
    (
        "/api/v1/mood/calendar",
        {"year": 2024, "to": "2024-03-01"},
        "give either `year` or `from`/`to`, not both",
    ),
]


def test_bad_parameters_answer_422(client: TestClient, subtests: pytest.Subtests) -> None:
    for path, params, message in BAD_PARAMETERS:
        with subtests.test(msg=f"{path} {params}"):
            messages = [text for _, text in refusals(client, path, **params)]
            assert any(message in text for text in messages), messages


# --- health, shells, static site -------------------------------------------------------


def test_healthz_reports_the_database(client: TestClient, settings: Settings) -> None:
    assert get_json(client, "/healthz") == {"status": "ok", "database": "ok"}
    unreachable = settings.model_copy(update={"database_url": "postgresql://x@127.0.0.1:9/x"})
    response = TestClient(create_app(unreachable)).get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_api_errors_answer_503_when_the_database_is_down(settings: Settings) -> None:
    unreachable = settings.model_copy(update={"database_url": "postgresql://x@127.0.0.1:9/x"})
    response = TestClient(create_app(unreachable)).get("/api/v1/summary")
    assert response.status_code == 503
    assert response.json() == {"detail": "The database is unavailable."}


def test_a_dropped_pooled_connection_is_replaced(client: TestClient, database_dsn: str) -> None:
    before = get_json(client, "/api/v1/summary")
    admin = psycopg2.connect(database_dsn)
    admin.autocommit = True
    with admin.cursor() as cur:  # what a database restart or failover does to the pool
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cur.rowcount >= 1
    admin.close()
    assert get_json(client, "/api/v1/summary") == before


def test_unknown_api_paths_answer_json_404(client: TestClient) -> None:
    response = client.get("/api/unknown")
    assert response.status_code == 404
    assert response.json() == {"detail": "No API endpoint at /api/unknown"}
    assert client.post("/api/v1/summary").status_code == 405


def test_openapi_documents_the_endpoints(client: TestClient) -> None:
    spec = get_json(client, "/openapi.json")
    assert spec["info"]["title"] == "Moodify API"
    assert set(spec["paths"]) == {
        "/api/v1/summary",
        "/api/v1/top_tracks",
        "/api/v1/top_artists",
        "/api/v1/top_albums",
        "/api/v1/top_shows",
        "/api/v1/top_audiobooks",
        "/api/v1/clock",
        "/api/v1/recent",
        "/api/v1/search",
        "/api/v1/tracks/{track_id}",
        "/api/v1/artists/{artist_id}",
        "/api/v1/albums/{album_id}",
        "/api/v1/shows",
        "/api/v1/sessions",
        "/api/v1/streaks",
        "/api/v1/discoveries",
        "/api/v1/recap",
        "/api/v1/skips",
        "/api/v1/devices",
        "/api/v1/podcasts",
        "/api/v1/mood/calendar",
        "/api/v1/mood/trends",
        "/api/v1/genres/top",
        "/api/v1/genres/trend",
        "/api/v1/providers",
        "/api/v1/providers/{kind}/refetch",
        "/api/v1/exclusions",
        "/api/v1/exclusions/preview",
        "/api/v1/exclusions/{rule_id}",
        "/api/v1/erasure/plays",
        "/api/v1/erasure/everything",
        "/api/v1/sharing",
        "/api/v1/compare",
        "/api/v1/compare/{friend_user_id}",
        "/api/v1/me",
        "/api/v1/settings",
        "/api/v1/imports",
        "/api/v1/imports/{import_id}",
        "/api/v1/imports/{import_id}/file",
        "/api/v1/exports/plays.csv",
        "/api/v1/exports/plays.parquet",
        "/api/v1/exports/settings.json",
        "/api/v1/exports/{export_id}",
        "/auth/login",
        "/auth/callback",
        "/auth/logout",
        "/auth/logout-everywhere",
        "/healthz",
    }
    # Every read of the listening history answers a refused range with a 422, as documented
    # (a read without parameters, such as the user's own, has nothing to refuse).
    for path, operations in spec["paths"].items():
        if path.startswith("/api/v1/") and "get" in operations:
            get = operations["get"]
            assert get["summary"], path
            assert get["description"], path
            assert ("422" in get["responses"]) == bool(get.get("parameters")), path
    artists = spec["paths"]["/api/v1/top_artists"]["get"]
    assert "credits every artist" in artists["description"]
    assert "from" in spec["components"]["schemas"]["Summary"]["properties"]
    assert client.get("/docs").status_code == 200


def test_openapi_script_prints_the_served_document_with_the_upload_limits(
    client: TestClient,
) -> None:
    printed = json.loads(openapi_json())
    assert printed == get_json(client, "/openapi.json")
    request = printed["components"]["schemas"]["ImportRequest"]["properties"]
    assert request["size_bytes"]["maximum"] == MAX_UPLOAD_BYTES
    assert request["file_name"]["x-accepted-suffixes"] == list(ACCEPTED_SUFFIXES)


def test_mangum_handler_answers_an_http_api_event(
    warehouse: Warehouse, database_dsn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(warehouse)
    monkeypatch.setenv("DATABASE_URL", database_dsn)
    monkeypatch.setenv("MOODIFY_USER_ID", ME)
    monkeypatch.delitem(sys.modules, "api.handler", raising=False)
    handler = importlib.import_module("api.handler").handler
    event = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": "/api/v1/summary",
        "rawQueryString": "from=2024-01-01&to=2024-01-01",
        "cookies": ["theme=dark"],
        "headers": {
            "accept": "application/json",
            "host": "abc123.execute-api.eu-west-1.amazonaws.com",
            "user-agent": "Mozilla/5.0",
            "x-forwarded-for": "198.51.100.7",
            "x-forwarded-port": "443",
            "x-forwarded-proto": "https",
        },
        "queryStringParameters": {"from": "2024-01-01", "to": "2024-01-01"},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "domainName": "abc123.execute-api.eu-west-1.amazonaws.com",
            "domainPrefix": "abc123",
            "http": {
                "method": "GET",
                "path": "/api/v1/summary",
                "protocol": "HTTP/1.1",
                "sourceIp": "198.51.100.7",
                "userAgent": "Mozilla/5.0",
            },
            "requestId": "JKJaXmPLvHcESHA=",
            "routeKey": "$default",
            "stage": "$default",
            "time": "10/Mar/2024:12:00:00 +0000",
            "timeEpoch": 1710072000000,
        },
        "isBase64Encoded": False,
    }
    context = SimpleNamespace(aws_request_id="req-1", function_name="moodify-api")
    response = handler(event, context)
    assert response["statusCode"] == 200
    assert response["headers"]["content-type"] == "application/json"
    body = json.loads(response["body"])
    assert (body["from"], body["plays"], body["listening_ms"]) == ("2024-01-01", 4, 3_205_000)


def test_serves_the_static_dashboard_after_the_api(
    settings: Settings, warehouse: Warehouse, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    (site / "mood").mkdir(parents=True)
    (site / "index.html").write_text("<h1>home</h1>")
    (site / "mood" / "index.html").write_text("<h1>mood</h1>")
    (site / "404.html").write_text("<h1>lost</h1>")
    seed(warehouse)
    client = TestClient(create_app(settings, site_dir=site))

    assert client.get("/").text == "<h1>home</h1>"
    assert client.get("/mood/").text == "<h1>mood</h1>"
    assert client.get("/mood", follow_redirects=False).status_code in {307, 308}
    missing = client.get("/nowhere")
    assert (missing.status_code, missing.text) == (404, "<h1>lost</h1>")
    assert get_json(client, "/healthz")["database"] == "ok"
    assert get_json(client, "/api/v1/summary")["plays"] == 8
    assert "swagger" in client.get("/docs").text.lower()
    unknown = client.get("/api/v1/nothing")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/json"

    # What is sent is compressed, as CloudFront compresses it on AWS; small answers are not.
    (site / "app.js").write_text("console.log('moodify');\n" * 200)
    script = client.get("/app.js", headers={"Accept-Encoding": "gzip"})
    assert script.headers["content-encoding"] == "gzip"
    assert script.text == "console.log('moodify');\n" * 200
    openapi = client.get("/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert openapi.headers["content-encoding"] == "gzip"
    tiny = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in tiny.headers


def test_me_reports_the_time_zone_and_whether_the_history_was_generated(
    client: TestClient, settings: Settings
) -> None:
    me = get_json(client, "/api/v1/me")
    assert (me["user_id"], me["time_zone"], me["demo"]) == (ME, "America/New_York", False)
    assert me["sign_in"]["state"] == "not_connected"  # no Spotify app: nobody signs in

    state = StateStore(lake_from_settings(settings))
    state.put_user(replace(state.user(ME), generated=True))  # as `moodify demo` marks it
    assert get_json(client, "/api/v1/me")["demo"] is True

    stranger = TestClient(create_app(settings.model_copy(update={"user_id": "nobody"})))
    assert get_json(stranger, "/api/v1/me")["time_zone"] == settings.time_zone


def test_answers_are_scoped_to_the_current_user(settings: Settings, warehouse: Warehouse) -> None:
    seed(warehouse)
    friend = TestClient(create_app(settings.model_copy(update={"user_id": FRIEND})))
    summary = get_json(friend, "/api/v1/summary")
    assert (summary["plays"], summary["listening_ms"]) == (1, 9_000_000)
    tracks = get_json(friend, "/api/v1/top_tracks")["items"]
    assert [(t["track_id"], t["plays"]) for t in tracks] == [("t4", 1)]
    calendar = get_json(friend, "/api/v1/mood/calendar", year=2024)
    assert [(d["date"], d["listening_ms"]) for d in calendar["days"]] == [("2024-01-01", 777)]
