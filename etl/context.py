"""What a pipeline step needs from its surroundings, built once from the settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field

from etl.features import FeaturesProvider, build_providers
from etl.lake import Lake, lake_from_settings
from etl.settings import Settings
from etl.warehouse.connection import Connection, connect


@dataclass
class PipelineContext:
    settings: Settings
    lake: Lake
    _providers: list[FeaturesProvider] | None = field(default=None, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> PipelineContext:
        return cls(settings=settings, lake=lake_from_settings(settings))

    @contextmanager
    def database(self) -> Iterator[Connection]:
        with closing(connect(self.settings)) as conn:
            yield conn

    @property
    def providers(self) -> list[FeaturesProvider]:
        if self._providers is None:
            self._providers = build_providers(self.settings.feature_providers, self.lake)
        return self._providers
