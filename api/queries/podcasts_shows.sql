-- The user's podcast episodes (kind 'episode') and audiobook chapters ('chapter') within the
-- local date range, from the rollups (items_between): per show (or audiobook) by name, and all of each
-- kind (`show_name` NULL, `is_total` true). An episode is started when played in the range
-- and finished when one of those plays ended with 'trackdone'. The %(limit)s shows of each
-- kind with the most listening time (ties: plays, then name); unnamed ones only in totals.
WITH played AS (
    SELECT e.kind, e.show_name, d.item_id, d.plays, d.listening_ms, d.finished
    FROM items_between(%(user_id)s, %(from)s, %(to)s) AS d
    JOIN dim_episodes AS e ON e.episode_id = d.item_id
    WHERE d.kind = 'episode'
), grouped AS (
    SELECT kind, show_name, GROUPING(show_name) = 1 AS is_total,
           sum(plays)::bigint AS plays,
           sum(listening_ms)::bigint AS listening_ms,
           count(DISTINCT item_id) AS started,
           count(DISTINCT item_id) FILTER (WHERE finished > 0) AS finished
    FROM played
    GROUP BY GROUPING SETS ((kind, show_name), (kind))
), ranked AS (
    SELECT grouped.*,
           row_number() OVER (PARTITION BY kind, is_total
                              ORDER BY listening_ms DESC, plays DESC, show_name) AS rank,
           count(*) OVER (PARTITION BY kind, is_total) AS count
    FROM grouped
    WHERE is_total OR show_name IS NOT NULL
)
SELECT kind, show_name, is_total, plays, listening_ms, started, finished, rank, count
FROM ranked
WHERE is_total OR rank <= %(limit)s
ORDER BY kind, is_total DESC, rank;
