"""A user's settings: the time zone that cuts their days (users.time_zone), and the measure
their top lists rank by unless they pick another (user_settings, migration 0017)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from etl.core.state import StateStore, UserState
from etl.warehouse.connection import Connection
from etl.warehouse.load import read_sql, set_time_zone


def change_time_zone(
    conn: Connection, state_store: StateStore, user_id: str, time_zone: str, now: datetime
) -> None:
    """Cut `user_id`'s days in `time_zone` (an IANA name), all past days too, in the
    warehouse (one transaction: `load.set_time_zone`), then in the lake's state, which a
    rebuild of the warehouse reads it from. Raises ValueError, changing nothing, for a zone
    Python or PostgreSQL does not know.

    A user without a state (never signed in, locally; or deleted) gets one whose sessions
    count from `now`: no session issued before it, a deleted user's cookie above all,
    comes back with the state."""
    set_time_zone(conn, user_id, time_zone)
    state_store.update_user(
        user_id,
        lambda user: replace(user, time_zone=time_zone),
        new=UserState(user_id, sessions_valid_from=now),
    )


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
