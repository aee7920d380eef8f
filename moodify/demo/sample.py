"""A realistic, deterministic Spotify Extended Streaming History for the demo and for tests.

`generate_sample_export` invents one listener (a catalog of invented artists, their tastes
over time, a weekly routine, a few podcasts, audiobooks) and writes exactly what Spotify
sends: `Spotify Extended Streaming History/Streaming_History_Audio_<years>_<n>.json`, plus the
catalog's audio features as a provider would answer them. Everything is drawn from one
`random.Random(seed)` and the history ends at a fixed moment, so the same arguments always
give byte-identical files.

The mood model is what makes the dashboard worth looking at: every artist has a
characteristic valence, and the valence the listener reaches for moves with the seasons,
the weekday and the odd week of low or high spirits, so daily mood visibly moves.
"""

from __future__ import annotations

import json
import math
import time
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from random import Random
from typing import NamedTuple
from zoneinfo import ZoneInfo

EXPORT_DIR_NAME = "Spotify Extended Streaming History"
FEATURES_FILE_NAME = "sample_audio_features.json"
DEFAULT_END = datetime(2026, 11, 1, tzinfo=UTC)  # fixed, not "now": reruns give the same bytes

Record = dict[str, str | int | bool | None]
Features = dict[str, float | int]

_DAYS_PER_YEAR = 365.25
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

# --- Word lists for invented names (no real artists or songs) -----------------------------

_BRIGHT = (
    "Golden", "Bright", "Sunny", "Electric", "Wild", "Velvet", "Crystal", "Neon", "Silver",
    "Sweet", "Lucky", "Summer", "Honey", "Radiant", "Tropical", "Shining", "Cosmic", "Warm",
    "Dancing", "Open", "Easy", "Paper", "Candy", "Little",
)  # fmt: skip
_DARK = (
    "Hollow", "Broken", "Pale", "Silent", "Cold", "Grey", "Lonely", "Midnight", "Faded",
    "Frozen", "Restless", "Distant", "Quiet", "Bitter", "Heavy", "Lost", "Empty", "Winter",
    "Fallen", "Shadow", "Ashen", "Sleepless", "Weary", "Northern",
)  # fmt: skip
_NOUNS = (
    "Harbor", "River", "Lantern", "Garden", "Signal", "Mirror", "Ocean", "Horizon", "Echo",
    "Comet", "Meadow", "Orchard", "Tide", "Ember", "Valley", "Canyon", "Island", "Compass",
    "Satellite", "Harvest", "Parade", "Highway", "Window", "Engine", "Forest", "Desert",
    "Station", "Carousel", "Feather", "Anchor", "Lighthouse", "Avalanche", "Cathedral",
    "Postcard", "Telescope", "Thunder", "Glacier", "Balcony", "Skyline", "Marble", "Ribbon",
    "Tunnel", "Monsoon", "Orbit", "Prairie", "Quarry", "Rooftop", "Saltwater", "Wildfire",
)  # fmt: skip
_PLURALS = (
    "Foxes", "Lanterns", "Sparrows", "Pilots", "Machines", "Tigers", "Satellites",
    "Strangers", "Painters", "Sailors", "Orchids", "Comets", "Giants", "Hounds", "Dreamers",
    "Rivals", "Cartographers", "Swimmers", "Astronauts", "Gardeners", "Lighthouses", "Moths",
)  # fmt: skip
_SUFFIXES = ("field", "wood", "light", "wave", "glass", "fall", "stone", "line", "ward", "mere")
_FIRST = (
    "Mara", "Jonas", "Elif", "Theo", "Noor", "Lena", "Felix", "Ines", "Oskar", "Ada", "Milo",
    "Runa", "Jasper", "Liv", "Emil", "Nadia", "Hugo", "Yara", "Leon", "Selma", "Arlo",
    "Frida", "Tomás", "Zoë", "Malik", "Ivy", "Kai", "Alma", "Rafael", "Juno",
)  # fmt: skip
_LAST = (
    "Lindqvist", "Okafor", "Moreau", "Halvorsen", "Brandt", "Castellano", "Whitlock",
    "Nakamura", "Petrov", "Achterberg", "Delacroix", "Sørensen", "Kowalski", "Fairweather",
    "Ashdown", "Marchetti", "Holloway", "Varga", "Quinlan", "Ostrowski", "Bellamy", "Ferreira",
    "Ibáñez", "Kader", "Rousseau", "Çelik", "Thorne", "Valente", "Nyberg", "Calloway",
)  # fmt: skip
_BRIGHT_GERUNDS = ("Dancing", "Chasing", "Shining", "Running", "Dreaming", "Flying")
_DARK_GERUNDS = ("Falling", "Drifting", "Fading", "Waiting", "Leaving", "Burning")
_BRIGHT_PHRASES = (
    "Stay a While", "Almost Home", "Bicycle Weather", "Kite Season", "Say It Again",
    "Feels Like June", "Meet Me at the Pier", "Half a Summer", "Lemonade Afternoon", "Right Here",
)  # fmt: skip
_DARK_PHRASES = (
    "Not Tonight", "Let It Fade", "Rooms We Left", "After the Ferry", "Unsent Letters",
    "Too Late Now", "Where We Ended", "Static on the Line", "Ten Past Four", "Nothing Left",
)  # fmt: skip

# --- Genres: the catalog's shape and its audio features ------------------------------------


class _Genre(NamedTuple):
    share: float  # of the catalog's artists
    valence: float
    energy: float
    danceability: float
    acousticness: float
    instrumentalness: float
    speechiness: float
    tempo: float
    minutes: float  # typical track length


