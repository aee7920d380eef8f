"""A user's settings: the time zone that cuts their days (users.time_zone), and the measure
their top lists rank by unless they pick another (user_settings, migration 0017)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from psycopg2 import errors

from etl.core.state import StateStore
from etl.warehouse.connection import Connection
from etl.warehouse.load import read_sql, set_time_zone


def change_time_zone(
    conn: Connection, state_store: StateStore, user_id: str, time_zone: str
) -> None:
    """Cut `user_id`'s days in `time_zone` (an IANA name), all past days too, in the
    warehouse and in the lake's state (which a rebuild of the warehouse reads it from).

    Raises ValueError, changing nothing, for a zone Python or PostgreSQL does not know.
    The lake's state changes first: should the re-cut be stopped midway (an API request
    out of time), the days it left stale are cut in the new zone by the next refresh, and
    a rebuild uses that zone too."""
    try:
        ZoneInfo(time_zone)
        with conn, conn.cursor() as cur:
            cur.execute(read_sql("check_time_zone"), {"time_zone": time_zone})
    except (ZoneInfoNotFoundError, ValueError, errors.InvalidParameterValue) as error:
        raise ValueError(
            f"Unknown time zone {time_zone!r}: use an IANA name such as Europe/Berlin"
        ) from error
    state_store.put_user(replace(state_store.user(user_id), time_zone=time_zone))
    set_time_zone(conn, user_id, time_zone)


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
