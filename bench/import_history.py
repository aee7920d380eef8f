"""How fast a whole Extended Streaming History imports, end to end.

Generates an export (325,000 plays by default: the size of a 12-year history, about
300 MB of JSON) and imports it with `moodify import`'s code path into a fresh embedded
PostgreSQL: sanitise, lake, transform, COPY + upsert load, enrichment, aggregates. Measured
side by side in the same run:

- the floor: COPY of the same curated rows into an unindexed table, against the load
  step alone over the same rows (each uncontended: after a checkpoint, with no autovacuum
  running; alternating, the best of two each);
- a row-by-row baseline: one INSERT per play into a table indexed like `fact_plays`
  (timed on the first `--baseline-rows` plays, compared as plays per second);
- peak memory of the import, at full size and at a quarter of it (the import streams one
  file at a time, so it should not grow with the export).

    python bench/import_history.py [--plays N]

The last line prints the figures as name=value pairs.
"""

from __future__ import annotations

import argparse
import csv
import io
import multiprocessing
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg2

from etl.core.keys import SAMPLE_CATALOG_KEY
from etl.core.lake import LocalLake
from etl.core.settings import Settings
from etl.imports.importer import import_export
from etl.pipeline import steps
from etl.pipeline.context import PipelineContext
from etl.warehouse.load import load_curated_plays
from etl.warehouse.migrate import apply_migrations
from moodify.database import embedded_server_url
from moodify.demo.sample import generate_sample_export

PLAYS_PER_YEAR = 14_300  # what the sample listener plays in a year
PLAYS_PER_FILE = 16_000  # Spotify's files hold about 12 MB each
ROUNDS = 2  # the floor and the load are each timed this many times, alternating


def generate(
    out_dir: Path,
    plays: int,
    *,
    years: float | None = None,
    seed: int = 7,
    time_zone: str = "Europe/Berlin",
) -> dict[str, Any]:
    """About `plays` plays from the sample listener: over as many years as that listener
    needs for them, or over `years` by a busier (or quieter) listener."""
    intensity = 1.0 if years is None else plays / (years * PLAYS_PER_YEAR)
    sample = generate_sample_export(
        out_dir,
        seed=seed,
        years=years or plays / PLAYS_PER_YEAR,
        time_zone=time_zone,
        plays_per_file=PLAYS_PER_FILE,
        intensity=intensity,
    )
    size = sum(path.stat().st_size for path in sample.files)
    return {"plays": sample.plays, "files": len(sample.files), "bytes": size,
            "features": str(sample.features_path), "dir": str(sample.files[0].parent)}  # fmt: skip


def run_import(
    home: str, dsn: str, export: dict[str, Any], user_id: str = "bench", time_zone: str = "UTC"
) -> dict[str, Any]:
    """One import, in a fresh process so that its peak memory is its own."""
    settings = Settings(
        home=Path(home), database_url=dsn, feature_providers=("sample",), time_zone=time_zone
    )
    ctx = PipelineContext.from_settings(settings)
    ctx.lake.put(SAMPLE_CATALOG_KEY, Path(export["features"]).read_bytes())
    step_seconds = dict.fromkeys(steps.STEP_FUNCTIONS, 0.0)
    for name, function in list(steps.STEP_FUNCTIONS.items()):
        steps.STEP_FUNCTIONS[name] = _timed(function, name, step_seconds)
    started = time.perf_counter()
    report = import_export(Path(export["dir"]), ctx, user_id)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "inserted": report.plays_inserted, "peak_mb": peak_mb,
            "steps": step_seconds}  # fmt: skip


def _timed(function: Any, name: str, totals: dict[str, float]) -> Any:
    def timed(state: steps.State, ctx: PipelineContext) -> steps.State:
        started = time.perf_counter()
        try:
            return function(state, ctx)
        finally:
            totals[name] += time.perf_counter() - started

    return timed


def in_child(function: Any, *args: Any, **kwargs: Any) -> Any:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args, kwargs)


def fresh_database(server: str, name: str) -> str:
    admin = psycopg2.connect(server)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cur.execute(f"CREATE DATABASE {name}")
    admin.close()
    dsn = psycopg2.extensions.make_dsn(server, dbname=name)
    conn = psycopg2.connect(dsn)
    apply_migrations(conn)
    conn.close()
    return dsn


def curated_rows(lake_dir: Path) -> tuple[bytes, list[list[str]]]:
    """Every curated CSV of the import as one COPY body, and its rows."""
    header: str | None = None
    rows: list[list[str]] = []
    for key in LocalLake(lake_dir).keys("curated/plays/"):
        lines = (lake_dir / key).read_text().splitlines()
        header = lines[0]
        rows.extend(csv.reader(lines[1:]))
    assert header is not None
    buffer = io.StringIO()
    buffer.write(header + "\n")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode(), rows


def warehouse_load(dsn: str, lake_dir: Path) -> float:
    """The load step alone over every curated object, uncontended: what the floor bounds."""
    lake = LocalLake(lake_dir)
    conn = psycopg2.connect(dsn)
    started = time.perf_counter()
    for key in lake.keys("curated/plays/"):
        load_curated_plays(conn, lake.get(key), user_id="bench", time_zone="UTC", lake_key=key)
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def settle(server: str) -> None:
    """Let the server finish what earlier steps left it (dirty pages, autovacuum of the
    imported tables), so that what is timed next runs uncontended."""
    conn = psycopg2.connect(server)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("CHECKPOINT")
        for _ in range(600):
            cur.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
            )
            if cur.fetchone() == (0,):
                break
            time.sleep(0.1)
    conn.close()


