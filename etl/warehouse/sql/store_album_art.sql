-- Cover lookups: `[{"album_id", "image_url", "fetched_at"}]`, image_url NULL when nobody
-- knew (asked again after %(retry_after)s). A cover is only ever set where there was none:
-- Spotify's stay. Albums deleted since the question are skipped.
CREATE TEMPORARY TABLE art_answers ON COMMIT DROP AS
SELECT answer.album_id, answer.image_url, answer.fetched_at
FROM jsonb_to_recordset(%(answers)s::jsonb)
     AS answer(album_id text, image_url text, fetched_at timestamptz)
JOIN dim_albums USING (album_id);

UPDATE dim_albums AS al
SET image_url = answer.image_url, image_provider = 'coverartarchive'
FROM art_answers AS answer
WHERE al.album_id = answer.album_id AND answer.image_url IS NOT NULL AND al.image_url IS NULL;

INSERT INTO album_art_lookups (album_id, provider, looked_up_at, retry_after)
SELECT album_id,
       CASE WHEN image_url IS NOT NULL THEN 'coverartarchive' END,
       fetched_at,
       CASE WHEN image_url IS NULL THEN fetched_at + %(retry_after)s END
FROM art_answers
ON CONFLICT (album_id) DO UPDATE
SET provider = EXCLUDED.provider,
    looked_up_at = EXCLUDED.looked_up_at,
    retry_after = EXCLUDED.retry_after;
