"""Moodify's Spotify connection against the fake Spotify and ReccoBeats, on real PostgreSQL.

Sign-in through the fake's consent page, hourly ingest with a simulated clock, every
failure Spotify answers with, and enrichment; all traffic is checked against Spotify's
OpenAPI contract at the end of each test.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import psycopg2
import pytest
import requests
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from etl.core.lake import LocalLake
from etl.core.settings import Settings
from etl.core.state import StateStore
from etl.pipeline.steps import State
from etl.spotify.ingest import IngestReport, Spotify, ingest_connected_users
from etl.spotify.tokens import LocalTokenStore
from moodify import local
from moodify.demo.simulation import FakeReccoBeats, FakeSpotify, SimulatedClock
from tests.contract import assert_recorded_requests_follow_contract

START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
CLIENT_ID = "moodify-test-app"
CLIENT_SECRET = "moodify-test-secret"
REDIRECT_URI = "http://127.0.0.1:8000/auth/callback"
RECENTLY_PLAYED = "/v1/me/player/recently-played"


@dataclass
class World:
    clock: SimulatedClock
    spotify: FakeSpotify
    reccobeats: FakeReccoBeats
    settings: Settings
    dsn: str
    sleeps: list[float]

    @property
    def state(self) -> StateStore:
        return StateStore(LocalLake(self.settings.lake_dir))

    @property
    def tokens(self) -> LocalTokenStore:
        return LocalTokenStore(self.settings.secrets_dir)

    def play(self, account_id: str, minutes_ago: list[int]) -> list[str]:
        """Plays of distinct catalog tracks that ended `minutes_ago` before now."""
        track_ids = sorted(self.spotify.catalog.tracks)[: len(minutes_ago)]
        for track_id, minutes in zip(track_ids, minutes_ago, strict=True):
            self.spotify.add_play(
                account_id, track_id, self.clock.now() - timedelta(minutes=minutes)
            )
        return track_ids

    def connect(self, account_id: str) -> None:
        """A completed sign-in without the browser: token stored, user connected."""
        grant = self.spotify.sign_in(account_id, CLIENT_ID)
        self.tokens.put(account_id, grant["refresh_token"])
        from etl.core.state import UserState

        self.state.put_user(UserState(account_id, signed_in_at=self.clock.now()))

    def ingest(self) -> tuple[IngestReport, list[State]]:
        spotify = Spotify.from_settings(self.settings, self.clock.now)
        spotify.caller.sleep = self.sleeps.append
        report = ingest_connected_users(spotify)
        return report, local.process_raw_keys(self.settings, report.raw_keys, self.clock.now)

    def scalar(self, query: str, *params: object) -> Any:
        with psycopg2.connect(self.dsn) as conn, conn.cursor() as cur:
            cur.execute(query, params)
            row = cur.fetchone()
            return None if row is None else row[0]


@pytest.fixture
def world(settings: Settings, database_dsn: str) -> Iterator[World]:
    with open_world(settings, database_dsn) as opened:
        yield opened


@contextmanager
def open_world(settings: Settings, database_dsn: str) -> Iterator[World]:
    """Fake Spotify (alice and bob allowed, eve not) and ReccoBeats on a simulated clock."""
    clock = SimulatedClock(START)
    with FakeSpotify(clock=clock) as spotify, FakeReccoBeats(clock=clock) as reccobeats:
        spotify.register_client(CLIENT_ID, CLIENT_SECRET, [REDIRECT_URI])
        for account_id, name in (("alice", "Alice"), ("bob", "Bob"), ("eve", "Eve")):
            spotify.add_user(account_id, name)
        configured = settings.model_copy(
            update={
                "spotify_client_id": CLIENT_ID,
                "spotify_client_secret": SecretStr(CLIENT_SECRET),
                "spotify_accounts_url": spotify.url,
                "spotify_api_url": spotify.api_url,
                "reccobeats_url": reccobeats.api_url,
                "allowed_users": ("alice", "bob"),
                "feature_providers": ("spotify", "reccobeats"),
                "http_read_timeout_s": 0.5,
            }
        )
        yield World(clock, spotify, reccobeats, configured, database_dsn, [])
        assert_recorded_requests_follow_contract(spotify)


def sign_in_through_the_browser_flow(world: World, account_id: str) -> TestClient:
    """What a browser does: /auth/login, the fake's consent page, the callback."""
    client = TestClient(
        create_app(
            world.settings,
            clock=world.clock,
            process_raw_keys=lambda keys: local.process_raw_keys(world.settings, keys),
        )
    )
    login = client.get("/auth/login", follow_redirects=False)
    assert login.status_code == 302
    authorize = login.headers["location"]
    assert authorize.startswith(f"{world.spotify.url}/authorize?")
    consent = requests.get(authorize, timeout=5)
    assert f"authorize-as-{account_id}" in consent.text
    fields = {name: values[0] for name, values in parse_qs(urlsplit(authorize).query).items()}
    answer = requests.post(
        f"{world.spotify.url}/authorize",
        data={**fields, "account_id": account_id},
        allow_redirects=False,
        timeout=5,
    )
    callback = urlsplit(answer.headers["location"])
    assert f"{callback.scheme}://{callback.netloc}{callback.path}" == REDIRECT_URI
    client.last_callback = client.get(  # type: ignore[attr-defined]
        f"/auth/callback?{callback.query}", follow_redirects=False
    )
    return client


