"""Simulated Spotify and ReccoBeats for tests and the live demo: a clock, a catalog, listeners
and two fake HTTP servers that follow the real services' contracts."""

from moodify.demo.simulation.catalog import Catalog, default_catalog
from moodify.demo.simulation.clock import Clock, SimulatedClock, system_clock
from moodify.demo.simulation.listener import Play, PlayContext, SimulatedListener
from moodify.demo.simulation.reccobeats import FakeReccoBeats
from moodify.demo.simulation.server import RecordedRequest
from moodify.demo.simulation.spotify import FakeSpotify, FakeUser

__all__ = [
    "Catalog",
    "Clock",
    "FakeReccoBeats",
    "FakeSpotify",
    "FakeUser",
    "Play",
    "PlayContext",
    "RecordedRequest",
    "SimulatedClock",
    "SimulatedListener",
    "default_catalog",
    "system_clock",
]
