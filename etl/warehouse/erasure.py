"""Erasure: a range of a user's plays, or everything Moodify keeps of a user.

Raw objects are immutable and the warehouse is rebuilt from them, so deleting plays from
the warehouse alone would not last. An erased range is therefore written to the lake
first, as a tombstone (`tombstones/user=<id>/...`), then recorded in the warehouse's
`erased_ranges` and its plays deleted. Every load leaves out staged plays inside an erased
range (load_plays.sql), so neither a rebuild, which reads the tombstones back before it
loads anything, nor the same export imported again brings them back. What else was derived
from the plays: their days' rollups are rebuilt (emptied where nothing is left), ingest
gaps lying wholly in the range go; the raw and curated objects that hold the plays stay
(they are the lake's record, replayed through the tombstones), as do the imports' reports,
which count records and name no play.

Deleting a user deletes their rows from every table with a `user_id` column, in one pass
(here; the whole deletion, lake and token included, is etl.pipeline.erasure's). Catalog
rows (tracks, artists, albums, episodes, features, genres) are shared by every user and
stay.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from graphlib import TopologicalSorter
from typing import Any
from zoneinfo import ZoneInfo

from psycopg2 import sql

from etl.core.keys import (
    TOMBSTONES_PREFIX,
    tombstone_key,
)
from etl.core.lake import Lake
from etl.warehouse.connection import Connection
from etl.warehouse.load import _LOAD_LOCK_CLASS, read_sql, refresh_stale_aggregates


@dataclass(frozen=True)
class ErasedRange:
    """Plays of `user_id` that started in [start, end), erased at `erased_at`."""

    user_id: str
    start: datetime
    end: datetime
    erased_at: datetime

    def document(self) -> dict[str, str]:
        """The tombstone's content, and a row of record_erased_ranges.sql."""
        return {
            "user_id": self.user_id,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "erased_at": self.erased_at.isoformat(),
        }

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> ErasedRange:
        return cls(
            user_id=str(document["user_id"]),
            start=datetime.fromisoformat(document["from"]),
            end=datetime.fromisoformat(document["to"]),
            erased_at=datetime.fromisoformat(document["erased_at"]),
        )


@dataclass(frozen=True)
class PlaysInRange:
    plays: int
    listening_ms: int


@dataclass(frozen=True)
class ErasedPlays(PlaysInRange):
    tombstone_key: str


def past_local_days(
    first: date, last: date, time_zone: str, now: datetime
) -> tuple[datetime, datetime]:
    """The instants that local days `first` to `last` (both included) span in `time_zone`,
    up to `now`: only past plays can be erased (a range reaching into the future would
    also erase plays to come). ValueError for a range that ends before it starts or after
    today, naming the end."""
    zone = ZoneInfo(time_zone)
    today = now.astimezone(zone).date()
    if last < first:
        raise ValueError(f"`to` ({last}) is before `from` ({first})")
    if last > today:
        raise ValueError(f"`to` ({last}) is after today ({today}): only past plays can be erased")
    start = datetime.combine(first, time(), zone)
    end = min(datetime.combine(last + timedelta(days=1), time(), zone), now)
    if end <= start:
        raise ValueError(f"`to` ({last}): no moment of the range has passed yet")
    return start, end


def _lock_user_loads(cur: Any, user_id: str) -> None:
    cur.execute(read_sql("lock_user_loads"), {"lock_class": _LOAD_LOCK_CLASS, "user_id": user_id})


def plays_in_range(conn: Connection, user_id: str, start: datetime, end: datetime) -> PlaysInRange:
    """What erasing [start, end) would delete: every play, excluded from statistics or not."""
    with conn, conn.cursor() as cur:
        cur.execute(read_sql("erasable_plays"), {"user_id": user_id, "from": start, "to": end})
        row = cur.fetchone()
    assert row is not None  # an aggregate without GROUP BY always returns a row
    return PlaysInRange(int(row[0]), int(row[1]))


def erase_range(conn: Connection, lake: Lake, erased: ErasedRange) -> ErasedPlays:
    """Erase the plays of `erased`: tombstone first, so that a failure after it leaves a
    range that the next rebuild or load still honours, then the warehouse and its rollups."""
    body = json.dumps(erased.document(), indent=2).encode()
    key = tombstone_key(erased.user_id, erased.erased_at, body)
    lake.put_new(key, body)
    erased_plays = erase_in_warehouse(conn, erased)
    refresh_stale_aggregates(conn)
    return ErasedPlays(erased_plays.plays, erased_plays.listening_ms, key)


def erase_in_warehouse(conn: Connection, erased: ErasedRange) -> PlaysInRange:
    """Record the range and delete its plays, marking their days stale for the refresh."""
    params = {
        "user_id": erased.user_id,
        "from": erased.start,
        "to": erased.end,
        "erased_at": erased.erased_at,
    }
    with conn, conn.cursor() as cur:
        _lock_user_loads(cur, erased.user_id)
        cur.execute(read_sql("erase_plays"), params)
        row = cur.fetchone()
    assert row is not None  # the last statement is an aggregate
    return PlaysInRange(int(row[0]), int(row[1]))


def tombstones(lake: Lake) -> list[ErasedRange]:
    """Every erased range the lake records."""
    return [
        ErasedRange.from_document(json.loads(lake.get(key)))
        for key in sorted(lake.keys(TOMBSTONES_PREFIX))
    ]


def record_erased_ranges(conn: Connection, ranges: list[ErasedRange]) -> None:
    """Record `ranges` in `erased_ranges` (a rebuild does, before it loads any play)."""
    documents = [erased.document() for erased in ranges]
    with conn, conn.cursor() as cur:
        cur.execute(read_sql("record_erased_ranges"), {"ranges": json.dumps(documents)})


# The log of what changed in each user's data: the triggers of the tables it describes
# append to it (fact_plays' in migration 0012, exclusion_rules' in 0014), deletes included.
CHANGE_LOG = "data_changes"


def user_tables(conn: Connection) -> list[str]:
    """Every table with a user_id column, each after the tables that reference it, and the
    change log after all the others, so that one pass leaves none of the user's rows."""
    with conn, conn.cursor() as cur:
        cur.execute(read_sql("user_tables"))
        rows: list[tuple[str, str | None]] = cur.fetchall()
    tables = {table for table, referenced in rows if referenced is None}
    # A table is deleted from after every table whose foreign keys point at it.
    order: TopologicalSorter[str] = TopologicalSorter({table: () for table in tables})
    for table, referenced in rows:
        if referenced in tables and table in tables:
            order.add(referenced, table)
    if CHANGE_LOG in tables:
        order.add(CHANGE_LOG, *(tables - {CHANGE_LOG}))
    return list(order.static_order())


def delete_user_rows(conn: Connection, user_id: str) -> dict[str, int]:
    """Delete `user_id`'s rows from every table with a user_id column, in one transaction
    and one statement per table; the rows deleted per table (the change log's include those
    the other deletes' triggers appended)."""
    tables = user_tables(conn)
    statement = sql.SQL(read_sql("delete_user_rows"))
    deleted: dict[str, int] = {}
    with conn, conn.cursor() as cur:
        _lock_user_loads(cur, user_id)
        for table in tables:
            cur.execute(statement.format(table=sql.Identifier(table)), {"user_id": user_id})
            deleted[table] = cur.rowcount
    return deleted
