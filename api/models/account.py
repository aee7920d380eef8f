"""Who is signed in, their Spotify connection, and the service's health."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from api.models.common import TopMeasure, UtcDatetime


class Health(BaseModel):
    status: Literal["ok", "error"]
    database: Literal["ok", "unavailable"]


class SignIn(BaseModel):
    state: Literal["connected", "sign_in_again", "not_connected"]
    signed_in_at: UtcDatetime | None
    expires_at: UtcDatetime | None
    expires_soon: bool = Field(description="Less than a month before Spotify ends the sign-in.")
    login_url: str


class IngestStatus(BaseModel):
    last_run_at: UtcDatetime | None
    cool_down_until: UtcDatetime | None
    cool_down_reason: Literal["rate_limited", "quota_exceeded"] | None


class Gap(BaseModel):
    from_: UtcDatetime = Field(serialization_alias="from")
    to: UtcDatetime
    detected_at: UtcDatetime


class Me(BaseModel):
    user_id: str
    display_name: str | None
    time_zone: str = Field(
        description="The IANA time zone that cuts this user's days; show every time in it.",
        examples=["Europe/Berlin"],
    )
    ranking_measure: TopMeasure = Field(
        description="What the dashboard's top lists rank by unless the page's address names "
        "a measure (the user's setting)."
    )
    demo: bool = Field(description="This user's listening history was generated (the demo).")
    sign_in: SignIn
    ingest: IngestStatus
    gaps: list[Gap]
