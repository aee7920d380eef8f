-- One entity's plays per local month, from the month of its first play to that of its last,
-- months without plays included: its %(kind)s items %(item_ids)s, from the monthly rollup.
WITH played AS (
    SELECT month,
           sum(plays)::bigint AS plays,
           sum(listening_ms)::bigint AS listening_ms
    FROM agg_monthly_items
    WHERE user_id = %(user_id)s
      AND kind = %(kind)s
      AND item_id = ANY(%(item_ids)s::text[])
    GROUP BY 1
)
SELECT span.month::date AS month,
       coalesce(played.plays, 0) AS plays,
       coalesce(played.listening_ms, 0) AS listening_ms
FROM generate_series((SELECT min(month) FROM played), (SELECT max(month) FROM played),
                     interval '1 month') AS span(month)
LEFT JOIN played ON played.month = span.month::date
ORDER BY 1;
