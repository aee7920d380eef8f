-- Every raw genre stored, with the parent it was mapped to (one row per distinct pair).
SELECT DISTINCT genre, parent_genre FROM artist_genres;
