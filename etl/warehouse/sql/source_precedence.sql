-- Within the span of an export file, the most trusted source's plays are the truth.

INSERT INTO users (user_id, time_zone)
VALUES (%(user_id)s, %(time_zone)s)
ON CONFLICT (user_id) DO NOTHING;

-- An export file records its span ...
INSERT INTO export_coverage (lake_key, user_id, source, covered)
SELECT %(lake_key)s, %(user_id)s, min(source), tstzrange(min(started_at), max(ended_at), '[]')
FROM staging_plays
WHERE source IN ('account', 'export')
HAVING count(*) > 0
ON CONFLICT (lake_key) DO NOTHING;

-- ... replaces the plays of lesser sources within it (their days become stale) ...
WITH replaced AS (
    DELETE FROM fact_plays p
    USING export_coverage c
    WHERE c.lake_key = %(lake_key)s
      AND p.user_id = %(user_id)s
      AND source_rank(p.source) < source_rank(c.source)
      AND p.started_at <@ c.covered
    RETURNING p.started_at
)
INSERT INTO agg_stale_days (user_id, day)
SELECT DISTINCT %(user_id)s, (replaced.started_at AT TIME ZONE u.time_zone)::date
FROM replaced, users u
WHERE u.user_id = %(user_id)s
ON CONFLICT DO NOTHING;

-- ... and plays of lesser sources arriving later within any such span are left out.
DELETE FROM staging_plays s
USING export_coverage c
WHERE c.user_id = %(user_id)s
  AND source_rank(s.source) < source_rank(c.source)
  AND s.started_at <@ c.covered;

-- Account-data plays name their track but carry no ID: where exactly one known track has
-- that name and artist, the play is that track's.
UPDATE staging_plays s
SET track_id = known.track_id, album_id = known.album_id, album_name = known.album_name,
    artists = known.artists
FROM (
    SELECT lower(t.name) AS track_name, lower(a.name) AS artist_name,
           min(t.track_id) AS track_id, min(t.album_id) AS album_id,
           min(al.name) AS album_name,
           min(jsonb_build_array(jsonb_build_object('id', a.artist_id, 'name', a.name))::text)::jsonb
               AS artists
    FROM dim_tracks t
    JOIN track_artists ta ON ta.track_id = t.track_id AND ta.position = 0
    JOIN dim_artists a ON a.artist_id = ta.artist_id
    LEFT JOIN dim_albums al ON al.album_id = t.album_id
    WHERE t.track_id NOT LIKE 'name:%%'
    GROUP BY 1, 2
    HAVING count(*) = 1
) known
WHERE s.source = 'account'
  AND s.track_id LIKE 'name:%%'
  AND known.track_name = lower(s.track_name)
  AND known.artist_name = lower(s.artists -> 0 ->> 'name');
