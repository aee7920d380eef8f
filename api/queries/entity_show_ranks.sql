-- Where show %(id)s ranked by plays in each month it was played among the user's shows of
-- its kind, %(episode_kind)s ('episode': podcasts, 'chapter': audiobooks), and how many were
-- played that month. Its months (local month starts), plays and listening time come as
-- arrays; every show's month is summed from the daily rollup rows of %(first)s..%(last)s
-- only. Ties go to listening time, then the name, as top_shows ranks them.
WITH me AS (
    SELECT *
    FROM unnest(%(months)s::date[], %(plays)s::bigint[], %(listening_ms)s::bigint[])
        AS me(month, plays, listening_ms)
), contenders AS (
    SELECT date_trunc('month', d.day::timestamp)::date AS month, e.show_name AS id,
           sum(d.plays) AS plays, sum(d.listening_ms) AS listening_ms
    FROM agg_daily_items AS d
    JOIN dim_episodes AS e ON e.episode_id = d.item_id
    WHERE d.user_id = %(user_id)s
      AND d.kind = 'episode'
      AND d.day >= %(first)s::date
      AND d.day < (%(last)s::date + interval '1 month')::date
      AND e.kind = %(episode_kind)s
      AND e.show_name IS NOT NULL
    GROUP BY 1, 2
)
SELECT me.month, count(*) AS ranked,
       1 + count(*) FILTER (
           WHERE c.id <> %(id)s
             AND CASE WHEN (c.plays, c.listening_ms) <> (me.plays, me.listening_ms)
                      THEN (c.plays, c.listening_ms) > (me.plays, me.listening_ms)
                      -- Names are read only for the few tied on both measures.
                      ELSE c.id < %(id)s
                 END) AS rank
FROM contenders AS c
JOIN me USING (month)
GROUP BY me.month;
