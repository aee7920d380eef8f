-- An artist by its id, with the tracks credited to it. Its image is the art of the album of
-- its most played track (all time) whose album has art; its genres are its raw genres, each
-- with its parent genre and provider, the parents' names first. No row for an unknown id.
SELECT a.artist_id, a.name,
       ARRAY(SELECT DISTINCT ta.track_id
             FROM track_artists AS ta
             WHERE ta.artist_id = a.artist_id) AS item_ids,
       (SELECT al.image_url
        FROM track_artists AS ta
        JOIN dim_tracks AS t USING (track_id)
        JOIN dim_albums AS al USING (album_id)
        WHERE ta.artist_id = a.artist_id
          AND al.image_url IS NOT NULL
        ORDER BY (SELECT sum(d.plays)
                  FROM agg_yearly_items AS d
                  WHERE d.user_id = %(user_id)s
                    AND d.kind = 'track'
                    AND d.item_id = t.track_id) DESC NULLS LAST,
                 al.album_id
        LIMIT 1) AS image_url,
       coalesce((SELECT json_agg(json_build_object(
                            'genre', g.genre, 'parent_genre', g.parent_genre,
                            'provider', g.provider) ORDER BY g.parent_genre, g.genre)
                 FROM artist_genres AS g
                 WHERE g.artist_id = a.artist_id), '[]') AS genres
FROM dim_artists AS a
WHERE a.artist_id = %(artist_id)s;
