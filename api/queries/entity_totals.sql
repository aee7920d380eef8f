-- One entity's figures from the daily rollup: its %(kind)s items %(item_ids)s. Plays,
-- listening time and mood between the inclusive local days `from`..`to` (NULL: open); the
-- first and last play of all time (NULL: never played). Mood as agg_daily_mood weighs it:
-- means over the listening time of tracks with features, coverage the share it is of all.
WITH items AS (
    SELECT d.plays, d.listening_ms, d.first_started_at, d.last_started_at, f.valence, f.energy,
           d.day >= coalesce(%(from)s::date, '-infinity')
               AND d.day <= coalesce(%(to)s::date, 'infinity') AS in_range
    FROM agg_daily_items AS d
    LEFT JOIN track_audio_features AS f ON d.kind = 'track' AND f.track_id = d.item_id
    WHERE d.user_id = %(user_id)s
      AND d.kind = %(kind)s
      AND d.item_id = ANY(%(item_ids)s::text[])
), figures AS (
    SELECT coalesce(sum(plays) FILTER (WHERE in_range), 0)::bigint AS plays,
           coalesce(sum(listening_ms) FILTER (WHERE in_range), 0)::bigint AS listening_ms,
           coalesce(sum(listening_ms) FILTER (WHERE in_range AND valence IS NOT NULL), 0)
               AS featured_ms,
           sum(valence::float8 * listening_ms) FILTER (WHERE in_range) AS valence_ms,
           sum(energy::float8 * listening_ms) FILTER (WHERE in_range) AS energy_ms,
           min(first_started_at) AS first_played_at,
           max(last_started_at) AS last_played_at
    FROM items
)
SELECT plays, listening_ms, first_played_at, last_played_at,
       valence_ms / nullif(featured_ms, 0) AS valence,
       energy_ms / nullif(featured_ms, 0) AS energy,
       coalesce(featured_ms::float8 / nullif(listening_ms, 0), 0) AS coverage
FROM figures;
