INSERT INTO users (user_id, display_name, time_zone)
VALUES (%(user_id)s, %(display_name)s, %(time_zone)s)
ON CONFLICT (user_id) DO UPDATE
SET display_name = coalesce(EXCLUDED.display_name, users.display_name);
