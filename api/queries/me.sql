SELECT display_name, time_zone
FROM users
WHERE user_id = %(user_id)s;
