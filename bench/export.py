"""What exporting a twelve-year history costs: time and peak memory of the plays export as
CSV and as Parquet, beside a naive export measured in the same run.

Fills a fresh embedded PostgreSQL with `--plays` plays (1,000,000 by default) of one user
over twelve years, written by SQL: 20,000 tracks on 2,000 albums by 5,000 artists (a
second artist on every third track), one play in ten an episode of 500, platforms and
countries varied, and three exclusion rules (an artist, nights 01:00-07:00, plays under
30 s) so that `excluded` is computed as it is for a real user. Then, in turns, `--rounds`
times each, every way exports all the plays to a file in a fresh interpreter:

- `csv`: `etl.warehouse.export.write_plays_csv` (COPY ... TO STDOUT);
- `parquet`: `write_plays_parquet` (that CSV, read back by pyarrow block by block);
- `baseline`: the naive export: the same query's rows fetched at once (`fetchall`) and
  written with the csv module.

Each prints its time (best of the rounds) and its peak memory growth (VmHWM less the RSS
before the export, the largest of the rounds), and the file's size.

    python bench/export.py [--plays N] [--rounds N]

The last line prints the figures as name=value pairs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

import psycopg2

from bench.import_history import fresh_database
from moodify.database import embedded_server_url

REPO_ROOT = Path(__file__).resolve().parents[1]
USER = "bench"
TIME_ZONE = "Europe/Berlin"
WAYS = ("csv", "parquet", "baseline")

# One export in a fresh interpreter: its seconds and its peak memory growth, as JSON.
_CHILD = """
import csv, json, sys, time
import psycopg2
from etl.warehouse import export
from etl.warehouse.load import read_sql

def rss(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) / 1024

dsn, way, path, user, zone = sys.argv[1:]
conn = psycopg2.connect(dsn)
conn.set_session(readonly=True, isolation_level="REPEATABLE READ")
params = export.plays_params(user, zone, None, None)
import pyarrow.parquet  # loaded before measuring: the library is not the rows
before = rss("VmRSS")
started = time.perf_counter()
if way == "baseline":
    with conn.cursor() as cur:
        cur.execute(read_sql("export_plays"), params)
        rows = cur.fetchall()
    with open(path, "w", encoding="utf-8", newline="") as text:
        writer = csv.writer(text)
        writer.writerow(column.name for column in export.PLAYS_COLUMNS)
        writer.writerows(rows)
else:
    with open(path, "wb") as out:
        write = export.write_plays_csv if way == "csv" else export.write_plays_parquet
        write(conn, params, out)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "growth_mb": rss("VmHWM") - before}))
"""

_SEED = """
INSERT INTO users (user_id, time_zone) VALUES (%(user)s, %(zone)s);
INSERT INTO dim_artists (artist_id, name)
SELECT 'artist' || n, 'Artist Nº ' || n FROM generate_series(1, 5000) AS n;
INSERT INTO dim_albums (album_id, name)
SELECT 'album' || n, 'Album « ' || n || ' »' FROM generate_series(1, 2000) AS n;
INSERT INTO dim_tracks (track_id, name, album_id, duration_ms)
SELECT 'track' || n, 'Track ' || n || ', a song', 'album' || (n %% 2000 + 1), 200000
FROM generate_series(1, 20000) AS n;
INSERT INTO track_artists (track_id, position, artist_id)
SELECT 'track' || n, 0, 'artist' || (n %% 5000 + 1) FROM generate_series(1, 20000) AS n
UNION ALL
SELECT 'track' || n, 1, 'artist' || ((n * 7) %% 5000 + 1)
FROM generate_series(1, 20000) AS n WHERE n %% 3 = 0;
INSERT INTO dim_episodes (episode_id, name, show_name)
SELECT 'episode' || n, 'Episode ' || n, 'Show ' || (n %% 40) FROM generate_series(1, 500) AS n;
INSERT INTO loaded_objects (lake_key) VALUES ('raw/bench');
INSERT INTO fact_plays (user_id, source, started_at, ended_at, track_id, episode_id,
                        ms_played, reason_start, reason_end, skipped, shuffle, offline,
                        incognito, platform, conn_country, object_id)
