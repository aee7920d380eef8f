"""The embedded PostgreSQL that local mode uses when DATABASE_URL is not set."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

from etl.core.settings import Settings


def embedded_server_url(pgdata: Path, database: str = "postgres") -> str:
    """Start (or reuse) the embedded server whose data lives in `pgdata`; return its URL.

    The server stops when the last process that uses it exits.
    """
    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset on servers; harmless here.
        warnings.simplefilter("ignore")
        from pgserver.postgres_server import get_server

        logging.getLogger("pgserver").setLevel(logging.WARNING)
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        server = get_server(pgdata)
    return str(server.get_uri(database))


def database_url(settings: Settings) -> str:
    """DATABASE_URL when configured, else the embedded server under MOODIFY_HOME."""
    if settings.database_url:
        return settings.database_url
    return embedded_server_url(settings.pgdata_dir.resolve())
