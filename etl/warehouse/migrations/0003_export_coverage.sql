-- The time each export file covers. An export is complete for its span, so within it its
-- plays win over those of a lesser source: the extended history ('export') over the
-- one-year account data ('account'), and both over plays pulled from the API ('api'), whose
-- start times are estimates a few seconds off. No play is counted twice.
CREATE TABLE export_coverage (
    lake_key  text PRIMARY KEY,                      -- the raw export object
    user_id   text NOT NULL REFERENCES users,
    source    text NOT NULL CHECK (source IN ('account', 'export')),
    covered   tstzrange NOT NULL
);
CREATE INDEX export_coverage_user_idx ON export_coverage (user_id);  -- a few rows per file

-- How much a source is trusted where spans overlap.
CREATE FUNCTION source_rank(source text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN array_position(ARRAY['api', 'account', 'export'], source);
