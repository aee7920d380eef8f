-- The lake objects loaded so far. A play names the object it came from by this table's
-- small number: the key itself, about 100 bytes on every play, was 40% of a play's row
-- and about 7% of the time a large import spends loading.
CREATE TABLE loaded_objects (
    object_id  integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lake_key   text NOT NULL UNIQUE
);

INSERT INTO loaded_objects (lake_key)
SELECT DISTINCT lake_key FROM fact_plays ORDER BY lake_key;

ALTER TABLE fact_plays ADD COLUMN object_id integer;

UPDATE fact_plays f
SET object_id = o.object_id
FROM loaded_objects o
WHERE o.lake_key = f.lake_key;

ALTER TABLE fact_plays
    ALTER COLUMN object_id SET NOT NULL,
    DROP COLUMN lake_key;
