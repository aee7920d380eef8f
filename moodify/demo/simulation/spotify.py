"""A fake Spotify: the accounts service and the parts of the Web API Moodify uses.

One loopback server answers both `/authorize` + `/api/token` (Spotify's
`https://accounts.spotify.com`) and `/v1/...` (`https://api.spotify.com/v1`), as Spotify
does in 2026 for an app in development mode:

- `recently-played` shows only a user's last 50 plays as of the fake's clock;
- batch lookups (`/v1/artists?ids=`, `/v1/tracks?ids=`, `/v1/albums?ids=`) and audio
  features are refused with 403 (audio features can be switched back on);
- a user missing from the app's allowlist still signs in, then gets 403 on every call.

Plays come from each user's `SimulatedListener` up to the clock's now, plus any added by
hand. Tests steer failures through `fail()` (see `FakeServer`) and the switches below.
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from moodify.demo.simulation import objects
from moodify.demo.simulation.accounts import (
    AccessGrant,
    Accounts,
    AuthorizePageError,
    AuthorizeRedirectError,
    OAuthError,
)
from moodify.demo.simulation.catalog import Catalog, default_catalog
from moodify.demo.simulation.clock import Clock, unix_ms
from moodify.demo.simulation.listener import Play, PlayContext, SimulatedListener
from moodify.demo.simulation.pages import consent_page, error_page
from moodify.demo.simulation.server import FakeServer, form_body

RECENTLY_PLAYED_VISIBLE = 50  # Spotify never shows more of a user's history
QUOTA_EXCEEDED_RETRY_AFTER = 75_600  # 21 hours, as reported after a day's quota is spent
_ID = re.compile(r"[0-9A-Za-z]{22}")
_BATCH_PATHS = frozenset({"/v1/artists", "/v1/tracks", "/v1/albums"})
_AUDIO_FEATURES_MAX_IDS = 100
_NOT_REGISTERED = "User not registered in the Developer Dashboard"
_MESSAGES = {  # Spotify's wording where it is known
    401: "The access token expired",
    404: "Resource not found",
    429: "API rate limit exceeded",
}


class ApiError(Exception):
    """An answer of the Web API's error shape: `{"error": {"status", "message"}}`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def api_error_body(status: int, message: str | None = None) -> dict[str, Any]:
    phrase = message or _MESSAGES.get(status) or HTTPStatus(status).phrase
    return {"error": {"status": status, "message": phrase}}


@dataclass(slots=True)
class FakeUser:
    account_id: str
    display_name: str
    allowlisted: bool
    listener: SimulatedListener | None
    plays: list[Play] = field(default_factory=list)  # added by hand

    @property
    def id(self) -> str:
        """A Spotify user ID: stable for the account, not the account ID itself."""
        digest = hashlib.sha256(self.account_id.encode()).digest()
        return "31" + base64.b32encode(digest).decode("ascii")[:26].lower()


