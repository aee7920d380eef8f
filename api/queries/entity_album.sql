-- An album by its id, with its tracks and the artists credited first on them (the most
-- tracks first, then by name). No row for an unknown id.
WITH album_tracks AS (
    SELECT track_id
    FROM dim_tracks
    WHERE album_id = %(album_id)s
)
SELECT al.album_id, al.name, al.image_url, al.release_date,
       ARRAY(SELECT track_id FROM album_tracks ORDER BY track_id) AS item_ids,
       coalesce((
           SELECT json_agg(json_build_object('artist_id', lead.artist_id, 'name', lead.name)
                           ORDER BY lead.tracks DESC, lead.name, lead.artist_id)
           FROM (SELECT a.artist_id, a.name, count(*) AS tracks
                 FROM album_tracks
                 JOIN track_artists AS ta USING (track_id)
                 JOIN dim_artists AS a USING (artist_id)
                 WHERE ta.position = 0
                 GROUP BY a.artist_id, a.name) AS lead
       ), '[]') AS artists
FROM dim_albums AS al
WHERE al.album_id = %(album_id)s;
