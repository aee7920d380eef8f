-- Load one curated object (already COPYed into staging_plays) into the star schema.
-- Every statement keeps what is already there, so loading the same object twice changes
-- nothing.

INSERT INTO users (user_id, time_zone)
VALUES (%(user_id)s, %(time_zone)s)
ON CONFLICT (user_id) DO NOTHING;

INSERT INTO loaded_objects (lake_key)
VALUES (%(lake_key)s)
ON CONFLICT (lake_key) DO NOTHING;

-- Plays inside a range their user erased are never loaded again (see migration 0016),
-- nor anything only they name.
DELETE FROM staging_plays s
USING erased_ranges e
WHERE e.user_id = %(user_id)s
  AND e.erased @> s.started_at;

-- One row per track (a file plays each track many times): the dimensions come from here.
-- A known track learns nothing from a play that only names it, as export plays do, so
-- only new tracks and plays with Spotify's own track details (API pages) come through.
CREATE TEMP TABLE staging_tracks ON COMMIT DROP AS
SELECT DISTINCT ON (track_id)
       track_id, track_name, album_id, album_name, album_release_date,
       album_release_date_precision, album_image_url, duration_ms, explicit, isrc,
       artists::jsonb AS artists
FROM staging_plays s
WHERE track_id IS NOT NULL
  AND (album_id NOT LIKE 'name:%%'
       OR (duration_ms, explicit, isrc) IS DISTINCT FROM (NULL, NULL, NULL)
       OR NOT EXISTS (SELECT FROM dim_tracks d WHERE d.track_id = s.track_id))
ORDER BY track_id, album_id LIKE 'name:%%', duration_ms NULLS LAST;

-- Real Spotify IDs replace provisional `name:` keys wherever both describe a track.
INSERT INTO dim_artists (artist_id, name)
SELECT DISTINCT ON (artist ->> 'id') artist ->> 'id', artist ->> 'name'
FROM staging_tracks, jsonb_array_elements(artists) AS artist
ORDER BY artist ->> 'id'
ON CONFLICT (artist_id) DO NOTHING;

INSERT INTO dim_albums (album_id, name, release_date, release_date_precision, image_url)
SELECT DISTINCT ON (album_id)
       album_id, album_name, album_release_date, album_release_date_precision, album_image_url
FROM staging_tracks
WHERE album_id IS NOT NULL
ORDER BY album_id, album_image_url NULLS LAST
ON CONFLICT (album_id) DO UPDATE
SET release_date = coalesce(EXCLUDED.release_date, dim_albums.release_date),
    release_date_precision = coalesce(EXCLUDED.release_date_precision,
                                      dim_albums.release_date_precision),
    image_url = coalesce(EXCLUDED.image_url, dim_albums.image_url)
-- Only when something is new: an update that changes nothing still writes a row version.
WHERE (EXCLUDED.release_date, EXCLUDED.release_date_precision, EXCLUDED.image_url)
      IS DISTINCT FROM (NULL, NULL, NULL)
  AND (EXCLUDED.release_date, EXCLUDED.release_date_precision, EXCLUDED.image_url)
      IS DISTINCT FROM (dim_albums.release_date, dim_albums.release_date_precision,
                        dim_albums.image_url);

INSERT INTO dim_tracks (track_id, name, album_id, duration_ms, explicit, isrc)
SELECT track_id, track_name, album_id, duration_ms, explicit, isrc
FROM staging_tracks
ON CONFLICT (track_id) DO UPDATE
SET album_id = CASE WHEN dim_tracks.album_id IS NULL OR dim_tracks.album_id LIKE 'name:%%'
                    THEN coalesce(EXCLUDED.album_id, dim_tracks.album_id)
                    ELSE dim_tracks.album_id END,
    duration_ms = coalesce(EXCLUDED.duration_ms, dim_tracks.duration_ms),
    explicit = coalesce(EXCLUDED.explicit, dim_tracks.explicit),
    isrc = coalesce(EXCLUDED.isrc, dim_tracks.isrc)
-- Exports know no more than a track's name: only API objects bring something new.
WHERE EXCLUDED.album_id NOT LIKE 'name:%%'
   OR (EXCLUDED.duration_ms, EXCLUDED.explicit, EXCLUDED.isrc) IS DISTINCT FROM (NULL, NULL, NULL);

INSERT INTO track_artists (track_id, position, artist_id)
SELECT track_id, ordinality - 1, artist ->> 'id'
FROM staging_tracks, jsonb_array_elements(artists) WITH ORDINALITY AS credit(artist, ordinality)
ON CONFLICT (track_id, position) DO UPDATE
SET artist_id = EXCLUDED.artist_id
WHERE track_artists.artist_id LIKE 'name:%%' AND EXCLUDED.artist_id NOT LIKE 'name:%%';

INSERT INTO dim_episodes (episode_id, name, show_name, kind)
SELECT DISTINCT ON (episode_id) episode_id, episode_name, show_name,
       coalesce(episode_kind, 'episode')
FROM staging_plays
WHERE episode_id IS NOT NULL
ORDER BY episode_id
-- A chapter stored as an episode (loaded before kinds were told apart) becomes a chapter.
-- Only that way: a chapter's ID comes from a chapter URI, and an object curated before
-- kinds existed (episode_kind NULL) says nothing about them.
ON CONFLICT (episode_id) DO UPDATE
SET kind = EXCLUDED.kind
WHERE EXCLUDED.kind = 'chapter' AND dim_episodes.kind = 'episode';

-- A play already in the warehouse is left alone, and only newly inserted plays mark their
-- days stale: a replayed object changes nothing. Existing plays are looked up within the
-- staged time span only (as staged_summary.sql read it), and the load holds the user's
-- lock, so a plain INSERT suffices (ON CONFLICT would cost a second index probe and WAL
-- record per play).
WITH inserted AS (
    INSERT INTO fact_plays (
        user_id, source, started_at, ended_at, track_id, episode_id, ms_played, reason_start,
        reason_end, skipped, shuffle, offline, incognito, platform, conn_country, object_id)
    SELECT %(user_id)s, source, started_at, ended_at, track_id, episode_id, ms_played,
           reason_start, reason_end, skipped, shuffle, offline, incognito, platform,
           conn_country, (SELECT object_id FROM loaded_objects WHERE lake_key = %(lake_key)s)
    FROM (
        -- A file that lists a play twice still yields one play.
        SELECT DISTINCT ON (started_at, source, track_id, episode_id) *
        FROM staging_plays
        ORDER BY started_at, source, track_id, episode_id
    ) s
    WHERE NOT EXISTS (
        SELECT FROM fact_plays p
        WHERE p.user_id = %(user_id)s
          AND p.started_at BETWEEN (SELECT first_start FROM staged_summary)
                               AND (SELECT last_start FROM staged_summary)
          AND p.started_at = s.started_at
          AND p.source = s.source
          AND p.track_id IS NOT DISTINCT FROM s.track_id
          AND p.episode_id IS NOT DISTINCT FROM s.episode_id)
    RETURNING started_at
), stale AS (
    INSERT INTO agg_stale_days (user_id, day)
    SELECT DISTINCT %(user_id)s, (inserted.started_at AT TIME ZONE users.time_zone)::date
    FROM inserted, users
    WHERE users.user_id = %(user_id)s
    ON CONFLICT DO NOTHING
)
SELECT count(*) FROM inserted;
