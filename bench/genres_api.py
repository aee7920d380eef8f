"""How fast the genres' endpoints answer at twelve years' size, beside the same requests
answered straight from `fact_plays`.

Generates one listener's 12-year Extended Streaming History (325,000 plays by default, the
busy listener of bench/api_latency.py; `--plays N` scales it), imports it through the real
import path into a fresh embedded PostgreSQL, and gives three artists in four a genre or
two (as the enrich step leaves them: raw genres mapped to parents), the others none. Then
times, in-process (the FastAPI app and its queries, no network, the answer cache off so
that every request computes its answer), `/genres/top` (by time and by plays),
`/genres/trend` and `/providers` over all time, the last twelve months and the last four
weeks: the median and 95th percentile of `--repeat` requests each, from the rollups (what
the API runs) and from the `scan` schema (views named like the rollups, computed from
`fact_plays` on every read), whose answers must be equal. Prints the rollups' query plans'
execution times for the all-time requests (EXPLAIN ANALYZE).

    python bench/genres_api.py [--plays N] [--repeat N]

The last line prints the figures as name=value pairs.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg2
from fastapi.testclient import TestClient

from api.app import create_app
from api.db import load_query
from bench.import_history import fresh_database, generate, in_child, run_import
from bench.stats import p50_p95
from etl.core.settings import Settings
from etl.warehouse.scan import create_scan_schema, scan_database_url
from moodify.database import embedded_server_url

USER = "bench"
YEARS = 12
# Raw genres and their parent genres, handed round the artists (every fifth has two).
GENRES = [
    ("indie folk", "Folk"), ("synthpop", "Pop"), ("deep house", "Electronic"),
    ("alternative rock", "Rock"), ("neo soul", "R&B"), ("bebop", "Jazz"),
    ("trap", "Hip hop"), ("bossa nova", "Latin"), ("ambient", "Electronic"),
]  # fmt: skip
GIVE_GENRES = """
INSERT INTO artist_genres (artist_id, genre, parent_genre, provider, fetched_at)
SELECT a.artist_id, g.genre, g.parent_genre, 'musicbrainz', now()
FROM (SELECT artist_id, row_number() OVER (ORDER BY artist_id) AS n FROM dim_artists) AS a
JOIN unnest(%(genres)s::text[], %(parents)s::text[])
     WITH ORDINALITY AS g(genre, parent_genre, place)
  ON g.place = 1 + a.n %% %(count)s OR (a.n %% 5 = 0 AND g.place = 1 + (a.n + 3) %% %(count)s)
