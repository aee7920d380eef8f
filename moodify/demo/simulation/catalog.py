"""A small, deterministic music catalog for the fake Spotify and ReccoBeats servers.

Artists, albums and tracks carry what Spotify serves about them in 2026 (IDs, names,
release dates, cover art, ISRCs, who plays on what); every track has audio features
except a few that no provider knows, as in life. Names and the mood model come from the
demo history's generator (`moodify.demo.sample`), so the live demo's dashboard looks like the
imported one's: every artist has a characteristic valence and energy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from random import Random
from types import MappingProxyType
from uuid import UUID

from moodify.demo.sample import (
    GENRES,
    SampleAlbum,
    SampleArtist,
    add_releases,
    new_artist,
    random_artist_name,
    random_spotify_id,
)

DEFAULT_SEED = 2026
_ARTISTS = 40  # about 440 tracks: "a few hundred"
_FAVOURITES = 4  # the artists with several records (see moodify.demo.sample's release sizes)

# Genre tags for `moodify.demo.sample.GENRES`, in its order. Spotify leaves most artists' genres
# empty in 2026; the rest get one or two of these.
_GENRE_TAGS = (
    ("indie pop", "bedroom pop"),
    ("electronica", "synth-pop"),
    ("folk", "singer-songwriter"),
    ("ambient", "neo-classical"),
    ("post-punk", "indie rock"),
    ("hip hop", "alternative hip hop"),
    ("soul", "nu-disco"),
    ("jazz", "nu jazz"),
    ("metal", "doom metal"),
    ("dream pop", "shoegaze"),
)
_NO_GENRES_SHARE = 0.6
_HEX = "0123456789abcdef"
_ISRC_COUNTRIES = ("GB", "US", "DE", "SE", "FR", "NL", "QZ")
_UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@dataclass(frozen=True, slots=True)
class Image:
    url: str
    height: int
    width: int


@dataclass(frozen=True, slots=True)
class Artist:
    id: str
    name: str
    genres: tuple[str, ...]
    images: tuple[Image, ...]


@dataclass(frozen=True, slots=True)
class Album:
    id: str
    name: str
    album_type: str  # album, single (EPs are singles to Spotify) or compilation
    release_date: str  # as precise as release_date_precision says
    release_date_precision: str  # year, month or day
    total_tracks: int
    images: tuple[Image, ...]
    artist_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AudioFeatures:
    acousticness: float
    danceability: float
    energy: float
    instrumentalness: float
    key: int
    liveness: float
    loudness: float
    mode: int
    speechiness: float
    tempo: float
    valence: float


@dataclass(frozen=True, slots=True)
class Track:
    id: str
    name: str
    duration_ms: int
    explicit: bool
    isrc: str
    track_number: int
    disc_number: int
    album_id: str
    artist_ids: tuple[str, ...]  # 1-3, the main artist first
    features: AudioFeatures | None  # None: no provider knows this track
    reccobeats_id: str  # ReccoBeats' own UUID for the track


class Catalog:
    """Read-only lookups over a generated catalog; build one with `Catalog.generate`."""

    def __init__(self, artists: list[Artist], albums: list[Album], tracks: list[Track]) -> None:
        self.artists: Mapping[str, Artist] = MappingProxyType({a.id: a for a in artists})
        self.albums: Mapping[str, Album] = MappingProxyType({a.id: a for a in albums})
        self.tracks: Mapping[str, Track] = MappingProxyType({t.id: t for t in tracks})
        by_album: dict[str, list[Track]] = {}
        by_artist: dict[str, list[Track]] = {}
        for track in tracks:
            by_album.setdefault(track.album_id, []).append(track)
            by_artist.setdefault(track.artist_ids[0], []).append(track)
        self._by_album = {key: tuple(value) for key, value in by_album.items()}
        self._by_artist = {key: tuple(value) for key, value in by_artist.items()}

    @classmethod
    def generate(cls, seed: int = DEFAULT_SEED) -> Catalog:
        """The same seed always gives the same catalog, IDs included."""
        return _Builder(Random(seed)).build()  # noqa: S311 -- reproducible, nothing secret

    def album_tracks(self, album_id: str) -> tuple[Track, ...]:
        """The album's tracks in track-number order."""
        return self._by_album.get(album_id, ())

    def artist_tracks(self, artist_id: str) -> tuple[Track, ...]:
        """The tracks on which the artist is the main artist."""
        return self._by_artist.get(artist_id, ())


@cache
def default_catalog() -> Catalog:
    """One shared catalog, so that a fake Spotify and a fake ReccoBeats agree on tracks."""
    return Catalog.generate()


