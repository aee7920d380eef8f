-- A show's episodes %(item_ids)s most played by the user between the inclusive local days
-- `from`..`to`, from the rollups (items_between): ranked by %(by)s ('plays' or 'listening_time'), ties
-- to the other measure, then the name, then the id; the first %(limit)s.
WITH per_episode AS (
    SELECT item_id AS episode_id, plays, listening_ms
    FROM items_between(%(user_id)s, %(from)s, %(to)s)
    WHERE kind = 'episode'
      AND item_id = ANY(%(item_ids)s::text[])
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
