"""Tops for everything, the listening clock and recent plays, against a hand-filled warehouse.

The user "me" lives in Europe/Berlin: UTC+1 in winter, UTC+2 from 02:00 on Sunday
2024-03-31 (the clock jumps to 03:00) until 03:00 on Sunday 2024-10-27 (back to 02:00, so
that local hour happens twice). A play counts on the local day and in the local hour it
started.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from etl.core.settings import Settings
from tests.integration.api_calls import StartApp, get_json, refusals
from tests.integration.warehouse import FRIEND, ME, Warehouse

ALPHA_IMAGE = "https://i.scdn.co/image/alpha"


def seed(warehouse: Warehouse) -> None:
    warehouse.user(ME, "Europe/Berlin")
    warehouse.user(FRIEND, "UTC")
    for artist_id, name in [("a1", "Aurora"), ("a2", "Bonobo"), ("a3", "Caribou"), ("a4", "Delta")]:
        warehouse.artist(artist_id, name)
    warehouse.album("al1", "Alpha", ALPHA_IMAGE)
    warehouse.album("al2", "Beta", None)
    warehouse.track("t1", "First Song", "al1", ["a2", "a1"])
    warehouse.track("t2", "Second Song", "al1", ["a3"])
    warehouse.track("t3", "Third Song", "al2", ["a1"])
    warehouse.track("t4", "Fourth Song", None, ["a4"])  # no album
    warehouse.track("t5", "Fifth Song", "al2", ["a3", "a2"])
    warehouse.episode("e1", "Talk One", "Talk Show")
    warehouse.episode("e2", "Talk Two", "Talk Show")
    warehouse.episode("e3", "Today", "Daily News")
    warehouse.episode("e4", "Nameless", None)  # a show without a name: in no show's top
    warehouse.episode("e5", "Another One", "Another Show")
    warehouse.episode("c1", "Chapter 1", "Big Book", kind="chapter")
    warehouse.episode("c2", "Chapter 2", "Big Book", kind="chapter")

    # Monday 2024-01-15, 23:30 local.
    warehouse.play("2024-01-15T22:30:00+00:00", 200_000, track="t1")
    # Monday in UTC, but 00:10 on Tuesday 2024-01-16 in Berlin.
    warehouse.play("2024-01-15T23:10:00+00:00", 100_000, track="t1")
    # Tuesday 09:00 and 09:05 local.
    warehouse.play("2024-01-16T08:00:00+00:00", 250_000, track="t2")
    warehouse.play("2024-01-16T08:05:00+00:00", 60_000, track="t3", skipped=True)
    # Wednesday 19:00 and 20:00 local: podcasts.
    warehouse.play("2024-01-17T18:00:00+00:00", 1_800_000, episode="e1")
    warehouse.play("2024-01-17T19:00:00+00:00", 1_200_000, episode="e2")
    # Thursday 13:00, 14:00 and 15:00 local.
    warehouse.play("2024-01-18T12:00:00+00:00", 600_000, episode="e3")
    warehouse.play("2024-01-18T13:00:00+00:00", 300_000, episode="e4", skipped=None)
    warehouse.play("2024-01-18T14:00:00+00:00", 600_000, episode="e5")
    # Friday 13:00 and 14:00 local: an audiobook.
    warehouse.play("2024-01-19T12:00:00+00:00", 3_000_000, episode="c1")
    warehouse.play("2024-01-19T13:00:00+00:00", 2_000_000, episode="c2")
    # Saturday 11:00 local.
    warehouse.play("2024-01-20T10:00:00+00:00", 240_000, track="t5")
    # Sunday 2024-03-31: 01:30 local, then (an hour later in UTC) 03:30; 02:xx never happens.
    warehouse.play("2024-03-31T00:30:00+00:00", 150_000, track="t4")
    warehouse.play("2024-03-31T01:30:00+00:00", 150_000, track="t4")
    # Sunday 2024-10-27: 02:30 summer time, then 02:30 winter time an hour later.
    warehouse.play("2024-10-27T00:30:00+00:00", 100_000, track="t3")
    warehouse.play("2024-10-27T01:30:00+00:00", 100_000, track="t3")
    # Sunday 11:00 local: two plays that started at the same instant (from two sources).
    warehouse.play("2024-10-27T10:00:00+00:00", 30_000, track="t1")
    warehouse.play("2024-10-27T10:00:00+00:00", 30_000, track="t5", source="export")
    # Someone else's listening never shows up in "me"'s answers.
    warehouse.play("2024-01-15T12:00:00+00:00", 9_000_000, track="t1", user_id=FRIEND)
    warehouse.play("2024-01-15T13:00:00+00:00", 9_000_000, episode="e1", user_id=FRIEND)
    warehouse.refresh()


@pytest.fixture
def client(warehouse: Warehouse, start_app: StartApp) -> TestClient:
    seed(warehouse)
    return start_app()


def ranking(client: TestClient, path: str, key: str, **params: object) -> list[tuple[Any, ...]]:
    items = get_json(client, f"/api/v1/{path}", **params)["items"]
    return [(i["rank"], i[key], i["plays"], i["listening_ms"]) for i in items]


# --- top tracks and artists ------------------------------------------------------------

# All time: t1 200 000 + 100 000 + 30 000 ms in 3 plays; t2 250 000 in 1; t3 60 000 +
# 100 000 + 100 000 in 3; t4 150 000 twice; t5 240 000 + 30 000 in 2.
TRACKS_BY_TIME = [
    (1, "t1", 3, 330_000),
    (2, "t4", 2, 300_000),
    (3, "t5", 2, 270_000),
    (4, "t3", 3, 260_000),
    (5, "t2", 1, 250_000),
]
TRACKS_BY_PLAYS = [
    (1, "t1", 3, 330_000),
    (2, "t3", 3, 260_000),
    (3, "t4", 2, 300_000),
    (4, "t5", 2, 270_000),
    (5, "t2", 1, 250_000),
]


def test_top_tracks_rank_page_and_count(client: TestClient) -> None:
    assert ranking(client, "top_tracks", "track_id") == TRACKS_BY_TIME
    assert ranking(client, "top_tracks", "track_id", by="plays") == TRACKS_BY_PLAYS
    first = get_json(client, "/api/v1/top_tracks", limit=1)
    assert first == {
        "by": "listening_time",
        "offset": 0,
        "total": 5,
        "items": [
            {
                "rank": 1,
                "track_id": "t1",
                "name": "First Song",
                "artists": ["Bonobo", "Aurora"],
                "artist_ids": ["a2", "a1"],
                "album_id": "al1",
                "album": "Alpha",
                "image_url": ALPHA_IMAGE,
                "plays": 3,
                "listening_ms": 330_000,
            }
        ],
    }
    fourth = get_json(client, "/api/v1/top_tracks", by="plays", offset=2, limit=1)["items"][0]
    assert (fourth["rank"], fourth["album_id"], fourth["album"], fourth["image_url"]) == (
        3,
        None,
        None,
        None,
    )


@pytest.mark.parametrize("by", ["listening_time", "plays"])
def test_pages_of_a_ranking_add_up_to_the_whole(client: TestClient, by: str) -> None:
    whole = TRACKS_BY_TIME if by == "listening_time" else TRACKS_BY_PLAYS
    pages = [get_json(client, "/api/v1/top_tracks", by=by, limit=2, offset=n) for n in (0, 2, 4)]
    assert [(p["offset"], p["total"], len(p["items"])) for p in pages] == [
        (0, 5, 2),
        (2, 5, 2),
        (4, 5, 1),
    ]
    shown = [
        (i["rank"], i["track_id"], i["plays"], i["listening_ms"]) for p in pages for i in p["items"]
    ]
    assert shown == whole
    # Past the end: no items, and still the range's total.
    for offset in (5, 50):
        assert get_json(client, "/api/v1/top_tracks", offset=offset) == {
            "by": "listening_time",
            "offset": offset,
            "total": 5,
            "items": [],
        }


def test_top_tracks_of_a_local_day(client: TestClient) -> None:
    # Tuesday 2024-01-16 in Berlin holds the 00:10 play of t1 (still Monday in UTC), not the
    # Monday 23:30 one.
    tuesday = {"from": "2024-01-16", "to": "2024-01-16"}
    assert ranking(client, "top_tracks", "track_id", **tuesday) == [
        (1, "t2", 1, 250_000),
        (2, "t1", 1, 100_000),
        (3, "t3", 1, 60_000),
    ]
    assert get_json(client, "/api/v1/top_tracks", **tuesday)["total"] == 3
    empty = {"from": "2024-02-01", "to": "2024-02-29"}
    assert get_json(client, "/api/v1/top_tracks", **empty) == {
        "by": "listening_time",
        "offset": 0,
        "total": 0,
        "items": [],
    }


def test_top_artists_credit_every_artist_and_page(client: TestClient) -> None:
    # Aurora: t1 and t3 (6 plays, 590 000 ms); Bonobo: t1 and t5 (5, 600 000); Caribou: t2
    # and t5 (3, 520 000); Delta: t4 (2, 300 000).
    assert ranking(client, "top_artists", "artist_id") == [
        (1, "a2", 5, 600_000),
        (2, "a1", 6, 590_000),
        (3, "a3", 3, 520_000),
        (4, "a4", 2, 300_000),
    ]
    by_plays = get_json(client, "/api/v1/top_artists", by="plays", limit=2, offset=1)
    assert (by_plays["by"], by_plays["offset"], by_plays["total"]) == ("plays", 1, 4)
    assert by_plays["items"] == [
        {"rank": 2, "artist_id": "a2", "name": "Bonobo", "plays": 5, "listening_ms": 600_000},
        {"rank": 3, "artist_id": "a3", "name": "Caribou", "plays": 3, "listening_ms": 520_000},
    ]


# --- top albums ------------------------------------------------------------------------


def test_top_albums_sum_their_tracks(client: TestClient) -> None:
    # Alpha: t1 (3 plays, 330 000) and t2 (1, 250 000); Beta: t3 (3, 260 000) and t5 (2,
    # 270 000). t4 has no album.
    body = get_json(client, "/api/v1/top_albums")
    assert (body["by"], body["offset"], body["total"]) == ("listening_time", 0, 2)
    assert body["items"] == [
        {
            "rank": 1,
            "album_id": "al1",
            "name": "Alpha",
            "image_url": ALPHA_IMAGE,
            # Lead artists first: Bonobo (t1's 3 plays) before Caribou (t2's 1), then Aurora,
            # credited second on t1.
            "artists": [
                {"artist_id": "a2", "name": "Bonobo"},
                {"artist_id": "a3", "name": "Caribou"},
                {"artist_id": "a1", "name": "Aurora"},
            ],
            "plays": 4,
            "listening_ms": 580_000,
            "tracks_played": 2,
        },
        {
            "rank": 2,
            "album_id": "al2",
            "name": "Beta",
            "image_url": None,
            # Aurora leads t3 (3 plays), Caribou leads t5 (2); Bonobo is second on t5.
            "artists": [
                {"artist_id": "a1", "name": "Aurora"},
                {"artist_id": "a3", "name": "Caribou"},
                {"artist_id": "a2", "name": "Bonobo"},
            ],
            "plays": 5,
            "listening_ms": 530_000,
            "tracks_played": 2,
        },
    ]
    assert ranking(client, "top_albums", "album_id", by="plays") == [
        (1, "al2", 5, 530_000),
        (2, "al1", 4, 580_000),
    ]
    second = get_json(client, "/api/v1/top_albums", limit=1, offset=1)
    assert [(i["rank"], i["album_id"]) for i in second["items"]] == [(2, "al2")]
    assert second["total"] == 2
    # The artists of the tracks played in the range only: Tuesday's t2 (Alpha) and t1's
    # 00:10 play, and t3 (Beta).
    tuesday = get_json(client, "/api/v1/top_albums", **{"from": "2024-01-16", "to": "2024-01-16"})
    assert [
        (i["album_id"], i["plays"], i["listening_ms"], [a["name"] for a in i["artists"]])
        for i in tuesday["items"]
    ] == [
        ("al1", 2, 350_000, ["Bonobo", "Caribou", "Aurora"]),
        ("al2", 1, 60_000, ["Aurora"]),
    ]


# --- top shows and audiobooks ----------------------------------------------------------


def test_top_shows_are_podcasts_and_audiobooks_apart(client: TestClient) -> None:
    shows = get_json(client, "/api/v1/top_shows")
    assert (shows["total"], shows["offset"]) == (3, 0)
    # Another Show and Daily News tie on both measures: the name decides.
    assert shows["items"] == [
        {
            "rank": 1,
            "name": "Talk Show",
            "plays": 2,
            "listening_ms": 3_000_000,
            "episodes_played": 2,
        },
        {
            "rank": 2,
            "name": "Another Show",
            "plays": 1,
            "listening_ms": 600_000,
            "episodes_played": 1,
        },
        {
            "rank": 3,
            "name": "Daily News",
            "plays": 1,
            "listening_ms": 600_000,
            "episodes_played": 1,
        },
    ]
    later = get_json(client, "/api/v1/top_shows", by="plays", limit=1, offset=2)
    assert [(i["rank"], i["name"]) for i in later["items"]] == [(3, "Daily News")]
    assert get_json(client, "/api/v1/top_audiobooks") == {
        "by": "listening_time",
        "offset": 0,
        "total": 1,
        "items": [
            {
                "rank": 1,
                "name": "Big Book",
                "plays": 2,
                "listening_ms": 5_000_000,
                "episodes_played": 2,
            }
        ],
    }
    music_only = {"from": "2024-03-01", "to": "2024-12-31"}
    assert get_json(client, "/api/v1/top_shows", **music_only)["total"] == 0
    assert get_json(client, "/api/v1/top_audiobooks", **music_only)["items"] == []


# --- listening clock -------------------------------------------------------------------


def cells(body: dict[str, Any]) -> dict[tuple[int, int], tuple[int, int]]:
    """The clock's cells with plays, as (weekday, hour): (plays, listening_ms)."""
    return {
        (c["weekday"], c["hour"]): (c["plays"], c["listening_ms"])
        for c in body["cells"]
        if c["plays"]
    }


