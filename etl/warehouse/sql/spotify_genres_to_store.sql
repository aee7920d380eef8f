-- Artists whose Spotify artist object named genres that are not stored as theirs yet, with
-- when Spotify was asked.
SELECT a.artist_id, a.genres, a.looked_up_at
FROM dim_artists AS a
LEFT JOIN artist_genre_lookups AS l USING (artist_id)
WHERE cardinality(coalesce(a.genres, '{}')) > 0
  AND l.provider IS DISTINCT FROM 'spotify'
ORDER BY a.artist_id;
