"""The entity pages' API: one track, artist, album or show, in a range and over its history.

The user "me" lives in America/New_York: UTC-5 until 10 March 2024, UTC-4 after, so a play
at 03:00 UTC on 1 February is still 31 January locally, and one at 03:30 UTC on 1 April is
still 31 March.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from tests.integration.api_calls import StartApp, get_json, refusals
from tests.integration.warehouse import FRIEND, ME, Warehouse

REAL_TRACK = "0eGsygTp906u18L0Oimnem"  # Spotify IDs: 22 base-62 characters
REAL_ALBUM = "4aawyAB9vmqN3uQ7FjRGTy"
REAL_EPISODE = "512ojhOuo1ktJprKbVcKyQ"
CARIBOU = "name:caribou"  # provisional keys, as exports leave them
SWIM = "name:caribou/swim"
ODESSA = "name:caribou/odessa"
ALPHA_ART = "https://i.scdn.co/image/alpha"

# Plays of "me" (UTC start, ms_played, item) and the local day each belongs to.
PLAYS = [
    ("2024-01-10T15:00:00+00:00", 200_000, REAL_TRACK),  # Jan 10
    ("2024-01-10T16:00:00+00:00", 100_000, "t2"),  # Jan 10
    ("2024-01-11T15:00:00+00:00", 100_000, "t2"),  # Jan 11
    ("2024-02-01T03:00:00+00:00", 300_000, REAL_TRACK),  # Jan 31, 22:00 local
    ("2024-02-01T06:00:00+00:00", 60_000, ODESSA),  # Feb 1, 01:00 local
    ("2024-02-02T15:00:00+00:00", 60_000, "t4"),  # Feb 2
    ("2024-03-05T15:00:00+00:00", 50_000, "t2"),  # Mar 5
    ("2024-03-06T15:00:00+00:00", 50_000, "t2"),  # Mar 6
    ("2024-04-01T03:30:00+00:00", 100_000, REAL_TRACK),  # Mar 31, 23:30 local (EDT)
]
EPISODE_PLAYS = [
    ("2024-01-12T15:00:00+00:00", 1_000_000, "e1"),
    ("2024-01-13T15:00:00+00:00", 2_000_000, REAL_EPISODE),
    ("2024-01-14T15:00:00+00:00", 500_000, "e3"),
    ("2024-01-15T15:00:00+00:00", 500_000, "e3"),
    ("2024-01-16T15:00:00+00:00", 700_000, "c1"),
]


def seed(warehouse: Warehouse) -> None:
    warehouse.user(ME, "America/New_York")
    warehouse.user(FRIEND, "UTC")
    warehouse.artist("a1", "Aurora")
    warehouse.artist("a2", "Bonobo")
    warehouse.artist(CARIBOU, "Caribou")
    warehouse.album(REAL_ALBUM, "Alpha", ALPHA_ART)
    warehouse.execute(
        "UPDATE dim_albums SET release_date = '2023-05', release_date_precision = 'month' "
        "WHERE album_id = %s",
        (REAL_ALBUM,),
    )
    warehouse.album(SWIM, "Swim", None)
    warehouse.track(REAL_TRACK, "First Song", REAL_ALBUM, ["a2", "a1"])
    warehouse.track("t2", "Second Song", REAL_ALBUM, ["a1"])
    warehouse.track(ODESSA, "Odessa", SWIM, [CARIBOU])
    warehouse.track("t4", "Fourth", SWIM, [CARIBOU])
    warehouse.track("t5", "Never Mine", REAL_ALBUM, ["a1"])
    for track_id, valence, energy in [
        (REAL_TRACK, 0.75, 0.5),
        ("t2", 0.25, 0.375),
        ("t4", 0.5, 0.875),
    ]:
        warehouse.execute(
            "INSERT INTO track_audio_features (track_id, provider, fetched_at, valence, energy) "
            "VALUES (%s, 'test', now(), %s, %s)",
            (track_id, valence, energy),
        )
    warehouse.episode("e1", "Episode One", show="Talk/Show")
    warehouse.episode(REAL_EPISODE, "Episode Two", show="Talk/Show")
    warehouse.episode("e3", "Other Episode", show="Other Show")
    warehouse.episode("c1", "Chapter One", show="A Book", kind="chapter")

    for started_at, ms_played, track_id in PLAYS:
        warehouse.play(started_at, ms_played, track=track_id)
    for started_at, ms_played, episode_id in EPISODE_PLAYS:
        warehouse.play(started_at, ms_played, episode=episode_id)
    # Someone else's listening changes none of "me"'s figures or ranks.
    warehouse.play("2024-01-10T12:00:00+00:00", 9_000_000, track="t5", user_id=FRIEND)
    for hour in range(10, 15):
        warehouse.play(f"2024-02-05T{hour}:00:00+00:00", 200_000, track="t2", user_id=FRIEND)
    warehouse.refresh()


@pytest.fixture
def client(warehouse: Warehouse, start_app: StartApp) -> TestClient:
    seed(warehouse)
    return start_app()


def path_of(kind: str, item_id: str) -> str:
    return f"/api/v1/{kind}/{quote(item_id, safe='')}"


def month(day: str, plays: int, listening_ms: int, rank: int | None, ranked: int) -> Any:
    return {
        "month": day,
        "plays": plays,
        "listening_ms": listening_ms,
        "rank": rank,
        "ranked": ranked,
    }


ALPHA = {"album_id": REAL_ALBUM, "name": "Alpha", "image_url": ALPHA_ART}
AURORA = {"artist_id": "a1", "name": "Aurora"}
BONOBO = {"artist_id": "a2", "name": "Bonobo"}


# --- tracks ----------------------------------------------------------------------------


def test_a_track_over_all_time(client: TestClient) -> None:
    assert get_json(client, path_of("tracks", REAL_TRACK)) == {
        "from": None,
        "to": None,
        "track_id": REAL_TRACK,
        "name": "First Song",
        "artists": [BONOBO, AURORA],
        "album": ALPHA,
        "duration_ms": 240_000,
        "plays": 3,
        "listening_ms": 600_000,
        "first_played_at": "2024-01-10T15:00:00Z",
        "last_played_at": "2024-04-01T03:30:00Z",
        # The play at 03:00 UTC on Feb 1 is January's, the one on Apr 1 is March's; February
        # has none and is still listed. January: 2 plays against t2's 2 plays, more time:
        # first of 2. March: 1 play against t2's 2: second of 2.
        "months": [
            month("2024-01-01", 2, 500_000, 1, 2),
            month("2024-02-01", 0, 0, None, 0),
            month("2024-03-01", 1, 100_000, 2, 2),
        ],
        "mood": {"valence": 0.75, "energy": 0.5, "coverage": 1.0, "listening_ms": 600_000},
        "spotify_url": f"https://open.spotify.com/track/{REAL_TRACK}",
        "spotify_link": "item",
    }


def test_a_tracks_range_figures_are_cut_in_local_days(client: TestClient) -> None:
    jan_31 = get_json(
        client, path_of("tracks", REAL_TRACK), **{"from": "2024-01-31", "to": "2024-01-31"}
    )
    assert (jan_31["from"], jan_31["to"], jan_31["plays"], jan_31["listening_ms"]) == (
        "2024-01-31",
        "2024-01-31",
        1,
        300_000,
    )
    # The history does not depend on the range.
    assert [m["plays"] for m in jan_31["months"]] == [2, 0, 1]
    assert jan_31["first_played_at"] == "2024-01-10T15:00:00Z"
    feb_1 = get_json(
        client, path_of("tracks", REAL_TRACK), **{"from": "2024-02-01", "to": "2024-02-29"}
    )
    assert (feb_1["plays"], feb_1["listening_ms"]) == (0, 0)
    assert feb_1["mood"] == {"valence": None, "energy": None, "coverage": 0.0, "listening_ms": 0}


def test_tracks_tied_on_plays_and_time_rank_by_name(client: TestClient) -> None:
    # February: Odessa and Fourth both have one play of 60 s; "Fourth" sorts first.
    odessa = get_json(client, path_of("tracks", ODESSA))
    fourth = get_json(client, path_of("tracks", "t4"))
    assert odessa["months"] == [month("2024-02-01", 1, 60_000, 2, 2)]
    assert fourth["months"] == [month("2024-02-01", 1, 60_000, 1, 2)]


def test_a_provisional_track_searches_spotify_and_has_no_features(client: TestClient) -> None:
    odessa = get_json(client, path_of("tracks", ODESSA))
    assert (odessa["track_id"], odessa["name"], odessa["artists"]) == (
        ODESSA,
        "Odessa",
        [{"artist_id": CARIBOU, "name": "Caribou"}],
    )
    assert odessa["album"] == {"album_id": SWIM, "name": "Swim", "image_url": None}
    assert odessa["spotify_url"] == "https://open.spotify.com/search/Odessa%20Caribou"
    assert odessa["spotify_link"] == "search"
    assert odessa["mood"] == {
        "valence": None,
        "energy": None,
        "coverage": 0.0,
        "listening_ms": 60_000,
    }
    # The key may also come unencoded: its slash is part of the id.
    assert client.get(f"/api/v1/tracks/{ODESSA}").json()["track_id"] == ODESSA


# --- artists ---------------------------------------------------------------------------


def test_an_artist_sums_every_track_credited_to_it(client: TestClient) -> None:
    aurora = get_json(client, "/api/v1/artists/a1")
    # First Song (3 plays, 600 s) and Second Song (4 plays, 300 s); never Never Mine.
    assert (aurora["artist_id"], aurora["name"], aurora["image_url"]) == ("a1", "Aurora", ALPHA_ART)
    assert (aurora["plays"], aurora["listening_ms"]) == (7, 900_000)
    assert (aurora["first_played_at"], aurora["last_played_at"]) == (
        "2024-01-10T15:00:00Z",
        "2024-04-01T03:30:00Z",
    )
    # Only artists of "me"'s tracks rank in a month: Aurora and Bonobo in January and
    # March, Caribou alone in February.
    assert aurora["months"] == [
        month("2024-01-01", 4, 700_000, 1, 2),
        month("2024-02-01", 0, 0, None, 0),
        month("2024-03-01", 3, 200_000, 1, 2),
    ]
    # Weighted by listening time: First Song 600 s, Second Song 300 s.
    assert aurora["mood"]["valence"] == pytest.approx((0.75 * 600 + 0.25 * 300) / 900)
    assert aurora["mood"]["energy"] == pytest.approx((0.5 * 600 + 0.375 * 300) / 900)
    assert (aurora["mood"]["coverage"], aurora["mood"]["listening_ms"]) == (1.0, 900_000)
    assert aurora["by"] == "plays"
    assert [
        (t["rank"], t["track_id"], t["plays"], t["listening_ms"]) for t in aurora["top_tracks"]
    ] == [
        (1, "t2", 4, 300_000),
        (2, REAL_TRACK, 3, 600_000),
    ]
    assert aurora["top_tracks"][1]["artists"] == [BONOBO, AURORA]
    assert aurora["top_tracks"][1]["album"] == ALPHA
    assert aurora["spotify_url"] == "https://open.spotify.com/search/Aurora"
    assert aurora["spotify_link"] == "search"


def test_an_artists_top_tracks_follow_the_range_measure_and_limit(client: TestClient) -> None:
    by_time = get_json(client, "/api/v1/artists/a1", by="listening_time", limit=1)
    assert [(t["rank"], t["track_id"]) for t in by_time["top_tracks"]] == [(1, REAL_TRACK)]
    jan_31 = get_json(client, "/api/v1/artists/a1", **{"from": "2024-01-31", "to": "2024-01-31"})
    assert (jan_31["plays"], jan_31["listening_ms"]) == (1, 300_000)
    assert [(t["track_id"], t["plays"]) for t in jan_31["top_tracks"]] == [(REAL_TRACK, 1)]
    assert jan_31["mood"]["valence"] == 0.75


def test_a_second_artist_ranks_below_the_first(client: TestClient) -> None:
    bonobo = get_json(client, "/api/v1/artists/a2")
    assert bonobo["months"] == [
        month("2024-01-01", 2, 500_000, 2, 2),
        month("2024-02-01", 0, 0, None, 0),
        month("2024-03-01", 1, 100_000, 2, 2),
    ]


def test_a_provisional_artist_and_its_partly_featured_mood(client: TestClient) -> None:
    caribou = get_json(client, path_of("artists", CARIBOU))
    assert (caribou["artist_id"], caribou["image_url"], caribou["plays"]) == (CARIBOU, None, 2)
    assert caribou["months"] == [month("2024-02-01", 2, 120_000, 1, 1)]
    # Fourth has features, Odessa none: half the listening time is covered.
    assert caribou["mood"] == {
        "valence": 0.5,
        "energy": 0.875,
        "coverage": 0.5,
        "listening_ms": 120_000,
    }
    # Tied on plays and time: by name.
    assert [t["name"] for t in caribou["top_tracks"]] == ["Fourth", "Odessa"]
    assert caribou["spotify_url"] == "https://open.spotify.com/search/Caribou"


# --- albums ----------------------------------------------------------------------------


def test_an_album(client: TestClient) -> None:
    alpha = get_json(client, path_of("albums", REAL_ALBUM), by="listening_time")
    assert {key: alpha[key] for key in ("album_id", "name", "image_url", "release_date")} == {
        "album_id": REAL_ALBUM,
        "name": "Alpha",
        "image_url": ALPHA_ART,
        "release_date": "2023-05",
    }
    # Aurora is credited first on two of its tracks (one never played), Bonobo on one.
    assert alpha["artists"] == [AURORA, BONOBO]
    assert (alpha["plays"], alpha["listening_ms"]) == (7, 900_000)
    assert alpha["months"] == [
        month("2024-01-01", 4, 700_000, 1, 1),
        month("2024-02-01", 0, 0, None, 0),
        month("2024-03-01", 3, 200_000, 1, 1),
    ]
    assert [(t["rank"], t["track_id"]) for t in alpha["top_tracks"]] == [(1, REAL_TRACK), (2, "t2")]
    assert alpha["mood"]["valence"] == pytest.approx((0.75 * 600 + 0.25 * 300) / 900)
    assert alpha["spotify_url"] == f"https://open.spotify.com/album/{REAL_ALBUM}"
    assert alpha["spotify_link"] == "item"


def test_a_provisional_album_with_a_slash_in_its_key(client: TestClient) -> None:
    swim = get_json(client, path_of("albums", SWIM))
    assert (swim["album_id"], swim["name"], swim["image_url"], swim["release_date"]) == (
        SWIM,
        "Swim",
        None,
        None,
    )
    assert swim["artists"] == [{"artist_id": CARIBOU, "name": "Caribou"}]
    assert swim["months"] == [month("2024-02-01", 2, 120_000, 1, 1)]
    assert swim["spotify_url"] == "https://open.spotify.com/search/Swim%20Caribou"


# --- shows -----------------------------------------------------------------------------


def test_a_show_known_by_a_name_with_a_slash(client: TestClient) -> None:
    show = get_json(client, "/api/v1/shows", name="Talk/Show")
    # January: Talk/Show and Other Show both have 2 plays; Talk/Show has more time. The
    # audiobook ranks among audiobooks, not here.
    assert show == {
        "from": None,
        "to": None,
        "name": "Talk/Show",
        "kind": "podcast",
        "plays": 2,
        "listening_ms": 3_000_000,
        "first_played_at": "2024-01-12T15:00:00Z",
        "last_played_at": "2024-01-13T15:00:00Z",
        "months": [month("2024-01-01", 2, 3_000_000, 1, 2)],
        "spotify_url": "https://open.spotify.com/search/Talk%2FShow",
        "spotify_link": "search",
        "by": "plays",
        # One play each: more time first.
        "top_episodes": [
            {
                "rank": 1,
                "episode_id": REAL_EPISODE,
                "name": "Episode Two",
                "plays": 1,
                "listening_ms": 2_000_000,
                "spotify_url": f"https://open.spotify.com/episode/{REAL_EPISODE}",
            },
            {
                "rank": 2,
                "episode_id": "e1",
                "name": "Episode One",
                "plays": 1,
                "listening_ms": 1_000_000,
                "spotify_url": None,
            },
        ],
    }
    other = get_json(client, "/api/v1/shows", name="Other Show")
    assert other["months"] == [month("2024-01-01", 2, 1_000_000, 2, 2)]


def test_an_audiobook_ranks_among_audiobooks(client: TestClient) -> None:
    book = get_json(client, "/api/v1/shows", name="A Book")
    assert (book["kind"], book["plays"]) == ("audiobook", 1)
    assert book["months"] == [month("2024-01-01", 1, 700_000, 1, 1)]
    outside = get_json(client, "/api/v1/shows", name="A Book", **{"from": "2024-02-01"})
    assert (outside["plays"], outside["top_episodes"]) == (0, [])


# --- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "detail"),
    [
        ("/api/v1/tracks/nope", {}, "No track with id 'nope'"),
        # Only someone else played it.
        ("/api/v1/tracks/t5", {}, "You have never played the track 'Never Mine'"),
        ("/api/v1/artists/name:nobody", {}, "No artist with id 'name:nobody'"),
        ("/api/v1/albums/name:caribou/nothing", {}, "No album with id 'name:caribou/nothing'"),
        ("/api/v1/shows", {"name": "Talk"}, "No show named 'Talk'"),
    ],
)
def test_unknown_or_never_played_items_are_404(
    client: TestClient, path: str, params: dict[str, str], detail: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 404
    assert response.json() == {"detail": detail}


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/tracks/t2", {"from": "2024-02-01", "to": "2024-01-01"}, "to"),
        ("/api/v1/tracks/t2", {"from": "2024-1-1"}, "from"),
        ("/api/v1/artists/a1", {"limit": 0}, "limit"),
        ("/api/v1/albums/name:caribou/swim", {"limit": 51}, "limit"),
        ("/api/v1/artists/a1", {"by": "skips"}, "by"),
        ("/api/v1/shows", {}, "name"),
        ("/api/v1/shows", {"name": ""}, "name"),
    ],
)
def test_bad_parameters_are_422(
    client: TestClient, path: str, params: dict[str, object], field: str
) -> None:
    assert [refused for refused, _ in refusals(client, path, **params)] == [field]
