-- The star schema: dimensions keyed by Spotify IDs, facts scoped by user.
--
-- Exports name artists and albums but carry no IDs for them; such rows get a provisional
-- key `name:<normalised name>` until a Spotify API object supplies the real ID.

-- A user's Spotify connection (sign-in time and state, ingest cursor) lives in the lake's
-- state/ prefix, where the functions outside the VPC that change it can write.
CREATE TABLE users (
    user_id        text PRIMARY KEY,                 -- Spotify account_id (or id before it)
    display_name   text,
    time_zone      text NOT NULL DEFAULT 'UTC',      -- IANA name; days are cut in this zone
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE dim_artists (
    artist_id  text PRIMARY KEY,
    name       text NOT NULL
);

CREATE TABLE dim_albums (
    album_id                text PRIMARY KEY,
    name                    text NOT NULL,
    release_date            text,                    -- as Spotify gives it: YYYY, YYYY-MM or YYYY-MM-DD
    release_date_precision  text CHECK (release_date_precision IN ('year', 'month', 'day')),
    image_url               text
);

CREATE TABLE dim_tracks (
    track_id     text PRIMARY KEY,
    name         text NOT NULL,
    album_id     text REFERENCES dim_albums,
    duration_ms  integer CHECK (duration_ms >= 0),
    explicit     boolean,
    isrc         text
);

CREATE TABLE track_artists (
    track_id   text NOT NULL REFERENCES dim_tracks ON DELETE CASCADE,
    position   smallint NOT NULL CHECK (position >= 0),
    artist_id  text NOT NULL REFERENCES dim_artists,
    PRIMARY KEY (track_id, position)
);
CREATE INDEX track_artists_artist_idx ON track_artists (artist_id);

CREATE TABLE dim_episodes (
    episode_id  text PRIMARY KEY,
    name        text NOT NULL,
    show_name   text
);

-- No foreign keys on the facts: checking them row by row costs a third of a large import,
-- and the load step inserts every dimension row a play needs, in the same transaction,
-- before the play.
CREATE TABLE fact_plays (
    user_id       text NOT NULL,
    source        text NOT NULL CHECK (source IN ('api', 'account', 'export')),
    started_at    timestamptz NOT NULL,
    ended_at      timestamptz NOT NULL,
    track_id      text,
    episode_id    text,
    ms_played     integer NOT NULL CHECK (ms_played >= 0),
    reason_start  text,
    reason_end    text,
    skipped       boolean,
    shuffle       boolean,
    offline       boolean,
    incognito     boolean,
    platform      text,
    conn_country  text,
    lake_key      text NOT NULL,                    -- the raw object this play came from
    CHECK (num_nonnulls(track_id, episode_id) = 1),
    CHECK (ended_at >= started_at),
    -- One play per (user, start, source, item). Led by (user_id, started_at), the same
    -- index serves every dashboard query (a user's plays in a time range); a second or
    -- third index would slow each import down more than it would speed anything up.
    CONSTRAINT fact_plays_one_per_start
        UNIQUE NULLS NOT DISTINCT (user_id, started_at, source, track_id, episode_id)
);

CREATE TABLE track_audio_features (
    track_id          text PRIMARY KEY REFERENCES dim_tracks ON DELETE CASCADE,
    provider          text NOT NULL,                -- who supplied these values
    fetched_at        timestamptz NOT NULL,
    valence           real CHECK (valence BETWEEN 0 AND 1),
    energy            real CHECK (energy BETWEEN 0 AND 1),
    danceability      real CHECK (danceability BETWEEN 0 AND 1),
    acousticness      real CHECK (acousticness BETWEEN 0 AND 1),
    instrumentalness  real CHECK (instrumentalness BETWEEN 0 AND 1),
    liveness          real CHECK (liveness BETWEEN 0 AND 1),
    speechiness       real CHECK (speechiness BETWEEN 0 AND 1),
    loudness          real,
    tempo             real CHECK (tempo >= 0),
    key               smallint CHECK (key BETWEEN -1 AND 11),
    mode              smallint CHECK (mode IN (0, 1))
);

-- Daily mood per user, the day cut in the user's time zone. Mood values are averages over
-- music plays weighted by ms_played; coverage is the share of music listening time whose
-- track has features. Rebuilt per (user, day range) by the apply step.
CREATE TABLE agg_daily_mood (
    user_id        text NOT NULL REFERENCES users,
    day            date NOT NULL,
    plays          integer NOT NULL,
    listening_ms   bigint NOT NULL,
    featured_ms    bigint NOT NULL,
    valence        real,
    energy         real,
    danceability   real,
    coverage       real NOT NULL CHECK (coverage BETWEEN 0 AND 1),
    PRIMARY KEY (user_id, day)
);

-- (user, day) pairs whose aggregate rows are stale: the load step marks the days its plays
-- touch, the apply step marks the days newly featured tracks were played, then rebuilds
-- them and clears the marks in one transaction. A failed run leaves the marks for the next.
CREATE TABLE agg_stale_days (
    user_id  text NOT NULL REFERENCES users,
    day      date NOT NULL,
    PRIMARY KEY (user_id, day)
);
