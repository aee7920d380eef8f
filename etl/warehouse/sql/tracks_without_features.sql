-- Tracks to ask the providers about: no features yet, and not asked in vain lately
-- (a provider that did not know a track may learn it; ask again after a week).
SELECT t.track_id
FROM dim_tracks t
WHERE NOT EXISTS (SELECT 1 FROM track_audio_features f WHERE f.track_id = t.track_id)
  AND NOT EXISTS (
      SELECT 1 FROM audio_feature_misses m
      WHERE m.track_id = t.track_id AND m.last_tried_at > %(now)s - interval '7 days')
ORDER BY t.track_id
LIMIT %(limit)s;
