-- Artists no genre provider knew are asked about again on the next enrich run, not when
-- their wait ends.
UPDATE artist_genre_lookups
SET retry_after = %(now)s
WHERE provider IS NULL AND retry_after > %(now)s;
