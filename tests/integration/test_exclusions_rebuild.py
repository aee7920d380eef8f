"""A rebuild of the warehouse from the lake keeps each user's exclusion rules (the lake holds
none): the same rules, with their ids, leaving out the same plays."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

from etl.core.settings import Settings
from etl.imports.importer import import_export
from etl.pipeline.context import PipelineContext
from etl.pipeline.rebuild import rebuild_warehouse
from etl.warehouse.exclusions import Rule, add_rule, list_rules
from etl.warehouse.load import user_totals
from tests.integration.test_rebuild import _history

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)


def test_a_rebuild_keeps_the_rules_and_what_they_leave_out(
    settings: Settings, tmp_path: Path
) -> None:
    ctx = PipelineContext.from_settings(settings)
    import_export(_history(tmp_path), ctx, "me")
    with ctx.database() as conn:
        add_rule(
            conn,
            "me",
            Rule("daily", daily_from=time(9, 30), daily_to=time(10, 30), weekdays=(3,)),
            now=NOW,
        )
        add_rule(conn, "me", Rule("shorter_than", min_seconds=195), now=NOW)
        before = list_rules(conn, "me"), user_totals(conn, "me")
    assert all(rule.matched.plays > 0 for rule in before[0])
    assert before[1].plays > 0

    rebuild_warehouse(ctx)
    with ctx.database() as conn:
        assert (list_rules(conn, "me"), user_totals(conn, "me")) == before
        added = add_rule(conn, "me", Rule("platform", platform_family="Unknown"), now=NOW)
    assert added.rule_id is not None
    assert added.rule_id > max(rule.rule_id or 0 for rule in before[0])
