-- The time each export file covers. Exports are complete for their span, so within it the
-- export's plays win over those pulled from the API (whose start times are estimates and
-- differ by seconds): no play is counted twice.
CREATE TABLE export_coverage (
    lake_key  text PRIMARY KEY,                      -- the raw export object
    user_id   text NOT NULL REFERENCES users,
    covered   tstzrange NOT NULL
);
CREATE INDEX export_coverage_user_idx ON export_coverage (user_id);  -- a few rows per file
