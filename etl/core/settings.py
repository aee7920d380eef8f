"""Moodify's configuration: one place, read from environment variables.

Every variable is prefixed `MOODIFY_` (except `DATABASE_URL` and `AWS_REGION`, which keep
their conventional names). The defaults run everything locally under `MOODIFY_HOME`.
"""

from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, field_validator
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
    # A database that does not answer must not hang whoever waits on it: connecting gives up
    # after this long (libpq counts whole seconds, at least 2), and the API's statements
    # after `db_statement_timeout_ms` (the ETL's long transactions get no such limit).
    db_connect_timeout_s: int = Field(default=3, ge=2)
    db_statement_timeout_ms: int = Field(default=4000, ge=0)
    # A frozen server (or a half-open connection) cannot enforce its statement timeout: the
    # API also cuts a read connection's socket once it has been out this long. A little
    # above the statement timeout, so a slow but living server cancels its query first.
    db_read_deadline_s: float = Field(default=4.5, gt=0)
    # The API's read pool: connections it may open, and how many of them one answer's
    # independent reads run on side by side. The local server shares its pool between
    # concurrent requests; a Lambda container serves one request at a time, so on AWS the
    # pool is just one answer's reads (cdk_app.database counts it against the instance).
    db_pool_size: int = Field(default=8, ge=1)
    db_reads_side_by_side: int = Field(default=4, ge=1)
    aws_region: str = Field(
        default="us-east-1", validation_alias=AliasChoices("AWS_REGION", "MOODIFY_AWS_REGION")
    )

    # Whose data a local import or the local API uses until sign-in exists.
    user_id: str = "me"
    time_zone: str = Field(default="UTC", description="IANA zone that cuts listening days.")

    # Audio-feature providers, tried in order, comma-separated ("sample" serves the demo).
    feature_providers: Annotated[tuple[str, ...], NoDecode] = ("spotify", "reccobeats")
    # How long a track without features may wait for a provider's full batch before it is
    # asked about alone (seconds or ISO 8601, e.g. PT6H); 0 asks about every track at once.
    feature_max_wait: timedelta = Field(default=timedelta(days=1), ge=timedelta(0))

    # Spotify. The client secret and session secret are secrets: on AWS the handlers read
    # them from Secrets Manager / SSM; locally they come from the environment, and the
    # session secret is generated under `home` when unset.
    spotify_client_id: str | None = None
    spotify_client_secret: SecretStr | None = None
    spotify_accounts_url: str = "https://accounts.spotify.com"
    spotify_api_url: str = "https://api.spotify.com/v1"
    reccobeats_url: str = "https://api.reccobeats.com/v1"
    redirect_uri: str = "http://127.0.0.1:8000/auth/callback"
    # Behind CloudFront the public host is only known per request: this header carries it
    # (set by a CloudFront function), and the redirect URI is https://<host>/auth/callback.
    redirect_from_host_header: str | None = None
    allowed_users: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        description="Spotify account ids allowed to sign in and be ingested (comma-separated).",
    )
    session_secret: SecretStr | None = None
    # On AWS, what CloudFront sends the API with every request (cdk_app.origin); the
    # authorizer refuses requests without it. Unset locally, where no CDN stands in front.
    origin_secret: SecretStr | None = None
    # SSM parameter prefix for refresh tokens on AWS; unset locally (an encrypted file).
    token_parameter_prefix: str | None = None
    # Spotify calls the enrich step may make per run, so that it never eats the quota the
    # hourly ingest needs.
    enrich_call_budget: int = Field(default=60, ge=0)
    http_read_timeout_s: float = Field(default=15, gt=0)

    # Genres and covers from open data: MusicBrainz and the Cover Art Archive, reached by one
    # client that sends at most one request per `musicbrainz_interval_s` (MusicBrainz allows
    # one a second per IP; only the demo's loopback fake is called faster) and at most
    # `musicbrainz_call_budget` per enrich run (0: never called; the enrich Lambda is given
    # more, see cdk_app/etl.py). MusicBrainz asks for a User-Agent naming the application
    # and a contact: set `musicbrainz_contact` to your e-mail address or site.
    musicbrainz_url: str = "https://musicbrainz.org/ws/2"
    coverartarchive_url: str = "https://coverartarchive.org"
    musicbrainz_call_budget: int = Field(default=30, ge=0)
    musicbrainz_interval_s: float = Field(default=1.0, ge=0)
    musicbrainz_contact: str | None = None
    # The longest an enrich run spends on MusicBrainz, slow answers and back-offs included.
    musicbrainz_run_s: float = Field(default=300, gt=0)
    # An artist or album nobody knew is asked about again after this long.
    lookup_retry_after: timedelta = Field(default=timedelta(days=30), gt=timedelta(0))

    # Answers of the history's endpoints kept in each API process until the user's data
    # changes (0 turns the cache off; the ETag still answers revalidations).
    api_cache_mb: int = Field(default=32, ge=0)

    # Local server.
    host: str = "127.0.0.1"
    port: int = 8000
    # Host names the local server answers to besides the address it listens on (and, on
    # loopback, localhost): e.g. the machine's LAN name when serving on 0.0.0.0.
    allowed_hosts: Annotated[tuple[str, ...], NoDecode] = ()
    site_dir: Path = Path("frontend/out")

    @field_validator("feature_providers", "allowed_users", "allowed_hosts", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(name.strip() for name in value.split(",") if name.strip())
        return value

    def allows(self, spotify_ids: Iterable[str]) -> bool:
        """Whether the allowlist names any of a user's Spotify ids (`account_id`, `id`).

        An empty allowlist lets nobody in: a deployment is private until its owner says who.
        """
        return not set(self.allowed_users).isdisjoint(spotify_ids)

    @property
    def lake_dir(self) -> Path:
        return self.home / "lake"

    @property
    def pgdata_dir(self) -> Path:
        return self.home / "pgdata"

    @property
    def secrets_dir(self) -> Path:
        return self.home / "secrets"

    @property
    def spotify_connected(self) -> bool:
        """Whether a Spotify app is configured, so that sign-in is possible."""
        return self.spotify_client_id is not None
