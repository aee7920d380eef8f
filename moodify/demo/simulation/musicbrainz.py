"""A fake MusicBrainz (ws/2, JSON) and Cover Art Archive on one loopback server.

MusicBrainz:
- `GET /ws/2/url?resource=https://open.spotify.com/artist/<id>&inc=artist-rels&fmt=json`:
  `{"id", "resource", "relations": [{"type": "free streaming", "target-type": "artist",
  "artist": {"id", "name", "sort-name", "disambiguation"}}]}`; 404 for an unknown URL.
- `GET /ws/2/artist/<mbid>?inc=genres+tags&fmt=json`: the artist with `genres` and `tags`
  (`[{"name", "count"}]`, each only when `inc` asks); 400 for a malformed MBID, 404 for an
  unknown one.
- `GET /ws/2/artist?query=artist:"<name>"&limit=5&fmt=json`: `{"created", "count",
  "offset", "artists": [{"id", "score", "name", "sort-name", "disambiguation"}]}`.
- `GET /ws/2/release-group?query=releasegroup:"<title>" AND artist:"<name>"&fmt=json`:
  `{"release-groups": [{"id", "score", "title", "primary-type", "artist-credit":
  [{"name", "artist": {"id", "name"}}]}]}`.
- Faster than one request per `min_interval` seconds: 503, as MusicBrainz answers.

Cover Art Archive: `GET /release-group/<mbid>/front-250` answers 307 to the image (a small
generated SVG, served at `/img/<mbid>-250.svg`, or with `inline_images` a `data:` URL that
outlives the fake), or 404 when the release group has no front cover.

Scores follow MusicBrainz's idea: 100 for an exact name, less for a partial one, so a
client has to check its hits.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from hashlib import sha256
from html import escape
from random import Random
from typing import Any, TypeVar
from urllib.parse import quote
from uuid import UUID

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from etl.enrich.genres import normalise_name
from moodify.demo.sample import SampleExport
from moodify.demo.simulation.catalog import Catalog
from moodify.demo.simulation.clock import Clock
from moodify.demo.simulation.server import FakeServer

RATE_LIMITED = (
    "Your requests are exceeding the allowable rate limit. Please see "
    "http://wiki.musicbrainz.org/XMLWebService for more information."
)
_MBID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_SPOTIFY_ARTIST = "https://open.spotify.com/artist/"
_PHRASE = r'"((?:[^"\\]|\\.)*)"'
T = TypeVar("T")

# MusicBrainz-style genres for the families of `moodify.demo.sample.GENRES`, in its order,
# and the tags their listeners add (some no genre at all).
FAMILY_GENRES: tuple[tuple[str, ...], ...] = (
    ("indie pop", "bedroom pop", "pop"),
    ("electronic", "synth-pop", "house"),
    ("indie folk", "folk", "singer-songwriter"),
    ("ambient", "modern classical", "drone"),
    ("post-punk", "indie rock", "rock"),
    ("hip hop", "alternative hip hop", "trap"),
    ("soul", "funk", "nu-disco"),
    ("jazz", "nu jazz", "jazz fusion"),
    ("doom metal", "metal", "sludge metal"),
    ("dream pop", "shoegaze", "noise pop"),
)
NOISE_TAGS = ("seen live", "british", "00s", "female vocalists", "favorites", "german")


def mbid(*parts: str) -> str:
    """A stable MBID for what `parts` name."""
    return str(UUID(bytes=sha256("\x1f".join(parts).encode()).digest()[:16], version=4))


_plain = lru_cache(maxsize=65_536)(normalise_name)  # searches score every entry


def _score(wanted: str, name: str) -> int:
    """100 for the same name, else the share of words in common (at most 85)."""
    a, b = _plain(wanted), _plain(name)
    if a == b:
        return 100
    words_a, words_b = set(a.split()), set(b.split())
    if not words_a or not words_b:
        return 0
    return round(85 * len(words_a & words_b) / len(words_a | words_b))


@dataclass(frozen=True)
class FakeArtist:
    mbid: str
    name: str
    genres: tuple[tuple[str, int], ...] = ()
    tags: tuple[tuple[str, int], ...] = ()
    spotify_ids: tuple[str, ...] = ()
    disambiguation: str = ""


@dataclass(frozen=True)
class FakeReleaseGroup:
    mbid: str
    title: str
    artist: FakeArtist
    has_cover: bool


@dataclass
class MusicBrainzData:
    """What the fake knows."""

    artists: list[FakeArtist] = field(default_factory=list)
    release_groups: list[FakeReleaseGroup] = field(default_factory=list)

    @classmethod
    def invented(
        cls,
        artists: Iterable[tuple[str, int, str | None]],
        albums: Iterable[tuple[str, str]],
        *,
        seed: int = 12,
        known_share: float = 0.85,
        tags_only_share: float = 0.15,
        cover_share: float = 0.8,
    ) -> MusicBrainzData:
        """Entries for invented artists (`(name, family index into FAMILY_GENRES, Spotify id
        or None)`) and albums (`(title, artist name)`), drawn from `seed`: `known_share` of
        the artists are in MusicBrainz, of those `tags_only_share` with tags but no genres;
        albums of known artists are release groups, `cover_share` of them with a cover.
        Every known artist also has a namesake of another genre with a disambiguation and
        a lower search rank, as homonyms are in life."""
        rng = Random(seed)  # noqa: S311 -- reproducible demo data, nothing secret
        data = cls()
        known: dict[str, FakeArtist] = {}
        for name, family, spotify_id in sorted(artists, key=lambda a: a[0]):
            if rng.random() >= known_share:
                continue
            pool = FAMILY_GENRES[family % len(FAMILY_GENRES)]
            picked = rng.sample(pool, rng.randint(1, len(pool)))
            voted = tuple((genre, rng.randint(1, 9)) for genre in picked)
            noise = tuple((tag, rng.randint(1, 4)) for tag in rng.sample(NOISE_TAGS, 2))
            if rng.random() < tags_only_share:
                artist = FakeArtist(mbid(name), name, (), voted + noise)
            else:
                artist = FakeArtist(mbid(name), name, voted, noise)
            if spotify_id is not None:
                artist = FakeArtist(artist.mbid, name, artist.genres, artist.tags, (spotify_id,))
            known[normalise_name(name)] = artist
            data.artists.append(artist)
            other = FAMILY_GENRES[(family + 3) % len(FAMILY_GENRES)][0]
            data.artists.append(
                FakeArtist(mbid(name, "namesake"), f"{name} (2)", ((other, 1),), (), (), "namesake")
            )
        for title, artist_name in sorted(albums):
            owner = known.get(normalise_name(artist_name))
            if owner is not None:
                has_cover = rng.random() < cover_share
                data.release_groups.append(
                    FakeReleaseGroup(mbid(artist_name, title), title, owner, has_cover)
                )
        return data


class FakeMusicBrainz(FakeServer):
    """MusicBrainz's ws/2 and the Cover Art Archive on a loopback server; see `FakeServer`
    for faults and recording. `arrivals` holds each MusicBrainz request's arrival time on
    a monotonic clock, so a test measures the rate a client kept."""

    def __init__(
        self,
        data: MusicBrainzData,
        *,
        min_interval: float = 1.0,
        inline_images: bool = False,
        clock: Clock | None = None,
        port: int = 0,
    ) -> None:
        super().__init__(clock=clock, port=port)
        self.data = data
        self.min_interval = min_interval
        self.inline_images = inline_images
        self.arrivals: list[float] = []
        self._last_served = float("-inf")
        self._rate_lock = threading.Lock()
        self._by_mbid = {artist.mbid: artist for artist in data.artists}
        self._by_spotify = {
            spotify_id: artist for artist in data.artists for spotify_id in artist.spotify_ids
        }
        self._groups = {group.mbid: group for group in data.release_groups}
        # Searches score only the entries that share a word with what is searched.
        self._artist_words = _word_index(a.name for a in data.artists)
        self._title_words = _word_index(g.title for g in data.release_groups)

    def clear_requests(self) -> None:
        """Forget the requests, their arrivals and the last one served (a new rate window)."""
        super().clear_requests()
        with self._rate_lock:
            self.arrivals.clear()
            self._last_served = float("-inf")

    @property
    def api_url(self) -> str:
        """The ws/2 base, as `https://musicbrainz.org/ws/2` is MusicBrainz's."""
        return f"{self.url}/ws/2"

    def fault_body(self, status: int, path: str) -> object:
        return {"error": RATE_LIMITED if status == 503 else f"{status}"}

    def app(self) -> ASGIApp:
        return Starlette(
            routes=[
                Route("/ws/2/url", self._url),
                Route("/ws/2/artist", self._search_artists),
                Route("/ws/2/artist/{mbid}", self._artist),
                Route("/ws/2/release-group", self._search_release_groups),
                Route("/release-group/{mbid}/front-250", self._front),
                Route("/img/{mbid}-250.svg", self._image),
            ]
        )

    def _too_fast(self) -> Response | None:
        with self._rate_lock:
            now = time.monotonic()
            self.arrivals.append(now)
            if now - self._last_served < self.min_interval:
                return JSONResponse({"error": RATE_LIMITED}, 503)
            self._last_served = now
        return None

    async def _url(self, request: Request) -> Response:
        if (busy := self._too_fast()) is not None:
            return busy
        resource = request.query_params.get("resource", "")
        artist = (
            self._by_spotify.get(resource.removeprefix(_SPOTIFY_ARTIST).rstrip("/"))
            if resource.startswith(_SPOTIFY_ARTIST)
            else None
        )
        if artist is None:
            return _not_found()
        relations = []
        if "artist-rels" in request.query_params.get("inc", ""):
            relations = [
                {
                    "type": "free streaming",
                    "type-id": "769085a1-c2f7-4c24-a532-2375a77693bd",
                    "target-type": "artist",
                    "direction": "backward",
                    "artist": _artist_summary(artist),
                }
            ]
        return JSONResponse({"id": mbid(resource), "resource": resource, "relations": relations})

    async def _artist(self, request: Request) -> Response:
        if (busy := self._too_fast()) is not None:
            return busy
        wanted = request.path_params["mbid"]
        if not _MBID.match(wanted):
            return JSONResponse({"error": "Invalid mbid."}, 400)
        artist = self._by_mbid.get(wanted)
        if artist is None:
            return _not_found()
        inc = set(re.split(r"[ +]", request.query_params.get("inc", "")))
        body: dict[str, Any] = {**_artist_summary(artist), "type": "Group", "country": None}
        if "genres" in inc:
            body["genres"] = [
                {"name": name, "count": count, "id": mbid("genre", name), "disambiguation": ""}
                for name, count in artist.genres
            ]
        if "tags" in inc:
            body["tags"] = [{"name": name, "count": count} for name, count in artist.tags]
        return JSONResponse(body)

    async def _search_artists(self, request: Request) -> Response:
        if (busy := self._too_fast()) is not None:
            return busy
        name = _field(request.query_params.get("query", ""), "artist")
        if name is None:
            return JSONResponse({"error": "Invalid query"}, 400)
        artists = (self.data.artists[p] for p in _sharing(self._artist_words, name))
        hits = _ranked((_score(name, a.name), a) for a in artists)
        items = [{**_artist_summary(a), "score": score, "type": "Group"} for score, a in hits]
        return self._search_answer(request, "artists", items)

    async def _search_release_groups(self, request: Request) -> Response:
        if (busy := self._too_fast()) is not None:
            return busy
        query = request.query_params.get("query", "")
        title, artist = _field(query, "releasegroup"), _field(query, "artist")
        if title is None:
            return JSONResponse({"error": "Invalid query"}, 400)
        scored = (
            (
                round(
                    0.7 * _score(title, g.title)
                    + 0.3 * (_score(artist, g.artist.name) if artist else 0)
                ),
                g,
            )
            for g in (self.data.release_groups[p] for p in _sharing(self._title_words, title))
        )
        items = [
            {
                "id": g.mbid,
                "score": score,
                "title": g.title,
                "primary-type": "Album",
                "artist-credit": [{"name": g.artist.name, "artist": _artist_summary(g.artist)}],
            }
            for score, g in _ranked(scored)
        ]
        return self._search_answer(request, "release-groups", items)

    def _search_answer(self, request: Request, key: str, items: list[dict[str, Any]]) -> Response:
        limit = int(request.query_params.get("limit", "25"))
        return JSONResponse(
            {
                "created": self.clock().isoformat(),
                "count": len(items),
                "offset": 0,
                key: items[:limit],
            }
        )

    async def _front(self, request: Request) -> Response:
        group = self._groups.get(request.path_params["mbid"])
        if group is None or not group.has_cover:
            return Response("No cover art found for release group", 404, media_type="text/plain")
        if self.inline_images:
            location = "data:image/svg+xml," + quote(cover_svg(group.title, group.mbid))
        else:
            location = f"{self.url}/img/{group.mbid}-250.svg"
        return RedirectResponse(location, 307)

    async def _image(self, request: Request) -> Response:
        group = self._groups.get(request.path_params["mbid"])
        if group is None or not group.has_cover:
            return Response("Not found", 404, media_type="text/plain")
        return Response(cover_svg(group.title, group.mbid), media_type="image/svg+xml")


