"""MusicBrainz and the Cover Art Archive, through one paced, budgeted client.

MusicBrainz allows one request per second per IP and asks for a User-Agent naming the
application and a contact; it answers 503 to a client that goes faster. This client sends
at most one request per `musicbrainz_interval_s` (a monotonic-clock pacer, per process),
counts every request, the Cover Art Archive's too, against the run's
`musicbrainz_call_budget`, and treats a 503 as "too fast": it waits (at least the
`Retry-After`, doubling each time) and stops the run's lookups when 503s persist.
A run that stops leaves the rest for the next run; nothing is recorded as unknown.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from etl.core.clock import Clock
from etl.core.http import (
    BudgetSpent,
    Caller,
    CoolingDown,
    Reachability,
    ServiceUnreachable,
    retrying_session,
)
from etl.core.settings import Settings
from etl.core.state import StateStore

if TYPE_CHECKING:
    import requests

logger = logging.getLogger(__name__)

SERVICE = "musicbrainz"
BUSY_RETRIES = 3  # 503s in a row waited out before the run's lookups stop
BUSY_BACKOFF_S = 2.0  # the first wait after a 503 without a longer Retry-After
_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


def lucene_phrase(text: str) -> str:
    """`text` as one quoted Lucene phrase, its special characters escaped."""
    return '"' + _LUCENE_SPECIAL.sub(r"\\\1", text) + '"'


class MusicBrainzStopped(Exception):
    """This run sends MusicBrainz nothing more (budget spent, persistent 503s, unreachable);
    what was not asked waits for the next run."""


class Pacer:
    """At most one request per `interval` seconds from this process, counted from the end
    of one exchange to the start of the next, so that the service sees them at least that
    far apart whatever the network's delays. Shared by every client of the process (a warm
    Lambda runs one enrich after another); its clock and sleep are injected for tests."""

    def __init__(
        self,
        interval: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self.monotonic = monotonic
        self.sleep = sleep
        self._next = float("-inf")
        self._lock = threading.Lock()

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for this process's turn to send, and hold it until the exchange is over."""
        with self._lock:
            delay = self._next - self.monotonic()
            if delay > 0:
                self.sleep(delay)
            try:
                yield
            finally:
                self._next = self.monotonic() + self.interval

    def hold(self, seconds: float) -> None:
        """Send nothing for `seconds` from now (or the interval, if longer)."""
        with self._lock:
            self._next = max(self._next, self.monotonic() + max(seconds, self.interval))


_PACERS: dict[float, Pacer] = {}


def process_pacer(interval: float) -> Pacer:
    """The process's pacer for `interval`: every client in the process shares it."""
    return _PACERS.setdefault(interval, Pacer(interval))


def user_agent(settings: Settings) -> str:
    try:
        release = version("moodify")
    except PackageNotFoundError:  # a Lambda bundle ships the code without its metadata
        release = "lambda"
    contact = settings.musicbrainz_contact or "self-hosted, no contact configured"
    return f"Moodify/{release} ( {contact} )"


@dataclass(frozen=True)
class Candidate:
    """An artist or release group a search found."""

    mbid: str
    name: str  # the artist's name, or the release group's title
    score: int  # MusicBrainz's 0-100
    artist_names: tuple[str, ...] = ()  # a release group's credited artists
    artist_ids: tuple[str, ...] = ()  # and their MBIDs


