"""Comparing with friends: sharing is opt-in on both sides, at most five share, and the
comparison (shared artists and tracks, score, mood) is exactly right on a small history and
never served stale."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from psycopg2 import errors

from api.app import create_app
from etl.core.settings import Settings
from etl.warehouse.connection import connect
from etl.warehouse.sharing import SharingFull, set_sharing
from tests.integration.api_calls import get_json
from tests.integration.warehouse import FRIEND, ME, Warehouse

NOW = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
MINUTE = 60_000
COMPARE = f"/api/v1/compare/{FRIEND}"

ClientFor = Callable[[str], TestClient]


@pytest.fixture
def client_for(settings: Settings) -> Iterator[ClientFor]:
    """The API as `user_id` sees it (one Moodify, several users), its clock at NOW."""
    with ExitStack() as started:

        def start(user_id: str) -> TestClient:
            app = create_app(settings.model_copy(update={"user_id": user_id}), clock=lambda: NOW)
            return started.enter_context(TestClient(app))

        yield start


def seed(warehouse: Warehouse) -> None:
    """Me: a1 60 min (t1), a2 30 min (t2), a3 10 min (t3, in February, no features).
    The friend: a1 20 min (t1), a2 40 min (t5), a4 40 min (t4), all in January."""
    warehouse.user(ME, "Europe/Berlin")
    warehouse.user(FRIEND, "UTC")
    for artist_id, name in [("a1", "Aurora"), ("a2", "Bonobo"), ("a3", "Caribou"), ("a4", "Dido")]:
        warehouse.artist(artist_id, name)
    warehouse.album("al1", "Alpha", "https://i.scdn.co/image/alpha")
    warehouse.track("t1", "One", "al1", ["a1"])
    warehouse.track("t2", "Two", None, ["a2"])
    warehouse.track("t3", "Three", None, ["a3"])
    warehouse.track("t4", "Four", None, ["a4"])
    warehouse.track("t5", "Five", None, ["a2"])
    for track_id, valence, energy, danceability in [
        ("t1", 0.8, 0.6, 0.5),
        ("t2", 0.2, 0.3, 0.2),
        ("t4", 0.3, 0.9, 0.7),
        ("t5", 0.5, 0.4, 0.6),
    ]:
        warehouse.execute(
            "INSERT INTO track_audio_features (track_id, provider, fetched_at, valence, energy, "
            "danceability) VALUES (%s, 'test', now(), %s, %s, %s)",
            (track_id, valence, energy, danceability),
        )
    play = warehouse.play
    play("2024-01-10T12:00:00+00:00", 40 * MINUTE, track="t1")
    play("2024-01-11T12:00:00+00:00", 20 * MINUTE, track="t1")
    play("2024-01-12T12:00:00+00:00", 30 * MINUTE, track="t2")
    play("2024-02-05T12:00:00+00:00", 10 * MINUTE, track="t3")
    friend = FRIEND
    play("2024-01-10T18:00:00+00:00", 20 * MINUTE, track="t1", user_id=friend)
    play("2024-01-13T18:00:00+00:00", 40 * MINUTE, track="t5", user_id=friend)
    play("2024-01-14T18:00:00+00:00", 40 * MINUTE, track="t4", user_id=friend)
    warehouse.refresh()


def share(settings: Settings, user_id: str, shared: bool = True) -> None:
    with closing(connect(settings)) as conn:
        set_sharing(conn, user_id, shared, NOW, time_zone="UTC")


def put_sharing(client: TestClient, shared: object) -> dict[str, object]:
    response = client.put("/api/v1/sharing", json={"shared": shared})
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


@pytest.fixture
def seeded(warehouse: Warehouse) -> None:
    seed(warehouse)


@pytest.mark.usefixtures("seeded")
def test_sharing_is_opt_in_on_both_sides(client_for: ClientFor) -> None:
    me, friend = client_for(ME), client_for(FRIEND)
    nobody_shares: dict[str, object] = {
        "shared": False,
        "changed_at": None,
        "sharing": [],
        "max_sharing": 5,
    }
    assert get_json(me, "/api/v1/sharing") == {**nobody_shares, "slots_left": 5}
    assert get_json(me, "/api/v1/compare") == {"shared": False, "friends": []}
    assert me.get(COMPARE).status_code == 403

    # The friend opts in: I see their name, but cannot compare until I share too.
    assert put_sharing(friend, True)["shared"] is True
    friend_named = [{"user_id": FRIEND, "display_name": None}]
    assert get_json(me, "/api/v1/sharing")["sharing"] == friend_named
    assert get_json(me, "/api/v1/sharing")["slots_left"] == 4
    assert get_json(me, "/api/v1/compare") == {"shared": False, "friends": []}
    refused = me.get(COMPARE)
    assert refused.status_code == 403
    assert "Share your listening first" in refused.json()["detail"]

    mine = put_sharing(me, True)
    assert (mine["shared"], mine["changed_at"], mine["slots_left"]) == (
        True,
        "2024-03-01T12:00:00Z",
        3,
    )
    assert get_json(me, "/api/v1/compare") == {"shared": True, "friends": friend_named}
    assert get_json(me, COMPARE)["friend"] == friend_named[0]
    assert get_json(friend, f"/api/v1/compare/{ME}")["friend"] == {
        "user_id": ME,
        "display_name": None,
    }

    # The friend stops: gone from my list, and indistinguishable from a user never known.
    put_sharing(friend, False)
    assert get_json(me, "/api/v1/compare") == {"shared": True, "friends": []}
    stopped, unknown = me.get(COMPARE), me.get("/api/v1/compare/nobody")
    assert stopped.status_code == unknown.status_code == 404
    assert stopped.json()["detail"].replace(FRIEND, "nobody") == unknown.json()["detail"]
    # Nor is comparing with oneself comparing with a friend.
    assert me.get(f"/api/v1/compare/{ME}").status_code == 404


@pytest.mark.usefixtures("seeded")
def test_sharing_refuses_bad_input(client_for: ClientFor) -> None:
    me = client_for(ME)
    for body in ({"shared": "maybe"}, {}, {"shared": None}):
        response = me.put("/api/v1/sharing", json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["detail"][0]["loc"] == ["body", "shared"]
    assert me.put("/api/v1/sharing", content=b"yes").status_code == 422
    assert get_json(me, "/api/v1/sharing")["shared"] is False


def test_at_most_five_users_share(
    warehouse: Warehouse, settings: Settings, client_for: ClientFor
) -> None:
    users = [f"user{n}" for n in range(1, 7)]
    for user_id in users:
        warehouse.user(user_id, "UTC")
    warehouse.conn.commit()
    for user_id in users[:5]:
        share(settings, user_id)
    sixth = client_for(users[5])
    assert get_json(sixth, "/api/v1/sharing")["slots_left"] == 0
    refused = sixth.put("/api/v1/sharing", json={"shared": True})
    assert refused.status_code == 409
    assert "5 users of this Moodify already share" in refused.json()["detail"]
    assert get_json(sixth, "/api/v1/sharing")["shared"] is False
    with pytest.raises(SharingFull):
        share(settings, users[5])
    # The warehouse holds the limit whoever writes.
    with (
        closing(connect(settings)) as conn,
        pytest.raises(errors.CheckViolation),
        conn,
        conn.cursor() as cur,
    ):
        cur.execute("INSERT INTO user_sharing VALUES (%s, true, now())", (users[5],))
    # Opting out and in again is no new user; once one stops, the sixth may start.
    share(settings, users[0])
    share(settings, users[0], shared=False)
    assert put_sharing(sixth, True)["shared"] is True
    assert len(get_json(sixth, "/api/v1/sharing")["sharing"]) == 4


def test_a_user_not_yet_known_can_opt_in(settings: Settings, client_for: ClientFor) -> None:
    # Locally the configured user may share before any import made them a user.
    assert put_sharing(client_for(ME), True)["shared"] is True


@pytest.mark.usefixtures("seeded")
def test_the_comparison_is_exactly_right(settings: Settings, client_for: ClientFor) -> None:
    share(settings, ME)
    share(settings, FRIEND)
    answer = get_json(client_for(ME), COMPARE)
    # Shares: me a1 .6, a2 .3, a3 .1; the friend a1 .2, a2 .4, a4 .4.
    assert answer["score"] == 50.0  # min(.3, .4) + min(.6, .2)
    assert (answer["my_artists"], answer["their_artists"], answer["shared_artists"]) == (3, 3, 2)
    assert [
        (a["artist_id"], a["name"], a["mine_ms"], a["theirs_ms"]) for a in answer["artists"]
    ] == [("a2", "Bonobo", 30 * MINUTE, 40 * MINUTE), ("a1", "Aurora", 60 * MINUTE, 20 * MINUTE)]
    assert [(a["mine_share"], a["theirs_share"]) for a in answer["artists"]] == [
        pytest.approx((0.3, 0.4)),
        pytest.approx((0.6, 0.2)),
    ]
    assert answer["shared_tracks"] == 1
    (track,) = answer["tracks"]
    assert track == {
        "track_id": "t1",
        "name": "One",
        "artists": ["Aurora"],
        "album": "Alpha",
        "image_url": "https://i.scdn.co/image/alpha",
        "mine_ms": 60 * MINUTE,
        "theirs_ms": 20 * MINUTE,
        "mine_plays": 2,
        "theirs_plays": 1,
        "mine_share": pytest.approx(0.6),
        "theirs_share": pytest.approx(0.2),
    }

    # Mood: mine over 90 of 100 minutes with features, the friend's over all 100.
    mood = answer["mood"]
    assert mood["mine"] == {
        "listening_ms": 100 * MINUTE,
        "valence": pytest.approx((60 * 0.8 + 30 * 0.2) / 90),
        "energy": pytest.approx((60 * 0.6 + 30 * 0.3) / 90),
        "danceability": pytest.approx((60 * 0.5 + 30 * 0.2) / 90),
        "coverage": pytest.approx(0.9),
    }
    theirs_valence = (20 * 0.8 + 40 * 0.5 + 40 * 0.3) / 100
    assert mood["theirs"]["valence"] == pytest.approx(theirs_valence)
    assert mood["theirs"]["coverage"] == 1
    assert mood["difference"]["valence"] == pytest.approx(0.6 - theirs_valence)
    energy_difference = (60 * 0.6 + 30 * 0.3) / 90 - (20 * 0.6 + 40 * 0.4 + 40 * 0.9) / 100
    assert mood["difference"]["energy"] == pytest.approx(energy_difference)
    assert [(m["month"], m["mine"] is None, m["theirs"] is None) for m in answer["months"]] == [
        ("2024-01-01", False, False),
        ("2024-02-01", False, True),
    ]
    february = answer["months"][1]["mine"]
    assert (february["valence"], february["coverage"], february["listening_ms"]) == (
        None,
        0,
        10 * MINUTE,
    )

    # A range: February alone holds nothing in common.
    february_only = get_json(client_for(ME), COMPARE, **{"from": "2024-02-01", "to": "2024-02-29"})
    assert (february_only["score"], february_only["artists"], february_only["tracks"]) == (
        0.0,
        [],
        [],
    )
    assert february_only["mood"]["theirs"]["listening_ms"] == 0
    assert february_only["mood"]["difference"]["valence"] is None
    assert get_json(client_for(ME), COMPARE, limit=1)["artists"][0]["artist_id"] == "a2"
    assert client_for(ME).get(COMPARE, params={"limit": 0}).status_code == 422


def test_the_score_is_100_for_the_same_listening_0_for_none_in_common_and_symmetric(
    warehouse: Warehouse, settings: Settings, client_for: ClientFor
) -> None:
    seed(warehouse)
    share(settings, ME)
    share(settings, FRIEND)
    mine, theirs = (
        get_json(client_for(ME), COMPARE),
        get_json(client_for(FRIEND), "/api/v1/compare/me"),
    )
    assert mine["score"] == theirs["score"]
    assert [(a["artist_id"], a["mine_share"]) for a in mine["artists"]] == [
        (a["artist_id"], a["theirs_share"]) for a in theirs["artists"]
    ]
    assert mine["mood"]["difference"]["valence"] == pytest.approx(
        -theirs["mood"]["difference"]["valence"]
    )

    # The same artists in the same proportions (twice the listening): 100.
    for n in (3, 4):
        warehouse.user(f"user{n}", "UTC")
    warehouse.play("2024-01-20T10:00:00+00:00", 6 * MINUTE, track="t1", user_id="user3")
    warehouse.play("2024-01-20T11:00:00+00:00", 3 * MINUTE, track="t2", user_id="user3")
    warehouse.play("2024-01-20T12:00:00+00:00", 1 * MINUTE, track="t3", user_id="user3")
    warehouse.play("2024-01-20T10:00:00+00:00", 12 * MINUTE, track="t1", user_id="user4")
    warehouse.play("2024-01-20T11:00:00+00:00", 6 * MINUTE, track="t2", user_id="user4")
    warehouse.play("2024-01-20T12:00:00+00:00", 2 * MINUTE, track="t3", user_id="user4")
    warehouse.refresh()
    share(settings, "user3")
    share(settings, "user4")
    assert get_json(client_for("user3"), "/api/v1/compare/user4")["score"] == 100.0
    # Nothing in common: 0, whichever side asks.
    warehouse.user("user5", "UTC")
    warehouse.play("2024-01-21T10:00:00+00:00", 5 * MINUTE, track="t4", user_id="user5")
    warehouse.refresh()
    share(settings, "user5")
    for asking, other in (("user3", "user5"), ("user5", "user3")):
        disjoint = get_json(client_for(asking), f"/api/v1/compare/{other}")
        assert (disjoint["score"], disjoint["shared_artists"], disjoint["artists"]) == (0.0, 0, [])


@pytest.mark.usefixtures("seeded")
def test_a_comparison_is_never_served_stale(
    warehouse: Warehouse, settings: Settings, client_for: ClientFor
) -> None:
    share(settings, ME)
    share(settings, FRIEND)
    me = client_for(ME)
    first = me.get(COMPARE)
    tag = first.headers["etag"]
    assert me.get(COMPARE).headers["etag"] == tag
    assert me.get(COMPARE, headers={"If-None-Match": tag}).status_code == 304

    # The friend's new plays: a new tag, a new answer (their a3 makes it shared).
    warehouse.play("2024-01-25T18:00:00+00:00", 10 * MINUTE, track="t3", user_id=FRIEND)
    warehouse.refresh()
    after_plays = me.get(COMPARE, headers={"If-None-Match": tag})
    assert after_plays.status_code == 200
    assert after_plays.json()["shared_artists"] == 3
    assert after_plays.json() != first.json()
    tag = after_plays.headers["etag"]

    # The friend stops sharing: refused at once, from the cache or by revalidation.
    share(settings, FRIEND, shared=False)
    assert me.get(COMPARE, headers={"If-None-Match": tag}).status_code == 404
    assert me.get(COMPARE).status_code == 404
    assert "etag" not in me.get(COMPARE).headers
    # And back at the same instant, nothing else changed: the answer is what it was.
    share(settings, FRIEND)
    back = me.get(COMPARE, headers={"If-None-Match": tag})
    assert back.status_code == 304

    # I stop sharing myself: refused, whatever I held.
    put_sharing(me, False)
    assert me.get(COMPARE, headers={"If-None-Match": back.headers["etag"]}).status_code == 403

    # The friend's name is part of the answer, so a new one makes a new answer.
    put_sharing(me, True)
    named_before = me.get(COMPARE)
    warehouse.execute("UPDATE users SET display_name = 'Fran' WHERE user_id = %s", (FRIEND,))
    warehouse.conn.commit()
    named = me.get(COMPARE, headers={"If-None-Match": named_before.headers["etag"]})
    assert named.status_code == 200
    assert named.json()["friend"]["display_name"] == "Fran"
