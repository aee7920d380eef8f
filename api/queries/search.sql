-- The user's tracks, artists, albums and shows (podcasts and audiobooks) whose name holds
-- %(q)s, case and accents folded on both sides (search_fold): each kind its most played
-- first, at most %(limit)s, counting the plays started within the local date range.
-- The range's tracks and episodes are summed once each (items_between; apart, so that the
-- planner knows how many of each), then matched by their stored folded names: a broad
-- query ("the") matches thousands of names but never reads more rows.
WITH needle AS (
    -- LIKE's own wildcards in the query are matched literally.
    SELECT '%%' || replace(replace(replace(search_fold(%(q)s), '\', '\\'), '%%', '\%%'),
                           '_', '\_') || '%%' AS pattern
), played_tracks AS MATERIALIZED (
    SELECT item_id, plays, listening_ms
    FROM items_between(%(user_id)s, %(from)s, %(to)s)
    WHERE kind = 'track'
), played_episodes AS MATERIALIZED (
    SELECT item_id, plays, listening_ms
    FROM items_between(%(user_id)s, %(from)s, %(to)s)
    WHERE kind = 'episode'
), track_hits AS (
    SELECT 'track' AS kind, t.track_id AS id, t.name,
           (SELECT string_agg(a.name, ', ' ORDER BY ta.position)
            FROM track_artists AS ta JOIN dim_artists AS a USING (artist_id)
            WHERE ta.track_id = t.track_id) AS detail,
           (SELECT al.image_url FROM dim_albums AS al WHERE al.album_id = t.album_id)
               AS image_url,
           p.plays, p.listening_ms
    FROM played_tracks AS p
    JOIN dim_tracks AS t ON t.track_id = p.item_id
    WHERE t.search_name LIKE (SELECT pattern FROM needle)
    ORDER BY p.plays DESC, t.name, t.track_id
    LIMIT %(limit)s
), artist_hits AS (
    SELECT 'artist' AS kind, a.artist_id AS id, a.name, NULL AS detail, NULL AS image_url,
           sum(p.plays)::bigint AS plays, sum(p.listening_ms)::bigint AS listening_ms
    FROM played_tracks AS p
    JOIN track_artists AS ta ON ta.track_id = p.item_id
    JOIN dim_artists AS a USING (artist_id)
    WHERE a.search_name LIKE (SELECT pattern FROM needle)
    GROUP BY a.artist_id, a.name
    ORDER BY 6 DESC, a.name, a.artist_id
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
           al.image_url, sum(p.plays)::bigint AS plays,
           sum(p.listening_ms)::bigint AS listening_ms
    FROM played_tracks AS p
    JOIN dim_tracks AS t ON t.track_id = p.item_id
    JOIN dim_albums AS al ON al.album_id = t.album_id
    WHERE al.search_name LIKE (SELECT pattern FROM needle)
    GROUP BY al.album_id, al.name, al.image_url
    ORDER BY 6 DESC, al.name, al.album_id
    LIMIT %(limit)s
), show_hits AS (
    SELECT CASE e.kind WHEN 'chapter' THEN 'audiobook' ELSE 'show' END AS kind,
           e.show_name AS id, e.show_name AS name, NULL AS detail, NULL AS image_url,
           sum(p.plays)::bigint AS plays, sum(p.listening_ms)::bigint AS listening_ms
    FROM played_episodes AS p
    JOIN dim_episodes AS e ON e.episode_id = p.item_id
    WHERE e.search_show_name LIKE (SELECT pattern FROM needle)
    GROUP BY e.show_name, e.kind
    ORDER BY 6 DESC, e.show_name, e.kind
    LIMIT %(limit)s
)
SELECT * FROM track_hits
UNION ALL SELECT * FROM artist_hits
UNION ALL SELECT * FROM album_hits
UNION ALL SELECT * FROM show_hits;
