-- The erased ranges of the lake's tombstones, as a rebuild reads them back before it loads
-- any play (%(ranges)s: a JSON array of {user_id, from, to, erased_at}).
INSERT INTO erased_ranges (user_id, erased, erased_at)
SELECT r.user_id, tstzrange(r."from", r."to", '[)'), r.erased_at
FROM jsonb_to_recordset(%(ranges)s::jsonb)
     AS r(user_id text, "from" timestamptz, "to" timestamptz, erased_at timestamptz)
ON CONFLICT (user_id, erased) DO NOTHING;
