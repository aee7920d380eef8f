"""The live demo: Moodify against the fake Spotify, with a simulated clock.

Every tick of real time moves the clock one hour; the ingest runs for every connected
account and the pipeline processes what it wrote, so a newcomer who signs in (on the fake's
consent page) watches their plays arrive hour by hour without a Spotify account.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import SecretStr

from etl.core.settings import Settings
from etl.spotify.ingest import IngestReport
from moodify import local
from moodify.demo.simulation.clock import SimulatedClock
from moodify.demo.simulation.listener import SimulatedListener
from moodify.demo.simulation.musicbrainz import FakeMusicBrainz, catalog_data
from moodify.demo.simulation.reccobeats import FakeReccoBeats
from moodify.demo.simulation.spotify import FakeSpotify

CLIENT_ID = "moodify-live-demo"
CLIENT_SECRET = "live-demo-secret"  # noqa: S105 -- the fake's own app, never a real one
LISTENERS = (("alice", "Alice", 11), ("bob", "Bob", 12))
TIME_ZONE = "Europe/Berlin"
HISTORY = timedelta(days=2)  # the clock starts this far back, then runs an hour per tick

Tick = Callable[[datetime, IngestReport, int], None]


@dataclass
class LiveDemo:
    """The fakes, the clock and the settings that point Moodify at them."""

    clock: SimulatedClock
    spotify: FakeSpotify
    reccobeats: FakeReccoBeats
    musicbrainz: FakeMusicBrainz
    settings: Settings

    def tick(self) -> tuple[IngestReport, int]:
        """One simulated hour: advance the clock, ingest, process; new plays stored."""
        self.clock.advance(timedelta(hours=1))
        report, runs = local.ingest(self.settings, self.clock.now)
        return report, sum(run.get("inserted", 0) for run in runs)


def start_live_demo(settings: Settings, stack: ExitStack, *, start: datetime) -> LiveDemo:
    """Start the fakes (stopped with `stack`) and return Moodify's settings for them; the
    simulated clock starts `HISTORY` before `start`.

    The demo keeps its state under `<MOODIFY_HOME>/live-demo`, apart from real data.
    """
    begin = start.replace(minute=0, second=0, microsecond=0) - HISTORY
    clock = SimulatedClock(begin)
    spotify = stack.enter_context(FakeSpotify(clock=clock))
    reccobeats = stack.enter_context(FakeReccoBeats(clock=clock, catalog=spotify.catalog))
    musicbrainz = stack.enter_context(
        FakeMusicBrainz(catalog_data(spotify.catalog), min_interval=0, clock=clock)
    )
    for account_id, name, seed in LISTENERS:
        listener = SimulatedListener(spotify.catalog, seed, TIME_ZONE)
        spotify.add_user(account_id, name, listener=listener)
    redirect_uri = f"http://{settings.host}:{settings.port}/auth/callback"
    spotify.register_client(CLIENT_ID, CLIENT_SECRET, [redirect_uri])
    demo_settings = settings.model_copy(
        update={
            "home": settings.home / "live-demo",
            "database_url": None,
            "spotify_client_id": CLIENT_ID,
            "spotify_client_secret": SecretStr(CLIENT_SECRET),
            "spotify_accounts_url": spotify.url,
            "spotify_api_url": spotify.api_url,
            "reccobeats_url": reccobeats.api_url,
            "musicbrainz_url": musicbrainz.api_url,
            "coverartarchive_url": musicbrainz.url,
            # No pause between requests: only a loopback fake allows it.
            "musicbrainz_interval_s": 0.0,
            "redirect_uri": redirect_uri,
            "allowed_users": tuple(account_id for account_id, _, _ in LISTENERS),
            "feature_providers": ("spotify", "reccobeats"),
            "time_zone": TIME_ZONE,
        }
    )
    ready = local.local_settings(demo_settings)
    local.migrate(ready)
    return LiveDemo(clock, spotify, reccobeats, musicbrainz, ready)


def run_clock(
    demo: LiveDemo, seconds_per_hour: float, stop: threading.Event, on_tick: Tick
) -> None:
    """Tick until `stop` is set: one simulated hour every `seconds_per_hour`."""
    while not stop.wait(seconds_per_hour):
        report, inserted = demo.tick()
        on_tick(demo.clock.now(), report, inserted)
