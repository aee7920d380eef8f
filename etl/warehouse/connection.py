"""Connections to the warehouse: a URL locally, IAM-authenticated on AWS."""

from __future__ import annotations

import re
from dataclasses import dataclass

import psycopg2
from psycopg2.extensions import connection as Connection
from psycopg2.extensions import parse_dsn

from etl.core.settings import Settings

__all__ = ["Connection", "ConnectionParams", "connect", "connect_params", "iam_params"]

_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class ConnectionParams:
    host: str
    port: int
    dbname: str
    user: str
    password: str | None
    connect_timeout_s: int  # `Settings.db_connect_timeout_s`, whose default is the one default
    sslmode: str = "prefer"


def _options(
    schema: str | None, options: str | None = None, statement_timeout_ms: int | None = None
) -> str | None:
    """libpq `options` that put `schema` alone on the search path (None: as configured) and
    cancel statements after `statement_timeout_ms` (None: no limit), keeping any options
    the configuration already gives."""
    parts = [options] if options else []
    if schema is not None:
        if not _SCHEMA_NAME.match(schema):
            raise ValueError(f"Schema name must be lower-case letters, digits and '_': {schema!r}")
        parts.append(f"-c search_path={schema}")
    if statement_timeout_ms is not None:
        parts.append(f"-c statement_timeout={int(statement_timeout_ms)}")
    return " ".join(parts).strip() or None


def connect_params(
    params: ConnectionParams, schema: str | None = None, statement_timeout_ms: int | None = None
) -> Connection:
    return psycopg2.connect(
        host=params.host,
        port=params.port,
        dbname=params.dbname,
        user=params.user,
        password=params.password,
        sslmode=params.sslmode,
        connect_timeout=params.connect_timeout_s,
        application_name="moodify",
        options=_options(schema, statement_timeout_ms=statement_timeout_ms),
        # The server is another host (RDS). libpq keeps TCP keepalives on, but the kernel's
        # default waits 2 hours of silence before the first probe: a host that vanished (a
        # failover, a dead instance) would hold an idle or waiting connection that long.
        # Probing after 30 s, every 10 s, gives up on it within a minute. (No help against a
        # live host whose server process is stopped: its kernel answers the probes.)
        keepalives=1,
        keepalives_idle=30,
        keepalives_interval=10,
        keepalives_count=3,
        # Probes are only sent while nothing sent waits for its acknowledgment: a COPY or a
        # query sent to a vanished host would wait out TCP's retransmissions (~15 minutes)
        # instead. Data unacknowledged for a minute gives up too.
        tcp_user_timeout=60_000,
    )


def iam_params(settings: Settings) -> ConnectionParams:
    """Sign an RDS IAM token locally (no network call) for the application's user."""
    import boto3  # deferred: only the AWS path needs it

    if settings.db_host is None:
        raise ValueError("MOODIFY_DB_HOST must be set when MOODIFY_DB_IAM_AUTH is true")
    token = boto3.client("rds", region_name=settings.aws_region).generate_db_auth_token(
        DBHostname=settings.db_host, Port=settings.db_port, DBUsername=settings.db_user
    )
    return ConnectionParams(
        host=settings.db_host,
        port=settings.db_port,
        dbname=settings.db_name,
        user=settings.db_user,
        password=token,
        sslmode="require",  # RDS accepts IAM tokens over TLS only
        connect_timeout_s=settings.db_connect_timeout_s,
    )


def connect(
    settings: Settings, schema: str | None = None, *, statement_timeout_ms: int | None = None
) -> Connection:
    """Open a connection as configured: DATABASE_URL, else IAM auth to `db_host`; either
    gives up after `settings.db_connect_timeout_s`.

    With `schema`, unqualified names mean that schema's tables (a rebuild builds into one).
    With `statement_timeout_ms`, the server cancels any statement that runs longer (the
    API's reads; never the ETL's transactions, which may rightly take minutes).
    """
    if settings.database_url:
        configured = parse_dsn(settings.database_url).get("options")
        return psycopg2.connect(
            settings.database_url,
            connect_timeout=settings.db_connect_timeout_s,
            application_name="moodify",
            options=_options(schema, configured, statement_timeout_ms),
        )
    if settings.db_iam_auth:
        return connect_params(iam_params(settings), schema, statement_timeout_ms)
    raise RuntimeError(
        "No database configured: set DATABASE_URL, or run through the `moodify` CLI, "
        "which starts the embedded PostgreSQL"
    )
