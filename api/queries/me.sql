SELECT display_name
FROM users
WHERE user_id = %(user_id)s;