class _Builder:
    """Turns `moodify.demo.sample`'s artists and releases into Spotify-shaped catalog entries."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.artists: list[Artist] = []
        self.albums: list[Album] = []
        self.tracks: list[Track] = []
        self.isrcs: dict[tuple[str, str], str] = {}  # one recording, one ISRC

    def build(self) -> Catalog:
        rng = self.rng
        names: list[str] = []
        while len(names) < _ARTISTS:
            name = random_artist_name(rng)
            if name not in names:
                names.append(name)
        sampled = [new_artist(rng, name, rank, days=365) for rank, name in enumerate(names)]
        for rank, artist in enumerate(sampled):
            add_releases(rng, artist, rank < _FAVOURITES, names)
        ids = {artist.name: random_spotify_id(rng) for artist in sampled}
        for artist in sampled:
            self.artists.append(self._artist(artist, ids[artist.name]))
        for artist in sampled:
            self._releases(artist, ids)
        return Catalog(self.artists, self.albums, self.tracks)

    def _artist(self, artist: SampleArtist, artist_id: str) -> Artist:
        rng = self.rng
        genres: tuple[str, ...] = ()
        if rng.random() >= _NO_GENRES_SHARE:
            tags = _GENRE_TAGS[GENRES.index(artist.genre)]
            genres = tags[: rng.randint(1, len(tags))]
        images = () if rng.random() < 0.05 else _images(rng, "ab676161", (640, 320, 160))
        return Artist(artist_id, artist.name, genres, images)

    def _releases(self, artist: SampleArtist, ids: Mapping[str, str]) -> None:
        rng = self.rng
        released = date(rng.randint(2004, 2014), rng.randint(1, 12), rng.randint(1, 28))
        registrant = "".join(rng.choices(_UPPER_ALNUM, k=3))
        prefix = rng.choice(_ISRC_COUNTRIES) + registrant
        for album in artist.albums:
            released += timedelta(days=rng.randint(200, 700))
            self._album(artist, album, released, prefix, ids)

    def _album(
        self,
        artist: SampleArtist,
        album: SampleAlbum,
        released: date,
        isrc_prefix: str,
        ids: Mapping[str, str],
    ) -> None:
        rng = self.rng
        main_id = ids[artist.name]
        album_id = random_spotify_id(rng)
        precision = "day" if released.year >= 2008 or rng.random() < 0.5 else "year"
        self.albums.append(
            Album(
                id=album_id,
                name=album.name,
                album_type="album" if len(album.tracks) > 6 else "single",
                release_date=released.isoformat() if precision == "day" else str(released.year),
                release_date_precision=precision,
                total_tracks=len(album.tracks),
                images=_images(rng, "ab67616d", (640, 300, 64)),
                artist_ids=(main_id,),
            )
        )
        explicit_chance = 0.4 if artist.genre.speechiness > 0.15 else 0.05
        for number, track in enumerate(album.tracks, start=1):
            # "(feat. X)" in a title names another catalog artist: list them too.
            featured = [ids[name] for name in ids if f"(feat. {name})" in track.name]
            if not featured and rng.random() < 0.06:
                featured = rng.sample([i for i in ids.values() if i != main_id], rng.randint(1, 2))
            # An early single and its album version are one recording: one ISRC.
            isrc = self.isrcs.setdefault(
                (artist.name, track.name), f"{isrc_prefix}{released:%y}{rng.randrange(100_000):05d}"
            )
            self.tracks.append(
                Track(
                    id=track.id,
                    name=track.name,
                    duration_ms=track.duration_ms,
                    explicit=rng.random() < explicit_chance,
                    isrc=isrc,
                    track_number=number,
                    disc_number=1,
                    album_id=album_id,
                    artist_ids=(main_id, *featured[:2]),
                    features=_audio_features(track.features),
                    reccobeats_id=str(UUID(int=rng.getrandbits(128), version=4)),
                )
            )


def _images(rng: Random, kind: str, sizes: tuple[int, ...]) -> tuple[Image, ...]:
    # Spotify's CDN names an image by a kind prefix, a size code and a content hash.
    digest = "".join(rng.choices(_HEX, k=24))
    return tuple(
        Image(f"https://i.scdn.co/image/{kind}{size:08x}{digest}", size, size) for size in sizes
    )


def _audio_features(values: Mapping[str, float | int] | None) -> AudioFeatures | None:
    if values is None:
        return None
    return AudioFeatures(
        acousticness=float(values["acousticness"]),
        danceability=float(values["danceability"]),
        energy=float(values["energy"]),
        instrumentalness=float(values["instrumentalness"]),
        key=int(values["key"]),
        liveness=float(values["liveness"]),
        loudness=float(values["loudness"]),
        mode=int(values["mode"]),
        speechiness=float(values["speechiness"]),
        tempo=float(values["tempo"]),
        valence=float(values["valence"]),
    )
