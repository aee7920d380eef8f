-- This object's plays at a glance, read once, right after COPY: precedence, the load and
-- the choice of what else to run read it instead of scanning staging_plays again. It is
-- taken before precedence leaves any play out, so its range may be wider than what is
-- finally loaded, never narrower. An object holds plays of one source.
CREATE TEMP TABLE staged_summary ON COMMIT DROP AS
SELECT count(*) AS plays, min(source) AS source, source_rank(min(source)) AS rank,
       min(started_at) AS first_start, max(started_at) AS last_start,
       max(ended_at) AS last_end
FROM staging_plays;

-- Its source, and whether the user has account plays still waiting for their track (a
-- probe of the index of exactly those plays): only an object of account data, or one
-- loaded while such plays are stored, can have any to resolve after it
-- (resolve_stored_account_names.sql).
SELECT source,
       EXISTS (SELECT FROM fact_plays
               WHERE user_id = %(user_id)s AND source = 'account' AND track_id LIKE 'name:%%')
FROM staged_summary;
