-- Items by local month, by local year and of all time: a range of twelve years sums a few
-- thousand rows per year instead of one row per day and item, and all time reads one row
-- per item.
--
-- They have agg_daily_items' columns, with a month or a year (its first day) for the day,
-- or none, and are rebuilt by the apply step (refresh_period_items.sql) for every month and
-- year that holds a stale day, from agg_daily_items, and all time for the user of any.
-- `items_between` reads any range of local days from them: all time from its own rows,
-- else whole years from the yearly rows, the other whole months from the monthly rows, and
-- the days left at either end from the daily rows.
CREATE TABLE agg_monthly_items (
    user_id           text NOT NULL,
    month             date NOT NULL CHECK (extract(day FROM month) = 1),
    kind              text NOT NULL CHECK (kind IN ('track', 'episode')),
    item_id           text NOT NULL,
    plays             integer NOT NULL,
    listening_ms      bigint NOT NULL,
    skips             integer NOT NULL,
    skip_known        integer NOT NULL,
    finished          integer NOT NULL,
    first_started_at  timestamptz NOT NULL,
    last_started_at   timestamptz NOT NULL,
    PRIMARY KEY (user_id, month, kind, item_id)
);
-- An item's months (its entity page) without the other items' rows.
CREATE INDEX agg_monthly_items_item_idx ON agg_monthly_items (user_id, kind, item_id, month);

CREATE TABLE agg_yearly_items (
    user_id           text NOT NULL,
    year              date NOT NULL CHECK (extract(doy FROM year) = 1),
    kind              text NOT NULL CHECK (kind IN ('track', 'episode')),
    item_id           text NOT NULL,
    plays             integer NOT NULL,
    listening_ms      bigint NOT NULL,
    skips             integer NOT NULL,
    skip_known        integer NOT NULL,
    finished          integer NOT NULL,
    first_started_at  timestamptz NOT NULL,
    last_started_at   timestamptz NOT NULL,
    PRIMARY KEY (user_id, year, kind, item_id)
);
CREATE INDEX agg_yearly_items_item_idx ON agg_yearly_items (user_id, kind, item_id, year);

CREATE TABLE agg_all_time_items (
    user_id           text NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('track', 'episode')),
    item_id           text NOT NULL,
    plays             integer NOT NULL,
    listening_ms      bigint NOT NULL,
    skips             integer NOT NULL,
    skip_known        integer NOT NULL,
    finished          integer NOT NULL,
    first_started_at  timestamptz NOT NULL,
    last_started_at   timestamptz NOT NULL,
    PRIMARY KEY (user_id, kind, item_id)
);

-- Every item the user played within the local days first_day..last_day (NULL: open), with
-- agg_daily_items' measures summed. All time (both open) is read whole; any other range is
-- cut into its whole years [years_from,
-- years_to), its other whole months (those of [months_from, months_to) before years_from
-- or from years_to on), and its other days (those before months_from or from months_to on):
-- each part read by its table's primary key, none counted twice. Where the range holds no
-- whole year (or month), years_from >= years_to, and the two lower parts meet without
-- overlapping. A plain SQL function: the planner inlines it into the query that calls it.
CREATE FUNCTION items_between(of_user text, first_day date, last_day date)
RETURNS TABLE (
    kind text, item_id text, plays bigint, listening_ms bigint, skips bigint,
    skip_known bigint, finished bigint, first_started_at timestamptz,
    last_started_at timestamptz
)
LANGUAGE sql STABLE AS $$
WITH range AS (
    SELECT coalesce(first_day, '-infinity') AS first, coalesce(last_day, 'infinity') AS last,
           first_day IS NULL AND last_day IS NULL AS all_time
), bounds AS (
    SELECT first, last + 1 AS day_after,
           date_trunc('year', first + interval '1 year' - interval '1 day')::date AS years_from,
           date_trunc('year', last + 1)::date AS years_to,
           date_trunc('month', first + interval '1 month' - interval '1 day')::date
               AS months_from,
           date_trunc('month', last + 1)::date AS months_to
    FROM range
    WHERE NOT all_time
), parts AS (
    SELECT a.kind, a.item_id, a.plays, a.listening_ms, a.skips, a.skip_known, a.finished,
           a.first_started_at, a.last_started_at
    FROM range AS r
    JOIN agg_all_time_items AS a ON a.user_id = of_user AND r.all_time
    UNION ALL
    SELECT y.kind, y.item_id, y.plays, y.listening_ms, y.skips, y.skip_known, y.finished,
           y.first_started_at, y.last_started_at
    FROM bounds AS b
    JOIN agg_yearly_items AS y
      ON y.user_id = of_user AND y.year >= b.years_from AND y.year < b.years_to
    UNION ALL
    SELECT m.kind, m.item_id, m.plays, m.listening_ms, m.skips, m.skip_known, m.finished,
           m.first_started_at, m.last_started_at
    FROM bounds AS b
    JOIN agg_monthly_items AS m
      ON m.user_id = of_user
     AND m.month >= b.months_from
     AND m.month < least(b.months_to, b.years_from)
    UNION ALL
    SELECT m.kind, m.item_id, m.plays, m.listening_ms, m.skips, m.skip_known, m.finished,
           m.first_started_at, m.last_started_at
    FROM bounds AS b
    JOIN agg_monthly_items AS m
      ON m.user_id = of_user
     AND m.month >= greatest(b.years_to, least(b.months_to, b.years_from))
     AND m.month < b.months_to
    UNION ALL
    SELECT d.kind, d.item_id, d.plays, d.listening_ms, d.skips, d.skip_known, d.finished,
           d.first_started_at, d.last_started_at
    FROM bounds AS b
    JOIN agg_daily_items AS d
      ON d.user_id = of_user
     AND d.day >= b.first
     AND d.day < least(b.day_after, b.months_from)
    UNION ALL
    SELECT d.kind, d.item_id, d.plays, d.listening_ms, d.skips, d.skip_known, d.finished,
           d.first_started_at, d.last_started_at
    FROM bounds AS b
    JOIN agg_daily_items AS d
      ON d.user_id = of_user
     AND d.day >= greatest(b.months_to, least(b.day_after, b.months_from))
     AND d.day < b.day_after
)
SELECT kind, item_id, sum(plays)::bigint, sum(listening_ms)::bigint, sum(skips)::bigint,
       sum(skip_known)::bigint, sum(finished)::bigint, min(first_started_at),
       max(last_started_at)
FROM parts
GROUP BY kind, item_id
$$;

-- Built here from the daily rows (exact for every day not marked stale; the refresh of a
-- marked day rebuilds its month and year).
INSERT INTO agg_monthly_items
SELECT user_id, date_trunc('month', day)::date, kind, item_id, sum(plays), sum(listening_ms),
       sum(skips), sum(skip_known), sum(finished), min(first_started_at), max(last_started_at)
FROM agg_daily_items
GROUP BY 1, 2, 3, 4;

INSERT INTO agg_yearly_items
SELECT user_id, date_trunc('year', month)::date, kind, item_id, sum(plays), sum(listening_ms),
       sum(skips), sum(skip_known), sum(finished), min(first_started_at), max(last_started_at)
FROM agg_monthly_items
GROUP BY 1, 2, 3, 4;

INSERT INTO agg_all_time_items
SELECT user_id, kind, item_id, sum(plays), sum(listening_ms), sum(skips), sum(skip_known),
       sum(finished), min(first_started_at), max(last_started_at)
FROM agg_yearly_items
GROUP BY 1, 2, 3;
