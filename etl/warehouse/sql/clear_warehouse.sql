-- Everything derived from the lake; the schema and its migrations stay.
TRUNCATE fact_plays, loaded_objects, agg_daily_mood, agg_stale_days, ingest_gaps, export_coverage,
         track_audio_features, audio_feature_misses, track_artists, dim_tracks,
         dim_albums, dim_artists, dim_episodes, users;
