-- A track by its id: name, artists in credit order, album. No row for an unknown id.
SELECT t.track_id, t.name, t.duration_ms,
       ARRAY[t.track_id] AS item_ids,
       coalesce((
           SELECT json_agg(json_build_object('artist_id', a.artist_id, 'name', a.name)
                           ORDER BY ta.position)
           FROM track_artists AS ta
           JOIN dim_artists AS a USING (artist_id)
           WHERE ta.track_id = t.track_id
       ), '[]') AS artists,
       CASE WHEN al.album_id IS NOT NULL THEN
           json_build_object('album_id', al.album_id, 'name', al.name, 'image_url', al.image_url)
       END AS album
FROM dim_tracks AS t
LEFT JOIN dim_albums AS al USING (album_id)
WHERE t.track_id = %(track_id)s;
