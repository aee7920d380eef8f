"""How many Spotify and ReccoBeats calls Moodify makes for N new plays.

Runs the real hourly ingest and ETL (embedded PostgreSQL, fake Spotify and ReccoBeats on
loopback, a simulated clock) over N plays, 12 an hour, then a familiar play an hour for a
day, and counts the requests the fakes saw. Compares the enrichment calls with the lower bound
(one lookup per new artist plus one ReccoBeats call per 40 tracks without features), twice
side by side: tracks without features waiting for a full batch of 40 or for the maximum
delay (a day), and asked about as soon as they are new (a maximum delay of 0, the old
behaviour); each with the longest a track waited for its features. Then a
one-request-per-entity baseline (track, artist and features looked up for every new track).

    python bench/spotify_calls.py [--plays N]

The last line prints the figures as name=value pairs.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from contextlib import ExitStack, closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from pydantic import SecretStr

from etl.core.settings import Settings
from etl.core.state import UserState
from etl.spotify.ingest import Spotify, ingest_connected_users
from etl.warehouse.connection import connect
from moodify import local
from moodify.demo.simulation import FakeReccoBeats, FakeSpotify, SimulatedClock

START = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)
CLIENT_ID, CLIENT_SECRET = "bench", "bench-secret"
PLAYS_PER_HOUR = 12  # well under the 50 Spotify shows, so no play is missed
MAX_WAIT = Settings().feature_max_wait
# The longest any track waited from its first play to its features, and how many still wait.
FEATURE_DELAYS = """
SELECT max(f.fetched_at - first.started_at),
       (SELECT count(*) FROM dim_tracks t
        WHERE NOT EXISTS (SELECT 1 FROM track_audio_features a WHERE a.track_id = t.track_id)
          AND NOT EXISTS (SELECT 1 FROM audio_feature_misses m WHERE m.track_id = t.track_id))
FROM track_audio_features f
JOIN (SELECT track_id, min(started_at) AS started_at FROM fact_plays GROUP BY track_id) AS first
  USING (track_id)
"""


def spotify_settings(
    home: Path, spotify: FakeSpotify, reccobeats: FakeReccoBeats, max_wait: timedelta
) -> Settings:
    return local.local_settings(
        Settings(
            home=home,
            spotify_client_id=CLIENT_ID,
            spotify_client_secret=SecretStr(CLIENT_SECRET),
            spotify_accounts_url=spotify.url,
            spotify_api_url=spotify.api_url,
            reccobeats_url=reccobeats.api_url,
            allowed_users=("listener",),
            feature_providers=("spotify", "reccobeats"),
            feature_max_wait=max_wait,
            enrich_call_budget=10_000,  # count every call the data needs, not the budget
        )
    )


def schedule_plays(spotify: FakeSpotify, plays: int) -> list[str]:
    """`plays` plays spread over hours, cycling through the catalog, then one familiar play
    an hour for a day and an hour: runs come with new plays, and these runs send the tracks
    that waited the maximum delay. Returns the new plays' track ids."""
    catalog = sorted(spotify.catalog.tracks)
    track_ids = [catalog[(n * 7) % len(catalog)] for n in range(plays)]
    for n, track_id in enumerate(track_ids):
        played_at = START + timedelta(minutes=5 * n + 4)  # 12 an hour
        spotify.add_play("listener", track_id, played_at)
    for hour in range(1, math.ceil(hours_of(MAX_WAIT)) + 2):
        spotify.add_play("listener", track_ids[hour], played_at + timedelta(hours=hour))
    return track_ids


def run_moodify(spotify: FakeSpotify, clock: SimulatedClock, settings: Settings, hours: int) -> int:
    grant = spotify.sign_in("listener", CLIENT_ID)
    session = Spotify.from_settings(settings, clock.now)
    session.tokens.put("listener", grant["refresh_token"])
    session.state.put_user(UserState("listener", signed_in_at=clock.now()))
    inserted = 0
    for _ in range(hours):
        clock.advance(timedelta(hours=1))
        report = ingest_connected_users(Spotify.from_settings(settings, clock.now))
        runs = local.process_raw_keys(settings, report.raw_keys, clock.now)
        inserted += sum(run.get("inserted", 0) for run in runs)
    return inserted


@dataclass(frozen=True)
class Calls:
    """What one Moodify run over the plays cost, and how long features took."""

    max_wait: timedelta
    inserted: int
    seconds: float
    recently_played: int
    tokens: int
    artists: int
    reccobeats: int
    spotify_features: int
    batch_endpoints: int
    worst_delay: timedelta
    still_waiting: int  # tracks neither featured nor known to be unknown at the end

    @property
    def enrichment(self) -> int:
        return self.artists + self.reccobeats + self.spotify_features

    @property
    def total(self) -> int:
        return self.enrichment + self.recently_played + self.tokens


