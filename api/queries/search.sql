-- The user's tracks, artists, albums and shows (podcasts and audiobooks) whose name holds
-- %(q)s, case and accents folded on both sides (search_fold): each kind its most played
-- first, at most %(limit)s, counting the plays started within the local date range.
-- Names are matched first (each row's folded name is stored), then only the matches' plays
-- are summed, each item's days read through the rollup's per-item index (the range filters
-- the sums, not the read: a range bound in the read would lead the planner to the day index
-- and a scan of the range per item).
WITH range AS (
    SELECT coalesce(%(from)s::date, '-infinity') AS first,
           coalesce(%(to)s::date, 'infinity') AS last
), needle AS (
    -- LIKE's own wildcards in the query are matched literally.
    SELECT '%%' || replace(replace(replace(search_fold(%(q)s), '\', '\\'), '%%', '\%%'),
                           '_', '\_') || '%%' AS pattern
), track_hits AS (
    SELECT 'track' AS kind, t.track_id AS id, t.name,
           (SELECT string_agg(a.name, ', ' ORDER BY ta.position)
            FROM track_artists AS ta JOIN dim_artists AS a USING (artist_id)
            WHERE ta.track_id = t.track_id) AS detail,
           (SELECT al.image_url FROM dim_albums AS al WHERE al.album_id = t.album_id)
               AS image_url,
           p.plays, p.listening_ms
    FROM dim_tracks AS t
    CROSS JOIN range AS r
    CROSS JOIN LATERAL (
        SELECT sum(d.plays) FILTER (WHERE d.day BETWEEN r.first AND r.last) AS plays,
               sum(d.listening_ms) FILTER (WHERE d.day BETWEEN r.first AND r.last)
                   AS listening_ms
        FROM agg_daily_items AS d
        WHERE d.user_id = %(user_id)s AND d.kind = 'track' AND d.item_id = t.track_id
    ) AS p
    WHERE t.search_name LIKE (SELECT pattern FROM needle)
      AND p.plays IS NOT NULL
    ORDER BY p.plays DESC, t.name, t.track_id
    LIMIT %(limit)s
), artist_hits AS (
    SELECT 'artist' AS kind, a.artist_id AS id, a.name, NULL AS detail, NULL AS image_url,
           p.plays, p.listening_ms
    FROM dim_artists AS a
    CROSS JOIN range AS r
    CROSS JOIN LATERAL (
        SELECT sum(d.plays) FILTER (WHERE d.day BETWEEN r.first AND r.last) AS plays,
               sum(d.listening_ms) FILTER (WHERE d.day BETWEEN r.first AND r.last)
                   AS listening_ms
        FROM track_artists AS ta
        JOIN agg_daily_items AS d
          ON d.user_id = %(user_id)s AND d.kind = 'track' AND d.item_id = ta.track_id
        WHERE ta.artist_id = a.artist_id
    ) AS p
    WHERE a.search_name LIKE (SELECT pattern FROM needle)
      AND p.plays IS NOT NULL
    ORDER BY p.plays DESC, a.name, a.artist_id
    LIMIT %(limit)s
), album_hits AS (
    SELECT 'album' AS kind, al.album_id AS id, al.name,
           (SELECT a.name
            FROM dim_tracks AS t2
            JOIN track_artists AS ta ON ta.track_id = t2.track_id AND ta.position = 0
            JOIN dim_artists AS a USING (artist_id)
            WHERE t2.album_id = al.album_id
            ORDER BY a.name
            LIMIT 1) AS detail,
           al.image_url, p.plays, p.listening_ms
    FROM dim_albums AS al
    CROSS JOIN range AS r
    CROSS JOIN LATERAL (
        SELECT sum(d.plays) FILTER (WHERE d.day BETWEEN r.first AND r.last) AS plays,
               sum(d.listening_ms) FILTER (WHERE d.day BETWEEN r.first AND r.last)
                   AS listening_ms
        FROM dim_tracks AS t
        JOIN agg_daily_items AS d
          ON d.user_id = %(user_id)s AND d.kind = 'track' AND d.item_id = t.track_id
        WHERE t.album_id = al.album_id
    ) AS p
    WHERE al.search_name LIKE (SELECT pattern FROM needle)
      AND p.plays IS NOT NULL
    ORDER BY p.plays DESC, al.name, al.album_id
    LIMIT %(limit)s
), show_hits AS (
    SELECT CASE s.kind WHEN 'chapter' THEN 'audiobook' ELSE 'show' END AS kind,
           s.show_name AS id, s.show_name AS name, NULL AS detail, NULL AS image_url,
           p.plays, p.listening_ms
    FROM (
        SELECT DISTINCT show_name, kind
        FROM dim_episodes
        WHERE search_show_name LIKE (SELECT pattern FROM needle)
    ) AS s
    CROSS JOIN range AS r
    CROSS JOIN LATERAL (
        SELECT sum(d.plays) FILTER (WHERE d.day BETWEEN r.first AND r.last) AS plays,
               sum(d.listening_ms) FILTER (WHERE d.day BETWEEN r.first AND r.last)
                   AS listening_ms
        FROM dim_episodes AS e
        JOIN agg_daily_items AS d
          ON d.user_id = %(user_id)s AND d.kind = 'episode' AND d.item_id = e.episode_id
        WHERE e.show_name = s.show_name AND e.kind = s.kind
    ) AS p
    WHERE p.plays IS NOT NULL
    ORDER BY p.plays DESC, s.show_name, s.kind
    LIMIT %(limit)s
)
SELECT * FROM track_hits
UNION ALL SELECT * FROM artist_hits
UNION ALL SELECT * FROM album_hits
UNION ALL SELECT * FROM show_hits;
