"""A large export streams: exporting 200,000 plays grows the exporting process's peak memory
by a bounded amount, far below what holding the rows would take (measured in a fresh
interpreter: peak RSS (VmHWM) less the RSS before the export)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest

from tests.integration.warehouse import ME

PLAYS = 200_000
# The exports' growth stays under this; the rows alone, as Python objects, take several
# times more (the baseline below holds them, as a fetchall export would).
BOUND_MB = 120

_SCRIPT = """
import json, sys
import psycopg2
from etl.warehouse import export

def rss(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024

dsn, file_format, path = sys.argv[1:]
conn = psycopg2.connect(dsn)
conn.set_session(readonly=True, isolation_level="REPEATABLE READ")
params = export.plays_params("me", "Europe/Berlin", None, None)
if file_format == "parquet":
    import pyarrow.parquet  # loaded before measuring: the library is not the rows
before = rss("VmRSS")
with open(path, "wb") as out:
    if file_format == "csv":
        export.write_plays_csv(conn, params, out)
    elif file_format == "parquet":
        export.write_plays_parquet(conn, params, out)
    else:  # the baseline: every row in memory at once
        from etl.warehouse.load import read_sql
        with conn.cursor() as cur:
            cur.execute(read_sql("export_plays"), params)
            rows = cur.fetchall()
print(json.dumps({"growth_mb": rss("VmHWM") - before}))
"""


def seed(dsn: str) -> None:
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("INSERT INTO users (user_id, time_zone) VALUES (%s, 'Europe/Berlin')", (ME,))
        cur.execute("INSERT INTO dim_artists VALUES ('a1', 'Ärtist'), ('a2', 'Second')")
        cur.execute("INSERT INTO dim_albums (album_id, name) VALUES ('al1', 'Album')")
        cur.execute(
            "INSERT INTO dim_tracks (track_id, name, album_id) "
            "SELECT 't' || n, 'Track number ' || n, 'al1' FROM generate_series(1, 500) AS n"
        )
        cur.execute(
            "INSERT INTO track_artists SELECT 't' || n, 0, 'a1' FROM generate_series(1, 500) n "
            "UNION ALL SELECT 't' || n, 1, 'a2' FROM generate_series(1, 500) n"
        )
        cur.execute("INSERT INTO loaded_objects (lake_key) VALUES ('raw/test')")
        cur.execute(
            "INSERT INTO fact_plays (user_id, source, started_at, ended_at, track_id, "
            "ms_played, reason_start, reason_end, skipped, shuffle, offline, incognito, "
            "platform, conn_country, object_id) "
            "SELECT %s, 'export', t, t + interval '3 minutes', 't' || (n %% 500 + 1), 180000, "
            "'trackdone', 'trackdone', false, n %% 2 = 0, false, false, 'android', 'DE', "
            "(SELECT object_id FROM loaded_objects) "
            "FROM generate_series(1, %s) AS n, "
            "LATERAL (SELECT timestamptz '2014-01-01' + n * interval '5 minutes') AS at(t)",
            (ME, PLAYS),
        )


def growth_mb(dsn: str, file_format: str, path: Path) -> float:
    ran = subprocess.run(
        [sys.executable, "-c", _SCRIPT, dsn, file_format, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
        cwd=Path(__file__).resolve().parents[2],
    )
    return float(json.loads(ran.stdout)["growth_mb"])


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_exporting_200k_plays_grows_memory_by_a_bounded_amount(
    database_dsn: str, tmp_path: Path, file_format: str
) -> None:
    seed(database_dsn)
    growth = growth_mb(database_dsn, file_format, tmp_path / f"plays.{file_format}")
    held = growth_mb(database_dsn, "fetchall", tmp_path / "nothing")
    print(f"{file_format}: {growth:.0f} MB peak growth; fetchall baseline {held:.0f} MB")
    assert growth < BOUND_MB
    assert growth < held / 2
    assert (tmp_path / f"plays.{file_format}").stat().st_size > 0
