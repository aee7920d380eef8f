-- Tracks first played (ever) on the inclusive local days %(from)s..%(to)s (NULL: open),
-- newest first: %(limit)s of them from %(offset)s, each with all its plays since.
WITH page AS (
    SELECT item_id AS track_id, first_played_at, day
    FROM agg_first_plays
    WHERE user_id = %(user_id)s
      AND kind = 'track'
      AND day >= coalesce(%(from)s::date, '-infinity')
      AND day <= coalesce(%(to)s::date, 'infinity')
    ORDER BY first_played_at DESC, item_id
    OFFSET %(offset)s
    LIMIT %(limit)s
)
SELECT page.track_id AS item_id, t.name, page.first_played_at, page.day,
       played.plays, played.listening_ms, credits.artists, t.album_id, al.image_url
FROM page
JOIN dim_tracks AS t USING (track_id)
LEFT JOIN dim_albums AS al USING (album_id)
CROSS JOIN LATERAL (
    SELECT coalesce(sum(d.plays), 0)::bigint AS plays,
           coalesce(sum(d.listening_ms), 0)::bigint AS listening_ms
    FROM agg_yearly_items AS d
    WHERE d.user_id = %(user_id)s AND d.kind = 'track' AND d.item_id = page.track_id
) AS played
CROSS JOIN LATERAL (
    SELECT coalesce(jsonb_agg(jsonb_build_object('artist_id', a.artist_id, 'name', a.name)
                              ORDER BY ta.position), '[]') AS artists
    FROM track_artists AS ta
    JOIN dim_artists AS a USING (artist_id)
    WHERE ta.track_id = page.track_id
) AS credits
ORDER BY page.first_played_at DESC, page.track_id;
