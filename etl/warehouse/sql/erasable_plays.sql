-- How many of a user's plays started in [%(from)s, %(to)s), and their listening time: what
-- erasing the range would delete (every play, excluded or not).
SELECT count(*), coalesce(sum(ms_played), 0)::bigint
FROM fact_plays
WHERE user_id = %(user_id)s
  AND started_at >= %(from)s
  AND started_at < %(to)s;
