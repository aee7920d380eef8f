-- Rebuild agg_sessions around the stale days (take_stale_days.sql ran first).
--
-- A session is a run of plays, music and episodes alike, each starting less than 20 minutes
-- after the latest end of the run's earlier plays. New or deleted plays can join, split or
-- stretch sessions beyond their own days, so each run of consecutive stale days is widened
-- to a window [window_start, window_end) whose ends are session boundaries both before and
-- after the change ("cuts": every play starting before one ends at least 20 minutes before
-- it). The sessions starting in a window are rebuilt from its plays; all others stay as
-- they are, and equal what computing sessions afresh would give.
--   window_start: the run's first local midnight, or the start of the stored session that
--     spans it (that session's start is a cut, and no play before it changed).
--   window_end: the run's last local midnight, or 20 minutes past the latest end of its
--     plays if later, or, when a stored session spans that time, 20 minutes past that
--     session's end (the next stored session starts no earlier, and nothing after it changed).
-- Windows that overlap are merged, so each window's plays are sessioned in one pass.
CREATE TEMP TABLE session_windows ON COMMIT DROP AS
WITH numbered_days AS (
    SELECT user_id, day,
           day - (row_number() OVER (PARTITION BY user_id ORDER BY day))::integer AS run
    FROM stale_days
), day_ends AS (
    SELECT user_id, day, max(ended_at) AS last_end
    FROM stale_plays
    GROUP BY user_id, day
), runs AS (
    SELECT n.user_id, u.time_zone,
           min(n.day)::timestamp AT TIME ZONE u.time_zone AS run_start,
           (max(n.day) + 1)::timestamp AT TIME ZONE u.time_zone AS run_end,
           max(e.last_end) AS last_end
    FROM numbered_days AS n
    JOIN users AS u USING (user_id)
    LEFT JOIN day_ends AS e USING (user_id, day)
    GROUP BY n.user_id, u.time_zone, n.run
), reached AS (
    SELECT user_id, run_start,
           greatest(run_end, last_end + interval '20 minutes') AS reach
    FROM runs
), windows AS (
    SELECT r.user_id,
           least(r.run_start, spanning_start.started_at) AS window_start,
           greatest(r.reach, spanning_end.ended_at + interval '20 minutes') AS window_end
    FROM reached AS r
    LEFT JOIN LATERAL (
        SELECT s.started_at, s.ended_at
        FROM agg_sessions AS s
        WHERE s.user_id = r.user_id AND s.started_at < r.run_start
        ORDER BY s.started_at DESC
        LIMIT 1
    ) AS spanning_start ON spanning_start.ended_at + interval '20 minutes' > r.run_start
    LEFT JOIN LATERAL (
        SELECT s.started_at, s.ended_at
        FROM agg_sessions AS s
        WHERE s.user_id = r.user_id AND s.started_at < r.reach
        ORDER BY s.started_at DESC
        LIMIT 1
    ) AS spanning_end ON spanning_end.ended_at + interval '20 minutes' > r.reach
), merged AS (
    SELECT user_id, window_start, window_end,
           count(*) FILTER (WHERE window_start > reached_before) OVER (
               PARTITION BY user_id ORDER BY window_start, window_end
               ROWS UNBOUNDED PRECEDING) AS window_number
    FROM (
        SELECT user_id, window_start, window_end,
               coalesce(max(window_end) OVER (
                   PARTITION BY user_id ORDER BY window_start, window_end
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), '-infinity') AS reached_before
        FROM windows
    ) AS ordered
)
SELECT user_id, min(window_start) AS window_start, max(window_end) AS window_end
FROM merged
GROUP BY user_id, window_number;

-- The planner reads the plays by index per window only when it knows how few there are.
ANALYZE session_windows;

DELETE FROM agg_sessions AS a
USING session_windows AS w
WHERE a.user_id = w.user_id
  AND a.started_at >= w.window_start
  AND a.started_at < w.window_end;

INSERT INTO agg_sessions (user_id, started_at, ended_at, day, plays, listening_ms)
WITH window_plays AS (
    SELECT p.user_id, w.window_start, p.started_at, p.ended_at, p.ms_played,
           -- the latest end of the plays that started earlier (GROUPS: plays starting at
           -- the same instant are one step, so they fall into the same session)
           max(p.ended_at) OVER (
               PARTITION BY p.user_id, w.window_start ORDER BY p.started_at
               GROUPS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS earlier_end
    FROM session_windows AS w
    JOIN counted_plays AS p
      ON p.user_id = w.user_id
     AND p.started_at >= w.window_start
     AND p.started_at < w.window_end
), numbered AS (
    SELECT user_id, window_start, started_at, ended_at, ms_played,
           count(*) FILTER (
               WHERE earlier_end IS NULL OR started_at >= earlier_end + interval '20 minutes')
               OVER (PARTITION BY user_id, window_start ORDER BY started_at) AS session_number
    FROM window_plays
)
SELECT n.user_id, min(n.started_at), max(n.ended_at),
       (min(n.started_at) AT TIME ZONE u.time_zone)::date,
       count(*), sum(n.ms_played)
FROM numbered AS n
JOIN users AS u USING (user_id)
GROUP BY n.user_id, u.time_zone, n.window_start, n.session_number;
