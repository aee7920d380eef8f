"""The settings export: a versioned JSON document of the user's settings and rules."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.models.common import UtcDatetime
from etl.warehouse.export import SETTINGS_VERSION


class SettingsExport(BaseModel):
    version: int = Field(
        description=f"The document's layout version ({SETTINGS_VERSION}); raised when a "
        "field changes meaning."
    )
    exported_at: UtcDatetime
    user_id: str
    time_zone: str = Field(description="The IANA zone that cuts the user's days.")
    settings: dict[str, Any] = Field(
        description="The user's stored settings (the columns of user_settings, such as "
        "ranking_measure); empty when none was ever changed."
    )
    exclusion_rules: list[dict[str, Any]] = Field(
        description="Every exclusion rule, oldest first, with all of its columns (those a "
        "rule's kind does not use are null), as the warehouse stores it."
    )
