-- The user's exclusion rules (all, or rule %(rule_id)s), or, for a preview, the one rule of
-- %(rule)s (a JSON object of exclusion_rules' columns) instead, each with the name of what
-- it names and the plays it matches among everything stored (whether other rules match them
-- too or not): how many, and their listening time.
WITH previewed AS (
    SELECT jsonb_populate_record(
        NULL::exclusion_rules,
        %(rule)s::jsonb || jsonb_build_object('user_id', %(user_id)s::text)) AS rule
    WHERE %(rule)s::jsonb IS NOT NULL
), rules AS (
    SELECT r.*
    FROM exclusion_rules AS r
    WHERE r.user_id = %(user_id)s
      AND %(rule)s::jsonb IS NULL
      AND (%(rule_id)s::bigint IS NULL OR r.rule_id = %(rule_id)s::bigint)
    UNION ALL
    -- What a stored rule's trigger would set.
    SELECT (jsonb_populate_record(
        p.rule, jsonb_build_object('items', exclusion_rule_items(p.rule)))).*
    FROM previewed AS p
)
SELECT r.rule_id, r.kind, r.item_id, r.show_name, r.platform_family, r.platform_device,
       r.starts_at, r.ends_at, r.daily_from, r.daily_to, r.weekdays, r.min_seconds, r.note,
       r.created_at, r.updated_at,
       CASE r.kind
           WHEN 'artist' THEN (SELECT a.name FROM dim_artists AS a WHERE a.artist_id = r.item_id)
           WHEN 'track' THEN (SELECT t.name FROM dim_tracks AS t WHERE t.track_id = r.item_id)
           WHEN 'album' THEN (SELECT al.name FROM dim_albums AS al WHERE al.album_id = r.item_id)
           ELSE r.show_name
       END AS target_name,
       u.time_zone,
       matched.plays, matched.listening_ms
FROM rules AS r
JOIN users AS u USING (user_id)
CROSS JOIN LATERAL (
    SELECT count(*) AS plays, coalesce(sum(p.ms_played), 0)::bigint AS listening_ms
    FROM fact_plays AS p
    WHERE p.user_id = r.user_id
      AND exclusion_rule_matches(r, p, u.time_zone)
) AS matched
ORDER BY r.rule_id;
