"""What the API's read deadline costs a read: the same small reads through two pools side by
side, one arming the deadline (a timer per connection handed out, `api.db.ConnectionPool`'s
`deadline_s`) and one without it.

An embedded PostgreSQL in a temporary directory; each pool keeps one connection, and the
reads (`SELECT 1` through a cursor, fetched) alternate between the pools in rounds so that
both see the same machine. `--reads N` per pool (default 20,000).

    python bench/read_deadline.py [--reads N]

Prints the median microseconds of a read per pool over the rounds, then one line of
name=value pairs; `ratio` is the deadline's median over the baseline's.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from functools import partial
from pathlib import Path

from api.db import ConnectionPool, _open_read_only
from etl.core.settings import Settings
from moodify.database import embedded_server_url

ROUNDS = 20


def _read_microseconds(pool: ConnectionPool, reads: int) -> float:
    started = time.perf_counter()
    for _ in range(reads):
        with pool.connection() as conn, conn.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchall()
    return (time.perf_counter() - started) / reads * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=20_000)
    reads = parser.parse_args().reads // ROUNDS
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        settings = Settings(home=root / "home", database_url=embedded_server_url(root / "pg"))
        opener = partial(_open_read_only, settings)  # as the API opens its connections
        baseline = ConnectionPool(opener, size=1)
        deadline = ConnectionPool(opener, size=1, deadline_s=settings.db_read_deadline_s)
        timings: dict[str, list[float]] = {"baseline": [], "deadline": []}
        try:
            _read_microseconds(baseline, reads)  # warm both connections
            _read_microseconds(deadline, reads)
            for _ in range(ROUNDS):
                timings["baseline"].append(_read_microseconds(baseline, reads))
                timings["deadline"].append(_read_microseconds(deadline, reads))
        finally:
            baseline.close()
            deadline.close()
    medians = {name: statistics.median(values) for name, values in timings.items()}
    for name, value in medians.items():
        print(f"{name:>9}: {value:8.1f} us a read (median of {ROUNDS} rounds of {reads})")
    ratio = medians["deadline"] / medians["baseline"]
    print(
        f"baseline_us={medians['baseline']:.1f} deadline_us={medians['deadline']:.1f} "
        f"overhead_us={medians['deadline'] - medians['baseline']:.1f} ratio={ratio:.3f}"
    )


if __name__ == "__main__":
    main()
