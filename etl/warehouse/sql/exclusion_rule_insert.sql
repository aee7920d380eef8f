-- A new exclusion rule of %(user_id)s, from %(rule)s (a JSON object of its columns).
INSERT INTO exclusion_rules (
    user_id, kind, item_id, show_name, platform_family, platform_device, starts_at, ends_at,
    daily_from, daily_to, weekdays, min_seconds, note, created_at, updated_at)
SELECT %(user_id)s, r.kind, r.item_id, r.show_name, r.platform_family, r.platform_device,
       r.starts_at, r.ends_at, r.daily_from, r.daily_to, r.weekdays, r.min_seconds, r.note,
       %(now)s, %(now)s
FROM jsonb_populate_record(NULL::exclusion_rules, %(rule)s::jsonb) AS r
RETURNING rule_id;
