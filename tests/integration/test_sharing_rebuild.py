"""A rebuild of the warehouse from the lake keeps each user's choice to share (the lake
holds none: it comes from the live warehouse)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from etl.core.settings import Settings
from etl.imports.importer import import_export
from etl.pipeline.context import PipelineContext
from etl.pipeline.rebuild import rebuild_warehouse
from etl.warehouse.sharing import set_sharing
from tests.integration.test_rebuild import _history

CHOSEN_AT = datetime(2024, 6, 1, 12, tzinfo=UTC)


def test_a_rebuild_keeps_who_shares(settings: Settings, tmp_path: Path) -> None:
    ctx = PipelineContext.from_settings(settings)
    import_export(_history(tmp_path), ctx, "me")
    import_export(_history(tmp_path / "friend"), ctx, "friend")
    import_export(_history(tmp_path / "other"), ctx, "other")
    with ctx.database() as conn:
        set_sharing(conn, "me", True, CHOSEN_AT, time_zone="UTC")
        set_sharing(conn, "friend", True, CHOSEN_AT, time_zone="UTC")
        set_sharing(conn, "friend", False, CHOSEN_AT, time_zone="UTC")
    before = sharing(ctx)
    assert before == [("friend", False, CHOSEN_AT), ("me", True, CHOSEN_AT)]

    rebuild_warehouse(ctx)
    assert sharing(ctx) == before


def sharing(ctx: PipelineContext) -> list[tuple[str, bool, datetime]]:
    with ctx.database() as conn, conn, conn.cursor() as cur:
        cur.execute("SELECT user_id, shared, changed_at FROM user_sharing ORDER BY user_id")
        return list(cur.fetchall())
