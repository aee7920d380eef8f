"""How fast each dashboard page's API answers, on the demo's listening history.

Generates the demo's history (about 36,000 plays over two and a half years, as `make demo`
does; `--plays N` for another size), imports it through the real import path into a fresh
embedded PostgreSQL, and times every GET endpoint each page calls, in-process (the FastAPI
app and its queries, no network), over all time and over the history's last four weeks:
the median and the 95th percentile of `--repeat` requests each. Measured side by side: the
listening totals and the top tracks both from the rollups (the queries the API runs) and
straight from `fact_plays` (the queries it ran before the rollups), and their ratio.

    python bench/explore_endpoints.py [--plays N] [--repeat N]

The last line prints the figures as name=value pairs.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

import psycopg2
from fastapi.testclient import TestClient

from api.app import create_app
from api.db import load_query
from bench.import_history import fresh_database, generate, in_child, run_import
from bench.stats import p50_p95
from etl.core.settings import Settings
from moodify.database import embedded_server_url

DEMO_PLAYS = 36_000  # what `make demo` generates: two and a half years
USER = "bench"  # the user bench/import_history.py imports as

# The queries Moodify ran before the rollups: each request scanned the user's plays.
SCAN_SUMMARY = """
WITH plays AS (
    SELECT track_id, episode_id, ms_played, started_at
    FROM fact_plays
    WHERE user_id = %(user_id)s
      AND started_at >= coalesce((%(from)s::date)::timestamp AT TIME ZONE %(tz)s, '-infinity')
      AND started_at < coalesce((%(to)s::date + 1)::timestamp AT TIME ZONE %(tz)s, 'infinity')
), totals AS (
    SELECT count(*) AS plays, coalesce(sum(ms_played), 0) AS listening_ms,
           count(DISTINCT track_id) AS distinct_tracks,
           count(DISTINCT episode_id) AS distinct_episodes,
           min(started_at) AS first_played_at, max(started_at) AS last_played_at
    FROM plays
), artists AS (
    SELECT count(DISTINCT ta.artist_id) AS distinct_artists
    FROM (SELECT DISTINCT track_id FROM plays WHERE track_id IS NOT NULL) AS t
    JOIN track_artists AS ta USING (track_id)
)
SELECT totals.*, artists.distinct_artists FROM totals, artists
"""
SCAN_TOP_TRACKS = """
WITH per_track AS (
    SELECT track_id, count(*) AS plays, sum(ms_played) AS listening_ms
    FROM fact_plays
    WHERE user_id = %(user_id)s
      AND track_id IS NOT NULL
      AND started_at >= coalesce((%(from)s::date)::timestamp AT TIME ZONE %(tz)s, '-infinity')
      AND started_at < coalesce((%(to)s::date + 1)::timestamp AT TIME ZONE %(tz)s, 'infinity')
    GROUP BY track_id
), top AS (
    SELECT row_number() OVER (ORDER BY p.listening_ms DESC, p.plays DESC, t.name, t.track_id)
               AS rank,
           t.track_id, t.name, t.album_id, p.plays, p.listening_ms
    FROM per_track AS p JOIN dim_tracks AS t USING (track_id)
    ORDER BY rank
    LIMIT %(limit)s
)
SELECT top.*, ARRAY(SELECT a.name FROM track_artists AS ta JOIN dim_artists AS a USING (artist_id)
                    WHERE ta.track_id = top.track_id ORDER BY ta.position) AS artists,
       al.name AS album, al.image_url
FROM top LEFT JOIN dim_albums AS al USING (album_id)
ORDER BY top.rank
"""


def page_requests(client: TestClient, last_day: date) -> dict[str, list[str]]:
    """Each page's GET requests with the parameters the page sends (all time)."""

    def first(path: str, key: str) -> str:
        answer = client.get(f"/api/v1/{path}", params={"limit": 1}).json()
        return quote(str(answer["items"][0][key]), safe="")

    return {
        "overview": ["summary", "top_tracks?limit=10", "top_artists?limit=10"],
        "listening": [
            "clock",
            "top_tracks?limit=25",
            "top_artists?limit=25",
            "top_albums?limit=25",
            "top_shows?limit=25",
            "top_audiobooks?limit=25",
        ],
        "recent": ["recent?limit=50"],
        "habits": ["sessions", "streaks", "discoveries?kind=track", "discoveries?kind=artist"],
        "recap": [f"recap?year={last_day.year}"],
        "playback": ["skips?by=track", "skips?by=artist", "devices"],
        "podcasts": ["podcasts"],
        "mood": ["mood/calendar", "mood/trends"],
        "search": ["search?q=the&limit=10"],
        "track": [f"tracks/{first('top_tracks', 'track_id')}"],
        "artist": [f"artists/{first('top_artists', 'artist_id')}"],
        "album": [f"albums/{first('top_albums', 'album_id')}"],
        "show": [f"shows?name={first('top_shows', 'name')}"],
    }


