-- Skips of the user's music within the local date range, from the rollups (items_between): the totals
-- of all tracks, and the %(limit)s artists with the highest skip rate among those with at
-- least %(min_plays)s plays of known skip status (ties: more skips, then name, then id). A
-- play counts for every artist credited on its track, as in the top artists.
-- Rates count only plays whose skip status is known (`skip_known`: not the Web API's).
-- Always one row at least: with no artist to list, the item columns are NULL.
WITH per_track AS (
    SELECT item_id AS track_id, plays, skips, skip_known
    FROM items_between(%(user_id)s, %(from)s, %(to)s)
    WHERE kind = 'track'
), overall AS (
    SELECT coalesce(sum(plays), 0) AS overall_plays,
           coalesce(sum(skips), 0) AS overall_skips,
           coalesce(sum(skip_known), 0) AS overall_skip_known,
           sum(skips)::float8 / nullif(sum(skip_known), 0) AS overall_skip_rate
    FROM per_track
), per_artist AS (
    SELECT ta.artist_id,
           sum(p.plays)::bigint AS plays,
           sum(p.skips)::bigint AS skips,
           sum(p.skip_known)::bigint AS skip_known
    FROM per_track AS p
    JOIN track_artists AS ta USING (track_id)
    GROUP BY ta.artist_id
), ranked AS (
    SELECT row_number() OVER (
               ORDER BY p.skips::float8 / p.skip_known DESC, p.skips DESC, a.name, a.artist_id
           ) AS rank,
           count(*) OVER () AS total,
           p.artist_id AS id, a.name, p.plays, p.skips, p.skip_known,
           p.skips::float8 / p.skip_known AS skip_rate
    FROM per_artist AS p
    JOIN dim_artists AS a USING (artist_id)
    WHERE p.skip_known >= %(min_plays)s
    ORDER BY rank
    LIMIT %(limit)s
)
SELECT overall.*, ranked.*, '[]'::jsonb AS artists
FROM overall
LEFT JOIN ranked ON true
ORDER BY ranked.rank;
