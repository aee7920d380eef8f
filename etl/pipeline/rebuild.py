"""Rebuilding the warehouse from the lake, the source of truth.

Every raw object is transformed and loaded again, and every enrichment answer already in
the lake is applied again, without asking any provider: the same lake gives the same
numbers. The ranges of plays erased (the lake's tombstones) are recorded first, so that no
play of theirs is loaded again (see `etl.warehouse.erasure`).

The rebuild never touches the live warehouse until it is complete: it builds into a
schema of its own and swaps it in within one transaction. Killed at any point, it leaves
the previous warehouse serving (and a half-built schema, which the next rebuild drops).
An export's raw object whose content no longer matches the digest in its key is set aside,
never loaded.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from psycopg2 import errors, sql

from etl.core.keys import ENRICHMENT_RESULTS_PREFIX, RAW_PREFIX, RawKey
from etl.core.state import StateStore
from etl.pipeline.context import PipelineContext
from etl.pipeline.steps import State, run_step
from etl.pipeline.transform import in_pipeline_order
from etl.warehouse.connection import Connection
from etl.warehouse.erasure import erase_in_warehouse, record_erased_ranges, tombstones
from etl.warehouse.genres import store_open_data
from etl.warehouse.load import read_sql, refresh_stale_aggregates, store_enrichment
from etl.warehouse.migrate import apply_migrations

BUILD_SCHEMA = "moodify_rebuild"
_REPLACED_SCHEMA = "moodify_replaced"  # the live schema's name for the swap's instant
_REBUILD_LOCK_ID = 7_231_045  # held for a whole rebuild, so two never overlap
# Each attempt waits at most the swap's lock_timeout (200 ms) for readers to let go.
SWAP_ATTEMPTS = 50

Progress = Callable[[int, int], None]  # raw objects done, raw objects known so far


def _quiet(done: int, total: int) -> None:
    """The default progress callback: report nothing."""


class RebuildRefused(RuntimeError):
    """The rebuild could not start or finish; the previous warehouse still serves."""


@dataclass(frozen=True)
class SetAside:
    """A raw object the rebuild quarantined, whole or some of its records."""

    key: str
    reason: str
    earlier: bool  # reported before this rebuild for the same reason (at its import, say)


@dataclass(frozen=True)
class Rebuilt:
    raw_objects: int
    plays: int
    enrichment_objects: int
    set_aside: list[SetAside] = field(default_factory=list)


@dataclass
class _Build:
    """The rebuild's progress through the lake, in the build schema."""

    ctx: PipelineContext  # connects to the build schema
    on_object: Progress
    raw_keys: list[str] = field(default_factory=list)
    enrichment_keys: list[str] = field(default_factory=list)
    plays: int = 0
    set_aside: list[SetAside] = field(default_factory=list)

    def catch_up(self) -> bool:
        """Build in every object the lake holds that is not built in yet (at first, all of
        them; then what arrived meanwhile); whether there was any.

        As an import does, two objects are in flight at most: while one loads on a worker
        thread (PostgreSQL does that work), the next is checked and transformed here.
        """
        lake = self.ctx.lake
        built_in = {*self.raw_keys, *self.enrichment_keys}
        raw_keys = [key for key in sorted(lake.keys(RAW_PREFIX)) if key not in built_in]
        enrichment_keys = [
            key for key in sorted(lake.keys(ENRICHMENT_RESULTS_PREFIX)) if key not in built_in
        ]
        total = len(self.raw_keys) + len(raw_keys)

        def finish(key: str, loading: Future[State | None]) -> None:
            loaded = loading.result()
            self.plays += loaded.get("inserted", 0) if loaded else 0
            self.raw_keys.append(key)
            self.on_object(len(self.raw_keys), total)

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rebuild") as loads:
            in_flight: tuple[str, Future[State | None]] | None = None
            # As an import does: account data after the extended history its names resolve to.
            for key in in_pipeline_order(raw_keys):
                transformed = self._transform(key)
                if in_flight is not None:
                    finish(*in_flight)
                in_flight = (key, loads.submit(self._load, transformed))
            if in_flight is not None:
                finish(*in_flight)
        with self.ctx.database() as conn:
            for key in enrichment_keys:
                answer = json.loads(lake.get(key))
                store_enrichment(conn, answer)
                store_open_data(
                    conn,
                    answer,
                    retry_after=self.ctx.settings.lookup_retry_after,
                    now=self.ctx.clock(),
                )
                self.enrichment_keys.append(key)
        return bool(raw_keys or enrichment_keys)

    def _transform(self, key: str) -> State | None:
        """The transform step's state for loading, or None when the object is set aside."""
        try:
            raw = RawKey.parse(key)
        except ValueError as error:
            self.set_aside.append(SetAside(key, str(error), earlier=False))
            return None
        reported_before = self._reported_reason(raw)
        # The transform checks the content against the key, and sets aside what fails.
        state = run_step("transform", {"raw_key": key}, self.ctx)
        if not (state.get("quarantined") or state.get("rejected")):
            return state
        # The report the transform just wrote says why.
        reason = self._reported_reason(raw)
        assert reason is not None
        self.set_aside.append(SetAside(key, reason, earlier=reason == reported_before))
        return state

    def _load(self, transformed: State | None) -> State | None:
        if transformed is None:
            return None
        # The load step accounts for every record it loads; an import's account (what the
        # Import page shows) stays the import's, as a rebuild is not an import.
        lake, records_key = self.ctx.lake, RawKey.parse(transformed["raw_key"]).records_key
        imported = lake.get(records_key) if lake.exists(records_key) else None
        loaded = run_step("load", transformed, self.ctx)
        if imported is not None:
            lake.put(records_key, imported)
        return loaded

    def _reported_reason(self, raw: RawKey) -> str | None:
        if not self.ctx.lake.exists(raw.quarantine_report_key):
            return None
        return str(json.loads(self.ctx.lake.get(raw.quarantine_report_key))["reason"])