def measure(
    stack: ExitStack, plays: int, hours: int, max_wait: timedelta, home: Path
) -> tuple[Calls, FakeSpotify, FakeReccoBeats, list[str]]:
    """Moodify over `plays` plays with fakes of its own, kept up by `stack` for the
    baseline; they come back with the new plays' track ids."""
    clock = SimulatedClock(START)
    spotify = stack.enter_context(FakeSpotify(clock=clock))
    reccobeats = stack.enter_context(FakeReccoBeats(clock=clock, catalog=spotify.catalog))
    spotify.register_client(CLIENT_ID, CLIENT_SECRET, ["http://127.0.0.1:8000/auth/callback"])
    spotify.add_user("listener", "Listener")
    track_ids = schedule_plays(spotify, plays)
    settings = spotify_settings(home, spotify, reccobeats, max_wait)
    local.migrate(settings)

    started = time.perf_counter()
    inserted = run_moodify(spotify, clock, settings, hours)
    seconds = time.perf_counter() - started
    with closing(connect(settings)) as conn, conn.cursor() as cur:
        cur.execute(FEATURE_DELAYS)
        worst_delay, still_waiting = cur.fetchone() or (None, 0)
    calls = Calls(
        max_wait=max_wait,
        inserted=inserted,
        seconds=seconds,
        recently_played=spotify.calls("/v1/me/player/recently-played"),
        tokens=spotify.calls("/api/token"),
        artists=spotify.calls("/v1/artists/"),
        reccobeats=reccobeats.calls("/v1/audio-features"),
        spotify_features=spotify.calls("/v1/audio-features"),
        batch_endpoints=spotify.batch_lookup_calls,
        worst_delay=worst_delay or timedelta(0),
        still_waiting=still_waiting,
    )
    spotify.clear_requests()
    reccobeats.clear_requests()
    return calls, spotify, reccobeats, track_ids


def run_baseline(spotify: FakeSpotify, reccobeats: FakeReccoBeats, track_ids: list[str]) -> int:
    """One request per entity: the track, its first artist and its features, per new track."""
    token = requests.post(
        f"{spotify.url}/api/token",
        data={"grant_type": "client_credentials"},
        auth=(CLIENT_ID, CLIENT_SECRET),
        timeout=10,
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    calls = 0
    with requests.Session() as http:
        for track_id in dict.fromkeys(track_ids):
            track = http.get(f"{spotify.api_url}/tracks/{track_id}", headers=headers, timeout=10)
            artist_id = track.json()["artists"][0]["id"]
            http.get(f"{spotify.api_url}/artists/{artist_id}", headers=headers, timeout=10)
            http.get(f"{reccobeats.api_url}/audio-features", params={"ids": track_id}, timeout=10)
            calls += 3
    return calls


def hours_of(delay: timedelta) -> float:
    return delay.total_seconds() / 3600


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plays", type=int, default=600, help="new plays to ingest")
    plays = parser.parse_args().plays
    # Every play, then the day's wait and the familiar play after it.
    hours = math.ceil(plays / PLAYS_PER_HOUR) + math.ceil(hours_of(MAX_WAIT)) + 2

    with ExitStack() as stack, tempfile.TemporaryDirectory() as home:
        waiting, spotify, reccobeats, track_ids = measure(
            stack, plays, hours, MAX_WAIT, Path(home, "waiting")
        )
        immediate, *_ = measure(stack, plays, hours, timedelta(0), Path(home, "immediate"))
        started = time.perf_counter()
        baseline_calls = run_baseline(spotify, reccobeats, track_ids)
        baseline_s = time.perf_counter() - started

    new_tracks = set(track_ids)
    new_artists = {a for t in new_tracks for a in spotify.catalog.tracks[t].artist_ids}
    lower_bound = len(new_artists) + math.ceil(len(new_tracks) / 40)
    print(f"plays ingested:        {waiting.inserted} ({plays} new) over {hours} simulated hours")
    print(f"new tracks / artists:  {len(new_tracks)} / {len(new_artists)}")
    print(f"lower bound:           {lower_bound} enrichment calls")
    print()
    header = (
        f"{'tracks without features':<32}{'enrichment':>11}{'vs bound':>9}{'artists':>8}"
        f"{'reccobeats':>11}{'spotify af':>11}{'worst wait':>11}{'waiting':>8}{'all calls':>10}"
    )
    print(header)
    for name, calls in (
        (f"wait for 40, at most {hours_of(MAX_WAIT):g} h", waiting),
        ("asked at once (max wait 0)", immediate),
    ):
        print(
            f"{name:<32}{calls.enrichment:>11}{calls.enrichment / lower_bound:>9.2f}"
            f"{calls.artists:>8}{calls.reccobeats:>11}{calls.spotify_features:>11}"
            f"{hours_of(calls.worst_delay):>10.1f}h{calls.still_waiting:>8}{calls.total:>10}"
        )
    print()
    print(
        f"all calls also count recently-played ({waiting.recently_played}) and tokens "
        f"({waiting.tokens}); batch endpoints called: {waiting.batch_endpoints}; "
        f"moodify ran {waiting.seconds:.1f} s and {immediate.seconds:.1f} s"
    )
    print(f"baseline calls:        {baseline_calls} in {baseline_s:.1f} s (3 per new track)")
    print(
        f"plays={plays} inserted={waiting.inserted} new_tracks={len(new_tracks)} "
        f"new_artists={len(new_artists)} lower_bound={lower_bound} "
        f"enrichment_calls={waiting.enrichment} "
        f"enrichment_vs_bound={waiting.enrichment / lower_bound:.2f} "
        f"immediate_enrichment_calls={immediate.enrichment} "
        f"immediate_vs_bound={immediate.enrichment / lower_bound:.2f} "
        f"max_wait_h={hours_of(MAX_WAIT):g} "
        f"worst_feature_delay_h={hours_of(waiting.worst_delay):.2f} "
        f"immediate_worst_feature_delay_h={hours_of(immediate.worst_delay):.2f} "
        f"still_waiting={waiting.still_waiting} moodify_calls={waiting.total} "
        f"baseline_calls={baseline_calls} baseline_vs_moodify={baseline_calls / waiting.total:.2f} "
        f"batch_calls={waiting.batch_endpoints + immediate.batch_endpoints}"
    )


if __name__ == "__main__":
    main()
