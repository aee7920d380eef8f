-- Artist details from one lookup each; an artist Spotify does not know is marked looked
-- up too, so it is never asked about again.
UPDATE dim_artists a
SET name = coalesce(looked_up.name, a.name),
    genres = looked_up.genres,
    image_url = looked_up.image_url,
    looked_up_at = %(looked_up_at)s
FROM jsonb_to_recordset(%(artists)s::jsonb)
     AS looked_up(artist_id text, name text, genres text[], image_url text)
WHERE a.artist_id = looked_up.artist_id;
