-- Totals of the user's plays (music and episodes) started within the local date range,
-- from the rollups (items_between). `from`/`to` are inclusive local dates (NULL: open).
WITH items AS (
    SELECT kind, item_id, plays, listening_ms,
           first_started_at AS first_played_at,
           last_started_at AS last_played_at
    FROM items_between(%(user_id)s, %(from)s, %(to)s)
), totals AS (
    SELECT coalesce(sum(plays), 0)::bigint AS plays,
           coalesce(sum(listening_ms), 0)::bigint AS listening_ms,
           count(*) FILTER (WHERE kind = 'track') AS distinct_tracks,
           count(*) FILTER (WHERE kind = 'episode') AS distinct_episodes,
           min(first_played_at) AS first_played_at,
           max(last_played_at) AS last_played_at
    FROM items
), artists AS (
    SELECT count(DISTINCT ta.artist_id) AS distinct_artists
    FROM items
    JOIN track_artists AS ta ON ta.track_id = items.item_id
    WHERE items.kind = 'track'
)
SELECT totals.*, artists.distinct_artists
FROM totals, artists;
