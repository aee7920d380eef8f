"""The MusicBrainz / Cover Art Archive client against the fake over real HTTP: lookups,
checked searches, 503 as "too fast", the run's budget, the User-Agent, and the rate the
fake measured."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pytest

from etl.core.lake import lake_from_settings
from etl.core.settings import Settings
from etl.core.state import StateStore
from etl.enrich.genres import look_up
from etl.enrich.musicbrainz import MusicBrainz, MusicBrainzStopped, Pacer
from moodify.demo.simulation.musicbrainz import (
    FakeArtist,
    FakeMusicBrainz,
    FakeReleaseGroup,
    MusicBrainzData,
    mbid,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC)
AURORA = FakeArtist(
    mbid("Aurora"),
    "Aurora",
    genres=(("indie pop", 3), ("electropop", 5)),
    tags=(("seen live", 9),),
    spotify_ids=("1WgXqy2Dd70QQOU7Ay074N",),
)
# An exact namesake MusicBrainz ranks first; only an album tells the two apart.
HOMONYM = FakeArtist(mbid("Aurora", "homonym"), "Aurora", genres=(("death metal", 4),))
NAMESAKE = FakeArtist(mbid("Aurora", "2"), "Aurora Borealis", genres=(("ambient", 1),))
TAGGED = FakeArtist(mbid("Tagged"), "The Tagged Ones", tags=(("post-punk", 6), ("british", 8)))
BARE = FakeArtist(mbid("Bare"), "Nobody Tags Us")
DATA = MusicBrainzData(
    artists=[HOMONYM, AURORA, NAMESAKE, TAGGED, BARE],
    release_groups=[
        FakeReleaseGroup(mbid("rg", "All My Demons"), "All My Demons", AURORA, True),
        FakeReleaseGroup(mbid("rg", "Bare"), "Quiet Songs", BARE, False),
        FakeReleaseGroup(mbid("rg", "AC/DC"), 'Songs: "Live" (2)', TAGGED, True),
    ],
)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeMusicBrainz]:
    with FakeMusicBrainz(DATA, min_interval=0) as server:
        yield server


@pytest.fixture(autouse=True)
def fresh(fake: FakeMusicBrainz) -> None:
    fake.clear_faults()
    fake.clear_requests()
    fake.min_interval = 0


class Stopwatch:
    """A monotonic clock that moves only when slept on: what a pacer waited, at once."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def pacer(self, interval: float) -> Pacer:
        return Pacer(interval, monotonic=lambda: self.now, sleep=self.sleep)


def client(
    fake: FakeMusicBrainz,
    tmp_path: Path,
    *,
    budget: int = 100,
    pacer: Pacer | None = None,
    run_s: float = 300,
) -> MusicBrainz:
    settings = Settings(
        home=tmp_path,
        musicbrainz_url=fake.api_url,
        coverartarchive_url=fake.url,
        musicbrainz_call_budget=budget,
        musicbrainz_contact="mailto:owner@example.org",
        musicbrainz_run_s=run_s,
    )
    state = StateStore(lake_from_settings(settings))
    return MusicBrainz.configured(settings, state, clock=lambda: NOW, pacer=pacer or Pacer(0))


def test_an_artist_is_found_by_its_spotify_url_and_its_genres_read(
    fake: FakeMusicBrainz, tmp_path: Path
) -> None:
    mb = client(fake, tmp_path)
    assert mb.artist_by_spotify_id("1WgXqy2Dd70QQOU7Ay074N") == [AURORA.mbid]
    assert mb.artist_by_spotify_id("0000000000000000000000") == []  # a 404
    assert mb.artist_genres(AURORA.mbid) == (
        [("indie pop", 3), ("electropop", 5)],
        [("seen live", 9)],
    )
    assert mb.artist_genres(mbid("nobody")) == ([], [])  # a 404
    url_lookup = fake.requests[0]
    assert url_lookup.query == {
        "resource": "https://open.spotify.com/artist/1WgXqy2Dd70QQOU7Ay074N",
        "inc": "artist-rels",
        "fmt": "json",
    }
    assert fake.requests[2].query["inc"] == "genres tags"  # sent as genres+tags
    agents = {r.headers["user-agent"] for r in fake.requests}
    assert len(agents) == 1
    assert agents.pop().startswith("Moodify/")
    assert fake.requests[0].headers["user-agent"].endswith("( mailto:owner@example.org )")


