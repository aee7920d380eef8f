-- Daily mood of the user's local days with music listening, from the aggregate table.
SELECT day AS date, plays, listening_ms, valence, energy, coverage
FROM agg_daily_mood
WHERE user_id = %(user_id)s
  AND day BETWEEN %(from)s::date AND %(to)s::date
ORDER BY day;
