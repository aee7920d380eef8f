-- One entity's figures from the rollups: its %(kind)s items %(item_ids)s. Plays, listening
-- time and mood between the inclusive local days `from`..`to` (NULL: open); the first and
-- last play of all time (NULL: never played). Mood as agg_daily_mood weighs it: means over
-- the listening time of tracks with features, coverage the share it is of all.
WITH items AS (
    SELECT ever.first_started_at, ever.last_started_at, ranged.plays, ranged.listening_ms,
           f.valence, f.energy
    FROM items_between(%(user_id)s, NULL, NULL) AS ever
    LEFT JOIN (
        SELECT kind, item_id, plays, listening_ms
        FROM items_between(%(user_id)s, %(from)s, %(to)s)
        WHERE item_id = ANY(%(item_ids)s::text[])
    ) AS ranged USING (kind, item_id)
    LEFT JOIN track_audio_features AS f ON ever.kind = 'track' AND f.track_id = ever.item_id
    WHERE ever.kind = %(kind)s
      AND ever.item_id = ANY(%(item_ids)s::text[])
), figures AS (
    SELECT coalesce(sum(plays), 0)::bigint AS plays,
           coalesce(sum(listening_ms), 0)::bigint AS listening_ms,
           coalesce(sum(listening_ms) FILTER (WHERE valence IS NOT NULL), 0) AS featured_ms,
           sum(valence::float8 * listening_ms) AS valence_ms,
           sum(energy::float8 * listening_ms) AS energy_ms,
           min(first_started_at) AS first_played_at,
           max(last_started_at) AS last_played_at
    FROM items
)
SELECT plays, listening_ms, first_played_at, last_played_at,
       valence_ms / nullif(featured_ms, 0) AS valence,
       energy_ms / nullif(featured_ms, 0) AS energy,
       coalesce(featured_ms::float8 / nullif(listening_ms, 0), 0) AS coverage
FROM figures;
