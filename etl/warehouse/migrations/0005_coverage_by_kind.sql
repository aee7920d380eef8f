-- A file's span covers only the kind of plays the file holds. A Streaming_History_Video
-- file may span five years with a few hundred music videos and video podcasts in it: its
-- span says nothing about the audio plays of those years.
--
--   audio    an extended-history audio file: music, podcast and audiobook plays
--   video    an extended-history video file: video plays, which neither the account data
--            nor the API tells apart, so in practice it covers no play of theirs
--   music    the account data's music file: track plays
--   podcast  the account data's podcast file: episode plays
--
-- A file whose kind cannot be told (a renamed extended file whose name says neither audio
-- nor video) records no span at all.
ALTER TABLE export_coverage ADD COLUMN kind text;

-- Spans recorded before this migration, told by their file names as the import told them.
-- Plays such a span removed beyond its kind come back with `moodify rebuild`.
UPDATE export_coverage
SET kind = CASE
    WHEN source = 'account' AND lake_key ~* '/StreamingHistory_podcast_?[0-9]+\.json$'
        THEN 'podcast'
    WHEN source = 'account' THEN 'music'
    WHEN lake_key ~* '/Streaming_History_Video_[^/]*$' THEN 'video'
    ELSE 'audio'  -- Streaming_History_Audio_* and endsong_*: the only other names imported
END;

ALTER TABLE export_coverage
    ALTER COLUMN kind SET NOT NULL,
    ADD CHECK (kind IN ('audio', 'video', 'music', 'podcast'));

-- Whether a span of `kind` covers a play of `track_id` or `episode_id` (of a lesser source).
CREATE FUNCTION span_covers(kind text, track_id text, episode_id text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE kind
    WHEN 'audio' THEN true
    WHEN 'music' THEN track_id IS NOT NULL
    WHEN 'podcast' THEN episode_id IS NOT NULL
    ELSE false
END;
