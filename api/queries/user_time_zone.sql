-- The IANA zone that cuts the user's days; the configured default when the user is unknown.
SELECT coalesce(
           (SELECT time_zone FROM users WHERE user_id = %(user_id)s),
           %(default_time_zone)s
       ) AS time_zone;
