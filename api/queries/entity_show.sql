-- A podcast show or audiobook by its name (exports give shows no id), with its episodes.
-- It is an audiobook when all of them are audiobook chapters. No row for an unknown name.
SELECT show_name AS name,
       CASE WHEN bool_and(kind = 'chapter') THEN 'audiobook' ELSE 'podcast' END AS kind,
       array_agg(episode_id ORDER BY episode_id) AS item_ids
FROM dim_episodes
WHERE show_name = %(name)s
GROUP BY show_name;
