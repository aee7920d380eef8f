"""A user's settings: the time zone that cuts their days, and their default ranking."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.models.common import TopMeasure

# Until a user picks one: the measure the top lists' `by` defaults to.
DEFAULT_RANKING_MEASURE = TopMeasure.listening_time

_TIME_ZONE = "The IANA time zone that cuts this user's days; show every time in it."
_RANKING_MEASURE = (
    "What the dashboard's top lists rank by unless the page's address names a measure: "
    "the `by` it asks the top lists for."
)


class UserSettings(BaseModel):
    time_zone: str = Field(description=_TIME_ZONE, examples=["Europe/Berlin"])
    ranking_measure: TopMeasure = Field(description=_RANKING_MEASURE)

    @classmethod
    def from_row(cls, row: Mapping[str, Any] | None, default_time_zone: str) -> UserSettings:
        """The settings in a row of `me.sql`; `default_time_zone` and the default measure
        for a user the warehouse does not know yet (no row), or who never chose one."""
        row = row or {}
        return cls(
            time_zone=row.get("time_zone") or default_time_zone,
            ranking_measure=row.get("ranking_measure") or DEFAULT_RANKING_MEASURE,
        )


class SettingsChange(BaseModel):
    """The settings to change; those left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    time_zone: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="A new IANA time zone: every past day is cut again in it, which takes "
        "a moment for a long history.",
        examples=["Europe/Berlin"],
    )
    ranking_measure: TopMeasure | None = Field(default=None, description=_RANKING_MEASURE)
