"""Genres in the API: top parent genres for a range, their share over time, an artist's
genres, and what the providers know with "fetch again".

"me" lives in UTC. Aurora has two raw genres of one parent (folk, indie folk: Folk) and one
of another (art pop: Pop); Bonobo is Electronic; nobody knew Nobody's; Unasked was never
asked. "First" credits Bonobo and Aurora, so it counts for Electronic, Folk and Pop.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from etl.warehouse.load import pending_enrichment
from tests.integration.api_calls import StartApp, get_json, refusals
from tests.integration.warehouse import FRIEND, ME, Warehouse

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)
LATER = NOW + timedelta(days=30)
GENRES = [
    ("a1", "folk", "Folk", "spotify"),
    ("a1", "indie folk", "Folk", "spotify"),
    ("a1", "art pop", "Pop", "spotify"),
    ("a2", "downtempo", "Electronic", "musicbrainz"),
]
PLAYS = [  # UTC start, ms_played, track
    ("2024-01-10T15:00:00+00:00", 200_000, "first"),
    ("2024-01-11T15:00:00+00:00", 100_000, "second"),
    ("2024-01-12T15:00:00+00:00", 100_000, "third"),
    ("2024-02-03T15:00:00+00:00", 300_000, "fourth"),
    ("2024-02-04T15:00:00+00:00", 100_000, "first"),
]
JANUARY = {"from": "2024-01-01", "to": "2024-01-31"}


def seed(warehouse: Warehouse) -> None:
    warehouse.user(ME, "UTC")
    warehouse.user(FRIEND, "UTC")
    for artist_id, name in [("a1", "Aurora"), ("a2", "Bonobo"), ("a3", "Nobody")]:
        warehouse.artist(artist_id, name)
    warehouse.artist("a4", "Unasked")
    warehouse.album("al1", "Covered", "https://i.scdn.co/image/covered")
    warehouse.album("al2", "Archived", "https://coverartarchive.org/release-group/x/front")
    warehouse.execute(
        "UPDATE dim_albums SET image_provider = 'coverartarchive' WHERE album_id = 'al2'", ()
    )
    warehouse.album("al3", "Unknown", None)
    warehouse.album("al4", "Unasked", None)
    warehouse.track("first", "First", "al1", ["a2", "a1"])
    warehouse.track("second", "Second", "al2", ["a1"])
    warehouse.track("third", "Third", "al3", ["a3"])
    warehouse.track("fourth", "Fourth", "al4", ["a2", "a4"])
    for artist_id, genre, parent, provider in GENRES:
        warehouse.execute(
            "INSERT INTO artist_genres (artist_id, genre, parent_genre, provider, fetched_at) "
            "VALUES (%s, %s, %s, %s, %s)",
            (artist_id, genre, parent, provider, NOW),
        )
    warehouse.execute(
        "INSERT INTO artist_genre_lookups (artist_id, provider, looked_up_at, retry_after) "
        "VALUES ('a1', 'spotify', %s, NULL), ('a2', 'musicbrainz', %s, NULL), "
        "('a3', NULL, %s, %s)",
        (NOW, NOW, NOW, LATER),
    )
    warehouse.execute(
        "INSERT INTO album_art_lookups (album_id, provider, looked_up_at, retry_after) "
        "VALUES ('al2', 'coverartarchive', %s, NULL), ('al3', NULL, %s, %s)",
        (NOW, NOW, LATER),
    )
    warehouse.execute(
        "INSERT INTO track_audio_features (track_id, provider, fetched_at, valence, energy) "
        "VALUES ('first', 'reccobeats', %s, 0.5, 0.5), ('fourth', 'sample', %s, 0.5, 0.5)",
        (NOW, NOW),
    )
    warehouse.execute(
        "INSERT INTO audio_feature_misses (track_id, tries, last_tried_at) "
        "VALUES ('second', 2, %s)",
        (NOW,),
    )
    for started_at, ms_played, track_id in PLAYS:
        warehouse.play(started_at, ms_played, track=track_id)
    warehouse.play("2024-01-13T15:00:00+00:00", 1_000_000, episode="e1")
    # Someone else's listening changes none of "me"'s figures.
    warehouse.play("2024-01-10T12:00:00+00:00", 9_000_000, track="third", user_id=FRIEND)
    warehouse.refresh()


@pytest.fixture
def client(warehouse: Warehouse, start_app: StartApp) -> TestClient:
    warehouse.episode("e1", "Episode One")
    seed(warehouse)
    return start_app(NOW)


def parent(name: str, plays: int, listening_ms: int, share: float, genres: list[Any]) -> Any:
    return {
        "parent_genre": name,
        "plays": plays,
        "listening_ms": listening_ms,
        "share": share,
        "genres": [{"genre": g, "plays": p, "listening_ms": ms} for g, p, ms in genres],
    }


# --- top genres ---------------------------------------------------------------------------


def test_top_genres_over_all_time(client: TestClient) -> None:
    # Music: 800,000 ms, of which Third's 100,000 has no genre. First (300,000 ms, two plays)
    # counts once for each of its three parents, and once for Folk though Aurora has two
    # folk genres. The episode is no music.
    assert get_json(client, "/api/v1/genres/top") == {
        "from": None,
        "to": None,
        "by": "listening_time",
        "listening_ms": 800_000,
        "coverage": 0.875,
        "items": [
            parent("Electronic", 3, 600_000, 0.75, [("downtempo", 3, 600_000)]),
            parent("Folk", 3, 400_000, 0.5, [("folk", 3, 400_000), ("indie folk", 3, 400_000)]),
            parent("Pop", 3, 400_000, 0.5, [("art pop", 3, 400_000)]),
        ],
    }


def test_top_genres_in_a_range_by_plays(client: TestClient) -> None:
    answer = get_json(client, "/api/v1/genres/top", **JANUARY, by="plays")
    assert (answer["from"], answer["to"], answer["by"]) == ("2024-01-01", "2024-01-31", "plays")
    assert answer["listening_ms"] == 400_000
    assert answer["coverage"] == 0.75
    assert [
        (p["parent_genre"], p["plays"], p["listening_ms"], p["share"]) for p in answer["items"]
    ] == [
        ("Folk", 2, 300_000, 0.75),
        ("Pop", 2, 300_000, 0.75),
        ("Electronic", 1, 200_000, 0.5),
    ]


def test_a_range_without_music(client: TestClient) -> None:
    answer = get_json(client, "/api/v1/genres/top", **{"from": "2024-01-13", "to": "2024-01-13"})
    assert (answer["listening_ms"], answer["coverage"], answer["items"]) == (0, 0.0, [])
    trend = get_json(client, "/api/v1/genres/trend", **{"from": "2024-01-13", "to": "2024-01-13"})
    assert (trend["granularity"], trend["genres"], trend["points"]) == ("day", [], [])


def test_bad_ranges_are_refused(client: TestClient) -> None:
    for path in ("/api/v1/genres/top", "/api/v1/genres/trend"):
        assert refusals(client, path, **{"from": "2024-02-01", "to": "2024-01-01"})[0][0] == "to"
        assert refusals(client, path, **{"from": "1 Jan"})[0][0] == "from"
    assert refusals(client, "/api/v1/genres/top", by="fame")[0][0] == "by"
    assert refusals(client, "/api/v1/genres/trend", limit=0)[0][0] == "limit"


def test_an_exclusion_rule_leaves_its_plays_out_of_the_genres(client: TestClient) -> None:
    # Bonobo left out: First's and Fourth's plays go (every artist of a track is credited),
    # so do Electronic and every genre of First; Second is the only covered track left.
    added = client.post("/api/v1/exclusions", json={"kind": "artist", "item_id": "a2"})
    assert added.status_code == 201, added.text
    answer = get_json(client, "/api/v1/genres/top")
    assert (answer["listening_ms"], answer["coverage"]) == (200_000, 0.5)
    assert [item["parent_genre"] for item in answer["items"]] == ["Folk", "Pop"]
    trend = get_json(client, "/api/v1/genres/trend")
    assert [(p["period_start"], p["listening_ms"]) for p in trend["points"]] == [
        ("2024-01-01", 200_000)
    ]
    assert client.delete(f"/api/v1/exclusions/{added.json()['rule_id']}").status_code == 204
    assert get_json(client, "/api/v1/genres/top")["listening_ms"] == 800_000


# --- genre share over time ----------------------------------------------------------------


def shares(answer: Any) -> list[tuple[str, int, float, Any]]:
    return [
        (p["period_start"], p["listening_ms"], p["coverage"], p["shares"]) for p in answer["points"]
    ]


def test_genre_trend_by_month_splits_a_track_between_its_parents(client: TestClient) -> None:
    # January: First's 200,000 ms a third each to Electronic, Folk and Pop, Second's 100,000
    # half each to Folk and Pop, of 300,000 covered. February: Fourth's 300,000 Electronic,
    # First's 100,000 a third each. Over the range Electronic has 400,000, Folk and Pop
    # 150,000 each: with two genres shown, Pop is Other.
    answer = get_json(client, "/api/v1/genres/trend", limit=2)
    assert (answer["granularity"], answer["genres"]) == ("month", ["Electronic", "Folk", "Other"])
    assert shares(answer) == [
        ("2024-01-01", 400_000, 0.75, pytest.approx([2 / 9, 7 / 18, 7 / 18])),
        ("2024-02-01", 400_000, 1.0, pytest.approx([5 / 6, 1 / 12, 1 / 12])),
    ]
    for point in answer["points"]:
        assert sum(point["shares"]) == pytest.approx(1)


def test_genre_trend_by_day_and_week(client: TestClient) -> None:
    days = get_json(client, "/api/v1/genres/trend", **{"from": "2024-01-10", "to": "2024-01-12"})
    assert (days["granularity"], days["genres"]) == ("day", ["Folk", "Pop", "Electronic"])
    assert shares(days) == [
        ("2024-01-10", 200_000, 1.0, pytest.approx([1 / 3, 1 / 3, 1 / 3])),
        ("2024-01-11", 100_000, 1.0, [0.5, 0.5, 0.0]),
        ("2024-01-12", 100_000, 0.0, [0.0, 0.0, 0.0]),  # Nobody's: no genre
    ]
    weeks = get_json(client, "/api/v1/genres/trend", **{"from": "2024-01-01", "to": "2024-02-29"})
    assert weeks["granularity"] == "week"
    assert [p["period_start"] for p in weeks["points"]] == ["2024-01-08", "2024-01-29"]


def test_genre_trend_by_month_over_a_range_of_part_months(client: TestClient) -> None:
    # January from the 11th (Second and Third, day by day), February whole: by month.
    answer = get_json(client, "/api/v1/genres/trend", **{"from": "2024-01-11", "to": "2024-12-31"})
    assert answer["granularity"] == "month"
    assert [(p["period_start"], p["listening_ms"], p["coverage"]) for p in answer["points"]] == [
        ("2024-01-01", 200_000, 0.5),
        ("2024-02-01", 400_000, 1.0),
    ]


# --- an artist's genres -------------------------------------------------------------------


def test_an_artist_page_names_its_genres(client: TestClient) -> None:
    aurora = get_json(client, "/api/v1/artists/a1")
    assert aurora["genres"] == [
        {"genre": "folk", "parent_genre": "Folk", "provider": "spotify"},
        {"genre": "indie folk", "parent_genre": "Folk", "provider": "spotify"},
        {"genre": "art pop", "parent_genre": "Pop", "provider": "spotify"},
    ]
    assert get_json(client, "/api/v1/artists/" + quote("a3"))["genres"] == []


# --- the providers' coverage and "fetch again" --------------------------------------------


def test_what_the_providers_know(client: TestClient) -> None:
    kinds = {kind.pop("kind"): kind for kind in get_json(client, "/api/v1/providers")["kinds"]}
    # Tracks: First and Fourth have features (600,000 of 800,000 ms); Second was not known;
    # Third was never asked. Artists: Aurora and Bonobo known (700,000 ms of tracks with a
    # genre); Nobody not known; Unasked never asked. Albums: two covers (First's 300,000 ms
    # and Second's 100,000); Third's album not known; Fourth's never asked.
    assert kinds == {
        "features": {
            "items": 4,
            "known": 2,
            "by_provider": [
                {"provider": "reccobeats", "items": 1},
                {"provider": "sample", "items": 1},
            ],
            "unknown": 1,
            "not_asked": 1,
            "share_of_time": 0.75,
        },
        "genres": {
            "items": 4,
            "known": 2,
            "by_provider": [
                {"provider": "musicbrainz", "items": 1},
                {"provider": "spotify", "items": 1},
            ],
            "unknown": 1,
            "not_asked": 1,
            "share_of_time": 0.875,
        },
        "artwork": {
            "items": 4,
            "known": 2,
            "by_provider": [
                {"provider": "coverartarchive", "items": 1},
                {"provider": "spotify", "items": 1},
            ],
            "unknown": 1,
            "not_asked": 1,
            "share_of_time": 0.5,
        },
    }


def due(warehouse: Warehouse, table: str) -> list[Any]:
    with warehouse.conn, warehouse.conn.cursor() as cur:
        cur.execute(f"SELECT retry_after FROM {table} WHERE provider IS NULL")
        return [row[0] for row in cur.fetchall()]


@pytest.mark.parametrize(
    ("kind", "table"), [("genres", "artist_genre_lookups"), ("artwork", "album_art_lookups")]
)
def test_fetch_again_makes_the_unknown_due_now(
    client: TestClient, warehouse: Warehouse, kind: str, table: str
) -> None:
    assert due(warehouse, table) == [LATER]
    response = client.post(f"/api/v1/providers/{kind}/refetch")
    assert response.status_code == 200, response.text
    assert response.json() == {"kind": kind, "queued": 1}
    assert due(warehouse, table) == [NOW]
    # Already due: nothing more to queue.
    assert client.post(f"/api/v1/providers/{kind}/refetch").json()["queued"] == 0


def test_fetch_again_forgets_the_feature_misses(client: TestClient, warehouse: Warehouse) -> None:
    response = client.post("/api/v1/providers/features/refetch")
    assert response.json() == {"kind": "features", "queued": 1}
    features = get_json(client, "/api/v1/providers")["kinds"][0]
    assert (features["kind"], features["unknown"], features["not_asked"]) == ("features", 0, 2)
    # The next enrich run asks about the track again (it was first played months ago).
    pending = pending_enrichment(
        warehouse.conn, tracks=10, artists=0, now=NOW, batch=100, max_wait=timedelta(days=1)
    )
    assert sorted(pending.track_ids) == ["second", "third"]


def test_fetch_again_of_an_unknown_kind(client: TestClient) -> None:
    response = client.post("/api/v1/providers/lyrics/refetch")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "kind"]
    assert client.post("/api/v1/providers/refetch").status_code in {404, 405}
