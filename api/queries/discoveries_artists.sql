-- Artists first played (ever) on the inclusive local days %(from)s..%(to)s (NULL: open),
-- newest first: %(limit)s of them from %(offset)s, each with all its plays since (a play
-- credits every artist of its track, as the top artists do).
WITH page AS (
    SELECT item_id AS artist_id, first_played_at, day
    FROM agg_first_plays
    WHERE user_id = %(user_id)s
      AND kind = 'artist'
      AND day >= coalesce(%(from)s::date, '-infinity')
      AND day <= coalesce(%(to)s::date, 'infinity')
    ORDER BY first_played_at DESC, item_id
    OFFSET %(offset)s
    LIMIT %(limit)s
)
SELECT page.artist_id AS item_id, a.name, page.first_played_at, page.day,
       played.plays, played.listening_ms, '[]'::jsonb AS artists, NULL AS album_id,
       a.image_url
FROM page
JOIN dim_artists AS a USING (artist_id)
CROSS JOIN LATERAL (  -- the artist's months, by index
    SELECT coalesce(sum(r.plays), 0)::bigint AS plays,
           coalesce(sum(r.listening_ms), 0)::bigint AS listening_ms
    FROM agg_monthly_ranks AS r
    WHERE r.user_id = %(user_id)s AND r.kind = 'artist' AND r.item_id = page.artist_id
) AS played
ORDER BY page.first_played_at DESC, page.artist_id;
