"""Connections to the warehouse: a URL locally, IAM-authenticated on AWS."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg2
from psycopg2.extensions import connection as Connection

from etl.settings import Settings

__all__ = ["Connection", "ConnectionParams", "connect", "connect_params", "iam_params"]


@dataclass(frozen=True)
class ConnectionParams:
    host: str
    port: int
    dbname: str
    user: str
    password: str | None
    sslmode: str = "prefer"


def connect_params(params: ConnectionParams) -> Connection:
    return psycopg2.connect(
        host=params.host,
        port=params.port,
        dbname=params.dbname,
        user=params.user,
        password=params.password,
        sslmode=params.sslmode,
        connect_timeout=10,
        application_name="moodify",
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
    )


def connect(settings: Settings) -> Connection:
    """Open a connection as configured: DATABASE_URL, else IAM auth to `db_host`."""
    if settings.database_url:
        return psycopg2.connect(settings.database_url, application_name="moodify")
    if settings.db_iam_auth:
        return connect_params(iam_params(settings))
    raise RuntimeError(
        "No database configured: set DATABASE_URL, or run through the `moodify` CLI, "
        "which starts the embedded PostgreSQL"
    )
