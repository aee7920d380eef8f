-- Upsert audio features given as a JSON array; a newer fetch replaces an older one.
-- Days on which the affected tracks were played become stale for every user.
WITH incoming AS (
    SELECT *
    FROM jsonb_to_recordset(%(features)s::jsonb) AS f(
        track_id text, provider text, fetched_at timestamptz, valence real, energy real,
        danceability real, acousticness real, instrumentalness real, liveness real,
        speechiness real, loudness real, tempo real, key smallint, mode smallint)
    WHERE EXISTS (SELECT 1 FROM dim_tracks t WHERE t.track_id = f.track_id)
), upserted AS (
    INSERT INTO track_audio_features AS current (
        track_id, provider, fetched_at, valence, energy, danceability, acousticness,
        instrumentalness, liveness, speechiness, loudness, tempo, key, mode)
    SELECT track_id, provider, fetched_at, valence, energy, danceability, acousticness,
           instrumentalness, liveness, speechiness, loudness, tempo, key, mode
    FROM incoming
    ON CONFLICT (track_id) DO UPDATE
    SET provider = EXCLUDED.provider, fetched_at = EXCLUDED.fetched_at,
        valence = EXCLUDED.valence, energy = EXCLUDED.energy,
        danceability = EXCLUDED.danceability, acousticness = EXCLUDED.acousticness,
        instrumentalness = EXCLUDED.instrumentalness, liveness = EXCLUDED.liveness,
        speechiness = EXCLUDED.speechiness, loudness = EXCLUDED.loudness,
        tempo = EXCLUDED.tempo, key = EXCLUDED.key, mode = EXCLUDED.mode
    WHERE EXCLUDED.fetched_at > current.fetched_at
    RETURNING track_id
), stale AS (
    INSERT INTO agg_stale_days (user_id, day)
    SELECT DISTINCT p.user_id, (p.started_at AT TIME ZONE u.time_zone)::date
    FROM fact_plays p
    JOIN users u USING (user_id)
    JOIN upserted USING (track_id)
    ON CONFLICT DO NOTHING
)
SELECT count(*) FROM upserted;
