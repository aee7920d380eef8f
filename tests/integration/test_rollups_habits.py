"""Sessions and first plays, rebuilt only around the stale days, stay equal to computing
them afresh from all of a user's plays: after imports, after an export supersedes plays,
after plays come and go anywhere (joining, splitting and stretching sessions across the
rebuilt windows), after a `name:` artist is replaced by a real one, and after a time-zone
change."""

from __future__ import annotations

from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg2
import pytest

from etl.core.settings import Settings
from etl.imports.importer import import_export
from etl.pipeline.context import PipelineContext
from etl.warehouse.connection import connect
from etl.warehouse.load import set_time_zone
from tests.integration.rollups import History, rows_not_afresh
from tests.integration.test_precedence import (
    ACCOUNT,
    AUDIO,
    account_file,
    audio_file,
    rows,
    write,
)
from tests.integration.warehouse import FRIEND, ME, Warehouse

# A play opens a session when no earlier play of the user ends less than 20 minutes before
# it starts; a session is its opening play and every later one up to the next opening.
# (Another formulation than the refresh's running maximum, so one checks the other.)
SESSIONS_AFRESH = """
WITH longest AS (  -- a play starting longer than this before another ends too early to reach it
    SELECT max(ended_at - started_at) + interval '20 minutes' AS reach FROM fact_plays
), openings AS MATERIALIZED (  -- once, not once per play below
    SELECT DISTINCT p.user_id, p.started_at
    FROM fact_plays p
    WHERE NOT EXISTS (
        SELECT FROM fact_plays q
        WHERE q.user_id = p.user_id
          AND q.started_at < p.started_at
          AND q.started_at > p.started_at - (SELECT reach FROM longest)
          AND q.ended_at + interval '20 minutes' > p.started_at)
), assigned AS (
    SELECT p.user_id, p.ended_at, p.ms_played,
           (SELECT max(o.started_at) FROM openings o
            WHERE o.user_id = p.user_id AND o.started_at <= p.started_at) AS session_start
    FROM fact_plays p
)
SELECT a.user_id, a.session_start, max(a.ended_at),
       (a.session_start AT TIME ZONE u.time_zone)::date, count(*), sum(a.ms_played)
FROM assigned a JOIN users u USING (user_id)
GROUP BY a.user_id, a.session_start, u.time_zone
"""

FIRST_PLAYS_AFRESH = """
SELECT p.user_id, 'track', p.track_id, min(p.started_at),
       (min(p.started_at) AT TIME ZONE u.time_zone)::date
FROM fact_plays p JOIN users u USING (user_id)
WHERE p.track_id IS NOT NULL
GROUP BY p.user_id, p.track_id, u.time_zone
UNION ALL
SELECT p.user_id, 'artist', ta.artist_id, min(p.started_at),
       (min(p.started_at) AT TIME ZONE u.time_zone)::date
FROM fact_plays p JOIN users u USING (user_id) JOIN track_artists ta USING (track_id)
GROUP BY p.user_id, ta.artist_id, u.time_zone
"""

AFRESH = {
    "agg_sessions": ("user_id, started_at, ended_at, day, plays, listening_ms", SESSIONS_AFRESH),
    "agg_first_plays": ("user_id, kind, item_id, first_played_at, day", FIRST_PLAYS_AFRESH),
}
NONE_DIFFER = dict.fromkeys(AFRESH, 0)


def differences(dsn: str) -> dict[str, int]:
    """Per rollup, how many rows it holds that the plays do not give, and the reverse."""
    return {
        table: rows_not_afresh(dsn, table, columns, afresh)
        for table, (columns, afresh) in AFRESH.items()
    }


@pytest.fixture
def ctx(settings: Settings) -> PipelineContext:
    return PipelineContext.from_settings(settings.model_copy(update={"feature_providers": ()}))


