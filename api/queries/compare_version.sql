-- What a comparison reads beyond the requesting user's data, which the answer's ETag keys
-- too (api/routers/compare.py): the friend's data version, time zone and name, and both
-- sides' sharing choices.
SELECT coalesce((SELECT sum(changes) FROM data_changes WHERE user_id = %(friend_user_id)s), 0)::bigint
           AS friend_version,
       (SELECT time_zone FROM users WHERE user_id = %(friend_user_id)s) AS friend_time_zone,
       (SELECT display_name FROM users WHERE user_id = %(friend_user_id)s) AS friend_name,
       (SELECT json_agg(json_build_array(user_id, shared, changed_at) ORDER BY user_id)::text
        FROM user_sharing
        WHERE user_id IN (%(user_id)s, %(friend_user_id)s)) AS sharing;
