"""The Spotify Web API calls Moodify makes, one ID per request (batch lookups are closed).

An expired access token (401) is refreshed once and the call retried; 403 and other
answers become `ServiceError`s; 429s become cool-downs (see `etl.core.http`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from etl.core.http import Caller, ServiceError, error_message
from etl.spotify.auth import TokenGrant

if TYPE_CHECKING:
    from requests import Response

RECENTLY_PLAYED_LIMIT = 50  # the most Spotify ever shows


class AccessToken:
    """A bearer token that renews itself through `renew` when expired or refused."""

    def __init__(self, renew: Callable[[], TokenGrant]) -> None:
        self._renew = renew
        self._grant: TokenGrant | None = None

    def value(self, now: datetime, *, force: bool = False) -> str:
        if force or self._grant is None or now >= self._grant.expires_at:
            self._grant = self._renew()
        return self._grant.access_token


class SpotifyApi:
    def __init__(self, api_url: str, token: AccessToken, caller: Caller) -> None:
        self._api_url = api_url.rstrip("/")
        self._token = token
        self._caller = caller

    def get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self._send(path, params, refresh=False)
        if response.status_code == 401:  # the token expired early: refresh once and retry
            response = self._send(path, params, refresh=True)
        if not response.ok:
            raise ServiceError("spotify", response.status_code, error_message(response))
        body: dict[str, Any] = response.json()
        return body

    def _send(self, path: str, params: dict[str, Any] | None, *, refresh: bool) -> Response:
        bearer = self._token.value(self._caller.clock(), force=refresh)
        return self._caller.request(
            "GET",
            f"{self._api_url}{path}",
            params=params,
            headers={"Authorization": f"Bearer {bearer}"},
        )

    def me(self) -> dict[str, Any]:
        return self.get("/me")

    def recently_played(self, after_ms: int | None) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": RECENTLY_PLAYED_LIMIT}
        if after_ms is not None:
            params["after"] = after_ms
        return self.get("/me/player/recently-played", params)

    def artist(self, artist_id: str) -> dict[str, Any]:
        return self.get(f"/artists/{artist_id}")

    def audio_features(self, track_ids: list[str]) -> dict[str, Any]:
        return self.get("/audio-features", {"ids": ",".join(track_ids)})
