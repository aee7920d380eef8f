"""items_between() reads any range of local days from the items by year, month and day and
gives what summing the days alone gives: ranges open on either side or both, within one
month, across month and year ends, of whole months and years, and of a single day."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from tests.integration.warehouse import ME, Warehouse

FIRST_DAY = date(2022, 11, 20)
DAYS = 800  # into 2025, across two year ends and a leap day

# The items of the range from the days alone (NULL bounds: open).
BY_DAYS = """
SELECT kind, item_id, sum(plays), sum(listening_ms), sum(skips), sum(skip_known),
       sum(finished), min(first_started_at), max(last_started_at)
FROM agg_daily_items
WHERE user_id = %(user_id)s
  AND day >= coalesce(%(from)s::date, '-infinity')
  AND day <= coalesce(%(to)s::date, 'infinity')
GROUP BY kind, item_id
"""
BETWEEN = "SELECT * FROM items_between(%(user_id)s, %(from)s::date, %(to)s::date)"
DIFFERING = f"""
SELECT (SELECT count(*) FROM (({BY_DAYS}) EXCEPT ALL ({BETWEEN})) AS extra)
     + (SELECT count(*) FROM (({BETWEEN}) EXCEPT ALL ({BY_DAYS})) AS missing),
       (SELECT count(*) FROM ({BETWEEN}) AS found)
"""


def edges(rng: random.Random) -> list[date | None]:
    """Days where the cuts are: first and last days of months and years, and any day."""
    day = FIRST_DAY + timedelta(days=rng.randrange(-40, DAYS + 40))
    first_of_month = day.replace(day=1)
    last_of_month = (first_of_month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return [
        day,
        first_of_month,
        last_of_month,
        day.replace(month=1, day=1),
        day.replace(month=12, day=31),
        None,
    ]


def test_any_range_gives_the_sum_of_its_days(warehouse: Warehouse) -> None:
    warehouse.user(ME, "Europe/Berlin")
    warehouse.track("t1", "One", None, [])
    warehouse.track("t2", "Two", None, [])
    warehouse.episode("e1", "Episode")
    rng = random.Random(11)
    for n in range(DAYS):
        start = datetime(2022, 11, 20, 6) + timedelta(days=n, hours=rng.randrange(0, 20))
        for item in rng.sample(["t1", "t2", "e1"], rng.randrange(1, 4)):
            warehouse.play(
                f"{start.isoformat()}+00:00",
                rng.choice([20_000, 200_000]),
                track=item if item != "e1" else None,
                episode="e1" if item == "e1" else None,
                skipped=rng.choice([True, False, None]),
                reason_end=rng.choice(["trackdone", "fwdbtn"]),
            )
    warehouse.refresh()

    ranges: set[tuple[date | None, date | None]] = {(None, None), (date(2023, 1, 1), None)}
    for _ in range(60):
        first = rng.choice(edges(rng))
        last = rng.choice(edges(rng))
        if first is not None and last is not None and last < first:
            first, last = last, first
        ranges.add((first, last))
        if first is not None:
            ranges.add((first, first))
    answered = 0
    for first, last in sorted(ranges, key=str):
        with warehouse.conn.cursor() as cur:
            cur.execute(DIFFERING, {"user_id": ME, "from": first, "to": last})
            differing, found = cur.fetchone()
        assert differing == 0, (first, last)
        answered += found > 0
    assert len(ranges) > 80
    assert answered > 0.8 * len(ranges)  # the ranges mostly hold plays
