-- The user's top tracks within the local date range, ranked by %(by)s: 'plays' or
-- 'listening_time' (ms_played). Ties go to the other measure, then the name, then the id.
WITH per_track AS (
    SELECT track_id, count(*) AS plays, sum(ms_played) AS listening_ms
    FROM fact_plays
    WHERE user_id = %(user_id)s
      AND track_id IS NOT NULL
      AND started_at >= coalesce((%(from)s::date)::timestamp AT TIME ZONE %(tz)s, '-infinity')
      AND started_at < coalesce((%(to)s::date + 1)::timestamp AT TIME ZONE %(tz)s, 'infinity')
    GROUP BY track_id
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
       ARRAY(SELECT a.name
             FROM track_artists AS ta
             JOIN dim_artists AS a USING (artist_id)
             WHERE ta.track_id = top.track_id
             ORDER BY ta.position) AS artists,
       al.name AS album, al.image_url, top.plays, top.listening_ms
FROM top
LEFT JOIN dim_albums AS al USING (album_id)
ORDER BY top.rank;
