-- A user's default ranking measure (migration 0017). A user with no row in `users` yet
-- (nothing imported) gets one, in the configured time zone, as a first load would give it.
-- `changed_at` moves only when the measure does.
INSERT INTO users (user_id, time_zone)
VALUES (%(user_id)s, %(time_zone)s)
ON CONFLICT (user_id) DO NOTHING;

INSERT INTO user_settings (user_id, ranking_measure, changed_at)
VALUES (%(user_id)s, %(ranking_measure)s, %(now)s)
ON CONFLICT (user_id) DO UPDATE
SET ranking_measure = EXCLUDED.ranking_measure, changed_at = EXCLUDED.changed_at
WHERE user_settings.ranking_measure IS DISTINCT FROM EXCLUDED.ranking_measure;
