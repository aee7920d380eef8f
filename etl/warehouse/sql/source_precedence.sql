-- The most trusted source wins, for the plays it holds: the extended history ('export')
-- over the account data ('account'), both over plays pulled from the API ('api'). A play
-- of a lesser source gives way where a file of a more trusted source covers it (the file's
-- span, for the kind of plays the file holds: see migration 0005), or where it is one of
-- that source's plays: the same track or episode (by ID, or by name and first artist or
-- show where the account data has no ID), ending within %(same_play_within)s of it.
--
-- Both directions, so the order of imports does not matter: this object's plays replace
-- stored plays of lesser sources, and its own plays that a more trusted source already
-- holds are left out. What gave way, and to what, is the last statement's answer.

INSERT INTO users (user_id, time_zone)
VALUES (%(user_id)s, %(time_zone)s)
ON CONFLICT (user_id) DO NOTHING;

CREATE TEMP TABLE gave_way (
    side      text NOT NULL,     -- 'staged': this object's plays left out; 'stored': replaced
    source    text NOT NULL,     -- staged: the source given way to; stored: the replaced one's
    by        text NOT NULL,     -- 'span' or 'match'
    lake_key  text,              -- staged: the object given way to
    kind      text,              -- by span: the kind of plays the span covers
    covered   tstzrange,         -- by span: the span
    plays     integer NOT NULL
) ON COMMIT DROP;

-- An object that knows its kind records its span: from its first play's start to its
-- last play's end (staged_summary: see staged_summary.sql, run first).
INSERT INTO export_coverage (lake_key, user_id, source, kind, covered)
SELECT %(lake_key)s, %(user_id)s, source, %(span_kind)s,
       tstzrange(first_start, last_end, '[]')
FROM staged_summary
WHERE plays > 0 AND %(span_kind)s IS NOT NULL
ON CONFLICT (lake_key) DO NOTHING;

-- Stored plays of lesser sources within this object's span, of the kind it covers, are
-- replaced (their days become stale).
WITH replaced AS (
    DELETE FROM fact_plays p
    USING export_coverage c
    WHERE c.lake_key = %(lake_key)s
      AND p.user_id = %(user_id)s
      AND source_rank(p.source) < source_rank(c.source)
      AND p.started_at BETWEEN lower(c.covered) AND upper(c.covered)  -- the index's range
      AND span_covers(c.kind, p.track_id, p.episode_id)
    RETURNING p.source, p.started_at
), stale AS (
    INSERT INTO agg_stale_days (user_id, day)
    SELECT DISTINCT %(user_id)s, (replaced.started_at AT TIME ZONE u.time_zone)::date
    FROM replaced, users u
    WHERE u.user_id = %(user_id)s
    ON CONFLICT DO NOTHING
)
INSERT INTO gave_way (side, source, by, plays)
SELECT 'stored', source, 'span', count(*) FROM replaced GROUP BY source;

-- This object's plays within the span of a more trusted source's object, of the kind it
-- covers, are left out. Where spans overlap, a play is counted against the most trusted
-- source's earliest one.
WITH covering AS (
    SELECT DISTINCT ON (s.ctid) s.ctid AS play, c.lake_key, c.source, c.kind, c.covered
    FROM staging_plays s
    JOIN export_coverage c
      ON c.user_id = %(user_id)s
     -- computed once: none, for an object of the most trusted source
     AND source_rank(c.source) > (SELECT rank FROM staged_summary)
     AND source_rank(c.source) > source_rank(s.source)
     AND s.started_at BETWEEN lower(c.covered) AND upper(c.covered)
     AND span_covers(c.kind, s.track_id, s.episode_id)
    ORDER BY s.ctid, source_rank(c.source) DESC, lower(c.covered), c.lake_key
), left_out AS (
    DELETE FROM staging_plays s
    USING covering
    WHERE s.ctid = covering.play
    RETURNING covering.lake_key, covering.source, covering.kind, covering.covered
)
INSERT INTO gave_way (side, source, by, lake_key, kind, covered, plays)
SELECT 'staged', source, 'span', lake_key, kind, covered, count(*)
FROM left_out
GROUP BY lake_key, source, kind, covered;

