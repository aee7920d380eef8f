-- Users as the rebuild starts them, before any play is replayed: with the time zone each
-- chose (from the live warehouse, or the lake's state where it says), which the loads
-- then keep. Everything else about a user comes back with the raw objects.
INSERT INTO users (user_id, time_zone)
SELECT user_id, time_zone
FROM json_to_recordset(%(users)s) AS chosen(user_id text, time_zone text)
ON CONFLICT (user_id) DO UPDATE SET time_zone = EXCLUDED.time_zone;
