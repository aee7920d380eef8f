-- The listening clock of the local date range, from the hourly rollup: plays and listening
-- time per ISO weekday (1 = Monday) and local hour, every one of the 168 cells, zeros
-- included. %(kind)s is 'track' or 'episode' (podcast episodes and audiobook chapters), or
-- NULL for both.
WITH per_cell AS (
    -- The ISO weekday in integer arithmetic (2001-01-01 was a Monday): extract() computes
    -- in numeric, a third of the query's time over twelve years of hours.
    SELECT ((day - date '2001-01-01') %% 7 + 7) %% 7 + 1 AS weekday,
           hour::integer AS hour,
           sum(plays)::bigint AS plays,
           sum(listening_ms)::bigint AS listening_ms
    FROM agg_hourly
    WHERE user_id = %(user_id)s
      AND day >= coalesce(%(from)s::date, '-infinity')
      AND day <= coalesce(%(to)s::date, 'infinity')
      AND (%(kind)s::text IS NULL OR kind = %(kind)s::text)
    GROUP BY 1, 2
)
SELECT w.weekday, h.hour,
       coalesce(c.plays, 0) AS plays,
       coalesce(c.listening_ms, 0) AS listening_ms
FROM generate_series(1, 7) AS w (weekday)
CROSS JOIN generate_series(0, 23) AS h (hour)
LEFT JOIN per_cell AS c USING (weekday, hour)
ORDER BY w.weekday, h.hour;
