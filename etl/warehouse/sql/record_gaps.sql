INSERT INTO users (user_id, time_zone)
VALUES (%(user_id)s, %(time_zone)s)
ON CONFLICT (user_id) DO NOTHING;

INSERT INTO ingest_gaps (user_id, gap_from, gap_to, detected_at, lake_key)
SELECT %(user_id)s, gap."from", gap."to", %(detected_at)s, %(lake_key)s
FROM jsonb_to_recordset(%(gaps)s::jsonb) AS gap("from" timestamptz, "to" timestamptz)
ON CONFLICT (user_id, gap_from) DO NOTHING;
