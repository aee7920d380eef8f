-- Forget that the feature providers did not know these tracks: a track without features
-- and without a miss is asked about on the next enrich run (tracks_without_features.sql),
-- as it was after its first play.
DELETE FROM audio_feature_misses AS m
WHERE NOT EXISTS (SELECT 1 FROM track_audio_features AS f WHERE f.track_id = m.track_id);
