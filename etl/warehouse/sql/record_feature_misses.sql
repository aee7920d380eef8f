INSERT INTO audio_feature_misses AS m (track_id, tries, last_tried_at)
SELECT missed.track_id, 1, %(tried_at)s
FROM unnest(%(track_ids)s::text[]) AS missed(track_id)
WHERE EXISTS (SELECT 1 FROM dim_tracks t WHERE t.track_id = missed.track_id)
ON CONFLICT (track_id) DO UPDATE
SET tries = m.tries + 1, last_tried_at = EXCLUDED.last_tried_at;
