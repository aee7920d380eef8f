-- Totals of the user's plays (music and episodes) started within the local date range.
-- `from`/`to` are inclusive local dates (NULL: open); days are cut in zone `tz`.
WITH plays AS (
    SELECT track_id, episode_id, ms_played, started_at
    FROM fact_plays
    WHERE user_id = %(user_id)s
      AND started_at >= coalesce((%(from)s::date)::timestamp AT TIME ZONE %(tz)s, '-infinity')
      AND started_at < coalesce((%(to)s::date + 1)::timestamp AT TIME ZONE %(tz)s, 'infinity')
), totals AS (
    SELECT count(*) AS plays,
           coalesce(sum(ms_played), 0) AS listening_ms,
           count(DISTINCT track_id) AS distinct_tracks,
           count(DISTINCT episode_id) AS distinct_episodes,
           min(started_at) AS first_played_at,
           max(started_at) AS last_played_at
    FROM plays
), artists AS (
    SELECT count(DISTINCT ta.artist_id) AS distinct_artists
    FROM (SELECT DISTINCT track_id FROM plays WHERE track_id IS NOT NULL) AS t
    JOIN track_artists AS ta USING (track_id)
)
SELECT totals.*, artists.distinct_artists
FROM totals, artists;