# Sign-in and sessions ----------------------------------------------------------------------


def test_sign_in_lands_the_user_with_their_plays(world: World) -> None:
    world.play("alice", [30, 25, 20])
    client = sign_in_through_the_browser_flow(world, "alice")
    callback = client.last_callback  # type: ignore[attr-defined]
    assert callback.status_code == 303
    assert callback.headers["location"] == "/"
    cookie = callback.headers["set-cookie"]
    assert "moodify_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie

    me = client.get("/api/v1/me").json()
    assert (me["user_id"], me["display_name"], me["demo"]) == ("alice", "Alice", False)
    assert me["sign_in"]["state"] == "connected"
    assert client.get("/api/v1/summary").json()["plays"] == 3
    # The refresh token is kept encrypted, and never in the lake.
    stored = world.tokens.get("alice")
    assert stored is not None
    assert stored.encode() not in (world.settings.secrets_dir / "refresh_tokens.json").read_bytes()
    lake = world.settings.lake_dir
    assert not any(stored.encode() in p.read_bytes() for p in lake.rglob("*") if p.is_file())


def test_accounts_not_on_the_allowlist_are_refused(world: World) -> None:
    client = sign_in_through_the_browser_flow(world, "eve")
    refusal = client.last_callback  # type: ignore[attr-defined]
    assert refusal.status_code == 403
    assert "not allowed" in refusal.text
    assert "'eve'" in html.unescape(refusal.text)
    assert world.tokens.get("eve") is None
    assert client.get("/api/v1/summary").status_code == 401


def test_a_user_taken_off_the_allowlist_is_signed_out_and_no_longer_ingested(
    world: World,
) -> None:
    client = sign_in_through_the_browser_flow(world, "alice")
    assert client.get("/api/v1/summary").status_code == 200
    world.play("alice", [5])

    world.settings = world.settings.model_copy(update={"allowed_users": ("bob",)})
    still_signed_in = TestClient(
        create_app(world.settings, clock=world.clock), cookies=client.cookies
    )
    assert still_signed_in.get("/api/v1/summary").status_code == 401
    report, _ = world.ingest()
    assert [(u.outcome, u.detail) for u in report.users] == [("skipped", "not on the allowlist")]
    assert world.spotify.calls(RECENTLY_PLAYED) == 1  # the sign-in's, none since
    assert world.tokens.get("alice") is None  # no key kept to their account
    report, _ = world.ingest()
    assert report.users == []


def test_the_allowlist_may_name_a_user_by_the_older_spotify_id(world: World) -> None:
    carol = world.spotify.add_user("carol", "Carol")
    world.settings = world.settings.model_copy(update={"allowed_users": (carol.id,)})
    client = sign_in_through_the_browser_flow(world, "carol")
    assert client.get("/api/v1/summary").status_code == 200
    world.clock.advance(timedelta(hours=1))
    world.play("carol", [5])
    report, _ = world.ingest()
    assert [(u.user_id, u.outcome) for u in report.users] == [("carol", "ingested")]


