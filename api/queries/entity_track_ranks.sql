-- Where track %(id)s ranked among the user's tracks by plays in each month it was played,
-- and how many tracks were played that month. Its months (local month starts), plays and
-- listening time come as arrays; every track's month is summed from the daily rollup rows
-- of %(first)s..%(last)s only. Ties go to listening time, then the name, then the id, as
-- top_tracks ranks them.
WITH me AS (
    SELECT *
    FROM unnest(%(months)s::date[], %(plays)s::bigint[], %(listening_ms)s::bigint[])
        AS me(month, plays, listening_ms)
), contenders AS (
    SELECT date_trunc('month', d.day::timestamp)::date AS month, d.item_id AS id,
           sum(d.plays) AS plays, sum(d.listening_ms) AS listening_ms
    FROM agg_daily_items AS d
    WHERE d.user_id = %(user_id)s
      AND d.kind = 'track'
      AND d.day >= %(first)s::date
      AND d.day < (%(last)s::date + interval '1 month')::date
    GROUP BY 1, 2
)
SELECT me.month, count(*) AS ranked,
       1 + count(*) FILTER (
           WHERE c.id <> %(id)s
             AND CASE WHEN (c.plays, c.listening_ms) <> (me.plays, me.listening_ms)
                      THEN (c.plays, c.listening_ms) > (me.plays, me.listening_ms)
                      -- Names are read only for the few tied on both measures.
                      ELSE (SELECT (t.name, t.track_id) < (%(name)s, %(id)s)
                            FROM dim_tracks AS t
                            WHERE t.track_id = c.id)
                 END) AS rank
FROM contenders AS c
JOIN me USING (month)
GROUP BY me.month;
