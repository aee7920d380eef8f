"""Shared field types of the API's response models."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field


def _as_utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


UtcDatetime = Annotated[dt.datetime, AfterValidator(_as_utc)]
Milliseconds = Annotated[int, Field(ge=0, description="Listening time from ms_played.")]
Share = Annotated[float, Field(description="Between 0 and 1.")]


class Granularity(StrEnum):
    day = "day"
    week = "week"
    month = "month"


class TopMeasure(StrEnum):
    """What a top list ranks by."""

    plays = "plays"
    listening_time = "listening_time"


class RangeEcho(BaseModel):
    """The local days a request asked for, said back with the answer; None where open."""

    from_: dt.date | None = Field(serialization_alias="from")
    to: dt.date | None
