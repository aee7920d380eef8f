"""The settings export: a versioned JSON document of the user's settings and rules; a plays
export's status on AWS."""

from __future__ import annotations

from typing import Any, Literal

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


class ExportStatus(BaseModel):
    export_id: str
    state: Literal["pending", "ready", "failed"] = Field(
        description="pending while the export function writes the file; ready once it is "
        "in the lake; failed with a `message`."
    )
    status_url: str = Field(description="Where to ask again (this answer's own path).")
    file_name: str = Field(description="The name the file downloads as.")
    url: str | None = Field(
        description="When ready: a link that downloads the file, valid for five minutes."
    )
    message: str | None = Field(description="When failed: what went wrong, for the user.")
