"""Sharing one's listening with the other users of this Moodify (migration 0018): opt-in,
at most `MAX_SHARING_USERS` at once."""

from __future__ import annotations

from datetime import datetime

from psycopg2 import errors

from etl.warehouse.connection import Connection
from etl.warehouse.load import read_sql

# The migration's limit (user_sharing_at_most_five), said here for messages and the API.
MAX_SHARING_USERS = 5
_LIMIT_CONSTRAINT = "user_sharing_at_most_five"


class SharingFull(Exception):
    """Another user may not start sharing: `MAX_SHARING_USERS` already do."""


def set_sharing(
    conn: Connection, user_id: str, shared: bool, now: datetime, *, time_zone: str
) -> None:
    """Record whether `user_id` shares; `time_zone` is the one a user not yet known gets.

    Raises SharingFull (nothing changed) when `user_id` would be one too many."""
    params = {"user_id": user_id, "shared": shared, "now": now, "time_zone": time_zone}
    try:
        with conn, conn.cursor() as cur:
            cur.execute(read_sql("set_sharing"), params)
    except errors.CheckViolation as error:
        if error.diag.constraint_name != _LIMIT_CONSTRAINT:
            raise
        raise SharingFull(
            f"{MAX_SHARING_USERS} users of this Moodify already share their listening, the "
            "most that may; one of them has to stop sharing first"
        ) from error