def copy_floor(dsn: str, body: bytes) -> float:
    """COPY of the same rows into an unindexed table: the fastest a load can be."""
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("CREATE TEMP TABLE floor (LIKE fact_plays INCLUDING DEFAULTS)")
        cur.execute(
            "CREATE TEMP TABLE floor_rows (source text, started_at timestamptz, ended_at "
            "timestamptz, ms_played int, track_id text, track_name text, album_id text, "
            "album_name text, album_release_date text, album_release_date_precision text, "
            "album_image_url text, duration_ms int, explicit bool, isrc text, artists jsonb, "
            "episode_id text, episode_name text, show_name text, reason_start text, "
            "reason_end text, skipped bool, shuffle bool, offline bool, incognito bool, "
            "platform text, conn_country text, episode_kind text)"
        )
        started = time.perf_counter()
        cur.copy_expert(
            "COPY floor_rows FROM STDIN WITH (FORMAT csv, HEADER true, NULL '\\N')",
            io.BytesIO(body),
        )
        return time.perf_counter() - started


def row_by_row(dsn: str, rows: list[list[str]]) -> float:
    """One INSERT per play into a table indexed like fact_plays: plays per second."""
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(
            "CREATE TABLE baseline_plays (user_id text, source text, started_at timestamptz, "
            "ended_at timestamptz, track_id text, episode_id text, ms_played int, "
            "UNIQUE NULLS NOT DISTINCT (user_id, source, track_id, episode_id, started_at))"
        )
        cur.execute("CREATE INDEX ON baseline_plays (user_id, started_at)")
        conn.commit()
        started = time.perf_counter()
        for row in rows:
            values = [None if value == "\\N" else value for value in row]
            cur.execute(
                "INSERT INTO baseline_plays VALUES ('bench', %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT DO NOTHING",
                (values[0], values[1], values[2], values[4], values[15], values[3]),
            )
            conn.commit()  # a row-by-row importer commits each play
        seconds = time.perf_counter() - started
    return len(rows) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plays", type=int, default=325_000)
    parser.add_argument("--baseline-rows", type=int, default=20_000)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        full = in_child(generate, root / "full", arguments.plays)
        quarter = in_child(generate, root / "quarter", arguments.plays // 4)
        server = embedded_server_url(root / "pgdata")

        quarter_run = in_child(
            run_import, str(root / "home-q"), fresh_database(server, "quarter_size"), quarter
        )
        dsn = fresh_database(server, "full_size")
        settle(server)
        full_run = in_child(run_import, str(root / "home"), dsn, full)

        body, rows = curated_rows(root / "home" / "lake")
        floor_s = load_s = float("inf")
        for attempt in range(ROUNDS):  # alternating, the best of each
            settle(server)
            floor_s = min(floor_s, copy_floor(dsn, body))
            load_dsn = fresh_database(server, f"load_only_{attempt}")
            settle(server)
            load_s = min(load_s, warehouse_load(load_dsn, root / "home" / "lake"))
        baseline_dsn = fresh_database(server, "baseline")
        settle(server)
        baseline_rate = row_by_row(baseline_dsn, rows[: arguments.baseline_rows])

    plays = full["plays"]
    rate = plays / full_run["seconds"]
    print(f"export:        {plays:,} plays in {full['files']} files, {full['bytes'] / 1e6:,.0f} MB")
    print(f"import:        {full_run['seconds']:.1f} s end to end, {rate:,.0f} plays/s, "
          f"{full_run['inserted']:,} inserted")  # fmt: skip
    step_times = ", ".join(f"{name} {t:.1f} s" for name, t in full_run["steps"].items())
    print(f"steps:         {step_times} (the rest: reading, sanitising, staging)")
    print(f"floor (COPY):  {floor_s:.1f} s for the same rows into an unindexed table")
    print(f"load alone:    {load_s:.1f} s for the same rows into the warehouse (uncontended)")
    print(f"row by row:    {baseline_rate:,.0f} plays/s ({arguments.baseline_rows:,} plays timed)")
    print(f"peak memory:   {full_run['peak_mb']:.0f} MB at full size, "
          f"{quarter_run['peak_mb']:.0f} MB at a quarter")  # fmt: skip
    print(
        f"plays={plays} mb={full['bytes'] / 1e6:.0f} import_s={full_run['seconds']:.2f} "
        f"plays_per_s={rate:.0f} floor_s={floor_s:.2f} "
        f"import_vs_floor={full_run['seconds'] / floor_s:.2f} "
        f"load_s={load_s:.2f} load_vs_floor={load_s / floor_s:.2f} "
        f"baseline_plays_per_s={baseline_rate:.0f} "
        f"speedup_vs_row_by_row={rate / baseline_rate:.1f} "
        f"peak_mb={full_run['peak_mb']:.0f} peak_mb_quarter={quarter_run['peak_mb']:.0f}"
    )


if __name__ == "__main__":
    main()
