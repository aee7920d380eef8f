-- Albums without a cover (those known only from exports): never asked, or nobody knew and
-- their retry time has come; the most listened to first, each with its lead artist's name
-- (NULL when no track names one: answered as unknown without a call).
WITH listened AS (
    SELECT t.album_id, sum(i.listening_ms) AS listening_ms
    FROM agg_all_time_items AS i
    JOIN dim_tracks AS t ON t.track_id = i.item_id
    WHERE i.kind = 'track'
    GROUP BY t.album_id
),
due AS (
    SELECT al.album_id, al.name, listened.listening_ms
    FROM dim_albums AS al
    LEFT JOIN album_art_lookups AS l USING (album_id)
    LEFT JOIN listened USING (album_id)
    WHERE al.image_url IS NULL
      AND (l.album_id IS NULL OR l.retry_after <= %(now)s)
      AND EXISTS (SELECT FROM dim_tracks AS t WHERE t.album_id = al.album_id)
    ORDER BY listened.listening_ms DESC NULLS LAST, al.album_id
    LIMIT %(limit)s
)
SELECT due.album_id, due.name, lead.name AS artist
FROM due
LEFT JOIN LATERAL (
    SELECT ar.name
    FROM dim_tracks AS t
    JOIN track_artists AS ta ON ta.track_id = t.track_id AND ta.position = 0
    JOIN dim_artists AS ar ON ar.artist_id = ta.artist_id
    WHERE t.album_id = due.album_id
    ORDER BY t.track_id
    LIMIT 1
) AS lead ON true
ORDER BY due.listening_ms DESC NULLS LAST, due.album_id;
