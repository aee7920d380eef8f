-- Who shares their listening (migration 0018): every user of this Moodify who does, and the
-- requesting user's own choice whether they do or not. Nobody else is named.
SELECT u.user_id, u.display_name, s.shared, s.changed_at
FROM user_sharing AS s
JOIN users AS u USING (user_id)
WHERE s.shared OR s.user_id = %(user_id)s
ORDER BY lower(coalesce(u.display_name, u.user_id)), u.user_id;
