-- Artists for MusicBrainz's genres: never asked, or nobody knew and their retry time has
-- come; the most listened to first. Spotify's genres come first in the chain: an artist
-- with some is stored from them without a call, and while a Spotify app is connected an
-- artist with a real Spotify id waits for its Spotify lookup. Only artists credited on a
-- track are asked (a provisional key that a real id replaced is credited on none).
WITH listened AS (
    SELECT ta.artist_id, sum(i.listening_ms) AS listening_ms
    FROM agg_all_time_items AS i
    JOIN track_artists AS ta ON ta.track_id = i.item_id
    WHERE i.kind = 'track'
    GROUP BY ta.artist_id
),
due AS (
    SELECT a.artist_id, a.name, listened.listening_ms
    FROM dim_artists AS a
    LEFT JOIN artist_genre_lookups AS l USING (artist_id)
    LEFT JOIN listened USING (artist_id)
    WHERE (l.artist_id IS NULL OR l.retry_after <= %(now)s)
      AND cardinality(coalesce(a.genres, '{}')) = 0
      AND NOT (%(spotify_connected)s AND a.artist_id NOT LIKE 'name:%%' AND a.looked_up_at IS NULL)
      AND EXISTS (SELECT FROM track_artists AS ta WHERE ta.artist_id = a.artist_id)
    ORDER BY listened.listening_ms DESC NULLS LAST, a.artist_id
    LIMIT %(limit)s
)
-- One album of each artist's, which tells namesakes apart if a search finds several.
SELECT due.artist_id, due.name, album.name AS album
FROM due
LEFT JOIN LATERAL (
    SELECT al.name
    FROM track_artists AS ta
    JOIN dim_tracks AS t ON t.track_id = ta.track_id
    JOIN dim_albums AS al ON al.album_id = t.album_id
    WHERE ta.artist_id = due.artist_id AND ta.position = 0
    ORDER BY al.album_id
    LIMIT 1
) AS album ON true
ORDER BY due.listening_ms DESC NULLS LAST, due.artist_id;