def cover_svg(title: str, seed: str) -> str:
    """A 250 px square cover: two colours from `seed`, the title's initial."""
    digest = sha256(seed.encode()).digest()
    hue_a, hue_b = digest[0] * 360 // 256, digest[1] * 360 // 256
    initial = escape(title.strip()[:1].upper() or "?")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="250" height="250" viewBox="0 0 250 250">'
        f'<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">'
        f'<stop offset="0" stop-color="hsl({hue_a},55%,55%)"/>'
        f'<stop offset="1" stop-color="hsl({hue_b},60%,30%)"/></linearGradient></defs>'
        '<rect width="250" height="250" fill="url(#g)"/>'
        f'<circle cx="180" cy="70" r="{30 + digest[2] % 40}" fill="rgba(255,255,255,0.18)"/>'
        '<text x="24" y="226" font-family="Georgia,serif" font-size="96" '
        f'fill="rgba(255,255,255,0.85)">{initial}</text></svg>'
    )


def _artist_summary(artist: FakeArtist) -> dict[str, Any]:
    summary: dict[str, Any] = {"id": artist.mbid, "name": artist.name, "sort-name": artist.name}
    if artist.disambiguation:
        summary["disambiguation"] = artist.disambiguation
    return summary


def _word_index(names: Iterable[str]) -> dict[str, list[int]]:
    """Each word of the names -> the positions of the names that have it."""
    index: dict[str, list[int]] = {}
    for position, name in enumerate(names):
        for word in set(_plain(name).split()):
            index.setdefault(word, []).append(position)
    return index