def rebuild_warehouse(ctx: PipelineContext, on_object: Progress = _quiet) -> Rebuilt:
    with ctx.database() as control:
        _take_rebuild_lock(control)
        live = _live_schema(control)
        _execute(control, read_sql("create_build_schema"), build=sql.Identifier(BUILD_SCHEMA))
        build = _Build(replace(ctx, schema=BUILD_SCHEMA), on_object)
        # Erased ranges first: no play of theirs is loaded (load_plays.sql leaves them out).
        erased = tombstones(ctx.lake)
        with build.ctx.database() as conn:
            apply_migrations(conn)
            _seed_users(conn, _chosen_time_zones(control, ctx))
            _execute(conn, read_sql("carry_user_sharing"), live=sql.Identifier(live))
            _execute(conn, read_sql("carry_user_settings"), live=sql.Identifier(live))
            _execute(conn, read_sql("carry_exclusion_rules"), live=sql.Identifier(live))
            record_erased_ranges(conn, erased)
        # Until nothing is new: what the lake gains while the build runs (an hourly ingest,
        # an import) is built in too.
        while build.catch_up():
            pass
        with build.ctx.database() as conn:
            # A range erased while the build ran: its plays may be built in already.
            for late in set(tombstones(ctx.lake)) - set(erased):
                erase_in_warehouse(conn, late)
            refresh_stale_aggregates(conn)
        _swap(control, live)
    return Rebuilt(len(build.raw_keys), build.plays, len(build.enrichment_keys), build.set_aside)


def _chosen_time_zones(live: Connection, ctx: PipelineContext) -> dict[str, str]:
    """Each user's time zone: the live warehouse's, where the lake's state says none (it
    says one for every zone chosen since it kept them)."""
    with live, live.cursor() as cur:
        cur.execute("SELECT user_id, time_zone FROM users")
        zones: dict[str, str] = dict(cur.fetchall())
    for user in StateStore(ctx.lake).users():
        if user.time_zone is not None:
            zones[user.user_id] = user.time_zone
    return zones


def _seed_users(conn: Connection, time_zones: dict[str, str]) -> None:
    users = [{"user_id": user_id, "time_zone": zone} for user_id, zone in time_zones.items()]
    with conn, conn.cursor() as cur:
        cur.execute(read_sql("seed_users"), {"users": json.dumps(users)})


def _take_rebuild_lock(conn: Connection) -> None:
    # A session lock: the server lets go of it when this connection ends, however it ends.
    with conn, conn.cursor() as cur:
        cur.execute("SELECT pg_try_advisory_lock(%s)", (_REBUILD_LOCK_ID,))
        row = cur.fetchone()
    if not (row and row[0]):
        raise RebuildRefused("Another rebuild is running; the warehouse is left to it")


def _live_schema(conn: Connection) -> str:
    """The schema the warehouse's readers and writers use: the first on their path."""
    with conn, conn.cursor() as cur:
        cur.execute("SELECT current_schema()")
        row = cur.fetchone()
    if row is None or row[0] is None:
        raise RebuildRefused("No schema on the database's search path holds the warehouse")
    return str(row[0])


def _execute(conn: Connection, statement: str, **names: sql.Composable) -> None:
    with conn, conn.cursor() as cur:
        cur.execute(sql.SQL(statement).format(**names))


def _swap(conn: Connection, live: str) -> None:
    """Swap the build schema in for `live` in one transaction, once readers let it."""
    for _ in range(SWAP_ATTEMPTS):
        try:
            _execute(
                conn,
                read_sql("swap_in_build_schema"),
                live=sql.Literal(live),
                build=sql.Literal(BUILD_SCHEMA),
                replaced=sql.Literal(_REPLACED_SCHEMA),
            )
            return
        except errors.LockNotAvailable:
            continue
    raise RebuildRefused(
        f"Readers kept the warehouse busy through {SWAP_ATTEMPTS} attempts to swap the "
        f"rebuilt one in; the previous warehouse still serves. Run the rebuild again."
    )
