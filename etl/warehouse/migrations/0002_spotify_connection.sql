-- What the Spotify connection adds: artist details looked up once, possible ingest gaps,
-- and the audio-feature lookups that found nothing yet.

ALTER TABLE dim_artists
    ADD COLUMN genres        text[],              -- often empty in 2026
    ADD COLUMN image_url     text,
    ADD COLUMN looked_up_at  timestamptz;         -- set once: an artist is looked up at most once

-- A full recently-played page whose plays all came after the stored cursor: plays between
-- the cursor and the page's oldest play may be missing (Spotify shows only the last 50).
CREATE TABLE ingest_gaps (
    user_id      text NOT NULL REFERENCES users,
    gap_from     timestamptz NOT NULL,
    gap_to       timestamptz NOT NULL,
    detected_at  timestamptz NOT NULL,
    lake_key     text NOT NULL,
    PRIMARY KEY (user_id, gap_from),
    CHECK (gap_to >= gap_from)
);

-- A provider chain that knew nothing about a track: asked again after a while, never
-- recorded as "has no features".
CREATE TABLE audio_feature_misses (
    track_id       text PRIMARY KEY REFERENCES dim_tracks ON DELETE CASCADE,
    tries          integer NOT NULL DEFAULT 1,
    last_tried_at  timestamptz NOT NULL
);