MUSIC_CELLS = {
    (1, 23): (1, 200_000),  # Monday 23:30
    (2, 0): (1, 100_000),  # Tuesday 00:10, Monday in UTC
    (2, 9): (2, 310_000),
    (6, 11): (1, 240_000),
    (7, 1): (1, 150_000),  # the night the clocks go forward: 01:30, then 03:30
    (7, 3): (1, 150_000),
    (7, 2): (2, 200_000),  # the night they go back: 02:30 twice
    (7, 11): (2, 60_000),
}
PODCAST_CELLS = {
    (3, 19): (1, 1_800_000),
    (3, 20): (1, 1_200_000),
    (4, 13): (1, 600_000),
    (4, 14): (1, 300_000),
    (4, 15): (1, 600_000),
    (5, 13): (1, 3_000_000),  # audiobook chapters are podcast listening here
    (5, 14): (1, 2_000_000),
}


def test_the_clock_has_every_hour_of_every_weekday(client: TestClient) -> None:
    body = get_json(client, "/api/v1/clock")
    assert [(c["weekday"], c["hour"]) for c in body["cells"]] == [
        (weekday, hour) for weekday in range(1, 8) for hour in range(24)
    ]
    assert cells(body) == MUSIC_CELLS | PODCAST_CELLS
    assert (body["by"], body["kind"], body["time_zone"]) == (
        "listening_time",
        "all",
        "Europe/Berlin",
    )
    assert (body["plays"], body["listening_ms"]) == (18, 10_910_000)
    assert body["peak"] == {"weekday": 5, "hour": 13, "plays": 1, "listening_ms": 3_000_000}
    # By plays, three cells hold 2: Tuesday 09:00 has the most listening time of them.
    by_plays = get_json(client, "/api/v1/clock", by="plays")
    assert by_plays["peak"] == {"weekday": 2, "hour": 9, "plays": 2, "listening_ms": 310_000}
    assert by_plays["cells"] == body["cells"]


