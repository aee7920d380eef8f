-- Where album %(id)s ranked among the user's albums by plays in each month it was played,
-- and how many albums were played that month. Its months (local month starts), plays and
-- listening time come as arrays; every album's month is summed from the daily rollup rows
-- of %(first)s..%(last)s only, an album's plays being its tracks'. Ties go to listening
-- time, then the name, then the id, as top_albums ranks them.
WITH me AS (
    SELECT *
    FROM unnest(%(months)s::date[], %(plays)s::bigint[], %(listening_ms)s::bigint[])
        AS me(month, plays, listening_ms)
), contenders AS (
    SELECT date_trunc('month', d.day::timestamp)::date AS month, t.album_id AS id,
           sum(d.plays) AS plays, sum(d.listening_ms) AS listening_ms
    FROM agg_daily_items AS d
    JOIN dim_tracks AS t ON t.track_id = d.item_id
    WHERE d.user_id = %(user_id)s
      AND d.kind = 'track'
      AND d.day >= %(first)s::date
      AND d.day < (%(last)s::date + interval '1 month')::date
      AND t.album_id IS NOT NULL
    GROUP BY 1, 2
)
SELECT me.month, count(*) AS ranked,
       1 + count(*) FILTER (
           WHERE c.id <> %(id)s
             AND CASE WHEN (c.plays, c.listening_ms) <> (me.plays, me.listening_ms)
                      THEN (c.plays, c.listening_ms) > (me.plays, me.listening_ms)
                      -- Names are read only for the few tied on both measures.
                      ELSE (SELECT (al.name, al.album_id) < (%(name)s, %(id)s)
                            FROM dim_albums AS al
                            WHERE al.album_id = c.id)
                 END) AS rank
FROM contenders AS c
JOIN me USING (month)
GROUP BY me.month;
