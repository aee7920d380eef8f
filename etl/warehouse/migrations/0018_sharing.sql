-- Comparing with friends: each user's choice to share their listening with the other users
-- of this Moodify. Opt-in: a user without a row here, or with `shared` false, shares nothing,
-- and the API tells no other user that they exist.
--
-- "Up to five": a Moodify serves a household or a small circle, and the affinity view
-- compares among at most five people. At most five users share at once; the sixth to opt in
-- is refused (the API answers 409) until one of the five stops sharing. Users who do not
-- share are not counted, however many the allowlist names.
CREATE TABLE user_sharing (
    user_id     text PRIMARY KEY REFERENCES users ON DELETE CASCADE,
    shared      boolean NOT NULL DEFAULT false,
    changed_at  timestamptz NOT NULL          -- when `shared` last took its value
);

-- The limit spans rows, which a CHECK cannot: each writing statement first waits for the
-- others' (an advisory lock held to its commit), then counts with a snapshot taken after
-- they committed, so two users opting in at once cannot both become the sixth.
CREATE FUNCTION lock_user_sharing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7231050);
    RETURN NULL;
END
$$;

CREATE FUNCTION check_sharing_limit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT count(*) FROM user_sharing WHERE shared) > 5 THEN
        RAISE EXCEPTION 'at most 5 users of a Moodify share their listening'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'user_sharing_at_most_five';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER user_sharing_serialised BEFORE INSERT OR UPDATE ON user_sharing
    FOR EACH STATEMENT EXECUTE FUNCTION lock_user_sharing();
CREATE TRIGGER user_sharing_at_most_five AFTER INSERT OR UPDATE ON user_sharing
    FOR EACH STATEMENT EXECUTE FUNCTION check_sharing_limit();