class MusicBrainz:
    """The requests the genre and artwork lookups need, in MusicBrainz's JSON (ws/2)."""

    def __init__(self, settings: Settings, caller: Caller, pacer: Pacer) -> None:
        self._api = settings.musicbrainz_url.rstrip("/")
        self._covers = settings.coverartarchive_url.rstrip("/")
        self._caller = caller
        self._pacer = pacer
        self._headers = {"User-Agent": user_agent(settings), "Accept": "application/json"}
        self._run_s = settings.musicbrainz_run_s
        self._started: float | None = None  # the first request's turn, on the pacer's clock

    @classmethod
    def configured(
        cls,
        settings: Settings,
        state: StateStore,
        *,
        clock: Clock,
        reachability: Reachability | None = None,
        pacer: Pacer | None = None,
    ) -> MusicBrainz:
        # 503 is MusicBrainz's "too fast": waited out here, not retried at once by urllib3.
        caller = Caller.configured(
            SERVICE,
            state,
            settings,
            clock=clock,
            budget=settings.musicbrainz_call_budget,
            reachability=reachability,
            session=retrying_session(retry_statuses=(500, 502, 504)),
        )
        return cls(settings, caller, pacer or process_pacer(settings.musicbrainz_interval_s))

    @property
    def calls(self) -> int:
        """Requests sent so far (MusicBrainz and the Cover Art Archive)."""
        return self._caller.calls

    def artist_by_spotify_id(self, spotify_id: str) -> list[str]:
        """The MBIDs of the artists whose Spotify URL relation names `spotify_id`."""
        body = self._json(
            f"{self._api}/url",
            {
                "resource": f"https://open.spotify.com/artist/{spotify_id}",
                "inc": "artist-rels",
                "fmt": "json",
            },
        )
        if body is None:
            return []
        relations = body.get("relations") or []
        ids = (str((rel.get("artist") or {}).get("id") or "") for rel in relations)
        return list(dict.fromkeys(mbid for mbid in ids if mbid))

    def artist_genres(self, mbid: str) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
        """An artist's (genres, tags), each `(name, votes)`; both empty for an unknown MBID."""
        body = self._json(f"{self._api}/artist/{mbid}", {"inc": "genres tags", "fmt": "json"})
        if body is None:
            return [], []
        return _named_counts(body.get("genres")), _named_counts(body.get("tags"))

    def search_artists(self, name: str) -> list[Candidate]:
        body = self._json(
            f"{self._api}/artist",
            {"query": f"artist:{lucene_phrase(name)}", "limit": "5", "fmt": "json"},
        )
        return [
            Candidate(str(item["id"]), str(item.get("name") or ""), _score(item))
            for item in (body or {}).get("artists") or []
            if item.get("id")
        ]

    def search_release_groups(self, title: str, artist: str) -> list[Candidate]:
        query = f"releasegroup:{lucene_phrase(title)} AND artist:{lucene_phrase(artist)}"
        body = self._json(
            f"{self._api}/release-group", {"query": query, "limit": "5", "fmt": "json"}
        )
        return [
            Candidate(
                str(item["id"]),
                str(item.get("title") or ""),
                _score(item),
                tuple(
                    str(credit.get("name") or (credit.get("artist") or {}).get("name") or "")
                    for credit in item.get("artist-credit") or []
                ),
                tuple(
                    str((credit.get("artist") or {}).get("id") or "")
                    for credit in item.get("artist-credit") or []
                ),
            )
            for item in (body or {}).get("release-groups") or []
            if item.get("id")
        ]

    def front_cover(self, release_group_mbid: str) -> str | None:
        """The URL of a release group's 250 px front cover, None when it has none: the
        image the archive's 307 points to, which a browser loads without the redirect."""
        url = f"{self._covers}/release-group/{release_group_mbid}/front-250"
        response = self._get(url, {}, allow_redirects=False)
        if response.status_code in (301, 302, 303, 307, 308) and response.headers.get("Location"):
            return urljoin(url, response.headers["Location"])
        if response.status_code == 200:
            return url
        if response.status_code in (400, 404):
            return None
        raise MusicBrainzStopped(f"Cover Art Archive answered {response.status_code}")

    def _json(self, url: str, params: dict[str, str]) -> dict[str, Any] | None:
        response = self._get(url, params)
        if response.status_code in (400, 404):  # an unknown resource or MBID
            return None
        if not response.ok:
            raise MusicBrainzStopped(f"MusicBrainz answered {response.status_code}")
        body = response.json()
        return body if isinstance(body, dict) else None

    def _get(self, url: str, params: dict[str, str], **kwargs: Any) -> requests.Response:
        for attempt in range(BUSY_RETRIES + 1):
            try:
                with self._pacer.turn():
                    self._check_time_left()
                    response = self._caller.request(
                        "GET", url, params=params, headers=self._headers, **kwargs
                    )
            except (BudgetSpent, CoolingDown, ServiceUnreachable) as error:
                raise MusicBrainzStopped(str(error)) from error
            if response.status_code != 503:
                return response
            wait = max(_retry_after(response), BUSY_BACKOFF_S * 2**attempt)
            logger.info("MusicBrainz answered 503 (too fast); waiting %.0f s", wait)
            self._pacer.hold(wait)
        raise MusicBrainzStopped(f"MusicBrainz answered 503 {BUSY_RETRIES + 1} times in a row")

    def _check_time_left(self) -> None:
        now = self._pacer.monotonic()
        if self._started is None:
            self._started = now
        elif now - self._started >= self._run_s:
            raise MusicBrainzStopped(f"this run's {self._run_s:g} s for MusicBrainz are spent")


def _retry_after(response: requests.Response) -> float:
    try:
        return float(response.headers.get("Retry-After", "0"))
    except ValueError:
        return 0.0


def _score(item: dict[str, Any]) -> int:
    try:
        return int(item.get("score") or 0)
    except (TypeError, ValueError):
        return 0


def _named_counts(items: object) -> list[tuple[str, int]]:
    if not isinstance(items, list):
        return []
    return [
        (str(item["name"]), int(item.get("count") or 0))
        for item in items
        if isinstance(item, dict) and item.get("name")
    ]
