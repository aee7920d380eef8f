-- Mark stale the (user, local day)s of every stored play that rule %(rule_id)s of
-- %(user_id)s matches: run before a rule changes or goes (the days it matched) and after it
-- is added or changed (the days it matches), so the refresh rebuilds exactly those days.
-- Nothing when the user has no such rule.
INSERT INTO agg_stale_days (user_id, day)
SELECT DISTINCT p.user_id, (p.started_at AT TIME ZONE u.time_zone)::date
FROM exclusion_rules AS r
JOIN users AS u USING (user_id)
JOIN fact_plays AS p ON p.user_id = r.user_id
WHERE r.rule_id = %(rule_id)s
  AND r.user_id = %(user_id)s
  AND exclusion_rule_matches(r, p, u.time_zone)
ON CONFLICT DO NOTHING;
