"""Set-based loads into the warehouse: COPY into staging, then upserts."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from psycopg2 import errors

from etl.core.audio_features import AudioFeatures
from etl.core.curated import NULL, header_columns
from etl.exports.kinds import SpanKind
from etl.exports.records import Replaced, Superseded, file_name, reported_kind
from etl.warehouse.connection import Connection

_SQL_DIR = Path(__file__).with_name("sql")
_REFRESH_LOCK_ID = 7_231_043  # serialises aggregate rebuilds across concurrent runs
_LOAD_LOCK_CLASS = 7_231_044  # with the user: serialises one user's loads, not all loads
# Two plays of one track or episode from two sources are the same play when they end this
# close: the account data's endTime is cut to the minute (up to 60 s early) and the API's
# played_at is a few seconds off. It is shorter than almost any track, so two real plays of
# one track are seldom taken for one.
SAME_PLAY_WITHIN = timedelta(seconds=90)


@cache
def read_sql(name: str) -> str:
    return (_SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


@dataclass(frozen=True)
class PlaysLoad:
    staged: int  # the object's plays
    inserted: int
    superseded_by: tuple[Superseded, ...] = ()  # its plays left out, and why
    replaced: tuple[Replaced, ...] = ()  # stored plays of lesser sources it replaced

    @property
    def superseded(self) -> int:
        return sum(item.records for item in self.superseded_by)

    @property
    def already_stored(self) -> int:
        """True duplicates: in the warehouse already, or listed twice in the object."""
        return self.staged - self.inserted - self.superseded


def load_curated_plays(
    conn: Connection,
    curated_csv: bytes,
    *,
    user_id: str,
    time_zone: str,
    lake_key: str,
    span_kind: SpanKind | None = None,
) -> PlaysLoad:
    """Load one curated object for one user; loading it again inserts nothing.

    `span_kind` is the kind of plays the object is complete for over its time span (see
    `etl.exports.kinds.span_kind`); None claims no span.
    """
    copy = (
        f"COPY staging_plays ({', '.join(header_columns(curated_csv))}) "
        f"FROM STDIN WITH (FORMAT csv, HEADER true, NULL '{NULL}')"
    )
    params = {
        "user_id": user_id,
        "time_zone": time_zone,
        "lake_key": lake_key,
        "span_kind": span_kind,
        "same_play_within": SAME_PLAY_WITHIN,
    }
    with conn, conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_LOAD_LOCK_CLASS, user_id))
        cur.execute(read_sql("staging_plays"))
        # One read of the whole body: in chunks, each read would wait for the GIL while
        # another thread (the next file's transform) holds it.
        cur.copy_expert(copy, io.BytesIO(curated_csv), size=max(len(curated_csv), 8192))
        staged = cur.rowcount
        cur.execute(read_sql("staged_summary"), params)
        summary = cur.fetchone()
        assert summary is not None  # an aggregate without GROUP BY always returns a row
        staged_source, unresolved_account_plays = summary
        cur.execute(read_sql("source_precedence"), params)
        superseded_by, replaced = [], []
        for side, source, by, key, kind, start, end, plays in cur.fetchall():
            if side == "staged":
                superseded_by.append(
                    Superseded(source, by, file_name(key), reported_kind(kind), start, end, plays)
                )
            else:
                replaced.append(Replaced(source, by, plays))
        if staged_source == "account":
            cur.execute(read_sql("resolve_account_names"))
        cur.execute(read_sql("load_plays"), params)
        inserted = _count(cur.fetchone())
        if staged_source == "account" or unresolved_account_plays:
            cur.execute(read_sql("resolve_stored_account_names"), params)
    return PlaysLoad(staged, inserted, tuple(superseded_by), tuple(replaced))


@dataclass(frozen=True)
class PendingEnrichment:
    track_ids: list[str]  # no audio features yet
    artist_ids: list[str]  # never looked up


def pending_enrichment(
    conn: Connection,
    *,
    tracks: int,
    artists: int,
    now: datetime,
    batch: int,
    max_wait: timedelta,
) -> PendingEnrichment:
    """What to enrich now: at most `tracks` tracks, in full batches of `batch` unless a track
    has waited `max_wait` since its first play; at most `artists` artists."""
    params = {"limit": tracks, "now": now, "batch": batch, "max_wait": max_wait}
    with conn, conn.cursor() as cur:
        cur.execute(read_sql("tracks_without_features"), params)
        track_ids = [row[0] for row in cur.fetchall()]
        cur.execute(read_sql("artists_to_look_up"), {"limit": artists})
        artist_ids = [row[0] for row in cur.fetchall()]
    return PendingEnrichment(track_ids=track_ids, artist_ids=artist_ids)


def record_feature_misses(conn: Connection, track_ids: list[str], tried_at: datetime) -> None:
    with conn, conn.cursor() as cur:
        cur.execute(
            read_sql("record_feature_misses"), {"track_ids": track_ids, "tried_at": tried_at}
        )


def update_artists(conn: Connection, artists: list[dict[str, Any]], looked_up_at: datetime) -> None:
    """Store artist lookups: `[{"artist_id", "name", "genres", "image_url"}]`."""
    with conn, conn.cursor() as cur:
        cur.execute(
            read_sql("update_artists"),
            {"artists": json.dumps(artists), "looked_up_at": looked_up_at},
        )


def load_facts(
    conn: Connection,
    facts: dict[str, Any],
    *,
    user_id: str,
    time_zone: str,
    lake_key: str,
    detected_at: datetime,
) -> None:
    """Apply what a raw object says besides plays: a profile, possible ingest gaps."""
    params = {"user_id": user_id, "time_zone": time_zone, "lake_key": lake_key}
    with conn, conn.cursor() as cur:
        if "profile" in facts:
            display_name = facts["profile"].get("display_name")
            cur.execute(read_sql("upsert_profile"), {**params, "display_name": display_name})
        if facts.get("gaps"):
            gaps = json.dumps(facts["gaps"])
            cur.execute(
                read_sql("record_gaps"), {**params, "gaps": gaps, "detected_at": detected_at}
            )


def upsert_features(conn: Connection, features: Sequence[AudioFeatures]) -> int:
    """Store provider answers; return how many tracks' features changed."""
    payload = json.dumps([item.as_record() for item in features])
    with conn, conn.cursor() as cur:
        cur.execute(read_sql("upsert_features"), {"features": payload})
        return _count(cur.fetchone())


