-- Search matches names the way people type them: without case or accents, so "beyonce"
-- finds "Beyoncé", "sigur ros" finds "Sigur Rós" and "agaetis" finds "Ágætis". Neither
-- unaccent nor pg_trgm is available in every PostgreSQL Moodify runs on, so the folding is
-- a plain function; the names in the warehouse are few enough (tens of thousands) to scan.
CREATE FUNCTION search_fold(name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
-- Both cases are listed: under the C locale lower() folds only ASCII letters. Letters
-- that stand for two are spelled out after.
RETURN replace(replace(replace(replace(replace(translate(
    lower(name),
    'àÀáÁâÂãÃäÄåÅāĀăĂąĄçÇćĆčČďĎđĐèÈéÉêÊëËēĒėĖęĘěĚğĞìÌíÍîÎïÏīĪįĮłŁñÑńŃňŇòÒóÓôÔõÕöÖøØōŌőŐŕŔřŘśŚšŠşŞșȘťŤțȚùÙúÚûÛüÜūŪůŮűŰųŲýÝÿŸžŽźŹżŻı',
    'aaaaaaaaaaaaaaaaaaccccccddddeeeeeeeeeeeeeeeeggiiiiiiiiiiiillnnnnnnoooooooooooooooorrrrssssssssttttuuuuuuuuuuuuuuuuyyyyzzzzzzi'
), 'æ', 'ae'), 'Æ', 'ae'), 'œ', 'oe'), 'Œ', 'oe'), 'ß', 'ss');

-- Each name folded once, when its row is written, not on every search.
ALTER TABLE dim_tracks ADD COLUMN search_name text GENERATED ALWAYS AS (search_fold(name)) STORED;
ALTER TABLE dim_artists ADD COLUMN search_name text GENERATED ALWAYS AS (search_fold(name)) STORED;
ALTER TABLE dim_albums ADD COLUMN search_name text GENERATED ALWAYS AS (search_fold(name)) STORED;
ALTER TABLE dim_episodes
    ADD COLUMN search_show_name text GENERATED ALWAYS AS (search_fold(show_name)) STORED;

-- An album's tracks and a show's episodes, read by index (search, the album and show pages).
CREATE INDEX dim_tracks_album_idx ON dim_tracks (album_id);
CREATE INDEX dim_episodes_show_idx ON dim_episodes (show_name);
