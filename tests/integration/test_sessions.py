"""Sessions end when their browser signs out (copies of the cookie too), last 14 days, and
travel in a `__Host-` cookie wherever the scheme allows it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.responses import Response
from fastapi.testclient import TestClient

from api.app import create_app
from api.routers.auth import set_session_cookie
from etl.core.lake import LocalLake
from etl.core.settings import Settings
from etl.core.state import SESSION_LIFETIME, StateStore, UserState
from etl.spotify.sessions import SECURE_SESSION_COOKIE, SESSION_COOKIE, session_cookie_name
from tests.integration.test_sign_out_everywhere import (
    SIGNED_IN,
    Clock,
    _as,
    _cookie,
    _sign_in,
    _status,
    app,  # noqa: F401  (fixture)
    clock,  # noqa: F401  (fixture)
    connected,  # noqa: F401  (fixture)
)


def test_logging_out_revokes_this_session_and_its_copies_only(
    app: TestClient,  # noqa: F811
    connected: Settings,  # noqa: F811
    clock: Clock,  # noqa: F811
) -> None:
    laptop = _sign_in(connected, "alice", SIGNED_IN)
    phone = _cookie("alice", SIGNED_IN)  # the same second, another session
    stolen = laptop  # a copy of the laptop's cookie, taken before logging out
    clock.now = SIGNED_IN + timedelta(hours=1)
    assert _status(app, stolen) == 200

    response = _as(app, laptop).post("/auth/logout", follow_redirects=False)

    assert response.status_code == 303
    assert f'{SESSION_COOKIE}=""' in response.headers["set-cookie"]
    assert [_status(app, cookie) for cookie in (laptop, stolen, phone)] == [401, 401, 200]
    # The revocation lives in the lake, so a restarted app keeps refusing it.
    with TestClient(create_app(connected, clock=clock)) as restarted:
        assert [_status(restarted, cookie) for cookie in (stolen, phone)] == [401, 200]


def test_logging_out_does_not_bring_back_a_deleted_users_state(
    app: TestClient,  # noqa: F811
    connected: Settings,  # noqa: F811
) -> None:
    cookie = _cookie("alice", SIGNED_IN)  # signed, but Alice has no sign-in state
    assert _as(app, cookie).post("/auth/logout", follow_redirects=False).status_code == 303
    assert StateStore(LocalLake(connected.lake_dir)).stored_user("alice") is None


def test_a_session_lasts_fourteen_days_from_sign_in(
    app: TestClient,  # noqa: F811
    connected: Settings,  # noqa: F811
    clock: Clock,  # noqa: F811
) -> None:
    cookie = _sign_in(connected, "alice", SIGNED_IN)
    clock.now = SIGNED_IN + timedelta(days=14) - timedelta(seconds=1)
    assert _status(app, cookie) == 200
    clock.now = SIGNED_IN + timedelta(days=14, seconds=1)
    assert _status(app, cookie) == 401


@pytest.mark.parametrize(
    ("update", "name"),
    [
        ({}, SESSION_COOKIE),  # http://127.0.0.1: browsers drop Secure cookies there
        ({"redirect_uri": "https://moodify.example/auth/callback"}, SECURE_SESSION_COOKIE),
        ({"redirect_from_host_header": "X-Moodify-Host"}, SECURE_SESSION_COOKIE),  # AWS
    ],
    ids=["http-loopback", "https", "aws"],
)
def test_the_cookie_name_follows_the_scheme(
    connected: Settings,  # noqa: F811
    update: dict[str, str],
    name: str,
) -> None:
    assert session_cookie_name(connected.model_copy(update=update)) == name


@pytest.mark.parametrize(
    "update",
    [
        {"redirect_uri": "https://moodify.example/auth/callback"},
        # On AWS, even a request whose public-host header went missing: a `__Host-` cookie
        # without Secure would be dropped by the browser.
        {"redirect_from_host_header": "X-Moodify-Host"},
    ],
    ids=["https", "aws"],
)
def test_over_https_the_session_is_a_host_cookie_that_lives_as_long_as_the_session(
    connected: Settings,  # noqa: F811
    update: dict[str, str],
) -> None:
    https = connected.model_copy(update=update)
    response = Response()
    set_session_cookie(response, https, "signed-value")
    header = response.headers["set-cookie"]
    assert header.startswith(f"{SECURE_SESSION_COOKIE}=signed-value;")
    attributes = {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}
    assert {"secure", "httponly", "path", "max-age"} <= attributes
    assert "domain" not in attributes
    assert "Path=/;" in header or header.endswith("Path=/")
    assert f"Max-Age={int(SESSION_LIFETIME.total_seconds())}" in header


def test_over_plain_http_on_loopback_the_session_keeps_its_plain_name(
    connected: Settings,  # noqa: F811
) -> None:
    response = Response()
    set_session_cookie(response, connected, "signed-value")
    header = response.headers["set-cookie"]
    assert header.startswith(f"{SESSION_COOKIE}=signed-value;")
    assert "Secure" not in header


def test_the_local_app_over_https_reads_only_the_host_cookie(
    connected: Settings,  # noqa: F811
    clock: Clock,  # noqa: F811
) -> None:
    https = connected.model_copy(update={"redirect_uri": "https://moodify.example/auth/callback"})
    cookie = _sign_in(https, "alice", SIGNED_IN)
    with TestClient(create_app(https, clock=clock)) as client:
        client.cookies.set(SESSION_COOKIE, cookie)
        assert client.get("/api/v1/summary").status_code == 401
        client.cookies.clear()
        client.cookies.set(SECURE_SESSION_COOKIE, cookie)
        assert client.get("/api/v1/summary").status_code == 200


def test_revocations_are_kept_only_while_they_matter(
    connected: Settings,  # noqa: F811
) -> None:
    state = StateStore(LocalLake(connected.lake_dir))
    old, recent = SIGNED_IN, SIGNED_IN + SESSION_LIFETIME + timedelta(seconds=1)
    state.put_user(UserState("alice", revoked_sessions={"old": old}))
    state.put_user(UserState("alice", revoked_sessions={"recent": recent}))
    # The older one expired before the newer one was issued: dropped; the newer one merged.
    assert state.user("alice").revoked_sessions == {"recent": recent}
    state.put_user(UserState("alice", revoked_sessions={"again": recent - timedelta(days=1)}))
    assert set(state.user("alice").revoked_sessions) == {"recent", "again"}
