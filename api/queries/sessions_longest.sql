-- The %(limit)s longest sessions (first start to latest end) that started on the inclusive
-- local days %(from)s..%(to)s (NULL: open); ties: more listening time, then the earlier one.
SELECT started_at, ended_at, day, plays, listening_ms,
       round(extract(epoch FROM ended_at - started_at) * 1000)::bigint AS duration_ms
FROM agg_sessions
WHERE user_id = %(user_id)s
  AND day >= coalesce(%(from)s::date, '-infinity')
  AND day <= coalesce(%(to)s::date, 'infinity')
ORDER BY ended_at - started_at DESC, listening_ms DESC, started_at
LIMIT %(limit)s;
