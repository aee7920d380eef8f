-- A rebuild keeps each user's settings (migration 0017): the lake holds no record of them
-- (the time zone excepted, which the seeded users already have), so they come from the
-- live warehouse (schema {live}), for the users the rebuild seeded. The build schema is the
-- one on the search path.
INSERT INTO user_settings (user_id, ranking_measure, changed_at)
SELECT s.user_id, s.ranking_measure, s.changed_at
FROM {live}.user_settings AS s
JOIN users AS u USING (user_id);
