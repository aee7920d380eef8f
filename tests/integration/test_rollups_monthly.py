"""agg_monthly_ranks, rebuilt only for the months of the stale days, stays equal to ranking
every month afresh from all of a user's plays: after imports, after an export supersedes
plays, after plays come and go anywhere (across month ends in the user's zone), after a
track's `name:` artist or album is replaced by a real one, after stored episodes turn out to
be audiobook chapters, and after a time-zone change."""

from __future__ import annotations

from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

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
    VIDEO,
    account_file,
    audio_file,
    rows,
    video_file,
    write,
)
from tests.integration.test_rollups import AFRESH as ROLLUPS_AFRESH
from tests.integration.warehouse import FRIEND, ME, Warehouse

# Every item's month from the plays, and its rank counted as how many items of its kind beat
# it that month (another formulation than the refresh's window, so one checks the other).
RANKS_AFRESH = """
WITH plays AS (
    SELECT p.user_id, date_trunc('month', p.started_at AT TIME ZONE u.time_zone)::date AS month,
           p.track_id, p.episode_id, p.ms_played
    FROM fact_plays p JOIN users u USING (user_id)
), items AS (
    SELECT p.user_id, p.month, 'track' AS kind, p.track_id AS item_id, t.name,
           count(*) AS plays, sum(p.ms_played) AS listening_ms, t.album_id,
           ARRAY(SELECT ta.artist_id FROM track_artists ta
                 WHERE ta.track_id = t.track_id ORDER BY ta.position) AS artist_ids
    FROM plays p JOIN dim_tracks t USING (track_id)
    GROUP BY p.user_id, p.month, p.track_id, t.track_id
    UNION ALL
    SELECT p.user_id, p.month, 'artist', a.artist_id, a.name, count(*), sum(p.ms_played),
           NULL, NULL
    FROM plays p JOIN track_artists ta USING (track_id) JOIN dim_artists a USING (artist_id)
    GROUP BY p.user_id, p.month, a.artist_id
    UNION ALL
    SELECT p.user_id, p.month, 'album', al.album_id, al.name, count(*), sum(p.ms_played),
           NULL, NULL
    FROM plays p JOIN dim_tracks t USING (track_id) JOIN dim_albums al USING (album_id)
    GROUP BY p.user_id, p.month, al.album_id
    UNION ALL
    SELECT p.user_id, p.month, CASE WHEN e.kind = 'chapter' THEN 'audiobook' ELSE 'show' END,
           e.show_name, e.show_name, count(*), sum(p.ms_played), NULL, NULL
    FROM plays p JOIN dim_episodes e USING (episode_id)
    WHERE e.show_name IS NOT NULL
    GROUP BY 1, 2, 3, 4
)
SELECT i.user_id, i.month, i.kind, i.item_id, i.plays, i.listening_ms,
       (SELECT 1 + count(*) FROM items o
        WHERE (o.user_id, o.month, o.kind) = (i.user_id, i.month, i.kind)
          AND (o.plays, o.listening_ms) IS DISTINCT FROM (i.plays, i.listening_ms)
          AND (o.plays, o.listening_ms) > (i.plays, i.listening_ms)
           OR (o.user_id, o.month, o.kind) = (i.user_id, i.month, i.kind)
          AND (o.plays, o.listening_ms) = (i.plays, i.listening_ms)
          AND (o.name, o.item_id) < (i.name, i.item_id)),
       (SELECT count(*) FROM items o
        WHERE (o.user_id, o.month, o.kind) = (i.user_id, i.month, i.kind)),
       i.album_id, i.artist_ids
FROM items i
"""
_COLUMNS = "user_id, month, kind, item_id, plays, listening_ms, rank, ranked, album_id, artist_ids"


# Items by month, year and all time change with the same months as the ranks.
_PERIOD_ITEMS = ("agg_monthly_items", "agg_yearly_items", "agg_all_time_items")


def differences(dsn: str) -> int:
    """How many rows agg_monthly_ranks and the items by period hold that the plays do not
    give, and the reverse."""
    periods = sum(rows_not_afresh(dsn, table, *ROLLUPS_AFRESH[table]) for table in _PERIOD_ITEMS)
    return rows_not_afresh(dsn, "agg_monthly_ranks", _COLUMNS, RANKS_AFRESH) + periods