GENRES = (
    _Genre(0.19, 0.66, 0.66, 0.64, 0.18, 0.02, 0.05, 118, 3.5),  # indie pop
    _Genre(0.12, 0.58, 0.80, 0.72, 0.05, 0.35, 0.06, 124, 4.3),  # electronic, synth-pop
    _Genre(0.12, 0.36, 0.32, 0.48, 0.78, 0.05, 0.04, 98, 3.8),  # folk, singer-songwriter
    _Genre(0.06, 0.20, 0.16, 0.28, 0.90, 0.85, 0.04, 84, 4.8),  # ambient, neo-classical
    _Genre(0.13, 0.40, 0.84, 0.44, 0.03, 0.06, 0.06, 138, 3.7),  # rock, post-punk
    _Genre(0.11, 0.52, 0.64, 0.78, 0.10, 0.01, 0.24, 96, 3.3),  # hip hop
    _Genre(0.10, 0.80, 0.68, 0.75, 0.22, 0.03, 0.05, 108, 3.6),  # soul, funk, disco
    _Genre(0.07, 0.50, 0.36, 0.56, 0.82, 0.70, 0.05, 112, 5.0),  # jazz
    _Genre(0.05, 0.20, 0.93, 0.36, 0.01, 0.10, 0.08, 150, 4.6),  # metal
    _Genre(0.05, 0.34, 0.50, 0.42, 0.30, 0.25, 0.04, 110, 4.4),  # dream pop, shoegaze
)
_GENRE_CUM = list(accumulate(genre.share for genre in GENRES))

# --- Catalog size ---------------------------------------------------------------------------

_ARTISTS = 380
_FAVOURITES = 30  # the top of the Zipf curve: more albums, more of everything
_ZIPF_EXPONENT = 1.05
_MISSING_FEATURES_SHARE = 0.05  # so that the dashboard's coverage is visibly below 100 %

# --- The listener's routine -----------------------------------------------------------------

# Relative chance that a session starts in each local hour: commute and evening peaks on
# workdays, late mornings and late nights on free days.
WORKDAY_HOURS = (
    0.35, 0.15, 0.08, 0.04, 0.04, 0.12, 0.6, 2.6, 2.8, 0.8, 0.6, 0.6,
    1.0, 0.7, 0.6, 0.6, 0.8, 2.6, 2.4, 1.5, 1.8, 2.0, 1.6, 0.8,
)  # fmt: skip
FREE_DAY_HOURS = (
    0.9, 0.6, 0.35, 0.15, 0.05, 0.04, 0.08, 0.2, 0.5, 1.0, 1.4, 1.6,
    1.6, 1.5, 1.5, 1.5, 1.5, 1.6, 1.7, 1.8, 2.0, 2.0, 1.8, 1.3,
)  # fmt: skip
_WORKDAY_HOUR_CUM = list(accumulate(WORKDAY_HOURS))
_FREE_DAY_HOUR_CUM = list(accumulate(FREE_DAY_HOURS))
_SESSIONS_PER_DAY = {"workday": 4.6, "free": 3.6, "trip": 3.0}

# Mood: the valence the listener reaches for, by weekday (Monday first).
_WEEKDAY_MOOD = (-0.06, -0.03, 0.0, 0.01, 0.06, 0.07, 0.01)
_MOOD_BASE = 0.47
_SEASON_AMPLITUDE = 0.15  # summer vs winter, the calendar's strongest signal
_MOOD_WIDTH = 0.15  # how strictly the day's mood filters artists by their valence

# Home country and places travelled to, by time zone (trips stay in the same time zone so
# that local-time rhythms hold). Unknown zones get Spotify's "unknown country", ZZ.
_HOMES: dict[str, tuple[str, tuple[str, ...], bool]] = {
    # zone: (home country, trip countries, southern hemisphere)
    "Europe/Berlin": ("DE", ("AT", "IT", "ES", "NL", "FR", "DK"), False),
    "Europe/Vienna": ("AT", ("DE", "IT", "HR", "CZ"), False),
    "Europe/Paris": ("FR", ("ES", "IT", "BE", "DE"), False),
    "Europe/Madrid": ("ES", ("FR", "IT", "PT"), False),
    "Europe/Amsterdam": ("NL", ("BE", "DE", "FR"), False),
    "Europe/Stockholm": ("SE", ("NO", "DK", "DE"), False),
    "Europe/London": ("GB", ("IE", "PT"), False),
    "America/New_York": ("US", ("CA",), False),
    "America/Chicago": ("US", ("MX",), False),
    "America/Los_Angeles": ("US", ("CA",), False),
    "America/Sao_Paulo": ("BR", ("AR",), True),
    "Australia/Sydney": ("AU", (), True),
    "Pacific/Auckland": ("NZ", (), True),
}

_PHONES = ("android", "ios")  # the listener switches phones part-way through the history
_SPEAKER = "Partner sonos_one Sonos;One"
_TV = "Partner google cast_tv Google;Chromecast"


class _Situation(NamedTuple):
    """Where the listener is, and what that means for a session."""

    platforms: tuple[tuple[str, float], ...]  # weighted; "phone" is whichever phone it is then
    tracks: tuple[int, int]  # how many tracks a session lasts, at least and at most
    podcast: float  # chance of a podcast instead of music
    audiobook: float  # chance of the audiobook being read instead of music
    offline: float  # chance of listening offline (phones only)


_SITUATIONS = {
    "commute": _Situation((("phone", 1.0),), (7, 14), 0.24, 0.06, 0.15),
    "work": _Situation(
        (("windows", 0.65), ("web_player", 0.25), ("phone", 0.1)), (5, 18), 0.02, 0, 0
    ),
    "home": _Situation(
        (("phone", 0.45), ("osx", 0.25), (_SPEAKER, 0.2), (_TV, 0.1)), (4, 18), 0.07, 0.03, 0.02
    ),
    "night": _Situation((("phone", 0.8), ("osx", 0.2)), (2, 8), 0.05, 0.15, 0.02),
    "travel": _Situation((("phone", 0.9), ("web_player", 0.1)), (3, 14), 0.12, 0.08, 0.3),
}

# How a session's first play starts and its last play ends (weights).
_FIRST_STARTS = (("clickrow", 45), ("playbtn", 30), ("appload", 20), ("remote", 5))
_LAST_ENDS = (
    ("endplay", 50), ("trackdone", 16), ("logout", 5), ("unexpected-exit", 6),
    ("unexpected-exit-while-paused", 8), ("remote", 4),
)  # fmt: skip
_PAUSES = tuple(end for end in _LAST_ENDS if end[0] != "trackdone")  # stopped part-way
# Chances, for a play inside a session, that it ends early; the rest play to the end.
_TRACKERROR = 0.003
_BACKBTN = 0.015
_CLICKROW = 0.04  # the listener picks another track mid-song
_SKIP_BASE = {"album": 0.1, "artist": 0.16, "mix": 0.2}
_SAME_ARTIST_IN_MIX = 0.3  # mixes come in runs of the same artist