def test_a_callback_without_our_state_is_refused(world: World) -> None:
    client = TestClient(create_app(world.settings, clock=world.clock))
    client.get("/auth/login", follow_redirects=False)
    forged = client.get("/auth/callback?code=abc&state=not-ours", follow_redirects=False)
    assert forged.status_code == 400
    assert world.spotify.calls("/api/token") == 0


def test_one_user_never_sees_another_users_plays(world: World) -> None:
    world.play("alice", [50, 40, 30, 20])
    world.play("bob", [10])
    alice = sign_in_through_the_browser_flow(world, "alice")
    bob = sign_in_through_the_browser_flow(world, "bob")
    assert alice.get("/api/v1/summary").json()["plays"] == 4
    assert bob.get("/api/v1/summary").json()["plays"] == 1
    assert bob.get("/api/v1/me").json()["user_id"] == "bob"
    anonymous = TestClient(create_app(world.settings, clock=world.clock))
    assert anonymous.get("/api/v1/summary").status_code == 401
    assert anonymous.get("/api/v1/me").status_code == 401
    forger = TestClient(create_app(world.settings, clock=world.clock))
    forger.cookies.set("moodify_session", alice.cookies["moodify_session"][:-3] + "abc")
    assert forger.get("/api/v1/summary").status_code == 401
    bob.post("/auth/logout", follow_redirects=False)
    assert bob.get("/api/v1/summary").status_code == 401


# Hourly ingest --------------------------------------------------------------------------------


def test_hourly_ingest_advances_its_cursor_and_counts_each_play_once(world: World) -> None:
    world.connect("alice")
    world.play("alice", [50, 40])
    report, runs = world.ingest()
    assert [u.outcome for u in report.users] == ["ingested"]
    assert sum(run["inserted"] for run in runs) == 2
    first_cursor = world.state.user("alice").cursor_ms
    assert first_cursor is not None

    world.clock.advance(timedelta(hours=1))
    world.play("alice", [30])
    report, runs = world.ingest()
    assert sum(run["inserted"] for run in runs) == 1
    assert world.state.user("alice").cursor_ms > first_cursor  # type: ignore[operator]
    asked = [r.query.get("after") for r in world.spotify.requests if r.path == RECENTLY_PLAYED]
    assert asked[-1] == str(first_cursor)

    world.clock.advance(timedelta(hours=1))
    report, _ = world.ingest()
    assert [u.outcome for u in report.users] == ["no_new_plays"]
    assert world.scalar("SELECT count(*) FROM fact_plays WHERE source = 'api'") == 3
    assert world.scalar("SELECT count(*) FROM ingest_gaps") == 0


def test_an_expired_access_token_is_refreshed_once_then_retried(world: World) -> None:
    world.connect("alice")
    world.play("alice", [20])
    world.spotify.fail(RECENTLY_PLAYED, 401)
    report, _ = world.ingest()
    assert [u.outcome for u in report.users] == ["ingested"]
    refreshes = [r for r in world.spotify.requests if r.form.get("grant_type") == "refresh_token"]
    assert len(refreshes) == 2  # the first access token, then one forced refresh
    assert world.spotify.calls(RECENTLY_PLAYED) == 2


def test_a_rotated_refresh_token_replaces_the_stored_one(world: World) -> None:
    world.connect("alice")
    before = world.tokens.get("alice")
    world.spotify.rotate_refresh_tokens = True
    world.ingest()
    assert world.tokens.get("alice") not in (None, before)
    world.spotify.rotate_refresh_tokens = False
    world.clock.advance(timedelta(hours=1))
    assert [u.outcome for u in world.ingest()[0].users] == ["no_new_plays"]


