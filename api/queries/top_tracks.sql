-- The user's top tracks within the local date range, from the rollups (items_between), ranked by
-- %(by)s: 'plays' or 'listening_time' (ms_played). Ties go to the other measure, then the
-- name, then the id. The page is %(limit)s tracks from %(offset)s; `total` counts the range's.
WITH per_track AS (
    SELECT item_id AS track_id, plays, listening_ms
    FROM items_between(%(user_id)s, %(from)s, %(to)s)
    WHERE kind = 'track'
), page AS (
    SELECT row_number() OVER (
               ORDER BY CASE %(by)s WHEN 'plays' THEN p.plays ELSE p.listening_ms END DESC,
                        CASE %(by)s WHEN 'plays' THEN p.listening_ms ELSE p.plays END DESC,
                        t.name, t.track_id) AS rank,
           count(*) OVER () AS total,
           t.track_id, t.name, t.album_id, p.plays, p.listening_ms
    FROM per_track AS p
    JOIN dim_tracks AS t USING (track_id)
    ORDER BY rank
    OFFSET %(offset)s
    LIMIT %(limit)s
)
SELECT page.rank, page.total, page.track_id, page.name,
       credits.artists, credits.artist_ids,
       page.album_id, al.name AS album, al.image_url, page.plays, page.listening_ms
FROM page
LEFT JOIN dim_albums AS al USING (album_id)
CROSS JOIN LATERAL (
    SELECT coalesce(array_agg(a.name ORDER BY ta.position), '{}') AS artists,
           coalesce(array_agg(a.artist_id ORDER BY ta.position), '{}') AS artist_ids
    FROM track_artists AS ta
    JOIN dim_artists AS a USING (artist_id)
    WHERE ta.track_id = page.track_id
) AS credits
ORDER BY page.rank;
