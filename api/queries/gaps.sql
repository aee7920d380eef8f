SELECT gap_from AS "from_", gap_to AS "to", detected_at
FROM ingest_gaps
WHERE user_id = %(user_id)s
ORDER BY gap_from DESC
LIMIT 20;
