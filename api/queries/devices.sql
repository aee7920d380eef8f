-- How the user's plays were played within the local date range, from the daily context
-- rollup: listening by platform family and by device (read by the migration's
-- platform_family and platform_device, on the range's few distinct ways of playing, not on
-- every day's), by shuffle, by offline, and the range's totals. One row per group, `part`
-- saying which: 'family', 'device', 'shuffle' (true/false/NULL), 'offline' (true/false/
-- NULL), and always one 'all' row. `share` is of the range's listening time.
WITH per_platform AS (
    SELECT platform, shuffle, offline,
           sum(plays)::bigint AS plays,
           sum(listening_ms)::bigint AS listening_ms
    FROM agg_daily_context
    WHERE user_id = %(user_id)s
      AND day >= coalesce(%(from)s::date, '-infinity')
      AND day <= coalesce(%(to)s::date, 'infinity')
    GROUP BY platform, shuffle, offline
), named AS (
    SELECT platform_family(platform) AS family, platform_device(platform) AS device,
           shuffle, offline, plays, listening_ms
    FROM per_platform
), grouped AS (
    SELECT CASE GROUPING(family, device, shuffle, offline)
               WHEN 7 THEN 'family' WHEN 3 THEN 'device'
               WHEN 13 THEN 'shuffle' WHEN 14 THEN 'offline' ELSE 'all'
           END AS part,
           family, device, shuffle, offline,
           coalesce(sum(plays), 0)::bigint AS plays,  -- the 'all' row of no plays
           coalesce(sum(listening_ms), 0)::bigint AS listening_ms
    FROM named
    GROUP BY GROUPING SETS ((family), (family, device), (shuffle), (offline), ())
)
SELECT grouped.*,
       coalesce(listening_ms::float8
                / nullif(max(listening_ms) FILTER (WHERE part = 'all') OVER (), 0), 0)
           AS share
FROM grouped
ORDER BY listening_ms DESC, plays DESC, family, device;
