-- Totals of the user's listening (music and episodes) over the inclusive local days
-- %(from)s..%(to)s, from the rollups: plays, time, days, distinct items, and discoveries
-- (tracks and artists whose first play ever falls in the range).
WITH items AS (
    SELECT kind, item_id, plays, listening_ms
    FROM items_between(%(user_id)s, %(from)s, %(to)s)
), totals AS (
    SELECT coalesce(sum(plays), 0)::bigint AS plays,
           coalesce(sum(listening_ms), 0)::bigint AS listening_ms,
           count(*) FILTER (WHERE kind = 'track') AS distinct_tracks,
           count(*) FILTER (WHERE kind = 'episode') AS distinct_episodes
    FROM items
), days AS (
    -- a few rows per day (how the plays were played), the fewest of the daily rollups
    SELECT count(*) AS listening_days
    FROM (SELECT day
          FROM agg_daily_context
          WHERE user_id = %(user_id)s
            AND day BETWEEN %(from)s::date AND %(to)s::date
          GROUP BY day) AS played
), artists AS (
    SELECT count(*) AS distinct_artists
    FROM (SELECT ta.artist_id
          FROM items AS i
          JOIN track_artists AS ta ON ta.track_id = i.item_id
          WHERE i.kind = 'track'
          GROUP BY ta.artist_id) AS credited
), discoveries AS (
    SELECT count(*) FILTER (WHERE kind = 'track') AS new_tracks,
           count(*) FILTER (WHERE kind = 'artist') AS new_artists
    FROM agg_first_plays
    WHERE user_id = %(user_id)s
      AND day BETWEEN %(from)s::date AND %(to)s::date
)
SELECT totals.plays, totals.listening_ms, days.listening_days, totals.distinct_tracks,
       totals.distinct_episodes, artists.distinct_artists, discoveries.*
FROM totals, days, artists, discoveries;
