"""What a pipeline step needs from its surroundings, built once from the settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field

from etl.core.clock import Clock, system_clock
from etl.core.http import Caller, Reachability
from etl.core.lake import Lake, lake_from_settings
from etl.core.settings import Settings
from etl.core.state import StateStore
from etl.enrich.features import FeaturesProvider
from etl.enrich.musicbrainz import MusicBrainz
from etl.enrich.providers import app_api, build_providers
from etl.spotify.client import SpotifyApi
from etl.warehouse.connection import Connection, connect


@dataclass
class PipelineContext:
    settings: Settings
    lake: Lake
    clock: Clock = system_clock
    # Where unqualified table names point: None is the live warehouse; a rebuild builds
    # into a schema of its own and swaps it in when complete.
    schema: str | None = None
    _providers: list[FeaturesProvider] | None = field(default=None, repr=False)
    # A service found unreachable is off for the rest of this run, for every caller of it.
    reachability: Reachability = field(default_factory=Reachability, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock = system_clock) -> PipelineContext:
        return cls(settings=settings, lake=lake_from_settings(settings), clock=clock)

    @contextmanager
    def database(self) -> Iterator[Connection]:
        with closing(connect(self.settings, self.schema)) as conn:
            yield conn

    def spotify_app_api(self) -> SpotifyApi:
        """The Web API as the app (client credentials), within this run's call budget."""
        caller = Caller.configured(
            "spotify",
            StateStore(self.lake),
            self.settings,
            clock=self.clock,
            budget=self.settings.enrich_call_budget,
            reachability=self.reachability,
        )
        return app_api(self.settings, caller)

    def musicbrainz(self) -> MusicBrainz:
        """MusicBrainz and the Cover Art Archive, within this run's call budget."""
        return MusicBrainz.configured(
            self.settings, StateStore(self.lake), clock=self.clock, reachability=self.reachability
        )

    @property
    def providers(self) -> list[FeaturesProvider]:
        if self._providers is None:
            self._providers = build_providers(
                self.settings.feature_providers,
                self.settings,
                self.lake,
                self.clock,
                self.reachability,
            )
        return self._providers