def test_the_clock_of_music_or_podcasts(client: TestClient) -> None:
    music = get_json(client, "/api/v1/clock", kind="music")
    assert cells(music) == MUSIC_CELLS
    assert (music["kind"], music["plays"], music["listening_ms"]) == ("music", 11, 1_410_000)
    assert music["peak"] == {"weekday": 2, "hour": 9, "plays": 2, "listening_ms": 310_000}
    podcasts = get_json(client, "/api/v1/clock", kind="podcasts", by="plays")
    assert cells(podcasts) == PODCAST_CELLS
    assert (podcasts["plays"], podcasts["listening_ms"]) == (7, 9_500_000)
    # Every cell holds one play: the most listening time decides.
    assert podcasts["peak"] == {"weekday": 5, "hour": 13, "plays": 1, "listening_ms": 3_000_000}


def test_the_clock_cuts_days_and_hours_in_the_users_zone(client: TestClient) -> None:
    tuesday = get_json(client, "/api/v1/clock", **{"from": "2024-01-16", "to": "2024-01-16"})
    assert cells(tuesday) == {(2, 0): (1, 100_000), (2, 9): (2, 310_000)}
    assert len(tuesday["cells"]) == 168
    spring = get_json(client, "/api/v1/clock", **{"from": "2024-03-31", "to": "2024-03-31"})
    assert cells(spring) == {(7, 1): (1, 150_000), (7, 3): (1, 150_000)}
    autumn = get_json(client, "/api/v1/clock", **{"from": "2024-10-27", "to": "2024-10-27"})
    assert cells(autumn) == {(7, 2): (2, 200_000), (7, 11): (2, 60_000)}
    empty = get_json(client, "/api/v1/clock", **{"from": "2025-01-01"})
    assert (empty["plays"], empty["listening_ms"], empty["peak"]) == (0, 0, None)
    assert len(empty["cells"]) == 168


