"""Erasure on real PostgreSQL and a local lake: a range of plays, and everything of a user.

The tables are found here from information_schema and the lake's prefixes from its layout,
not from the code under test, so tables and prefixes added later are checked too."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from psycopg2 import extensions, sql

from etl.core.keys import PREFIXES, UploadKey, import_status_key
from etl.core.lake import Lake
from etl.core.settings import Settings
from etl.core.state import StateStore, UserState
from etl.imports.importer import import_export
from etl.pipeline import erasure as user_erasure
from etl.pipeline.context import PipelineContext
from etl.pipeline.rebuild import rebuild_warehouse
from etl.spotify.ingest import Spotify, ingest_user
from etl.spotify.tokens import LocalTokenStore
from etl.warehouse import erasure
from etl.warehouse.connection import Connection, connect
from etl.warehouse.exclusions import Rule, add_rule
from etl.warehouse.sharing import set_sharing
from etl.warehouse.user_settings import set_ranking_measure
from tests.integration.test_import_pipeline import TRACK_B, record, write_history

ALICE, BOB = "alice", "bob"
NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)
DAYS = range(1, 7)  # 2024-04-01 to 2024-04-06, two plays a day
# The plays of 2024-04-02 and 2024-04-03 (UTC, the users' zone).
RANGE = (datetime(2024, 4, 2, tzinfo=UTC), datetime(2024, 4, 4, tzinfo=UTC))

USER_TABLES = """
SELECT c.table_name::text
FROM information_schema.columns c
JOIN information_schema.tables t USING (table_schema, table_name)
WHERE c.table_schema = current_schema() AND c.column_name = 'user_id'
  AND t.table_type = 'BASE TABLE'
ORDER BY 1
"""


def _records(days: range) -> list[dict[str, Any]]:
    return [
        play
        for day in days
        for play in (
            record(f"2024-04-0{day}T10:00:00Z", 200_000 + day),
            record(f"2024-04-0{day}T22:30:00Z", 100_000 + day, TRACK_B),
        )
    ]


def _export(folder: Path) -> Path:
    write_history(folder, "Streaming_History_Audio_2024_0.json", _records(DAYS))
    return folder


def _rows(conn: Connection, query: str, *params: object) -> list[tuple[Any, ...]]:
    with conn, conn.cursor() as cur:
        cur.execute(query, params)
        return list(cur.fetchall())


def _plays(conn: Connection, user_id: str) -> list[tuple[Any, ...]]:
    return _rows(
        conn,
        "SELECT started_at, ms_played FROM fact_plays WHERE user_id = %s ORDER BY 1",
        user_id,
    )


def _rollup_plays(conn: Connection, user_id: str) -> int:
    (row,) = _rows(
        conn, "SELECT coalesce(sum(plays), 0) FROM agg_daily_items WHERE user_id = %s", user_id
    )
    return int(row[0])


def _user_rows(conn: Connection) -> dict[tuple[str, str], int]:
    """Every (table, user) with rows, over every table with a user_id column."""
    counts: dict[tuple[str, str], int] = {}
    for (table,) in _rows(conn, USER_TABLES):
        query = sql.SQL(
            "SELECT user_id, count(*) FROM {} WHERE user_id IS NOT NULL GROUP BY 1"
        ).format(sql.Identifier(table))
        for user_id, count in _rows(conn, query.as_string(conn)):
            counts[table, user_id] = count
    return counts


def _keys_of(lake: Lake, user_id: str) -> list[str]:
    """Every key that names `user_id`, under every prefix of the layout."""
    return [
        key
        for prefix in PREFIXES
        for key in lake.keys(prefix)
        if f"user={user_id}/" in key or key.endswith(f"/{user_id}.json")
    ]


@pytest.fixture
def ctx(settings: Settings) -> PipelineContext:
    return PipelineContext.from_settings(settings, lambda: NOW)


@pytest.fixture
def conn(ctx: PipelineContext) -> Iterator[Connection]:
    with ctx.database() as connection:
        yield connection


@pytest.fixture
def two_users(ctx: PipelineContext, tmp_path: Path) -> Path:
    """Alice and Bob imported the same export; the export's folder."""
    folder = _export(tmp_path / "export")
    for user_id in (ALICE, BOB):
        import_export(folder, ctx, user_id)
    return folder