def test_the_import_path_keeps_sessions_and_first_plays_exact(
    ctx: PipelineContext, settings: Settings, database_dsn: str, tmp_path: Path
) -> None:
    import_export(write(tmp_path / "account", ACCOUNT, account_file()), ctx, "me")
    assert rows(database_dsn, "SELECT count(*) FROM agg_sessions")[0][0] == 365
    assert differences(database_dsn) == NONE_DIFFER

    # The extended history supersedes the account plays of its span: their days are stale.
    import_export(write(tmp_path / "audio", AUDIO, audio_file()), ctx, "me")
    assert differences(database_dsn) == NONE_DIFFER
    # Song A's first play is still the account data's, Song B's the extended history's.
    assert rows(
        database_dsn, "SELECT count(*), min(day) FROM agg_first_plays WHERE kind = 'track'"
    ) == [(2, datetime(2022, 12, 1).date())]

    with closing(connect(settings)) as conn:
        set_time_zone(conn, "me", "Pacific/Kiritimati")
    assert differences(database_dsn) == NONE_DIFFER


# Gaps between plays, in seconds: around the 20 minutes that split sessions, and exactly it.
_GAPS = [0, 5, 60, 600, 1199, 1200, 1201, 1500, 3 * 3600, 20 * 3600]


class SessionHistory(History):
    """Runs of plays of tracks and an episode, with gaps around the one that splits sessions,
    around local midnights."""

    tracks = tuple(f"t{n}" for n in range(12))

    def add(self, user_id: str, start: datetime, count: int) -> None:
        """A run of `count` plays from `start`, with random gaps and lengths."""
        starts = []
        for _ in range(count):
            ms = self.random.choice([30_000, 200_000, 200_000, 1_800_000, 5 * 3_600_000])
            track = self.random.choice(self.tracks) if self.random.random() < 0.6 else None
            self.insert_play(user_id, start, ms, track, None if track else "e1")
            starts.append(start)
            if self.random.random() < 0.1:  # another play starting at the same instant
                continue
            gap = self.random.choice(_GAPS)
            start += timedelta(milliseconds=ms if self.random.random() < 0.8 else ms // 3)
            start += timedelta(seconds=gap)
        self.mark(user_id, starts)

    def some_time(self) -> datetime:
        """Around the local midnights of a few weeks, and the DST change of 2024-10-27."""
        day = datetime(2024, 10, 14, tzinfo=UTC) + timedelta(days=self.random.randrange(28))
        return day + timedelta(hours=self.random.choice([-3, -1, 0, 1, 12, 21, 22, 23]))


@pytest.fixture
def history(warehouse: Warehouse) -> SessionHistory:
    warehouse.user(ME, "Europe/Berlin")
    warehouse.user(FRIEND, "America/New_York")
    for n in range(4):
        warehouse.artist(f"a{n}", f"Artist {n}")
    warehouse.artist("name:artist 4", "Artist 4")
    for n in range(12):
        credits = [f"a{n % 4}"] + (["name:artist 4"] if n % 3 == 0 else [])
        warehouse.track(f"t{n}", f"Track {n}", None, credits)
    warehouse.episode("e1", "Episode 1")
    return SessionHistory(warehouse, seed=0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sessions_and_first_plays_stay_exact_through_changes_anywhere(
    history: SessionHistory, database_dsn: str, seed: int
) -> None:
    history.random.seed(seed)
    for user_id in (ME, FRIEND):
        history.add_runs(user_id, 8, longest=14)
    history.refresh()
    assert differences(database_dsn) == NONE_DIFFER
    sessions, most_plays = rows(database_dsn, "SELECT count(*), max(plays) FROM agg_sessions")[0]
    assert sessions > 20
    assert most_plays > 3  # sessions of one play and of many

    for round_number in range(12):
        history.change((ME, FRIEND), delete=round_number % 3 == 0)
        history.refresh()
        assert differences(database_dsn) == NONE_DIFFER, round_number


def _play(warehouse: Warehouse, started_at: str, minutes: int) -> datetime:
    warehouse.play(started_at, minutes * 60_000, episode="e1")
    return datetime.fromisoformat(started_at)


def test_changes_rebuild_the_sessions_they_touch_beyond_their_own_days(
    history: SessionHistory, warehouse: Warehouse, database_dsn: str
) -> None:
    """Berlin, UTC+2: the 2nd of October starts at 2024-10-01T22:00Z."""
    for start in ("21:00", "21:15", "21:40", "22:05"):
        _play(warehouse, f"2024-10-01T{start}:00+00:00", 10)
    warehouse.refresh()  # one session, 23:00 to 00:15 local, on the 1st
    sessions = "SELECT day, plays FROM agg_sessions ORDER BY started_at"
    assert rows(database_dsn, sessions) == [(date(2024, 10, 1), 4)]

    # A play on the 2nd (its only stale day) joins the session that started on the 1st.
    history.mark(ME, [_play(warehouse, "2024-10-01T22:25:00+00:00", 5)])
    history.refresh()
    assert differences(database_dsn) == NONE_DIFFER
    assert rows(database_dsn, sessions) == [(date(2024, 10, 1), 5)]

    # A play of the 1st goes: the session splits, the rest of it starts on the 2nd.
    with warehouse.conn.cursor() as cur:
        cur.execute("DELETE FROM fact_plays WHERE started_at = '2024-10-01T21:40:00+00:00'")
    history.mark(ME, [datetime(2024, 10, 1, 21, 40, tzinfo=UTC)])
    history.refresh()
    assert differences(database_dsn) == NONE_DIFFER
    assert rows(database_dsn, sessions) == [(date(2024, 10, 1), 2), (date(2024, 10, 2), 2)]

    # A long play of the 1st (until 21:50Z) runs into the 2nd's session: one session again.
    history.mark(ME, [_play(warehouse, "2024-10-01T19:00:00+00:00", 170)])
    history.refresh()
    assert differences(database_dsn) == NONE_DIFFER
    assert rows(database_dsn, sessions) == [(date(2024, 10, 1), 5)]


def test_a_name_artist_replaced_by_a_real_one_moves_its_first_plays(
    history: SessionHistory, warehouse: Warehouse, database_dsn: str
) -> None:
    # t3 is credited to a3 and name:artist 4, its only track other than t0, t6 and t9:
    # play t3 first, then t0 later.
    warehouse.play("2024-10-01T10:00:00+00:00", 200_000, track="t3")
    warehouse.play("2024-10-05T10:00:00+00:00", 200_000, track="t0")
    warehouse.refresh()
    first_of_name = "SELECT first_played_at FROM agg_first_plays WHERE item_id = 'name:artist 4'"
    assert rows(database_dsn, first_of_name) == [(datetime(2024, 10, 1, 10, tzinfo=UTC),)]

    # An API page names t3's second artist by its real ID (as load_plays.sql does), with a
    # new play of t3, whose day only is marked stale.
    warehouse.artist("a4", "Artist 4")
    warehouse.execute(
        "UPDATE track_artists SET artist_id = 'a4' "
        "WHERE track_id = 't3' AND artist_id = 'name:artist 4'",
        (),
    )
    warehouse.play("2024-10-20T10:00:00+00:00", 200_000, track="t3")
    history.mark(ME, [datetime(2024, 10, 20, 10, tzinfo=UTC)])
    history.refresh()
    assert differences(database_dsn) == NONE_DIFFER
    assert rows(database_dsn, first_of_name) == [(datetime(2024, 10, 5, 10, tzinfo=UTC),)]


def test_a_time_zone_change_recuts_sessions_and_first_plays(
    history: SessionHistory, warehouse: Warehouse, database_dsn: str
) -> None:
    history.add_runs(ME, 10, longest=9)
    history.refresh()
    set_time_zone(warehouse.conn, ME, "Asia/Kolkata")
    assert differences(database_dsn) == NONE_DIFFER
    with psycopg2.connect(database_dsn) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM agg_sessions s JOIN users u USING (user_id) "
            "WHERE s.day <> (s.started_at AT TIME ZONE 'Asia/Kolkata')::date"
        )
        assert cur.fetchone() == (0,)
