"""Exclusion rules in the warehouse: what each kind matches (daily windows read on the local
wall clock, across midnight and a DST change), that the rollups leave out exactly the plays
a rule matches, and that removing the rule restores every rollup row."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import pytest

from etl.warehouse.exclusions import InvalidRule, Rule, add_rule, edit_rule, list_rules, remove_rule
from tests.integration.warehouse import ME, Warehouse

NOW = datetime.fromisoformat("2026-04-02T12:00:00+00:00")
ANDROID = "Android OS 9 API 28 (samsung, SM-G960F)"
PIXEL = "Android OS 10 API 29 (Google, Pixel 3)"
IOS = "iOS 12.1.4 (iPhone10,6)"
WEB = "web_player windows 10;chrome 71.0.3578.98;desktop"
# Europe/Berlin: CET (+01) until 2026-03-29 01:00 UTC, CEST (+02) after. Each play with its
# local start: (UTC start, ms played, track or episode, platform).
PLAYS: dict[str, tuple[str, int, str, str | None]] = {
    "P1": ("2026-03-27T21:30:00+00:00", 200_000, "t1", ANDROID),  # Fri 22:30
    "P2": ("2026-03-27T23:30:00+00:00", 30_000, "t2", IOS),  # Sat 00:30
    "P7": ("2026-03-28T00:59:59+00:00", 30_000, "t3", PIXEL),  # Sat 01:59:59
    "P8": ("2026-03-28T22:30:00+00:00", 120_000, "t2", IOS),  # Sat 23:30
    "P3": ("2026-03-29T00:30:00+00:00", 29_999, "t3", IOS),  # Sun 01:30 CET
    "P4": ("2026-03-29T01:30:00+00:00", 180_000, "t4", None),  # Sun 03:30 CEST
    "P5": ("2026-03-29T22:30:00+00:00", 600_000, "e1", ANDROID),  # Mon 00:30
    "P6": ("2026-03-30T12:00:00+00:00", 300_000, "e2", WEB),  # Mon 14:00
}
ROLLUPS = (
    "agg_daily_items",
    "agg_monthly_items",
    "agg_yearly_items",
    "agg_all_time_items",
    "agg_hourly",
    "agg_daily_context",
    "agg_daily_mood",
    "agg_sessions",
    "agg_first_plays",
    "agg_monthly_ranks",
)


def window(starts: str, ends: str) -> Rule:
    return Rule(
        "window", starts_at=datetime.fromisoformat(starts), ends_at=datetime.fromisoformat(ends)
    )


def daily(start: str, end: str, weekdays: tuple[int, ...] | None = None) -> Rule:
    return Rule(
        "daily",
        daily_from=time.fromisoformat(start),
        daily_to=time.fromisoformat(end),
        weekdays=weekdays,
    )


CASES = [
    (Rule("artist", item_id="a1"), {"P1", "P2", "P8"}),
    (Rule("artist", item_id="a2"), {"P1", "P4"}),  # featured on t1 counts too
    (Rule("track", item_id="t3"), {"P7", "P3"}),
    (Rule("album", item_id="al1"), {"P1", "P2", "P8"}),
    (Rule("show", show_name="Sleep Sounds"), {"P5"}),
    (Rule("platform", platform_family="Android"), {"P1", "P7", "P5"}),
    (Rule("platform", platform_family="Unknown"), {"P4"}),
    (Rule("device", platform_device="samsung SM-G960F"), {"P1", "P5"}),
    (Rule("device", platform_device="Web player (chrome, windows 10)"), {"P6"}),
    # The end is left out: P3 starts exactly then.
    (window("2026-03-27T23:00:00+00:00", "2026-03-29T00:30:00+00:00"), {"P2", "P7", "P8"}),
    # The night DST starts: 02:00-03:00 does not exist, 01:30 CET and 03:30 CEST are in.
    (daily("01:00", "04:00"), {"P7", "P3", "P4"}),
    (daily("23:00", "01:00"), {"P2", "P8", "P5"}),  # across midnight, before and after DST
    (daily("23:00", "01:00", (7,)), {"P5"}),  # the night starting on Sunday
    (daily("22:00", "01:00", (5,)), {"P1", "P2"}),  # Friday night, past midnight
    (daily("00:00", "00:30"), set()),  # P2 and P5 start at 00:30: the end is left out
    (Rule("shorter_than", min_seconds=30), {"P3"}),  # 29.999 s; 30 s is not shorter
]


@pytest.fixture
def plays(warehouse: Warehouse) -> Warehouse:
    fill(warehouse)
    return warehouse


def fill(warehouse: Warehouse) -> None:
    """The user, the catalog and PLAYS, with the rollups built."""
    warehouse.user(ME, "Europe/Berlin")
    for artist_id, name in (("a1", "Band"), ("a2", "Guest"), ("a3", "Other Band")):
        warehouse.artist(artist_id, name)
    warehouse.album("al1", "Album One", None)
    warehouse.album("al2", "Album Two", None)
    warehouse.track("t1", "One", "al1", ["a1", "a2"])
    warehouse.track("t2", "Two", "al1", ["a1"])
    warehouse.track("t3", "Three", "al2", ["a3"])
    warehouse.track("t4", "Four", "al2", ["a2"])
    warehouse.episode("e1", "Rain", show="Sleep Sounds")
    warehouse.episode("e2", "Today", show="News")
    for started_at, ms_played, item, platform in PLAYS.values():
        track, episode = (item, None) if item.startswith("t") else (None, item)
        warehouse.play(started_at, ms_played, track=track, episode=episode, platform=platform)
    warehouse.refresh()


def rows(warehouse: Warehouse, sql: str) -> list[tuple[Any, ...]]:
    with warehouse.conn, warehouse.conn.cursor() as cur:
        cur.execute(sql)
        return list(cur.fetchall())


def counted(warehouse: Warehouse) -> set[str]:
    starts = {row[0].isoformat() for row in rows(warehouse, "SELECT started_at FROM counted_plays")}
    return {
        label
        for label, play in PLAYS.items()
        if datetime.fromisoformat(play[0]).isoformat() in starts
    }


def rollups(warehouse: Warehouse) -> dict[str, list[tuple[Any, ...]]]:
    return {table: sorted(rows(warehouse, f"SELECT * FROM {table}"), key=repr) for table in ROLLUPS}


def all_time(warehouse: Warehouse) -> tuple[int, int]:
    (total,) = rows(
        warehouse,
        "SELECT coalesce(sum(plays), 0), coalesce(sum(listening_ms), 0) FROM agg_all_time_items",
    )
    return int(total[0]), int(total[1])


@pytest.mark.parametrize(("rule", "expected"), CASES, ids=lambda case: getattr(case, "kind", ""))
def test_a_rule_leaves_out_exactly_what_it_matches_and_comes_back(
    plays: Warehouse, rule: Rule, expected: set[str]
) -> None:
    before, totals_before = rollups(plays), all_time(plays)
    stored = add_rule(plays.conn, ME, rule, now=NOW)
    assert set(PLAYS) - counted(plays) == expected
    matched_ms = sum(PLAYS[label][1] for label in expected)
    assert (stored.matched.plays, stored.matched.listening_ms) == (len(expected), matched_ms)
    # The summary drops by exactly the plays the rule matches.
    plays_after, ms_after = all_time(plays)
    assert (totals_before[0] - plays_after, totals_before[1] - ms_after) == (
        len(expected),
        matched_ms,
    )
    assert [listed.rule_id for listed in list_rules(plays.conn, ME)] == [stored.rule_id]

    assert stored.rule_id is not None
    assert remove_rule(plays.conn, ME, stored.rule_id)
    assert counted(plays) == set(PLAYS)
    assert rollups(plays) == before
    assert not remove_rule(plays.conn, ME, stored.rule_id)


def test_an_edit_rebuilds_the_days_before_and_after_as_a_full_rebuild_would(
    plays: Warehouse,
) -> None:
    stored = add_rule(plays.conn, ME, Rule("artist", item_id="a1"), now=NOW)
    assert stored.rule_id is not None
    edited = edit_rule(plays.conn, ME, stored.rule_id, daily("01:00", "04:00"), now=NOW)
    assert edited is not None
    assert (edited.rule_id, edited.rule.kind, edited.matched.plays) == (stored.rule_id, "daily", 3)
    assert set(PLAYS) - counted(plays) == {"P7", "P3", "P4"}
    incremental = rollups(plays)
    plays.refresh()  # every day rebuilt
    assert rollups(plays) == incremental


def test_rules_that_cannot_be_stored(plays: Warehouse) -> None:
    with pytest.raises(InvalidRule, match="none of your plays"):
        add_rule(plays.conn, ME, Rule("artist", item_id="nobody"), now=NOW)
    with pytest.raises(InvalidRule, match="none of your plays"):
        add_rule(plays.conn, ME, Rule("show", show_name="No Such Show"), now=NOW)
    with pytest.raises(InvalidRule, match="ends before it starts"):
        window("2026-03-29T00:30:00+00:00", "2026-03-28T00:30:00+00:00")
    with pytest.raises(InvalidRule, match="needs `daily_to`"):
        Rule("daily", daily_from=time(1))
    with pytest.raises(InvalidRule, match="takes no `min_seconds`"):
        Rule("track", item_id="t1", min_seconds=5)
    with pytest.raises(InvalidRule, match="positive"):
        Rule("shorter_than", min_seconds=-1)
    with pytest.raises(InvalidRule, match="weekdays"):
        daily("01:00", "02:00", (0,))
    assert list_rules(plays.conn, ME) == []

    # Another user's rule is none of this user's.
    plays.user("friend", "UTC")
    stored = add_rule(plays.conn, ME, Rule("track", item_id="t1"), now=NOW)
    assert stored.rule_id is not None
    assert (
        edit_rule(plays.conn, "friend", stored.rule_id, Rule("track", item_id="t2"), now=NOW)
        is None
    )
    assert not remove_rule(plays.conn, "friend", stored.rule_id)
    assert [rule.rule_id for rule in list_rules(plays.conn, ME)] == [stored.rule_id]


def test_an_item_rule_follows_the_catalog(plays: Warehouse) -> None:
    add_rule(plays.conn, ME, Rule("artist", item_id="a3"), now=NOW)
    add_rule(plays.conn, ME, Rule("show", show_name="News"), now=NOW)
    # A later load credits a new track to the artist and names a new episode of the show.
    plays.track("t5", "Five", "al2", ["a1", "a3"])
    plays.episode("e3", "Tomorrow", show="News")
    plays.play("2026-03-31T12:00:00+00:00", 100_000, track="t5")
    plays.play("2026-03-31T13:00:00+00:00", 100_000, episode="e3")
    plays.refresh()
    assert counted(plays) == set(PLAYS) - {"P7", "P3", "P6"}
    assert rows(plays, "SELECT count(*) FROM counted_plays WHERE started_at >= '2026-03-31'") == [
        (0,)
    ]
    assert [rule.matched.plays for rule in list_rules(plays.conn, ME)] == [3, 2]
