-- The user's top albums within the local date range, from the rollups (items_between): an album's plays
-- are its tracks' plays. Ranked by %(by)s: 'plays' or 'listening_time'; ties go to the other
-- measure, then the name, then the id. The page is %(limit)s albums from %(offset)s; `total`
-- counts the range's. An album's artists are those credited on its tracks played in the
-- range: lead artists (credited first on some track) before featured ones, then by plays.
WITH per_track AS (
    SELECT item_id AS track_id, plays, listening_ms
    FROM items_between(%(user_id)s, %(from)s, %(to)s)
    WHERE kind = 'track'
), album_tracks AS (
    SELECT t.album_id, p.track_id, p.plays, p.listening_ms
    FROM per_track AS p
    JOIN dim_tracks AS t USING (track_id)
    WHERE t.album_id IS NOT NULL
), per_album AS (
    SELECT album_id,
           sum(plays)::bigint AS plays,
           sum(listening_ms)::bigint AS listening_ms,
           count(*) AS tracks_played
    FROM album_tracks
    GROUP BY album_id
), page AS (
    SELECT row_number() OVER (
               ORDER BY CASE %(by)s WHEN 'plays' THEN p.plays ELSE p.listening_ms END DESC,
                        CASE %(by)s WHEN 'plays' THEN p.listening_ms ELSE p.plays END DESC,
                        al.name, al.album_id) AS rank,
           count(*) OVER () AS total,
           al.album_id, al.name, al.image_url, p.plays, p.listening_ms, p.tracks_played
    FROM per_album AS p
    JOIN dim_albums AS al USING (album_id)
    ORDER BY rank
    OFFSET %(offset)s
    LIMIT %(limit)s
), page_credits AS MATERIALIZED (  -- once, not once per album of the page
    SELECT t.album_id, ta.artist_id, min(ta.position) AS position, sum(t.plays) AS plays
    FROM album_tracks AS t
    JOIN page USING (album_id)
    JOIN track_artists AS ta USING (track_id)
    GROUP BY t.album_id, ta.artist_id
)
SELECT page.rank, page.total, page.album_id, page.name, page.image_url,
       coalesce((
           SELECT json_agg(json_build_object('artist_id', a.artist_id, 'name', a.name)
                           ORDER BY c.position > 0, c.plays DESC, a.name, a.artist_id)
           FROM page_credits AS c
           JOIN dim_artists AS a USING (artist_id)
           WHERE c.album_id = page.album_id
       ), '[]') AS artists,
       page.plays, page.listening_ms, page.tracks_played
FROM page
ORDER BY page.rank;