def kinds(dsn: str) -> dict[str, int]:
    return dict(rows(dsn, "SELECT kind, count(*) FROM agg_monthly_ranks GROUP BY kind"))


@pytest.fixture
def ctx(settings: Settings) -> PipelineContext:
    return PipelineContext.from_settings(settings.model_copy(update={"feature_providers": ()}))


def test_the_import_path_keeps_the_monthly_ranks_exact(
    ctx: PipelineContext, settings: Settings, database_dsn: str, tmp_path: Path
) -> None:
    import_export(write(tmp_path / "account", ACCOUNT, account_file()), ctx, "me")
    assert kinds(database_dsn) == {"track": 12, "artist": 12}  # one song, Dec 2022..Nov 2023
    assert differences(database_dsn) == 0

    # The extended history supersedes the account plays of its span; Song B joins them.
    import_export(write(tmp_path / "audio", AUDIO, audio_file()), ctx, "me")
    assert differences(database_dsn) == 0
    # Five years of music videos and a video podcast: shows, and months of one play.
    import_export(write(tmp_path / "video", VIDEO, video_file()), ctx, "me")
    assert differences(database_dsn) == 0
    assert kinds(database_dsn).keys() == {"track", "artist", "album", "show"}
    september = date(2023, 9, 1)  # Song A and B tied on plays and time: by album name
    assert rows(
        database_dsn,
        "SELECT item_id, plays, rank, ranked FROM agg_monthly_ranks "
        f"WHERE kind = 'album' AND month = '{september}' ORDER BY rank",
    ) == [("name:artist a/artist a album", 30, 1, 2), ("name:artist b/artist b album", 30, 2, 2)]

    # Fourteen hours ahead: the plays of 20:00 UTC on a month's last day move to the next.
    with closing(connect(settings)) as conn:
        set_time_zone(conn, "me", "Pacific/Kiritimati")
    assert differences(database_dsn) == 0


# Lengths in ms: a few repeat, so that items tie on plays and listening time.
_LENGTHS = [30_000, 200_000, 200_000, 200_000, 1_800_000]