def _sharing(index: dict[str, list[int]], wanted: str) -> list[int]:
    """The positions of the names that share a word with `wanted`, in order."""
    return sorted({p for word in _plain(wanted).split() for p in index.get(word, ())})


def _ranked(scored: Iterable[tuple[int, T]]) -> list[tuple[int, T]]:
    return sorted(((s, item) for s, item in scored if s >= 30), key=lambda pair: -pair[0])


def _field(query: str, name: str) -> str | None:
    """The unescaped phrase of `name:"..."` in a Lucene query."""
    match = re.search(rf"\b{name}:{_PHRASE}", query)
    return None if match is None else re.sub(r"\\(.)", r"\1", match.group(1))


def _not_found() -> Response:
    return JSONResponse(
        {
            "error": "Not Found",
            "help": "For usage, please see: https://musicbrainz.org/development/mmd",
        },
        404,
    )


def sample_data(sample: SampleExport, **invented: Any) -> MusicBrainzData:
    """What the fake knows about a generated history's artists and albums (see
    `MusicBrainzData.invented`, which `invented` is passed on to): genres of each artist's
    own family."""
    records = [r for path in sample.files for r in json.loads(path.read_text(encoding="utf-8"))]
    pairs = {
        (r["master_metadata_album_artist_name"], r["master_metadata_album_album_name"])
        for r in records
        if r.get("master_metadata_album_artist_name") and r.get("master_metadata_album_album_name")
    }
    artists = sorted({artist for artist, _ in pairs})
    return MusicBrainzData.invented(
        [(name, sample.artist_families.get(name, 0), None) for name in artists],
        sorted((album, artist) for artist, album in pairs),
        **invented,
    )


def catalog_data(catalog: Catalog, **invented: Any) -> MusicBrainzData:
    """What the fake knows about the fake Spotify's catalog: its artists, each linked to
    its Spotify id by a URL relation (albums are left out: Spotify's objects bring their
    covers). The catalog keeps no genre family, so each artist's is drawn from its name."""
    return MusicBrainzData.invented(
        [
            (artist.name, sha256(artist.name.encode()).digest()[0], artist.id)
            for artist in catalog.artists.values()
        ],
        [],
        **invented,
    )
