"""Exclusion rules: plays a user leaves out of every statistic, without deleting them.

What a rule matches is decided in one place, the SQL function `exclusion_rule_matches`
(migration 0014), and the view `counted_plays` (the plays no rule matches) is what every
rollup and every query of plays reads. A rule change marks stale the local days of the plays
the rule matched before and matches after, and those days are rebuilt at once, so removing a
rule restores every answer exactly.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, time
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo

from etl.warehouse.connection import Connection
from etl.warehouse.load import read_sql, refresh_stale_aggregates

__all__ = [
    "ITEM_KINDS",
    "KINDS",
    "InvalidRule",
    "Kind",
    "Matched",
    "Rule",
    "StoredRule",
    "add_rule",
    "edit_rule",
    "list_rules",
    "preview_rule",
    "remove_rule",
]

Kind = Literal[
    "artist", "track", "album", "show", "platform", "device", "window", "daily", "shorter_than"
]
KINDS: tuple[Kind, ...] = get_args(Kind)
ITEM_KINDS = frozenset({"artist", "track", "album", "show"})
# The columns each kind sets; every other target column stays empty.
_TARGETS: dict[str, tuple[str, ...]] = {
    "artist": ("item_id",),
    "track": ("item_id",),
    "album": ("item_id",),
    "show": ("show_name",),
    "platform": ("platform_family",),
    "device": ("platform_device",),
    "window": ("starts_at", "ends_at"),
    "daily": ("daily_from", "daily_to"),
    "shorter_than": ("min_seconds",),
}
_OPTIONAL = {"daily": ("weekdays",)}
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class InvalidRule(ValueError):
    """A rule that cannot be stored: `field` names the offending field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Rule:
    """A rule as a user states it: its kind and that kind's target (see migration 0014)."""

    kind: Kind
    item_id: str | None = None
    show_name: str | None = None
    platform_family: str | None = None
    platform_device: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    daily_from: time | None = None
    daily_to: time | None = None
    weekdays: tuple[int, ...] | None = None
    min_seconds: int | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InvalidRule("kind", f"unknown kind {self.kind!r}: one of {', '.join(KINDS)}")
        needed = _TARGETS[self.kind]
        allowed = {*needed, *_OPTIONAL.get(self.kind, ())}
        for name in (*{column for columns in _TARGETS.values() for column in columns}, "weekdays"):
            value = getattr(self, name)
            if name in needed and value in (None, ""):
                raise InvalidRule(name, f"a {self.kind} rule needs `{name}`")
            if name not in allowed and value is not None:
                raise InvalidRule(name, f"a {self.kind} rule takes no `{name}`")
        if self.starts_at is not None and self.ends_at is not None:
            if self.starts_at.tzinfo is None or self.ends_at.tzinfo is None:
                raise InvalidRule("starts_at", "give the window's times with their UTC offset")
            if self.ends_at <= self.starts_at:
                raise InvalidRule("ends_at", "the window ends before it starts")
        if self.daily_from is not None and self.daily_from == self.daily_to:
            raise InvalidRule("daily_to", "the daily window starts and ends at the same time")
        if self.weekdays is not None and (
            not self.weekdays or not set(self.weekdays) <= set(range(1, 8))
        ):
            raise InvalidRule("weekdays", "weekdays are 1 (Monday) to 7 (Sunday), at least one")
        if self.min_seconds is not None and self.min_seconds <= 0:
            raise InvalidRule("min_seconds", "`min_seconds` must be a positive number of seconds")

    def as_json(self) -> str:
        """The rule as exclusion_rules' columns, for the SQL's jsonb_populate_record."""
        record: dict[str, Any] = asdict(self)
        for name, value in record.items():
            if isinstance(value, datetime | time):
                record[name] = value.isoformat()
        return json.dumps(record)


@dataclass(frozen=True)
class Matched:
    """The stored plays a rule matches (whether other rules match them too or not)."""

    plays: int
    listening_ms: int


@dataclass(frozen=True)
class StoredRule:
    rule_id: int | None  # None: a preview, not stored
    rule: Rule
    target_name: str | None  # the artist's, track's or album's name; the show's
    time_zone: str  # the user's, in which daily windows are read
    matched: Matched
    created_at: datetime | None = None
    updated_at: datetime | None = None
    description: str = field(init=False)

    def __post_init__(self) -> None:
        description = _describe(self.rule, self.target_name, ZoneInfo(self.time_zone))
        object.__setattr__(self, "description", description)


def _describe(rule: Rule, target_name: str | None, zone: ZoneInfo) -> str:
    """The rule in words, as the settings page lists it."""
    name = f'"{target_name or rule.item_id}"'
    match rule.kind:
        case "artist" | "track" | "album":
            return f"Plays of the {rule.kind} {name}"
        case "show":
            return f"Episodes of the show {name}"
        case "platform":
            return f"Plays on {rule.platform_family}"
        case "device":
            return f"Plays on the device {rule.platform_device}"
        case "window":
            assert rule.starts_at is not None
            assert rule.ends_at is not None
            starts, ends = rule.starts_at.astimezone(zone), rule.ends_at.astimezone(zone)
            return f"Plays from {starts:%Y-%m-%d %H:%M} to {ends:%Y-%m-%d %H:%M}"
        case "daily":
            assert rule.daily_from is not None
            assert rule.daily_to is not None
            days = (
                "every day"
                if rule.weekdays is None
                else "on " + ", ".join(_WEEKDAYS[day - 1] for day in sorted(rule.weekdays))
            )
            return f"Plays {rule.daily_from:%H:%M} to {rule.daily_to:%H:%M} {days}"
        case _:
            return f"Plays shorter than {rule.min_seconds} s"


