-- Rebuild agg_first_plays for the tracks and artists whose first play the stale days may
-- have moved (take_stale_days.sql and refresh_daily_items.sql ran first).
--
-- A first play can move only through a play on a stale day: a new play (the stale plays
-- name its track, and the track's artists), or a deleted one (the day of the first play as
-- stored is stale). A provisional `name:` artist that the load replaces with a real one in
-- track_artists (load_plays.sql) changes hands only with a new API play of the track, so the
-- track is one of the stale plays': the real artist is rebuilt through it, and the `name:`
-- artist is found through the track's first play as stored (an artist's first play is one
-- of its tracks' first plays, at the same instant).
-- Each such track with what is known of its first play: the earliest among the stale days'
-- plays, and the one stored if it lies on a day that is not stale (that play still stands).
-- Only where the stored one lies on a stale day (it may be gone) are its days read again.
CREATE TEMP TABLE first_play_tracks ON COMMIT DROP AS
WITH touched AS (
    SELECT user_id, track_id, min(started_at) AS stale_first
    FROM stale_plays
    WHERE track_id IS NOT NULL
    GROUP BY user_id, track_id
    UNION ALL
    SELECT f.user_id, f.item_id, NULL
    FROM agg_first_plays AS f
    JOIN stale_days AS s ON s.user_id = f.user_id AND s.day = f.day
    WHERE f.kind = 'track'
), tracks AS (
    SELECT user_id, track_id, min(stale_first) AS stale_first
    FROM touched
    GROUP BY user_id, track_id
)
SELECT t.user_id, t.track_id, t.stale_first,
       CASE WHEN s.day IS NULL THEN stored.first_played_at END AS kept_first,
       s.day IS NOT NULL AS rescan
FROM tracks AS t
LEFT JOIN LATERAL (  -- read by index, as below
    SELECT f.first_played_at, f.day
    FROM agg_first_plays AS f
    WHERE f.user_id = t.user_id AND f.kind = 'track' AND f.item_id = t.track_id
    LIMIT 1
) AS stored ON true
LEFT JOIN stale_days AS s ON s.user_id = t.user_id AND s.day = stored.day;

CREATE TEMP TABLE first_play_artists ON COMMIT DROP AS
SELECT DISTINCT t.user_id, ta.artist_id
FROM first_play_tracks AS t
JOIN track_artists AS ta USING (track_id)
UNION
SELECT f.user_id, f.item_id
FROM agg_first_plays AS f
JOIN stale_days AS s ON s.user_id = f.user_id AND s.day = f.day
WHERE f.kind = 'artist'
UNION
SELECT t.user_id, a.item_id
FROM first_play_tracks AS t
CROSS JOIN LATERAL (  -- read by index, as below
    SELECT f.first_played_at, f.day
    FROM agg_first_plays AS f
    WHERE f.user_id = t.user_id AND f.kind = 'track' AND f.item_id = t.track_id
    LIMIT 1
) AS track
CROSS JOIN LATERAL (
    SELECT a.item_id
    FROM agg_first_plays AS a
    WHERE a.user_id = t.user_id AND a.kind = 'artist' AND a.day = track.day
      AND a.first_played_at = track.first_played_at
    OFFSET 0
) AS a;

ANALYZE first_play_tracks;
ANALYZE first_play_artists;

DELETE FROM agg_first_plays AS f
USING first_play_tracks AS t
WHERE f.user_id = t.user_id AND f.kind = 'track' AND f.item_id = t.track_id;

-- A track's first play: the earlier of the two known above, or, where its stored first
-- play may be gone, the earliest of its days' first plays (agg_daily_items is exact for
-- every day by now), read by index; a track with no plays left gets no row.
INSERT INTO agg_first_plays (user_id, kind, item_id, first_played_at, day)
SELECT t.user_id, 'track', t.track_id, first.played_at,
       (first.played_at AT TIME ZONE u.time_zone)::date
FROM first_play_tracks AS t
JOIN users AS u USING (user_id)
CROSS JOIN LATERAL (
    SELECT CASE
               WHEN t.rescan THEN (
                   SELECT min(d.first_started_at)
                   FROM agg_daily_items AS d
                   WHERE d.user_id = t.user_id AND d.kind = 'track' AND d.item_id = t.track_id)
               ELSE least(t.kept_first, t.stale_first)
           END AS played_at
) AS first
WHERE first.played_at IS NOT NULL;

DELETE FROM agg_first_plays AS f
USING first_play_artists AS a
WHERE f.user_id = a.user_id AND f.kind = 'artist' AND f.item_id = a.artist_id;

-- After a large rebuild (a first import, a new time zone) the statistics of agg_first_plays
-- would still describe the table before it: the artists' lookups below would each scan
-- the user's rows instead of reading one by index.
DO $$
BEGIN
    IF (SELECT count(*) FROM first_play_tracks) > 1000 THEN
        ANALYZE agg_first_plays;
    END IF;
END
$$;

-- An artist's first play is the earliest first play of the tracks credited to it, each
-- read by index.
INSERT INTO agg_first_plays (user_id, kind, item_id, first_played_at, day)
SELECT a.user_id, 'artist', a.artist_id, first.first_played_at, first.day
FROM first_play_artists AS a
CROSS JOIN LATERAL (
    SELECT track.first_played_at, track.day
    FROM track_artists AS ta
    CROSS JOIN LATERAL (
        SELECT f.first_played_at, f.day
        FROM agg_first_plays AS f
        WHERE f.user_id = a.user_id AND f.kind = 'track' AND f.item_id = ta.track_id
        LIMIT 1
    ) AS track
    WHERE ta.artist_id = a.artist_id
    ORDER BY track.first_played_at
    LIMIT 1
) AS first;
