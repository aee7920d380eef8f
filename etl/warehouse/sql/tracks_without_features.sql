SELECT DISTINCT staging_plays.track_id
FROM staging_plays
WHERE staging_plays.track_id IS NOT NULL
  AND NOT EXISTS (
      SELECT 1 FROM track_audio_features f WHERE f.track_id = staging_plays.track_id)
ORDER BY 1;