def _iso(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def _clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return min(high, max(low, value))


def random_spotify_id(rng: Random) -> str:
    return "".join(rng.choices(_BASE62, k=22))


def _pick(rng: Random, cum: Sequence[float]) -> int:
    """An index drawn in proportion to the weights whose running sums are `cum`."""
    return min(bisect(cum, rng.random() * cum[-1]), len(cum) - 1)  # min: float rounding


def _weighted(rng: Random, options: Sequence[tuple[str, float]]) -> str:
    return options[_pick(rng, list(accumulate(weight for _, weight in options)))][0]


# --- The catalog ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Track:
    id: str
    name: str
    duration_ms: int
    valence: float
    album: SampleAlbum
    features: Features | None


@dataclass(slots=True)
class SampleAlbum:
    name: str
    artist: SampleArtist
    live: bool
    tracks: list[_Track] = field(default_factory=list)


@dataclass(slots=True)
class SampleArtist:
    name: str
    genre: _Genre
    valence: float
    energy: float
    popularity: float  # Zipf weight by rank
    discovered: int  # day index the listener first hears them (negative: known before)
    drift_amplitude: float  # slow waxing and waning of interest
    drift_period: float
    drift_phase: float
    fades_on: int  # day index after which the listener has mostly moved on
    albums: list[SampleAlbum] = field(default_factory=list)
    album_cum: list[float] = field(default_factory=list)
    tracks: list[_Track] = field(default_factory=list)
    track_cum: list[float] = field(default_factory=list)

    def interest(self, day: int) -> float:
        """How much the listener wants this artist on a day, before the day's mood."""
        age = day - self.discovered
        if age < 0:
            return 0.0
        novelty = 1.0 + 2.5 * math.exp(-age / 40)  # a discovery is played a lot for weeks
        drift = 1.0 + self.drift_amplitude * math.sin(
            2 * math.pi * day / self.drift_period + self.drift_phase
        )
        faded = 0.15 if day > self.fades_on else 1.0
        return self.popularity * novelty * drift * faded


@dataclass(slots=True)
class _Catalog:
    artists: list[SampleArtist]
    tracks: list[_Track]


def random_artist_name(rng: Random) -> str:
    pattern = rng.random()
    adjective = rng.choice(_BRIGHT + _DARK)
    if pattern < 0.30:
        return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    if pattern < 0.50:
        return f"The {adjective} {rng.choice(_PLURALS)}"
    if pattern < 0.68:
        return f"{adjective} {rng.choice(_NOUNS)}"
    if pattern < 0.80:
        return f"{rng.choice(_NOUNS)}{rng.choice(_SUFFIXES)}"
    if pattern < 0.90:
        return f"{rng.choice(_FIRST)} & the {rng.choice(_PLURALS)}"
    return f"{rng.choice(_NOUNS)} & {rng.choice(_NOUNS)}"


def _track_title(rng: Random, valence: float) -> str:
    # Titles follow the song's mood, so that a sunny song rarely sounds like a dirge.
    bright = valence > rng.uniform(0.3, 0.6)
    adjective = rng.choice(_BRIGHT if bright else _DARK)
    noun = rng.choice(_NOUNS)
    pattern = rng.random()
    if pattern < 0.30:
        return f"{adjective} {noun}"
    if pattern < 0.45:
        return noun
    if pattern < 0.60:
        return f"{rng.choice(_BRIGHT_GERUNDS if bright else _DARK_GERUNDS)} the {noun}"
    if pattern < 0.72:
        return f"{noun} of the {rng.choice(_NOUNS)}"
    if pattern < 0.88:
        return rng.choice(_BRIGHT_PHRASES if bright else _DARK_PHRASES)
    return adjective


def _album_title(rng: Random, artist: SampleArtist, first: bool) -> str:
    pattern = rng.random()
    if first and pattern < 0.12:
        return artist.name  # the self-titled debut
    adjective = rng.choice(_BRIGHT if artist.valence > 0.5 else _DARK)
    if pattern < 0.50:
        return f"{adjective} {rng.choice(_NOUNS)}"
    if pattern < 0.65:
        return f"The {rng.choice(_NOUNS)} Sessions"
    if pattern < 0.80:
        return f"{rng.choice(_NOUNS)} & {rng.choice(_NOUNS)}"
    if pattern < 0.92:
        return f"Songs from the {rng.choice(_NOUNS)}"
    return adjective


def _features(rng: Random, artist: SampleArtist, valence: float, live: bool) -> Features:
    genre = artist.genre
    energy = _clamp(artist.energy + rng.gauss(0, 0.08))
    return {
        "valence": round(valence, 3),
        "energy": round(energy, 3),
        "danceability": round(
            _clamp(genre.danceability + 0.2 * (valence - 0.5) + rng.gauss(0, 0.07)), 3
        ),
        "acousticness": round(
            _clamp(genre.acousticness - 0.2 * (energy - 0.5) + rng.gauss(0, 0.08)), 3
        ),
        "instrumentalness": round(_clamp(genre.instrumentalness * rng.uniform(0.2, 1.6)), 3),
        "liveness": round(
            _clamp(rng.uniform(0.65, 0.97) if live else rng.gauss(0.15, 0.07), 0.02), 3
        ),
        "speechiness": round(_clamp(genre.speechiness * rng.uniform(0.6, 1.5), 0.022), 3),
        "loudness": round(_clamp(-22 + 17 * energy + rng.gauss(0, 1.8), -30.0, -1.0), 3),
        "tempo": round(_clamp(genre.tempo + rng.gauss(0, 14), 60.0, 200.0), 3),
        "key": rng.randrange(12),
        "mode": 1 if rng.random() < 0.55 + 0.3 * (valence - 0.5) else 0,
    }


def _new_track(
    rng: Random, artist: SampleArtist, album: SampleAlbum, others: Sequence[str]
) -> _Track:
    valence = _clamp(artist.valence + rng.gauss(0, 0.1), 0.02, 0.98)
    name = _track_title(rng, valence)
    if album.live:
        name += " - Live"
    elif rng.random() < 0.04:
        name += f" (feat. {rng.choice(others)})"
    minutes = artist.genre.minutes * rng.uniform(0.7, 1.3)
    duration_ms = round(_clamp(minutes * 60_000 + rng.gauss(0, 15_000), 120_000, 360_000))
    features = (
        None
        if rng.random() < _MISSING_FEATURES_SHARE
        else _features(rng, artist, valence, album.live)
    )
    return _Track(random_spotify_id(rng), name, duration_ms, valence, album, features)


def _release_sizes(rng: Random, favourite: bool) -> list[int]:
    """Track counts of an artist's releases: albums, EPs and the odd single."""
    if favourite:
        return [rng.randint(8, 13) for _ in range(rng.randint(2, 5))] + [1] * rng.randint(0, 2)
    count = 1 if rng.random() < 0.7 else 2
    return [rng.randint(8, 12) if rng.random() < 0.35 else rng.randint(3, 6) for _ in range(count)]


def _release_title(rng: Random, album: SampleAlbum, first: bool) -> str:
    size = len(album.tracks)
    if size == 1:
        return album.tracks[0].name  # a single is named after its song
    if album.live:
        return f"Live at the {rng.choice(_NOUNS)} Hall"
    title = _album_title(rng, album.artist, first)
    return f"{title} EP" if size <= 6 and rng.random() < 0.5 else title


def _add_tracks(rng: Random, album: SampleAlbum, size: int, others: Sequence[str]) -> None:
    names: set[str] = set()
    while len(album.tracks) < size:
        track = _new_track(rng, album.artist, album, others)
        if track.name not in names:  # no two songs of the same name on one record
            names.add(track.name)
            album.tracks.append(track)


def _add_early_singles(rng: Random, artist: SampleArtist, titles: set[str]) -> None:
    """Some songs come out as a single before their album: one recording, two track URIs."""
    for album in list(artist.albums):
        if len(album.tracks) <= 6 or album.live or rng.random() >= 0.3:
            continue
        song = rng.choice(album.tracks)
        if song.name in titles:
            continue
        titles.add(song.name)
        single = SampleAlbum(song.name, artist, live=False)
        single.tracks.append(
            _Track(
                random_spotify_id(rng),
                song.name,
                song.duration_ms,
                song.valence,
                single,
                song.features,
            )
        )
        artist.albums.append(single)


def add_releases(rng: Random, artist: SampleArtist, favourite: bool, others: Sequence[str]) -> None:
    titles: set[str] = set()  # distinct per artist: the importer keys albums by artist and name
    for index, size in enumerate(_release_sizes(rng, favourite)):
        album = SampleAlbum("", artist, live=size > 6 and index > 1 and rng.random() < 0.15)
        _add_tracks(rng, album, size, others)
        album.name = _release_title(rng, album, first=index == 0)
        if album.name not in titles:  # on a rare clash the release is simply left out
            titles.add(album.name)
            artist.albums.append(album)
    _add_early_singles(rng, artist, titles)
    artist.tracks = [track for album in artist.albums for track in album.tracks]
    artist.album_cum = list(accumulate(rng.lognormvariate(0, 0.8) for _ in artist.albums))
    # A few hits per artist take most of the plays.
    artist.track_cum = list(accumulate(min(rng.paretovariate(1.2), 25.0) for _ in artist.tracks))


def new_artist(rng: Random, name: str, rank: int, days: int) -> SampleArtist:
    genre = GENRES[_pick(rng, _GENRE_CUM)]
    valence = _clamp(genre.valence + rng.gauss(0, 0.12), 0.05, 0.95)
    energy = _clamp(
        genre.energy + 0.25 * (valence - genre.valence) + rng.gauss(0, 0.08), 0.05, 0.97
    )
    known_share = 0.8 if rank < 10 else 0.55 if rank < 50 else 0.4
    discovered = -rng.randrange(60, 3000) if rng.random() < known_share else rng.randrange(days)
    return SampleArtist(
        name=name,
        genre=genre,
        valence=valence,
        energy=energy,
        popularity=1.0 / (rank + 2) ** _ZIPF_EXPONENT,
        discovered=discovered,
        drift_amplitude=rng.uniform(0.0, 0.7),
        drift_period=rng.uniform(250, 900),
        drift_phase=rng.uniform(0, 2 * math.pi),
        fades_on=rng.randrange(days) if rng.random() < 0.15 else days,
    )


def _build_catalog(rng: Random, days: int) -> _Catalog:
    names: list[str] = []
    while len(names) < _ARTISTS:
        name = random_artist_name(rng)
        if name not in names:
            names.append(name)
    artists = [new_artist(rng, name, rank, days) for rank, name in enumerate(names)]
    for rank, artist in enumerate(artists):
        add_releases(rng, artist, rank < _FAVOURITES, names)
    tracks = [track for artist in artists for track in artist.tracks]
    return _Catalog(artists, tracks)


# --- Podcasts -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Episode:
    id: str
    name: str
    duration_ms: int
    position_ms: int = 0  # where the listener paused


@dataclass(slots=True)
class _Show:
    name: str
    first_release_ms: int  # episode 0; one every `interval_days` after it
    interval_days: int
    minutes: float
    follows_from: int  # day indices between which the listener follows the show
    follows_until: int
    weight: float
    next_number: int = -1  # the next episode to hear; -1 until the first listen
    episodes: dict[int, _Episode] = field(default_factory=dict)

    def latest(self, now_ms: int) -> int:
        return (now_ms - self.first_release_ms) // (self.interval_days * 86_400_000)

    def episode(self, rng: Random, number: int) -> _Episode:
        if number not in self.episodes:
            topic = f"The {rng.choice(_BRIGHT + _DARK)} {rng.choice(_NOUNS)}"
            guest = (
                f" (with {rng.choice(_FIRST)} {rng.choice(_LAST)})" if rng.random() < 0.4 else ""
            )
            duration = round(self.minutes * rng.uniform(0.75, 1.25) * 60_000)
            self.episodes[number] = _Episode(
                random_spotify_id(rng), f"#{number + 1}: {topic}{guest}", duration
            )
        return self.episodes[number]


def _build_shows(rng: Random, start_ms: int, days: int) -> list[_Show]:
    names = (
        f"The {rng.choice(_BRIGHT)} {rng.choice(_NOUNS)} Podcast",
        f"{rng.choice(_NOUNS)} & {rng.choice(_NOUNS)}",
        f"{rng.choice(_FIRST)}'s {rng.choice(_NOUNS)} Hour",
        f"{rng.choice(_DARK)} {rng.choice(_NOUNS)} Radio",
    )
    shows = []
    for index, name in enumerate(names):
        # One show is picked up part-way through and one is dropped: podcast tastes drift too.
        follows_from = rng.randrange(days // 3, days) if index == 3 else 0
        follows_until = rng.randrange(days // 3, days) if index == 1 else days
        shows.append(
            _Show(
                name=name,
                first_release_ms=start_ms - rng.randrange(100, 1500) * 86_400_000,
                interval_days=rng.choice((7, 7, 14)),
                minutes=rng.choice((25, 40, 55, 75)),
                follows_from=follows_from,
                follows_until=follows_until,
                weight=rng.uniform(0.5, 1.5),
            )
        )
    return shows


# --- Audiobooks -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Chapter:
    id: str
    title: str
    duration_ms: int


@dataclass(slots=True)
class _Book:
    id: str
    title: str
    chapters: list[_Chapter]
    chapter: int = 0  # the chapter being heard, and where in it the listener paused
    position_ms: int = 0


def _build_books(rng: Random) -> list[_Book]:
    """The audiobooks the listener reads, one after the other."""
    books = []
    for _ in range(3):
        title = (
            f"The {rng.choice(_BRIGHT + _DARK)} {rng.choice(_NOUNS)}"
            if rng.random() < 0.6
            else f"{rng.choice(_NOUNS)} of the {rng.choice(_PLURALS)}"
        )
        chapters = [
            _Chapter(random_spotify_id(rng), f"Chapter {number}", rng.randrange(8, 40) * 60_000)
            for number in range(1, rng.randint(12, 30) + 1)
        ]
        books.append(_Book(random_spotify_id(rng), title, chapters))
    return books


# --- The listener ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Session:
    situation: str
    platform: str
    country: str
    ip_addr: str
    offline: bool
    incognito: bool
    length: int  # tracks the listener means to hear


@dataclass(slots=True)
class _Day:
    """What holds for every session of one local day."""

    index: int
    kind: str  # workday, free or trip
    mood: float
    artist_cum: list[float]
    country: str


class _Listener:
    """Lives through the days between two instants, writing a record for every play."""

    def __init__(
        self,
        rng: Random,
        catalog: _Catalog,
        zone: ZoneInfo,
        span_ms: tuple[int, int],
        local_days: tuple[date, int],
        intensity: float = 1.0,
        mood_shift: float = 0.0,
    ) -> None:
        self.rng = rng
        self.intensity = intensity
        self.mood_shift = mood_shift
        self.catalog = catalog
        self.zone = zone
        self.start_ms, self.end_ms = span_ms
        self.first_day, self.days = local_days  # the local dates the span touches
        self.home, self.abroad, southern = _HOMES.get(zone.key, ("ZZ", (), False))
        self.summer_peak = 196 + (182 if southern else 0)  # day of year of peak sunniness
        self.phone_switch = rng.randrange(self.days // 3, self.days)
        self.trips = self._plan_trips()
        self.shows = _build_shows(rng, self.start_ms, self.days)
        self.books = _build_books(rng)
        self.book = 0  # the one being read
        self.reading_from = rng.randrange(self.days // 4)  # day index of its first chapter
        self.clock_ms = self.start_ms  # no play may start before this
        self.records: list[Record] = []
        self._week_shift: dict[tuple[int, int], float] = {}
        self._mood_factors: dict[int, list[float]] = {}
        self._interest: list[float] = []

    def _plan_trips(self) -> dict[int, str]:
        trips: dict[int, str] = {}
        if not self.abroad:
            return trips
        for _ in range(round(2 * self.days / _DAYS_PER_YEAR)):
            first = self.rng.randrange(self.days)
            country = self.rng.choice(self.abroad)
            for day in range(first, first + self.rng.randint(4, 14)):
                trips[day] = country
        return trips

    # The day's plan ---------------------------------------------------------------------

    def live(self) -> list[Record]:
        for index in range(self.days):
            if self.clock_ms >= self.end_ms:
                break
            self._live_day(index, self.first_day + timedelta(days=index))
        return self.records

    def _day_kind(self, index: int, day: date) -> str:
        if index in self.trips:
            return "trip"
        holiday = (day.month == 12 and day.day >= 24) or (day.month == 1 and day.day == 1)
        return "free" if holiday or day.weekday() >= 5 else "workday"

    def _mood(self, day: date) -> float:
        year, week, _ = day.isocalendar()
        if (year, week) not in self._week_shift:
            # Now and then a week of low or high spirits, whatever the season.
            shift = self.rng.uniform(0.07, 0.15) * self.rng.choice((-1, 1))
            self._week_shift[year, week] = shift if self.rng.random() < 0.12 else 0.0
        season = math.cos(
            2 * math.pi * (day.timetuple().tm_yday - self.summer_peak) / _DAYS_PER_YEAR
        )
        return (
            _MOOD_BASE
            + self.mood_shift
            + _SEASON_AMPLITUDE * season
            + _WEEKDAY_MOOD[day.weekday()]
            + self._week_shift[year, week]
            + self.rng.gauss(0, 0.03)
        )

    def _mood_factor(self, mood: float) -> list[float]:
        # Cached per hundredth of valence: the filter is smooth, and this keeps days cheap.
        key = round(mood * 100)
        if key not in self._mood_factors:
            target = key / 100
            self._mood_factors[key] = [
                math.exp(-((artist.valence - target) ** 2) / (2 * _MOOD_WIDTH**2))
                for artist in self.catalog.artists
            ]
        return self._mood_factors[key]

    def _live_day(self, index: int, day: date) -> None:
        rng = self.rng
        if index % 7 == 0:  # interest changes slowly: weekly is fine-grained enough
            self._interest = [artist.interest(index) for artist in self.catalog.artists]
        if rng.random() < 0.015:
            return  # a day without music happens
        mood = self._mood(day)
        weights = [i * m for i, m in zip(self._interest, self._mood_factor(mood), strict=True)]
        kind = self._day_kind(index, day)
        plan = _Day(index, kind, mood, list(accumulate(weights)), self.trips.get(index, self.home))
        busy = 1.0 + 0.2 * math.sin(2 * math.pi * index / 180)  # busier and quieter months
        count = max(0, round(rng.gauss(_SESSIONS_PER_DAY[kind] * busy * self.intensity, 1.3)))
        hour_cum = _WORKDAY_HOUR_CUM if kind == "workday" else _FREE_DAY_HOUR_CUM
        starts = sorted(_pick(rng, hour_cum) * 3600 + rng.randrange(3600) for _ in range(count))
        midnight = datetime(day.year, day.month, day.day, tzinfo=self.zone)
        for seconds in starts:
            # Wall-clock arithmetic on an aware datetime: the local time, then its UTC instant.
            local = midnight + timedelta(seconds=seconds)
            self._session(plan, round(local.timestamp() * 1000))

    def _situation(self, plan: _Day, hour: int) -> str:
        if plan.kind == "trip":
            return "travel"
        if hour >= 23 or hour < 6:
            return "night"
        if plan.kind == "workday":
            if hour in (7, 8, 17, 18):
                return "commute"
            if 9 <= hour < 17:
                return "work"
        return "home"

    def _ip_addr(self, situation: str, plan: _Day) -> str:
        # Documentation address ranges only (RFC 5737): never anybody's real address.
        if situation in ("commute", "travel"):
            return f"203.0.113.{self.rng.randrange(1, 255)}"
        if situation == "work":
            return "192.0.2.41"
        return f"198.51.100.{17 + plan.index // 200}"  # the home line's address changes

    def _new_session(self, plan: _Day, hour: int) -> _Session:
        rng = self.rng
        situation = self._situation(plan, hour)
        where = _SITUATIONS[situation]
        platform = _weighted(rng, where.platforms)
        if platform == "phone":
            platform = _PHONES[plan.index >= self.phone_switch]
        return _Session(
            situation=situation,
            platform=platform,
            country=plan.country,
            ip_addr=self._ip_addr(situation, plan),
            offline=platform in _PHONES and rng.random() < where.offline,
            incognito=rng.random() < 0.005,
            length=rng.randint(*where.tracks),
        )

    def _session(self, plan: _Day, start_ms: int) -> None:
        rng = self.rng
        if start_ms < self.start_ms:
            return  # the history starts part-way through its first day
        # A session that would overlap the previous one waits for it to end.
        self.clock_ms = max(start_ms, self.clock_ms + rng.randrange(30_000, 600_000))
        if self.clock_ms >= self.end_ms:
            return
        hour = datetime.fromtimestamp(self.clock_ms / 1000, self.zone).hour
        session = self._new_session(plan, hour)
        where, roll = _SITUATIONS[session.situation], rng.random()
        if roll < where.podcast and self._podcast(plan, session):
            return
        if roll >= 1 - where.audiobook and self._audiobook(plan, session):
            return
        self._music(plan, session)

    # Emitting plays ---------------------------------------------------------------------

    def _emit(
        self,
        session: _Session,
        item: Record,  # what was played: `_track`, `_episode` or `_chapter`
        ms_played: int,
        reasons: tuple[str, str],
        shuffle: bool,
        skipped: bool,
    ) -> bool:
        """Record a play starting at the clock; False once the history's end is reached."""
        # `ts` is whole seconds in the export, so the play ends on a whole second and starts
        # `ms_played` before it: that keeps every start at or after the previous end.
        end_s = -(-(self.clock_ms + ms_played) // 1000)
        if end_s * 1000 > self.end_ms:
            self.clock_ms = self.end_ms
            return False
        self.records.append(
            {
                "ts": _iso(end_s),
                "platform": session.platform,
                "ms_played": ms_played,
                "conn_country": session.country,
                "ip_addr": session.ip_addr,
                **item,
                "reason_start": reasons[0],
                "reason_end": reasons[1],
                "shuffle": shuffle,
                "skipped": skipped,
                "offline": session.offline,
                "offline_timestamp": end_s - -(-ms_played // 1000),
                "incognito_mode": session.incognito,
            }
        )
        self.clock_ms = end_s * 1000
        return True

    def _first_reason(self, session: _Session) -> str:
        if session.platform in (_SPEAKER, _TV) and self.rng.random() < 0.7:
            return "remote"  # started from the phone, played on the speaker
        return _weighted(self.rng, _FIRST_STARTS)

    # Music ------------------------------------------------------------------------------

    def _artist(self, plan: _Day) -> SampleArtist:
        return self.catalog.artists[_pick(self.rng, plan.artist_cum)]

    def _track_of(self, artist: SampleArtist, recent: Sequence[_Track]) -> _Track:
        track = artist.tracks[_pick(self.rng, artist.track_cum)]
        for _ in range(3):  # avoid an immediate repeat when the artist has other songs
            if track not in recent:
                break
            track = artist.tracks[_pick(self.rng, artist.track_cum)]
        return track

    def _queue(self, plan: _Day, mode: str) -> Iterator[_Track]:
        """The tracks a session plays, in order, for as long as the listener listens."""
        rng = self.rng
        artist = self._artist(plan)
        recent: list[_Track] = []
        if mode == "album":
            album = artist.albums[_pick(rng, artist.album_cum)]
            first = 0 if rng.random() < 0.7 else rng.randrange(len(album.tracks))
            yield from album.tracks[first:]
            mode = "mix"  # autoplay carries on after the album
        while True:
            if mode == "mix" and rng.random() >= _SAME_ARTIST_IN_MIX:
                artist = self._artist(plan)
            track = self._track_of(artist, recent)
            recent = [*recent[-4:], track]
            yield track

    def _music(self, plan: _Day, session: _Session) -> None:
        rng = self.rng
        mode = _weighted(rng, (("album", 0.22), ("artist", 0.2), ("mix", 0.58)))
        shuffle = mode != "album" and rng.random() < (0.6 if mode == "artist" else 0.7)
        skip_base = _SKIP_BASE[mode] + (0.04 if shuffle else 0.0)
        reason_start = self._first_reason(session)
        queue = self._queue(plan, mode)
        track = next(queue)
        for played in range(session.length):
            last = played == session.length - 1
            # Songs far from today's mood get skipped more.
            skip = skip_base + 0.35 * max(0.0, abs(track.valence - plan.mood) - 0.1)
            ms_played, reason_end, skipped = self._outcome(track, skip, last)
            if not self._emit(
                session, _track(track), ms_played, (reason_start, reason_end), shuffle, skipped
            ):
                return
            if reason_end != "backbtn":  # back: the same song again
                track = next(queue)
            reason_start = "clickrow" if reason_end == "endplay" else reason_end
            self.clock_ms += rng.randrange(0, 1500 if reason_end == "trackdone" else 3000)

    def _outcome(self, track: _Track, skip: float, last: bool) -> tuple[int, str, bool]:
        """How a play ends: (ms played, reason_end, skipped)."""
        rng = self.rng
        duration = track.duration_ms
        full = duration - rng.randrange(0, 800)
        if last:
            reason = _weighted(rng, _LAST_ENDS)
            return (
                (full if reason == "trackdone" else rng.randrange(3_000, duration)),
                reason,
                False,
            )
        roll = rng.random()
        if roll < _TRACKERROR:
            return rng.randrange(0, 1_500), "trackerror", False
        roll -= _TRACKERROR
        if roll < skip:
            # Most skips come within seconds; some after giving the song a chance.
            if rng.random() < 0.7:
                return rng.randrange(800, 30_000), "fwdbtn", True
            return (
                rng.randrange(30_000, max(30_001, min(duration * 2 // 3, 120_000))),
                "fwdbtn",
                True,
            )
        roll -= skip
        if roll < _BACKBTN:
            return rng.randrange(2_000, 40_000), "backbtn", False
        if roll < _BACKBTN + _CLICKROW:
            return rng.randrange(5_000, duration), "endplay", False
        return full, "trackdone", False

    # Podcasts ---------------------------------------------------------------------------

    def _podcast(self, plan: _Day, session: _Session) -> bool:
        """Play the next episode of a followed show; False when none is waiting."""
        rng = self.rng
        waiting = []
        for show in self.shows:
            if not show.follows_from <= plan.index < show.follows_until:
                continue
            latest = show.latest(self.clock_ms)
            # New to the show, or far behind: start with one of the latest episodes.
            if show.next_number < latest - 3:
                show.next_number = latest - rng.randrange(0, 2)
            if 0 <= show.next_number <= latest:
                waiting.append(show)
        if not waiting:
            return False
        show = waiting[_pick(rng, list(accumulate(show.weight for show in waiting)))]
        episode = show.episode(rng, show.next_number)
        remaining = episode.duration_ms - episode.position_ms
        listened = min(remaining, rng.randrange(15, 60) * 60_000 + rng.randrange(60_000))
        finished = listened == remaining
        reason_end = "trackdone" if finished else _weighted(rng, _PAUSES)
        reason_start = self._first_reason(session) if episode.position_ms == 0 else "playbtn"
        played = _episode(show, episode)
        if self._emit(session, played, listened, (reason_start, reason_end), False, False):
            episode.position_ms += listened
            if finished:
                show.next_number += 1
        return True

    # Audiobooks -------------------------------------------------------------------------

    def _audiobook(self, plan: _Day, session: _Session) -> bool:
        """Read on in the current book, chapter after chapter; False when none is open."""
        if self.book == len(self.books) or plan.index < self.reading_from:
            return False
        rng, book = self.rng, self.books[self.book]
        budget = rng.randrange(10, 50) * 60_000 + rng.randrange(60_000)
        reason_start = "playbtn" if book.position_ms else self._first_reason(session)
        while budget > 0:
            chapter = book.chapters[book.chapter]
            listened = min(chapter.duration_ms - book.position_ms, budget)
            finished = listened == chapter.duration_ms - book.position_ms
            reason_end = "trackdone" if finished else _weighted(rng, _PAUSES)
            played = _chapter(book, chapter)
            if not self._emit(session, played, listened, (reason_start, reason_end), False, False):
                break
            budget -= listened
            if not finished:
                book.position_ms += listened
                break
            book.chapter, book.position_ms, reason_start = book.chapter + 1, 0, "trackdone"
            if book.chapter == len(book.chapters):
                # A break between books.
                self.book, self.reading_from = self.book + 1, plan.index + rng.randrange(7, 60)
                break
        return True


# --- What a record says was played ----------------------------------------------------------

_NOTHING_PLAYED: Record = dict.fromkeys(
    (
        "master_metadata_track_name", "master_metadata_album_artist_name",
        "master_metadata_album_album_name", "spotify_track_uri", "episode_name",
        "episode_show_name", "spotify_episode_uri", "audiobook_title", "audiobook_uri",
        "audiobook_chapter_uri", "audiobook_chapter_title",
    )
)  # fmt: skip


def _track(track: _Track) -> Record:
    return {
        **_NOTHING_PLAYED,
        "master_metadata_track_name": track.name,
        "master_metadata_album_artist_name": track.album.artist.name,
        "master_metadata_album_album_name": track.album.name,
        "spotify_track_uri": f"spotify:track:{track.id}",
    }


def _episode(show: _Show, episode: _Episode) -> Record:
    return {
        **_NOTHING_PLAYED,
        "episode_name": episode.name,
        "episode_show_name": show.name,
        "spotify_episode_uri": f"spotify:episode:{episode.id}",
    }


def _chapter(book: _Book, chapter: _Chapter) -> Record:
    return {
        **_NOTHING_PLAYED,
        "audiobook_title": book.title,
        "audiobook_uri": f"spotify:audiobook:{book.id}",
        "audiobook_chapter_uri": f"spotify:chapter:{chapter.id}",
        "audiobook_chapter_title": chapter.title,
    }


# --- Writing the export ---------------------------------------------------------------------


def _file_name(chunk: Sequence[Record], number: int) -> str:
    first, last = str(chunk[0]["ts"])[:4], str(chunk[-1]["ts"])[:4]
    years = first if first == last else f"{first}-{last}"
    return f"Streaming_History_Audio_{years}_{number}.json"


# Flat records only: with this item separator, the C encoder writes one record exactly as
# `json.dumps(record, indent=4)` would inside an array, several times faster than indent=4.
_RECORD_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",\n        ", ": "))


def _history_json(records: Sequence[Record]) -> str:
    """The records as Spotify formats them: `json.dumps(records, indent=4)`, byte for byte."""
    bodies = (_RECORD_ENCODER.encode(record)[1:-1] for record in records)
    return "[\n" + ",\n".join(f"    {{\n        {body}\n    }}" for body in bodies) + "\n]"


def _write_history(records: list[Record], folder: Path, per_file: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    # Files from an earlier run would be imported alongside the new ones.
    for stale in folder.glob("Streaming_History_Audio_*.json"):
        stale.unlink()
    files = []
    for number, offset in enumerate(range(0, len(records), per_file)):
        chunk = records[offset : offset + per_file]
        path = folder / _file_name(chunk, number)
        path.write_text(_history_json(chunk), encoding="utf-8")
        files.append(path)
    return files


def _write_features(catalog: _Catalog, path: Path) -> None:
    # One track per line: readable, and quick to write.
    lines = [
        f'"{track.id}": {json.dumps(track.features)}'
        for track in catalog.tracks
        if track.features is not None
    ]
    path.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


@dataclass(frozen=True)
class SampleExport:
    files: list[Path]  # the Streaming_History_Audio_*.json files written
    features_path: Path  # {track id: {valence, energy, ...}} for the catalog, ~5 % left out
    plays: int  # records written (music + podcast episodes and audiobook chapters)
    music_plays: int
    episode_plays: int  # podcast episodes and audiobook chapters, as the warehouse counts them
    chapter_plays: int
    tracks: int  # distinct tracks, artists, albums and episodes in the records
    artists: int
    albums: int
    episodes: int
    catalog_tracks: int  # every invented track, heard or not
    tracks_with_features: int
    first_ts: datetime
    last_ts: datetime
    artist_families: dict[str, int]  # each artist's genre family: its index into GENRES


def _summary(
    records: list[Record], catalog: _Catalog, files: list[Path], features_path: Path
) -> SampleExport:
    music = [record for record in records if record["spotify_track_uri"] is not None]
    return SampleExport(
        files=files,
        features_path=features_path,
        plays=len(records),
        music_plays=len(music),
        episode_plays=len(records) - len(music),
        chapter_plays=sum(record["audiobook_chapter_uri"] is not None for record in records),
        tracks=len({record["spotify_track_uri"] for record in music}),
        artists=len({record["master_metadata_album_artist_name"] for record in music}),
        albums=len(
            {
                (
                    record["master_metadata_album_artist_name"],
                    record["master_metadata_album_album_name"],
                )
                for record in music
            }
        ),
        episodes=len({record["spotify_episode_uri"] for record in records} - {None}),
        catalog_tracks=len(catalog.tracks),
        tracks_with_features=sum(track.features is not None for track in catalog.tracks),
        first_ts=datetime.fromisoformat(str(records[0]["ts"])),
        last_ts=datetime.fromisoformat(str(records[-1]["ts"])),
        artist_families={artist.name: GENRES.index(artist.genre) for artist in catalog.artists},
    )


def generate_sample_export(
    out_dir: Path,
    *,
    seed: int = 7,
    years: float = 2.5,
    end: datetime | None = None,
    time_zone: str = "Europe/Berlin",
    plays_per_file: int = 15_000,
    intensity: float = 1.0,
    listener_seed: int | None = None,
    mood_shift: float = 0.0,
) -> SampleExport:
    """Write an Extended Streaming History of `years` up to `end` under `out_dir`.

    Writes `out_dir/Spotify Extended Streaming History/Streaming_History_Audio_*.json`
    (replacing any from an earlier run) and `out_dir/sample_audio_features.json`. The same
    arguments always give the same bytes. `intensity` scales the sessions the listener
    starts a day: 2.0 is a listener who plays about twice as much.

    Another `listener_seed` (and `mood_shift`, added to the valence the listener reaches for)
    makes another listener of the same catalog, with the same favourites over time: a
    friend of the first, whose taste overlaps and whose mood differs.
    """
    if years <= 0 or plays_per_file <= 0 or intensity <= 0:
        raise ValueError("years, plays_per_file and intensity must be positive")
    end = end or DEFAULT_END
    if end.tzinfo is None:
        end = end.replace(tzinfo=UTC)  # naive means UTC, as in the export itself
    end_ms = round(end.timestamp() * 1000)
    start_ms = end_ms - round(years * _DAYS_PER_YEAR * 86_400_000)
    zone = ZoneInfo(time_zone)
    first_day = datetime.fromtimestamp(start_ms / 1000, zone).date()
    days = (datetime.fromtimestamp(end_ms / 1000, zone).date() - first_day).days + 1
    rng = Random(seed)  # noqa: S311 -- reproducible demo data, nothing secret
    catalog = _build_catalog(rng, days)
    if listener_seed is not None:
        rng = Random(listener_seed)  # noqa: S311 -- as above
    records = _Listener(
        rng, catalog, zone, (start_ms, end_ms), (first_day, days), intensity, mood_shift
    ).live()
    if not records:
        raise ValueError("the history is too short to hold a single play")
    files = _write_history(records, out_dir / EXPORT_DIR_NAME, plays_per_file)
    features_path = out_dir / FEATURES_FILE_NAME
    _write_features(catalog, features_path)
    return _summary(records, catalog, files, features_path)
