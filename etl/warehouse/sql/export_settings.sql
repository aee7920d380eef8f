-- The settings export of %(user_id)s: the time zone that cuts the user's days (the
-- configured default for a user the warehouse does not know), the user's row of
-- user_settings (every column but the key, whatever columns it has; {} when none), and every
-- exclusion rule with all its columns, oldest first (NULL fields kept).
SELECT coalesce((SELECT time_zone FROM users WHERE user_id = %(user_id)s),
                %(default_time_zone)s) AS time_zone,
       coalesce((SELECT to_jsonb(s) - 'user_id' FROM user_settings AS s
                 WHERE s.user_id = %(user_id)s), '{}') AS settings,
       coalesce((SELECT jsonb_agg(to_jsonb(r) - 'user_id' ORDER BY r.rule_id)
                 FROM exclusion_rules AS r
                 WHERE r.user_id = %(user_id)s), '[]') AS exclusion_rules;
