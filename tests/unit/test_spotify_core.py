"""Pure pieces of the Spotify connection: PKCE, sessions, pages, tokens at rest, state."""

from __future__ import annotations

import base64
import hashlib
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from itsdangerous import URLSafeTimedSerializer
from moto import mock_aws

from etl.core.clock import system_clock
from etl.core.keys import page_cursor, recently_played_key
from etl.core.lake import LocalLake
from etl.core.settings import Settings
from etl.core.state import CoolDown, StateStore, UserState
from etl.spotify.auth import Pkce, authorize_url
from etl.spotify.pages import parse_recently_played
from etl.spotify.sessions import SESSION_MAX_AGE_S, PendingLogin, Session, SessionCodec
from etl.spotify.tokens import LocalTokenStore, SsmTokenStore
from moodify.demo.simulation.clock import SimulatedClock

T0 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def test_pkce_challenge_is_the_s256_of_the_verifier() -> None:
    pkce = Pkce.new()
    assert 43 <= len(pkce.verifier) <= 128
    digest = hashlib.sha256(pkce.verifier.encode()).digest()
    assert pkce.challenge == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert Pkce.new().verifier != pkce.verifier


def test_authorize_url_asks_for_pkce_and_carries_state() -> None:
    settings = Settings(spotify_client_id="app-id")
    url = authorize_url(settings, "st4te", Pkce.from_verifier("v" * 50))
    assert url.startswith("https://accounts.spotify.com/authorize?")
    for part in ("client_id=app-id", "state=st4te", "code_challenge_method=S256",
                 "redirect_uri=http%3A%2F%2F127.0.0.1%3A8000%2Fauth%2Fcallback",
                 "scope=user-read-recently-played"):  # fmt: skip
        assert part in url


def test_sessions_are_signed_and_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = SimulatedClock(T0)
    codec = SessionCodec("s" * 40, clock)
    alice = Session("alice", ("31legacyid", "alice"))
    cookie = codec.issue(alice)
    assert codec.session(cookie) == alice
    assert codec.session(cookie[:-2] + "xx") is None  # forged
    assert SessionCodec("another secret " * 3, clock).session(cookie) is None
    assert codec.session(None) is None
    login = codec.issue_login(PendingLogin("state", "verifier"))
    assert codec.pending_login(login) == PendingLogin("state", "verifier")
    assert codec.session(login) is None  # a login cookie is not a session
    clock.advance(timedelta(seconds=SESSION_MAX_AGE_S - 1))
    assert codec.session(cookie) == alice
    clock.advance(timedelta(seconds=2))
    assert codec.session(cookie) is None  # expired


@pytest.mark.parametrize(
    ("allowed", "user_id"),
    [(("alice",), "alice"), (("31legacyid",), "alice"), (("bob",), None), ((), None)],
    ids=["account-id", "older-id", "taken-off", "empty-allowlist"],
)
def test_a_session_counts_while_the_allowlist_names_either_id(
    allowed: tuple[str, ...], user_id: str | None
) -> None:
    codec = SessionCodec("s" * 40, SimulatedClock(T0))
    cookie = codec.issue(Session("alice", ("31legacyid", "alice")))
    assert codec.allowed_user_id(cookie, Settings(allowed_users=allowed)) == user_id


@pytest.mark.parametrize("payload", [{"uid": "alice"}, {"uid": "alice", "ids": ["alice"]}])
def test_a_session_issued_before_sessions_had_ids_is_refused(payload: dict[str, Any]) -> None:
    """Genuinely signed, but signing out could not end it: signing in again is needed."""
    secret = "s" * 40
    older = URLSafeTimedSerializer(secret, salt="moodify-session").dumps(payload)
    assert SessionCodec(secret, system_clock).session(older) is None


def test_each_session_gets_its_own_id_and_lasts_fourteen_days() -> None:
    clock = SimulatedClock(T0)
    codec = SessionCodec("s" * 40, clock)
    ids = {codec.session(codec.issue(Session("alice", ("alice",)))).session_id for _ in "ab"}  # type: ignore[union-attr]
    assert len(ids) == 2
    assert None not in ids
    assert SESSION_MAX_AGE_S == 14 * 24 * 3600


def track(track_id: str, duration_ms: int = 200_000) -> dict[str, Any]:
    return {
        "id": track_id, "name": f"Song {track_id}", "duration_ms": duration_ms,
        "explicit": False, "external_ids": {"isrc": "USAT21234567"},
        "album": {"id": "album1", "name": "Album", "release_date": "2024-05",
                  "release_date_precision": "month",
                  "images": [{"url": "big", "width": 640}, {"url": "mid", "width": 300},
                             {"url": "small", "width": 64}]},
        "artists": [{"id": "artist1", "name": "A"}, {"id": "artist2", "name": "B"}],
    }  # fmt: skip


