-- What a user's warehouse holds, for the import summary.
SELECT count(*)                                    AS plays,
       coalesce(sum(p.ms_played), 0)               AS listening_ms,
       min(p.started_at)                           AS first_played_at,
       max(p.started_at)                           AS last_played_at,
       count(DISTINCT p.track_id)                  AS tracks,
       (SELECT count(DISTINCT ta.artist_id)
        FROM track_artists ta
        WHERE ta.track_id IN (SELECT track_id FROM counted_plays WHERE user_id = %(user_id)s))
                                                   AS artists,
       count(DISTINCT p.episode_id)                AS episodes
FROM counted_plays p
WHERE p.user_id = %(user_id)s;
