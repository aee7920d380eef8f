"""Sessions, streaks and discoveries against a hand-filled warehouse, answers computed by hand.

The user "me" lives in Europe/Berlin: UTC+1 in winter (local midnight is 23:00 UTC), UTC+2
from the end of March.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from tests.integration.api_calls import StartApp, get_json, refusals
from tests.integration.warehouse import FRIEND, ME, Warehouse

MINUTE = 60_000


def seed(warehouse: Warehouse) -> None:
    warehouse.user(ME, "Europe/Berlin")
    warehouse.user(FRIEND, "UTC")
    for artist_id, name in [
        ("a1", "Aurora"),
        ("a2", "Bonobo"),
        ("a3", "Caribou"),
        ("a4", "Delta"),
        ("a5", "Eels"),
    ]:
        warehouse.artist(artist_id, name)
    warehouse.album("al1", "Alpha", "https://i.scdn.co/image/alpha")
    warehouse.track("t1", "One", "al1", ["a2", "a1"])  # two artists, credit order
    warehouse.track("t2", "Two", "al1", ["a1"])
    warehouse.track("t3", "Three", None, ["a3"])
    warehouse.track("t4", "Four", None, ["a4"])
    warehouse.track("t5", "Five", None, ["a3"])
    warehouse.track("t6", "Six", None, ["a5"])
    warehouse.episode("e1", "An Episode")

    play = warehouse.play
    play("2024-01-15T18:00:00+00:00", 200_000, track="t1")  # A: Jan 15
    play("2024-01-30T19:00:00+00:00", 180_000, track="t2")  # B: Jan 30
    # C: 23:40 local on Jan 31, across local midnight: its day is Jan 31.
    play("2024-01-31T22:40:00+00:00", 20 * MINUTE, track="t3")  # ends 23:00Z
    play("2024-01-31T23:05:00+00:00", 10 * MINUTE, track="t4")  # ends 23:15Z; local Feb 1
    play("2024-01-31T23:34:59+00:00", 5 * MINUTE, track="t1")  # 19:59 after: same session
    # D: 20:01 after C's end (23:39:59Z): a session of its own, local 01:00 on Feb 1.
    play("2024-02-01T00:00:00+00:00", 180_000, track="t2")  # ends 00:03Z
    play("2024-02-01T00:23:00+00:00", MINUTE, track="t2")  # E: exactly 20:00 after
    play("2024-02-02T12:00:00+00:00", 30 * MINUTE, episode="e1")  # F: Feb 2
    # G: a short track within an hour-long episode; the next starts 15 minutes after the
    # episode ends (62 after the short track): one session, of three plays.
    play("2024-02-03T10:00:00+00:00", 60 * MINUTE, episode="e1")  # ends 11:00Z
    play("2024-02-03T10:10:00+00:00", 180_000, track="t5")
    play("2024-02-03T11:15:00+00:00", 180_000, track="t5")  # ends 11:18Z
    play("2024-02-08T20:00:00+00:00", 200_000, track="t1")  # H: Feb 8
    play("2024-02-09T20:00:00+00:00", 200_000, track="t1")  # I: Feb 9
    play("2024-04-10T12:00:00+00:00", 200_000, track="t6")  # J: Apr 10
    # Someone else's listening (and discoveries) never shows up in "me"'s answers.
    for day in range(4, 8):
        play(f"2024-02-0{day}T12:00:00+00:00", 9_000_000, track="t6", user_id=FRIEND)
    warehouse.refresh()


@pytest.fixture
def app_at(warehouse: Warehouse, start_app: StartApp) -> StartApp:
    """A client of the seeded app whose clock reads `now`."""
    seed(warehouse)

    def client(now: datetime = datetime(2024, 6, 1, tzinfo=UTC)) -> TestClient:
        return start_app(now)

    return client


# --- sessions --------------------------------------------------------------------------


def test_sessions_of_all_time(app_at: StartApp) -> None:
    body = get_json(app_at(), "/api/v1/sessions", limit=3)
    # A, B, D, E, H, I, J of one play; C, G of three; F of one.
    assert body["from"] is None
    assert body["sessions"] == 10
    assert body["plays"] == 14
    # 200+180+3599+180+60+1800+4680+200+200+200 seconds
    assert body["duration_ms"] == 11_299_000
    assert body["average_duration_ms"] == 1_129_900
    assert body["average_plays"] == pytest.approx(1.4)
    assert body["listening_ms"] == 9_080_000
    assert body["longest"] == [
        {
            "started_at": "2024-02-03T10:00:00Z",
            "ended_at": "2024-02-03T11:18:00Z",
            "day": "2024-02-03",
            "plays": 3,
            "listening_ms": 66 * MINUTE,
            "duration_ms": 78 * MINUTE,
        },
        {
            "started_at": "2024-01-31T22:40:00Z",
            "ended_at": "2024-01-31T23:39:59Z",
            "day": "2024-01-31",  # started 23:40 local, ran past midnight
            "plays": 3,
            "listening_ms": 35 * MINUTE,
            "duration_ms": 3_599_000,
        },
        {
            "started_at": "2024-02-02T12:00:00Z",
            "ended_at": "2024-02-02T12:30:00Z",
            "day": "2024-02-02",
            "plays": 1,
            "listening_ms": 30 * MINUTE,
            "duration_ms": 30 * MINUTE,
        },
    ]
    # F lasted exactly 30 minutes: the 30-60 bucket; C 59:59 too; G 78 minutes.
    assert [(b["min_minutes"], b["max_minutes"], b["sessions"]) for b in body["lengths"]] == [
        (0, 15, 7),
        (15, 30, 0),
        (30, 60, 2),
        (60, 120, 1),
        (120, 240, 0),
        (240, None, 0),
    ]


def test_sessions_belong_to_the_local_day_they_started_on(app_at: StartApp) -> None:
    # Most of C was played on Feb 1 (local), but it started on Jan 31.
    body = get_json(app_at(), "/api/v1/sessions", **{"from": "2024-02-01", "to": "2024-02-01"})
    assert body["sessions"] == 2  # D and E: a gap of exactly 20 minutes splits them
    assert [s["started_at"] for s in body["longest"]] == [
        "2024-02-01T00:00:00Z",
        "2024-02-01T00:23:00Z",
    ]
    january = get_json(app_at(), "/api/v1/sessions", to="2024-01-31")
    assert (january["sessions"], january["plays"]) == (3, 5)  # A, B, C


def test_sessions_of_a_range_without_any(app_at: StartApp) -> None:
    body = get_json(app_at(), "/api/v1/sessions", **{"from": "2025-01-01"})
    assert body["sessions"] == 0
    assert body["average_duration_ms"] is None
    assert body["average_plays"] is None
    assert body["longest"] == []
    assert all(bucket["sessions"] == 0 for bucket in body["lengths"])


def test_sessions_reject_bad_values(app_at: StartApp) -> None:
    client = app_at()
    assert refusals(client, "/api/v1/sessions", limit=0)
    assert refusals(client, "/api/v1/sessions", limit=101)
    assert refusals(client, "/api/v1/sessions", **{"from": "2024-02-02", "to": "2024-02-01"})
    assert refusals(client, "/api/v1/sessions", **{"from": "2024-2-1"})


# --- streaks ---------------------------------------------------------------------------


def streak(start: str, end: str, days: int) -> dict[str, object]:
    return {"start": start, "end": end, "days": days}


def test_streaks_cross_a_month_and_the_current_one_ends_yesterday(app_at: StartApp) -> None:
    body = get_json(app_at(datetime(2024, 2, 10, 10, 0, tzinfo=UTC)), "/api/v1/streaks")
    assert body["today"] == "2024-02-10"
    assert body["listening_days"] == 9
    assert body["longest"] == streak("2024-01-30", "2024-02-03", 5)
    assert body["top"] == [
        streak("2024-01-30", "2024-02-03", 5),
        streak("2024-02-08", "2024-02-09", 2),
        streak("2024-04-10", "2024-04-10", 1),  # equally long: the later first
        streak("2024-01-15", "2024-01-15", 1),
    ]
    assert body["current"] == streak("2024-02-08", "2024-02-09", 2)
    # The 28 days up to Feb 10 start on Jan 14.
    assert body["recent_days"] == [
        "2024-01-15",
        "2024-01-30",
        "2024-01-31",
        "2024-02-01",
        "2024-02-02",
        "2024-02-03",
        "2024-02-08",
        "2024-02-09",
    ]


def test_the_current_streak_may_end_today(app_at: StartApp) -> None:
    body = get_json(app_at(datetime(2024, 2, 9, 20, 30, tzinfo=UTC)), "/api/v1/streaks")
    assert body["current"] == streak("2024-02-08", "2024-02-09", 2)
    later = get_json(app_at(datetime(2024, 4, 10, 13, 0, tzinfo=UTC)), "/api/v1/streaks")
    assert later["current"] == streak("2024-04-10", "2024-04-10", 1)


def test_the_current_streak_breaks_at_local_midnight(app_at: StartApp) -> None:
    # 23:30 UTC on Feb 10 is 00:30 on Feb 11 in Berlin: yesterday (Feb 10) had no play.
    body = get_json(app_at(datetime(2024, 2, 10, 23, 30, tzinfo=UTC)), "/api/v1/streaks")
    assert body["today"] == "2024-02-11"
    assert body["current"] is None
    assert body["longest"] == streak("2024-01-30", "2024-02-03", 5)


def test_streaks_are_cut_at_the_range_ends(app_at: StartApp) -> None:
    client = app_at(datetime(2024, 2, 10, 10, 0, tzinfo=UTC))
    february = get_json(client, "/api/v1/streaks", **{"from": "2024-02-01", "to": "2024-02-29"})
    assert february["listening_days"] == 5
    assert february["longest"] == streak("2024-02-01", "2024-02-03", 3)
    assert february["current"] == streak("2024-02-08", "2024-02-09", 2)
    january = get_json(client, "/api/v1/streaks", to="2024-01-31")
    assert january["listening_days"] == 3
    assert january["top"] == [
        streak("2024-01-30", "2024-01-31", 2),
        streak("2024-01-15", "2024-01-15", 1),
    ]
    # The current streak is about today, whatever the range.
    assert january["current"] == streak("2024-02-08", "2024-02-09", 2)
    empty = get_json(client, "/api/v1/streaks", **{"from": "2023-01-01", "to": "2023-12-31"})
    assert (empty["listening_days"], empty["longest"], empty["top"]) == (0, None, [])


def test_streaks_reject_bad_ranges(app_at: StartApp) -> None:
    assert refusals(app_at(), "/api/v1/streaks", **{"from": "2024-02-02", "to": "2024-02-01"}) == [
        ("to", "`to` (2024-02-01) is before `from` (2024-02-02)")
    ]


# --- discoveries -----------------------------------------------------------------------


def test_discoveries_per_month_and_newest_tracks_first(app_at: StartApp) -> None:
    body = get_json(app_at(), "/api/v1/discoveries")
    assert body["kind"] == "track"
    assert (body["new_tracks"], body["new_artists"], body["total"]) == (6, 5, 6)
    # t4's first play was 23:05 UTC on Jan 31: Feb 1 in Berlin. March had none.
    assert body["months"] == [
        {"month": "2024-01-01", "tracks": 3, "artists": 3},
        {"month": "2024-02-01", "tracks": 2, "artists": 1},
        {"month": "2024-03-01", "tracks": 0, "artists": 0},
        {"month": "2024-04-01", "tracks": 1, "artists": 1},
    ]
    items = body["items"]
    assert [item["item_id"] for item in items] == ["t6", "t5", "t4", "t3", "t2", "t1"]
    assert items[2] == {
        "item_id": "t4",
        "name": "Four",
        "first_played_at": "2024-01-31T23:05:00Z",
        "day": "2024-02-01",
        "plays": 1,
        "listening_ms": 10 * MINUTE,
        "artists": [{"artist_id": "a4", "name": "Delta"}],
        "album_id": None,
        "image_url": None,
    }
    one = items[5]
    assert (one["plays"], one["listening_ms"]) == (4, 900_000)  # every play since
    assert one["artists"] == [
        {"artist_id": "a2", "name": "Bonobo"},
        {"artist_id": "a1", "name": "Aurora"},
    ]
    assert (one["album_id"], one["image_url"]) == ("al1", "https://i.scdn.co/image/alpha")


def test_discovered_artists_and_paging(app_at: StartApp) -> None:
    client = app_at()
    body = get_json(client, "/api/v1/discoveries", kind="artist")
    assert body["total"] == 5
    # a1 and a2 were both first played with t1: by id.
    assert [(i["item_id"], i["day"], i["plays"]) for i in body["items"]] == [
        ("a5", "2024-04-10", 1),
        ("a4", "2024-02-01", 1),
        ("a3", "2024-01-31", 3),
        ("a1", "2024-01-15", 7),  # t1's four plays and t2's three
        ("a2", "2024-01-15", 4),
    ]
    assert body["items"][0]["artists"] == []
    page = get_json(client, "/api/v1/discoveries", kind="track", limit=2, offset=2)
    assert ([i["item_id"] for i in page["items"]], page["offset"], page["total"]) == (
        ["t4", "t3"],
        2,
        6,
    )
    past_the_end = get_json(client, "/api/v1/discoveries", offset=10)
    assert (past_the_end["items"], past_the_end["total"]) == ([], 6)


def test_discoveries_within_a_range(app_at: StartApp) -> None:
    body = get_json(app_at(), "/api/v1/discoveries", **{"from": "2024-02-01", "to": "2024-03-31"})
    assert (body["new_tracks"], body["new_artists"]) == (2, 1)
    assert body["months"] == [{"month": "2024-02-01", "tracks": 2, "artists": 1}]
    assert [item["item_id"] for item in body["items"]] == ["t5", "t4"]
    # t1 is played in February, but it was first played in January: no discovery.
    none = get_json(app_at(), "/api/v1/discoveries", **{"from": "2024-02-08", "to": "2024-02-09"})
    assert (none["new_tracks"], none["months"], none["items"]) == (0, [], [])


def test_discoveries_reject_bad_values(app_at: StartApp) -> None:
    client = app_at()
    assert refusals(client, "/api/v1/discoveries", kind="album")
    assert refusals(client, "/api/v1/discoveries", limit=0)
    assert refusals(client, "/api/v1/discoveries", limit=101)
    assert refusals(client, "/api/v1/discoveries", offset=-1)
    assert refusals(client, "/api/v1/discoveries", to="tomorrow")
