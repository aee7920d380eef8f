-- The plays export (export_plays.sql's query, put in place of the braced name below) as
-- CSV, written by the server: times in UTC as ISO 8601 with microseconds and `Z`, days as
-- YYYY-MM-DD, booleans as true/false, the artists as JSON arrays of strings (names may hold
-- any character), NULL as an empty field (an empty string is quoted: ""), whatever the
-- session's DateStyle.
COPY (
    SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS started_at,
           to_char(ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ended_at,
           to_char(local_day, 'YYYY-MM-DD') AS local_day,
           kind, track_id, track_name,
           to_json(artist_names) AS artist_names,
           to_json(artist_ids) AS artist_ids,
           album_id, album_name, episode_id, episode_name, show_name, ms_played, source,
           reason_start, reason_end,
           skipped::text AS skipped,
           shuffle::text AS shuffle,
           offline::text AS offline,
           incognito::text AS incognito,
           platform, platform_family, device, conn_country,
           excluded::text AS excluded
    FROM ({plays}) AS plays
) TO STDOUT WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')