def test_searches_are_escaped_and_their_hits_checked(fake: FakeMusicBrainz, tmp_path: Path) -> None:
    mb = client(fake, tmp_path)
    hits = mb.search_artists("Aurora")
    assert [(h.mbid, h.score) for h in hits[:2]] == [(HOMONYM.mbid, 100), (AURORA.mbid, 100)]
    assert any(h.mbid == NAMESAKE.mbid and h.score < 90 for h in hits)
    groups = mb.search_release_groups('Songs: "Live" (2)', "The Tagged Ones")
    assert groups[0].mbid == mbid("rg", "AC/DC")
    assert groups[0].artist_names == ("The Tagged Ones",)
    assert fake.requests[-1].query["query"] == (
        r'releasegroup:"Songs\: \"Live\" \(2\)" AND artist:"The Tagged Ones"'
    )


def test_the_chain_takes_genres_else_genre_like_tags_else_none(
    fake: FakeMusicBrainz, tmp_path: Path
) -> None:
    mb = client(fake, tmp_path)
    artists = [
        {"artist_id": "1WgXqy2Dd70QQOU7Ay074N", "name": "AURORA"},  # by its Spotify URL
        {"artist_id": "name:the tagged ones", "name": "The Tagged Ones"},  # by name
        {"artist_id": "name:nobody tags us", "name": "Nobody Tags Us"},  # known, no genres
        {"artist_id": "name:aurora borealis band", "name": "Aurora Borealis Band"},  # no match
    ]
    lookups = look_up(mb, artists, [], lambda: NOW)
    answers = {a["artist_id"]: (a["provider"], a["genres"]) for a in lookups.genres}
    assert answers == {
        "1WgXqy2Dd70QQOU7Ay074N": ("musicbrainz", ["electropop", "indie pop"]),
        "name:the tagged ones": ("musicbrainz", ["post-punk"]),
        "name:nobody tags us": (None, []),
        "name:aurora borealis band": (None, []),
    }
    assert lookups.stopped is None
    # By Spotify URL: 2 calls; by name: 2; known without genres: 2; no match: 1 search.
    assert lookups.calls == fake.calls("/ws/2/") == 7


def test_namesakes_are_told_apart_by_an_album_of_the_artists(
    fake: FakeMusicBrainz, tmp_path: Path
) -> None:
    mb = client(fake, tmp_path)
    with_album = {"artist_id": "name:aurora", "name": "Aurora", "album": "All My Demons"}
    without = {"artist_id": "name:aurora", "name": "Aurora"}
    lookups = look_up(mb, [with_album, without], [], lambda: NOW)
    assert [a["genres"] for a in lookups.genres] == [["electropop", "indie pop"], ["death metal"]]
    # The search, the album's release group, the genres; without an album, the first hit.
    assert [r.path for r in fake.requests] == [
        "/ws/2/artist",
        "/ws/2/release-group",
        f"/ws/2/artist/{AURORA.mbid}",
        "/ws/2/artist",
        f"/ws/2/artist/{HOMONYM.mbid}",
    ]


