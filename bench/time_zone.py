"""How long a new time zone takes to save at twelve years' size: PUT /api/v1/settings re-cuts
every day of the history before it answers, and on AWS the API has 29 s to answer.

Imports a generated export (325,000 plays by default, a 12-year history, as
bench/import_history.py does) into a fresh embedded PostgreSQL, then times, side by side,
alternating, `--rounds` times each:

- the baseline: a refresh of every day of the history in the zone it already has (every
  day marked stale, then the rollups' refresh), what a full rebuild of the rollups costs;
- the change: PUT /api/v1/settings with another zone (the app in-process, as a browser's
  request reaches it: the API re-cuts the days through etl.warehouse.user_settings), the
  zones taking turns between Europe/Berlin and Asia/Tokyo.

    python bench/time_zone.py [--plays N] [--rounds N]

Prints each timing, then one line of name=value pairs: the best of each, their ratio, and
the seconds left of the API's 29 (`api_headroom_s`).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from contextlib import closing
from pathlib import Path

import psycopg2
from fastapi.testclient import TestClient

from api.app import create_app
from bench.import_history import fresh_database, generate, in_child, run_import, settle
from etl.core.settings import Settings
from etl.warehouse.load import refresh_stale_aggregates
from moodify.database import embedded_server_url

USER = "bench"
ZONES = ("Asia/Tokyo", "Europe/Berlin")
API_LIMIT_S = 29.0  # cdk_app/functions.py API_TIMEOUT: API Gateway stops waiting at 30 s


def full_refresh(dsn: str) -> float:
    """Every day of the user's history marked stale and refreshed, in the zone it has."""
    with closing(psycopg2.connect(dsn)) as conn:
        started = time.perf_counter()
        with conn, conn.cursor() as cur:
            cur.execute(
                "INSERT INTO agg_stale_days (user_id, day) "
                "SELECT DISTINCT p.user_id, (p.started_at AT TIME ZONE u.time_zone)::date "
                "FROM fact_plays AS p JOIN users AS u USING (user_id) ON CONFLICT DO NOTHING"
            )
        refresh_stale_aggregates(conn)
        return time.perf_counter() - started


def change_zone(client: TestClient, zone: str) -> float:
    started = time.perf_counter()
    response = client.put("/api/v1/settings", json={"time_zone": zone})
    seconds = time.perf_counter() - started
    assert response.status_code == 200, response.text
    assert response.json()["time_zone"] == zone
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plays", type=int, default=325_000)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        export = in_child(generate, root / "export", arguments.plays)
        server = embedded_server_url(root / "pgdata")
        dsn = fresh_database(server, "time_zone")
        home = root / "home"
        in_child(run_import, str(home), dsn, export, USER, ZONES[1])
        settings = Settings(home=home, database_url=dsn, user_id=USER, time_zone=ZONES[1])
        refreshes: list[float] = []
        changes: list[float] = []
        with TestClient(create_app(settings)) as client:
            for round_ in range(arguments.rounds):
                settle(server)
                refreshes.append(full_refresh(dsn))
                settle(server)
                changes.append(change_zone(client, ZONES[round_ % 2]))
                print(f"round {round_ + 1}: full refresh {refreshes[-1]:.1f} s, "
                      f"new time zone {changes[-1]:.1f} s")  # fmt: skip

    refresh_s, change_s = min(refreshes), min(changes)
    print(
        f"plays={export['plays']} rounds={arguments.rounds} full_refresh_s={refresh_s:.2f} "
        f"time_zone_s={change_s:.2f} time_zone_vs_full_refresh={change_s / refresh_s:.2f} "
        f"worst_time_zone_s={max(changes):.2f} api_headroom_s={API_LIMIT_S - max(changes):.2f}"
    )


if __name__ == "__main__":
    main()
