-- Artists with a real Spotify id that were never looked up: each is looked up once, ever.
SELECT artist_id
FROM dim_artists
WHERE looked_up_at IS NULL AND artist_id NOT LIKE 'name:%%'
ORDER BY artist_id
LIMIT %(limit)s;
