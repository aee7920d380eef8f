"""Audio-feature providers: their common shape, the demo catalog's, and the chain that asks them.

Providers are tried in order; each answers for the tracks it knows and stays silent about
the rest, which the next provider is asked about. A track no provider knows is simply not
recorded: "not known yet", never "does not exist".
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from etl.core.audio_features import AudioFeatures
from etl.core.clock import Clock
from etl.core.keys import SAMPLE_CATALOG_KEY
from etl.core.lake import Lake

logger = logging.getLogger(__name__)


class FeaturesProvider(Protocol):
    name: str

    def fetch(self, track_ids: Sequence[str]) -> list[AudioFeatures]:
        """Features for the tracks this provider knows, in any order."""


class SampleCatalogProvider:
    """Serves the demo catalog's features, stored in the lake by `moodify demo`."""

    name = "sample"

    def __init__(self, lake: Lake, clock: Clock) -> None:
        self._lake = lake
        self._clock = clock
        self._catalog: dict[str, dict[str, Any]] | None = None

    def _load(self) -> dict[str, dict[str, Any]]:
        if self._catalog is None:
            exists = self._lake.exists(SAMPLE_CATALOG_KEY)
            self._catalog = json.loads(self._lake.get(SAMPLE_CATALOG_KEY)) if exists else {}
        return self._catalog

    def fetch(self, track_ids: Sequence[str]) -> list[AudioFeatures]:
        catalog = self._load()
        now = self._clock()
        return [
            AudioFeatures.from_values(track_id, self.name, now, catalog[track_id])
            for track_id in track_ids
            if track_id in catalog
        ]


class ProviderUnavailable(Exception):
    """A provider cannot answer now (an error answer, cooling down, out of budget)."""


class ProviderUnreachable(ProviderUnavailable):
    """No connection to the provider: the HTTP layer has said so once for the run."""


@dataclass
class ChainResult:
    found: list[AudioFeatures]
    unknown: list[str]  # asked of every provider, known to none: ask again later


def fetch_features(providers: Sequence[FeaturesProvider], track_ids: Sequence[str]) -> ChainResult:
    """Ask each provider in turn about the tracks the ones before it did not know."""
    wanted = list(dict.fromkeys(track_ids))
    found: list[AudioFeatures] = []
    complete = True  # whether every provider was asked about everything still wanted
    for provider in providers:
        if not wanted:
            break
        asked = set(wanted)
        try:
            answers = [item for item in provider.fetch(wanted) if item.track_id in asked]
        except ProviderUnreachable:
            complete = False
            continue
        except ProviderUnavailable as error:
            logger.warning("Audio-feature provider %s unavailable: %s", provider.name, error)
            complete = False
            continue
        found.extend(answers)
        answered = {item.track_id for item in answers}
        wanted = [track_id for track_id in wanted if track_id not in answered]
    return ChainResult(found=found, unknown=wanted if complete else [])