# --- recent plays ----------------------------------------------------------------------

# Every play of "me", newest first: plays of one instant by track id.
ALL_PLAYS = [
    ("2024-10-27T10:00:00Z", "t1"),
    ("2024-10-27T10:00:00Z", "t5"),
    ("2024-10-27T01:30:00Z", "t3"),
    ("2024-10-27T00:30:00Z", "t3"),
    ("2024-03-31T01:30:00Z", "t4"),
    ("2024-03-31T00:30:00Z", "t4"),
    ("2024-01-20T10:00:00Z", "t5"),
    ("2024-01-19T13:00:00Z", "c2"),
    ("2024-01-19T12:00:00Z", "c1"),
    ("2024-01-18T14:00:00Z", "e5"),
    ("2024-01-18T13:00:00Z", "e4"),
    ("2024-01-18T12:00:00Z", "e3"),
    ("2024-01-17T19:00:00Z", "e2"),
    ("2024-01-17T18:00:00Z", "e1"),
    ("2024-01-16T08:05:00Z", "t3"),
    ("2024-01-16T08:00:00Z", "t2"),
    ("2024-01-15T23:10:00Z", "t1"),
    ("2024-01-15T22:30:00Z", "t1"),
]


def played(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (p["started_at"], (p["track"] or {}).get("track_id") or p["episode"]["episode_id"])
        for p in body["items"]
    ]


