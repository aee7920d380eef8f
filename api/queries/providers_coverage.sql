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
        JOIN artists AS a USING (artist_id)
        WHERE ta.track_id = p.track_id AND a.provider IS NOT NULL))
    FROM played AS p
    UNION ALL
    SELECT 'artwork', sum(p.listening_ms) FILTER (WHERE a.provider IS NOT NULL)
    FROM played AS p
    JOIN dim_tracks AS t USING (track_id)
    JOIN albums AS a USING (album_id)
), kinds AS (
    SELECT kind, place FROM (VALUES ('features', 1), ('genres', 2), ('artwork', 3)) AS k(kind, place)
)
SELECT k.kind,
       (SELECT count(*) FROM items AS i WHERE i.kind = k.kind) AS items,
       (SELECT count(*) FILTER (WHERE i.unknown) FROM items AS i WHERE i.kind = k.kind)
           AS unknown,
       (SELECT count(*) FILTER (WHERE i.not_asked) FROM items AS i WHERE i.kind = k.kind)
           AS not_asked,
       coalesce((SELECT json_agg(json_build_object('provider', bp.provider, 'items', bp.items)
                                 ORDER BY bp.items DESC, bp.provider)
                 FROM (SELECT i.provider, count(*) AS items
                       FROM items AS i
                       WHERE i.kind = k.kind AND i.provider IS NOT NULL
                       GROUP BY i.provider) AS bp), '[]') AS by_provider,
       coalesce((SELECT c.ms FROM covered AS c WHERE c.kind = k.kind), 0)::bigint AS covered_ms,
       (SELECT coalesce(sum(listening_ms), 0) FROM played)::bigint AS listening_ms
FROM kinds AS k
ORDER BY k.place;
