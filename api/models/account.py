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


class Freshness(BaseModel):
    """When the data behind the dashboard last moved, for its header."""

    last_ingest_at: UtcDatetime | None = Field(
        description="The signed-in user's last successful ingest from Spotify; null "
        "without a Spotify connection (the demo)."
    )
    last_etl_at: UtcDatetime | None = Field(
        description="The pipeline's last successful refresh of the warehouse; null before "
        "the first."
    )
    checked_at: UtcDatetime = Field(
        description="The server's clock when it answered: relative times count from it."
    )
    ingest_stale: bool = Field(
        description="Signed in with Spotify and no successful ingest for 3 hours."
    )


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
    freshness: Freshness
    gaps: list[Gap]