def test_recent_plays_newest_first_with_what_was_played(client: TestClient) -> None:
    body = get_json(client, "/api/v1/recent")
    assert played(body) == ALL_PLAYS
    assert body["next_before"] is None
    items = body["items"]
    assert items[0] == {
        "started_at": "2024-10-27T10:00:00Z",
        "ended_at": "2024-10-27T10:00:30Z",
        "ms_played": 30_000,
        "kind": "track",
        "skipped": False,
        "track": {
            "track_id": "t1",
            "name": "First Song",
            "artists": [
                {"artist_id": "a2", "name": "Bonobo"},
                {"artist_id": "a1", "name": "Aurora"},
            ],
            "album_id": "al1",
            "album": "Alpha",
            "image_url": ALPHA_IMAGE,
        },
        "episode": None,
    }
    assert items[4]["track"]["album_id"] is None  # t4 has no album
    assert items[7] == {
        "started_at": "2024-01-19T13:00:00Z",
        "ended_at": "2024-01-19T13:33:20Z",
        "ms_played": 2_000_000,
        "kind": "chapter",
        "skipped": False,
        "track": None,
        "episode": {"episode_id": "c2", "name": "Chapter 2", "show": "Big Book"},
    }
    nameless = items[10]
    assert (nameless["kind"], nameless["skipped"], nameless["episode"]["show"]) == (
        "episode",
        None,
        None,
    )
    assert (items[14]["kind"], items[14]["skipped"]) == ("track", True)


def test_recent_pages_follow_their_cursor_to_the_first_play(client: TestClient) -> None:
    pages = [get_json(client, "/api/v1/recent", limit=5)]
    while pages[-1]["next_before"]:
        pages.append(get_json(client, "/api/v1/recent", limit=5, before=pages[-1]["next_before"]))
    assert [len(p["items"]) for p in pages] == [5, 5, 5, 3]
    assert [p["next_before"] for p in pages] == [
        "2024-03-31T01:30:00Z",
        "2024-01-18T14:00:00Z",
        "2024-01-16T08:05:00Z",
        None,
    ]
    assert [play for page in pages for play in played(page)] == ALL_PLAYS


def test_a_recent_page_never_splits_one_instant(client: TestClient) -> None:
    newest = get_json(client, "/api/v1/recent", limit=1)
    assert played(newest) == ALL_PLAYS[:2]
    assert newest["next_before"] == "2024-10-27T10:00:00Z"
    after = get_json(client, "/api/v1/recent", limit=1, before=newest["next_before"])
    assert played(after) == ALL_PLAYS[2:3]
    # Any zone's offset names the same moment: 12:00 in Berlin is 10:00 UTC.
    same = get_json(client, "/api/v1/recent", limit=1, before="2024-10-27T11:00:00+01:00")
    assert played(same) == ALL_PLAYS[2:3]


