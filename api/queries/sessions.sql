-- The sessions that started on the inclusive local days %(from)s..%(to)s (NULL: open), per
-- bucket of their duration in minutes: bucket i holds %(edges)s[i] <= minutes < edges[i + 1]
-- (the last bucket is open-ended). Only buckets with sessions have a row.
SELECT width_bucket(extract(epoch FROM ended_at - started_at) / 60,
                    %(edges)s::double precision[]) AS bucket,
       count(*) AS sessions,
       sum(round(extract(epoch FROM ended_at - started_at) * 1000))::bigint AS duration_ms,
       sum(listening_ms)::bigint AS listening_ms,
       sum(plays)::bigint AS plays
FROM agg_sessions
WHERE user_id = %(user_id)s
  AND day >= coalesce(%(from)s::date, '-infinity')
  AND day <= coalesce(%(to)s::date, 'infinity')
GROUP BY bucket
ORDER BY bucket;
