-- Within the span of an export file, the most trusted source's plays are the truth.

INSERT INTO users (user_id, time_zone)
VALUES (%(user_id)s, %(time_zone)s)
ON CONFLICT (user_id) DO NOTHING;

-- An export file records its span ...
INSERT INTO export_coverage (lake_key, user_id, source, covered)
SELECT %(lake_key)s, %(user_id)s, min(source), tstzrange(min(started_at), max(ended_at), '[]')
FROM staging_plays
WHERE source IN ('account', 'export')
HAVING count(*) > 0
ON CONFLICT (lake_key) DO NOTHING;

-- ... replaces the plays of lesser sources within it (their days become stale) ...
WITH replaced AS (
    DELETE FROM fact_plays p
    USING export_coverage c
    WHERE c.lake_key = %(lake_key)s
      AND p.user_id = %(user_id)s
      AND source_rank(p.source) < source_rank(c.source)
      AND p.started_at BETWEEN lower(c.covered) AND upper(c.covered)  -- the index's range
    RETURNING p.started_at
)
INSERT INTO agg_stale_days (user_id, day)
SELECT DISTINCT %(user_id)s, (replaced.started_at AT TIME ZONE u.time_zone)::date
FROM replaced, users u
WHERE u.user_id = %(user_id)s
ON CONFLICT DO NOTHING;

-- ... and plays of lesser sources arriving later within any such span are left out.
DELETE FROM staging_plays s
USING export_coverage c
WHERE c.user_id = %(user_id)s
  -- Computed once: only spans of a source above the least trusted staged one can matter
  -- (none, for a file of the most trusted source).
  AND source_rank(c.source) > (SELECT min(source_rank(source)) FROM staging_plays)
  AND source_rank(s.source) < source_rank(c.source)
  AND s.started_at BETWEEN lower(c.covered) AND upper(c.covered);
