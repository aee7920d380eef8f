-- The user's plays started before %(before)s (NULL: any time) within the local date range,
-- newest first: %(limit)s of them, and every other play that started at the same instant as
-- the oldest of those, so that a page never splits plays of one instant (the next page asks
-- for plays before it). `more` says whether older plays of the range follow. Read through the
-- (user_id, started_at) index: a backward scan that stops after the page.
WITH bounds AS (
    SELECT least(coalesce(%(before)s::timestamptz, 'infinity'),
                 coalesce((%(to)s::date + 1)::timestamp AT TIME ZONE %(tz)s, 'infinity'))
               AS before,
           coalesce((%(from)s::date)::timestamp AT TIME ZONE %(tz)s, '-infinity') AS since
), edge AS (
    SELECT min(started_at) AS oldest
    FROM (
        SELECT p.started_at
        FROM counted_plays AS p, bounds AS b
        WHERE p.user_id = %(user_id)s
          AND p.started_at < b.before
          AND p.started_at >= b.since
        ORDER BY p.started_at DESC
        LIMIT %(limit)s
    ) AS page
)
SELECT p.started_at, p.ended_at, p.ms_played,
       CASE WHEN p.track_id IS NOT NULL THEN 'track' ELSE coalesce(e.kind, 'episode') END AS kind,
       p.skipped,
       p.track_id, t.name AS track_name, t.album_id, al.name AS album, al.image_url,
       coalesce((
           SELECT json_agg(json_build_object('artist_id', a.artist_id, 'name', a.name)
                           ORDER BY ta.position)
           FROM track_artists AS ta
           JOIN dim_artists AS a USING (artist_id)
           WHERE ta.track_id = p.track_id
       ), '[]') AS artists,
       p.episode_id, e.name AS episode_name, e.show_name,
       EXISTS (
           SELECT FROM counted_plays AS older
           WHERE older.user_id = %(user_id)s
             AND older.started_at < edge.oldest
             AND older.started_at >= b.since
       ) AS more
FROM edge
CROSS JOIN bounds AS b
JOIN counted_plays AS p
  ON p.user_id = %(user_id)s AND p.started_at >= edge.oldest AND p.started_at < b.before
LEFT JOIN dim_tracks AS t ON t.track_id = p.track_id
LEFT JOIN dim_albums AS al ON al.album_id = t.album_id
LEFT JOIN dim_episodes AS e ON e.episode_id = p.episode_id
ORDER BY p.started_at DESC, p.track_id, p.episode_id, p.source;
