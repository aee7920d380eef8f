-- The user's top podcast shows (%(kind)s = 'episode') or audiobooks ('chapter') within the
-- local date range, from the rollups (items_between), by the show's name (exports name a show but give
-- no id; episodes without a show name are left out). Ranked by %(by)s: 'plays' or
-- 'listening_time'; ties go to the other measure, then the name. The page is %(limit)s
-- shows from %(offset)s; `total` counts the range's.
WITH per_show AS (
    SELECT e.show_name AS name,
           sum(d.plays)::bigint AS plays,
           sum(d.listening_ms)::bigint AS listening_ms,
           count(DISTINCT d.item_id) AS episodes_played
    FROM items_between(%(user_id)s, %(from)s, %(to)s) AS d
    JOIN dim_episodes AS e ON e.episode_id = d.item_id
    WHERE d.kind = 'episode'
      AND e.kind = %(kind)s
      AND e.show_name IS NOT NULL
    GROUP BY e.show_name
)
SELECT row_number() OVER (
           ORDER BY CASE %(by)s WHEN 'plays' THEN plays ELSE listening_ms END DESC,
                    CASE %(by)s WHEN 'plays' THEN listening_ms ELSE plays END DESC,
                    name) AS rank,
       count(*) OVER () AS total,
       name, plays, listening_ms, episodes_played
FROM per_show
ORDER BY rank
OFFSET %(offset)s
LIMIT %(limit)s;