def test_covers_are_found_through_a_checked_release_group_search(
    fake: FakeMusicBrainz, tmp_path: Path
) -> None:
    mb = client(fake, tmp_path)
    albums: list[dict[str, str | None]] = [
        {"album_id": "name:a", "name": "All My Demons", "artist": "Aurora"},
        {"album_id": "name:b", "name": "Quiet Songs", "artist": "Nobody Tags Us"},  # no cover
        {"album_id": "name:c", "name": "All My Demons", "artist": "Somebody Else"},  # no match
        {"album_id": "name:d", "name": "All My Demons", "artist": None},  # no track names one
    ]
    lookups = look_up(mb, [], albums, lambda: NOW)
    covers = {a["album_id"]: a["image_url"] for a in lookups.album_art}
    assert covers["name:a"] == f"{fake.url}/img/{mbid('rg', 'All My Demons')}-250.svg"
    assert covers["name:b"] is None
    assert covers["name:c"] is None
    assert covers["name:d"] is None
    assert fake.calls("/ws/2/release-group") == 3  # none for the album without an artist
    assert fake.calls("/release-group/") == 2  # the unmatched album costs no archive call
    assert {r.headers["user-agent"] for r in fake.requests if r.path.startswith("/release")} == {
        fake.requests[0].headers["user-agent"]
    }


def test_a_503_is_waited_out_honouring_retry_after(fake: FakeMusicBrainz, tmp_path: Path) -> None:
    time = Stopwatch()
    fake.fail("/ws/2/artist/*", 503, times=2, retry_after=7)
    mb = client(fake, tmp_path, pacer=time.pacer(1.0))
    assert mb.artist_genres(AURORA.mbid)[0]
    assert time.slept == [pytest.approx(7), pytest.approx(7)]  # Retry-After beats 2 s and 4 s
    assert [r.status for r in fake.requests] == [503, 503, 200]


def test_persistent_503s_stop_the_run_and_leave_the_rest(
    fake: FakeMusicBrainz, tmp_path: Path
) -> None:
    time = Stopwatch()
    fake.fail("/ws/2/*", 503, times=50)
    mb = client(fake, tmp_path, pacer=time.pacer(1.0))
    artists = [{"artist_id": f"name:{n}", "name": n} for n in ("Aurora", "The Tagged Ones")]
    lookups = look_up(mb, artists, [], lambda: NOW)
    assert lookups.genres == []  # nothing recorded as unknown
    assert lookups.stopped == "MusicBrainz answered 503 4 times in a row"
    assert fake.calls() == 4
    assert time.now >= 2 + 4 + 8  # backed off, doubling


def test_the_budget_stops_the_run(fake: FakeMusicBrainz, tmp_path: Path) -> None:
    mb = client(fake, tmp_path, budget=3)
    artists = [{"artist_id": f"name:{n}", "name": n} for n in ("Aurora", "The Tagged Ones")]
    lookups = look_up(mb, artists, [], lambda: NOW)
    assert [a["artist_id"] for a in lookups.genres] == ["name:Aurora"]
    assert "calls are spent" in str(lookups.stopped)
    assert fake.calls() == 3
    with pytest.raises(MusicBrainzStopped):
        mb.search_artists("Aurora")


def test_the_run_stops_when_its_time_for_musicbrainz_is_spent(
    fake: FakeMusicBrainz, tmp_path: Path
) -> None:
    mb = client(fake, tmp_path, pacer=Stopwatch().pacer(4.0), run_s=10)
    artists = [{"artist_id": f"name:{n}", "name": n} for n in ("Aurora", "The Tagged Ones")]
    lookups = look_up(mb, artists, [], lambda: NOW)
    assert fake.calls() == 3  # at 0, 4 and 8 s; the fourth would start at 12 s
    assert [a["artist_id"] for a in lookups.genres] == ["name:Aurora"]
    assert lookups.stopped == "this run's 10 s for MusicBrainz are spent"


def test_at_most_one_request_a_second_reaches_musicbrainz(
    fake: FakeMusicBrainz, tmp_path: Path
) -> None:
    fake.min_interval = 1.0  # as MusicBrainz: 503 when faster
    mb = client(fake, tmp_path, pacer=Pacer(1.0))
    for name in ("Aurora", "The Tagged Ones", "Nobody Tags Us"):
        mb.search_artists(name)
    assert [r.status for r in fake.requests] == [200, 200, 200]
    gaps = [b - a for a, b in pairwise(fake.arrivals)]
    assert min(gaps) >= 1.0  # as the fake saw them arrive
