-- Where artist %(id)s ranked among the user's artists by plays in each of %(months)s (local
-- month starts), and how many artists were played in each. A play counts for every artist
-- of its track, and ties go to listening time, then the name, then the id, as top_artists
-- ranks. Only those months' rollup rows are read.
WITH months AS (
    SELECT unnest(%(months)s::date[]) AS month
), contenders AS (
    SELECT m.month, ta.artist_id AS id,
           sum(d.plays) AS plays, sum(d.listening_ms) AS listening_ms
    FROM months AS m
    JOIN agg_daily_items AS d
      ON d.user_id = %(user_id)s
     AND d.day >= m.month
     AND d.day < (m.month + interval '1 month')::date
     AND d.kind = 'track'
    JOIN track_artists AS ta ON ta.track_id = d.item_id
    GROUP BY 1, 2
)
SELECT c.month, count(*) AS ranked,
       1 + count(*) FILTER (
           WHERE CASE WHEN (c.plays, c.listening_ms) <> (me.plays, me.listening_ms)
                      THEN (c.plays, c.listening_ms) > (me.plays, me.listening_ms)
                      -- Names are read only for the few tied on both measures.
                      ELSE (SELECT (a.name, a.artist_id) < (%(name)s, %(id)s)
                            FROM dim_artists AS a
                            WHERE a.artist_id = c.id)
                 END) AS rank
FROM contenders AS c
JOIN contenders AS me ON me.month = c.month AND me.id = %(id)s
GROUP BY c.month;
