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
    -- Each track's measures come along: what follows reads this alone, no join whose size
    -- a misestimated range (items_between's days) could turn into a nested loop.
    SELECT DISTINCT p.track_id, p.plays, p.listening_ms, g.parent_genre, g.genre
    FROM per_track AS p
    JOIN track_artists AS ta USING (track_id)
    JOIN artist_genres AS g USING (artist_id)
), parents AS (
    SELECT parent_genre, sum(plays)::bigint AS plays, sum(listening_ms)::bigint AS listening_ms
    FROM (SELECT DISTINCT track_id, plays, listening_ms, parent_genre FROM track_genres) AS tp
    GROUP BY parent_genre
), raw AS MATERIALIZED (
    SELECT parent_genre, genre, sum(plays)::bigint AS plays,
           sum(listening_ms)::bigint AS listening_ms,
           row_number() OVER (PARTITION BY parent_genre
                              ORDER BY sum(listening_ms) DESC, sum(plays) DESC, genre) AS place
    FROM track_genres
    GROUP BY parent_genre, genre
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
