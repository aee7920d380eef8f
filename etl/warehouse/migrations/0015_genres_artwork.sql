-- Genres and artwork from open data: each value records who gave it and when.
--
-- An artist's raw genres (Spotify's artist object, else MusicBrainz's genres or genre-like
-- tags) are stored one row each, already mapped to a parent genre by the mapping file
-- (etl/core/genre_parents.json). The enrich step's apply re-maps every stored genre on
-- each run, so an edit of that file reaches the rows stored before it (and the 'Other'
-- this migration backfills with).
CREATE TABLE artist_genres (
    artist_id     text NOT NULL REFERENCES dim_artists ON DELETE CASCADE,
    genre         text NOT NULL,                 -- raw, lower case, as the provider names it
    parent_genre  text NOT NULL,                 -- 'Rock', 'Pop', ... 'Other'
    provider      text NOT NULL CHECK (provider IN ('spotify', 'musicbrainz')),
    fetched_at    timestamptz NOT NULL,
    PRIMARY KEY (artist_id, genre)
);
CREATE INDEX artist_genres_parent_idx ON artist_genres (parent_genre, artist_id);

-- One row per artist the chain was asked about: who answered (NULL when nobody knew), and
-- when an artist nobody knew is asked about again.
CREATE TABLE artist_genre_lookups (
    artist_id     text PRIMARY KEY REFERENCES dim_artists ON DELETE CASCADE,
    provider      text CHECK (provider IN ('spotify', 'musicbrainz')),
    looked_up_at  timestamptz NOT NULL,
    retry_after   timestamptz,
    CHECK ((provider IS NULL) = (retry_after IS NOT NULL))
);
CREATE INDEX artist_genre_lookups_retry_idx ON artist_genre_lookups (retry_after)
    WHERE retry_after IS NOT NULL;

-- Covers: Spotify's API objects bring theirs (never overwritten); albums known only from
-- exports get the Cover Art Archive's front image of their MusicBrainz release group.
ALTER TABLE dim_albums
    ADD COLUMN image_provider text CHECK (image_provider IN ('spotify', 'coverartarchive'));

CREATE TABLE album_art_lookups (
    album_id      text PRIMARY KEY REFERENCES dim_albums ON DELETE CASCADE,
    provider      text CHECK (provider IN ('spotify', 'coverartarchive')),
    looked_up_at  timestamptz NOT NULL,
    retry_after   timestamptz,
    CHECK ((provider IS NULL) = (retry_after IS NOT NULL))
);
CREATE INDEX album_art_lookups_retry_idx ON album_art_lookups (retry_after)
    WHERE retry_after IS NOT NULL;

-- The load step writes covers from Spotify's API objects without naming a provider: a
-- cover that arrives or changes without one is Spotify's.
CREATE FUNCTION default_image_provider() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.image_provider := CASE WHEN NEW.image_url IS NOT NULL THEN 'spotify' END;
    RETURN NEW;
END
$$;

-- The conditions keep the function off the rows that need nothing (most of a load's).
CREATE TRIGGER dim_albums_image_provider_inserted BEFORE INSERT ON dim_albums
    FOR EACH ROW WHEN (NEW.image_url IS NOT NULL AND NEW.image_provider IS NULL)
    EXECUTE FUNCTION default_image_provider();
CREATE TRIGGER dim_albums_image_provider_updated BEFORE UPDATE ON dim_albums
    FOR EACH ROW WHEN (NEW.image_url IS DISTINCT FROM OLD.image_url
                       AND NEW.image_provider IS NOT DISTINCT FROM OLD.image_provider)
    EXECUTE FUNCTION default_image_provider();

-- What Spotify already told: its artists' genres and its albums' covers.
INSERT INTO artist_genres (artist_id, genre, parent_genre, provider, fetched_at)
SELECT DISTINCT ON (a.artist_id, lower(g.genre))
       a.artist_id, lower(g.genre), 'Other', 'spotify', coalesce(a.looked_up_at, now())
FROM dim_artists AS a
CROSS JOIN LATERAL unnest(a.genres) AS g(genre)
WHERE g.genre <> '';

INSERT INTO artist_genre_lookups (artist_id, provider, looked_up_at)
SELECT artist_id, 'spotify', min(fetched_at)
FROM artist_genres
GROUP BY artist_id;

UPDATE dim_albums SET image_provider = 'spotify' WHERE image_url IS NOT NULL;

-- Genres and covers are catalog data: answers that show them change when they arrive.
CREATE TRIGGER artist_genres_changed AFTER INSERT OR UPDATE OR DELETE ON artist_genres
    FOR EACH STATEMENT EXECUTE FUNCTION record_catalog_change();
CREATE TRIGGER artist_genre_lookups_changed
    AFTER INSERT OR UPDATE OR DELETE ON artist_genre_lookups
    FOR EACH STATEMENT EXECUTE FUNCTION record_catalog_change();
CREATE TRIGGER album_art_lookups_changed
    AFTER INSERT OR UPDATE OR DELETE ON album_art_lookups
    FOR EACH STATEMENT EXECUTE FUNCTION record_catalog_change();
