-- Rebuild agg_daily_mood for the stale days (take_stale_days.sql ran first).
-- Mood is weighted by ms_played; coverage is the share of music time with features.
-- A stale day with no music left has no row.
DELETE FROM agg_daily_mood AS a
USING stale_days AS s
WHERE a.user_id = s.user_id AND a.day = s.day;

INSERT INTO agg_daily_mood (
    user_id, day, plays, listening_ms, featured_ms, valence, energy, danceability, coverage)
SELECT user_id, day, plays, listening_ms, featured_ms,
       valence_ms / nullif(featured_ms, 0),
       energy_ms / nullif(featured_ms, 0),
       danceability_ms / nullif(featured_ms, 0),
       CASE WHEN listening_ms > 0 THEN featured_ms::real / listening_ms ELSE 0 END
FROM (
    SELECT p.user_id, p.day,
           count(*) AS plays,
           sum(p.ms_played) AS listening_ms,
           coalesce(sum(p.ms_played) FILTER (WHERE f.valence IS NOT NULL), 0) AS featured_ms,
           sum(f.valence * p.ms_played) AS valence_ms,
           sum(f.energy * p.ms_played) AS energy_ms,
           sum(f.danceability * p.ms_played) AS danceability_ms
    FROM stale_plays AS p
    LEFT JOIN track_audio_features AS f USING (track_id)
    WHERE p.track_id IS NOT NULL
    GROUP BY 1, 2
) AS daily;
