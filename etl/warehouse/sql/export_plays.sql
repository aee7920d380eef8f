-- Every stored play of %(user_id)s that started in the local days %(from)s..%(to)s
-- (inclusive; NULL leaves that side open) of the user's time zone %(tz)s, oldest first, with its
-- names: the plays export (etl/warehouse/export.py names and documents the columns, in this
-- order). Excluded plays are exported too, flagged by `excluded`, which asks the one
-- definition of a rule (exclusion_rule_matches, as counted_plays does). Read in the order of
-- the (user_id, started_at, source, track_id, episode_id) index, so the rows stream out
-- without a sort.
WITH bounds AS (
    SELECT coalesce((%(from)s::date)::timestamp AT TIME ZONE %(tz)s, '-infinity') AS since,
           coalesce((%(to)s::date + 1)::timestamp AT TIME ZONE %(tz)s, 'infinity') AS until
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
       platform_family(p.platform) AS platform_family,
       platform_device(p.platform) AS device,
       p.conn_country,
       EXISTS (
           SELECT FROM exclusion_rules AS r
           WHERE r.user_id = p.user_id
             AND exclusion_rule_matches(r, p, %(tz)s)
       ) AS excluded
FROM bounds AS b
JOIN fact_plays AS p
  ON p.user_id = %(user_id)s AND p.started_at >= b.since AND p.started_at < b.until
LEFT JOIN dim_tracks AS t ON t.track_id = p.track_id
LEFT JOIN dim_albums AS al ON al.album_id = t.album_id
LEFT JOIN dim_episodes AS e ON e.episode_id = p.episode_id
LEFT JOIN LATERAL (
    SELECT array_agg(a.name ORDER BY ta.position) AS artist_names,
           array_agg(a.artist_id ORDER BY ta.position) AS artist_ids
    FROM track_artists AS ta
    JOIN dim_artists AS a USING (artist_id)
    WHERE ta.track_id = p.track_id
) AS credits ON true
ORDER BY p.started_at, p.source, p.track_id, p.episode_id;
