-- Account-data plays stored before the track they name was known: where a track this
-- object brought is now the one known track of that name and artist, the play is that
-- track's, as if the account data had come after it (see resolve_account_names.sql).
-- Only tracks new to the warehouse can resolve a name that did not resolve before.
WITH new_names AS (
    SELECT DISTINCT lower(track_name) AS track_name,
                    lower(artists::jsonb -> 0 ->> 'name') AS artist_name
    FROM staging_tracks
    WHERE track_id NOT LIKE 'name:%%'
      AND EXISTS (  -- evaluated once, through the index of exactly these plays
          SELECT FROM fact_plays
          WHERE user_id = %(user_id)s AND source = 'account' AND track_id LIKE 'name:%%')
), known AS (
    SELECT n.track_name, n.artist_name, min(t.track_id) AS track_id
    FROM new_names n
    JOIN dim_tracks t ON lower(t.name) = n.track_name AND t.track_id NOT LIKE 'name:%%'
    JOIN track_artists ta ON ta.track_id = t.track_id AND ta.position = 0
    JOIN dim_artists a ON a.artist_id = ta.artist_id AND lower(a.name) = n.artist_name
    GROUP BY n.track_name, n.artist_name
    HAVING count(*) = 1
), resolved AS (
    UPDATE fact_plays p
    SET track_id = known.track_id
    FROM dim_tracks pt, track_artists pta, dim_artists pa, known
    WHERE p.user_id = %(user_id)s
      AND p.source = 'account'
      AND p.track_id LIKE 'name:%%'
      AND pt.track_id = p.track_id
      AND pta.track_id = p.track_id AND pta.position = 0
      AND pa.artist_id = pta.artist_id
      AND lower(pt.name) = known.track_name
      AND lower(pa.name) = known.artist_name
    RETURNING p.started_at
)
-- The resolved track may have audio features the name had not: the days are stale.
INSERT INTO agg_stale_days (user_id, day)
SELECT DISTINCT %(user_id)s, (resolved.started_at AT TIME ZONE u.time_zone)::date
FROM resolved, users u
WHERE u.user_id = %(user_id)s
ON CONFLICT DO NOTHING;
