-- The longest listening session (first start to last end) that started on one of the
-- inclusive local days %(from)s..%(to)s; ties: more listening time, then the earlier one.
SELECT started_at, ended_at, day AS date, plays, listening_ms
FROM agg_sessions
WHERE user_id = %(user_id)s
  AND day BETWEEN %(from)s::date AND %(to)s::date
ORDER BY ended_at - started_at DESC, listening_ms DESC, started_at
LIMIT 1;