def percentiles(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and 95th percentile of `repeat` runs, in milliseconds (after one warm-up)."""
    run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return p50_p95(times)


def request(client: TestClient, path: str, period: dict[str, str]) -> Callable[[], object]:
    endpoint, _, query = path.partition("?")
    # A range given to a year's recap would contradict it: the recap keeps its year.
    ranged = not endpoint.startswith(("recap", "mood/calendar"))
    params = dict(parse_qsl(query)) | (period if ranged else {})

    def run() -> object:
        response = client.get(f"/api/v1/{endpoint}", params=params)
        assert response.status_code == 200, f"{path}: {response.status_code} {response.text}"
        return response

    return run


def sql(dsn: str, query: str, params: dict[str, Any]) -> Callable[[], object]:
    conn = psycopg2.connect(dsn)
    conn.set_session(readonly=True, autocommit=True)

    def run() -> object:
        with conn.cursor() as cur:
            cur.execute(query, params)
            return cur.fetchall()

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plays", type=int, default=DEMO_PLAYS)
    parser.add_argument("--repeat", type=int, default=20)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        export = in_child(generate, root / "export", arguments.plays)
        dsn = fresh_database(embedded_server_url(root / "pgdata"), "explore_bench")
        in_child(run_import, str(root / "home"), dsn, export)
        settings = Settings(home=root / "home", database_url=dsn, user_id=USER)
        with TestClient(create_app(settings)) as client:
            summary = client.get("/api/v1/summary").json()
            last_day = date.fromisoformat(summary["last_played_at"][:10])
            four_weeks = {"from": str(last_day - timedelta(days=27)), "to": str(last_day)}
            rows: list[tuple[str, str, str, float, float]] = []
            for page, paths in page_requests(client, last_day).items():
                for path in paths:
                    for label, period in (("all time", {}), ("4 weeks", four_weeks)):
                        p50, p95 = percentiles(request(client, path, period), arguments.repeat)
                        rows.append((page, path.split("?")[0], label, p50, p95))

        scope = {"user_id": USER, "tz": "UTC", "from": None, "to": None, "limit": 10}
        rollup = {"by": "listening_time", "offset": 0}
        side_by_side = {
            "summary": (
                percentiles(sql(dsn, load_query("summary"), scope), arguments.repeat)[0],
                percentiles(sql(dsn, SCAN_SUMMARY, scope), arguments.repeat)[0],
            ),
            "top_tracks": (
                percentiles(sql(dsn, load_query("top_tracks"), scope | rollup), arguments.repeat)[
                    0
                ],
                percentiles(sql(dsn, SCAN_TOP_TRACKS, scope), arguments.repeat)[0],
            ),
        }

    print(f"{summary['plays']:,} plays from {summary['first_played_at'][:10]} to {last_day}")
    print(f"{'page':<10} {'endpoint':<24} {'range':<9} {'p50 ms':>8} {'p95 ms':>8}")
    for page, endpoint, label, p50, p95 in rows:
        print(f"{page:<10} {endpoint:<24} {label:<9} {p50:>8.1f} {p95:>8.1f}")
    for name, (from_rollup, from_scan) in side_by_side.items():
        print(
            f"{name} (all time, SQL alone): {from_rollup:.1f} ms from the rollups, "
            f"{from_scan:.1f} ms scanning fact_plays, {from_scan / from_rollup:.1f}x"
        )
    worst = max(rows, key=lambda row: row[4])
    ratios = " ".join(
        f"{name}_speedup_vs_scan={scan / rolled:.2f}"
        for name, (rolled, scan) in side_by_side.items()
    )
    print(
        f"plays={summary['plays']} endpoints={len({row[1] for row in rows})} "
        f"worst_p95_ms={worst[4]:.1f} worst_endpoint={worst[1]} {ratios}"
    )


if __name__ == "__main__":
    main()