class MonthHistory(History):
    """Runs of plays of tracks and episodes, an hour apart, around month ends."""

    items = (*[("track", f"t{n}") for n in range(12)], *[("episode", f"e{n}") for n in range(5)])

    def add(self, user_id: str, start: datetime, count: int) -> None:
        """A run of `count` plays of random items from `start`, an hour apart."""
        starts = []
        for n in range(count):
            kind, item = self.random.choice(self.items)
            at = start + timedelta(hours=n)
            self.insert_play(
                user_id,
                at,
                self.random.choice(_LENGTHS),
                item if kind == "track" else None,
                item if kind == "episode" else None,
            )
            starts.append(at)
        self.mark(user_id, starts)

    def some_time(self) -> datetime:
        """Around the month ends of a year (local and UTC), the DST change of 2024-10-27."""
        month = self.random.randrange(1, 13)
        month_end = datetime(2024 + month // 12, month % 12 + 1, 1, tzinfo=UTC)
        return month_end + timedelta(hours=self.random.choice([-30, -6, -2, -1, 0, 1, 5, 22]))


@pytest.fixture
def history(warehouse: Warehouse) -> MonthHistory:
    warehouse.user(ME, "Europe/Berlin")
    warehouse.user(FRIEND, "America/New_York")
    for n in range(4):
        warehouse.artist(f"a{n}", f"Artist {n % 3}")  # two artists of one name
    warehouse.artist("name:artist 4", "Artist 4")
    warehouse.album("al0", "Album", None)
    warehouse.album("al1", "Album", None)
    warehouse.album("name:album 2", "Album 2", None)
    for n in range(12):
        credits = [f"a{n % 4}"] + (["name:artist 4"] if n % 3 == 0 else [])
        album = None if n == 11 else ["al0", "al1", "name:album 2"][n % 3]
        warehouse.track(f"t{n}", f"Track {n % 5}", album, credits)
    for n in range(5):
        warehouse.episode(f"e{n}", f"Episode {n}", show=f"Show {n % 2}")
    return MonthHistory(warehouse, seed=0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_monthly_ranks_stay_exact_through_changes_anywhere(
    history: MonthHistory, database_dsn: str, seed: int
) -> None:
    history.random.seed(seed)
    for user_id in (ME, FRIEND):
        history.add_runs(user_id, 10, longest=14)
    history.refresh()
    assert differences(database_dsn) == 0
    assert kinds(database_dsn).keys() == {"track", "artist", "album", "show"}
    # Ties on plays and listening time, settled by the name or the id, are among them.
    ties = rows(
        database_dsn,
        "SELECT count(*) FROM agg_monthly_ranks r JOIN agg_monthly_ranks o "
        "USING (user_id, month, kind, plays, listening_ms) WHERE r.item_id < o.item_id",
    )
    assert ties[0][0] > 10

    for round_number in range(10):
        history.change((ME, FRIEND), delete=round_number % 3 == 0)
        history.refresh()
        assert differences(database_dsn) == 0, round_number


def test_real_credits_replacing_name_keys_rerank_the_tracks_months(
    history: MonthHistory, warehouse: Warehouse, database_dsn: str
) -> None:
    # t0 is credited to a0 and name:artist 4, t2 is on name:album 2; t3 is name:artist 4's too.
    for month in range(1, 7):
        warehouse.play(f"2024-{month:02}-10T10:00:00+00:00", 200_000, track="t0")
        warehouse.play(f"2024-{month:02}-11T10:00:00+00:00", 200_000, track="t2")
    warehouse.play("2024-03-12T10:00:00+00:00", 200_000, track="t3")
    warehouse.refresh()
    assert differences(database_dsn) == 0

    # An API page names t0's second artist and t2's album by their real IDs (as
    # load_plays.sql does), with a new play of each, whose day only is marked stale.
    warehouse.artist("a4", "Artist 4")
    warehouse.album("al2", "Album 2", None)
    warehouse.execute(
        "UPDATE track_artists SET artist_id = 'a4' "
        "WHERE track_id = 't0' AND artist_id = 'name:artist 4'",
        (),
    )
    warehouse.execute("UPDATE dim_tracks SET album_id = 'al2' WHERE track_id = 't2'", ())
    warehouse.play("2024-08-20T10:00:00+00:00", 200_000, track="t0")
    warehouse.play("2024-08-21T10:00:00+00:00", 200_000, track="t2")
    history.mark(ME, [datetime(2024, 8, 20, 10, tzinfo=UTC), datetime(2024, 8, 21, 10, tzinfo=UTC)])
    history.refresh()
    assert differences(database_dsn) == 0
    months = "SELECT item_id, count(*) FROM agg_monthly_ranks WHERE kind IN ('artist', 'album')"
    assert dict(rows(database_dsn, f"{months} GROUP BY item_id")) == {
        "a0": 7,  # t0's lead artist all along
        "a2": 7,
        "a3": 1,
        "a4": 7,  # t0's months, January to June and August
        "name:artist 4": 1,  # March, through t3
        "al0": 7,  # t0 and t3
        "al2": 7,  # t2's months
    }


def test_stored_episodes_found_to_be_chapters_rank_among_audiobooks(
    history: MonthHistory, warehouse: Warehouse, database_dsn: str
) -> None:
    for month in range(1, 5):
        warehouse.play(f"2024-{month:02}-10T10:00:00+00:00", 1_800_000, episode="e0")
        warehouse.play(f"2024-{month:02}-10T12:00:00+00:00", 1_800_000, episode="e1")
    warehouse.refresh()
    assert kinds(database_dsn) == {"show": 8}

    # A load of an export already stored finds Show 0's only episodes to be chapters (as
    # load_plays.sql does): no play is new, no day is stale.
    warehouse.execute("UPDATE dim_episodes SET kind = 'chapter' WHERE show_name = 'Show 0'", ())
    history.refresh()
    assert differences(database_dsn) == 0
    assert kinds(database_dsn) == {"show": 4, "audiobook": 4}


def test_a_time_zone_change_recuts_the_months(
    history: MonthHistory, warehouse: Warehouse, database_dsn: str
) -> None:
    history.add_runs(ME, 10, longest=9)
    history.refresh()
    set_time_zone(warehouse.conn, ME, "Asia/Kolkata")
    assert differences(database_dsn) == 0
