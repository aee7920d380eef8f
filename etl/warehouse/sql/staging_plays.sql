-- One curated CSV, as COPY receives it; columns in `etl.core.curated.CURATED_COLUMNS` order.
CREATE TEMP TABLE staging_plays (
    source                        text NOT NULL,
    started_at                    timestamptz NOT NULL,
    ended_at                      timestamptz NOT NULL,
    ms_played                     integer NOT NULL,
    track_id                      text,
    track_name                    text,
    album_id                      text,
    album_name                    text,
    album_release_date            text,
    album_release_date_precision  text,
    album_image_url               text,
    duration_ms                   integer,
    explicit                      boolean,
    isrc                          text,
    artists                       text NOT NULL,      -- JSON, parsed once per track, not per play
    episode_id                    text,
    episode_name                  text,
    show_name                     text,
    reason_start                  text,
    reason_end                    text,
    skipped                       boolean,
    shuffle                       boolean,
    offline                       boolean,
    incognito                     boolean,
    platform                      text,
    conn_country                  text
) ON COMMIT DROP;
