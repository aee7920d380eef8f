"""The rollups the apply step keeps stay equal to computing them afresh from the plays:
after new plays, after an export supersedes plays already loaded, and after the user's days
are re-cut in another time zone."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import psycopg2
import pytest

from etl.core.settings import Settings
from etl.imports.importer import import_export
from etl.pipeline.context import PipelineContext
from etl.warehouse.connection import connect
from etl.warehouse.load import set_time_zone
from tests.integration.rollups import rows_not_afresh
from tests.integration.test_precedence import (
    ACCOUNT,
    AUDIO,
    IN_AUDIO_SPAN,
    account_file,
    audio_file,
    plays_by_source,
    rows,
    write,
)

_LOCAL = "(p.started_at AT TIME ZONE u.time_zone)"
_KIND = "CASE WHEN p.track_id IS NOT NULL THEN 'track' ELSE 'episode' END"

# Each rollup's columns, and the same rows computed from fact_plays alone.
AFRESH = {
    "agg_daily_items": (
        "user_id, day, kind, item_id, plays, listening_ms, skips, skip_known, finished, "
        "first_started_at, last_started_at",
        f"""
        SELECT p.user_id, {_LOCAL}::date, {_KIND}, coalesce(p.track_id, p.episode_id),
               count(*), sum(p.ms_played), count(*) FILTER (WHERE p.skipped), count(p.skipped),
               count(*) FILTER (WHERE p.reason_end = 'trackdone'),
               min(p.started_at), max(p.started_at)
        FROM fact_plays p JOIN users u USING (user_id)
        GROUP BY 1, 2, 3, 4
        """,
    ),
    **{
        table: (
            f"user_id, {period}kind, item_id, plays, listening_ms, skips, skip_known, finished, "
            "first_started_at, last_started_at",
            f"""
            SELECT p.user_id, {truncated} {_KIND}, coalesce(p.track_id, p.episode_id),
                   count(*), sum(p.ms_played), count(*) FILTER (WHERE p.skipped),
                   count(p.skipped), count(*) FILTER (WHERE p.reason_end = 'trackdone'),
                   min(p.started_at), max(p.started_at)
            FROM fact_plays p JOIN users u USING (user_id)
            GROUP BY 1, 2, 3{grouped}
            """,
        )
        for table, period, truncated, grouped in [
            ("agg_monthly_items", "month, ", f"date_trunc('month', {_LOCAL})::date,", ", 4"),
            ("agg_yearly_items", "year, ", f"date_trunc('year', {_LOCAL})::date,", ", 4"),
            ("agg_all_time_items", "", "", ""),
        ]
    },
    "agg_hourly": (
        "user_id, day, hour, kind, plays, listening_ms",
        f"""
        SELECT p.user_id, {_LOCAL}::date, extract(hour FROM {_LOCAL})::smallint, {_KIND},
               count(*), sum(p.ms_played)
        FROM fact_plays p JOIN users u USING (user_id)
        GROUP BY 1, 2, 3, 4
        """,
    ),
    "agg_daily_context": (
        "user_id, day, platform, shuffle, offline, plays, listening_ms",
        f"""
        SELECT p.user_id, {_LOCAL}::date, p.platform, p.shuffle, p.offline,
               count(*), sum(p.ms_played)
        FROM fact_plays p JOIN users u USING (user_id)
        GROUP BY 1, 2, 3, 4, 5
        """,
    ),
    "agg_daily_mood": (
        "user_id, day, plays, listening_ms, featured_ms",
        f"""
        SELECT p.user_id, {_LOCAL}::date, count(*), sum(p.ms_played),
               coalesce(sum(p.ms_played) FILTER (WHERE f.valence IS NOT NULL), 0)
        FROM fact_plays p JOIN users u USING (user_id)
        LEFT JOIN track_audio_features f USING (track_id)
        WHERE p.track_id IS NOT NULL
        GROUP BY 1, 2
        """,
    ),
}


def differences(dsn: str) -> dict[str, int]:
    """Per rollup, how many rows it holds that the plays do not give, and the reverse."""
    return {
        table: rows_not_afresh(dsn, table, columns, afresh)
        for table, (columns, afresh) in AFRESH.items()
    }


NONE_DIFFER = dict.fromkeys(AFRESH, 0)


@pytest.fixture
def ctx(settings: Settings) -> PipelineContext:
    # No audio features: these rollups are about plays (the mood's are compared by coverage).
    return PipelineContext.from_settings(settings.model_copy(update={"feature_providers": ()}))


def test_rollups_equal_the_plays_after_loads_supersession_and_a_new_time_zone(
    ctx: PipelineContext, settings: Settings, database_dsn: str, tmp_path: Path
) -> None:
    import_export(write(tmp_path / "account", ACCOUNT, account_file()), ctx, "me")
    assert rows(database_dsn, "SELECT count(*) FROM agg_daily_items")[0][0] > 300
    assert differences(database_dsn) == NONE_DIFFER

    # The extended history takes over the account plays within its span: their days change.
    import_export(write(tmp_path / "audio", AUDIO, audio_file()), ctx, "me")
    assert plays_by_source(database_dsn)["account"] == len(account_file()) - IN_AUDIO_SPAN
    assert differences(database_dsn) == NONE_DIFFER

    # Half an hour off every whole-hour zone: every play's hour, and some days, move.
    with closing(connect(settings)) as conn:
        set_time_zone(conn, "me", "Asia/Kolkata")
    assert differences(database_dsn) == NONE_DIFFER
    hours = rows(database_dsn, "SELECT DISTINCT hour FROM agg_hourly ORDER BY hour")
    assert hours == [(1,), (13,)]  # 07:57 and 19:57 UTC plays, 5:30 ahead, by their start


def test_a_refresh_that_fails_leaves_its_days_marked(
    ctx: PipelineContext, database_dsn: str, tmp_path: Path
) -> None:
    import_export(write(tmp_path / "audio", AUDIO, audio_file()[:4]), ctx, "me")
    with psycopg2.connect(database_dsn) as conn, conn.cursor() as cur:
        cur.execute(
            "INSERT INTO agg_stale_days SELECT user_id, day + 1 FROM agg_hourly "
            "ON CONFLICT DO NOTHING"
        )
        cur.execute("ALTER TABLE agg_hourly ADD CHECK (plays < 0) NOT VALID")
    marked = rows(database_dsn, "SELECT count(*) FROM agg_stale_days")[0][0]
    with pytest.raises(psycopg2.errors.CheckViolation), closing(connect(ctx.settings)) as conn:
        set_time_zone(conn, "me", "UTC")
    assert rows(database_dsn, "SELECT count(*) FROM agg_stale_days")[0][0] >= marked
