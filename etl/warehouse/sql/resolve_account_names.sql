-- Account-data plays name their track but carry no ID: where exactly one known track has
-- that name and artist, the play is that track's.
UPDATE staging_plays s
SET track_id = known.track_id, album_id = known.album_id, album_name = known.album_name,
    artists = known.artists
FROM (
    SELECT lower(t.name) AS track_name, lower(a.name) AS artist_name,
           min(t.track_id) AS track_id, min(t.album_id) AS album_id,
           min(al.name) AS album_name,
           min(jsonb_build_array(jsonb_build_object('id', a.artist_id, 'name', a.name))::text)
               AS artists
    FROM dim_tracks t
    JOIN track_artists ta ON ta.track_id = t.track_id AND ta.position = 0
    JOIN dim_artists a ON a.artist_id = ta.artist_id
    LEFT JOIN dim_albums al ON al.album_id = t.album_id
    WHERE t.track_id NOT LIKE 'name:%%'
    GROUP BY 1, 2
    HAVING count(*) = 1
) known
WHERE s.source = 'account'
  AND s.track_id LIKE 'name:%%'
  AND known.track_name = lower(s.track_name)
  AND known.artist_name = lower(s.artists::jsonb -> 0 ->> 'name');
