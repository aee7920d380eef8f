-- Where album %(id)s ranked among the user's albums by plays in each of %(months)s (local
-- month starts), and how many albums were played in each: an album's plays are its tracks',
-- and ties go to listening time, then the name, then the id, as top_albums ranks. Only
-- those months' rollup rows are read.
WITH months AS (
    SELECT unnest(%(months)s::date[]) AS month
), contenders AS (
    SELECT m.month, t.album_id AS id,
           sum(d.plays) AS plays, sum(d.listening_ms) AS listening_ms
    FROM months AS m
    JOIN agg_daily_items AS d
      ON d.user_id = %(user_id)s
     AND d.day >= m.month
     AND d.day < (m.month + interval '1 month')::date
     AND d.kind = 'track'
    JOIN dim_tracks AS t ON t.track_id = d.item_id
    WHERE t.album_id IS NOT NULL
    GROUP BY 1, 2
)
SELECT c.month, count(*) AS ranked,
       1 + count(*) FILTER (
           WHERE CASE WHEN (c.plays, c.listening_ms) <> (me.plays, me.listening_ms)
                      THEN (c.plays, c.listening_ms) > (me.plays, me.listening_ms)
                      -- Names are read only for the few tied on both measures.
                      ELSE (SELECT (al.name, al.album_id) < (%(name)s, %(id)s)
                            FROM dim_albums AS al
                            WHERE al.album_id = c.id)
                 END) AS rank
FROM contenders AS c
JOIN contenders AS me ON me.month = c.month AND me.id = %(id)s
GROUP BY c.month;
