-- Albums no cover provider knew are asked about again on the next enrich run, not when
-- their wait ends.
UPDATE album_art_lookups
SET retry_after = %(now)s
WHERE provider IS NULL AND retry_after > %(now)s;
