"""Erasure: a range of the user's plays, or everything Moodify keeps of them."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from api.deps import IsoDate
from api.models.common import Milliseconds


class ErasePlays(BaseModel):
    """Local days in the user's time zone, both ends included."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: IsoDate = Field(alias="from", description="First local day (YYYY-MM-DD), inclusive.")
    to: IsoDate = Field(description="Last local day (YYYY-MM-DD), inclusive; today at the latest.")
    dry_run: bool = Field(
        default=False,
        description="Only count what the range holds; erase nothing (what the dashboard asks "
        "before it asks for confirmation).",
    )


class PlaysErased(BaseModel):
    from_: dt.date = Field(serialization_alias="from")
    to: dt.date
    plays: int = Field(
        ge=0,
        description="The plays in the range (every one, left out of the statistics or not): "
        "erased, or with `dry_run` that would be.",
    )
    listening_ms: Milliseconds
    erased: bool = Field(description="False for a dry run.")


RefreshTokenFate = Literal["deleted", "none", "forgotten_by_next_ingest"]


class EraseEverything(BaseModel):
    model_config = ConfigDict(extra="forbid")

    confirm: str = Field(
        max_length=256,
        description="The user's id or display name, typed out: nothing is deleted otherwise.",
        examples=["alice"],
    )


class EverythingErased(BaseModel):
    rows: dict[str, int] = Field(description="The user's rows deleted, per warehouse table.")
    lake_objects: int = Field(ge=0, description="The user's objects deleted from the lake.")
    refresh_token: RefreshTokenFate = Field(
        description="The stored Spotify refresh token: deleted now, there was none, or (on "
        "AWS, where this function cannot reach the token store) forgotten unused by the "
        "next hourly ingest."
    )
