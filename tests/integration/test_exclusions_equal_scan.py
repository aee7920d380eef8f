"""With exclusion rules of every kind in place, every endpoint's answer from the rollups
still equals the same request answered straight from the plays that count (the `scan`
schema), after the rules are added, after one is edited and one removed, and after a new
time zone re-cuts the days the daily windows are read in."""

from __future__ import annotations

from contextlib import closing
from datetime import time, timedelta
from pathlib import Path

from etl.core.settings import Settings
from etl.imports.importer import import_export
from etl.pipeline.context import PipelineContext
from etl.warehouse.connection import connect
from etl.warehouse.exclusions import Rule, add_rule, edit_rule, list_rules, remove_rule
from etl.warehouse.load import set_time_zone
from moodify.demo.sample import generate_sample_export
from tests.integration.test_answers_equal_scan import (
    HISTORY_END,
    NOW,
    USER,
    Apps,
    apps,
    history_requests,
    path_with,
)

__all__ = ["apps"]  # the fixture


def differing(apps: Apps) -> list[str]:
    """The JSON reads of the history whose answers differ (a file download is no statistic)."""
    paths = apps.rollups.get("/openapi.json").json()["paths"]
    found = []
    for path, params in history_requests(apps.rollups):
        answers = paths[path]["get"]["responses"]["200"].get("content", {})
        if "application/json" not in answers:
            continue
        url, query = path_with(path, params), dict(params)
        expected, got = apps.scan.get(url, params=query), apps.rollups.get(url, params=query)
        assert expected.status_code == 200, (path, params, expected.text)
        if got.json() != expected.json():
            found.append(f"{path} {query}:\n  {got.text}\n  {expected.text}")
    return found


def test_every_answer_honours_the_rules_as_the_plays_themselves_do(
    settings: Settings, apps: Apps, tmp_path: Path
) -> None:
    ctx = PipelineContext.from_settings(settings.model_copy(update={"feature_providers": ()}))
    sample = generate_sample_export(tmp_path / "export", years=0.3, end=HISTORY_END)
    import_export(sample.files[0].parent, ctx, USER)
    client = apps.rollups
    summary = client.get("/api/v1/summary").json()
    artists = client.get("/api/v1/top_artists").json()["items"]
    tracks = client.get("/api/v1/top_tracks").json()["items"]
    albums = client.get("/api/v1/top_albums").json()["items"]
    shows = client.get("/api/v1/top_shows").json()["items"]
    devices = client.get("/api/v1/devices").json()
    week = HISTORY_END - timedelta(days=30)
    rules = [
        Rule("artist", item_id=artists[0]["artist_id"]),
        Rule("track", item_id=tracks[-1]["track_id"]),
        Rule("album", item_id=albums[1]["album_id"]),
        Rule("show", show_name=shows[0]["name"]),
        Rule("platform", platform_family=devices["families"][-1]["family"]),
        Rule("device", platform_device=devices["devices"][0]["device"]),
        Rule("window", starts_at=week, ends_at=week + timedelta(days=7)),
        Rule("daily", daily_from=time(23), daily_to=time(6), weekdays=(5, 6)),
        Rule("shorter_than", min_seconds=30),
    ]
    with closing(connect(settings)) as conn:
        stored = [add_rule(conn, USER, rule, now=NOW) for rule in rules]
    assert all(rule.matched.plays > 0 for rule in stored), stored
    assert client.get("/api/v1/summary").json()["plays"] < summary["plays"]
    assert differing(apps) == []

    with closing(connect(settings)) as conn:
        first, last = stored[0].rule_id, stored[-1].rule_id
        assert first is not None
        assert last is not None
        edit_rule(conn, USER, first, Rule("artist", item_id=artists[1]["artist_id"]), now=NOW)
        assert remove_rule(conn, USER, last)
        assert len(list_rules(conn, USER)) == len(rules) - 1
    assert differing(apps) == []

    with closing(connect(settings)) as conn:
        set_time_zone(conn, USER, "America/Los_Angeles")
    assert differing(apps) == []