def _erase_range(conn: Connection, lake: Lake, user_id: str = ALICE) -> erasure.ErasedPlays:
    return erasure.erase_range(conn, lake, erasure.ErasedRange(user_id, *RANGE, NOW))


# --- a range of plays ----------------------------------------------------------------------


def test_erasing_a_range_deletes_exactly_its_plays_and_rollups(
    ctx: PipelineContext, conn: Connection, two_users: Path
) -> None:
    before, bobs = _plays(conn, ALICE), _plays(conn, BOB)
    inside = [play for play in before if RANGE[0] <= play[0] < RANGE[1]]
    assert len(inside) == 4

    counted = erasure.plays_in_range(conn, ALICE, *RANGE)
    erased = _erase_range(conn, ctx.lake)

    assert (counted.plays, counted.listening_ms) == (4, sum(ms for _, ms in inside))
    assert (erased.plays, erased.listening_ms) == (counted.plays, counted.listening_ms)
    assert _plays(conn, ALICE) == [play for play in before if play not in inside]
    assert _plays(conn, BOB) == bobs
    # The rollups were refreshed: they count exactly the plays left.
    assert _rollup_plays(conn, ALICE) == len(before) - 4
    assert _rollup_plays(conn, BOB) == len(bobs)
    # The days emptied have no rollup rows left.
    days = _rows(conn, "SELECT DISTINCT day FROM agg_daily_items WHERE user_id = %s", ALICE)
    assert {str(day) for (day,) in days} == {"2024-04-01", "2024-04-04", "2024-04-05", "2024-04-06"}


def test_a_tombstone_records_the_range_in_the_lake(
    ctx: PipelineContext, conn: Connection, two_users: Path
) -> None:
    erased = _erase_range(conn, ctx.lake)

    assert list(ctx.lake.keys("tombstones/")) == [erased.tombstone_key]
    assert erased.tombstone_key.startswith(f"tombstones/user={ALICE}/20240601T120000")
    assert json.loads(ctx.lake.get(erased.tombstone_key)) == {
        "user_id": ALICE,
        "from": "2024-04-02T00:00:00+00:00",
        "to": "2024-04-04T00:00:00+00:00",
        "erased_at": "2024-06-01T12:00:00+00:00",
    }
    assert erasure.tombstones(ctx.lake) == [erasure.ErasedRange(ALICE, *RANGE, NOW)]


def test_erased_plays_stay_gone_after_a_rebuild_and_imports_again(
    ctx: PipelineContext, conn: Connection, two_users: Path, tmp_path: Path
) -> None:
    _erase_range(conn, ctx.lake)
    left, bobs = _plays(conn, ALICE), _plays(conn, BOB)

    # The same export again, and another file holding the erased days' plays and a new one.
    import_export(two_users, ctx, ALICE)
    again = write_history(
        tmp_path / "more",
        "Streaming_History_Audio_2024_1.json",
        [*_records(range(2, 4)), record("2024-04-07T10:00:00Z", 123_000)],
    )
    import_export(again.parent, ctx, ALICE)
    new_play = (datetime(2024, 4, 7, 9, 57, 57, tzinfo=UTC), 123_000)  # ts is its end
    assert _plays(conn, ALICE) == [*left, new_play]

    rebuilt = rebuild_warehouse(ctx)

    assert rebuilt.plays == len(left) + 1 + len(bobs)
    with ctx.database() as fresh:
        assert _plays(fresh, ALICE) == [*left, new_play]
        assert _plays(fresh, BOB) == bobs
        assert _rollup_plays(fresh, ALICE) == len(left) + 1
        ranges = _rows(fresh, "SELECT user_id, lower(erased), upper(erased) FROM erased_ranges")
        assert ranges == [(ALICE, *RANGE)]


