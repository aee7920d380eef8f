-- The schema `scan`: a view in place of every rollup, with its name and columns, computed
-- from the plays that count (counted_plays: those no exclusion rule leaves out) and the
-- dimensions on every read. A connection whose search_path is `scan, public` runs the API's queries unchanged against the plays themselves: the answer
-- the rollups must equal (tests), and the cost they save (benchmarks). Nothing in the
-- product reads it.
DROP SCHEMA IF EXISTS scan CASCADE;
CREATE SCHEMA scan;

-- Every play with its local day and hour, as take_stale_days.sql places the stale ones.
CREATE VIEW scan.local_plays AS
SELECT p.user_id, (p.started_at AT TIME ZONE u.time_zone)::date AS day,
       extract(hour FROM p.started_at AT TIME ZONE u.time_zone)::smallint AS hour,
       p.started_at, p.ended_at, p.track_id, p.episode_id, p.ms_played, p.skipped,
       p.reason_end, p.shuffle, p.offline, p.platform
FROM public.counted_plays AS p
JOIN public.users AS u USING (user_id);

CREATE VIEW scan.agg_daily_items AS
SELECT user_id, day,
       CASE WHEN track_id IS NOT NULL THEN 'track' ELSE 'episode' END AS kind,
       coalesce(track_id, episode_id) AS item_id,
       count(*)::integer AS plays,
       sum(ms_played)::bigint AS listening_ms,
       (count(*) FILTER (WHERE skipped))::integer AS skips,
       count(skipped)::integer AS skip_known,
       (count(*) FILTER (WHERE reason_end = 'trackdone'))::integer AS finished,
       min(started_at) AS first_started_at,
       max(started_at) AS last_started_at
FROM scan.local_plays
GROUP BY 1, 2, 3, 4;

CREATE VIEW scan.agg_monthly_items AS
SELECT user_id, date_trunc('month', day::timestamp)::date AS month, kind, item_id,
       sum(plays)::integer AS plays, sum(listening_ms)::bigint AS listening_ms,
       sum(skips)::integer AS skips, sum(skip_known)::integer AS skip_known,
       sum(finished)::integer AS finished, min(first_started_at) AS first_started_at,
       max(last_started_at) AS last_started_at
FROM scan.agg_daily_items
GROUP BY 1, 2, 3, 4;

CREATE VIEW scan.agg_yearly_items AS
SELECT user_id, date_trunc('year', day::timestamp)::date AS year, kind, item_id,
       sum(plays)::integer AS plays, sum(listening_ms)::bigint AS listening_ms,
       sum(skips)::integer AS skips, sum(skip_known)::integer AS skip_known,
       sum(finished)::integer AS finished, min(first_started_at) AS first_started_at,
       max(last_started_at) AS last_started_at
FROM scan.agg_daily_items
GROUP BY 1, 2, 3, 4;

CREATE VIEW scan.agg_all_time_items AS
SELECT user_id, kind, item_id,
       sum(plays)::integer AS plays, sum(listening_ms)::bigint AS listening_ms,
       sum(skips)::integer AS skips, sum(skip_known)::integer AS skip_known,
       sum(finished)::integer AS finished, min(first_started_at) AS first_started_at,
       max(last_started_at) AS last_started_at
FROM scan.agg_daily_items
GROUP BY 1, 2, 3;

CREATE VIEW scan.agg_hourly AS
SELECT user_id, day, hour,
       CASE WHEN track_id IS NOT NULL THEN 'track' ELSE 'episode' END AS kind,
       count(*)::integer AS plays,
       sum(ms_played)::bigint AS listening_ms
FROM scan.local_plays
GROUP BY 1, 2, 3, 4;

CREATE VIEW scan.agg_daily_context AS
SELECT user_id, day, platform, shuffle, offline,
       count(*)::integer AS plays,
       sum(ms_played)::bigint AS listening_ms
FROM scan.local_plays
GROUP BY 1, 2, 3, 4, 5;

CREATE VIEW scan.agg_daily_mood AS
SELECT user_id, day, plays, listening_ms, featured_ms,
       valence_ms / nullif(featured_ms, 0) AS valence,
       energy_ms / nullif(featured_ms, 0) AS energy,
       danceability_ms / nullif(featured_ms, 0) AS danceability,
       CASE WHEN listening_ms > 0 THEN featured_ms::real / listening_ms ELSE 0 END AS coverage
FROM (
    SELECT p.user_id, p.day,
           count(*)::integer AS plays,
           sum(p.ms_played)::bigint AS listening_ms,
           coalesce(sum(p.ms_played) FILTER (WHERE f.valence IS NOT NULL), 0)::bigint
               AS featured_ms,
           sum(f.valence * p.ms_played) AS valence_ms,
           sum(f.energy * p.ms_played) AS energy_ms,
           sum(f.danceability * p.ms_played) AS danceability_ms
    FROM scan.local_plays AS p
    LEFT JOIN public.track_audio_features AS f USING (track_id)
    WHERE p.track_id IS NOT NULL
    GROUP BY 1, 2
) AS daily;

