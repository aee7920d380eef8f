-- The user's top artists within the local date range, from the rollups (items_between). A play credits
-- every artist of its track with its full ms_played. Ranked by %(by)s: 'plays' or
-- 'listening_time'; ties go to the other measure, then the name, then the id. The page is
-- %(limit)s artists from %(offset)s; `total` counts the range's.
WITH per_track AS (
    SELECT item_id AS track_id, plays, listening_ms
    FROM items_between(%(user_id)s, %(from)s, %(to)s)
    WHERE kind = 'track'
), per_artist AS (
    SELECT ta.artist_id, sum(p.plays)::bigint AS plays, sum(p.listening_ms)::bigint AS listening_ms
    FROM per_track AS p
    JOIN track_artists AS ta USING (track_id)
    GROUP BY ta.artist_id
)
SELECT row_number() OVER (
           ORDER BY CASE %(by)s WHEN 'plays' THEN p.plays ELSE p.listening_ms END DESC,
                    CASE %(by)s WHEN 'plays' THEN p.listening_ms ELSE p.plays END DESC,
                    a.name, a.artist_id) AS rank,
       count(*) OVER () AS total,
       a.artist_id, a.name, p.plays, p.listening_ms
FROM per_artist AS p
JOIN dim_artists AS a USING (artist_id)
ORDER BY rank
OFFSET %(offset)s
LIMIT %(limit)s;