def test_a_range_erased_while_a_rebuild_runs_is_erased_in_the_rebuilt_warehouse(
    ctx: PipelineContext, conn: Connection, two_users: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from etl.pipeline import rebuild as rebuild_module

    catch_up = rebuild_module._Build.catch_up
    erased_meanwhile = False

    def catch_up_then_erase(build: Any) -> bool:
        nonlocal erased_meanwhile
        found = catch_up(build)
        if not erased_meanwhile:
            _erase_range(conn, ctx.lake)  # in the live warehouse, with its tombstone
            erased_meanwhile = True
        return found

    monkeypatch.setattr(rebuild_module._Build, "catch_up", catch_up_then_erase)
    rebuild_warehouse(ctx)

    with ctx.database() as fresh:
        assert [play for play in _plays(fresh, ALICE) if RANGE[0] <= play[0] < RANGE[1]] == []
        assert _rollup_plays(fresh, ALICE) == len(_plays(fresh, ALICE)) == 8


# --- everything of a user ------------------------------------------------------------------


@pytest.fixture
def tokens(settings: Settings) -> LocalTokenStore:
    return LocalTokenStore(settings.secrets_dir)


@pytest.fixture
def everything(
    ctx: PipelineContext, conn: Connection, two_users: Path, tokens: LocalTokenStore
) -> None:
    """Both users with something under every prefix and in every table the flows fill."""
    state = StateStore(ctx.lake)
    for user_id in (ALICE, BOB):
        state.put_user(UserState(user_id, signed_in_at=NOW, time_zone="UTC"))
        tokens.put(user_id, f"refresh-token-of-{user_id}")
        upload = UploadKey.new(user_id, "my_spotify_data.zip")
        ctx.lake.put(upload.key, b"zip")
        ctx.lake.put(import_status_key(user_id, upload.import_id), b"{}")
        ctx.lake.put(f"exports/user={user_id}/an-export/plays.csv", b"csv")
        ctx.lake.put(f"quarantine/upload/user={user_id}/digest/broken.json", b"[")
        _erase_range(conn, ctx.lake, user_id)
        # What the settings page writes: a setting, sharing, an exclusion rule.
        set_ranking_measure(conn, user_id, "plays", NOW, time_zone="UTC")
        set_sharing(conn, user_id, True, NOW, time_zone="UTC")
        add_rule(conn, user_id, Rule(kind="shorter_than", min_seconds=30), now=NOW)
        with conn, conn.cursor() as cur:
            cur.execute(
                "INSERT INTO ingest_gaps (user_id, gap_from, gap_to, detected_at, lake_key) "
                "VALUES (%s, %s, %s, %s, 'raw/api/x')",
                (user_id, NOW, NOW, NOW),
            )
    with conn, conn.cursor() as cur:
        # A load marks days stale for the next refresh: caught between the two.
        cur.execute(
            "INSERT INTO agg_stale_days (user_id, day) VALUES (%s, %s), (%s, %s)",
            (ALICE, "2024-04-01", BOB, "2024-04-01"),
        )


def test_deleting_a_user_leaves_nothing_of_theirs_in_any_table_or_prefix(
    ctx: PipelineContext, conn: Connection, everything: None, tokens: LocalTokenStore
) -> None:
    rows_before = _user_rows(conn)
    keys_before = {user_id: _keys_of(ctx.lake, user_id) for user_id in (ALICE, BOB)}
    # The setup reaches every table with a user_id column and every prefix of the layout
    # (a table added later fails here until the setup fills it, and erasure is seen to
    # clear it).
    alices_tables = {table for table, user_id in rows_before if user_id == ALICE}
    assert alices_tables == {table for (table,) in _rows(conn, USER_TABLES)}
    assert {key.split("/")[0] + "/" for key in keys_before[ALICE]} == set(PREFIXES)

    erased = user_erasure.erase_user(conn, ctx.lake, tokens, ALICE)

    rows_after = _user_rows(conn)
    assert [table for table, user_id in rows_after if user_id == ALICE] == []
    assert {key: n for key, n in rows_before.items() if key[1] != ALICE} == rows_after
    assert _keys_of(ctx.lake, ALICE) == []
    assert not (ctx.lake.root / "raw" / "export" / f"user={ALICE}").exists()  # type: ignore[attr-defined]
    assert _keys_of(ctx.lake, BOB) == keys_before[BOB]
    assert tokens.get(ALICE) is None
    assert tokens.get(BOB) == "refresh-token-of-bob"
    assert erased.token_deleted
    assert erased.lake_objects == len(keys_before[ALICE])
    assert {table for table, n in erased.rows.items() if n} == alices_tables
    # The catalog is shared: Bob's plays still name the same tracks.
    (tracks,) = _rows(conn, "SELECT count(*) FROM dim_tracks")
    assert tracks[0] == 2


def test_deleting_a_users_rows_takes_one_delete_per_table_and_leaves_none(
    conn: Connection, everything: None
) -> None:
    tables = {table for (table,) in _rows(conn, USER_TABLES)}
    statements: list[str] = []

    class Recorded(extensions.cursor):
        def execute(self, query: str | bytes | sql.Composable, vars: Any = None) -> None:
            if isinstance(query, sql.Composable):
                query = query.as_string(self)
            statements.append(query.decode() if isinstance(query, bytes) else query)
            super().execute(query, vars)

    conn.cursor_factory = Recorded
    try:
        deleted = erasure.delete_user_rows(conn, ALICE)
    finally:
        conn.cursor_factory = extensions.cursor

    # One pass: each table deleted from once (the triggers that write data_changes while
    # plays and exclusion rules go run before data_changes' own delete, not after it).
    deletes = [re.findall(r'DELETE FROM "(\w+)"', text) for text in statements]
    assert sorted(table for found in deletes for table in found) == sorted(tables)
    assert [key for key in _user_rows(conn) if key[1] == ALICE] == []
    assert [key for key in _user_rows(conn) if key[1] == BOB]  # Bob's rows stay
    assert deleted.keys() == tables
    assert all(deleted.values())  # the setup gave Alice rows in every table


def test_a_half_done_deletion_completes_when_run_again(
    ctx: PipelineContext,
    conn: Connection,
    everything: None,
    tokens: LocalTokenStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    purge = type(ctx.lake).purge
    calls = 0

    def purge_then_fail(lake: Any, prefix: str, matches: Any) -> int:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError("the machine stopped")
        return purge(lake, prefix, matches)

    monkeypatch.setattr(type(ctx.lake), "purge", purge_then_fail)
    with pytest.raises(OSError, match="stopped"):
        user_erasure.erase_user(conn, ctx.lake, tokens, ALICE)
    # Stopped midway: the warehouse is done, the lake partly, and the sign-in state is
    # still there (the user's session still works, so they can ask again).
    assert [key for key in _user_rows(conn) if key[1] == ALICE] == []
    assert StateStore(ctx.lake).stored_user(ALICE) is not None
    assert _keys_of(ctx.lake, ALICE)

    monkeypatch.setattr(type(ctx.lake), "purge", purge)
    user_erasure.erase_user(conn, ctx.lake, tokens, ALICE)

    assert _keys_of(ctx.lake, ALICE) == []
    assert StateStore(ctx.lake).stored_user(ALICE) is None
    assert [key for key in _user_rows(conn) if key[1] == ALICE] == []


def test_no_ingest_or_rebuild_brings_a_deleted_user_back(
    settings: Settings, ctx: PipelineContext, conn: Connection, everything: None
) -> None:
    # Deleted where the token store is out of reach (the API on AWS): the token stays.
    user_erasure.erase_user(conn, ctx.lake, None, ALICE)
    spotify = Spotify.from_settings(settings.model_copy(update={"allowed_users": (ALICE, BOB)}))
    assert spotify.tokens.get(ALICE) is not None

    outcome = ingest_user(spotify, ALICE)  # the allowlist still names Alice

    assert (outcome.outcome, outcome.raw_key) == ("skipped", None)
    assert spotify.tokens.get(ALICE) is None  # forgotten, unused
    rebuild_warehouse(ctx)
    with closing(connect(settings)) as fresh:
        assert [key for key in _user_rows(fresh) if key[1] == ALICE] == []
    assert _keys_of(ctx.lake, ALICE) == []
