"""The "fetch again" action: the items a provider did not know, asked about on the next
enrich run.

Features, genres and covers are catalog data shared by every user, so a refetch queues
every unknown item, whoever played it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from etl.warehouse.connection import Connection
from etl.warehouse.load import read_sql

__all__ = ["ProviderKind", "queue_refetch"]


class ProviderKind(StrEnum):
    """What a provider chain fetches: tracks' audio features, artists' genres, albums'
    covers."""

    features = "features"
    genres = "genres"
    artwork = "artwork"


def queue_refetch(conn: Connection, kind: ProviderKind, now: datetime) -> int:
    """Make every `kind` item the providers did not know due on the next enrich run; how
    many were waiting and are now due."""
    with conn, conn.cursor() as cur:
        cur.execute(read_sql(f"refetch_{kind.value}"), {"now": now})
        return int(cur.rowcount)
