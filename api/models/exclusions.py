"""Exclusion rules: plays left out of every statistic without being deleted."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, Field

from api.models.common import Milliseconds, UtcDatetime
from etl.warehouse.exclusions import Kind

Weekday = Annotated[int, Field(ge=1, le=7, description="ISO weekday: 1 is Monday, 7 Sunday.")]


class ExclusionRuleIn(BaseModel):
    """A rule as the user states it: its `kind` and that kind's target, nothing else.

    - `artist`, `track`, `album`: `item_id`, an item of the user's plays (a play of a track
      counts for every artist credited on it);
    - `show`: `show_name`;
    - `platform`: `platform_family`, as the playback page names platforms (e.g. "Android");
    - `device`: `platform_device`, as the playback page names devices;
    - `window`: a one-off window, plays starting from `starts_at` until before `ends_at`;
    - `daily`: a recurring window of the user's local clock, plays starting from `daily_from`
      until before `daily_to` (crossing midnight when it is earlier, as 23:00 to 06:00),
      on the `weekdays` it starts on (every day when left out);
    - `shorter_than`: plays of less than `min_seconds` seconds.
    """

    kind: Kind
    item_id: str | None = None
    show_name: str | None = None
    platform_family: str | None = None
    platform_device: str | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    daily_from: dt.time | None = Field(default=None, description="HH:MM, the local clock.")
    daily_to: dt.time | None = Field(default=None, description="HH:MM, the local clock.")
    weekdays: list[Weekday] | None = None
    min_seconds: int | None = None
    note: str | None = Field(default=None, max_length=500)


class ExclusionRule(ExclusionRuleIn):
    """A stored rule (or a preview's, without an id), with what it leaves out now."""

    rule_id: int | None = Field(description="None for a preview.")
    description: str = Field(description="The rule in words.")
    target_name: str | None = Field(description="The named artist's, track's, album's or show's.")
    matched_plays: int = Field(
        ge=0, description="Stored plays the rule matches (other rules may match them too)."
    )
    matched_ms: Milliseconds
    created_at: UtcDatetime | None
    updated_at: UtcDatetime | None


class ExclusionRules(BaseModel):
    rules: list[ExclusionRule]
