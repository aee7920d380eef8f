-- The artists two users both listened to within the local days %(from)s..%(to)s (each side's
-- days cut in its own time zone), from the rollups (items_between). A play credits every
-- artist of its track with its full ms_played; an artist's share is its part of the side's
-- artist listening time. `overlap` is the sum over shared artists of the smaller share (the
-- score, over 100); the page is the %(limit)s shared artists with the largest smaller share.
WITH mine AS (
    SELECT ta.artist_id, sum(p.listening_ms)::bigint AS ms
    FROM items_between(%(user_id)s, %(from)s, %(to)s) AS p
    JOIN track_artists AS ta ON ta.track_id = p.item_id
    WHERE p.kind = 'track'
    GROUP BY ta.artist_id
), theirs AS (
    SELECT ta.artist_id, sum(p.listening_ms)::bigint AS ms
    FROM items_between(%(friend_user_id)s, %(from)s, %(to)s) AS p
    JOIN track_artists AS ta ON ta.track_id = p.item_id
    WHERE p.kind = 'track'
    GROUP BY ta.artist_id
), shared AS (
    SELECT artist_id, m.ms AS mine_ms, t.ms AS theirs_ms,
           m.ms::float8 / (SELECT sum(ms) FROM mine) AS mine_share,
           t.ms::float8 / (SELECT sum(ms) FROM theirs) AS theirs_share
    FROM mine AS m
    JOIN theirs AS t USING (artist_id)
    -- An artist heard for 0 ms (every play cut at once) holds no share of either side.
    WHERE m.ms > 0 AND t.ms > 0
), page AS (
    SELECT s.*, a.name
    FROM shared AS s
    JOIN dim_artists AS a USING (artist_id)
    ORDER BY least(s.mine_share, s.theirs_share) DESC, a.name, a.artist_id
    LIMIT %(limit)s
)
SELECT (SELECT count(*) FROM mine) AS my_artists,
       (SELECT count(*) FROM theirs) AS their_artists,
       (SELECT count(*) FROM shared) AS shared_artists,
       coalesce((SELECT sum(least(mine_share, theirs_share)) FROM shared), 0) AS overlap,
       coalesce(
           (SELECT json_agg(json_build_object(
                       'artist_id', artist_id, 'name', name,
                       'mine_ms', mine_ms, 'theirs_ms', theirs_ms,
                       'mine_share', mine_share, 'theirs_share', theirs_share)
                   ORDER BY least(mine_share, theirs_share) DESC, name, artist_id)
            FROM page),
           '[]') AS items;
