-- Rollups that answer the Explore pages without scanning a user's plays per request.
--
-- Every table here is derived from fact_plays (and the dimensions) and rebuilt by the apply
-- step for the (user, day) pairs marked in agg_stale_days, as agg_daily_mood is. Days are
-- local days in the user's time zone; a time-zone change drops a user's rows and marks all
-- their days stale. A play belongs to the local day and hour it started in.
--
-- No foreign keys, as on fact_plays: the refresh writes rows only for users it read plays
-- of, and checking each row costs over a second per 300,000 rows refreshed.

-- One row per user, local day and item played that day: the tops, entity pages, skips and
-- podcast figures of any range of days sum these rows.
CREATE TABLE agg_daily_items (
    user_id           text NOT NULL,
    day               date NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('track', 'episode')),
    item_id           text NOT NULL,                -- track_id or episode_id
    plays             integer NOT NULL,
    listening_ms      bigint NOT NULL,
    skips             integer NOT NULL,             -- plays with skipped = true
    skip_known        integer NOT NULL,             -- plays whose skipped is known (not the API's)
    finished          integer NOT NULL,             -- plays that ended with reason_end 'trackdone'
    first_started_at  timestamptz NOT NULL,
    last_started_at   timestamptz NOT NULL,
    PRIMARY KEY (user_id, day, kind, item_id)
);
-- An item's whole history (its entity page, its first play) without the other items' rows.
CREATE INDEX agg_daily_items_item_idx ON agg_daily_items (user_id, kind, item_id, day);

-- One row per user, local day, local hour and kind: the listening clock of any range.
CREATE TABLE agg_hourly (
    user_id       text NOT NULL,
    day           date NOT NULL,
    hour          smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
    kind          text NOT NULL CHECK (kind IN ('track', 'episode')),
    plays         integer NOT NULL,
    listening_ms  bigint NOT NULL,
    PRIMARY KEY (user_id, day, hour, kind)
);

-- One row per user, local day and how the plays were played: platform (as the export
-- names it; NULL when the source does not say, as the Web API does not), shuffle, offline.
CREATE TABLE agg_daily_context (
    user_id       text NOT NULL,
    day           date NOT NULL,
    platform      text,
    shuffle       boolean,
    offline       boolean,
    plays         integer NOT NULL,
    listening_ms  bigint NOT NULL,
    CONSTRAINT agg_daily_context_one_per_way
        UNIQUE NULLS NOT DISTINCT (user_id, day, platform, shuffle, offline)
);

-- Listening sessions: runs of plays each starting less than 20 minutes after the previous
-- one ended. `day` is the local day the session started on.
CREATE TABLE agg_sessions (
    user_id       text NOT NULL,
    started_at    timestamptz NOT NULL,
    ended_at      timestamptz NOT NULL,
    day           date NOT NULL,
    plays         integer NOT NULL,
    listening_ms  bigint NOT NULL,
    PRIMARY KEY (user_id, started_at),
    CHECK (ended_at >= started_at)
);
CREATE INDEX agg_sessions_day_idx ON agg_sessions (user_id, day);

-- The first play of each track and artist a user has heard: their discoveries.
CREATE TABLE agg_first_plays (
    user_id          text NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('track', 'artist')),
    item_id          text NOT NULL,
    first_played_at  timestamptz NOT NULL,
    day              date NOT NULL,                 -- local day of the first play
    PRIMARY KEY (user_id, kind, item_id)
);
CREATE INDEX agg_first_plays_day_idx ON agg_first_plays (user_id, kind, day);

-- Audiobook chapters are played and stored like podcast episodes; `kind` tells them apart,
-- and `show_name` holds the audiobook's title for a chapter.
ALTER TABLE dim_episodes
    ADD COLUMN kind text NOT NULL DEFAULT 'episode' CHECK (kind IN ('episode', 'chapter'));

-- A warehouse that already holds plays gets its rollups built right after this migration
-- (apply_migrations rebuilds the days it finds marked).
INSERT INTO agg_stale_days (user_id, day)
SELECT DISTINCT p.user_id, (p.started_at AT TIME ZONE u.time_zone)::date
FROM fact_plays AS p
JOIN users AS u USING (user_id)
ON CONFLICT DO NOTHING;
