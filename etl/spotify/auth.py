"""Spotify sign-in: Authorization Code with PKCE (S256) and a `state` check.

Spotify's accounts service issues access tokens for one hour and refresh tokens that end
six months after the sign-in; a refresh may or may not return a new refresh token.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from etl.core.http import Caller, ServiceError, error_message
from etl.core.settings import Settings

if TYPE_CHECKING:
    import requests

SCOPES = ("user-read-recently-played",)


class InvalidGrant(Exception):
    """The refresh token (or code) is no longer valid: the user must sign in again."""


@dataclass(frozen=True)
class Pkce:
    verifier: str
    challenge: str

    @classmethod
    def new(cls) -> Pkce:
        return cls.from_verifier(secrets.token_urlsafe(64)[:96])  # 43-128 of [A-Za-z0-9-_]

    @classmethod
    def from_verifier(cls, verifier: str) -> Pkce:
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
        return cls(verifier=verifier, challenge=challenge)


@dataclass(frozen=True)
class TokenGrant:
    access_token: str
    expires_at: datetime
    refresh_token: str | None  # None when Spotify kept the old one


def _client_id(settings: Settings) -> str:
    if settings.spotify_client_id is None:
        raise RuntimeError("MOODIFY_SPOTIFY_CLIENT_ID is not set: no Spotify app is configured")
    return settings.spotify_client_id


def authorize_url(settings: Settings, state: str, pkce: Pkce) -> str:
    query = {
        "client_id": _client_id(settings),
        "response_type": "code",
        "redirect_uri": settings.redirect_uri,
        "state": state,
        "scope": " ".join(SCOPES),
        "code_challenge_method": "S256",
        "code_challenge": pkce.challenge,
    }
    return f"{settings.spotify_accounts_url}/authorize?{urlencode(query)}"


class SpotifyAccounts:
    """The token endpoint, for one Spotify app."""

    def __init__(self, settings: Settings, caller: Caller) -> None:
        self._settings = settings
        self._caller = caller

    def _token(self, form: dict[str, str]) -> TokenGrant:
        auth = None
        secret = self._settings.spotify_client_secret
        if secret is not None:
            auth = (_client_id(self._settings), secret.get_secret_value())
        else:
            form = {**form, "client_id": _client_id(self._settings)}
        now = self._caller.clock()
        response = self._caller.request(
            "POST", f"{self._settings.spotify_accounts_url}/api/token", data=form, auth=auth
        )
        if response.status_code == 400 and _error_code(response) == "invalid_grant":
            raise InvalidGrant(error_message(response))
        if not response.ok:
            raise ServiceError("spotify-accounts", response.status_code, error_message(response))
        body = response.json()
        return TokenGrant(
            access_token=body["access_token"],
            expires_at=now + timedelta(seconds=int(body.get("expires_in", 3600))),
            refresh_token=body.get("refresh_token"),
        )

    def exchange_code(self, code: str, pkce_verifier: str) -> TokenGrant:
        return self._token(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self._settings.redirect_uri,
                "code_verifier": pkce_verifier,
            }
        )

    def refresh(self, refresh_token: str) -> TokenGrant:
        return self._token({"grant_type": "refresh_token", "refresh_token": refresh_token})

    def client_credentials(self) -> TokenGrant:
        return self._token({"grant_type": "client_credentials"})


def _error_code(response: requests.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("error") if isinstance(body, dict) else None
