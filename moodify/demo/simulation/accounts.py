"""The fake Spotify accounts service: app registrations, sign-in codes and tokens.

It checks what Spotify checks: the redirect URI must be registered for the client, exactly;
a public client (one without a secret) must use PKCE (S256); the code verifier must hash to
the challenge; client secrets must match. Access tokens last an hour and refresh tokens
end six months after the sign-in that issued them, both by the fake's clock (refreshing
never extends a refresh token). When refresh-token rotation is on, a refresh answers a new
refresh token and retires the old one, so a client that keeps the old one finds out.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import hashlib
import hmac
import ipaddress
import secrets
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from moodify.demo.simulation.clock import Clock

ACCESS_TOKEN_LIFETIME = timedelta(hours=1)
REFRESH_TOKEN_MONTHS = 6
# Spotify's OAuth scopes (the `oauth_2_0` security scheme of its OpenAPI description).
SCOPES = frozenset(
    {
        "app-remote-control", "playlist-read-private", "playlist-read-collaborative",
        "playlist-modify-public", "playlist-modify-private", "user-library-read",
        "user-library-modify", "user-read-private", "user-read-email", "user-follow-read",
        "user-follow-modify", "user-top-read", "user-read-playback-position",
        "user-read-playback-state", "user-read-recently-played", "user-read-currently-playing",
        "user-modify-playback-state", "ugc-image-upload", "streaming",
    }
)  # fmt: skip


class OAuthError(Exception):
    """An error of the token endpoint: `{"error": ..., "error_description": ...}`."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.status = status
        self.error = error
        self.description = description


class AuthorizePageError(Exception):
    """A sign-in request Spotify refuses on its own page: the redirect URI is not trusted."""


class AuthorizeRedirectError(Exception):
    """A sign-in request refused back at the (trusted) redirect URI with `?error=`."""

    def __init__(self, redirect_uri: str, state: str | None, error: str) -> None:
        super().__init__(error)
        self.redirect_uri = redirect_uri
        self.state = state
        self.error = error


@dataclass(frozen=True, slots=True)
class Client:
    client_id: str
    client_secret: str | None  # None: a public client, which must use PKCE
    redirect_uris: frozenset[str]


@dataclass(frozen=True, slots=True)
class AuthorizeRequest:
    client_id: str
    redirect_uri: str
    state: str | None
    scopes: frozenset[str]
    code_challenge: str | None


@dataclass(frozen=True, slots=True)
class AccessGrant:
    client_id: str
    account_id: str | None  # None: an app token (client credentials)
    scopes: frozenset[str]
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class _RefreshGrant:
    client_id: str
    account_id: str
    scopes: frozenset[str]
    signed_in_at: datetime
    revoked: bool = False


@dataclass(frozen=True, slots=True)
class _Code:
    request: AuthorizeRequest
    account_id: str


def check_redirect_uri(uri: str) -> None:
    """Spotify's rule: HTTPS, or plain HTTP to a loopback IP literal (never `localhost`)."""
    parts = urlsplit(uri)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname:
        try:
            if ipaddress.ip_address(parts.hostname).is_loopback:
                return
        except ValueError:
            pass
    raise ValueError(f"Spotify refuses redirect URI {uri!r}: use HTTPS or a loopback IP")


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _months_later(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]  # 31 August + 6 months: 28/29 February
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