def test_invalid_grant_asks_the_user_to_sign_in_again(world: World) -> None:
    world.connect("alice")
    world.spotify.revoke_refresh_tokens("alice")
    report, _ = world.ingest()
    assert [u.outcome for u in report.users] == ["sign_in_again"]
    assert world.state.user("alice").sign_in_state == "sign_in_again"
    calls = world.spotify.calls("/")
    world.clock.advance(timedelta(hours=1))
    report, _ = world.ingest()
    assert [u.outcome for u in report.users] == ["skipped"]
    assert world.spotify.calls("/") == calls  # skipped without a call


def test_me_reports_sign_in_again_and_expiry_to_the_signed_in_user(world: World) -> None:
    client = sign_in_through_the_browser_flow(world, "alice")
    me = client.get("/api/v1/me").json()
    assert me["sign_in"]["expires_soon"] is False
    state = world.state.user("alice")
    from dataclasses import replace

    world.state.put_user(replace(state, signed_in_at=world.clock.now() - timedelta(days=160)))
    me = client.get("/api/v1/me").json()
    assert me["sign_in"]["expires_soon"] is True
    world.spotify.revoke_refresh_tokens("alice")
    world.ingest()
    me = client.get("/api/v1/me").json()
    assert me["sign_in"]["state"] == "sign_in_again"
    assert me["sign_in"]["login_url"] == "/auth/login"


def test_a_long_retry_after_becomes_a_cool_down_that_every_caller_honors(world: World) -> None:
    world.connect("alice")
    world.connect("bob")
    world.play("alice", [20])
    world.spotify.fail(RECENTLY_PLAYED, 429, retry_after=1800)
    report, _ = world.ingest()
    assert [u.outcome for u in report.users] == ["cooling_down"]  # bob not even tried
    assert world.sleeps == []  # nobody slept through it
    cool_down = world.state.cool_down("spotify")
    assert cool_down is not None
    assert (cool_down.reason, cool_down.until) == ("rate_limited", START + timedelta(minutes=30))
    calls = world.spotify.calls("/")
    world.clock.advance(timedelta(minutes=10))
    report, _ = world.ingest()
    assert [u.outcome for u in report.users] == ["cooling_down"]
    assert world.spotify.calls("/") == calls
    world.clock.advance(timedelta(minutes=21))
    report, _ = world.ingest()
    assert sorted(u.outcome for u in report.users) == ["ingested", "no_new_plays"]


def test_a_short_retry_after_is_waited_in_place_once(world: World) -> None:
    world.connect("alice")
    world.play("alice", [20])
    world.spotify.fail(RECENTLY_PLAYED, 429, retry_after=2)
    report, _ = world.ingest()
    assert [u.outcome for u in report.users] == ["ingested"]
    assert world.sleeps == [2]
    assert world.state.cool_down("spotify") is None


def test_quota_exceeded_is_told_apart(world: World) -> None:
    world.connect("alice")
    world.spotify.fail_quota_exceeded(RECENTLY_PLAYED, retry_after=20 * 3600)
    report, _ = world.ingest()
    assert [u.outcome for u in report.users] == ["cooling_down"]
    assert "quota_exceeded" in (report.users[0].detail or "")
    cool_down = world.state.cool_down("spotify")
    assert cool_down is not None
    assert cool_down.reason == "quota_exceeded"
    client = TestClient(create_app(world.settings, clock=world.clock))
    client.cookies.set("moodify_session", _session(world, "alice"))
    me = client.get("/api/v1/me").json()
    assert me["ingest"]["cool_down_reason"] == "quota_exceeded"


def _session(world: World, user_id: str) -> str:
    from etl.spotify.sessions import Session, SessionCodec, session_secret

    return SessionCodec(session_secret(world.settings), world.clock).issue(
        Session(user_id, (user_id,))
    )


def test_server_errors_are_retried_a_bounded_number_of_times(world: World) -> None:
    world.connect("alice")
    world.play("alice", [20])
    world.spotify.fail(RECENTLY_PLAYED, 503, times=2)
    report, _ = world.ingest()
    assert [u.outcome for u in report.users] == ["ingested"]
    assert world.spotify.calls(RECENTLY_PLAYED) == 3

    world.clock.advance(timedelta(hours=1))
    world.play("alice", [5])
    cursor = world.state.user("alice").cursor_ms
    world.spotify.fail(RECENTLY_PLAYED, 502, times=10)
    report, _ = world.ingest()
    assert [u.outcome for u in report.users] == ["failed"]
    assert world.state.user("alice").cursor_ms == cursor  # nothing skipped
    world.spotify.clear_faults()
    report, runs = world.ingest()
    assert sum(run["inserted"] for run in runs) == 1


