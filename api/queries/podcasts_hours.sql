-- Podcast episodes and audiobook chapters by the local hour they started in, within the
-- local date range, from the hourly rollup: all 24 hours, in order.
SELECT h.hour,
       coalesce(sum(a.plays), 0)::bigint AS plays,
       coalesce(sum(a.listening_ms), 0)::bigint AS listening_ms
FROM generate_series(0, 23) AS h (hour)
LEFT JOIN agg_hourly AS a
       ON a.hour = h.hour
      AND a.user_id = %(user_id)s
      AND a.kind = 'episode'
      AND a.day >= coalesce(%(from)s::date, '-infinity')
      AND a.day <= coalesce(%(to)s::date, 'infinity')
GROUP BY h.hour
ORDER BY h.hour;
