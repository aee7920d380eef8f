-- Exclusion rules: plays a user leaves out of every statistic without deleting them (a
-- child's music on the account, a sleep playlist looping all night, a party). The plays stay
-- in fact_plays; the view counted_plays is fact_plays without them, and every rollup and
-- every API query that reads plays reads it instead (take_stale_days.sql, recent.sql, ...).
-- Removing a rule brings its plays back.
CREATE TABLE exclusion_rules (
    rule_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id          text NOT NULL REFERENCES users ON DELETE CASCADE,
    kind             text NOT NULL CHECK (kind IN (
                         'artist', 'track', 'album', 'show', 'platform', 'device', 'window',
                         'daily', 'shorter_than')),
    item_id          text,            -- artist, track, album: its id (a play credits every artist of its track)
    show_name        text,            -- show: shows are keyed by name (exports give them no id)
    platform_family  text,            -- platform: as platform_family() names it, e.g. 'Android'
    platform_device  text,            -- device: as platform_device() names it, e.g. 'samsung SM-G960F'
    starts_at        timestamptz,     -- window: plays starting in [starts_at, ends_at)
    ends_at          timestamptz,
    daily_from       time,            -- daily: plays starting in [daily_from, daily_to) of the
    daily_to         time,            --   user's local clock; daily_to <= daily_from crosses midnight
    weekdays         smallint[],      -- daily: ISO weekdays (1 = Monday) the window starts on; NULL: every day
    min_seconds      integer,         -- shorter_than: plays of less than this many seconds
    note             text,
    items            text[],          -- kept by triggers below: see exclusion_rule_items
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    -- Each kind has exactly its own columns.
    CHECK ((item_id IS NOT NULL) = (kind IN ('artist', 'track', 'album'))),
    CHECK ((show_name IS NOT NULL) = (kind = 'show')),
    CHECK ((platform_family IS NOT NULL) = (kind = 'platform')),
    CHECK ((platform_device IS NOT NULL) = (kind = 'device')),
    CHECK (num_nonnulls(starts_at, ends_at) = CASE WHEN kind = 'window' THEN 2 ELSE 0 END),
    CHECK (num_nonnulls(daily_from, daily_to) = CASE WHEN kind = 'daily' THEN 2 ELSE 0 END),
    CHECK (weekdays IS NULL OR kind = 'daily'),
    CHECK ((min_seconds IS NOT NULL) = (kind = 'shorter_than')),
    CHECK (ends_at > starts_at),
    CHECK (daily_to <> daily_from),
    CHECK (cardinality(weekdays) > 0 AND weekdays <@ '{1,2,3,4,5,6,7}'),
    CHECK (min_seconds > 0)
);
CREATE INDEX exclusion_rules_user_idx ON exclusion_rules (user_id);

-- The tracks (artist, album, track) or episodes (show) a rule names, NULL for other kinds: a
-- play of an artist is a play of any track crediting it. Kept in the rule's `items`, set
-- whenever the rule is written and whenever the catalog it reads changes (the triggers
-- below): read from the catalog per play and rule instead, the rebuild of a year of days
-- took seven times longer with three rules (a function call per play and rule).
CREATE FUNCTION exclusion_rule_items(rule exclusion_rules) RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE rule.kind
    WHEN 'track' THEN ARRAY[rule.item_id]
    WHEN 'artist' THEN ARRAY(
        SELECT ta.track_id FROM track_artists AS ta WHERE ta.artist_id = rule.item_id
        ORDER BY ta.track_id)
    WHEN 'album' THEN ARRAY(
        SELECT t.track_id FROM dim_tracks AS t WHERE t.album_id = rule.item_id
        ORDER BY t.track_id)
    WHEN 'show' THEN ARRAY(
        SELECT e.episode_id FROM dim_episodes AS e WHERE e.show_name = rule.show_name
        ORDER BY e.episode_id)
END;

CREATE FUNCTION set_exclusion_rule_items() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.items := exclusion_rule_items(NEW);
    RETURN NEW;
END
$$;

CREATE TRIGGER exclusion_rules_items BEFORE INSERT OR UPDATE ON exclusion_rules
    FOR EACH ROW EXECUTE FUNCTION set_exclusion_rule_items();

-- A load that credits, moves or names tracks and episodes may change what an item rule
-- names: its items are set again (the update above recomputes them; only rules whose
-- items change are written, so a load without such a change writes nothing).
CREATE FUNCTION refresh_exclusion_rule_items() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE exclusion_rules AS r
    SET items = NULL
    WHERE r.kind IN ('artist', 'album', 'show')
      AND r.items IS DISTINCT FROM exclusion_rule_items(r);
    RETURN NULL;
END
$$;

CREATE TRIGGER track_artists_exclusion_items AFTER INSERT OR UPDATE OR DELETE ON track_artists
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_exclusion_rule_items();
CREATE TRIGGER dim_tracks_exclusion_items AFTER INSERT OR UPDATE OR DELETE ON dim_tracks
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_exclusion_rule_items();
CREATE TRIGGER dim_episodes_exclusion_items AFTER INSERT OR UPDATE OR DELETE ON dim_episodes
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_exclusion_rule_items();

-- Whether `rule` matches `play`: the one place that says what a rule means (counted_plays,
-- a rule's matched plays and the days a rule change makes stale all ask it). `time_zone`
-- is the user's. A single expression without a subquery: the planner inlines it into the
-- query that calls it.
CREATE FUNCTION exclusion_rule_matches(rule exclusion_rules, play fact_plays, time_zone text)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN coalesce(CASE rule.kind
    WHEN 'track' THEN play.track_id = ANY (rule.items)
    WHEN 'artist' THEN play.track_id = ANY (rule.items)
    WHEN 'album' THEN play.track_id = ANY (rule.items)
    WHEN 'show' THEN play.episode_id = ANY (rule.items)
    WHEN 'platform' THEN platform_family(play.platform) = rule.platform_family
    WHEN 'device' THEN platform_device(play.platform) = rule.platform_device
    WHEN 'window' THEN play.started_at >= rule.starts_at AND play.started_at < rule.ends_at
    -- On the local wall clock, moved back by daily_from: the window then starts at midnight
    -- of the day it started on (whatever DST did), and lasts (daily_to - daily_from) mod 24 h.
    WHEN 'daily' THEN
        ((play.started_at AT TIME ZONE time_zone) - rule.daily_from)::time::interval
            < rule.daily_to - rule.daily_from
              + CASE WHEN rule.daily_to < rule.daily_from THEN interval '24 hours'
                     ELSE interval '0' END
        AND (rule.weekdays IS NULL
             OR extract(isodow FROM (play.started_at AT TIME ZONE time_zone) - rule.daily_from)
                    ::smallint = ANY (rule.weekdays))
    WHEN 'shorter_than' THEN play.ms_played < rule.min_seconds * 1000
END, false);

-- The plays that count: every play no rule of its user matches. A user without rules costs
-- one probe of the rules' index (or of an empty hash bucket) per play.
CREATE VIEW counted_plays AS
SELECT p.*
FROM fact_plays AS p
WHERE NOT EXISTS (
    SELECT FROM exclusion_rules AS r
    JOIN users AS u USING (user_id)
    WHERE r.user_id = p.user_id
      AND exclusion_rule_matches(r, p, u.time_zone));

-- Rules added, changed or removed change the user's answers (and the list of rules itself).
CREATE FUNCTION record_rule_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO data_changes (user_id) SELECT DISTINCT user_id FROM changed_rules;
    RETURN NULL;
END
$$;

CREATE TRIGGER exclusion_rules_inserted AFTER INSERT ON exclusion_rules
    REFERENCING NEW TABLE AS changed_rules
    FOR EACH STATEMENT EXECUTE FUNCTION record_rule_changes();
CREATE TRIGGER exclusion_rules_updated AFTER UPDATE ON exclusion_rules
    REFERENCING NEW TABLE AS changed_rules
    FOR EACH STATEMENT EXECUTE FUNCTION record_rule_changes();
CREATE TRIGGER exclusion_rules_deleted AFTER DELETE ON exclusion_rules
    REFERENCING OLD TABLE AS changed_rules
    FOR EACH STATEMENT EXECUTE FUNCTION record_rule_changes();
