"""How many Spotify and ReccoBeats calls Moodify makes for N new plays.

Runs the real hourly ingest and ETL (embedded PostgreSQL, fake Spotify and ReccoBeats on
loopback, a simulated clock) over N plays, then counts the requests the fakes saw. Compares
the enrichment calls with the lower bound (one lookup per new artist plus one ReccoBeats
call per 40 tracks without features), and runs, side by side, a one-request-per-entity
baseline (track, artist and features looked up for every new track).

    python bench/spotify_calls.py [--plays N]

The last line prints the figures as name=value pairs.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from pydantic import SecretStr

from etl.core.settings import Settings
from etl.core.state import UserState
from etl.spotify.ingest import Spotify, ingest_connected_users
from moodify import local
from moodify.demo.simulation import FakeReccoBeats, FakeSpotify, SimulatedClock

START = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)
CLIENT_ID, CLIENT_SECRET = "bench", "bench-secret"
PLAYS_PER_HOUR = 12  # well under the 50 Spotify shows, so no play is missed


def spotify_settings(home: Path, spotify: FakeSpotify, reccobeats: FakeReccoBeats) -> Settings:
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
            enrich_call_budget=10_000,  # count every call the data needs, not the budget
        )
    )


def schedule_plays(spotify: FakeSpotify, clock: SimulatedClock, plays: int) -> list[str]:
    """`plays` plays spread over hours, cycling through the catalog; their track ids."""
    catalog = sorted(spotify.catalog.tracks)
    track_ids = [catalog[(n * 7) % len(catalog)] for n in range(plays)]
    for n, track_id in enumerate(track_ids):
        played_at = START + timedelta(minutes=5 * n + 4)  # 12 an hour
        spotify.add_play("listener", track_id, played_at)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plays", type=int, default=600, help="new plays to ingest")
    plays = parser.parse_args().plays
    hours = math.ceil(plays / PLAYS_PER_HOUR) + 1

    with ExitStack() as stack, tempfile.TemporaryDirectory() as home:
        clock = SimulatedClock(START)
        spotify = stack.enter_context(FakeSpotify(clock=clock))
        reccobeats = stack.enter_context(FakeReccoBeats(clock=clock, catalog=spotify.catalog))
        spotify.register_client(CLIENT_ID, CLIENT_SECRET, ["http://127.0.0.1:8000/auth/callback"])
        spotify.add_user("listener", "Listener")
        track_ids = schedule_plays(spotify, clock, plays)
        settings = spotify_settings(Path(home), spotify, reccobeats)
        local.migrate(settings)

        started = time.perf_counter()
        inserted = run_moodify(spotify, clock, settings, hours)
        moodify_s = time.perf_counter() - started
        ingest_calls = spotify.calls("/v1/me/player/recently-played")
        token_calls = spotify.calls("/api/token")
        artist_calls = spotify.calls("/v1/artists/")
        spotify_feature_calls = spotify.calls("/v1/audio-features")
        reccobeats_calls = reccobeats.calls("/v1/audio-features")
        batch_calls = spotify.batch_lookup_calls

        new_tracks = set(track_ids)
        new_artists = {a for t in new_tracks for a in spotify.catalog.tracks[t].artist_ids}
        lower_bound = len(new_artists) + math.ceil(len(new_tracks) / 40)
        enrichment_calls = artist_calls + reccobeats_calls + spotify_feature_calls
        moodify_calls = enrichment_calls + ingest_calls + token_calls

        spotify.clear_requests()
        reccobeats.clear_requests()
        started = time.perf_counter()
        baseline_calls = run_baseline(spotify, reccobeats, track_ids)
        baseline_s = time.perf_counter() - started

    print(f"plays ingested:        {inserted} of {plays} over {hours} simulated hours")
    print(f"new tracks / artists:  {len(new_tracks)} / {len(new_artists)}")
    print(
        f"moodify calls:         {moodify_calls} in {moodify_s:.1f} s "
        f"(recently-played {ingest_calls}, tokens {token_calls}, artists {artist_calls}, "
        f"reccobeats {reccobeats_calls}, spotify audio-features {spotify_feature_calls}, "
        f"batch endpoints {batch_calls})"
    )
    print(f"enrichment calls:      {enrichment_calls} against a lower bound of {lower_bound}")
    print(f"baseline calls:        {baseline_calls} in {baseline_s:.1f} s (3 per new track)")
    print(
        f"plays={plays} inserted={inserted} new_tracks={len(new_tracks)} "
        f"new_artists={len(new_artists)} enrichment_calls={enrichment_calls} "
        f"lower_bound={lower_bound} enrichment_vs_bound={enrichment_calls / lower_bound:.2f} "
        f"moodify_calls={moodify_calls} baseline_calls={baseline_calls} "
        f"baseline_vs_moodify={baseline_calls / moodify_calls:.2f} batch_calls={batch_calls}"
    )


if __name__ == "__main__":
    main()
