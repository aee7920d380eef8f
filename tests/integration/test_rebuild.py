"""`moodify rebuild` on real PostgreSQL: the live warehouse serves until the new one is
whole, whatever happens to the rebuild; what the lake holds is checked before it is loaded."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from psycopg2.extensions import make_dsn, parse_dsn
from typer.testing import CliRunner

from api.db import Database, Query
from etl.core.keys import SAMPLE_CATALOG_KEY, RawKey
from etl.core.lake import LocalLake
from etl.core.settings import Settings
from etl.exports.files import export_files
from etl.imports.importer import import_export, stage_files
from etl.pipeline import rebuild as rebuild_module
from etl.pipeline.context import PipelineContext
from etl.pipeline.rebuild import BUILD_SCHEMA, RebuildRefused, SetAside, rebuild_warehouse
from etl.pipeline.steps import run_pipeline
from etl.warehouse.connection import connect
from etl.warehouse.load import read_sql, set_time_zone
from etl.warehouse.migrate import apply_migrations, ensure_app_user
from moodify import local
from moodify.cli import app
from moodify.demo.sample import generate_sample_export
from tests.conftest import fresh_database
from tests.integration.test_cli import said
from tests.integration.test_import_pipeline import (
    HISTORY,
    TRACK_B,
    WAREHOUSE_SNAPSHOT,
    record,
    scalar,
    write_history,
)

PLAYS = "SELECT count(*) FROM fact_plays"
SCHEMAS = (
    "SELECT array_agg(nspname::text ORDER BY nspname) FROM pg_namespace "
    "WHERE nspname LIKE 'moodify%'"
)


def _history(tmp_path: Path) -> Path:
    """Three extended-history files: 4 + 3 + 2 plays."""
    folder = tmp_path / "export"
    write_history(folder, "Streaming_History_Audio_2024_0.json", HISTORY)
    write_history(
        folder,
        "Streaming_History_Audio_2024_1.json",
        [record(f"2024-04-0{day}T10:00:00Z", 200_000) for day in (1, 2, 3)],
    )
    write_history(
        folder,
        "Streaming_History_Audio_2024_2.json",
        [record(f"2024-05-0{day}T10:00:00Z", 190_000, TRACK_B) for day in (1, 2)],
    )
    return folder


@pytest.fixture
def ctx(settings: Settings) -> PipelineContext:
    context = PipelineContext.from_settings(settings)
    # Features for one track: the rebuild has enrichment answers to apply again.
    catalog = {"4uLU6hMCjMI75M1A2tKUQC": {"valence": 0.8, "energy": 0.6, "danceability": 0.5}}
    context.lake.put(SAMPLE_CATALOG_KEY, json.dumps(catalog).encode())
    return context


@pytest.fixture
def imported(ctx: PipelineContext, tmp_path: Path, database_dsn: str) -> str:
    """A warehouse imported from three files; its snapshot."""
    import_export(_history(tmp_path), ctx, "me")
    assert scalar(database_dsn, PLAYS) == 9
    return str(scalar(database_dsn, WAREHOUSE_SNAPSHOT))


def _stage_unprocessed(ctx: PipelineContext, tmp_path: Path) -> str:
    """A fourth file in the lake that the warehouse has not seen: a rebuild adds 2 plays."""
    path = write_history(
        tmp_path / "later",
        "Streaming_History_Audio_2024_3.json",
        [record(f"2024-06-0{day}T10:00:00Z", 210_000) for day in (1, 2)],
    )
    (key,) = stage_files(export_files(path), ctx.lake, "me").raw_keys
    return key


def test_a_rebuild_gives_the_same_warehouse_and_leaves_no_schema_behind(
    ctx: PipelineContext, imported: str, database_dsn: str
) -> None:
    rebuilt = rebuild_warehouse(ctx)
    assert (rebuilt.raw_objects, rebuilt.plays, rebuilt.set_aside) == (3, 9, [])
    assert scalar(database_dsn, WAREHOUSE_SNAPSHOT) == imported
    assert scalar(database_dsn, SCHEMAS) is None
    assert scalar(database_dsn, "SELECT current_schema()") == "public"


def test_a_rebuild_keeps_each_imports_account_of_its_records(
    ctx: PipelineContext, imported: str, tmp_path: Path
) -> None:
    again = write_history(
        tmp_path / "again",
        "Streaming_History_Audio_2024_9.json",
        [record("2024-04-01T10:00:00Z", 200_000), record("2024-07-01T10:00:00Z", 200_000)],
    )
    import_export(again, ctx, "me")  # one play already stored, one new
    accounts = {key: ctx.lake.get(key) for key in ctx.lake.keys("curated/records/")}
    assert len(accounts) == 4
    later = RawKey.parse(_stage_unprocessed(ctx, tmp_path)).records_key

    rebuild_warehouse(ctx)
    assert {key: ctx.lake.get(key) for key in accounts} == accounts
    assert json.loads(ctx.lake.get(later))["new"] == 2  # never loaded before: the rebuild's


@pytest.mark.parametrize("kept_in", ["the lake", "the live warehouse only"])
def test_a_rebuild_keeps_the_time_zone_each_user_chose(
    ctx: PipelineContext, imported: str, database_dsn: str, kept_in: str
) -> None:
    zone = "Pacific/Kiritimati"  # UTC+14: the plays' local days move
    if kept_in == "the lake":
        local.set_time_zone(ctx.settings, zone)  # as `moodify time-zone` does
    else:  # a zone chosen before the lake kept them
        with ctx.database() as conn:
            set_time_zone(conn, "me", zone)
    chosen = scalar(database_dsn, WAREHOUSE_SNAPSHOT)
    assert chosen != imported

    rebuild_warehouse(ctx)
    assert scalar(database_dsn, "SELECT time_zone FROM users WHERE user_id = 'me'") == zone
    assert scalar(database_dsn, WAREHOUSE_SNAPSHOT) == chosen


def test_a_rebuild_that_fails_midway_leaves_the_previous_warehouse(
    ctx: PipelineContext, imported: str, database_dsn: str, tmp_path: Path
) -> None:
    _stage_unprocessed(ctx, tmp_path)

    def fails_after_two_objects(done: int, total: int) -> None:
        if done == 2:
            raise RuntimeError("the machine went away")

    with pytest.raises(RuntimeError, match="went away"):
        rebuild_warehouse(ctx, fails_after_two_objects)
    assert scalar(database_dsn, WAREHOUSE_SNAPSHOT) == imported
    assert scalar(database_dsn, f"SELECT count(*) FROM {BUILD_SCHEMA}.loaded_objects") == 2

    rebuilt = rebuild_warehouse(ctx)
    assert (rebuilt.raw_objects, rebuilt.plays) == (4, 11)
    assert scalar(database_dsn, PLAYS) == 11
    assert scalar(database_dsn, SCHEMAS) is None  # the leftover went


def _wait_for(condition: Any, what: str, *, attempts: int = 1_200) -> None:
    """Poll every 50 ms, for at most a minute."""
    for _ in range(attempts):
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


def test_a_rebuild_killed_midway_leaves_the_previous_numbers(
    settings: Settings, database_dsn: str, tmp_path: Path
) -> None:
    # Enough objects that the rebuild is caught with some of them built.
    sample = generate_sample_export(tmp_path / "sample", years=0.5, plays_per_file=300)
    ctx = PipelineContext.from_settings(settings)
    ctx.lake.put(SAMPLE_CATALOG_KEY, sample.features_path.read_bytes())
    import_export(sample.files[0].parent, ctx, "me")
    before = scalar(database_dsn, WAREHOUSE_SNAPSHOT)
    plays = scalar(database_dsn, PLAYS)
    assert len(sample.files) >= 20

    build_plays = f"SELECT count(*) FROM {BUILD_SCHEMA}.fact_plays"
    env = {
        **os.environ,
        "DATABASE_URL": database_dsn,
        "MOODIFY_HOME": str(settings.home),
        "MOODIFY_FEATURE_PROVIDERS": "sample",
    }
    with (tmp_path / "rebuild.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "moodify", "rebuild"], env=env, stdout=log, stderr=log
        )
        try:

            def some_plays_built() -> bool:
                assert process.poll() is None, (tmp_path / "rebuild.log").read_text()
                exists = f"SELECT to_regclass('{BUILD_SCHEMA}.fact_plays') IS NOT NULL"
                return bool(scalar(database_dsn, exists) and scalar(database_dsn, build_plays))

            _wait_for(some_plays_built, "the rebuild to build its first objects")
            process.send_signal(signal.SIGKILL)
        finally:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    assert 0 < scalar(database_dsn, build_plays) < plays
    assert scalar(database_dsn, WAREHOUSE_SNAPSHOT) == before

    rebuilt = rebuild_warehouse(ctx)
    assert rebuilt.plays == plays
    assert scalar(database_dsn, WAREHOUSE_SNAPSHOT) == before
    assert scalar(database_dsn, SCHEMAS) is None


def test_readers_see_the_old_warehouse_or_the_new_one_never_a_part(
    ctx: PipelineContext, settings: Settings, imported: str, database_dsn: str, tmp_path: Path
) -> None:
    _stage_unprocessed(ctx, tmp_path)
    database = Database(settings.model_copy(update={"db_pool_size": 2}))
    totals = Query(read_sql("user_totals"))
    seen: list[int] = []
    failures: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                seen.append(database.fetch_one(totals, {"user_id": "me"})["plays"])
            except Exception as error:
                failures.append(error)
            time.sleep(0.002)

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        rebuild_warehouse(ctx)
    finally:
        done.set()
        for reader in readers:
            reader.join()
    after = database.fetch_one(totals, {"user_id": "me"})["plays"]
    database.close()
    assert failures == []
    assert after == 11
    assert seen
    assert set(seen) <= {9, 11}


def test_two_rebuilds_cannot_overlap(
    ctx: PipelineContext, imported: str, database_dsn: str
) -> None:
    with closing(psycopg2.connect(database_dsn)) as other:
        with other.cursor() as cur:
            cur.execute("SELECT pg_advisory_lock(%s)", (rebuild_module._REBUILD_LOCK_ID,))
        with pytest.raises(RebuildRefused, match="Another rebuild is running"):
            rebuild_warehouse(ctx)
    assert scalar(database_dsn, SCHEMAS) is None
    assert rebuild_warehouse(ctx).plays == 9  # the lock went with the other session


def test_a_rebuild_refuses_a_database_whose_search_path_names_no_schema(
    settings: Settings, database_dsn: str
) -> None:
    nowhere = make_dsn(database_dsn, options="-c search_path=nowhere")
    ctx = PipelineContext.from_settings(settings.model_copy(update={"database_url": nowhere}))
    with pytest.raises(RebuildRefused, match="No schema on the database's search path"):
        rebuild_warehouse(ctx)
    assert scalar(database_dsn, SCHEMAS) is None


def test_a_swap_that_readers_keep_waiting_gives_up_and_leaves_the_warehouse(
    ctx: PipelineContext, imported: str, database_dsn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rebuild_module, "SWAP_ATTEMPTS", 2)
    with closing(psycopg2.connect(database_dsn)) as reader, reader.cursor() as cur:
        cur.execute("SELECT count(*) FROM dim_tracks")  # holds its lock: the transaction is open
        with pytest.raises(RebuildRefused, match="still serves"):
            rebuild_warehouse(ctx)
    assert scalar(database_dsn, WAREHOUSE_SNAPSHOT) == imported


def test_objects_that_arrive_during_the_rebuild_are_built_in(
    ctx: PipelineContext, imported: str, database_dsn: str, tmp_path: Path
) -> None:
    def an_import_lands(done: int, total: int) -> None:
        if done == 1:
            _stage_unprocessed(ctx, tmp_path)

    rebuilt = rebuild_warehouse(ctx, an_import_lands)
    assert (rebuilt.raw_objects, rebuilt.plays) == (4, 11)
    assert scalar(database_dsn, PLAYS) == 11


def test_an_object_whose_content_no_longer_matches_its_key_is_set_aside(
    ctx: PipelineContext, imported: str, database_dsn: str
) -> None:
    assert isinstance(ctx.lake, LocalLake)
    key = next(key for key in ctx.lake.keys("raw/") if key.endswith("2024_1.json"))
    tampered = json.loads(ctx.lake.get(key))[:1]
    (ctx.lake.root / key).write_bytes(json.dumps(tampered).encode())

    rebuilt = rebuild_warehouse(ctx)
    (aside,) = rebuilt.set_aside
    digest = RawKey.parse(key).path.split("/")[0]
    assert aside.key == key
    assert not aside.earlier
    assert f"the key names content digest {digest}" in aside.reason
    report = json.loads(ctx.lake.get(RawKey.parse(key).quarantine_report_key))
    assert report["raw_key"] == key
    assert report["reason"] == aside.reason
    assert scalar(database_dsn, PLAYS) == 6  # none of its plays, not even the one left
    assert rebuild_warehouse(ctx).set_aside == [SetAside(key, aside.reason, earlier=True)]


def test_objects_set_aside_at_their_import_are_set_aside_again_and_say_so(
    ctx: PipelineContext, database_dsn: str, tmp_path: Path
) -> None:
    unreadable = "raw/api/user=me/recently-played/20240301T000000Z_after-0.json"
    ctx.lake.put_new(unreadable, b"{not json")
    run_pipeline(unreadable, ctx)
    one_bad_record = [record("2024-03-01T08:00:00Z", 200_000), record("yesterday", 1_000)]
    write_history(tmp_path / "export", "Streaming_History_Audio_2024_0.json", one_bad_record)
    import_export(tmp_path / "export", ctx, "me")
    stray = "raw/export/not-a-user-folder.json"
    ctx.lake.put_new(stray, b"[]")

    rebuilt = rebuild_warehouse(ctx)
    aside = {item.key: item for item in rebuilt.set_aside}
    assert aside[unreadable].earlier
    (loaded,) = (item for item in rebuilt.set_aside if item.key.startswith("raw/export/user=me"))
    assert loaded.earlier
    report = json.loads(ctx.lake.get(RawKey.parse(loaded.key).quarantine_report_key))
    assert loaded.reason == report["reason"]
    assert report["rejected_records"] == 1
    assert aside[stray] == SetAside(stray, aside[stray].reason, earlier=False)
    assert "Not a raw lake key" in aside[stray].reason
    assert len(rebuilt.set_aside) == 3
    assert scalar(database_dsn, PLAYS) == 1


def test_the_new_schema_keeps_the_live_ones_owner_and_privileges(
    postgres_server: str, tmp_path: Path
) -> None:
    """As on RDS: the database's owner, not a superuser, migrates and rebuilds; the app
    user reads and writes through the grants `ensure_app_user` gave it."""
    suffix = os.getpid()
    owner, app_user, name = f"rebuild_owner_{suffix}", f"rebuild_app_{suffix}", f"rebuild_{suffix}"
    admin_dsn = postgres_server

    def admin(statement: str) -> None:
        conn = psycopg2.connect(admin_dsn)
        conn.autocommit = True
        with closing(conn), conn.cursor() as cur:
            cur.execute(statement)

    admin(f"CREATE ROLE {owner} LOGIN")
    admin(f"CREATE ROLE {app_user} LOGIN")
    try:
        fresh_database(admin_dsn, name, migrated=False)
        admin(f"ALTER DATABASE {name} OWNER TO {owner}")
        dsn = make_dsn(admin_dsn, dbname=name, user=owner)
        with closing(psycopg2.connect(dsn)) as conn:
            apply_migrations(conn)
            ensure_app_user(conn, app_user)
        settings = Settings(home=tmp_path / "home", database_url=dsn, feature_providers=("sample",))
        ctx = PipelineContext.from_settings(settings)
        import_export(_history(tmp_path), ctx, "me")
        privileges = """
            SELECT nspowner::regrole::text, nspacl::text[],
                   has_table_privilege(%(app)s, 'public.fact_plays', 'INSERT'),
                   has_table_privilege(%(app)s, 'public.loaded_objects', 'UPDATE'),
                   (SELECT defaclacl::text[] FROM pg_default_acl
                    WHERE defaclnamespace = 'public'::regnamespace)
            FROM pg_namespace WHERE nspname = 'public'
        """

        def privileges_now() -> tuple[Any, ...]:
            with closing(psycopg2.connect(dsn)) as conn, conn.cursor() as cur:
                cur.execute(privileges, {"app": app_user})
                row = cur.fetchone()
            assert row is not None
            return tuple(row)

        before = privileges_now()
        assert before[0] == "pg_database_owner"
        assert before[2:4] == (True, True)
        assert rebuild_warehouse(ctx).plays == 9
        after = privileges_now()
        assert after[0] == before[0]
        assert after[2:4] == before[2:4]
        assert sorted(after[1]) == sorted(before[1])
        assert sorted(after[4]) == sorted(before[4])
        app_dsn = make_dsn(admin_dsn, dbname=name, user=app_user)
        assert scalar(app_dsn, PLAYS) == 9  # the app user reads the new tables
    finally:
        admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin(f"DROP ROLE IF EXISTS {app_user}")
        admin(f"DROP ROLE IF EXISTS {owner}")


def test_a_connection_to_a_schema_keeps_the_options_it_was_configured_with(
    settings: Settings, database_dsn: str
) -> None:
    with_options = make_dsn(database_dsn, options="-c statement_timeout=4321")
    configured = settings.model_copy(update={"database_url": with_options})
    with closing(connect(configured, "moodify_elsewhere")) as conn, conn.cursor() as cur:
        cur.execute("SELECT current_setting('search_path'), current_setting('statement_timeout')")
        assert cur.fetchone() == ("moodify_elsewhere", "4321ms")
    assert "search_path" not in parse_dsn(with_options)["options"]
    with pytest.raises(ValueError, match="Schema name"):
        connect(configured, "public; DROP TABLE fact_plays")


# --- the command ---------------------------------------------------------------------------

runner = CliRunner()


def test_the_command_rebuilds_and_exits_0_when_nothing_is_set_aside(
    env: Path, imported: str
) -> None:
    result = runner.invoke(app, ["rebuild"])
    assert result.exit_code == 0, result.output
    assert "Replayed 3 raw objects (9 plays)" in said(result.output)
    assert "Set aside" not in result.output


def test_the_command_exits_1_and_lists_what_it_set_aside(
    env: Path, ctx: PipelineContext, imported: str
) -> None:
    unreadable = "raw/api/user=me/recently-played/20240301T000000Z_after-0.json"
    ctx.lake.put_new(unreadable, b"{not json")
    run_pipeline(unreadable, ctx)
    result = runner.invoke(app, ["rebuild"])
    assert result.exit_code == 1, result.output
    output = said(result.output)
    assert "Set aside 1 raw object(s)" in output
    assert f"{unreadable}: " in result.output  # whole, on one line
    assert "already set aside before this rebuild, for the same reason" in output
    assert "Replayed 4 raw objects (9 plays)" in output


def test_the_command_refuses_while_another_rebuild_runs(
    env: Path, imported: str, database_dsn: str
) -> None:
    with closing(psycopg2.connect(database_dsn)) as other, other.cursor() as cur:
        cur.execute("SELECT pg_advisory_lock(%s)", (rebuild_module._REBUILD_LOCK_ID,))
        result = runner.invoke(app, ["rebuild"])
    assert result.exit_code == 2, result.output
    assert "Another rebuild is running" in said(result.output)
