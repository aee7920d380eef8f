-- Totals of the user's listening (music and episodes) over the inclusive local days
-- %(from)s..%(to)s, from the rollups: plays, time, days, distinct items, and discoveries
-- (tracks and artists whose first play ever falls in the range).
WITH items AS (
    SELECT day, kind, item_id, plays, listening_ms
    FROM agg_daily_items
    WHERE user_id = %(user_id)s
      AND day BETWEEN %(from)s::date AND %(to)s::date
), totals AS (
    SELECT coalesce(sum(plays), 0)::bigint AS plays,
           coalesce(sum(listening_ms), 0)::bigint AS listening_ms,
           count(DISTINCT day) AS listening_days,
           count(DISTINCT item_id) FILTER (WHERE kind = 'track') AS distinct_tracks,
           count(DISTINCT item_id) FILTER (WHERE kind = 'episode') AS distinct_episodes
    FROM items
), artists AS (
    SELECT count(DISTINCT ta.artist_id) AS distinct_artists
    FROM (SELECT DISTINCT item_id FROM items WHERE kind = 'track') AS t
    JOIN track_artists AS ta ON ta.track_id = t.item_id
), discoveries AS (
    SELECT count(*) FILTER (WHERE kind = 'track') AS new_tracks,
           count(*) FILTER (WHERE kind = 'artist') AS new_artists
    FROM agg_first_plays
    WHERE user_id = %(user_id)s
      AND day BETWEEN %(from)s::date AND %(to)s::date
)
SELECT totals.*, artists.distinct_artists, discoveries.*
FROM totals, artists, discoveries;