class Accounts:
    """Registrations and grants of one fake accounts service; safe to share between threads."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.rotate_refresh_tokens = False
        self._lock = threading.Lock()
        self._clients: dict[str, Client] = {}
        self._codes: dict[str, _Code] = {}
        self._access: dict[str, AccessGrant] = {}
        self._refresh: dict[str, _RefreshGrant] = {}

    def register_client(
        self, client_id: str, client_secret: str | None, redirect_uris: Iterable[str]
    ) -> None:
        uris = frozenset(redirect_uris)
        for uri in uris:
            check_redirect_uri(uri)
        with self._lock:
            self._clients[client_id] = Client(client_id, client_secret, uris)

    # /authorize --------------------------------------------------------------------------

    def authorize_request(self, params: Mapping[str, str]) -> AuthorizeRequest:
        """The sign-in request in `params`, or why it is refused."""
        client = self._clients.get(params.get("client_id", ""))
        if client is None:
            raise AuthorizePageError("INVALID_CLIENT: Invalid client")
        redirect_uri = params.get("redirect_uri", "")
        if redirect_uri not in client.redirect_uris:
            raise AuthorizePageError("INVALID_CLIENT: Invalid redirect URI")
        state = params.get("state")

        def refuse(error: str) -> AuthorizeRedirectError:
            return AuthorizeRedirectError(redirect_uri, state, error)

        if params.get("response_type") != "code":
            raise refuse("unsupported_response_type")
        scopes = frozenset(params.get("scope", "").split())
        if not scopes <= SCOPES:
            raise refuse("invalid_scope")
        challenge = params.get("code_challenge") or None
        if challenge is None and client.client_secret is None:
            raise refuse("invalid_request")  # a public client must use PKCE
        if challenge is not None and params.get("code_challenge_method") != "S256":
            raise refuse("invalid_request")
        return AuthorizeRequest(client.client_id, redirect_uri, state, scopes, challenge)

    def issue_code(self, request: AuthorizeRequest, account_id: str) -> str:
        code = secrets.token_urlsafe(96)
        with self._lock:
            self._codes[code] = _Code(request, account_id)
        return code

    # /api/token --------------------------------------------------------------------------

    def token(self, form: Mapping[str, str], authorization: str | None) -> dict[str, Any]:
        """Answer a token request, or raise the `OAuthError` Spotify would answer."""
        client, authenticated = self._client(form, authorization)
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            return self._exchange_code(client, authenticated, form)
        if grant_type == "refresh_token":
            return self._refresh_grant(client, form.get("refresh_token", ""))
        if grant_type == "client_credentials":
            if not authenticated:
                raise OAuthError(401, "invalid_client", "Invalid client secret")
            return self._tokens(client.client_id, None, frozenset(), refresh=None)
        raise OAuthError(400, "unsupported_grant_type", f"grant_type {grant_type!r} unsupported")

    def _client(self, form: Mapping[str, str], authorization: str | None) -> tuple[Client, bool]:
        """The client making the request, and whether it proved it holds its secret."""
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization is not None and authorization.startswith("Basic "):
            try:
                decoded = base64.b64decode(authorization[6:], validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                raise OAuthError(401, "invalid_client", "Invalid client") from None
            basic_id, _, secret = decoded.partition(":")
            if client_id not in (None, basic_id):
                raise OAuthError(401, "invalid_client", "Invalid client")
            client_id = basic_id
        client = self._clients.get(client_id or "")
        if client is None:
            raise OAuthError(401, "invalid_client", "Invalid client")
        if secret is None:
            return client, False
        if client.client_secret is None or not hmac.compare_digest(secret, client.client_secret):
            raise OAuthError(401, "invalid_client", "Invalid client secret")
        return client, True

    def _exchange_code(
        self, client: Client, authenticated: bool, form: Mapping[str, str]
    ) -> dict[str, Any]:
        code = self._codes.get(form.get("code", ""))
        if code is None or code.request.client_id != client.client_id:
            raise OAuthError(400, "invalid_grant", "Invalid authorization code")
        request = code.request
        if form.get("redirect_uri") != request.redirect_uri:
            raise OAuthError(400, "invalid_grant", "Invalid redirect URI")
        if request.code_challenge is not None:
            verifier = form.get("code_verifier", "")
            if not 43 <= len(verifier) <= 128 or s256(verifier) != request.code_challenge:
                raise OAuthError(400, "invalid_grant", "code_verifier was incorrect")
        elif not authenticated:
            raise OAuthError(401, "invalid_client", "Invalid client secret")
        with self._lock:
            if self._codes.pop(form.get("code", ""), None) is None:  # used meanwhile
                raise OAuthError(400, "invalid_grant", "Invalid authorization code")
        refresh = _RefreshGrant(client.client_id, code.account_id, request.scopes, self.clock())
        return self._tokens(client.client_id, code.account_id, request.scopes, refresh)

    def _refresh_grant(self, client: Client, token: str) -> dict[str, Any]:
        grant = self._refresh.get(token)
        if grant is None or grant.client_id != client.client_id:
            raise OAuthError(400, "invalid_grant", "Invalid refresh token")
        if grant.revoked:
            raise OAuthError(400, "invalid_grant", "Refresh token revoked")
        if self.clock() >= _months_later(grant.signed_in_at, REFRESH_TOKEN_MONTHS):
            raise OAuthError(400, "invalid_grant", "Refresh token expired")
        if not self.rotate_refresh_tokens:
            return self._tokens(client.client_id, grant.account_id, grant.scopes, refresh=None)
        with self._lock:
            self._refresh[token] = replace(grant, revoked=True)
        return self._tokens(client.client_id, grant.account_id, grant.scopes, refresh=grant)

    def _tokens(
        self,
        client_id: str,
        account_id: str | None,
        scopes: frozenset[str],
        refresh: _RefreshGrant | None,
    ) -> dict[str, Any]:
        access_token = f"BQ{secrets.token_urlsafe(96)}"
        expires_at = self.clock() + ACCESS_TOKEN_LIFETIME
        body: dict[str, Any] = {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": int(ACCESS_TOKEN_LIFETIME.total_seconds()),
        }
        if account_id is not None:
            body["scope"] = " ".join(sorted(scopes))
        with self._lock:
            self._access[access_token] = AccessGrant(client_id, account_id, scopes, expires_at)
            if refresh is not None:
                body["refresh_token"] = f"AQ{secrets.token_urlsafe(96)}"
                self._refresh[body["refresh_token"]] = refresh
        return body

    def sign_in(self, client_id: str, account_id: str, scopes: Iterable[str]) -> dict[str, Any]:
        """The tokens a completed sign-in would give, without the browser round trip."""
        if client_id not in self._clients:
            raise ValueError(f"no client {client_id!r} is registered")
        granted = frozenset(scopes)
        refresh = _RefreshGrant(client_id, account_id, granted, self.clock())
        return self._tokens(client_id, account_id, granted, refresh)

    # For the Web API and tests ------------------------------------------------------------

    def access_grant(self, token: str) -> AccessGrant | None:
        return self._access.get(token)

    def revoke_refresh_tokens(self, account_id: str) -> None:
        """The user removed the app's access: every refresh token of theirs ends."""
        with self._lock:
            for token, grant in self._refresh.items():
                if grant.account_id == account_id:
                    self._refresh[token] = replace(grant, revoked=True)
