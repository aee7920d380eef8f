-- What the providers know of the user's music (all time, from the all-time rollup): per
-- kind ('features' of tracks, 'genres' of their artists, 'artwork' of their albums) how
-- many items were played, how many are known and by which provider, how many a provider
-- was asked about and did not know (`unknown`), how many were never asked, and the music
-- listening time whose track has the kind's data (`covered_ms`; for genres: a track with at
-- least one artist with a genre).
WITH played AS MATERIALIZED (
    SELECT item_id AS track_id, listening_ms
    FROM agg_all_time_items
    WHERE user_id = %(user_id)s AND kind = 'track'
), tracks AS (
    SELECT p.track_id, p.listening_ms, f.provider,
           f.track_id IS NULL AND m.track_id IS NOT NULL AS unknown
    FROM played AS p
    LEFT JOIN track_audio_features AS f USING (track_id)
    LEFT JOIN audio_feature_misses AS m USING (track_id)
), artists AS MATERIALIZED (
    SELECT played_artists.artist_id,
           (SELECT g.provider
            FROM artist_genres AS g
            WHERE g.artist_id = played_artists.artist_id
            ORDER BY g.provider = 'spotify' DESC
            LIMIT 1) AS provider,
           EXISTS (SELECT 1 FROM artist_genre_lookups AS l
                   WHERE l.artist_id = played_artists.artist_id) AS asked
    FROM (SELECT DISTINCT ta.artist_id
          FROM played AS p
          JOIN track_artists AS ta USING (track_id)) AS played_artists
), albums AS MATERIALIZED (
    SELECT al.album_id,
           CASE WHEN al.image_url IS NOT NULL THEN coalesce(al.image_provider, 'spotify') END
               AS provider,
           EXISTS (SELECT 1 FROM album_art_lookups AS l WHERE l.album_id = al.album_id)
               AS asked
    FROM dim_albums AS al
    WHERE al.album_id IN (SELECT t.album_id
                          FROM played AS p
                          JOIN dim_tracks AS t USING (track_id))
), items AS (
    SELECT 'features' AS kind, track_id AS item_id, provider, unknown,
           provider IS NULL AND NOT unknown AS not_asked
    FROM tracks
    UNION ALL
    SELECT 'genres', artist_id, provider, provider IS NULL AND asked,
           provider IS NULL AND NOT asked
    FROM artists
    UNION ALL
    SELECT 'artwork', album_id, provider, provider IS NULL AND asked,
           provider IS NULL AND NOT asked
    FROM albums
), covered AS (
    SELECT 'features' AS kind, sum(listening_ms) FILTER (WHERE provider IS NOT NULL) AS ms
    FROM tracks
    UNION ALL
    SELECT 'genres', sum(p.listening_ms) FILTER (WHERE EXISTS (
        SELECT 1
        FROM track_artists AS ta
        JOIN artist_genres AS g USING (artist_id)
        WHERE ta.track_id = p.track_id))
    FROM played AS p
    UNION ALL
    SELECT 'artwork', sum(p.listening_ms) FILTER (WHERE a.provider IS NOT NULL)
    FROM played AS p
    JOIN dim_tracks AS t USING (track_id)
    JOIN albums AS a USING (album_id)
), counts AS (
    SELECT kind, count(*) AS items, count(*) FILTER (WHERE unknown) AS unknown,
           count(*) FILTER (WHERE not_asked) AS not_asked
    FROM items
    GROUP BY kind
), providers AS (
    SELECT kind, json_agg(json_build_object('provider', provider, 'items', known)
                          ORDER BY known DESC, provider) AS by_provider
    FROM (SELECT kind, provider, count(*) AS known
          FROM items
          WHERE provider IS NOT NULL
          GROUP BY kind, provider) AS known_by
    GROUP BY kind
)
SELECT k.kind,
       coalesce(c.items, 0) AS items,
       coalesce(c.unknown, 0) AS unknown,
       coalesce(c.not_asked, 0) AS not_asked,
       coalesce(pr.by_provider, '[]') AS by_provider,
       coalesce(cv.ms, 0)::bigint AS covered_ms,
       (SELECT coalesce(sum(listening_ms), 0) FROM played)::bigint AS listening_ms
FROM (VALUES ('features', 1), ('genres', 2), ('artwork', 3)) AS k(kind, place)
LEFT JOIN counts AS c USING (kind)
LEFT JOIN providers AS pr USING (kind)
LEFT JOIN covered AS cv USING (kind)
ORDER BY k.place;
