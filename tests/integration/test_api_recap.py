"""GET /recap against a hand-filled warehouse: every figure computed by hand below.

The user "me" lives in America/New_York (UTC-5 from November to March), so a local day runs
from 05:00 UTC to 05:00 UTC the next day. The app's clock says 2024-06-01 unless a test
moves it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.api_calls import StartApp, get_json, refusals
from tests.integration.warehouse import FRIEND, ME, Warehouse

JUNE_2024 = datetime(2024, 6, 1, 12, tzinfo=UTC)
MIN = 60_000

# (track, name, artists, valence, energy); None: no audio features known.
TRACKS: list[tuple[str, str, list[str], float | None, float | None]] = [
    ("t1", "Sunny", ["a1"], 0.9, 0.8),
    ("t2", "Grey", ["a2"], 0.1, 0.3),
    ("t3", "Middle", ["a3"], 0.5, 0.5),
    ("t4", "Duet", ["a1", "a4"], 0.7, 0.6),
    ("t5", "Mystery", ["a5"], None, None),
    ("t6", "Ecstatic", ["a6"], 1.0, 1.0),
    ("t7", "Blue", ["a7"], 0.05, 0.2),
]
ARTISTS = {
    "a1": "Aurora",
    "a2": "Bonobo",
    "a3": "Caribou",
    "a4": "Delta",
    "a5": "Eno",
    "a6": "Fever",
    "a7": "Gloom",
}


def seed(warehouse: Warehouse) -> None:
    warehouse.user(ME, "America/New_York")
    warehouse.user(FRIEND, "UTC")
    for artist_id, name in ARTISTS.items():
        warehouse.artist(artist_id, name)
    for track_id, name, artists, valence, energy in TRACKS:
        warehouse.track(track_id, name, None, artists)
        if valence is not None:
            warehouse.execute(
                "INSERT INTO track_audio_features (track_id, provider, fetched_at, valence, "
                "energy) VALUES (%s, 'test', '2024-01-01T00:00:00Z', %s, %s)",
                (track_id, valence, energy),
            )
    warehouse.episode("e1", "A Long Talk")

    # December 2023, the month before January: three plays, each the first of its track
    # and artist.
    warehouse.play("2023-12-10T15:00:00+00:00", 10 * MIN, track="t3")
    warehouse.play("2023-12-20T15:00:00+00:00", 20 * MIN, track="t2")
    # 22:00 on Dec 31 in New York, though January 1 in UTC: December's.
    warehouse.play("2024-01-01T03:00:00+00:00", 5 * MIN, track="t1")

    # January 2024.
    warehouse.play("2024-01-05T15:00:00+00:00", 40 * MIN, track="t1")  # bright, 40 min
    warehouse.play("2024-01-06T15:00:00+00:00", 20 * MIN, track="t6")  # brighter, too short
    warehouse.play("2024-01-07T15:00:00+00:00", 35 * MIN, track="t2")  # dark, 35 min
    # Jan 8: 70 min of music, only the 10 darkest minutes with features (coverage 1/7).
    warehouse.play("2024-01-08T15:00:00+00:00", 60 * MIN, track="t5")
    warehouse.play("2024-01-08T16:30:00+00:00", 10 * MIN, track="t7")  # 30 min gap: new session
    # 23:30 on Jan 19 in New York (Jan 20 in UTC): a 3-hour episode past midnight, then,
    # 10 minutes after it ends, a track at 02:40 on Jan 20: one session of Jan 19.
    warehouse.play("2024-01-20T04:30:00+00:00", 180 * MIN, episode="e1")
    warehouse.play("2024-01-20T07:40:00+00:00", 30 * MIN, track="t3")
    warehouse.play("2024-01-20T15:00:00+00:00", 50 * MIN, track="t3")
    warehouse.play("2024-01-25T15:00:00+00:00", 20 * MIN, track="t4")

    # 00:30 on Feb 1 in New York: February's.
    warehouse.play("2024-02-01T05:30:00+00:00", 50 * MIN, track="t1")
    # Someone else's listening never shows up in "me"'s recap.
    warehouse.play("2024-01-10T12:00:00+00:00", 1_000 * MIN, track="t6", user_id=FRIEND)
    warehouse.refresh()


ClientFor = Callable[[datetime], TestClient]


@pytest.fixture
def client_at(warehouse: Warehouse, start_app: StartApp) -> ClientFor:
    """A client of the seeded warehouse whose app clock reads the given moment."""
    seed(warehouse)
    return start_app


@pytest.fixture
def client(client_at: ClientFor) -> TestClient:
    return client_at(JUNE_2024)


def recap(client: TestClient, **params: object) -> Any:
    return get_json(client, "/api/v1/recap", **params)


def recap_refusals(client: TestClient, **params: object) -> list[tuple[str, str]]:
    return refusals(client, "/api/v1/recap", **params)


def test_recap_of_a_month_totals_its_local_days(client: TestClient) -> None:
    january = recap(client, **{"from": "2024-01-01", "to": "2024-01-31"})
    assert (january["from"], january["to"], january["days"]) == ("2024-01-01", "2024-01-31", 31)
    assert january["totals"] == {
        # Dec 31 22:00 local is December's, Feb 1 00:30 local February's.
        "plays": 9,
        "listening_ms": (40 + 20 + 35 + 60 + 10 + 180 + 30 + 50 + 20) * MIN,
        "listening_days": 7,  # Jan 5, 6, 7, 8, 19, 20, 25
        "distinct_tracks": 7,
        "distinct_artists": 7,
        "distinct_episodes": 1,
        # t1 and Aurora were first played on Dec 31, local time; t2, t3 earlier in December.
        "new_tracks": 4,  # t4, t5, t6, t7
        "new_artists": 4,  # Delta, Eno, Fever, Gloom
    }


def test_recap_tops_are_the_top_five_by_listening_time(client: TestClient) -> None:
    january = recap(client, **{"from": "2024-01-01", "to": "2024-01-31"})
    assert [(t["track_id"], t["listening_ms"]) for t in january["top_tracks"]] == [
        ("t3", 80 * MIN),
        ("t5", 60 * MIN),
        ("t1", 40 * MIN),
        ("t2", 35 * MIN),
        ("t4", 20 * MIN),  # ties with t6 on time and plays: "Duet" before "Ecstatic"
    ]
    assert [(a["name"], a["listening_ms"], a["plays"]) for a in january["top_artists"]] == [
        ("Caribou", 80 * MIN, 2),
        ("Aurora", 60 * MIN, 2),  # Sunny and Duet; ties with Eno on time, more plays
        ("Eno", 60 * MIN, 1),
        ("Bonobo", 35 * MIN, 1),
        ("Delta", 20 * MIN, 1),  # before Fever, by name
    ]


def test_brightest_and_melancholic_days_need_enough_music_with_features(
    client: TestClient,
) -> None:
    january = recap(client, **{"from": "2024-01-01", "to": "2024-01-31"})
    assert january["mood_day_min_listening_ms"] == 30 * MIN
    assert january["mood_day_min_coverage"] == 0.5
    # Jan 6 (valence 1.0) has 20 minutes of music only; Jan 8 (valence 0.05) has features
    # for a seventh of its music only.
    assert january["brightest_day"] == {
        "date": "2024-01-05",
        "plays": 1,
        "listening_ms": 40 * MIN,
        "valence": pytest.approx(0.9),
        "energy": pytest.approx(0.8),
        "coverage": 1.0,
        "top_track": {"track_id": "t1", "name": "Sunny", "artists": ["Aurora"]},
    }
    assert january["melancholic_day"] == {
        "date": "2024-01-07",
        "plays": 1,
        "listening_ms": 35 * MIN,
        "valence": pytest.approx(0.1),
        "energy": pytest.approx(0.3),
        "coverage": 1.0,
        "top_track": {"track_id": "t2", "name": "Grey", "artists": ["Bonobo"]},
    }


def test_one_mood_day_is_only_the_brightest(client: TestClient) -> None:
    days = recap(client, **{"from": "2024-01-05", "to": "2024-01-06"})
    assert days["brightest_day"]["date"] == "2024-01-05"
    assert days["melancholic_day"] is None


def test_busiest_day_is_cut_in_the_users_zone(client: TestClient) -> None:
    # In UTC, Jan 20 would hold 4 h 20 min; in New York the episode is Jan 19's.
    busiest = recap(client, **{"from": "2024-01-01", "to": "2024-01-31"})["busiest_day"]
    assert busiest == {
        "date": "2024-01-19",
        "plays": 1,
        "listening_ms": 180 * MIN,
        "valence": None,
        "energy": None,
        "coverage": None,  # an episode only: no music, no mood
        "top_track": None,
    }


def test_longest_session_runs_past_midnight_from_the_day_it_started(client: TestClient) -> None:
    january = recap(client, **{"from": "2024-01-01", "to": "2024-01-31"})
    assert january["longest_session"] == {
        "started_at": "2024-01-20T04:30:00Z",
        "ended_at": "2024-01-20T08:10:00Z",
        "date": "2024-01-19",
        "plays": 2,
        "listening_ms": 210 * MIN,
    }
    # It belongs to Jan 19 only: a recap of Jan 20 alone has the 50-minute play.
    jan_20 = recap(client, **{"from": "2024-01-20", "to": "2024-01-20"})
    assert jan_20["longest_session"]["started_at"] == "2024-01-20T15:00:00Z"


def test_top_discoveries_are_new_artists_by_listening_time(client: TestClient) -> None:
    january = recap(client, **{"from": "2024-01-01", "to": "2024-01-31"})
    assert january["top_discoveries"] == [
        {
            "artist_id": "a5",
            "name": "Eno",
            "first_played_at": "2024-01-08T15:00:00Z",
            "plays": 1,
            "listening_ms": 60 * MIN,
        },
        {
            "artist_id": "a4",
            "name": "Delta",
            "first_played_at": "2024-01-25T15:00:00Z",
            "plays": 1,
            "listening_ms": 20 * MIN,
        },
        {
            "artist_id": "a6",
            "name": "Fever",
            "first_played_at": "2024-01-06T15:00:00Z",
            "plays": 1,
            "listening_ms": 20 * MIN,
        },
    ]


def test_mood_of_the_range_weights_days_by_featured_time(client: TestClient) -> None:
    mood = recap(client, **{"from": "2024-01-01", "to": "2024-01-31"})["mood"]
    # Featured minutes: Jan 5 40 (0.9), Jan 6 20 (1.0), Jan 7 35 (0.1), Jan 8 10 (0.05),
    # Jan 20 80 (0.5), Jan 25 20 (0.7): 205 of 265 music minutes (Mystery has none).
    featured = 40 + 20 + 35 + 10 + 80 + 20
    valence = (40 * 0.9 + 20 * 1.0 + 35 * 0.1 + 10 * 0.05 + 80 * 0.5 + 20 * 0.7) / featured
    energy = (40 * 0.8 + 20 * 1.0 + 35 * 0.3 + 10 * 0.2 + 80 * 0.5 + 20 * 0.6) / featured
    assert mood == {
        "valence": pytest.approx(valence, rel=1e-6),
        "energy": pytest.approx(energy, rel=1e-6),
        "coverage": pytest.approx(featured / (featured + 60), rel=1e-6),
        "listening_ms": (featured + 60) * MIN,
    }


def test_a_month_is_compared_with_the_month_before(client: TestClient) -> None:
    comparison = recap(client, **{"from": "2024-01-01", "to": "2024-01-31"})["comparison"]
    assert comparison == {
        "from": "2024-01-01",
        "to": "2024-01-31",
        "previous_from": "2023-12-01",
        "previous_to": "2023-12-31",
        "listening_ms": {
            "current": 445 * MIN,
            "previous": 35 * MIN,
            "change": pytest.approx(445 / 35 - 1),
        },
        "plays": {"current": 9, "previous": 3, "change": 2.0},
        "distinct_artists": {"current": 7, "previous": 3, "change": pytest.approx(7 / 3 - 1)},
        "new_tracks": {"current": 4, "previous": 3, "change": pytest.approx(4 / 3 - 1)},
        "new_artists": {"current": 4, "previous": 3, "change": pytest.approx(4 / 3 - 1)},
    }


def test_other_ranges_are_compared_with_as_many_days_just_before(client: TestClient) -> None:
    # 14 days, Dec 25 to Jan 7: against Dec 11 to Dec 24, which holds the Dec 20 play only.
    comparison = recap(client, **{"from": "2023-12-25", "to": "2024-01-07"})["comparison"]
    assert (comparison["previous_from"], comparison["previous_to"]) == ("2023-12-11", "2023-12-24")
    assert comparison["listening_ms"] == {
        "current": (5 + 40 + 20 + 35) * MIN,
        "previous": 20 * MIN,
        "change": 4.0,
    }
    assert comparison["plays"] == {"current": 4, "previous": 1, "change": 3.0}
    # Nothing before: no change to tell.
    assert recap(client, **{"from": "2023-12-01", "to": "2023-12-31"})["comparison"]["plays"] == {
        "current": 3,
        "previous": 0,
        "change": None,
    }


@pytest.mark.parametrize(
    ("params", "today", "compared", "previous"),
    [
        # A year against the year before, whatever their lengths (2024 has 366 days).
        ({"year": 2025}, "2026-02-01", ("2025-01-01", "2025-12-31"), ("2024-01-01", "2024-12-31")),
        # A leap February against January; a quarter against the quarter before.
        (
            {"from": "2024-02-01", "to": "2024-02-29"},
            "2024-06-01",
            ("2024-02-01", "2024-02-29"),
            ("2024-01-01", "2024-01-31"),
        ),
        (
            {"from": "2024-01-01", "to": "2024-03-31"},
            "2024-06-01",
            ("2024-01-01", "2024-03-31"),
            ("2023-10-01", "2023-12-31"),
        ),
        # Under way: up to today, against the same part of the range before.
        ({"year": 2024}, "2024-06-01", ("2024-01-01", "2024-06-01"), ("2023-01-01", "2023-06-01")),
        (
            {"from": "2024-03-01", "to": "2024-03-31"},
            "2024-03-31",  # the last day: the whole month, nothing cut
            ("2024-03-01", "2024-03-31"),
            ("2024-02-01", "2024-02-29"),
        ),
        (
            {"from": "2024-03-01", "to": "2024-03-31"},
            "2024-03-30",  # February has no 30th: up to its end
            ("2024-03-01", "2024-03-30"),
            ("2024-02-01", "2024-02-29"),
        ),
        (
            {"from": "2024-03-05", "to": "2024-03-14"},
            "2024-03-07",
            ("2024-03-05", "2024-03-07"),
            ("2024-02-24", "2024-02-26"),
        ),
        # Not begun yet: the whole range, against the one before.
        (
            {"from": "2024-07-01", "to": "2024-07-10"},
            "2024-06-01",
            ("2024-07-01", "2024-07-10"),
            ("2024-06-21", "2024-06-30"),
        ),
    ],
)
def test_comparison_bounds(
    client_at: ClientFor,
    params: dict[str, object],
    today: str,
    compared: tuple[str, str],
    previous: tuple[str, str],
) -> None:
    # Noon UTC is the same day in New York.
    client = client_at(datetime.fromisoformat(f"{today}T12:00:00+00:00"))
    comparison = recap(client, **params)["comparison"]
    assert (comparison["from"], comparison["to"]) == compared
    assert (comparison["previous_from"], comparison["previous_to"]) == previous


def test_the_comparison_of_a_range_under_way_counts_up_to_today(client_at: ClientFor) -> None:
    # Today is Jan 7: 2024 so far (Jan 5, 6, 7) against Jan 1 to 7, 2023 (no plays).
    comparison = recap(client_at(datetime(2024, 1, 7, 12, tzinfo=UTC)), year=2024)["comparison"]
    assert comparison["plays"] == {"current": 3, "previous": 0, "change": None}
    assert comparison["listening_ms"]["current"] == (40 + 20 + 35) * MIN


def test_a_year_is_its_calendar_days_and_by_default_the_year_of_the_last_play(
    client: TestClient,
) -> None:
    assert recap(client, year=2023)["totals"]["plays"] == 3
    latest = recap(client)  # the last play is on Feb 1, 2024, local time
    assert (latest["from"], latest["to"], latest["days"]) == ("2024-01-01", "2024-12-31", 366)
    assert latest["totals"]["plays"] == 10


def test_a_range_without_plays_has_zeros_and_no_highlights(client: TestClient) -> None:
    empty = recap(client, year=2010)
    assert empty["totals"] == {
        "plays": 0,
        "listening_ms": 0,
        "listening_days": 0,
        "distinct_tracks": 0,
        "distinct_artists": 0,
        "distinct_episodes": 0,
        "new_tracks": 0,
        "new_artists": 0,
    }
    assert empty["top_tracks"] == empty["top_artists"] == empty["top_discoveries"] == []
    for highlight in ("brightest_day", "melancholic_day", "busiest_day", "longest_session"):
        assert empty[highlight] is None
    assert empty["mood"] == {"valence": None, "energy": None, "coverage": 0.0, "listening_ms": 0}
    assert empty["comparison"]["listening_ms"] == {"current": 0, "previous": 0, "change": None}


def test_bad_ranges_are_refused(client: TestClient) -> None:
    assert recap_refusals(client, year=2024, **{"from": "2024-01-01"}) == [
        ("year", "give either `year` or `from`/`to`, not both")
    ]
    assert recap_refusals(client, **{"from": "2024-01-01"}) == [
        ("to", "a recap needs both `from` and `to`, or a `year`")
    ]
    assert recap_refusals(client, to="2024-01-31") == [
        ("from", "a recap needs both `from` and `to`, or a `year`")
    ]
    assert recap_refusals(client, **{"from": "2024-02-01", "to": "2024-01-31"}) == [
        ("to", "`to` (2024-01-31) is before `from` (2024-02-01)")
    ]
    assert recap_refusals(client, **{"from": "1899-12-31", "to": "2024-01-31"}) == [
        ("from", "a recap covers days from 1900-01-01 to 2100-12-31")
    ]
    assert [loc for loc, _ in recap_refusals(client, year=1800)] == ["year"]
    malformed = recap_refusals(client, **{"from": "2024-1-1", "to": "2024-01-31"})
    assert {loc for loc, _ in malformed} == {"from"}
