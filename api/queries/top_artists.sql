-- The user's top artists within the local date range. A play credits every artist of its
-- track with its full ms_played. Ranked by %(by)s: 'plays' or 'listening_time'; ties go to
-- the other measure, then the name, then the id.
WITH per_artist AS (
    SELECT ta.artist_id, count(*) AS plays, sum(p.ms_played) AS listening_ms
    FROM fact_plays AS p
    JOIN track_artists AS ta USING (track_id)
    WHERE p.user_id = %(user_id)s
      AND p.started_at >= coalesce((%(from)s::date)::timestamp AT TIME ZONE %(tz)s, '-infinity')
      AND p.started_at < coalesce((%(to)s::date + 1)::timestamp AT TIME ZONE %(tz)s, 'infinity')
    GROUP BY ta.artist_id
)
SELECT row_number() OVER (
           ORDER BY CASE %(by)s WHEN 'plays' THEN p.plays ELSE p.listening_ms END DESC,
                    CASE %(by)s WHEN 'plays' THEN p.listening_ms ELSE p.plays END DESC,
                    a.name, a.artist_id) AS rank,
       a.artist_id, a.name, p.plays, p.listening_ms
FROM per_artist AS p
JOIN dim_artists AS a USING (artist_id)
ORDER BY rank
LIMIT %(limit)s;
