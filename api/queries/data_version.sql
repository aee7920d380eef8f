-- What the user's answers are computed from (migration 0012): their time zone (its local
-- day too decides "today"), their data version and the catalog's, and which warehouse
-- (a rebuild swaps in new tables, whose versions start again).
SELECT coalesce(
           (SELECT time_zone FROM users WHERE user_id = %(user_id)s),
           %(default_time_zone)s
       ) AS time_zone,
       'data_changes'::regclass::oid::bigint AS warehouse,
       coalesce((SELECT sum(changes) FROM data_changes WHERE user_id = %(user_id)s), 0)::bigint
           AS user_version,
       coalesce((SELECT sum(changes) FROM data_changes WHERE user_id IS NULL), 0)::bigint
           AS catalog_version;