def item(track_id: str, played_at: datetime, duration_ms: int = 200_000) -> dict[str, Any]:
    stamp = played_at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {"track": track(track_id, duration_ms), "played_at": stamp, "context": None}


def test_a_page_becomes_api_plays_with_estimated_listening_time() -> None:
    page = {
        "items": [
            item("t2", T0 + timedelta(seconds=60)),  # newest first, as Spotify sends
            item("t1", T0),
        ]
    }
    parsed = parse_recently_played(page, after_ms=None)
    first, second = parsed.plays
    assert (first.track_id, first.ms_played) == ("t1", 200_000)
    assert first.started_at == T0 - timedelta(milliseconds=200_000)
    # t2 would have started before t1 ended: it was cut short. Whether it was skipped the
    # page does not say.
    assert (second.started_at, second.ms_played, second.skipped) == (T0, 60_000, None)
    assert [a.id for a in first.artists] == ["artist1", "artist2"]
    assert (first.album_image_url, first.isrc, first.source) == ("mid", "USAT21234567", "api")
    assert parsed.gap is None


def test_a_full_page_after_a_cursor_reveals_a_possible_gap() -> None:
    items = [item(f"t{n}", T0 + timedelta(minutes=4 * n)) for n in range(50)]
    cursor_ms = int((T0 - timedelta(hours=5)).timestamp() * 1000)
    parsed = parse_recently_played({"items": items}, after_ms=cursor_ms)
    assert parsed.gap is not None
    assert parsed.gap.start == T0 - timedelta(hours=5)
    assert parsed.gap.end == parsed.plays[0].started_at
    assert parse_recently_played({"items": items[:49]}, cursor_ms).gap is None
    assert parse_recently_played({"items": items}, None).gap is None  # first fetch


def test_page_keys_carry_the_cursor_they_were_fetched_after() -> None:
    key = recently_played_key("alice", T0, 1764000000000)
    assert (
        key == "raw/api/user=alice/recently-played/20261124T100000000000Z_after-1764000000000.json"
    )
    assert page_cursor(key.split("user=alice/")[1]) == (True, 1764000000000)
    first = recently_played_key("alice", T0, None).split("user=alice/")[1]
    assert page_cursor(first) == (True, None)
    assert page_cursor("profile/x.json") == (False, None)


def test_local_refresh_tokens_are_encrypted_and_owner_only(tmp_path: Path) -> None:
    store = LocalTokenStore(tmp_path / "secrets")
    store.put("alice", "AQD-refresh-token-value")
    store.put("bob", "AQD-other")
    assert store.get("alice") == "AQD-refresh-token-value"
    assert store.users() == ["alice", "bob"]
    for path in (tmp_path / "secrets").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert b"AQD-refresh-token-value" not in path.read_bytes()
    store.delete("alice")
    assert store.get("alice") is None


@mock_aws
def test_ssm_refresh_tokens_are_secure_strings() -> None:
    client = boto3.client("ssm", region_name="eu-west-1")
    store = SsmTokenStore("/moodify/users", client)
    store.put("alice", "AQD-1")
    store.put("alice", "AQD-2")
    store.put("bob", "AQD-3")
    parameter = client.get_parameter(Name="/moodify/users/alice/refresh-token")["Parameter"]
    assert parameter["Type"] == "SecureString"
    assert store.get("alice") == "AQD-2"
    assert store.users() == ["alice", "bob"]
    store.delete("bob")
    store.delete("bob")
    assert store.get("bob") is None


def test_cool_downs_persist_and_only_lengthen(tmp_path: Path) -> None:
    state = StateStore(LocalLake(tmp_path))
    long = CoolDown("spotify", T0 + timedelta(hours=20), "quota_exceeded", T0)
    state.set_cool_down(long)
    state.set_cool_down(CoolDown("spotify", T0 + timedelta(seconds=30), "rate_limited", T0))
    assert StateStore(LocalLake(tmp_path)).cool_down("spotify") == long
    assert long.active(T0 + timedelta(hours=19))
    assert not long.active(T0 + timedelta(hours=20))


def test_a_sign_in_warns_after_five_months_and_ends_after_six(tmp_path: Path) -> None:
    user = UserState("alice", signed_in_at=T0)
    assert not user.expires_soon(T0 + timedelta(days=150))
    assert user.expires_soon(T0 + timedelta(days=153))
    assert user.expires_at() == T0 + timedelta(days=182)
    state = StateStore(LocalLake(tmp_path))
    state.put_user(user)
    assert state.user("alice") == user
    assert state.user("nobody") == UserState("nobody")
