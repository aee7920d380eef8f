"""A rebuild of the warehouse from the lake keeps each user's settings: the ranking measure
comes from the live warehouse (the lake holds none), the time zone chosen through the API
from the lake's user state too."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from etl.core.settings import Settings
from etl.core.state import StateStore
from etl.imports.importer import import_export
from etl.pipeline.context import PipelineContext
from etl.pipeline.rebuild import rebuild_warehouse
from etl.warehouse.user_settings import change_time_zone, set_ranking_measure
from tests.integration.test_rebuild import _history

CHOSEN_AT = datetime(2024, 6, 1, 12, tzinfo=UTC)


def test_a_rebuild_keeps_each_users_settings(settings: Settings, tmp_path: Path) -> None:
    ctx = PipelineContext.from_settings(settings)
    import_export(_history(tmp_path), ctx, "me")
    import_export(_history(tmp_path / "friend"), ctx, "friend")
    with ctx.database() as conn:
        set_ranking_measure(conn, "me", "plays", CHOSEN_AT, time_zone="UTC")
        change_time_zone(conn, StateStore(ctx.lake), "friend", "Asia/Tokyo", CHOSEN_AT)
    before = user_settings(ctx)
    assert before == [("friend", "Asia/Tokyo", None), ("me", "UTC", "plays")]

    rebuild_warehouse(ctx)
    assert user_settings(ctx) == before


def user_settings(ctx: PipelineContext) -> list[tuple[str, str, str | None]]:
    with ctx.database() as conn, conn, conn.cursor() as cur:
        cur.execute(
            "SELECT user_id, time_zone, ranking_measure FROM users "
            "LEFT JOIN user_settings USING (user_id) ORDER BY user_id"
        )
        return list(cur.fetchall())
