"""A user's settings: the time zone that cuts their days (users.time_zone), and the measure
their top lists rank by unless they pick another (user_settings, migration 0017)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from psycopg2 import errors

from etl.core.state import StateStore
from etl.warehouse.connection import Connection
from etl.warehouse.load import _REFRESH_LOCK_ID, read_sql, refresh_stale_aggregates


def change_time_zone(
    conn: Connection, state_store: StateStore, user_id: str, time_zone: str
) -> None:
    """Cut `user_id`'s days in `time_zone` (an IANA name), all past days too, in the
    warehouse and in the lake's state (which a rebuild of the warehouse reads it from).

    One transaction sets the zone, drops the user's rollups and builds them again, so
    readers see the old days until the new ones are in, and a re-cut stopped midway (an
    API request out of time) changes nothing. Raises ValueError, changing nothing, for a
    zone Python or PostgreSQL does not know."""
    unknown = f"Unknown time zone {time_zone!r}: use an IANA name such as Europe/Berlin"
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(unknown) from error
    try:
        # Not committed here: the refresh commits the whole re-cut at once.
        with conn.cursor() as cur:
            cur.execute(read_sql("take_refresh_lock"), {"lock_id": _REFRESH_LOCK_ID})
            cur.execute(read_sql("set_time_zone"), {"user_id": user_id, "time_zone": time_zone})
    except errors.InvalidParameterValue as error:  # a name only Python's tz database has
        conn.rollback()
        raise ValueError(unknown) from error
    except BaseException:
        conn.rollback()
        raise
    refresh_stale_aggregates(conn)
    state_store.put_user(replace(state_store.user(user_id), time_zone=time_zone))


def set_ranking_measure(
    conn: Connection, user_id: str, ranking_measure: str, now: datetime, *, time_zone: str
) -> None:
    """Record the measure `user_id`'s top lists rank by by default; `time_zone` is the one a
    user not yet known gets."""
    params = {
        "user_id": user_id,
        "ranking_measure": ranking_measure,
        "now": now,
        "time_zone": time_zone,
    }
    with conn, conn.cursor() as cur:
        cur.execute(read_sql("set_ranking_measure"), params)
