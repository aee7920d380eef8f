-- The local day of the user's last play (music or episode); `today` (the user's local
-- day, from the app's clock) when there is none.
SELECT coalesce((max(started_at) AT TIME ZONE %(tz)s)::date, %(today)s::date) AS day
FROM counted_plays
WHERE user_id = %(user_id)s;