def test_recent_plays_within_local_days(client: TestClient) -> None:
    # Tuesday 2024-01-16 in Berlin starts at 23:00 UTC on Monday.
    tuesday = get_json(client, "/api/v1/recent", **{"from": "2024-01-16", "to": "2024-01-16"})
    assert played(tuesday) == ALL_PLAYS[14:17]
    assert tuesday["next_before"] is None
    monday = get_json(client, "/api/v1/recent", to="2024-01-15")
    assert played(monday) == ALL_PLAYS[17:]
    # Paging within a range stops at its first day.
    first = get_json(client, "/api/v1/recent", limit=2, **{"from": "2024-01-16"})
    assert played(first) == ALL_PLAYS[:2]
    page = get_json(
        client, "/api/v1/recent", limit=2, before="2024-01-16T08:05:00Z", **{"from": "2024-01-16"}
    )
    assert played(page) == ALL_PLAYS[15:17]
    assert page["next_before"] is None
    assert get_json(client, "/api/v1/recent", **{"from": "2025-01-01"}) == {
        "items": [],
        "next_before": None,
    }


def test_another_users_listening_stays_theirs(settings: Settings, warehouse: Warehouse) -> None:
    seed(warehouse)
    friend = TestClient(create_app(settings.model_copy(update={"user_id": FRIEND})))
    assert ranking(friend, "top_tracks", "track_id") == [(1, "t1", 1, 9_000_000)]
    assert [s["name"] for s in get_json(friend, "/api/v1/top_shows")["items"]] == ["Talk Show"]
    clock = get_json(friend, "/api/v1/clock")
    assert cells(clock) == {(1, 12): (1, 9_000_000), (1, 13): (1, 9_000_000)}
    assert played(get_json(friend, "/api/v1/recent")) == [
        ("2024-01-15T13:00:00Z", "e1"),
        ("2024-01-15T12:00:00Z", "t1"),
    ]


# --- validation and OpenAPI ------------------------------------------------------------

BAD_PARAMETERS: list[tuple[str, dict[str, object], str]] = [
    ("top_albums", {"by": "rank"}, "'plays' or 'listening_time'"),
    ("top_shows", {"limit": 0}, "greater than or equal to 1"),
    ("top_audiobooks", {"limit": 101}, "less than or equal to 100"),
    ("top_tracks", {"offset": -1}, "greater than or equal to 0"),
    ("top_artists", {"offset": "next"}, "valid integer"),
    ("top_albums", {"offset": 10**12}, "less than or equal to 1000000"),
    ("top_shows", {"from": "2024-02-01", "to": "2024-01-01"}, "is before `from`"),
    ("clock", {"by": "skips"}, "'plays' or 'listening_time'"),
    ("clock", {"kind": "video"}, "'all', 'music' or 'podcasts'"),
    ("clock", {"from": "2024-1-1"}, "expected a date as YYYY-MM-DD"),
    ("recent", {"limit": 0}, "greater than or equal to 1"),
    ("recent", {"limit": 101}, "less than or equal to 100"),
    ("recent", {"before": "yesterday"}, "valid datetime"),
    ("recent", {"before": "2024-01-16T08:05:00"}, "timezone info"),
    ("recent", {"from": "2024-02-01", "to": "2024-01-01"}, "is before `from`"),
]


def test_bad_parameters_answer_422(client: TestClient, subtests: pytest.Subtests) -> None:
    for path, params, message in BAD_PARAMETERS:
        with subtests.test(msg=f"{path} {params}"):
            messages = [text for _, text in refusals(client, f"/api/v1/{path}", **params)]
            assert any(message in text for text in messages), messages


def test_openapi_documents_the_listening_endpoints(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for name in ("top_tracks", "top_artists", "top_albums", "top_shows", "top_audiobooks"):
        operation = paths[f"/api/v1/{name}"]["get"]
        assert {p["name"] for p in operation["parameters"]} == {
            "from",
            "to",
            "limit",
            "offset",
            "by",
        }
        assert operation["summary"].startswith("Top ")
    assert {p["name"] for p in paths["/api/v1/clock"]["get"]["parameters"]} == {
        "from",
        "to",
        "by",
        "kind",
    }
    assert {p["name"] for p in paths["/api/v1/recent"]["get"]["parameters"]} == {
        "from",
        "to",
        "limit",
        "before",
    }
    assert "total" in spec["components"]["schemas"]["TopAlbums"]["properties"]
