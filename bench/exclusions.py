"""What exclusion rules cost: every rollup rebuilt from the plays that count, with no rule and
with three, and the plays read straight from fact_plays beside counted_plays.

Imports a generated export (a year of plays by default) into a fresh embedded PostgreSQL,
then, side by side and alternating, the best of three each:

- the rebuild of every day of the user's rollups (`refresh_stale_aggregates` after marking
  them all stale) with no rule (the baseline), then with three rules: an artist (the most
  played), a daily window 01:00-07:00 across the user's nights, plays shorter than 30 s;
- a scan of the user's plays: `fact_plays` (the floor), `counted_plays` with no rule, with
  the three rules;
- adding one rule through `etl.warehouse.exclusions.add_rule` (its days rebuilt) and
  removing it.

It prints the plan of the counted scan with the three rules (EXPLAIN ANALYZE).

    python bench/exclusions.py [--plays N]

The last line prints the figures as name=value pairs.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg2

from bench.import_history import PLAYS_PER_YEAR, fresh_database, generate, in_child, run_import
from etl.warehouse.connection import Connection
from etl.warehouse.exclusions import Rule, add_rule, remove_rule
from etl.warehouse.load import refresh_stale_aggregates
from moodify.database import embedded_server_url

ROUNDS = 3
USER = "bench"
NOW = datetime(2030, 1, 1, tzinfo=UTC)  # the rules' created_at: any fixed instant
MARK_EVERY_DAY = """
INSERT INTO agg_stale_days (user_id, day)
SELECT DISTINCT p.user_id, (p.started_at AT TIME ZONE u.time_zone)::date
FROM fact_plays AS p JOIN users AS u USING (user_id)
ON CONFLICT DO NOTHING
"""
THREE_RULES = """
INSERT INTO exclusion_rules (user_id, kind, item_id, daily_from, daily_to, min_seconds,
                             created_at, updated_at)
VALUES (%(user)s, 'artist', %(artist)s, NULL, NULL, NULL, %(now)s, %(now)s),
       (%(user)s, 'daily', NULL, '01:00', '07:00', NULL, %(now)s, %(now)s),
       (%(user)s, 'shorter_than', NULL, NULL, NULL, 30, %(now)s, %(now)s)
"""
COUNT = "SELECT count(*), sum(ms_played) FROM {} WHERE user_id = %(user)s"


def timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def execute(
    conn: Connection, sql: str, params: dict[str, object] | None = None
) -> list[tuple[Any, ...]]:
    with conn, conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall() if cur.description else []


def rebuild_every_day(conn: Connection) -> None:
    execute(conn, MARK_EVERY_DAY)
    refresh_stale_aggregates(conn)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plays", type=int, default=PLAYS_PER_YEAR)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        export = in_child(generate, root / "export", arguments.plays)
        server = embedded_server_url(root / "pgdata")
        dsn = fresh_database(server, "exclusions")
        in_child(run_import, str(root / "home"), dsn, export, USER, "Europe/Berlin")
        conn = psycopg2.connect(dsn)
        params: dict[str, object] = {"user": USER, "now": NOW}
        ((params["artist"],),) = execute(
            conn,
            "SELECT ta.artist_id FROM agg_all_time_items AS i "
            "JOIN track_artists AS ta ON ta.track_id = i.item_id "
            "WHERE i.user_id = %(user)s AND i.kind = 'track' "
            "GROUP BY ta.artist_id ORDER BY sum(i.plays) DESC LIMIT 1",
            params,
        )
        ((plays, _),) = execute(conn, COUNT.format("fact_plays"), params)

        best: dict[str, float] = {}

        def keep(name: str, seconds: float) -> None:
            best[name] = min(best.get(name, float("inf")), seconds)

        for _ in range(ROUNDS):
            execute(conn, "DELETE FROM exclusion_rules")
            keep("rebuild_0_rules_s", timed(lambda: rebuild_every_day(conn)))
            keep(
                "scan_fact_plays_s",
                timed(lambda: execute(conn, COUNT.format("fact_plays"), params)),
            )
            keep(
                "scan_0_rules_s",
                timed(lambda: execute(conn, COUNT.format("counted_plays"), params)),
            )
            execute(conn, THREE_RULES, params)
            keep("rebuild_3_rules_s", timed(lambda: rebuild_every_day(conn)))
            keep(
                "scan_3_rules_s",
                timed(lambda: execute(conn, COUNT.format("counted_plays"), params)),
            )
        ((counted, _),) = execute(conn, COUNT.format("counted_plays"), params)
        plan = execute(
            conn, "EXPLAIN (ANALYZE, COSTS OFF) " + COUNT.format("counted_plays"), params
        )

        execute(conn, "DELETE FROM exclusion_rules")
        rebuild_every_day(conn)
        for _ in range(ROUNDS):
            started = time.perf_counter()
            rule_id = add_rule(
                conn, USER, Rule("artist", item_id=str(params["artist"])), now=NOW
            ).rule_id
            keep("add_rule_s", time.perf_counter() - started)
            assert rule_id is not None
            started = time.perf_counter()
            remove_rule(conn, USER, rule_id)
            keep("remove_rule_s", time.perf_counter() - started)
        conn.close()

    print("\n".join(row[0] for row in plan))
    print(f"plays:            {plays:,}, {counted:,} counted with the three rules")
    for name, seconds in best.items():
        print(f"{name:<18}{seconds * 1000:9.1f} ms")
    ratios = {
        "rebuild_3_vs_0": best["rebuild_3_rules_s"] / best["rebuild_0_rules_s"],
        "scan_0_vs_fact_plays": best["scan_0_rules_s"] / best["scan_fact_plays_s"],
        "scan_3_vs_fact_plays": best["scan_3_rules_s"] / best["scan_fact_plays_s"],
    }
    for name, ratio in ratios.items():
        print(f"{name:<22}{ratio:.2f}x")
    figures = {"plays": plays, "counted_3_rules": counted}
    figures |= {name: f"{seconds:.4f}" for name, seconds in best.items()}
    figures |= {name: f"{ratio:.2f}" for name, ratio in ratios.items()}
    print(" ".join(f"{name}={value}" for name, value in figures.items()))


if __name__ == "__main__":
    main()
