"""A simulated Spotify listener: who plays what, and when, in a window of time.

Each local day is lived from its own random stream (seeded by the listener's seed and the
date), and a day's plays all end before its local midnight, so the plays in a window do
not depend on where earlier windows ended: advancing a clock hour by hour yields exactly
the plays of one jump. Days follow a routine (commute and evening peaks on workdays, late
mornings on free days), sessions play an album, an artist, a playlist or a loose mix,
songs far from the day's mood get skipped, and plays under 30 seconds are left out, as
Spotify leaves them out of the recently played list.
"""

from __future__ import annotations

import math
from bisect import bisect
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from random import Random
from typing import NamedTuple
from zoneinfo import ZoneInfo

from moodify.demo.sample import FREE_DAY_HOURS, WORKDAY_HOURS, random_spotify_id
from moodify.demo.simulation.catalog import Catalog, Track
from moodify.demo.simulation.clock import from_unix_ms, unix_ms

_DAY_MS = 86_400_000
_SHORTEST_LISTED_MS = 30_000  # Spotify does not list plays shorter than this
_SESSIONS = {"workday": 4.2, "free": 3.4}  # mean sessions per day
_SESSION_TRACKS = (4, 16)
_MODES = (("album", 0.25), ("artist", 0.2), ("playlist", 0.4), ("mix", 0.15))
_PLAYLISTS = 3
_PLAYLIST_TRACKS = 40
_MOOD_WIDTH = 0.15  # how strictly the day's mood picks artists by their valence
_SEASON_AMPLITUDE = 0.12
_SUMMER_PEAK_DAY = 196
_LOOKBACK_DAYS = 60  # how far back `last_plays` searches before giving up


class PlayContext(NamedTuple):
    type: str  # album, artist or playlist
    uri: str  # spotify:<type>:<id>


class Play(NamedTuple):
    played_at: datetime  # aware UTC, millisecond precision: when the play ended
    track_id: str
    context: PlayContext | None  # None: played outside any album, artist or playlist


def _pick(rng: Random, cum: Sequence[float]) -> int:
    """An index drawn in proportion to the weights whose running sums are `cum`."""
    return min(bisect(cum, rng.random() * cum[-1]), len(cum) - 1)


