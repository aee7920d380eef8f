"""Sign out everywhere, and sessions of a deleted user: checked by the local app and by the
AWS authorizer, both reading the user's sign-in state in the lake."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from etl.core.clock import system_clock
from etl.core.lake import LocalLake, S3Lake
from etl.core.settings import Settings
from etl.core.state import StateStore
from etl.spotify.sessions import SESSION_COOKIE, Session, SessionCodec, sign_out_everywhere
from etl.spotify.signin import record_sign_in
from lambdas import authorizer
from tests.unit.test_lambdas import (  # noqa: F401  (fixtures)
    CONTEXT,
    _authorizer_event,
    _session,
    aws,
    fresh_containers,
    signed_up,
    spotify_secrets,
)

SECRET = "a-session-secret-for-these-tests-only"
SIGNED_IN = datetime(2024, 6, 1, 12, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(SIGNED_IN)


@pytest.fixture
def connected(settings: Settings) -> Settings:
    """Sign-in on, for Alice and Bob."""
    return settings.model_copy(
        update={
            "spotify_client_id": "the-client-id",
            "session_secret": SecretStr(SECRET),
            "allowed_users": ("alice", "bob"),
        }
    )


@pytest.fixture
def app(connected: Settings, clock: Clock) -> Iterator[TestClient]:
    with TestClient(create_app(connected, clock=clock)) as client:
        yield client


def _sign_in(settings: Settings, user_id: str, at: datetime) -> str:
    """What the callback leaves: the sign-in recorded in the lake, and a session cookie."""
    record_sign_in(settings, LocalLake(settings.lake_dir), {"id": user_id}, at)
    return _cookie(user_id, at)


def _cookie(user_id: str, at: datetime) -> str:
    return SessionCodec(SECRET, lambda: at).issue(Session(user_id, (user_id,)))


def _as(app: TestClient, cookie: str | None) -> TestClient:
    """The browser holding `cookie` (none: signed out)."""
    app.cookies.clear()
    if cookie is not None:
        app.cookies.set(SESSION_COOKIE, cookie)
    return app


def _status(app: TestClient, cookie: str) -> int:
    return _as(app, cookie).get("/api/v1/summary").status_code


def test_signing_out_everywhere_ends_every_session_of_the_user_only(
    app: TestClient, connected: Settings, clock: Clock
) -> None:
    laptop = _sign_in(connected, "alice", SIGNED_IN)
    phone = _cookie("alice", SIGNED_IN + timedelta(days=2))
    bobs = _sign_in(connected, "bob", SIGNED_IN)
    clock.now = SIGNED_IN + timedelta(days=3)
    assert [_status(app, cookie) for cookie in (laptop, phone, bobs)] == [200, 200, 200]

    response = _as(app, phone).post("/auth/logout-everywhere", follow_redirects=False)

    assert response.status_code == 303
    assert 'moodify_session=""' in response.headers["set-cookie"]
    assert [_status(app, cookie) for cookie in (laptop, phone, bobs)] == [401, 401, 200]
    # A session made afterwards counts (sessions carry whole seconds: a second later).
    clock.now += timedelta(seconds=1)
    assert _status(app, _cookie("alice", clock.now)) == 200


def test_signing_out_everywhere_without_a_session_signs_this_browser_out(
    app: TestClient,
) -> None:
    response = _as(app, None).post("/auth/logout-everywhere", follow_redirects=False)
    assert response.status_code == 303
    assert 'moodify_session=""' in response.headers["set-cookie"]


def test_a_deleted_users_sessions_end_and_stay_ended_after_signing_in_again(
    app: TestClient, connected: Settings, clock: Clock
) -> None:
    before = _sign_in(connected, "alice", SIGNED_IN)
    clock.now = SIGNED_IN + timedelta(hours=1)
    response = _as(app, before).post("/api/v1/erasure/everything", json={"confirm": "alice"})
    assert response.status_code == 200, response.text
    assert _status(app, before) == 401

    again = SIGNED_IN + timedelta(hours=2)
    after = _sign_in(connected, "alice", again)  # a fresh start
    clock.now = again

    assert _status(app, before) == 401
    assert _status(app, after) == 200


def test_the_authorizer_refuses_sessions_signed_out_everywhere_or_deleted(
    signed_up: None,  # noqa: F811
) -> None:
    alices, bobs = _session("alice"), _session("bob")
    assert authorizer.handler(_authorizer_event([alices]), CONTEXT)["isAuthorized"]

    lake = S3Lake("moodify-lake")
    sign_out_everywhere(StateStore(lake), "alice", system_clock())
    lake.purge("state/users/bob.json", lambda key: True)  # Bob's data deleted
    authorizer.state.cache_clear()  # a new container: nothing kept between requests anyway

    assert authorizer.handler(_authorizer_event([alices]), CONTEXT) == {"isAuthorized": False}
    assert authorizer.handler(_authorizer_event([bobs]), CONTEXT) == {"isAuthorized": False}
