-- Every stored play of %(user_id)s that started in the local days %(from)s..%(to)s
-- (inclusive; NULL leaves that side open) of the user's time zone %(tz)s, oldest first, with its
-- names: the plays export (etl/warehouse/export.py names and documents the columns, in this
-- order). Excluded plays are exported too, flagged by `excluded`: not among
-- counted_plays, the plays no exclusion rule matches. Any sort the plan
-- needs happens in the server (spilling to disk past work_mem), never in the client.
WITH platforms AS MATERIALIZED (
    -- Each platform string's family and device, worked out once: the regular expressions
    -- they take cost most of the export where each play asked them again. NULL and ''
    -- name the same (Unknown), so they share the key ''.
    SELECT platform, platform_family(platform) AS family, platform_device(platform) AS device
    FROM (
        SELECT DISTINCT coalesce(platform, '') AS platform
        FROM fact_plays
        WHERE user_id = %(user_id)s
    ) AS distinct_platforms
), credits AS (
    -- The artists of every track the user played, gathered once, in credit order.
    SELECT ta.track_id,
           array_agg(a.name ORDER BY ta.position) AS artist_names,
           array_agg(a.artist_id ORDER BY ta.position) AS artist_ids
    FROM track_artists AS ta
    JOIN dim_artists AS a USING (artist_id)
    WHERE ta.track_id IN (SELECT track_id FROM fact_plays WHERE user_id = %(user_id)s)
    GROUP BY ta.track_id
)
SELECT p.started_at,
       p.ended_at,
       (p.started_at AT TIME ZONE %(tz)s)::date AS local_day,
       CASE WHEN p.track_id IS NOT NULL THEN 'track' ELSE coalesce(e.kind, 'episode') END
           AS kind,
       p.track_id,
       t.name AS track_name,
       coalesce(credits.artist_names, '{}') AS artist_names,
       coalesce(credits.artist_ids, '{}') AS artist_ids,
       t.album_id,
       al.name AS album_name,
       p.episode_id,
       e.name AS episode_name,
       e.show_name,
       p.ms_played,
       p.source,
       p.reason_start,
       p.reason_end,
       p.skipped,
       p.shuffle,
       p.offline,
       p.incognito,
       p.platform,
       pl.family AS platform_family,
       pl.device,
       p.conn_country,
       counted.user_id IS NULL AS excluded
FROM fact_plays AS p
-- The same play among those that count (one play per user, start, source and item).
LEFT JOIN counted_plays AS counted
  ON counted.user_id = p.user_id
 AND counted.started_at = p.started_at
 AND counted.source = p.source
 AND counted.track_id IS NOT DISTINCT FROM p.track_id
 AND counted.episode_id IS NOT DISTINCT FROM p.episode_id
-- Looked up per platform string, not per play (the planner memoizes the lookup).
LEFT JOIN LATERAL (
    SELECT platforms.family, platforms.device
    FROM platforms
    WHERE platforms.platform = coalesce(p.platform, '')
) AS pl ON true
LEFT JOIN dim_tracks AS t ON t.track_id = p.track_id
LEFT JOIN dim_albums AS al ON al.album_id = t.album_id
LEFT JOIN dim_episodes AS e ON e.episode_id = p.episode_id
LEFT JOIN credits ON credits.track_id = p.track_id
WHERE p.user_id = %(user_id)s
  AND p.started_at >= coalesce((%(from)s::date)::timestamp AT TIME ZONE %(tz)s, '-infinity')
  AND p.started_at < coalesce((%(to)s::date + 1)::timestamp AT TIME ZONE %(tz)s, 'infinity')
ORDER BY p.started_at, p.source, p.track_id, p.episode_id;
