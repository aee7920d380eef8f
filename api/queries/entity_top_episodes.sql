-- A show's episodes %(item_ids)s most played by the user between the inclusive local days
-- `from`..`to`, from the daily rollup: ranked by %(by)s ('plays' or 'listening_time'), ties
-- to the other measure, then the name, then the id; the first %(limit)s.
WITH per_episode AS (
    SELECT item_id AS episode_id,
           sum(plays)::bigint AS plays,
           sum(listening_ms)::bigint AS listening_ms
    FROM agg_daily_items
    WHERE user_id = %(user_id)s
      AND kind = 'episode'
      AND item_id = ANY(%(item_ids)s::text[])
      AND day >= coalesce(%(from)s::date, '-infinity')
      AND day <= coalesce(%(to)s::date, 'infinity')
    GROUP BY item_id
)
SELECT row_number() OVER (
           ORDER BY CASE %(by)s WHEN 'plays' THEN p.plays ELSE p.listening_ms END DESC,
                    CASE %(by)s WHEN 'plays' THEN p.listening_ms ELSE p.plays END DESC,
                    e.name, e.episode_id) AS rank,
       e.episode_id, e.name, p.plays, p.listening_ms
FROM per_episode AS p
JOIN dim_episodes AS e USING (episode_id)
ORDER BY rank
LIMIT %(limit)s;