def _stored(row: tuple[Any, ...]) -> StoredRule:
    (rule_id, kind, item_id, show_name, family, device, starts_at, ends_at, daily_from,
     daily_to, weekdays, min_seconds, note, created_at, updated_at, target_name, time_zone,
     plays, listening_ms) = row  # fmt: skip
    rule = Rule(
        kind=kind,
        item_id=item_id,
        show_name=show_name,
        platform_family=family,
        platform_device=device,
        starts_at=starts_at,
        ends_at=ends_at,
        daily_from=daily_from,
        daily_to=daily_to,
        weekdays=None if weekdays is None else tuple(weekdays),
        min_seconds=min_seconds,
        note=note,
    )
    return StoredRule(
        rule_id=rule_id,
        rule=rule,
        target_name=target_name,
        time_zone=time_zone,
        matched=Matched(plays=plays, listening_ms=listening_ms),
        created_at=created_at,
        updated_at=updated_at,
    )


def _matched(
    conn: Connection, user_id: str, *, rule: Rule | None = None, rule_id: int | None = None
) -> list[StoredRule]:
    params = {
        "user_id": user_id,
        "rule": None if rule is None else rule.as_json(),
        "rule_id": rule_id,
    }
    with conn.cursor() as cur:
        cur.execute(read_sql("exclusion_rules_matched"), params)
        return [_stored(row) for row in cur.fetchall()]


def list_rules(conn: Connection, user_id: str) -> list[StoredRule]:
    """The user's rules, oldest first, each with the plays it matches."""
    with conn:
        return _matched(conn, user_id)


def preview_rule(conn: Connection, user_id: str, rule: Rule) -> StoredRule:
    """What `rule` would match among the user's plays, without storing it."""
    with conn:
        return _checked_preview(conn, user_id, rule)


def _checked_preview(conn: Connection, user_id: str, rule: Rule) -> StoredRule:
    (preview,) = _matched(conn, user_id, rule=rule)
    if rule.kind in ITEM_KINDS and preview.matched.plays == 0:
        name = _TARGETS[rule.kind][0]
        raise InvalidRule(name, f"none of your plays is of the {rule.kind} {getattr(rule, name)!r}")
    return preview


def add_rule(conn: Connection, user_id: str, rule: Rule, *, now: datetime) -> StoredRule:
    """Store `rule` for the user and rebuild the days of the plays it leaves out."""
    with conn, conn.cursor() as cur:
        _checked_preview(conn, user_id, rule)
        cur.execute(
            read_sql("exclusion_rule_insert"),
            {"user_id": user_id, "rule": rule.as_json(), "now": now},
        )
        rule_id = _returned(cur.fetchone())
        assert rule_id is not None  # an INSERT ... SELECT of one row
        _mark_days(cur, user_id, rule_id)
    refresh_stale_aggregates(conn)
    return _one(conn, user_id, rule_id)


def edit_rule(
    conn: Connection, user_id: str, rule_id: int, rule: Rule, *, now: datetime
) -> StoredRule | None:
    """Make the user's rule `rule_id` say `rule`; None when the user has no such rule."""
    with conn, conn.cursor() as cur:
        _mark_days(cur, user_id, rule_id)
        params = {"user_id": user_id, "rule_id": rule_id, "rule": rule.as_json(), "now": now}
        cur.execute(read_sql("exclusion_rule_update"), params)
        if _returned(cur.fetchone()) is None:
            return None
        _checked_preview(conn, user_id, rule)  # raising, it takes the update back
        _mark_days(cur, user_id, rule_id)
    refresh_stale_aggregates(conn)
    return _one(conn, user_id, rule_id)


def remove_rule(conn: Connection, user_id: str, rule_id: int) -> bool:
    """Remove the user's rule `rule_id`, bringing its plays back; False when there is none."""
    with conn, conn.cursor() as cur:
        _mark_days(cur, user_id, rule_id)
        cur.execute(read_sql("exclusion_rule_delete"), {"user_id": user_id, "rule_id": rule_id})
        removed = _returned(cur.fetchone()) is not None
    if removed:
        refresh_stale_aggregates(conn)
    return removed


def _mark_days(cur: Any, user_id: str, rule_id: int) -> None:
    cur.execute(read_sql("mark_rule_days"), {"user_id": user_id, "rule_id": rule_id})


def _returned(row: tuple[int] | None) -> int | None:
    return None if row is None else int(row[0])


def _one(conn: Connection, user_id: str, rule_id: int) -> StoredRule:
    with conn:
        (stored,) = _matched(conn, user_id, rule_id=rule_id)
    return stored
