"""The audio-feature providers that call out: Spotify (while the app has access) and
ReccoBeats. Each answers for the tracks it knows; a failure makes it unavailable for this
request, one it cannot reach is off for the rest of the run (see `etl.core.http.Reachability`),
and the tracks it was not asked about wait for the next run."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from etl.core.audio_features import AudioFeatures
from etl.core.clock import Clock
from etl.core.http import (
    BudgetSpent,
    Caller,
    CoolingDown,
    Reachability,
    ServiceError,
    ServiceUnreachable,
    error_message,
)
from etl.core.lake import Lake
from etl.core.settings import Settings
from etl.core.state import StateStore
from etl.enrich.features import (
    FeaturesProvider,
    ProviderUnavailable,
    ProviderUnreachable,
    SampleCatalogProvider,
)
from etl.spotify.auth import SpotifyAccounts
from etl.spotify.client import AccessToken, SpotifyApi

SPOTIFY_BATCH = 100
RECCOBEATS_BATCH = 40
# Tracks per call of each provider that calls out; the others answer from what they hold.
_BATCHES = {"spotify": SPOTIFY_BATCH, "reccobeats": RECCOBEATS_BATCH}


def full_batch(names: Iterable[str]) -> int:
    """The batch tracks without features wait to fill: the smallest of the chain's providers
    that call out, so each of their calls is full; 1 (no wait) when none calls out."""
    return min((_BATCHES[name] for name in names if name in _BATCHES), default=1)


def _batches(ids: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


class SpotifyAudioFeatures:
    """`/v1/audio-features`: 403 for apps created after 2024-11-27. The first 403 switches
    this provider off for good (remembered in the state store)."""

    name = "spotify"

    def __init__(self, api: SpotifyApi, caller: Caller) -> None:
        self._api = api
        self._caller = caller

    def fetch(self, track_ids: Sequence[str]) -> list[AudioFeatures]:
        if self._caller.state.provider_disabled(self.name):
            return []
        found: list[AudioFeatures] = []
        for batch in _batches(track_ids, SPOTIFY_BATCH):
            try:
                answer = self._api.audio_features(batch)
            except ServiceUnreachable as error:
                raise ProviderUnreachable(str(error)) from error
            except ServiceError as error:
                if error.status == 403:
                    self._caller.state.disable_provider(
                        self.name, error.message, self._caller.clock()
                    )
                raise ProviderUnavailable(str(error)) from error
            except (CoolingDown, BudgetSpent) as error:
                raise ProviderUnavailable(str(error)) from error
            now = self._caller.clock()
            found.extend(
                AudioFeatures.from_values(item["id"], self.name, now, item)
                for item in answer.get("audio_features") or []
                if item  # unknown ids come back as null
            )
        return found


class ReccoBeats:
    """`GET /v1/audio-features?ids=` with up to 40 Spotify ids; unknown tracks are absent."""

    name = "reccobeats"

    def __init__(self, base_url: str, caller: Caller) -> None:
        self._url = f"{base_url.rstrip('/')}/audio-features"
        self._caller = caller

    def fetch(self, track_ids: Sequence[str]) -> list[AudioFeatures]:
        found: list[AudioFeatures] = []
        for batch in _batches(track_ids, RECCOBEATS_BATCH):
            try:
                response = self._caller.request("GET", self._url, params={"ids": ",".join(batch)})
            except ServiceUnreachable as error:
                raise ProviderUnreachable(str(error)) from error
            except (CoolingDown, BudgetSpent, ServiceError) as error:
                raise ProviderUnavailable(str(error)) from error
            if not response.ok:
                raise ProviderUnavailable(
                    f"reccobeats answered {response.status_code}: {error_message(response)}"
                )
            found.extend(_reccobeats_features(response.json(), set(batch), self._caller.clock()))
        return found


def _reccobeats_features(
    body: dict[str, Any], asked: set[str], now: datetime
) -> Iterator[AudioFeatures]:
    for item in body.get("content") or []:
        # ReccoBeats ids are its own; the Spotify id is the last segment of `href`.
        spotify_id = str(item.get("href") or "").rstrip("/").rsplit("/", 1)[-1]
        if spotify_id in asked:
            yield AudioFeatures.from_values(spotify_id, ReccoBeats.name, now, item)


def build_providers(
    names: Iterable[str],
    settings: Settings,
    lake: Lake,
    clock: Clock,
    reachability: Reachability | None = None,
) -> list[FeaturesProvider]:
    """The configured chain, in order. Spotify's providers need a Spotify app. Their
    callers share the run's `reachability`, which the run's artist lookups share too."""
    state = StateStore(lake)
    providers: list[FeaturesProvider] = []
    for name in names:
        if name == "sample":
            providers.append(SampleCatalogProvider(lake, clock))
        elif name == "spotify":
            if settings.spotify_connected:
                caller = Caller.configured(
                    "spotify",
                    state,
                    settings,
                    clock=clock,
                    budget=settings.enrich_call_budget,
                    reachability=reachability,
                )
                providers.append(SpotifyAudioFeatures(app_api(settings, caller), caller))
        elif name == "reccobeats":
            caller = Caller.configured(
                "reccobeats",
                state,
                settings,
                clock=clock,
                budget=settings.enrich_call_budget,
                reachability=reachability,
            )
            providers.append(ReccoBeats(settings.reccobeats_url, caller))
        else:
            known = ["reccobeats", "sample", "spotify"]
            raise ValueError(f"Unknown audio-features provider {name!r}; known: {known}")
    return providers


def app_api(settings: Settings, caller: Caller) -> SpotifyApi:
    """The Web API as the app itself (client credentials): no user involved."""
    accounts = SpotifyAccounts(settings, caller)
    return SpotifyApi(settings.spotify_api_url, AccessToken(accounts.client_credentials), caller)