SELECT %(user)s, 'export', at, at + ms * interval '1 millisecond',
       CASE WHEN n %% 10 <> 0 THEN 'track' || ((n * 13) %% 20000 + 1) END,
       CASE WHEN n %% 10 = 0 THEN 'episode' || (n %% 500 + 1) END,
       ms, 'clickrow', 'trackdone', ms < 30000, n %% 2 = 0, n %% 17 = 0, n %% 50 = 0,
       (ARRAY['android', 'ios', 'Windows 10 (10.0.17763; x64)',
              'Android OS 9 API 28 (samsung, SM-G960F)'])[n %% 4 + 1],
       (ARRAY['DE', 'FR', 'US'])[n %% 3 + 1],
       (SELECT object_id FROM loaded_objects)
FROM generate_series(1, %(plays)s) AS n,
     LATERAL (SELECT timestamptz '2014-01-01' + n * (interval '12 years' / %(plays)s)
                     AS at, (n::bigint * 7919) %% 300000 + 5000 AS ms) AS play;
INSERT INTO exclusion_rules (user_id, kind, item_id, daily_from, daily_to, min_seconds,
                             created_at, updated_at)
VALUES (%(user)s, 'artist', 'artist1', NULL, NULL, NULL, now(), now()),
       (%(user)s, 'daily', NULL, '01:00', '07:00', NULL, now(), now()),
       (%(user)s, 'shorter_than', NULL, NULL, NULL, 30, now(), now());
ANALYZE;
"""


def seed(dsn: str, plays: int) -> None:
    with closing(psycopg2.connect(dsn)) as conn, conn, conn.cursor() as cur:
        cur.execute(_SEED, {"user": USER, "zone": TIME_ZONE, "plays": plays})


def export_once(dsn: str, way: str, path: Path) -> tuple[float, float]:
    """One export by `way` to `path` in a fresh interpreter: (seconds, peak growth in MB)."""
    ran = subprocess.run(
        [sys.executable, "-c", _CHILD, dsn, way, str(path), USER, TIME_ZONE],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
    )
    if ran.returncode != 0:
        raise RuntimeError(f"the {way} export failed:\n{ran.stderr}")
    figures = json.loads(ran.stdout)
    return float(figures["seconds"]), float(figures["growth_mb"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plays", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="moodify-bench-export-") as temp:
        folder = Path(temp)
        dsn = fresh_database(embedded_server_url(folder / "pgdata"), "bench_export")
        print(f"seeding {args.plays:,} plays …", flush=True)
        seed(dsn, args.plays)
        seconds: dict[str, list[float]] = {way: [] for way in WAYS}
        growth: dict[str, list[float]] = {way: [] for way in WAYS}
        sizes: dict[str, int] = {}
        for _ in range(args.rounds):
            for way in WAYS:
                path = folder / f"plays.{way}"
                took, grew = export_once(dsn, way, path)
                seconds[way].append(took)
                growth[way].append(grew)
                sizes[way] = path.stat().st_size
                path.unlink()
    best = {way: min(seconds[way]) for way in WAYS}
    peak = {way: max(growth[way]) for way in WAYS}
    print(f"{'way':<10}{'seconds':>10}{'peak MB':>10}{'file MB':>10}")
    for way in WAYS:
        print(f"{way:<10}{best[way]:>10.2f}{peak[way]:>10.0f}{sizes[way] / 2**20:>10.1f}")
    figures = {
        "plays": args.plays,
        "csv_s": round(best["csv"], 2),
        "parquet_s": round(best["parquet"], 2),
        "baseline_s": round(best["baseline"], 2),
        "csv_peak_mb": round(peak["csv"]),
        "parquet_peak_mb": round(peak["parquet"]),
        "baseline_peak_mb": round(peak["baseline"]),
        "csv_mb": round(sizes["csv"] / 2**20, 1),
        "parquet_mb": round(sizes["parquet"] / 2**20, 1),
        "csv_speedup_vs_baseline": round(best["baseline"] / best["csv"], 1),
        "parquet_speedup_vs_baseline": round(best["baseline"] / best["parquet"], 1),
        "parquet_memory_vs_baseline": round(peak["parquet"] / peak["baseline"], 3),
    }
    print(" ".join(f"{name}={value}" for name, value in figures.items()))


if __name__ == "__main__":
    main()
