-- Totals of the user's listening (music and episodes) over the inclusive local days
-- %(from)s..%(to)s, from the rollups: plays, time, days, distinct items, and discoveries
-- (tracks and artists whose first play ever falls in the range). Distinct values are
-- grouped (hashed), not counted with DISTINCT (sorted by text): a year holds ~15,000 rows.
WITH items AS (
    SELECT day, kind, item_id, plays, listening_ms
    FROM agg_daily_items
    WHERE user_id = %(user_id)s
      AND day BETWEEN %(from)s::date AND %(to)s::date
), per_day AS (
    SELECT day, sum(plays) AS plays, sum(listening_ms) AS listening_ms
    FROM items
    GROUP BY day
), per_item AS (
    SELECT kind, item_id
    FROM items
    GROUP BY kind, item_id
), totals AS (
    SELECT coalesce(sum(plays), 0)::bigint AS plays,
           coalesce(sum(listening_ms), 0)::bigint AS listening_ms,
           count(*) AS listening_days
    FROM per_day
), distinct_items AS (
    SELECT count(*) FILTER (WHERE kind = 'track') AS distinct_tracks,
           count(*) FILTER (WHERE kind = 'episode') AS distinct_episodes
    FROM per_item
), artists AS (
    SELECT count(*) AS distinct_artists
    FROM (SELECT ta.artist_id
          FROM per_item AS p
          JOIN track_artists AS ta ON ta.track_id = p.item_id
          WHERE p.kind = 'track'
          GROUP BY ta.artist_id) AS credited
), discoveries AS (
    SELECT count(*) FILTER (WHERE kind = 'track') AS new_tracks,
           count(*) FILTER (WHERE kind = 'artist') AS new_artists
    FROM agg_first_plays
    WHERE user_id = %(user_id)s
      AND day BETWEEN %(from)s::date AND %(to)s::date
)
SELECT totals.*, distinct_items.*, artists.distinct_artists, discoveries.*
FROM totals, distinct_items, artists, discoveries;
