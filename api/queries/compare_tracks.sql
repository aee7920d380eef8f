-- The tracks two users both listened to within the local days %(from)s..%(to)s (each side's
-- days cut in its own time zone), from the rollups (items_between); a track's share is its
-- part of the side's music listening time. The page is the %(limit)s shared tracks with the
-- largest smaller share, with their credits and album cover.
WITH mine AS (
    SELECT item_id AS track_id, plays, listening_ms AS ms
    FROM items_between(%(user_id)s, %(from)s, %(to)s)
    WHERE kind = 'track'
), theirs AS (
    SELECT item_id AS track_id, plays, listening_ms AS ms
    FROM items_between(%(friend_user_id)s, %(from)s, %(to)s)
    WHERE kind = 'track'
), shared AS (
    SELECT track_id, m.ms AS mine_ms, t.ms AS theirs_ms,
           m.plays AS mine_plays, t.plays AS theirs_plays,
           m.ms::float8 / (SELECT sum(ms) FROM mine) AS mine_share,
           t.ms::float8 / (SELECT sum(ms) FROM theirs) AS theirs_share
    FROM mine AS m
    JOIN theirs AS t USING (track_id)
    WHERE m.ms > 0 AND t.ms > 0
), page AS (
    SELECT s.*, tr.name, tr.album_id, count(*) OVER () AS total
    FROM shared AS s
    JOIN dim_tracks AS tr USING (track_id)
    ORDER BY least(s.mine_share, s.theirs_share) DESC, tr.name, tr.track_id
    LIMIT %(limit)s
)
SELECT page.total, page.track_id, page.name, credits.artists, al.name AS album, al.image_url,
       page.mine_ms, page.theirs_ms, page.mine_plays, page.theirs_plays,
       page.mine_share, page.theirs_share
FROM page
LEFT JOIN dim_albums AS al USING (album_id)
CROSS JOIN LATERAL (
    SELECT coalesce(array_agg(a.name ORDER BY ta.position), '{}') AS artists
    FROM track_artists AS ta
    JOIN dim_artists AS a USING (artist_id)
    WHERE ta.track_id = page.track_id
) AS credits
ORDER BY least(page.mine_share, page.theirs_share) DESC, page.name, page.track_id;
