-- Whose listening histories the warehouse holds: each user with at least one play.
SELECT u.user_id
FROM users u
WHERE EXISTS (SELECT FROM fact_plays p WHERE p.user_id = u.user_id)
ORDER BY u.user_id;
