-- Rebuild the daily mood rows of every stale (user, day) and clear the marks.
-- Mood is weighted by ms_played; coverage is the share of music time with features.
WITH stale AS (
    DELETE FROM agg_stale_days RETURNING user_id, day
), bounds AS (
    -- A local day lies within two UTC days either side of its date: prune by index first.
    SELECT user_id,
           (min(day) - 2)::timestamp AT TIME ZONE 'UTC' AS earliest,
           (max(day) + 2)::timestamp AT TIME ZONE 'UTC' AS latest
    FROM stale
    GROUP BY user_id
), daily AS (
    SELECT p.user_id,
           (p.started_at AT TIME ZONE u.time_zone)::date AS day,
           count(*) AS plays,
           sum(p.ms_played) AS listening_ms,
           coalesce(sum(p.ms_played) FILTER (WHERE f.valence IS NOT NULL), 0) AS featured_ms,
           sum(f.valence * p.ms_played) AS valence_ms,
           sum(f.energy * p.ms_played) AS energy_ms,
           sum(f.danceability * p.ms_played) AS danceability_ms
    FROM fact_plays p
    JOIN users u USING (user_id)
    JOIN bounds b USING (user_id)
    LEFT JOIN track_audio_features f USING (track_id)
    WHERE p.track_id IS NOT NULL
      AND p.started_at >= b.earliest
      AND p.started_at < b.latest
    GROUP BY 1, 2
), upserted AS (
    INSERT INTO agg_daily_mood (
        user_id, day, plays, listening_ms, featured_ms, valence, energy, danceability,
        coverage)
    SELECT d.user_id, d.day, d.plays, d.listening_ms, d.featured_ms,
           d.valence_ms / nullif(d.featured_ms, 0),
           d.energy_ms / nullif(d.featured_ms, 0),
           d.danceability_ms / nullif(d.featured_ms, 0),
           CASE WHEN d.listening_ms > 0 THEN d.featured_ms::real / d.listening_ms ELSE 0 END
    FROM daily d
    JOIN stale s ON s.user_id = d.user_id AND s.day = d.day
    ON CONFLICT (user_id, day) DO UPDATE
    SET plays = EXCLUDED.plays, listening_ms = EXCLUDED.listening_ms,
        featured_ms = EXCLUDED.featured_ms, valence = EXCLUDED.valence,
        energy = EXCLUDED.energy, danceability = EXCLUDED.danceability,
        coverage = EXCLUDED.coverage
    RETURNING user_id, day
)
-- A stale day with no music left has no row.
DELETE FROM agg_daily_mood a
USING stale s
WHERE a.user_id = s.user_id AND a.day = s.day
  AND NOT EXISTS (SELECT 1 FROM upserted x WHERE x.user_id = s.user_id AND x.day = s.day);
