"""The fake ReccoBeats over real HTTP: features by Spotify ID, its limits and its faults."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import requests

from moodify.demo.simulation import FakeReccoBeats
from moodify.demo.simulation.catalog import Track

FEATURES = "/v1/audio-features"
FEATURE_FIELDS = {
    "acousticness", "danceability", "energy", "instrumentalness", "key", "liveness",
    "loudness", "mode", "speechiness", "tempo", "valence",
}  # fmt: skip
TIMEOUT = 5


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeReccoBeats]:
    with FakeReccoBeats() as server:
        yield server


@pytest.fixture(autouse=True)
def fresh(fake: FakeReccoBeats) -> None:
    fake.clear_faults()
    fake.clear_requests()


def tracks(fake: FakeReccoBeats, *, with_features: bool) -> list[Track]:
    return [t for t in fake.catalog.tracks.values() if (t.features is not None) == with_features]


def features(fake: FakeReccoBeats, ids: list[str], timeout: float = TIMEOUT) -> requests.Response:
    params = {"ids": ",".join(ids)}
    return requests.get(f"{fake.api_url}/audio-features", params=params, timeout=timeout)


def test_answers_features_for_known_tracks(fake: FakeReccoBeats) -> None:
    known = tracks(fake, with_features=True)[:3]

    answer = features(fake, [t.id for t in known])

    assert answer.status_code == 200
    content = answer.json()["content"]
    assert [item["href"] for item in content] == [
        f"https://open.spotify.com/track/{t.id}" for t in known
    ]
    for item, track in zip(content, known, strict=True):
        assert set(item) == {"id", "href"} | FEATURE_FIELDS
        assert uuid.UUID(item["id"]).version == 4
        assert item["id"] == track.reccobeats_id
        assert track.features is not None
        assert item["valence"] == track.features.valence


def test_tracks_it_does_not_know_are_simply_absent(fake: FakeReccoBeats) -> None:
    known = tracks(fake, with_features=True)[0]
    unknown = tracks(fake, with_features=False)[0]

    content = features(fake, [unknown.id, known.id, "0000000000000000000000"]).json()["content"]

    assert [item["href"].rsplit("/", 1)[1] for item in content] == [known.id]


def test_at_most_40_ids_per_request(fake: FakeReccoBeats) -> None:
    ids = list(fake.catalog.tracks)

    assert features(fake, ids[:40]).status_code == 200
    too_many = features(fake, ids[:41])
    assert too_many.status_code == 400
    assert too_many.json()["status"] == 400
    assert features(fake, []).status_code == 400


def test_429_carries_retry_after(fake: FakeReccoBeats) -> None:
    ids = [tracks(fake, with_features=True)[0].id]
    fake.fail(FEATURES, 429, retry_after=12)

    limited = features(fake, ids)

    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "12"
    assert features(fake, ids).status_code == 200


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors(fake: FakeReccoBeats, status: int) -> None:
    ids = [tracks(fake, with_features=True)[0].id]
    fake.fail(FEATURES, status, times=2)

    statuses = [features(fake, ids).status_code for _ in range(3)]

    assert statuses == [status, status, 200]


def test_slow_answers_time_clients_out(fake: FakeReccoBeats) -> None:
    ids = [tracks(fake, with_features=True)[0].id]
    fake.fail(FEATURES, delay=0.5)
    with pytest.raises(requests.Timeout):
        features(fake, ids, timeout=0.1)
    assert features(fake, ids).status_code == 200


def test_requests_are_recorded(fake: FakeReccoBeats) -> None:
    ids = [t.id for t in tracks(fake, with_features=True)[:2]]
    fake.fail(FEATURES, 503)
    features(fake, ids)
    features(fake, ids)

    failed, answered = fake.requests

    assert (failed.status, failed.injected) == (503, True)
    assert (answered.status, answered.injected) == (200, False)
    assert answered.query == {"ids": ",".join(ids)}
    assert len(answered.json()["content"]) == 2
    assert fake.calls(FEATURES) == 2
