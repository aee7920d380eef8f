SELECT u.display_name, u.time_zone, s.ranking_measure
FROM users AS u
LEFT JOIN user_settings AS s USING (user_id)
WHERE u.user_id = %(user_id)s;
