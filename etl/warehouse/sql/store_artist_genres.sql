-- The genre chain's answers: `[{"artist_id", "provider", "fetched_at", "genres":
-- [{"genre", "parent_genre"}]}]`, provider NULL when nobody knew. An answer with genres
-- replaces the artist's genres; one without keeps what was stored and is asked again
-- after %(retry_after)s. Artists deleted since the question are skipped.
CREATE TEMPORARY TABLE genre_answers ON COMMIT DROP AS
SELECT answer.artist_id, answer.provider, answer.fetched_at, answer.genres
FROM jsonb_to_recordset(%(answers)s::jsonb)
     AS answer(artist_id text, provider text, fetched_at timestamptz, genres jsonb)
JOIN dim_artists USING (artist_id);

DELETE FROM artist_genres AS g
USING genre_answers AS answer
WHERE g.artist_id = answer.artist_id AND answer.provider IS NOT NULL;

INSERT INTO artist_genres (artist_id, genre, parent_genre, provider, fetched_at)
SELECT DISTINCT ON (answer.artist_id, item.genre)
       answer.artist_id, item.genre, item.parent_genre, answer.provider, answer.fetched_at
FROM genre_answers AS answer
CROSS JOIN LATERAL jsonb_to_recordset(answer.genres) AS item(genre text, parent_genre text)
WHERE answer.provider IS NOT NULL;

INSERT INTO artist_genre_lookups (artist_id, provider, looked_up_at, retry_after)
SELECT artist_id, provider, fetched_at,
       CASE WHEN provider IS NULL THEN fetched_at + %(retry_after)s END
FROM genre_answers
ON CONFLICT (artist_id) DO UPDATE
SET provider = EXCLUDED.provider,
    looked_up_at = EXCLUDED.looked_up_at,
    retry_after = EXCLUDED.retry_after;
