-- The user's tracks, artists, albums and shows (podcasts and audiobooks) whose name holds
-- %(q)s, case and accents folded on both sides (search_fold): each kind its most played
-- first, at most %(limit)s, counting the plays started within the local date range.
-- Names are matched first, then only the matches' plays are summed, through the rollup's
-- per-item index.
WITH needle AS (
    -- LIKE's own wildcards in the query are matched literally.
    SELECT '%%' || replace(replace(replace(search_fold(%(q)s), '\', '\\'), '%%', '\%%'),
                           '_', '\_') || '%%' AS pattern
), matched_tracks AS (
    SELECT track_id, name, album_id
    FROM dim_tracks
    WHERE search_fold(name) LIKE (SELECT pattern FROM needle)
), matched_artists AS (
    SELECT artist_id, name
    FROM dim_artists
    WHERE search_fold(name) LIKE (SELECT pattern FROM needle)
), matched_albums AS (
    SELECT album_id, name, image_url
    FROM dim_albums
    WHERE search_fold(name) LIKE (SELECT pattern FROM needle)
), matched_episodes AS (
    SELECT episode_id, show_name, kind
    FROM dim_episodes
    WHERE search_fold(show_name) LIKE (SELECT pattern FROM needle)
), played AS (
    -- Each matched item's plays in the range (none: not one of the user's).
    SELECT d.kind, d.item_id, sum(d.plays) AS plays, sum(d.listening_ms) AS listening_ms
    FROM (
        SELECT 'track' AS kind, track_id AS item_id FROM matched_tracks
        UNION
        SELECT 'track', ta.track_id
        FROM matched_artists JOIN track_artists AS ta USING (artist_id)
        UNION
        SELECT 'track', t.track_id
        FROM matched_albums JOIN dim_tracks AS t USING (album_id)
        UNION
        SELECT 'episode', episode_id FROM matched_episodes
    ) AS item
    JOIN agg_daily_items AS d
      ON d.user_id = %(user_id)s AND d.kind = item.kind AND d.item_id = item.item_id
    WHERE d.day >= coalesce(%(from)s::date, '-infinity')
      AND d.day <= coalesce(%(to)s::date, 'infinity')
    GROUP BY d.kind, d.item_id
), tracks AS (
    SELECT 'track' AS kind, t.track_id AS id, t.name,
           (SELECT string_agg(a.name, ', ' ORDER BY ta.position)
            FROM track_artists AS ta JOIN dim_artists AS a USING (artist_id)
            WHERE ta.track_id = t.track_id) AS detail,
           al.image_url, p.plays, p.listening_ms
    FROM matched_tracks AS t
    JOIN played AS p ON p.kind = 'track' AND p.item_id = t.track_id
    LEFT JOIN dim_albums AS al USING (album_id)
    ORDER BY p.plays DESC, t.name, t.track_id
    LIMIT %(limit)s
), artists AS (
    SELECT 'artist' AS kind, a.artist_id AS id, a.name, NULL AS detail, NULL AS image_url,
           sum(p.plays) AS plays, sum(p.listening_ms) AS listening_ms
    FROM matched_artists AS a
    JOIN track_artists AS ta USING (artist_id)
    JOIN played AS p ON p.kind = 'track' AND p.item_id = ta.track_id
    GROUP BY a.artist_id, a.name
    ORDER BY plays DESC, a.name, a.artist_id
    LIMIT %(limit)s
), albums AS (
    SELECT 'album' AS kind, al.album_id AS id, al.name,
           (SELECT a.name
            FROM dim_tracks AS t2
            JOIN track_artists AS ta ON ta.track_id = t2.track_id AND ta.position = 0
            JOIN dim_artists AS a USING (artist_id)
            WHERE t2.album_id = al.album_id
            ORDER BY a.name
            LIMIT 1) AS detail,
           al.image_url, sum(p.plays) AS plays, sum(p.listening_ms) AS listening_ms
    FROM matched_albums AS al
    JOIN dim_tracks AS t USING (album_id)
    JOIN played AS p ON p.kind = 'track' AND p.item_id = t.track_id
    GROUP BY al.album_id, al.name, al.image_url
    ORDER BY plays DESC, al.name, al.album_id
    LIMIT %(limit)s
), shows AS (
    SELECT CASE e.kind WHEN 'chapter' THEN 'audiobook' ELSE 'show' END AS kind,
           e.show_name AS id, e.show_name AS name,
           NULL AS detail, NULL AS image_url,
           sum(p.plays) AS plays, sum(p.listening_ms) AS listening_ms
    FROM matched_episodes AS e
    JOIN played AS p ON p.kind = 'episode' AND p.item_id = e.episode_id
    GROUP BY e.show_name, e.kind
    ORDER BY plays DESC, e.show_name, e.kind
    LIMIT %(limit)s
)
SELECT * FROM tracks
UNION ALL SELECT * FROM artists
UNION ALL SELECT * FROM albums
UNION ALL SELECT * FROM shows;
