-- Where artist %(id)s ranked among the user's artists by plays in each month it was played,
-- and how many artists were played that month. Its months (local month starts), plays and
-- listening time come as arrays; every artist's month is summed from the daily rollup rows
-- of %(first)s..%(last)s only, a play counting for every artist of its track. Ties go to
-- listening time, then the name, then the id, as top_artists ranks them.
WITH me AS (
    SELECT *
    FROM unnest(%(months)s::date[], %(plays)s::bigint[], %(listening_ms)s::bigint[])
        AS me(month, plays, listening_ms)
), contenders AS (
    SELECT date_trunc('month', d.day::timestamp)::date AS month, ta.artist_id AS id,
           sum(d.plays) AS plays, sum(d.listening_ms) AS listening_ms
    FROM agg_daily_items AS d
    JOIN track_artists AS ta ON ta.track_id = d.item_id
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
                      ELSE (SELECT (a.name, a.artist_id) < (%(name)s, %(id)s)
                            FROM dim_artists AS a
                            WHERE a.artist_id = c.id)
                 END) AS rank
FROM contenders AS c
JOIN me USING (month)
GROUP BY me.month;
