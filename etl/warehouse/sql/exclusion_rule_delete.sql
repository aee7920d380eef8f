-- Remove rule %(rule_id)s of %(user_id)s; no row when the user has no such rule.
DELETE FROM exclusion_rules
WHERE rule_id = %(rule_id)s AND user_id = %(user_id)s
RETURNING rule_id;
