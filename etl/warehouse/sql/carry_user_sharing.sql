-- A rebuild keeps each user's choice to share their listening (migration 0018): the lake
-- holds no record of it, so it comes from the live warehouse (schema {live}), for the
-- users the rebuild seeded. The build schema is the one on the search path.
INSERT INTO user_sharing (user_id, shared, changed_at)
SELECT s.user_id, s.shared, s.changed_at
FROM {live}.user_sharing AS s
JOIN users AS u USING (user_id);
