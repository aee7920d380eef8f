-- Ranges of plays their user erased. A range's plays are deleted when it is erased, and
-- never loaded again: load_plays.sql leaves out every staged play inside one, whether it
-- comes from an object loaded before (a rebuild, a repeated import) or one still to come.
-- The lake keeps the same ranges as tombstones (tombstones/), which a rebuild reads back
-- into this table before it loads anything. No reference to users: a rebuild fills it
-- before the users' plays arrive.
CREATE TABLE erased_ranges (
    user_id    text NOT NULL,
    erased     tstzrange NOT NULL CHECK (NOT isempty(erased)),
    erased_at  timestamptz NOT NULL,
    PRIMARY KEY (user_id, erased)
);
