-- A user's choice to share their listening with the other users of this Moodify (migration
-- 0018). A user with no row in `users` yet (nothing imported) gets one, in the configured
-- time zone, as a first load would give it. `changed_at` moves only when the choice does.
INSERT INTO users (user_id, time_zone)
VALUES (%(user_id)s, %(time_zone)s)
ON CONFLICT (user_id) DO NOTHING;

INSERT INTO user_sharing (user_id, shared, changed_at)
VALUES (%(user_id)s, %(shared)s, %(now)s)
ON CONFLICT (user_id) DO UPDATE
SET shared = EXCLUDED.shared, changed_at = EXCLUDED.changed_at
WHERE user_sharing.shared IS DISTINCT FROM EXCLUDED.shared;
