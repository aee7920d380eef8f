"""Moodify's configuration: one place, read from environment variables.

Every variable is prefixed `MOODIFY_` (except `DATABASE_URL` and `AWS_REGION`, which keep
their conventional names). The defaults run everything locally under `MOODIFY_HOME`.
"""

from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MOODIFY_", extra="ignore", frozen=True)

    home: Path = Field(
        default=Path(".moodify"),
        description="All local state (lake, embedded database, sample data) lives here.",
    )

    # Lake: an S3 bucket when set (AWS), else a directory under `home`.
    lake_bucket: str | None = None

    # Warehouse: DATABASE_URL wins; else the embedded PostgreSQL under `home` locally, or
    # host/port/name/user with IAM authentication on AWS.
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "MOODIFY_DATABASE_URL")
    )
    db_host: str | None = None
    db_port: int = 5432
    db_name: str = "moodify"
    db_user: str = "moodify_app"
    db_iam_auth: bool = False
    aws_region: str = Field(
        default="us-east-1", validation_alias=AliasChoices("AWS_REGION", "MOODIFY_AWS_REGION")
    )

    # Whose data a local import or the local API uses until sign-in exists.
    user_id: str = "me"
    time_zone: str = Field(default="UTC", description="IANA zone that cuts listening days.")

    # Audio-feature providers, tried in order, comma-separated.
    feature_providers: Annotated[tuple[str, ...], NoDecode] = ("sample",)

    # Local server.
    host: str = "127.0.0.1"
    port: int = 8000
    site_dir: Path = Path("frontend/out")

    @field_validator("feature_providers", mode="before")
    @classmethod
    def _split_providers(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(name.strip() for name in value.split(",") if name.strip())
        return value

    @property
    def lake_dir(self) -> Path:
        return self.home / "lake"

    @property
    def pgdata_dir(self) -> Path:
        return self.home / "pgdata"
