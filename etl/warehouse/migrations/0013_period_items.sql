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

-- The first day of the first whole `unit` ('month' or 'year') from the local day
-- `first_day` on (NULL: open), and the first day of the `unit` holding the day after
-- `last_day`: the whole months or years of a range are those in [from, to).
CREATE FUNCTION whole_periods_from(unit text, first_day date) RETURNS date
LANGUAGE sql IMMUTABLE AS $$
SELECT date_trunc(unit, coalesce(first_day, '-infinity')::timestamp
                        + CASE unit WHEN 'year' THEN interval '1 year' ELSE interval '1 month' END
                        - interval '1 day')::date
$$;

CREATE FUNCTION whole_periods_to(unit text, last_day date) RETURNS date
LANGUAGE sql IMMUTABLE AS $$
SELECT date_trunc(unit, (coalesce(last_day, 'infinity') + 1)::timestamp)::date
$$;

-- Every item the user played within the local days first_day..last_day (NULL: open), with
-- agg_daily_items' measures summed. All time (both open) is read as it is. Any other range is
-- cut into its whole years, its other whole months (those before its first whole year or
-- from the end of its last), and its other days (those before its first whole month or from
-- the end of its last): each part read by its table's primary key, none counted twice.
-- Where a range holds no whole year (or month), "before the first" and "from the end of the
-- last" meet without overlapping. A plain SQL function of immutable bounds: the planner
-- inlines it into the query that calls it and computes the bounds before choosing indexes;
-- each part first checks that its bounds hold a day, so an empty part is never scanned.
CREATE FUNCTION items_between(of_user text, first_day date, last_day date)
RETURNS TABLE (
    kind text, item_id text, plays bigint, listening_ms bigint, skips bigint,
    skip_known bigint, finished bigint, first_started_at timestamptz,
    last_started_at timestamptz
)
LANGUAGE sql STABLE AS $$
SELECT a.kind, a.item_id, a.plays::bigint, a.listening_ms, a.skips::bigint,
       a.skip_known::bigint, a.finished::bigint, a.first_started_at, a.last_started_at
FROM agg_all_time_items AS a
WHERE a.user_id = of_user
  AND first_day IS NULL AND last_day IS NULL
UNION ALL
SELECT kind, item_id, sum(plays)::bigint, sum(listening_ms)::bigint, sum(skips)::bigint,
       sum(skip_known)::bigint, sum(finished)::bigint, min(first_started_at),
       max(last_started_at)
FROM (
    SELECT y.kind, y.item_id, y.plays, y.listening_ms, y.skips, y.skip_known, y.finished,
           y.first_started_at, y.last_started_at
    FROM agg_yearly_items AS y
    WHERE y.user_id = of_user
      AND (first_day IS NOT NULL OR last_day IS NOT NULL)
      AND whole_periods_from('year', first_day) < whole_periods_to('year', last_day)
      AND y.year >= whole_periods_from('year', first_day)
      AND y.year < whole_periods_to('year', last_day)
    UNION ALL
    SELECT m.kind, m.item_id, m.plays, m.listening_ms, m.skips, m.skip_known, m.finished,
           m.first_started_at, m.last_started_at
    FROM agg_monthly_items AS m
    WHERE m.user_id = of_user
      AND (first_day IS NOT NULL OR last_day IS NOT NULL)
      AND whole_periods_from('month', first_day)
          < least(whole_periods_to('month', last_day), whole_periods_from('year', first_day))
      AND m.month >= whole_periods_from('month', first_day)
      AND m.month < least(whole_periods_to('month', last_day),
                          whole_periods_from('year', first_day))
    UNION ALL
    SELECT m.kind, m.item_id, m.plays, m.listening_ms, m.skips, m.skip_known, m.finished,
           m.first_started_at, m.last_started_at
    FROM agg_monthly_items AS m
    WHERE m.user_id = of_user
      AND (first_day IS NOT NULL OR last_day IS NOT NULL)
      AND greatest(whole_periods_to('year', last_day),
                   least(whole_periods_to('month', last_day),
                         whole_periods_from('year', first_day)))
          < whole_periods_to('month', last_day)
      AND m.month >= greatest(whole_periods_to('year', last_day),
                              least(whole_periods_to('month', last_day),
                                    whole_periods_from('year', first_day)))
      AND m.month < whole_periods_to('month', last_day)
    UNION ALL
    SELECT d.kind, d.item_id, d.plays, d.listening_ms, d.skips, d.skip_known, d.finished,
           d.first_started_at, d.last_started_at
    FROM agg_daily_items AS d
    WHERE d.user_id = of_user
      AND (first_day IS NOT NULL OR last_day IS NOT NULL)
      AND coalesce(first_day, '-infinity')
          < least(coalesce(last_day, 'infinity') + 1, whole_periods_from('month', first_day))
      AND d.day >= coalesce(first_day, '-infinity')
      AND d.day < least(coalesce(last_day, 'infinity') + 1,
                        whole_periods_from('month', first_day))
    UNION ALL
    SELECT d.kind, d.item_id, d.plays, d.listening_ms, d.skips, d.skip_known, d.finished,
           d.first_started_at, d.last_started_at
    FROM agg_daily_items AS d
    WHERE d.user_id = of_user
      AND (first_day IS NOT NULL OR last_day IS NOT NULL)
      AND greatest(whole_periods_to('month', last_day),
                   least(coalesce(last_day, 'infinity') + 1,
                         whole_periods_from('month', first_day)))
          <= coalesce(last_day, 'infinity')
      AND d.day >= greatest(whole_periods_to('month', last_day),
                            least(coalesce(last_day, 'infinity') + 1,
                                  whole_periods_from('month', first_day)))
      AND d.day <= coalesce(last_day, 'infinity')
) AS parts
GROUP BY kind, item_id
$$;

-- Built here from the daily rows (exact for every day not marked stale; the refresh of a
-- marked day rebuilds its month and year).
INSERT INTO agg_monthly_items
SELECT user_id, date_trunc('month', day::timestamp)::date, kind, item_id, sum(plays), sum(listening_ms),
       sum(skips), sum(skip_known), sum(finished), min(first_started_at), max(last_started_at)
FROM agg_daily_items
GROUP BY 1, 2, 3, 4;

INSERT INTO agg_yearly_items
SELECT user_id, date_trunc('year', month::timestamp)::date, kind, item_id, sum(plays), sum(listening_ms),
       sum(skips), sum(skip_known), sum(finished), min(first_started_at), max(last_started_at)
FROM agg_monthly_items
GROUP BY 1, 2, 3, 4;

INSERT INTO agg_all_time_items
SELECT user_id, kind, item_id, sum(plays), sum(listening_ms), sum(skips), sum(skip_known),
       sum(finished), min(first_started_at), max(last_started_at)
FROM agg_yearly_items
GROUP BY 1, 2, 3;

-- Planned for their real size from the first request on, not after autovacuum's visit.
ANALYZE agg_monthly_items;
ANALYZE agg_yearly_items;
ANALYZE agg_all_time_items;