WHERE a.n %% 4 <> 0
ON CONFLICT DO NOTHING
"""
PATHS = [
    ("/api/v1/genres/top", {}),
    ("/api/v1/genres/top", {"by": "plays"}),
    ("/api/v1/genres/trend", {}),
]


def give_genres(dsn: str) -> int:
    """Genres for three artists in four; how many artists have one."""
    with closing(psycopg2.connect(dsn)) as conn, conn, conn.cursor() as cur:
        cur.execute(
            GIVE_GENRES,
            {
                "genres": [genre for genre, _ in GENRES],
                "parents": [parent for _, parent in GENRES],
                "count": len(GENRES),
            },
        )
        cur.execute("ANALYZE artist_genres")
        cur.execute("SELECT count(DISTINCT artist_id) FROM artist_genres")
        return int(cur.fetchone()[0])  # type: ignore[index]


def last_day(dsn: str) -> date:
    with closing(psycopg2.connect(dsn)) as conn, conn.cursor() as cur:
        cur.execute("SELECT max(day) FROM agg_daily_items WHERE user_id = %s", (USER,))
        day: date = cur.fetchone()[0]  # type: ignore[index]
        return day


def requests_of(last: date) -> list[tuple[str, str, dict[str, str]]]:
    """Every timed request: (range's name, path, parameters)."""
    ranges = {
        "all time": {},
        "12 months": {"from": str(last - timedelta(days=364)), "to": str(last)},
        "4 weeks": {"from": str(last - timedelta(days=27)), "to": str(last)},
    }
    timed = [
        (name, path, {**params, **period})
        for name, period in ranges.items()
        for path, params in PATHS
    ]
    return [*timed, ("all time", "/api/v1/providers", {})]


def timed(client: TestClient, path: str, params: dict[str, str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path, params=params)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text
    return times


def plans(dsn: str, last: date) -> dict[str, float]:
    """The execution time (ms) of the rollups' plans for the all-time and 12-month reads."""
    found: dict[str, float] = {}
    reads: list[tuple[str, str, dict[str, object]]] = [
        ("top", "genres_top", {"by": "listening_time", "raw_limit": 5}),
        ("trend", "genres_trend", {"granularity": "month"}),
    ]
    periods: list[tuple[str, dict[str, object]]] = [
        ("all_time", {"from": None, "to": None}),
        ("12_months", {"from": last - timedelta(days=364), "to": last}),
    ]
    with closing(psycopg2.connect(dsn)) as conn, conn.cursor() as cur:
        cur.execute("SELECT time_zone FROM users WHERE user_id = %s", (USER,))
        (tz,) = cur.fetchone()  # type: ignore[misc]
        for name, query, params in reads:
            for period, bounds in periods:
                values = {"user_id": USER, "tz": tz, **bounds, **params}
                cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + load_query(query), values)
                plan: Any = cur.fetchone()[0]  # type: ignore[index]
                found[f"{name}_{period}"] = float(plan[0]["Execution Time"])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plays", type=int, default=325_000)
    parser.add_argument("--repeat", type=int, default=7)
    arguments = parser.parse_args()
    # The import's enrich step asks no one outside this machine (the children inherit it).
    os.environ["MOODIFY_MUSICBRAINZ_CALL_BUDGET"] = "0"
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        server = embedded_server_url(root / "pgdata")
        dsn = fresh_database(server, "genres_api")
        years = YEARS * arguments.plays / 325_000
        export = in_child(generate, root / "export", arguments.plays, years=years)
        imported = in_child(run_import, str(root / "home"), dsn, export, USER)
        print(f"imported {imported['inserted']:,} plays over {years:.1f} years "
              f"in {imported['seconds']:.0f} s")  # fmt: skip
        with_genres = give_genres(dsn)
        with closing(psycopg2.connect(dsn)) as conn:
            create_scan_schema(conn)
        last = last_day(dsn)
        settings = Settings(home=root / "home", database_url=dsn, user_id=USER, api_cache_mb=0)
        scan = settings.model_copy(update={"database_url": scan_database_url(dsn)})
        rows = []
        with TestClient(create_app(settings)) as rollups, TestClient(create_app(scan)) as scanned:
            for name, path, params in requests_of(last):
                answer = rollups.get(path, params=params).json()
                same = answer == scanned.get(path, params=params).json()
                fast = p50_p95(timed(rollups, path, params, arguments.repeat))
                slow = p50_p95(timed(scanned, path, params, max(2, arguments.repeat // 3)))
                rows.append((name, path, params.get("by", ""), fast, slow, same))
        print(f"{'range':<10} {'request':<24} {'p50 ms':>8} {'p95 ms':>8} {'scan p50':>9}  equal")
        for name, path, by, fast, slow, same in rows:
            request = path.removeprefix("/api/v1/") + (f" by {by}" if by else "")
            print(f"{name:<10} {request:<24} {fast[0] * 1000:8.1f} {fast[1] * 1000:8.1f} "
                  f"{slow[0] * 1000:9.1f}  {same}")  # fmt: skip
        executions = plans(dsn, last)
        print(
            "plans (EXPLAIN ANALYZE, ms):", ", ".join(f"{k}={v:.1f}" for k, v in executions.items())
        )
    worst_p95 = max(fast[1] for *_, fast, _, _ in rows) * 1000
    speedup = sum(slow[0] for *_, slow, _ in rows) / sum(fast[0] for *_, fast, _, _ in rows)
    differ = sum(not same for *_, same in rows)
    print(
        f"plays={imported['inserted']} artists_with_genres={with_genres} requests={len(rows)} "
        f"worst_p95_ms={worst_p95:.1f} speedup_vs_scan={speedup:.1f} scan_differs={differ} "
        + " ".join(f"plan_{k}_ms={v:.1f}" for k, v in executions.items())
    )


if __name__ == "__main__":
    main()