-- The same play from two sources: stored plays of lesser sources that are one of this
-- object's plays are replaced, and this object's plays that are one of a more trusted
-- source's are left out. Each side is keyed for matching by ID and by names. Stored plays
-- are looked for from a day before the staged ones (no play lasts longer) to just after
-- them; when no stored play of another source is there, nothing is keyed at all.
WITH stored AS MATERIALIZED (
    SELECT p.ctid AS play, p.source, p.object_id, p.ended_at,
           coalesce(p.track_id, 'episode:' || p.episode_id) AS item,
           CASE WHEN p.track_id IS NOT NULL
                THEN 'track:' || lower(t.name) || chr(31) || coalesce(lower(a.name), '')
                ELSE 'episode:' || lower(e.name) || chr(31) || coalesce(lower(e.show_name), '')
           END AS item_name
    FROM fact_plays p
    LEFT JOIN dim_tracks t ON t.track_id = p.track_id
    LEFT JOIN track_artists ta ON ta.track_id = p.track_id AND ta.position = 0
    LEFT JOIN dim_artists a ON a.artist_id = ta.artist_id
    LEFT JOIN dim_episodes e ON e.episode_id = p.episode_id
    WHERE p.user_id = %(user_id)s
      -- each computed once, so that the index's range is known before it is read
      AND p.started_at BETWEEN (SELECT first_start - interval '1 day' FROM staged_summary)
                           AND (SELECT last_end + %(same_play_within)s FROM staged_summary)
      AND p.source <> (SELECT source FROM staged_summary)
), staged AS MATERIALIZED (
    SELECT s.ctid AS play, s.source, s.ended_at,
           coalesce(s.track_id, 'episode:' || s.episode_id) AS item,
           CASE WHEN s.track_id IS NOT NULL
                THEN 'track:' || lower(s.track_name) || chr(31)
                     || coalesce(lower(s.artists::jsonb -> 0 ->> 'name'), '')
                ELSE 'episode:' || lower(s.episode_name) || chr(31)
                     || coalesce(lower(s.show_name), '')
           END AS item_name
    FROM staging_plays s
    WHERE EXISTS (SELECT FROM stored)  -- evaluated once
), same_plays AS MATERIALIZED (
    SELECT s.play AS staged_play, source_rank(s.source) AS staged_rank, p.play AS stored_play,
           source_rank(p.source) AS stored_rank, p.source AS stored_source,
           p.object_id AS stored_object
    FROM staged s
    JOIN stored p
      ON p.item = s.item
     AND p.ended_at BETWEEN s.ended_at - %(same_play_within)s
                        AND s.ended_at + %(same_play_within)s
    UNION
    SELECT s.play, source_rank(s.source), p.play, source_rank(p.source), p.source, p.object_id
    FROM staged s
    JOIN stored p
      ON p.item_name = s.item_name
     AND p.ended_at BETWEEN s.ended_at - %(same_play_within)s
                        AND s.ended_at + %(same_play_within)s
), replaced AS (
    DELETE FROM fact_plays p
    WHERE p.ctid = ANY (ARRAY(SELECT stored_play FROM same_plays WHERE stored_rank < staged_rank))
    RETURNING p.source, p.started_at
), stale AS (
    INSERT INTO agg_stale_days (user_id, day)
    SELECT DISTINCT %(user_id)s, (replaced.started_at AT TIME ZONE u.time_zone)::date
    FROM replaced, users u
    WHERE u.user_id = %(user_id)s
    ON CONFLICT DO NOTHING
), matching AS (
    SELECT DISTINCT ON (staged_play) staged_play, stored_source, stored_object
    FROM same_plays
    WHERE stored_rank > staged_rank
    ORDER BY staged_play, stored_rank DESC, stored_object
), left_out AS (
    DELETE FROM staging_plays s
    USING matching m
    WHERE s.ctid = m.staged_play
    RETURNING m.stored_source, m.stored_object
)
INSERT INTO gave_way (side, source, by, lake_key, plays)
SELECT 'stored', source, 'match', NULL, count(*) FROM replaced GROUP BY source
UNION ALL
SELECT 'staged', left_out.stored_source, 'match', o.lake_key, count(*)
FROM left_out
JOIN loaded_objects o ON o.object_id = left_out.stored_object
GROUP BY left_out.stored_source, o.lake_key;

SELECT side, source, by, lake_key, kind, lower(covered), upper(covered), plays
FROM gave_way
ORDER BY side, by DESC, source, lower(covered), lake_key;
