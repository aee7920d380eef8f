-- Parents the mapping file now gives differently: `[{"genre", "parent_genre"}]`.
UPDATE artist_genres AS g
SET parent_genre = remapped.parent_genre
FROM jsonb_to_recordset(%(remapped)s::jsonb) AS remapped(genre text, parent_genre text)
WHERE g.genre = remapped.genre AND g.parent_genre <> remapped.parent_genre;