class FakeSpotify(FakeServer):
    """Spotify's accounts service and Web API on one loopback server (see module doc)."""

    def __init__(
        self, *, clock: Clock | None = None, catalog: Catalog | None = None, port: int = 0
    ) -> None:
        super().__init__(clock=clock, port=port)
        self.catalog = catalog or default_catalog()
        self.accounts = Accounts(self.clock)
        self.audio_features_access = False  # True: the app predates 2024-11-27
        self._users: dict[str, FakeUser] = {}
        self._users_lock = threading.Lock()

    @property
    def api_url(self) -> str:
        """The Web API's base, as `https://api.spotify.com/v1` is Spotify's."""
        return f"{self.url}/v1"

    # Setting the scene ---------------------------------------------------------------------

    def register_client(
        self, client_id: str, client_secret: str | None, redirect_uris: Iterable[str]
    ) -> None:
        """Register an app; without a secret it is a public client and must use PKCE."""
        self.accounts.register_client(client_id, client_secret, redirect_uris)

    def add_user(
        self,
        account_id: str,
        display_name: str,
        *,
        allowlisted: bool = True,
        listener: SimulatedListener | None = None,
    ) -> FakeUser:
        user = FakeUser(account_id, display_name, allowlisted, listener)
        with self._users_lock:
            if account_id in self._users:
                raise ValueError(f"user {account_id!r} exists already")
            self._users[account_id] = user
        return user

    def add_play(
        self,
        account_id: str,
        track_id: str,
        played_at: datetime,
        context: PlayContext | None = None,
    ) -> None:
        """A play of a catalog track, visible once the clock has reached `played_at`."""
        if track_id not in self.catalog.tracks:
            raise ValueError(f"track {track_id!r} is not in the catalog")
        if played_at.tzinfo is None:
            raise ValueError("played_at must be an aware datetime")
        with self._users_lock:
            self._users[account_id].plays.append(Play(played_at, track_id, context))

    def visible_plays(self, account_id: str) -> list[Play]:
        """What recently-played can show now: the last 50 plays, newest first."""
        now = self.clock()
        with self._users_lock:
            user = self._users[account_id]
            plays = [p for p in user.plays if p.played_at <= now]
        if user.listener is not None:
            plays += user.listener.last_plays(now, RECENTLY_PLAYED_VISIBLE)
        plays.sort(key=lambda p: p.played_at, reverse=True)
        return plays[:RECENTLY_PLAYED_VISIBLE]

    def sign_in(
        self,
        account_id: str,
        client_id: str,
        scopes: Iterable[str] = ("user-read-recently-played",),
    ) -> dict[str, Any]:
        """The token response of a completed sign-in, skipping the browser round trip."""
        if account_id not in self._users:
            raise ValueError(f"no user {account_id!r}")
        return self.accounts.sign_in(client_id, account_id, scopes)

    # Switches and faults for tests --------------------------------------------------------

    @property
    def rotate_refresh_tokens(self) -> bool:
        """Whether a refresh answers a new refresh token (retiring the old one)."""
        return self.accounts.rotate_refresh_tokens

    @rotate_refresh_tokens.setter
    def rotate_refresh_tokens(self, value: bool) -> None:
        self.accounts.rotate_refresh_tokens = value

    def revoke_refresh_tokens(self, account_id: str) -> None:
        """The next refresh for this user answers `invalid_grant` (until they sign in again)."""
        self.accounts.revoke_refresh_tokens(account_id)

    def fail_quota_exceeded(
        self, path: str = "/v1/*", *, times: int = 1, retry_after: int = QUOTA_EXCEEDED_RETRY_AFTER
    ) -> None:
        """429 with a `QUOTA_EXCEEDED` reason: the developer account's daily quota is spent."""
        body = api_error_body(429, "Quota exceeded")
        body["error"]["reason"] = "QUOTA_EXCEEDED"
        self.fail(path, 429, times=times, retry_after=retry_after, body=body)

    @property
    def batch_lookup_calls(self) -> int:
        """Requests to the batch endpoints closed to new apps (they should never come)."""
        return sum(1 for r in self.requests if r.path in _BATCH_PATHS)

    def fault_body(self, status: int, path: str) -> object:
        if path.startswith("/api/"):
            return {"error": "server_error", "error_description": HTTPStatus(status).phrase}
        return api_error_body(status)

    # The app ------------------------------------------------------------------------------

    def app(self) -> ASGIApp:
        refused = [Route(path, self._batch, methods=["GET"]) for path in sorted(_BATCH_PATHS)]
        return Starlette(
            routes=[
                Route("/authorize", self._authorize, methods=["GET", "POST"]),
                Route("/api/token", self._token, methods=["POST"]),
                Route("/v1/me", self._me, methods=["GET"]),
                Route("/v1/me/player/recently-played", self._recently_played, methods=["GET"]),
                Route("/v1/artists/{id}", self._artist, methods=["GET"]),
                Route("/v1/tracks/{id}", self._track, methods=["GET"]),
                Route("/v1/audio-features", self._audio_features, methods=["GET"]),
                Route("/v1/audio-features/{id}", self._one_audio_features, methods=["GET"]),
                *refused,
                Route("/v1/{rest:path}", self._no_service),
            ],
            exception_handlers={ApiError: _api_error, HTTPException: _http_error},
        )

    # Accounts service ---------------------------------------------------------------------

    async def _authorize(self, request: Request) -> Response:
        """GET shows the consent page; the page POSTs the request back with the choice."""
        posted = request.method == "POST"
        params = form_body(await request.body()) if posted else dict(request.query_params)
        try:
            sign_in = self.accounts.authorize_request(params)
        except AuthorizePageError as error:
            return HTMLResponse(error_page(str(error)), 400)
        except AuthorizeRedirectError as error:
            return _redirect(error.redirect_uri, {"error": error.error}, error.state)
        if not posted:
            with self._users_lock:
                users = [(u.account_id, u.display_name) for u in self._users.values()]
            return HTMLResponse(consent_page(sign_in.client_id, params, users))
        if params.get("action") == "cancel":
            return _redirect(sign_in.redirect_uri, {"error": "access_denied"}, sign_in.state)
        account_id = params.get("account_id", "")
        if account_id not in self._users:
            return HTMLResponse(error_page(f"No such user: {account_id}"), 400)
        code = self.accounts.issue_code(sign_in, account_id)
        return _redirect(sign_in.redirect_uri, {"code": code}, sign_in.state)

    async def _token(self, request: Request) -> Response:
        if not request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"
        ):
            return _oauth_error(OAuthError(400, "invalid_request", "Expected a form body"))
        form = form_body(await request.body())
        try:
            body = self.accounts.token(form, request.headers.get("authorization"))
        except OAuthError as error:
            return _oauth_error(error)
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    # Web API ------------------------------------------------------------------------------

    def _grant(self, request: Request, scope: str | None = None) -> AccessGrant:
        """The caller's access, checked as Spotify checks it (token, allowlist, scope)."""
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("bearer "):
            raise ApiError(401, "No token provided")
        grant = self.accounts.access_grant(header[7:].strip())
        if grant is None:
            raise ApiError(401, "Invalid access token")
        if grant.expires_at <= self.clock():
            raise ApiError(401, "The access token expired")
        if grant.account_id is not None and not self._users[grant.account_id].allowlisted:
            raise ApiError(403, _NOT_REGISTERED)
        if scope is not None and scope not in grant.scopes:
            raise ApiError(403, "Insufficient client scope")
        return grant

    def _user(self, request: Request, scope: str | None = None) -> tuple[AccessGrant, FakeUser]:
        grant = self._grant(request, scope)
        if grant.account_id is None:  # an app token where a user's is needed
            raise ApiError(401, "Valid user authentication required")
        return grant, self._users[grant.account_id]

    async def _me(self, request: Request) -> Response:
        grant, user = self._user(request)
        body: dict[str, Any] = {
            "account_id": user.account_id,
            "display_name": user.display_name,
            "external_urls": {"spotify": f"https://open.spotify.com/user/{user.id}"},
            "followers": {"href": None, "total": 0},
            "href": f"{self.api_url}/users/{user.id}",
            "id": user.id,
            "images": [],
            "type": "user",
            "uri": f"spotify:user:{user.id}",
        }
        # Spotify leaves out what the granted scopes do not cover.
        if "user-read-email" in grant.scopes:
            body["email"] = f"{user.account_id.lower()}@example.com"
        if "user-read-private" in grant.scopes:
            body["country"] = "DE"
            body["product"] = "premium"
            body["explicit_content"] = {"filter_enabled": False, "filter_locked": False}
        return JSONResponse(body)

    async def _recently_played(self, request: Request) -> Response:
        _, user = self._user(request, "user-read-recently-played")
        query = request.query_params
        limit = _int_param(query, "limit", 20)
        after, before = _int_param(query, "after"), _int_param(query, "before")
        if limit is None or not 1 <= limit <= 50:
            raise ApiError(400, "Invalid limit")
        if after is not None and before is not None:
            raise ApiError(400, "Only one of after and before may be given")
        plays = self.visible_plays(user.account_id)  # newest first
        if after is not None:
            # The plays right after the cursor, so that paging forward misses none.
            later = [p for p in plays if unix_ms(p.played_at) > after]
            page, more, direction = later[-limit:], len(later) > limit, "after"
        else:
            earlier = [p for p in plays if before is None or unix_ms(p.played_at) < before]
            page, more, direction = earlier[:limit], len(earlier) > limit, "before"
        cursors = None
        next_url = None
        if page:
            cursors = {
                "after": str(unix_ms(page[0].played_at)),
                "before": str(unix_ms(page[-1].played_at)),
            }
            if more:
                next_query = urlencode({direction: cursors[direction], "limit": limit})
                next_url = f"{self.api_url}/me/player/recently-played?{next_query}"
        return JSONResponse(
            {
                "items": [objects.play_history_object(p, self.catalog, self.api_url) for p in page],
                "next": next_url,
                "cursors": cursors,
                "limit": limit,
                "href": f"{self.api_url}/me/player/recently-played"
                + (f"?{request.url.query}" if request.url.query else ""),
            }
        )

    async def _artist(self, request: Request) -> Response:
        self._grant(request)
        artist_id = _valid_id(request.path_params["id"])
        artist = self.catalog.artists.get(artist_id)
        if artist is None:
            raise ApiError(404, "Resource not found")
        return JSONResponse(objects.artist_object(artist, self.api_url))

    async def _track(self, request: Request) -> Response:
        self._grant(request)
        track = self.catalog.tracks.get(_valid_id(request.path_params["id"]))
        if track is None:
            raise ApiError(404, "Resource not found")
        return JSONResponse(objects.track_object(track, self.catalog, self.api_url))

    async def _batch(self, request: Request) -> Response:
        self._grant(request)
        raise ApiError(403, "Forbidden")  # closed to apps created after November 2024

    async def _audio_features(self, request: Request) -> Response:
        self._grant(request)
        if not self.audio_features_access:
            raise ApiError(403, "Forbidden")
        ids = [i for i in request.query_params.get("ids", "").split(",") if i]
        if not ids or len(ids) > _AUDIO_FEATURES_MAX_IDS:
            raise ApiError(400, "Invalid ids")
        features: list[dict[str, Any] | None] = []
        for track_id in ids:
            track = self.catalog.tracks.get(_valid_id(track_id))
            if track is None or track.features is None:
                features.append(None)  # Spotify answered null for tracks it had nothing on
            else:
                features.append(objects.audio_features_object(track, track.features, self.api_url))
        return JSONResponse({"audio_features": features})

    async def _one_audio_features(self, request: Request) -> Response:
        self._grant(request)
        if not self.audio_features_access:
            raise ApiError(403, "Forbidden")
        track = self.catalog.tracks.get(_valid_id(request.path_params["id"]))
        if track is None or track.features is None:
            raise ApiError(404, "Resource not found")
        return JSONResponse(objects.audio_features_object(track, track.features, self.api_url))

    async def _no_service(self, request: Request) -> Response:
        raise ApiError(404, "Service not found")


def _int_param(query: Mapping[str, str], name: str, default: int | None = None) -> int | None:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ApiError(400, f"Invalid {name}") from None


def _valid_id(spotify_id: str) -> str:
    if not _ID.fullmatch(spotify_id):
        raise ApiError(400, "Invalid base62 id")
    return spotify_id


def _redirect(uri: str, params: dict[str, str], state: str | None) -> Response:
    if state is not None:
        params = {**params, "state": state}
    separator = "&" if "?" in uri else "?"
    return RedirectResponse(f"{uri}{separator}{urlencode(params)}", status_code=303)


def _oauth_error(error: OAuthError) -> Response:
    return JSONResponse(
        {"error": error.error, "error_description": error.description}, error.status
    )


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse(api_error_body(exc.status, exc.message), exc.status)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return JSONResponse(api_error_body(exc.status_code), exc.status_code, exc.headers)
