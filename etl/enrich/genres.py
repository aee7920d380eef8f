"""The genre chain's MusicBrainz link, and covers from the Cover Art Archive.

The chain: Spotify's artist object where it names genres (stored by the apply step
without a call), then MusicBrainz, then none. MusicBrainz finds an artist by its Spotify
URL relation when the artist has a real Spotify id, else (or when no relation exists) by
name, taking a search hit only when its normalised name equals the artist's and its score
is high (when several namesakes match, the one credited with an album of the artist's,
at one more call). Its `genres` are taken; without any, its genre-like `tags` (see
`GenreMapping.tag_parent`), the most voted. An artist nobody knew is answered with no
provider, so the apply step asks again later.

Covers: an album without one is searched as a release group (its title and lead artist,
checked the same way), and the release group's front image is asked of the archive.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from etl.core.clock import Clock
from etl.core.genre_map import GenreMapping, genre_mapping
from etl.enrich.musicbrainz import Candidate, MusicBrainz, MusicBrainzStopped

logger = logging.getLogger(__name__)

MIN_SCORE = 90  # MusicBrainz's search score (0-100) a hit needs, besides an equal name
MAX_GENRES = 8
# A tag counts when it has at least this share of the most voted genre-like tag's votes.
TAG_SHARE = 1 / 3
_NOT_WORD = re.compile(r"[^\w]+")


def normalise_name(name: str) -> str:
    """`Beyoncé & The Band!` -> `beyonce and the band`: what two spellings of one name share."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().replace("&", " and "))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NOT_WORD.sub(" ", plain).split())


def matches(name: str, candidates: Sequence[Candidate], artist: str | None = None) -> list[str]:
    """The MBIDs of the hits named `name` (and, for a release group, credited to `artist`)
    with a high enough score, the highest scored first."""
    wanted = normalise_name(name)
    credited = None if artist is None else normalise_name(artist)
    return [
        candidate.mbid
        for candidate in sorted(candidates, key=lambda c: -c.score)
        if candidate.score >= MIN_SCORE
        and normalise_name(candidate.name) == wanted
        and (credited is None or credited in map(normalise_name, candidate.artist_names))
    ]


def best_match(name: str, candidates: Sequence[Candidate], artist: str | None = None) -> str | None:
    """The highest scored of `matches`, None when no hit is close enough."""
    found = matches(name, candidates, artist)
    return found[0] if found else None


def chosen_genres(
    genres: list[tuple[str, int]], tags: list[tuple[str, int]], mapping: GenreMapping
) -> list[str]:
    """MusicBrainz's genres, most voted first; without any, its genre-like tags with at
    least `TAG_SHARE` of the top one's votes."""
    if genres:
        return [name for name, _ in sorted(genres, key=lambda g: -g[1])][:MAX_GENRES]
    genre_like = sorted(
        ((name, votes) for name, votes in tags if mapping.tag_parent(name) is not None),
        key=lambda t: -t[1],
    )
    if not genre_like:
        return []
    floor = max(1, genre_like[0][1]) * TAG_SHARE
    return [name for name, votes in genre_like if votes >= floor][:MAX_GENRES]


@dataclass
class Lookups:
    """One run's answers, as the enrichment document stores them."""

    genres: list[dict[str, Any]] = field(default_factory=list)
    album_art: list[dict[str, Any]] = field(default_factory=list)
    stopped: str | None = None  # why the rest waits for a later run
    calls: int = 0


def _artist_mbid(mb: MusicBrainz, artist: dict[str, str]) -> str | None:
    if not artist["artist_id"].startswith("name:"):
        mbids = mb.artist_by_spotify_id(artist["artist_id"])
        if mbids:
            return mbids[0]
    name = artist["name"]
    found = matches(name, mb.search_artists(name))
    album = artist.get("album")
    if len(found) > 1 and album:
        # Namesakes: the one credited with an album of the artist's, at one more call.
        hits = mb.search_release_groups(album, name)
        groups = set(matches(album, hits, name))
        credited = {i for g in hits if g.mbid in groups for i in g.artist_ids}
        return next((mbid for mbid in found if mbid in credited), found[0])
    return found[0] if found else None


def _artist_genres(mb: MusicBrainz, artist: dict[str, str], mapping: GenreMapping) -> list[str]:
    mbid = _artist_mbid(mb, artist)
    if mbid is None:
        return []
    genres, tags = mb.artist_genres(mbid)
    return chosen_genres(genres, tags, mapping)


def _front_cover(mb: MusicBrainz, title: str, artist: str) -> str | None:
    mbid = best_match(title, mb.search_release_groups(title, artist), artist)
    return None if mbid is None else mb.front_cover(mbid)


def _cover_of(mb: MusicBrainz, album: dict[str, str | None]) -> str | None:
    title, artist = album.get("name"), album.get("artist")
    return _front_cover(mb, title, artist) if title and artist else None


def look_up(
    mb: MusicBrainz,
    artists: Sequence[dict[str, str]],
    albums: Sequence[dict[str, str | None]],
    clock: Clock,
) -> Lookups:
    """Ask MusicBrainz about `artists` (`{"artist_id", "name"}`, and `"album"`, the title of
    one of theirs, where known), then the Cover Art Archive about `albums` (`{"album_id",
    "name", "artist"}`), until the client stops."""
    mapping = genre_mapping()
    lookups = Lookups()
    try:
        for artist in artists:
            genres = _artist_genres(mb, artist, mapping)
            lookups.genres.append(
                {
                    "artist_id": artist["artist_id"],
                    "provider": "musicbrainz" if genres else None,
                    "fetched_at": _now(clock),
                    "genres": genres,
                }
            )
        for album in albums:
            lookups.album_art.append(
                {
                    "album_id": album["album_id"],
                    "image_url": _cover_of(mb, album),
                    "fetched_at": _now(clock),
                }
            )
    except MusicBrainzStopped as error:
        lookups.stopped = str(error)
        logger.info("MusicBrainz lookups stopped early: %s", error)
    lookups.calls = mb.calls
    return lookups


def _now(clock: Clock) -> str:
    now: datetime = clock()
    return now.isoformat()
