-- Rule %(rule_id)s of %(user_id)s becomes %(rule)s (a JSON object of its columns); no row
-- when the user has no such rule.
UPDATE exclusion_rules AS e
SET kind = r.kind, item_id = r.item_id, show_name = r.show_name,
    platform_family = r.platform_family, platform_device = r.platform_device,
    starts_at = r.starts_at, ends_at = r.ends_at, daily_from = r.daily_from,
    daily_to = r.daily_to, weekdays = r.weekdays, min_seconds = r.min_seconds, note = r.note,
    updated_at = %(now)s
FROM jsonb_populate_record(NULL::exclusion_rules, %(rule)s::jsonb) AS r
WHERE e.rule_id = %(rule_id)s AND e.user_id = %(user_id)s
RETURNING e.rule_id;
