"""Audio features of a track: the row shape every provider answers with and the warehouse
stores."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

FEATURE_NAMES = (
    "valence", "energy", "danceability", "acousticness", "instrumentalness", "liveness",
    "speechiness", "loudness", "tempo", "key", "mode",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class AudioFeatures:
    track_id: str
    provider: str
    fetched_at: datetime
    valence: float | None
    energy: float | None
    danceability: float | None
    acousticness: float | None
    instrumentalness: float | None
    liveness: float | None
    speechiness: float | None
    loudness: float | None
    tempo: float | None
    key: int | None
    mode: int | None

    @classmethod
    def from_values(
        cls, track_id: str, provider: str, fetched_at: datetime, values: Mapping[str, Any]
    ) -> AudioFeatures:
        known = {name: values.get(name) for name in FEATURE_NAMES}
        return cls(track_id=track_id, provider=provider, fetched_at=fetched_at, **known)

    def as_record(self) -> dict[str, Any]:
        record = asdict(self)
        record["fetched_at"] = self.fetched_at.isoformat()
        return record

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> AudioFeatures:
        return cls.from_values(
            record["track_id"],
            record["provider"],
            datetime.fromisoformat(record["fetched_at"]),
            record,
        )
