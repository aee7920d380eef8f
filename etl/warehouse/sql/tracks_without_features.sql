-- Tracks to ask the providers about now. A track without features waits, from its first
-- play, for a provider's full batch (%(batch)s tracks, one call) to form across every
-- user's tracks, but no longer than %(max_wait)s: then it goes, with as many waiting
-- tracks as fill its batch. A track a provider did not know waits a week after that try
-- (it may learn it), and its wait starts again then.
WITH candidates AS (
    SELECT t.track_id, m.last_tried_at + interval '7 days' AS retry_from
    FROM dim_tracks t
    LEFT JOIN audio_feature_misses m USING (track_id)
    WHERE NOT EXISTS (SELECT 1 FROM track_audio_features f WHERE f.track_id = t.track_id)
      AND (m.last_tried_at IS NULL OR m.last_tried_at <= %(now)s - interval '7 days')
), waiting AS (
    -- A track whose plays are not in the first-plays rollup yet (loaded since the last
    -- apply step) counts as first played now.
    SELECT c.track_id,
           greatest(coalesce(first.played_at, %(now)s), c.retry_from) AS since
    FROM candidates c
    CROSS JOIN LATERAL (
        SELECT min(f.first_played_at) AS played_at
        FROM agg_first_plays f
        WHERE f.user_id = ANY (ARRAY(SELECT user_id FROM users))
          AND f.kind = 'track' AND f.item_id = c.track_id
    ) AS first
), ranked AS (
    SELECT track_id,
           row_number() OVER (ORDER BY since, track_id) AS place,
           count(*) OVER () AS waiting,
           count(*) FILTER (WHERE since <= %(now)s - %(max_wait)s) OVER () AS due
    FROM waiting
)
SELECT track_id
FROM ranked
WHERE place <= greatest(ceil(due / %(batch)s::numeric), floor(waiting / %(batch)s)) * %(batch)s
ORDER BY place
LIMIT %(limit)s;