-- A session: a run of plays each starting less than 20 minutes after the latest end of the
-- run's earlier plays (plays starting at one instant are one step).
CREATE VIEW scan.agg_sessions AS
WITH stepped AS (
    SELECT p.user_id, p.started_at, p.ended_at, p.ms_played,
           max(p.ended_at) OVER (
               PARTITION BY p.user_id ORDER BY p.started_at
               GROUPS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS earlier_end
    FROM public.counted_plays AS p
), numbered AS (
    SELECT user_id, started_at, ended_at, ms_played,
           count(*) FILTER (
               WHERE earlier_end IS NULL OR started_at >= earlier_end + interval '20 minutes')
               OVER (PARTITION BY user_id ORDER BY started_at) AS session_number
    FROM stepped
)
SELECT n.user_id, min(n.started_at) AS started_at, max(n.ended_at) AS ended_at,
       (min(n.started_at) AT TIME ZONE u.time_zone)::date AS day,
       count(*)::integer AS plays, sum(n.ms_played)::bigint AS listening_ms
FROM numbered AS n
JOIN public.users AS u USING (user_id)
GROUP BY n.user_id, u.time_zone, n.session_number;

CREATE VIEW scan.agg_first_plays AS
SELECT p.user_id, 'track' AS kind, p.track_id AS item_id, min(p.started_at) AS first_played_at,
       (min(p.started_at) AT TIME ZONE u.time_zone)::date AS day
FROM public.counted_plays AS p
JOIN public.users AS u USING (user_id)
WHERE p.track_id IS NOT NULL
GROUP BY p.user_id, p.track_id, u.time_zone
UNION ALL
SELECT p.user_id, 'artist', ta.artist_id, min(p.started_at),
       (min(p.started_at) AT TIME ZONE u.time_zone)::date
FROM public.counted_plays AS p
JOIN public.users AS u USING (user_id)
JOIN public.track_artists AS ta USING (track_id)
GROUP BY p.user_id, ta.artist_id, u.time_zone;

-- Ranked as refresh_monthly_ranks.sql ranks: plays, then listening time, then the name,
-- then the id; a play credits every artist of its track, an album is its tracks, a show
-- its episodes (audiobooks ranked apart).
CREATE VIEW scan.agg_monthly_ranks AS
WITH month_items AS (
    SELECT user_id, date_trunc('month', day::timestamp)::date AS month, kind, item_id,
           sum(plays)::bigint AS plays, sum(listening_ms)::bigint AS listening_ms
    FROM scan.agg_daily_items
    GROUP BY 1, 2, 3, 4
), items AS (
    SELECT i.user_id, i.month, 'track' AS kind, i.item_id, i.plays, i.listening_ms, t.name,
           t.album_id,
           ARRAY(SELECT ta.artist_id FROM public.track_artists AS ta
                 WHERE ta.track_id = t.track_id ORDER BY ta.position) AS artist_ids
    FROM month_items AS i
    JOIN public.dim_tracks AS t ON t.track_id = i.item_id
    WHERE i.kind = 'track'
    UNION ALL
    SELECT i.user_id, i.month, 'artist', ta.artist_id, sum(i.plays)::bigint,
           sum(i.listening_ms)::bigint, a.name, NULL, NULL
    FROM month_items AS i
    JOIN public.track_artists AS ta ON ta.track_id = i.item_id
    JOIN public.dim_artists AS a ON a.artist_id = ta.artist_id
    WHERE i.kind = 'track'
    GROUP BY i.user_id, i.month, ta.artist_id, a.name
    UNION ALL
    SELECT i.user_id, i.month, 'album', t.album_id, sum(i.plays)::bigint,
           sum(i.listening_ms)::bigint, al.name, NULL, NULL
    FROM month_items AS i
    JOIN public.dim_tracks AS t ON t.track_id = i.item_id
    JOIN public.dim_albums AS al ON al.album_id = t.album_id
    WHERE i.kind = 'track'
    GROUP BY i.user_id, i.month, t.album_id, al.name
    UNION ALL
    SELECT i.user_id, i.month, CASE e.kind WHEN 'chapter' THEN 'audiobook' ELSE 'show' END,
           e.show_name, sum(i.plays)::bigint, sum(i.listening_ms)::bigint, e.show_name,
           NULL, NULL
    FROM month_items AS i
    JOIN public.dim_episodes AS e ON e.episode_id = i.item_id
    WHERE i.kind = 'episode'
      AND e.show_name IS NOT NULL
    GROUP BY i.user_id, i.month, 3, e.show_name
)
SELECT user_id, month, kind, item_id, plays::integer, listening_ms,
       (row_number() OVER (PARTITION BY user_id, month, kind
                           ORDER BY plays DESC, listening_ms DESC, name, item_id))::integer
           AS rank,
       (count(*) OVER (PARTITION BY user_id, month, kind))::integer AS ranked,
       album_id, artist_ids
FROM items;
