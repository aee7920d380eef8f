"""Genres and covers in the warehouse: what to ask the providers, and storing their answers.

Raw genres are stored mapped to their parent by `etl.core.genre_map`; `remap_genres`
brings stored rows in line with the mapping file after it changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from etl.core.genre_map import GenreMapping, genre_mapping
from etl.warehouse.connection import Connection
from etl.warehouse.load import read_sql


@dataclass(frozen=True)
class LookupCandidates:
    artists: list[dict[str, str]]  # {"artist_id", "name", "album"}: for MusicBrainz's genres
    albums: list[dict[str, str | None]]  # {"album_id", "name", "artist"}: for a cover


def lookup_candidates(
    conn: Connection, *, limit: int, now: datetime, spotify_connected: bool
) -> LookupCandidates:
    """At most `limit` artists and `limit` albums to ask about now."""
    params = {"limit": limit, "now": now, "spotify_connected": spotify_connected}
    with conn, conn.cursor() as cur:
        cur.execute(read_sql("genre_candidates"), params)
        artists = [
            {"artist_id": a, "name": n, **({"album": al} if al else {})}
            for a, n, al in cur.fetchall()
        ]
        cur.execute(read_sql("album_art_candidates"), params)
        albums = [{"album_id": a, "name": n, "artist": r} for a, n, r in cur.fetchall()]
    return LookupCandidates(artists, albums)


def genre_rows(genres: list[str], mapping: GenreMapping) -> list[dict[str, str]]:
    """`[{"genre", "parent_genre"}]` for raw genres, in lower case as the provider spells
    them otherwise (`post-punk`), each once."""
    names = dict.fromkeys(" ".join(genre.lower().split()) for genre in genres)
    return [{"genre": name, "parent_genre": mapping.parent(name)} for name in names if name]


def store_genres(conn: Connection, answers: list[dict[str, Any]], retry_after: timedelta) -> None:
    """Store the chain's answers: `[{"artist_id", "provider", "fetched_at", "genres":
    [raw genre, ...]}]`, provider None when nobody knew."""
    if not answers:
        return
    mapping = genre_mapping()
    rows = [{**answer, "genres": genre_rows(answer["genres"], mapping)} for answer in answers]
    with conn, conn.cursor() as cur:
        cur.execute(
            read_sql("store_artist_genres"),
            {"answers": json.dumps(rows), "retry_after": retry_after},
        )


def store_spotify_genres(conn: Connection, now: datetime) -> int:
    """Store the genres Spotify's artist objects named (the chain's first provider) for the
    artists that do not have them yet, fetched when Spotify was asked (else `now`); return
    how many artists."""
    with conn, conn.cursor() as cur:
        cur.execute(read_sql("spotify_genres_to_store"))
        answers = [
            {
                "artist_id": artist_id,
                "provider": "spotify",
                "fetched_at": (looked_up_at or now).isoformat(),
                "genres": genres,
            }
            for artist_id, genres, looked_up_at in cur.fetchall()
        ]
    store_genres(conn, answers, timedelta(0))
    return len(answers)


def store_album_art(
    conn: Connection, answers: list[dict[str, Any]], retry_after: timedelta
) -> None:
    """Store cover lookups: `[{"album_id", "image_url", "fetched_at"}]`."""
    if not answers:
        return
    with conn, conn.cursor() as cur:
        cur.execute(
            read_sql("store_album_art"),
            {"answers": json.dumps(answers), "retry_after": retry_after},
        )


def remap_genres(conn: Connection, mapping: GenreMapping | None = None) -> int:
    """Give every stored genre the parent the mapping gives it now; return how many
    distinct genres changed parent (nothing is written when none did, so cached answers
    stay valid)."""
    mapping = mapping or genre_mapping()
    with conn, conn.cursor() as cur:
        cur.execute(read_sql("stored_genre_parents"))
        remapped = {
            genre: mapping.parent(genre)
            for genre, parent in cur.fetchall()
            if mapping.parent(genre) != parent
        }
        if remapped:
            rows = [{"genre": g, "parent_genre": p} for g, p in remapped.items()]
            cur.execute(read_sql("remap_genre_parents"), {"remapped": json.dumps(rows)})
    return len(remapped)


def store_open_data(
    conn: Connection, answer: dict[str, Any] | None, *, retry_after: timedelta, now: datetime
) -> None:
    """What the apply step (and a rebuild, per enrichment answer) stores of genres and
    covers: the answer's MusicBrainz genres and covers, Spotify's genres that arrived, and
    parents brought in line with the mapping file."""
    if answer:
        store_genres(conn, answer.get("genres") or [], retry_after)
        store_album_art(conn, answer.get("album_art") or [], retry_after)
    store_spotify_genres(conn, now)
    remap_genres(conn)
