"""How long `moodify rebuild` takes on a large warehouse, and what readers see meanwhile.

Imports a generated export (325,000 plays by default, a 12-year history) into a fresh
embedded PostgreSQL, then rebuilds the warehouse from the lake, side by side, alternating,
the best of two each:

- the baseline: the rebuild as it was, emptying the live warehouse (TRUNCATE) and
  replaying every raw object into it;
- the rebuild: built into its own schema, each export object checked against its key's
  digest, swapped in within one transaction.

A reader counts the plays every 50 ms during each run, as the dashboard would: the figures
say how many of its answers were neither the old total nor the new one.

    python bench/rebuild.py [--plays N]

The last line prints the figures as name=value pairs.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psycopg2

from bench.import_history import fresh_database, generate, in_child, run_import, settle
from etl.core.settings import Settings
from etl.pipeline.context import PipelineContext
from etl.pipeline.rebuild import rebuild_warehouse
from etl.pipeline.steps import run_steps
from etl.pipeline.transform import in_pipeline_order
from etl.warehouse.load import refresh_stale_aggregates, store_enrichment
from moodify.database import embedded_server_url

ROUNDS = 2
READ_EVERY_S = 0.05


def truncate_and_replay(ctx: PipelineContext) -> None:
    """The baseline: the rebuild before it built aside (etl/pipeline/rebuild.py as of b431a39~1)."""
    with ctx.database() as conn, conn, conn.cursor() as cur:
        cur.execute(
            "SELECT string_agg(format('%I', tablename), ', ') FROM pg_tables "
            "WHERE schemaname = 'public' AND tablename <> 'schema_migrations'"
        )
        row = cur.fetchone()
        assert row is not None
        cur.execute(f"TRUNCATE {row[0]}")
    for key in in_pipeline_order(sorted(ctx.lake.keys("raw/"))):
        run_steps({"raw_key": key}, ctx, ("transform", "load"))
    with ctx.database() as conn:
        for key in sorted(ctx.lake.keys("enrichment/results/")):
            store_enrichment(conn, json.loads(ctx.lake.get(key)))
        refresh_stale_aggregates(conn)


def timed_with_a_reader(
    dsn: str, run: Callable[[PipelineContext], object], ctx: PipelineContext
) -> tuple[float, list[int]]:
    """Seconds `run` took, and the play counts a reader saw meanwhile."""
    seen: list[int] = []
    done = threading.Event()

    def read() -> None:
        conn = psycopg2.connect(dsn)
        conn.autocommit = True
        with conn.cursor() as cur:
            while not done.wait(READ_EVERY_S):
                cur.execute("SELECT count(*) FROM fact_plays")
                row = cur.fetchone()
                assert row is not None
                seen.append(int(row[0]))
        conn.close()

    reader = threading.Thread(target=read)
    reader.start()
    started = time.perf_counter()
    try:
        run(ctx)
    finally:
        seconds = time.perf_counter() - started
        done.set()
        reader.join()
    return seconds, seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plays", type=int, default=325_000)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        export = in_child(generate, root / "export", arguments.plays)
        server = embedded_server_url(root / "pgdata")
        dsn = fresh_database(server, "rebuild_bench")
        imported = in_child(run_import, str(root / "home"), dsn, export)
        settings = Settings(home=root / "home", database_url=dsn, feature_providers=("sample",))
        ctx = PipelineContext.from_settings(settings)
        plays = imported["inserted"]

        best = {"baseline": float("inf"), "rebuild": float("inf")}
        partial = {"baseline": 0, "rebuild": 0}  # answers that were neither total
        reads = {"baseline": 0, "rebuild": 0}
        for _ in range(ROUNDS):
            for name, run in (("baseline", truncate_and_replay), ("rebuild", rebuild_warehouse)):
                settle(server)
                seconds, seen = timed_with_a_reader(dsn, run, ctx)
                best[name] = min(best[name], seconds)
                partial[name] += sum(count != plays for count in seen)
                reads[name] += len(seen)
        with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM fact_plays")
            assert cur.fetchone() == (plays,), "a rebuild gave other numbers than the import"

    ratio = best["rebuild"] / best["baseline"]
    print(f"export:    {export['plays']:,} plays in {export['files']} files")
    print(f"import:    {imported['seconds']:.1f} s")
    for name in ("baseline", "rebuild"):
        print(
            f"{name + ':':<10} {best[name]:.1f} s (best of {ROUNDS}); a reader saw a partial "
            f"warehouse in {partial[name]} of {reads[name]} reads"
        )
    print(
        f"plays={plays} import_s={imported['seconds']:.2f} baseline_s={best['baseline']:.2f} "
        f"rebuild_s={best['rebuild']:.2f} rebuild_vs_baseline={ratio:.2f} "
        f"baseline_partial_reads={partial['baseline']}/{reads['baseline']} "
        f"rebuild_partial_reads={partial['rebuild']}/{reads['rebuild']}"
    )


if __name__ == "__main__":
    main()
