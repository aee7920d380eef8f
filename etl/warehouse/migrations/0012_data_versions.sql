-- Data versions: what the API's answers were computed from, so that an answer can be
-- reused (an ETag, a server-side cache) until the data behind it changes.
--
-- Every write that can change an answer appends a row here: a user's plays or rollups
-- (user_id), or what all users share, the catalog of names, credits and features (NULL).
-- A user's data version is the sum of `changes` over their rows, and the catalog's over
-- the NULL rows. Rows are only appended or merged: inserting takes no lock that another
-- writer waits for (so loads, refreshes and time-zone changes never deadlock over it), and
-- every commit adds to a sum (a version made of the highest sequence value would miss a
-- transaction that took a lower one and committed later). The refresh merges each scope's
-- committed rows into one (merge_data_changes.sql), which leaves the sums as they were.
CREATE TABLE data_changes (
    change_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    text,                           -- NULL: the catalog, shared by all users
    changes    bigint NOT NULL DEFAULT 1 CHECK (changes > 0)
);
CREATE INDEX data_changes_scope_idx ON data_changes (user_id) INCLUDE (changes);

-- Plays added, changed or removed: one row per user they belong to, per statement.
CREATE FUNCTION record_play_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO data_changes (user_id) SELECT DISTINCT user_id FROM changed_plays;
    RETURN NULL;
END
$$;

CREATE TRIGGER fact_plays_inserted AFTER INSERT ON fact_plays
    REFERENCING NEW TABLE AS changed_plays
    FOR EACH STATEMENT EXECUTE FUNCTION record_play_changes();
CREATE TRIGGER fact_plays_updated AFTER UPDATE ON fact_plays
    REFERENCING NEW TABLE AS changed_plays
    FOR EACH STATEMENT EXECUTE FUNCTION record_play_changes();
CREATE TRIGGER fact_plays_deleted AFTER DELETE ON fact_plays
    REFERENCING OLD TABLE AS changed_plays
    FOR EACH STATEMENT EXECUTE FUNCTION record_play_changes();

-- A new time zone re-cuts every day of the user's, whichever statement sets it.
CREATE FUNCTION record_time_zone_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO data_changes (user_id)
    SELECT after.user_id
    FROM after_update AS after
    JOIN before_update AS before USING (user_id)
    WHERE after.time_zone IS DISTINCT FROM before.time_zone;
    RETURN NULL;
END
$$;

CREATE TRIGGER users_time_zone_updated AFTER UPDATE ON users
    REFERENCING OLD TABLE AS before_update NEW TABLE AS after_update
    FOR EACH STATEMENT EXECUTE FUNCTION record_time_zone_changes();

-- The catalog: any statement that writes it counts, rows or not (a load's upserts touch
-- the dimensions every time; telling real changes apart would cost more than an answer
-- computed again).
CREATE FUNCTION record_catalog_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO data_changes (user_id) VALUES (NULL);
    RETURN NULL;
END
$$;

CREATE TRIGGER dim_tracks_changed AFTER INSERT OR UPDATE OR DELETE ON dim_tracks
    FOR EACH STATEMENT EXECUTE FUNCTION record_catalog_change();
CREATE TRIGGER dim_artists_changed AFTER INSERT OR UPDATE OR DELETE ON dim_artists
    FOR EACH STATEMENT EXECUTE FUNCTION record_catalog_change();
CREATE TRIGGER dim_albums_changed AFTER INSERT OR UPDATE OR DELETE ON dim_albums
    FOR EACH STATEMENT EXECUTE FUNCTION record_catalog_change();
CREATE TRIGGER dim_episodes_changed AFTER INSERT OR UPDATE OR DELETE ON dim_episodes
    FOR EACH STATEMENT EXECUTE FUNCTION record_catalog_change();
CREATE TRIGGER track_artists_changed AFTER INSERT OR UPDATE OR DELETE ON track_artists
    FOR EACH STATEMENT EXECUTE FUNCTION record_catalog_change();
CREATE TRIGGER track_audio_features_changed
    AFTER INSERT OR UPDATE OR DELETE ON track_audio_features
    FOR EACH STATEMENT EXECUTE FUNCTION record_catalog_change();
