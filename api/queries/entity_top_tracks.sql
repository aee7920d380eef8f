-- An entity's tracks %(item_ids)s most played by the user between the inclusive local days
-- `from`..`to`, from the rollups (items_between): ranked by %(by)s ('plays' or 'listening_time'), ties
-- to the other measure, then the name, then the id; the first %(limit)s.
WITH per_track AS (
    SELECT item_id AS track_id, plays, listening_ms
    FROM items_between(%(user_id)s, %(from)s, %(to)s)
    WHERE kind = 'track'
      AND item_id = ANY(%(item_ids)s::text[])
), top AS (
    SELECT row_number() OVER (
               ORDER BY CASE %(by)s WHEN 'plays' THEN p.plays ELSE p.listening_ms END DESC,
                        CASE %(by)s WHEN 'plays' THEN p.listening_ms ELSE p.plays END DESC,
                        t.name, t.track_id) AS rank,
           t.track_id, t.name, t.album_id, p.plays, p.listening_ms
    FROM per_track AS p
    JOIN dim_tracks AS t USING (track_id)
    ORDER BY rank
    LIMIT %(limit)s
)
SELECT top.rank, top.track_id, top.name,
       coalesce((
           SELECT json_agg(json_build_object('artist_id', a.artist_id, 'name', a.name)
                           ORDER BY ta.position)
           FROM track_artists AS ta
           JOIN dim_artists AS a USING (artist_id)
           WHERE ta.track_id = top.track_id
       ), '[]') AS artists,
       CASE WHEN al.album_id IS NOT NULL THEN
           json_build_object('album_id', al.album_id, 'name', al.name, 'image_url', al.image_url)
       END AS album,
       top.plays, top.listening_ms
FROM top
LEFT JOIN dim_albums AS al USING (album_id)
ORDER BY top.rank;
