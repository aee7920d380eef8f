-- A rebuild keeps each user's exclusion rules (migration 0014), with their ids: the lake
-- holds no record of them, so they come from the live warehouse (schema {live}), for the
-- users the rebuild seeded. The build schema is the one on the search path. An item rule's
-- items follow the catalog as the rebuild loads it (the triggers of migration 0014).
INSERT INTO exclusion_rules (
    rule_id, user_id, kind, item_id, show_name, platform_family, platform_device, starts_at,
    ends_at, daily_from, daily_to, weekdays, min_seconds, note, created_at, updated_at)
OVERRIDING SYSTEM VALUE
SELECT r.rule_id, r.user_id, r.kind, r.item_id, r.show_name, r.platform_family,
       r.platform_device, r.starts_at, r.ends_at, r.daily_from, r.daily_to, r.weekdays,
       r.min_seconds, r.note, r.created_at, r.updated_at
FROM {live}.exclusion_rules AS r
JOIN users AS u USING (user_id);

-- New rules are numbered after the carried ones.
SELECT setval(pg_get_serial_sequence('exclusion_rules', 'rule_id'),
              coalesce(max(rule_id), 1), max(rule_id) IS NOT NULL)
FROM exclusion_rules;
