"""What the rollup tests share: a rollup compared with the same rows computed afresh from
the plays, and a history of plays that changes as loads would change it."""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from datetime import datetime, timedelta

from etl.warehouse.load import refresh_stale_aggregates
from tests.integration.test_precedence import rows
from tests.integration.warehouse import Warehouse


def rows_not_afresh(dsn: str, table: str, columns: str, afresh: str) -> int:
    """How many rows `table` holds (as `columns`) that the query `afresh` does not give, and
    the reverse."""
    query = f"""
        WITH kept AS (SELECT {columns} FROM {table}), fresh AS ({afresh})
        SELECT (SELECT count(*) FROM (TABLE kept EXCEPT ALL TABLE fresh) AS extra)
             + (SELECT count(*) FROM (TABLE fresh EXCEPT ALL TABLE kept) AS missing)
    """
    return int(rows(dsn, query)[0][0])


class History(ABC):
    """Plays come and go as loads and supersessions would have them: each change marks the
    local days of the plays it adds or removes stale, and nothing else. A subclass says
    which runs of plays come, and when."""

    def __init__(self, warehouse: Warehouse, seed: int) -> None:
        self.warehouse = warehouse
        self.random = random.Random(seed)
        warehouse.execute("INSERT INTO loaded_objects (lake_key) VALUES ('raw/test')", ())

    def mark(self, user_id: str, starts: list[datetime]) -> None:
        self.warehouse.execute(
            "INSERT INTO agg_stale_days (user_id, day) "
            "SELECT %s, (unnest(%s::timestamptz[]) AT TIME ZONE time_zone)::date "
            "FROM users WHERE user_id = %s ON CONFLICT DO NOTHING",
            (user_id, starts, user_id),
        )

    def insert_play(
        self, user_id: str, start: datetime, ms_played: int, track: str | None, episode: str | None
    ) -> None:
        """A play of `track` or `episode`, not marked stale; one already there (same start and
        item) stays as it is, so that runs of plays may meet."""
        self.warehouse.execute(
            "INSERT INTO fact_plays (user_id, source, started_at, ended_at, track_id, "
            "episode_id, ms_played, object_id) "
            "SELECT %s, 'api', %s, %s, %s, %s, %s, object_id FROM loaded_objects "
            "ON CONFLICT DO NOTHING",
            (user_id, start, start + timedelta(milliseconds=ms_played), track, episode, ms_played),
        )

    def delete(self, user_id: str, share: float) -> None:
        with self.warehouse.conn.cursor() as cur:
            cur.execute(
                "DELETE FROM fact_plays WHERE user_id = %s AND random() < %s RETURNING started_at",
                (user_id, share),
            )
            starts = [row[0] for row in cur.fetchall()]
        self.mark(user_id, starts)

    @abstractmethod
    def add(self, user_id: str, start: datetime, count: int) -> None:
        """A run of `count` plays from `start`, marked stale."""

    @abstractmethod
    def some_time(self) -> datetime:
        """A random start for a run, where the rollup's cuts are."""

    def add_runs(self, user_id: str, runs: int, longest: int) -> None:
        """`runs` runs of 1 to `longest` plays each, at random times."""
        for _ in range(runs):
            self.add(user_id, self.some_time(), self.random.randrange(1, longest + 1))

    def change(self, user_ids: tuple[str, ...], *, delete: bool) -> None:
        """A round of changes anywhere: for each user, a share of the plays go (if `delete`)
        and a few short runs come."""
        for user_id in user_ids:
            if delete:
                self.delete(user_id, 0.15)
            self.add_runs(user_id, self.random.randrange(1, 4), longest=5)

    def refresh(self) -> None:
        refresh_stale_aggregates(self.warehouse.conn)
