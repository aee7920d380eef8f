"""Skips, devices, shuffle and offline, podcasts and audiobooks, against a hand-filled warehouse.

Each test fills the warehouse for its own question; the answers are worked out by hand in
the comments. A play counts on the local day and in the local hour it started.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.api_calls import StartApp, get_json, refusals
from tests.integration.warehouse import FRIEND, ME, Warehouse


@pytest.fixture
def client(warehouse: Warehouse, start_app: StartApp) -> TestClient:
    warehouse.user(ME, "America/New_York")  # UTC-5 in January
    warehouse.user(FRIEND, "UTC")
    return start_app()


# --- skips ------------------------------------------------------------------------------


def seed_skips(warehouse: Warehouse) -> None:
    for artist_id, name in [("a1", "Aurora"), ("a2", "Bonobo")]:
        warehouse.artist(artist_id, name)
    warehouse.track("t1", "First Song", None, ["a1"])
    warehouse.track("t2", "Second Song", None, ["a2", "a1"])
    warehouse.track("t3", "Third Song", None, ["a2"])

    def plays(track: str, day: int, skips: list[bool | None], source: str = "export") -> None:
        for minute, skipped in enumerate(skips):
            warehouse.play(
                f"2024-01-{day:02}T15:{minute:02}:00+00:00",
                60_000,
                track=track,
                skipped=skipped,
                source=source,
            )

    # t1: 1 skip in 4 known plays on the 10th, and 2 Web API plays (unknown) on the 11th.
    plays("t1", 10, [True, False, False, False])
    plays("t1", 11, [None, None], source="api")
    # t2: 2 skips in 3 on the 11th. t3: 2 in 2 on the 12th, and one Web API play.
    plays("t2", 11, [True, True, False])
    plays("t3", 12, [True, True])
    plays("t3", 12, [None], source="api")
    # Someone else skips everything; "me" never sees it.
    warehouse.play("2024-01-10T12:00:00+00:00", 5_000, track="t1", skipped=True, user_id=FRIEND)
    warehouse.refresh()


def skipped(answer: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (i["rank"], i["id"], i["plays"], i["skip_known"], i["skips"], i["skip_rate"])
        for i in answer["items"]
    ]


def test_skip_rates_count_only_plays_whose_skip_status_is_known(
    client: TestClient, warehouse: Warehouse
) -> None:
    seed_skips(warehouse)
    answer = get_json(client, "/api/v1/skips", min_plays=3)
    # 12 plays, of which 3 from the Web API: 9 known, 1 + 2 + 2 = 5 skipped.
    assert answer["overall"] == {"plays": 12, "skip_known": 9, "skips": 5, "skip_rate": 5 / 9}
    # t3 has only 2 known plays: left out at min_plays 3.
    assert skipped(answer) == [(1, "t2", 3, 3, 2, 2 / 3), (2, "t1", 6, 4, 1, 0.25)]
    assert (answer["by"], answer["min_plays"], answer["total"]) == ("track", 3, 2)
    assert answer["items"][0]["name"] == "Second Song"
    assert answer["items"][0]["artists"] == [
        {"artist_id": "a2", "name": "Bonobo"},
        {"artist_id": "a1", "name": "Aurora"},
    ]

    everything = get_json(client, "/api/v1/skips", min_plays=1, limit=2)
    assert [item["id"] for item in everything["items"]] == ["t3", "t2"]
    assert everything["total"] == 3


def test_an_artists_skip_rate_counts_every_track_it_is_credited_on(
    client: TestClient, warehouse: Warehouse
) -> None:
    seed_skips(warehouse)
    answer = get_json(client, "/api/v1/skips", by="artist", min_plays=3)
    # a1: t1 (4 known, 1 skip) + t2 (3, 2) = 3 / 7. a2: t2 (3, 2) + t3 (2, 2) = 4 / 5; plays
    # include the Web API's: a1 6 + 3, a2 3 + 3.
    assert skipped(answer) == [(1, "a2", 6, 5, 4, 0.8), (2, "a1", 9, 7, 3, 3 / 7)]
    assert [(i["name"], i["artists"]) for i in answer["items"]] == [("Bonobo", []), ("Aurora", [])]


def test_skips_within_a_range_of_local_days(client: TestClient, warehouse: Warehouse) -> None:
    seed_skips(warehouse)
    answer = get_json(
        client, "/api/v1/skips", min_plays=1, **{"from": "2024-01-11", "to": "2024-01-11"}
    )
    # The 11th: t1's two Web API plays (no known status) and t2's three.
    assert answer["overall"] == {"plays": 5, "skip_known": 3, "skips": 2, "skip_rate": 2 / 3}
    assert skipped(answer) == [(1, "t2", 3, 3, 2, 2 / 3)]


def test_skips_of_plays_only_the_web_api_saw_have_no_rate(
    client: TestClient, warehouse: Warehouse
) -> None:
    warehouse.track("t1", "First Song", None, [])
    warehouse.play("2024-01-10T15:00:00+00:00", 60_000, track="t1", skipped=None)
    warehouse.refresh()
    answer = get_json(client, "/api/v1/skips", min_plays=1)
    assert answer["overall"] == {"plays": 1, "skip_known": 0, "skips": 0, "skip_rate": None}
    assert (answer["items"], answer["total"]) == ([], 0)


# --- devices, shuffle and offline -------------------------------------------------------

# (platform as the source names it, ms played, shuffle, offline)
CONTEXTS: list[tuple[str | None, int, bool | None, bool | None]] = [
    ("Android OS 9 API 28 (samsung, SM-G960F)", 100_000, True, False),
    ("Android OS 10 API 29 (samsung, SM-G960F)", 50_000, True, True),  # the same phone
    ("iOS 12.1.4 (iPhone10,6)", 50_000, False, False),
    ("Windows 10 (10.0.17763; x64)", 100_000, False, False),
    ("OS X 10.14.3 [x86 8]", 40_000, None, None),
    ("web_player windows 10;chrome 71.0.3578.98;desktop", 60_000, True, False),
    ("Partner sonos_ZPS23 Sonos", 30_000, False, False),
    ("Partner google cast_audio Google;Chromecast_Audio", 20_000, False, False),
    ("linux", 10_000, False, False),
    ("PlayStation 4", 10_000, False, False),
    ("not_applicable", 10_000, None, None),
    (None, 20_000, None, None),  # the Web API says nothing of platform, shuffle or offline
]  # 500 000 ms in all


def seed_devices(warehouse: Warehouse) -> None:
    warehouse.track("t1", "First Song", None, [])
    for minute, (platform, ms, shuffle, offline) in enumerate(CONTEXTS):
        warehouse.play(
            f"2024-01-10T15:{minute:02}:00+00:00",
            ms,
            track="t1",
            platform=platform,
            shuffle=shuffle,
            offline=offline,
        )
    # The next local day, and someone else's: only in the answers that include them.
    warehouse.play("2024-01-11T15:00:00+00:00", 500_000, track="t1", platform="ios")
    warehouse.play(
        "2024-01-10T15:00:00+00:00", 9_000_000, track="t1", platform="osx", user_id=FRIEND
    )
    warehouse.refresh()


def test_listening_by_platform_family_and_device(client: TestClient, warehouse: Warehouse) -> None:
    seed_devices(warehouse)
    answer = get_json(client, "/api/v1/devices", **{"from": "2024-01-10", "to": "2024-01-10"})
    assert (answer["plays"], answer["listening_ms"]) == (12, 500_000)
    # Most listening first; equal listening: more plays, then the name.
    assert [
        (f["family"], f["plays"], f["listening_ms"], f["share"]) for f in answer["families"]
    ] == [
        ("Android", 2, 150_000, 0.3),
        ("Windows", 1, 100_000, 0.2),
        ("Web player", 1, 60_000, 0.12),
        ("Cast & speakers", 2, 50_000, 0.1),
        ("iOS", 1, 50_000, 0.1),
        ("macOS", 1, 40_000, 0.08),
        ("Unknown", 2, 30_000, 0.06),
        ("Linux", 1, 10_000, 0.02),
        ("Other", 1, 10_000, 0.02),
    ]
    assert [(d["device"], d["family"], d["listening_ms"]) for d in answer["devices"]] == [
        ("samsung SM-G960F", "Android", 150_000),
        ("Windows 10", "Windows", 100_000),
        ("Web player (chrome, windows 10)", "Web player", 60_000),
        ("iPhone10,6", "iOS", 50_000),
        ("OS X 10.14.3", "macOS", 40_000),
        ("Unknown", "Unknown", 30_000),  # in 2 plays: before the Sonos's 1
        ("Sonos", "Cast & speakers", 30_000),
        ("Google Chromecast Audio", "Cast & speakers", 20_000),
        ("Linux", "Linux", 10_000),
        ("PlayStation 4", "Other", 10_000),
    ]


def test_shuffle_and_offline_shares_are_of_the_listening_whose_answer_is_known(
    client: TestClient, warehouse: Warehouse
) -> None:
    seed_devices(warehouse)
    answer = get_json(client, "/api/v1/devices", **{"from": "2024-01-10", "to": "2024-01-10"})
    # Unknown: macOS 40 000, not_applicable 10 000 and the Web API's 20 000 = 70 000 ms.
    # Shuffle: Android 150 000 + web player 60 000 of 430 000 known.
    assert answer["shuffle"] == {
        "listening_ms": 210_000,
        "known_ms": 430_000,
        "unknown_ms": 70_000,
        "share": 210_000 / 430_000,
    }
    # Offline: the Android 10 plays only.
    assert answer["offline"] == {
        "listening_ms": 50_000,
        "known_ms": 430_000,
        "unknown_ms": 70_000,
        "share": 50_000 / 430_000,
    }


def test_devices_over_all_time_and_with_nothing_played(
    client: TestClient, warehouse: Warehouse
) -> None:
    seed_devices(warehouse)
    answer = get_json(client, "/api/v1/devices")
    assert (answer["plays"], answer["listening_ms"]) == (13, 1_000_000)
    assert answer["families"][0] == {
        "family": "iOS", "plays": 2, "listening_ms": 550_000, "share": 0.55,
    }  # fmt: skip
    # The ios play of the 11th has no shuffle or offline answer (the fixture leaves it NULL).
    assert answer["shuffle"]["unknown_ms"] == 570_000

    empty = get_json(client, "/api/v1/devices", **{"from": "2023-01-01", "to": "2023-12-31"})
    assert empty == {
        "plays": 0,
        "listening_ms": 0,
        "families": [],
        "devices": [],
        "shuffle": {"listening_ms": 0, "known_ms": 0, "unknown_ms": 0, "share": None},
        "offline": {"listening_ms": 0, "known_ms": 0, "unknown_ms": 0, "share": None},
    }


# --- podcasts and audiobooks ------------------------------------------------------------


def seed_podcasts(warehouse: Warehouse) -> None:
    warehouse.track("t1", "First Song", None, [])
    warehouse.episode("e1", "Ep 1", "Morning Show")
    warehouse.episode("e2", "Ep 2", "Morning Show")
    warehouse.episode("e3", "Ep A", "Night Talk")
    warehouse.execute(
        "INSERT INTO dim_episodes (episode_id, name, show_name) VALUES ('e4', 'Nameless', NULL)",
        (),
    )
    warehouse.episode("c1", "Chapter 1", "The Hobbit", kind="chapter")
    warehouse.episode("c2", "Chapter 2", "The Hobbit", kind="chapter")
    # New York local times (UTC-5) in the comments.
    # e1: Wed 10th 07:00 paused, 17:00 resumed and played to the end.
    warehouse.play("2024-01-10T12:00:00+00:00", 1_200_000, episode="e1", reason_end="endplay")
    warehouse.play("2024-01-10T22:00:00+00:00", 600_000, episode="e1", reason_end="trackdone")
    # e2: the 11th in UTC, but 22:30 on the 10th in New York; not finished.
    warehouse.play("2024-01-11T03:30:00+00:00", 900_000, episode="e2", reason_end="endplay")
    # e3: 23:30 on the 11th, to the end.
    warehouse.play("2024-01-12T04:30:00+00:00", 1_800_000, episode="e3", reason_end="trackdone")
    # The Hobbit: Fri 12th 08:00 chapter 1 to the end, 08:25 chapter 2 paused.
    warehouse.play("2024-01-12T13:00:00+00:00", 1_500_000, episode="c1", reason_end="trackdone")
    warehouse.play("2024-01-12T13:25:00+00:00", 600_000, episode="c2", reason_end="endplay")
    # An episode whose show has no name: 20:00 on the 12th, to the end.
    warehouse.play("2024-01-13T01:00:00+00:00", 300_000, episode="e4", reason_end="trackdone")
    # Music is no podcast; someone else's podcast is not "me"'s.
    warehouse.play("2024-01-10T12:30:00+00:00", 200_000, track="t1", reason_end="trackdone")
    warehouse.play("2024-01-10T12:00:00+00:00", 9_000_000, episode="e3", user_id=FRIEND)
    warehouse.refresh()


def counts(group: dict[str, Any]) -> tuple[Any, ...]:
    totals = group["totals"]
    return totals["plays"], totals["listening_ms"], totals["started"], totals["finished"]


def shows(group: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (s["rank"], s["name"], s["plays"], s["listening_ms"], s["started"], s["finished"])
        for s in group["items"]
    ]


def test_podcast_shows_and_audiobooks_apart_with_episodes_started_and_finished(
    client: TestClient, warehouse: Warehouse
) -> None:
    seed_podcasts(warehouse)
    answer = get_json(client, "/api/v1/podcasts")
    # Episodes: 5 plays, 1 200 000 + 600 000 + 900 000 + 1 800 000 + 300 000 ms; e1..e4
    # started, e1, e3 and e4 finished. The nameless show counts only in the totals.
    assert counts(answer["shows"]) == (5, 4_800_000, 4, 3)
    assert answer["shows"]["count"] == 2
    assert shows(answer["shows"]) == [
        (1, "Morning Show", 3, 2_700_000, 2, 1),
        (2, "Night Talk", 1, 1_800_000, 1, 1),
    ]
    # Chapters are the audiobook's, not a show's.
    assert counts(answer["audiobooks"]) == (2, 2_100_000, 2, 1)
    assert shows(answer["audiobooks"]) == [(1, "The Hobbit", 2, 2_100_000, 2, 1)]
    assert answer["audiobooks"]["count"] == 1

    top = get_json(client, "/api/v1/podcasts", limit=1)
    assert [s["name"] for s in top["shows"]["items"]] == ["Morning Show"]
    assert top["shows"]["count"] == 2


def test_podcast_hours_are_local_hours(client: TestClient, warehouse: Warehouse) -> None:
    seed_podcasts(warehouse)
    hours = get_json(client, "/api/v1/podcasts")["hours"]
    assert [h["hour"] for h in hours] == list(range(24))
    played = {h["hour"]: (h["plays"], h["listening_ms"]) for h in hours if h["plays"]}
    assert played == {
        7: (1, 1_200_000),
        8: (2, 2_100_000),  # both chapters
        17: (1, 600_000),
        20: (1, 300_000),
        22: (1, 900_000),
        23: (1, 1_800_000),
    }
    assert sum(h["listening_ms"] for h in hours) == 6_900_000


def test_podcasts_within_a_range_of_local_days(client: TestClient, warehouse: Warehouse) -> None:
    seed_podcasts(warehouse)
    answer = get_json(client, "/api/v1/podcasts", **{"from": "2024-01-11", "to": "2024-01-11"})
    # Only e3 (23:30 on the 11th); e2 started on the 10th in New York.
    assert shows(answer["shows"]) == [(1, "Night Talk", 1, 1_800_000, 1, 1)]
    assert counts(answer["audiobooks"]) == (0, 0, 0, 0)
    assert answer["audiobooks"] == {
        "totals": {"plays": 0, "listening_ms": 0, "started": 0, "finished": 0},
        "count": 0,
        "items": [],
    }
    assert {h["hour"]: h["plays"] for h in answer["hours"] if h["plays"]} == {23: 1}


# --- bad requests -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("skips", {"by": "album"}, "by"),
        ("skips", {"min_plays": 0}, "min_plays"),
        ("skips", {"limit": 0}, "limit"),
        ("skips", {"limit": 101}, "limit"),
        ("skips", {"from": "2024-02-01", "to": "2024-01-01"}, "to"),
        ("devices", {"from": "2024-02-01", "to": "2024-01-01"}, "to"),
        ("devices", {"from": "1 March"}, "from"),
        ("podcasts", {"limit": 0}, "limit"),
        ("podcasts", {"to": "2024-13-01"}, "to"),
    ],
)
def test_bad_parameters_are_answered_with_422(
    client: TestClient, path: str, params: dict[str, object], field: str
) -> None:
    assert [refused for refused, _ in refusals(client, f"/api/v1/{path}", **params)] == [field]
