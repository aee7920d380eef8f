-- The user's parent genres within the local date range, from the rollups (items_between).
-- A track's plays count once for each distinct parent genre of its artists (artist_genres),
-- and once for each distinct raw genre, so the genres' totals can exceed the range's.
-- Ranked by %(by)s: 'plays' or 'listening_time'; ties go to the other measure, then the
-- name. One row: the range's music listening time, the part of it whose track has an
-- artist with a known genre, and the parents (each with its %(raw_limit)s top raw genres,
-- by listening time) as JSON.
WITH per_track AS MATERIALIZED (
    SELECT item_id AS track_id, plays, listening_ms
    FROM items_between(%(user_id)s, %(from)s, %(to)s)
    WHERE kind = 'track'
), track_genres AS MATERIALIZED (
    SELECT DISTINCT p.track_id, g.parent_genre, g.genre
    FROM per_track AS p
    JOIN track_artists AS ta USING (track_id)
    JOIN artist_genres AS g USING (artist_id)
), parents AS (
    SELECT tp.parent_genre, sum(p.plays)::bigint AS plays,
           sum(p.listening_ms)::bigint AS listening_ms
    FROM (SELECT DISTINCT track_id, parent_genre FROM track_genres) AS tp
    JOIN per_track AS p USING (track_id)
    GROUP BY tp.parent_genre
), raw AS (
    SELECT tg.parent_genre, tg.genre, sum(p.plays)::bigint AS plays,
           sum(p.listening_ms)::bigint AS listening_ms,
           row_number() OVER (PARTITION BY tg.parent_genre
                              ORDER BY sum(p.listening_ms) DESC, sum(p.plays) DESC, tg.genre)
               AS place
    FROM track_genres AS tg
    JOIN per_track AS p USING (track_id)
    GROUP BY tg.parent_genre, tg.genre
), totals AS (
    SELECT coalesce(sum(p.listening_ms), 0)::bigint AS listening_ms,
           coalesce(sum(p.listening_ms) FILTER (
               WHERE p.track_id IN (SELECT track_id FROM track_genres)), 0)::bigint
               AS covered_ms
    FROM per_track AS p
)
SELECT t.listening_ms, t.covered_ms,
       coalesce((
           SELECT json_agg(json_build_object(
                      'parent_genre', pa.parent_genre,
                      'plays', pa.plays,
                      'listening_ms', pa.listening_ms,
                      'genres', (SELECT json_agg(json_build_object(
                                            'genre', r.genre, 'plays', r.plays,
                                            'listening_ms', r.listening_ms) ORDER BY r.place)
                                 FROM raw AS r
                                 WHERE r.parent_genre = pa.parent_genre
                                   AND r.place <= %(raw_limit)s))
                  ORDER BY CASE %(by)s WHEN 'plays' THEN pa.plays ELSE pa.listening_ms END DESC,
                           CASE %(by)s WHEN 'plays' THEN pa.listening_ms ELSE pa.plays END DESC,
                           pa.parent_genre)
           FROM parents AS pa), '[]') AS parents
FROM totals AS t;
