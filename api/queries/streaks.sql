-- Runs of consecutive local days with a play (music or episode) within the inclusive local
-- days %(from)s..%(to)s (NULL: open; a run is cut at the range's ends): the %(limit)s
-- longest, the latest first among equally long ones, each row with the range's count of
-- listening days. Read from the hourly rollup, one index entry per day and hour.
WITH listened AS (
    SELECT DISTINCT day
    FROM agg_hourly
    WHERE user_id = %(user_id)s
      AND day >= coalesce(%(from)s::date, '-infinity')
      AND day <= coalesce(%(to)s::date, 'infinity')
), runs AS (
    SELECT min(day) AS start, max(day) AS "end", count(*) AS days
    FROM (
        SELECT day, day - (row_number() OVER (ORDER BY day))::integer AS run
        FROM listened
    ) AS numbered
    GROUP BY run
)
SELECT start, "end", days, (SELECT count(*) FROM listened) AS listening_days
FROM runs
ORDER BY days DESC, "end" DESC
LIMIT %(limit)s;