# Every rollup rebuilt from the stale days' plays, in this order, after take_stale_days.
ROLLUP_REFRESHES = (
    "refresh_daily_mood",
    "refresh_daily_items",
    "refresh_hourly",
    "refresh_daily_context",
    "refresh_sessions",
    "refresh_period_items",  # after refresh_daily_items, whose rows it reads
    "refresh_first_plays",  # after refresh_daily_items, whose rows it reads
    "refresh_monthly_ranks",  # after refresh_period_items, whose rows it reads
)


def refresh_stale_aggregates(conn: Connection) -> None:
    """Rebuild every rollup's rows of the days marked stale, in one transaction."""
    with conn, conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (_REFRESH_LOCK_ID,))
        cur.execute(read_sql("take_stale_days"))
        for refresh in ROLLUP_REFRESHES:
            cur.execute(read_sql(refresh))
        cur.execute(read_sql("analyze_rollups"))
        cur.execute(read_sql("merge_data_changes"))


def record_etl_refresh(conn: Connection, at: datetime) -> None:
    """The pipeline refreshed the warehouse successfully at `at` (the dashboard says when)."""
    with conn, conn.cursor() as cur:
        cur.execute(read_sql("record_etl_refresh"), {"at": at})


def _count(row: tuple[int] | None) -> int:
    return 0 if row is None else int(row[0])


@dataclass(frozen=True)
class UserTotals:
    plays: int
    listening_ms: int
    first_played_at: datetime | None
    last_played_at: datetime | None
    tracks: int
    artists: int
    episodes: int


def histories(conn: Connection) -> list[str]:
    """The users whose listening history the warehouse holds (one play or more)."""
    with conn, conn.cursor() as cur:
        cur.execute(read_sql("histories"))
        return [row[0] for row in cur.fetchall()]


def user_totals(conn: Connection, user_id: str) -> UserTotals:
    with conn, conn.cursor() as cur:
        cur.execute(read_sql("user_totals"), {"user_id": user_id})
        row = cur.fetchone()
    assert row is not None  # an aggregate without GROUP BY always returns a row
    return UserTotals(*row)


def store_enrichment(conn: Connection, answer: dict[str, Any]) -> int:
    """Apply one enrichment answer (as the enrich step writes it to the lake); return how
    many tracks' features changed."""
    fetched_at = datetime.fromisoformat(answer["fetched_at"])
    features = [AudioFeatures.from_record(record) for record in answer.get("features", [])]
    stored = upsert_features(conn, features) if features else 0
    if answer.get("unknown_tracks"):
        record_feature_misses(conn, answer["unknown_tracks"], fetched_at)
    if answer.get("artists"):
        update_artists(conn, answer["artists"], fetched_at)
    return stored


def set_time_zone(conn: Connection, user_id: str, time_zone: str) -> None:
    """Cut `user_id`'s days in `time_zone` (an IANA name) from now on, all past days too.

    One transaction sets the zone, drops the user's rollups and builds them again, so
    readers see the old days until the new ones are in, and a re-cut stopped midway (an
    API request out of time) changes nothing. Raises ValueError, changing nothing, for a
    zone Python or PostgreSQL does not know."""
    unknown = f"Unknown time zone {time_zone!r}: use an IANA name such as Europe/Berlin"
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(unknown) from error
    try:
        # Not committed here: the refresh commits the whole re-cut at once.
        with conn.cursor() as cur:
            cur.execute(read_sql("take_refresh_lock"), {"lock_id": _REFRESH_LOCK_ID})
            cur.execute(read_sql("set_time_zone"), {"user_id": user_id, "time_zone": time_zone})
    except errors.InvalidParameterValue as error:  # a name only Python's tz database has
        conn.rollback()
        raise ValueError(unknown) from error
    except BaseException:
        conn.rollback()
        raise
    refresh_stale_aggregates(conn)
