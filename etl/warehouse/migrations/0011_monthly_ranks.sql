-- Where each item ranked among the user's items of its kind, month by month: the entity
-- pages' "rank among your tops" without summing every item's month per request.
--
-- Rebuilt by the apply step (refresh_monthly_ranks.sql) for every local month that holds a
-- stale day, from agg_daily_items, as the top lists rank: by plays, then listening time,
-- then the name, then the id. A play credits every artist of its track, an album is its
-- tracks, a show its episodes (podcasts and audiobooks ranked apart, by dim_episodes.kind).
-- No foreign key to users: the rows derive from agg_daily_items, which has it, and a full
-- rebuild inserts hundreds of thousands of them.
CREATE TABLE agg_monthly_ranks (
    user_id       text NOT NULL,
    month         date NOT NULL,                  -- first day of the local month
    kind          text NOT NULL CHECK (kind IN ('track', 'artist', 'album', 'show', 'audiobook')),
    item_id       text NOT NULL,                  -- track, artist or album id; a show's name
    plays         integer NOT NULL,
    listening_ms  bigint NOT NULL,
    rank          integer NOT NULL,               -- 1 is the month's most played of its kind
    ranked        integer NOT NULL,               -- items of its kind played in the month
    -- A track's credits as ranked (NULL for other kinds): a load that replaces a `name:`
    -- album or artist with a real one re-ranks the months the track was played in.
    album_id      text,
    artist_ids    text[],
    PRIMARY KEY (user_id, month, kind, item_id),
    CHECK (extract(day FROM month) = 1)
);
-- One item's months (its entity page), and a track's months when its credits change.
CREATE INDEX agg_monthly_ranks_item_idx ON agg_monthly_ranks (user_id, kind, item_id, month);

-- A warehouse that already holds plays gets the ranks built right after this migration
-- (upgrade() rebuilds the days it finds marked).
INSERT INTO agg_stale_days (user_id, day)
SELECT DISTINCT p.user_id, (p.started_at AT TIME ZONE u.time_zone)::date
FROM fact_plays AS p
JOIN users AS u USING (user_id)
ON CONFLICT DO NOTHING;