def test_a_slow_answer_times_out_and_keeps_the_cursor(world: World) -> None:
    world.connect("alice")
    world.play("alice", [20])
    world.spotify.fail(RECENTLY_PLAYED, delay=1.0, times=4)
    report, _ = world.ingest()
    assert [u.outcome for u in report.users] == ["failed"]
    assert world.state.user("alice").cursor_ms is None
    assert list(LocalLake(world.settings.lake_dir).keys("raw/")) == []


def test_a_full_page_after_the_cursor_is_reported_as_a_possible_gap(world: World) -> None:
    world.connect("alice")
    world.play("alice", [300])
    world.ingest()
    world.clock.advance(timedelta(hours=5))
    world.play("alice", list(range(240, 0, -4)))  # 60 plays: more than the 50 Spotify shows
    world.ingest()
    assert world.scalar("SELECT count(*) FROM ingest_gaps WHERE user_id = 'alice'") == 1
    client = TestClient(create_app(world.settings, clock=world.clock))
    client.cookies.set("moodify_session", _session(world, "alice"))
    (gap,) = client.get("/api/v1/me").json()["gaps"]
    assert gap["from"] < gap["to"]


# Enrichment -----------------------------------------------------------------------------------


def test_enrichment_uses_the_provider_chain_and_looks_up_each_artist_once(world: World) -> None:
    # No waiting for a full batch (test_feature_batches.py tests the wait).
    world.settings = world.settings.model_copy(update={"feature_max_wait": timedelta(0)})
    world.connect("alice")
    track_ids = world.play("alice", [50, 40, 30, 20, 10])
    world.ingest()
    # Spotify's audio-features answered 403 once, and was switched off for good.
    assert world.state.provider_disabled("spotify")
    assert world.spotify.calls("/v1/audio-features") == 1
    known = [t for t in track_ids if world.spotify.catalog.tracks[t].features is not None]
    assert world.scalar(
        "SELECT count(*) FROM track_audio_features WHERE provider = 'reccobeats'"
    ) == len(known)
    assert world.reccobeats.calls("/v1/audio-features") == 1  # one batch of up to 40
    artists = world.scalar("SELECT count(*) FROM dim_artists WHERE looked_up_at IS NOT NULL")
    assert artists == world.spotify.calls("/v1/artists/")
    assert world.spotify.batch_lookup_calls == 0

    world.clock.advance(timedelta(hours=1))
    world.play("alice", [5])
    before = world.spotify.calls("/v1/artists/")
    world.ingest()
    assert world.spotify.calls("/v1/audio-features") == 1  # remembered as off
    new_artists = world.scalar(
        "SELECT count(*) FROM dim_artists WHERE looked_up_at > %s", START + timedelta(minutes=30)
    )
    assert world.spotify.calls("/v1/artists/") - before == new_artists


def test_enrichment_stays_within_its_call_budget(world: World) -> None:
    world.settings = world.settings.model_copy(update={"enrich_call_budget": 3})
    world.connect("alice")
    world.play("alice", [50, 40, 30, 20, 10, 5])
    world.ingest()
    pending = world.scalar("SELECT count(*) FROM dim_artists WHERE looked_up_at IS NULL")
    looked_up = world.scalar("SELECT count(*) FROM dim_artists WHERE looked_up_at IS NOT NULL")
    # One client-credentials token, then at most two artists; the rest wait for later runs.
    assert looked_up <= 2
    assert world.spotify.calls("/v1/artists/") == looked_up
    if pending:
        world.clock.advance(timedelta(hours=1))
        world.play("alice", [1])
        world.ingest()
        assert (
            world.scalar("SELECT count(*) FROM dim_artists WHERE looked_up_at IS NOT NULL")
            > looked_up
        )
