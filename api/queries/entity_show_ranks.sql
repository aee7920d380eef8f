-- Where show %(name)s ranked by plays in each of %(months)s (local month starts) among the
-- user's shows of its kind, %(episode_kind)s ('episode': podcasts, 'chapter': audiobooks),
-- and how many were played in each: ties go to listening time, then the name, as
-- top_shows ranks. Only those months' rollup rows are read.
WITH months AS (
    SELECT unnest(%(months)s::date[]) AS month
), contenders AS (
    SELECT m.month, e.show_name AS name,
           sum(d.plays) AS plays, sum(d.listening_ms) AS listening_ms
    FROM months AS m
    JOIN agg_daily_items AS d
      ON d.user_id = %(user_id)s
     AND d.day >= m.month
     AND d.day < (m.month + interval '1 month')::date
     AND d.kind = 'episode'
    JOIN dim_episodes AS e ON e.episode_id = d.item_id
    WHERE e.kind = %(episode_kind)s
      AND e.show_name IS NOT NULL
    GROUP BY 1, 2
)
SELECT c.month, count(*) AS ranked,
       1 + count(*) FILTER (
           WHERE (c.plays, c.listening_ms) > (me.plays, me.listening_ms)
              OR ((c.plays, c.listening_ms) = (me.plays, me.listening_ms) AND c.name < me.name)
       ) AS rank
FROM contenders AS c
JOIN contenders AS me ON me.month = c.month AND me.name = %(name)s
GROUP BY c.month;
