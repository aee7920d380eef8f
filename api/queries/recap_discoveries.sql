-- The artists first played (ever) on one of the inclusive local days %(from)s..%(to)s that
-- were listened to most within them: %(limit)s at most, by listening time, then plays, then
-- name and id. A play credits every artist of its track, as the top artists do.
WITH new_artists AS (
    SELECT item_id AS artist_id, first_played_at
    FROM agg_first_plays
    WHERE user_id = %(user_id)s
      AND kind = 'artist'
      AND day BETWEEN %(from)s::date AND %(to)s::date
), listened AS (
    SELECT ta.artist_id, sum(i.plays)::bigint AS plays, sum(i.listening_ms)::bigint AS listening_ms
    FROM items_between(%(user_id)s, %(from)s, %(to)s) AS i
    JOIN track_artists AS ta ON ta.track_id = i.item_id
    JOIN new_artists AS n ON n.artist_id = ta.artist_id
    WHERE i.kind = 'track'
    GROUP BY ta.artist_id
)
SELECT a.artist_id, a.name, n.first_played_at, l.plays, l.listening_ms
FROM listened AS l
JOIN new_artists AS n USING (artist_id)
JOIN dim_artists AS a USING (artist_id)
ORDER BY l.listening_ms DESC, l.plays DESC, a.name, a.artist_id
LIMIT %(limit)s;
