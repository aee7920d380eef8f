"""Tracks without features wait for ReccoBeats' full batch of 40, or for the maximum delay.

The real hourly ingest and pipeline against the fake Spotify and ReccoBeats on loopback,
on real PostgreSQL, with a simulated clock that lies in the past of the wall clock: were
the wait measured by the wall clock, every track would be overdue at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from etl.core.settings import Settings
from etl.imports.importer import import_export
from etl.pipeline.context import PipelineContext
from moodify.demo.sample import generate_sample_export
from tests.integration.test_spotify_connection import World, open_world

FEATURES = "/v1/audio-features"


@pytest.fixture
def world(settings: Settings, database_dsn: str) -> Iterator[World]:
    with open_world(settings, database_dsn) as opened:
        opened.connect("alice")
        opened.connect("bob")
        yield opened


class Listening:
    """Plays of catalog tracks nobody has played yet, those ReccoBeats knows or not."""

    def __init__(self, world: World) -> None:
        self.world = world
        tracks = sorted(world.spotify.catalog.tracks.values(), key=lambda track: track.id)
        self._known = iter([t.id for t in tracks if t.features is not None])
        self._unknown = iter([t.id for t in tracks if t.features is None])

    def new_tracks(self, account_id: str, count: int, *, known: bool = True) -> list[str]:
        """`count` plays of new tracks, a minute apart, the last one a minute ago."""
        source = self._known if known else self._unknown
        track_ids = [next(source) for _ in range(count)]
        now = self.world.clock.now()
        for n, track_id in enumerate(track_ids):
            played_at = now - timedelta(minutes=count - n)
            self.world.spotify.add_play(account_id, track_id, played_at)
        return track_ids

    def hour_later(self, hours: float = 1) -> None:
        """The clock moves on, and the hourly run ingests whatever was played."""
        self.world.clock.advance(timedelta(hours=hours))


def asked(world: World) -> list[list[str]]:
    """The ids of every ReccoBeats call, in order."""
    return [r.query["ids"].split(",") for r in world.reccobeats.requests if r.path == FEATURES]


def featured(world: World) -> int:
    return int(world.scalar("SELECT count(*) FROM track_audio_features"))


def test_a_few_new_tracks_wait_for_a_full_batch(world: World) -> None:
    listening = Listening(world)
    listening.new_tracks("alice", 5)
    world.ingest()

    assert asked(world) == []
    assert world.spotify.calls(FEATURES) == 0
    assert featured(world) == 0
    assert world.spotify.calls("/v1/artists/") > 0  # artists do not wait: one lookup each


def test_forty_tracks_of_several_users_go_in_one_call(world: World) -> None:
    listening = Listening(world)
    alices = listening.new_tracks("alice", 25)
    bobs = listening.new_tracks("bob", 17)
    world.ingest()  # alice's 25 wait; with bob's 17 there are 42

    (batch,) = asked(world)
    assert len(batch) == 40
    assert set(batch) <= set(alices + bobs)
    assert featured(world) == 40
    # The two left over wait; the next run with a few more does not call.
    listening.hour_later()
    listening.new_tracks("alice", 3)
    world.ingest()
    assert len(asked(world)) == 1


def test_a_track_that_waited_the_maximum_delay_goes_without_a_full_batch(world: World) -> None:
    listening = Listening(world)
    first = listening.new_tracks("alice", 3)
    world.ingest()
    listening.hour_later(22)
    later = listening.new_tracks("bob", 2)
    world.ingest()  # 23 hours: nothing is due yet
    assert asked(world) == []

    listening.hour_later(2)
    newest = listening.new_tracks("bob", 1)
    world.ingest()  # 25 hours: the first three are due, and take the others along

    (batch,) = asked(world)
    # The longest waiting first.
    assert [set(batch[:3]), set(batch[3:5]), batch[5:]] == [set(first), set(later), newest]
    assert featured(world) == 6


def test_the_maximum_delay_is_configurable(world: World) -> None:
    world.settings = world.settings.model_copy(update={"feature_max_wait": timedelta(hours=2)})
    listening = Listening(world)
    first = listening.new_tracks("alice", 2)
    world.ingest()
    listening.hour_later()
    listening.new_tracks("alice", 1)
    world.ingest()
    assert asked(world) == []

    listening.hour_later(1.5)
    listening.new_tracks("alice", 1)
    world.ingest()

    (batch,) = asked(world)
    assert batch[:2] == first
    assert len(batch) == 4


def test_a_track_reccobeats_does_not_know_is_asked_again_after_a_week_and_the_delay(
    world: World,
) -> None:
    # Without Spotify's provider, whose first 403 leaves that run's misses unrecorded.
    world.settings = world.settings.model_copy(update={"feature_providers": ("reccobeats",)})
    listening = Listening(world)
    (unknown,) = listening.new_tracks("alice", 1, known=False)
    world.ingest()
    listening.hour_later(25)
    listening.new_tracks("alice", 1)
    world.ingest()
    assert [unknown in batch for batch in asked(world)] == [True]
    assert world.scalar("SELECT tries FROM audio_feature_misses WHERE track_id = %s", unknown) == 1

    # Not within the week after the try, nor within the day after that week.
    for hours in (24 * 7 - 1, 12):
        listening.hour_later(hours)
        listening.new_tracks("alice", 1)
        world.ingest()
        assert [unknown in batch for batch in asked(world)] == [True]

    listening.hour_later(13)  # a week and a day after the try
    listening.new_tracks("alice", 1)
    world.ingest()
    assert [unknown in batch for batch in asked(world)] == [True, True]
    assert world.scalar("SELECT tries FROM audio_feature_misses WHERE track_id = %s", unknown) == 2


def test_an_import_sends_full_batches_and_the_next_run_the_rest(
    world: World, tmp_path: Path
) -> None:
    world.settings = world.settings.model_copy(update={"feature_providers": ("reccobeats",)})
    end = world.clock.now() - timedelta(days=3)
    export = generate_sample_export(tmp_path / "export", years=0.05, plays_per_file=300, end=end)
    assert len(export.files) >= 2
    ctx = PipelineContext.from_settings(world.settings, world.clock.now)

    import_export(export.files[0].parent, ctx, "alice")

    tracks = int(world.scalar("SELECT count(*) FROM dim_tracks"))
    batches = asked(world)
    assert tracks > 80
    assert all(len(batch) == 40 for batch in batches)  # full, though each file's are few
    assert len({track_id for batch in batches for track_id in batch}) == 40 * len(batches)
    waiting = tracks - 40 * len(batches)
    assert 0 <= waiting < 40
    # The last file's rest were first played days ago: the next run asks about them.
    listening = Listening(world)
    listening.new_tracks("alice", 1)
    world.ingest()
    asked_now = asked(world)[len(batches) :]
    assert sum(len(batch) for batch in asked_now) == waiting + 1
