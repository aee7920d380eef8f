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