class SimulatedListener:
    """One person's listening, deterministic for a catalog, a seed and a time zone."""

    def __init__(self, catalog: Catalog, seed: int, time_zone: str = "UTC") -> None:
        self.catalog = catalog
        self.seed = seed
        self.zone = ZoneInfo(time_zone)
        taste = Random(f"taste:{seed}")  # noqa: S311 -- reproducible, nothing secret
        artists = sorted(catalog.artists)
        taste.shuffle(artists)  # each listener has favourites of their own
        self._artists = [a for a in artists if catalog.artist_tracks(a)]
        self._taste = [1.0 / (rank + 2) ** 1.05 for rank in range(len(self._artists))]
        self._valence = [self._mean_valence(a) for a in self._artists]
        # A few hits per artist take most of the plays.
        self._track_cum = {
            a: list(
                accumulate(min(taste.paretovariate(1.2), 25.0) for _ in catalog.artist_tracks(a))
            )
            for a in self._artists
        }
        taste_cum = list(accumulate(self._taste))
        self._playlists = [
            (
                PlayContext("playlist", f"spotify:playlist:{random_spotify_id(taste)}"),
                list(  # a playlist holds a track once
                    dict.fromkeys(
                        self._artist_track(taste, self._artists[_pick(taste, taste_cum)])
                        for _ in range(_PLAYLIST_TRACKS)
                    )
                ),
            )
            for _ in range(_PLAYLISTS)
        ]

    def plays_between(self, start: datetime, end: datetime) -> list[Play]:
        """The plays that ended after `start` and by `end`, oldest first."""
        start_ms, end_ms = unix_ms(start), unix_ms(end)
        plays: list[Play] = []
        day, last = self._local_date(start), self._local_date(end)
        while day <= last:
            plays.extend(p for p in self._day(day) if start_ms < unix_ms(p.played_at) <= end_ms)
            day += timedelta(days=1)
        return plays

    def last_plays(self, until: datetime, count: int) -> list[Play]:
        """The latest `count` plays that ended by `until`, oldest first."""
        until_ms = unix_ms(until)
        day = self._local_date(until)
        plays: list[Play] = []
        for _ in range(_LOOKBACK_DAYS):
            if len(plays) >= count:
                break
            plays = [p for p in self._day(day) if unix_ms(p.played_at) <= until_ms] + plays
            day -= timedelta(days=1)
        return plays[-count:] if count else []

    def _local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def _mean_valence(self, artist_id: str) -> float:
        values = [t.features.valence for t in self.catalog.artist_tracks(artist_id) if t.features]
        return sum(values) / len(values) if values else 0.5

    def _artist_track(self, rng: Random, artist_id: str) -> Track:
        tracks = self.catalog.artist_tracks(artist_id)
        return tracks[_pick(rng, self._track_cum[artist_id])]

    # One day ----------------------------------------------------------------------------

    def _day(self, day: date) -> list[Play]:
        rng = Random(f"{self.seed}:{day.isoformat()}")  # noqa: S311 -- reproducible
        midnight = unix_ms(datetime.combine(day, time(), tzinfo=self.zone))
        next_midnight = unix_ms(datetime.combine(day + timedelta(days=1), time(), tzinfo=self.zone))
        kind = "free" if day.weekday() >= 5 else "workday"
        hours = list(accumulate(FREE_DAY_HOURS if kind == "free" else WORKDAY_HOURS))
        season = math.cos(2 * math.pi * (day.timetuple().tm_yday - _SUMMER_PEAK_DAY) / 365.25)
        mood = 0.5 + _SEASON_AMPLITUDE * season + rng.gauss(0, 0.08)
        artist_cum = list(
            accumulate(
                weight * math.exp(-((valence - mood) ** 2) / (2 * _MOOD_WIDTH**2))
                for weight, valence in zip(self._taste, self._valence, strict=True)
            )
        )
        starts = sorted(
            midnight + _pick(rng, hours) * 3_600_000 + rng.randrange(3_600_000)
            for _ in range(max(0, round(rng.gauss(_SESSIONS[kind], 1.3))))
        )
        plays: list[Play] = []
        clock = midnight
        for start in starts:
            clock = max(start, clock + 60_000)  # sessions never overlap
            tracks, context = self._session(rng, artist_cum)
            for track in tracks:
                valence = track.features.valence if track.features else mood
                skip = 0.12 + 0.35 * max(0.0, abs(valence - mood) - 0.1)
                if rng.random() < skip:
                    played = min(rng.randrange(3_000, 60_000), track.duration_ms)
                else:
                    played = track.duration_ms - rng.randrange(800)
                clock += played
                if clock >= next_midnight:
                    return plays
                if played >= _SHORTEST_LISTED_MS:
                    plays.append(Play(from_unix_ms(clock), track.id, context))
                clock += rng.randrange(2_000)
        return plays

    def _session(
        self, rng: Random, artist_cum: list[float]
    ) -> tuple[list[Track], PlayContext | None]:
        length = rng.randint(*_SESSION_TRACKS)
        mode = _MODES[_pick(rng, list(accumulate(w for _, w in _MODES)))][0]
        artist_id = self._artists[_pick(rng, artist_cum)]
        if mode == "album":
            album_id = rng.choice(self.catalog.artist_tracks(artist_id)).album_id
            return list(self.catalog.album_tracks(album_id)[:length]), PlayContext(
                "album", f"spotify:album:{album_id}"
            )
        if mode == "artist":
            tracks = [self._artist_track(rng, artist_id) for _ in range(length)]
            return tracks, PlayContext("artist", f"spotify:artist:{artist_id}")
        if mode == "playlist":
            context, tracks = rng.choice(self._playlists)
            return rng.sample(tracks, min(length, len(tracks))), context
        mix = (
            self._artist_track(rng, self._artists[_pick(rng, artist_cum)]) for _ in range(length)
        )
        return list(mix), None
