-- Rebuild agg_monthly_ranks for every local month that holds a stale day: a rank depends on
-- every item played that month, so the whole month is ranked again from agg_monthly_items
-- (refresh_period_items.sql ran first, so every month of it is exact).
--
-- Credits change without changing plays: a load replaces a track's `name:` album or artist
-- with a real one only with a new play of the track (load_plays.sql), so the track is one of
-- the stale plays', and its months ranked under other credits are ranked again. A show whose
-- episodes are all chapters now (stored episodes that a load found to be chapters) has its
-- months ranked as a podcast ranked again, among audiobooks.
CREATE TEMP TABLE stale_track_credits ON COMMIT DROP AS
SELECT s.user_id, t.track_id, t.album_id,
       ARRAY(SELECT ta.artist_id FROM track_artists AS ta
             WHERE ta.track_id = t.track_id ORDER BY ta.position) AS artist_ids
FROM (SELECT DISTINCT user_id, track_id FROM stale_plays WHERE track_id IS NOT NULL) AS s
JOIN dim_tracks AS t USING (track_id);

CREATE TEMP TABLE stale_months ON COMMIT DROP AS
SELECT user_id, date_trunc('month', day::timestamp)::date AS month
FROM stale_days
UNION
SELECT r.user_id, r.month
FROM stale_track_credits AS c
JOIN agg_monthly_ranks AS r
  ON r.user_id = c.user_id AND r.kind = 'track' AND r.item_id = c.track_id
WHERE (r.album_id, r.artist_ids) IS DISTINCT FROM (c.album_id, c.artist_ids)
UNION
SELECT r.user_id, r.month
FROM (SELECT show_name
      FROM dim_episodes
      WHERE show_name IS NOT NULL
      GROUP BY show_name
      HAVING bool_and(kind = 'chapter')) AS audiobook
CROSS JOIN users AS u
JOIN agg_monthly_ranks AS r
  ON r.user_id = u.user_id AND r.kind = 'show' AND r.item_id = audiobook.show_name;

ANALYZE stale_months;

DELETE FROM agg_monthly_ranks AS r
USING stale_months AS m
WHERE r.user_id = m.user_id AND r.month = m.month;

CREATE TEMP TABLE month_items ON COMMIT DROP AS
SELECT i.user_id, i.month, i.kind, i.item_id, i.plays::bigint, i.listening_ms
FROM stale_months AS m
JOIN agg_monthly_items AS i ON i.user_id = m.user_id AND i.month = m.month;

ANALYZE month_items;

-- Ranked as the top lists and the entity pages rank: plays, then listening time, then the
-- name, then the id. A play credits every artist of its track; an album's plays are its
-- tracks'; shows are ranked among podcasts or audiobooks by their episodes' kind.
WITH credits AS MATERIALIZED (  -- once per track, not once per month of it
    SELECT t.track_id, t.name, t.album_id,
           ARRAY(SELECT ta.artist_id FROM track_artists AS ta
                 WHERE ta.track_id = t.track_id ORDER BY ta.position) AS artist_ids
    FROM dim_tracks AS t
    WHERE t.track_id IN (SELECT item_id FROM month_items WHERE kind = 'track')
), items AS (
    SELECT i.user_id, i.month, 'track' AS kind, i.item_id, i.plays, i.listening_ms, c.name,
           c.album_id, c.artist_ids
    FROM month_items AS i
    JOIN credits AS c ON c.track_id = i.item_id
    WHERE i.kind = 'track'
    UNION ALL
    SELECT i.user_id, i.month, 'artist', ta.artist_id, sum(i.plays)::bigint,
           sum(i.listening_ms)::bigint, a.name, NULL, NULL
    FROM month_items AS i
    JOIN track_artists AS ta ON ta.track_id = i.item_id
    JOIN dim_artists AS a ON a.artist_id = ta.artist_id
    WHERE i.kind = 'track'
    GROUP BY i.user_id, i.month, ta.artist_id, a.name
    UNION ALL
    SELECT i.user_id, i.month, 'album', t.album_id, sum(i.plays)::bigint,
           sum(i.listening_ms)::bigint, al.name, NULL, NULL
    FROM month_items AS i
    JOIN dim_tracks AS t ON t.track_id = i.item_id
    JOIN dim_albums AS al ON al.album_id = t.album_id
    WHERE i.kind = 'track'
    GROUP BY i.user_id, i.month, t.album_id, al.name
    UNION ALL
    SELECT i.user_id, i.month, CASE e.kind WHEN 'chapter' THEN 'audiobook' ELSE 'show' END,
           e.show_name, sum(i.plays)::bigint, sum(i.listening_ms)::bigint, e.show_name,
           NULL, NULL
    FROM month_items AS i
    JOIN dim_episodes AS e ON e.episode_id = i.item_id
    WHERE i.kind = 'episode'
      AND e.show_name IS NOT NULL
    GROUP BY i.user_id, i.month, 3, e.show_name
)
INSERT INTO agg_monthly_ranks (
    user_id, month, kind, item_id, plays, listening_ms, rank, ranked, album_id, artist_ids)
SELECT user_id, month, kind, item_id, plays, listening_ms,
       row_number() OVER (PARTITION BY user_id, month, kind
                          ORDER BY plays DESC, listening_ms DESC, name, item_id),
       count(*) OVER (PARTITION BY user_id, month, kind),
       album_id, artist_ids
FROM items;
