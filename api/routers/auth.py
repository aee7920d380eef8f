"""Sign-in with Spotify: /auth/login, /auth/callback, /auth/logout, /auth/logout-everywhere.

Served by the local app and, on AWS, by the auth function outside the VPC (it reaches
Spotify and the secret store). The handlers parse the request and shape the answer;
`etl.spotify.signin` does the work.
"""

from __future__ import annotations

import secrets
from html import escape
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import ServicesDep, SettingsDep
from etl.core.http import CoolingDown, ServiceError
from etl.core.settings import Settings
from etl.spotify.auth import InvalidGrant, Pkce, authorize_url
from etl.spotify.sessions import (
    LOGIN_COOKIE,
    LOGIN_MAX_AGE_S,
    SECURE_SESSION_COOKIE,
    SESSION_COOKIE,
    SESSION_MAX_AGE_S,
    PendingLogin,
    Session,
    served_over_https,
    session_cookie_name,
    sign_out,
    sign_out_everywhere,
)
from etl.spotify.signin import SignInRefused, complete_sign_in

router = APIRouter(prefix="/auth", tags=["sign-in"])


def _request_settings(request: Request, settings: Settings) -> Settings:
    """The settings with the redirect URI this request's public host implies (on AWS)."""
    header = settings.redirect_from_host_header
    host = request.headers.get(header) if header else None
    if not host:
        return settings
    return settings.model_copy(update={"redirect_uri": f"https://{host}/auth/callback"})


def _set_cookie(
    response: Response, settings: Settings, name: str, value: str, max_age: int, path: str
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        # Secure exactly when named `__Host-`, which browsers require of such a cookie.
        secure=served_over_https(settings),
        samesite="lax",
        path=path,
    )


def set_session_cookie(response: Response, settings: Settings, session: str) -> None:
    """The session cookie, named for the scheme, living as long as the session itself."""
    name = session_cookie_name(settings)
    _set_cookie(response, settings, name, session, SESSION_MAX_AGE_S, "/")


def clear_session_cookie(response: Response) -> None:
    """Drop this browser's session cookie under either name: a function may not know its
    scheme (the API function on AWS), and a browser ignores the one its scheme forbids."""
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True)
    response.delete_cookie(SECURE_SESSION_COOKIE, path="/", secure=True, httponly=True)


def _refusals(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The refusals a route may answer, as the OpenAPI document declares them."""
    page = {"description": "A page saying why, and how to try again.", "content": {"text/html": {}}}
    return dict.fromkeys(statuses, page)


def _refusal(status: int, title: str, message: str) -> HTMLResponse:
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Moodify</title></head>"
        "<body style='font-family:system-ui;max-width:36rem;margin:4rem auto'>"
        f"<h1>{escape(title)}</h1><p>{escape(message)}</p>"
        "<p><a href='/auth/login'>Try again</a> · <a href='/'>Back to Moodify</a></p>"
        "</body></html>"
    )
    return HTMLResponse(page, status_code=status)


@router.get(
    "/login",
    summary="Start signing in with Spotify",
    responses={302: {"description": "To Spotify's consent page."}, **_refusals(404)},
)
def login(request: Request, settings: SettingsDep, services: ServicesDep) -> Response:
    settings = _request_settings(request, settings)
    if not settings.spotify_connected:
        return _refusal(404, "Sign-in is off", "No Spotify app is configured for this Moodify.")
    pkce = Pkce.new()
    pending = PendingLogin(state=secrets.token_urlsafe(24), verifier=pkce.verifier)
    response = RedirectResponse(authorize_url(settings, pending.state, pkce), status_code=302)
    login_cookie = services.sessions.issue_login(pending)
    _set_cookie(response, settings, LOGIN_COOKIE, login_cookie, LOGIN_MAX_AGE_S, "/auth")
    return response


@router.get(
    "/callback",
    summary="Spotify's redirect back after sign-in",
    responses={
        303: {"description": "Signed in: to the dashboard."},
        **_refusals(400, 401, 403, 502),
    },
)
def callback(
    request: Request,
    settings: SettingsDep,
    services: ServicesDep,
    code: Annotated[str | None, Query()] = None,
    state: Annotated[str | None, Query()] = None,
    error: Annotated[str | None, Query()] = None,
) -> Response:
    settings = _request_settings(request, settings)
    pending = services.sessions.pending_login(request.cookies.get(LOGIN_COOKIE))
    if pending is None or state is None or not secrets.compare_digest(pending.state, state):
        return _refusal(400, "Sign-in expired", "This sign-in link is stale or was not ours.")
    if error is not None or code is None:
        return _refusal(401, "Sign-in cancelled", f"Spotify said: {error or 'no code'}.")
    try:
        done = complete_sign_in(services.spotify(settings), code, pending.verifier)
    except SignInRefused as refused:
        return _refusal(403, "Not allowed", str(refused))
    except InvalidGrant:
        return _refusal(400, "Sign-in expired", "Spotify no longer accepts this sign-in.")
    except (CoolingDown, ServiceError) as failure:
        return _refusal(502, "Spotify is unavailable", str(failure))
    services.process_raw_keys(done.raw_keys)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(LOGIN_COOKIE, path="/auth")
    session = services.sessions.issue(Session(done.user.user_id, done.user.spotify_ids))
    set_session_cookie(response, settings, session)
    return response


def _signed_out() -> Response:
    response = RedirectResponse("/", status_code=303)
    clear_session_cookie(response)
    return response


@router.post(
    "/logout",
    summary="Sign out of this browser (a POST, so no link can do it)",
    description="This session ends for good: its id joins the user's signed-out sessions, "
    "so a copy of the cookie is refused too (on AWS, a page already authorized may be "
    "served for up to five more minutes).",
    responses={303: {"description": "Signed out: to the dashboard."}},
)
def logout(request: Request, settings: SettingsDep, services: ServicesDep) -> Response:
    settings = _request_settings(request, settings)
    if settings.spotify_connected:
        cookie = request.cookies.get(session_cookie_name(settings))
        session = services.sessions.signed_in(cookie, settings, services.state_store)
        if session is not None:
            sign_out(services.state_store, session)
    return _signed_out()


@router.post(
    "/logout-everywhere",
    summary="Sign out of every browser (a POST, so no link can do it)",
    description="Every session of the signed-in user ends, this browser's too: their "
    "sign-in state says sessions count only from now on (on AWS, a page already authorized "
    "may be served for up to five more minutes).",
    responses={303: {"description": "Signed out: to the dashboard."}, **_refusals(404)},
)
def logout_everywhere(request: Request, settings: SettingsDep, services: ServicesDep) -> Response:
    settings = _request_settings(request, settings)
    if not settings.spotify_connected:
        return _refusal(404, "Sign-in is off", "No Spotify app is configured for this Moodify.")
    cookie = request.cookies.get(session_cookie_name(settings))
    user_id = services.sessions.signed_in_user_id(cookie, settings, services.state_store)
    if user_id is not None:
        sign_out_everywhere(services.state_store, user_id, services.clock())
    return _signed_out()
