"""A user's state has several writers (sign-in, ingest, signing out, settings): a write
that lands between another's read and write must survive it, above all a revocation."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from etl.core.keys import cool_down_key, user_state_key
from etl.core.lake import Conflict, Lake, LocalLake
from etl.core.settings import Settings
from etl.core.state import UPDATE_ATTEMPTS, CoolDown, StateStore, UserState
from etl.spotify.auth import InvalidGrant
from etl.spotify.client import SpotifyApi
from etl.spotify.ingest import Spotify, UserIngest, ingest_user
from etl.spotify.sessions import Session, sign_out, sign_out_everywhere
from etl.spotify.signin import record_sign_in
from tests.integration.test_lake import lake  # noqa: F401  (fixture, both lakes)

SIGNED_IN = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
LATER = SIGNED_IN + timedelta(hours=2)
LAPTOP = Session("alice", ("alice",), issued_at=SIGNED_IN, session_id="laptop")


class Interleaving:
    """A lake whose first write of `key` lets `other` write first, as if it landed
    between the writer's read and its write."""

    def __init__(self, inner: Lake, key: str, other: Callable[[], object]) -> None:
        self._lake = inner
        self._key = key
        self._other: Callable[[], object] | None = other

    def _interleave(self, key: str) -> None:
        other, self._other = self._other, None
        if key == self._key and other is not None:
            other()

    def put(self, key: str, body: bytes) -> None:
        self._interleave(key)
        self._lake.put(key, body)

    def put_if(self, key: str, body: bytes, version: str | None) -> None:
        self._interleave(key)
        self._lake.put_if(key, body, version)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._lake, name)


def _signed_in(signed_in_on: Lake) -> StateStore:
    state = StateStore(signed_in_on)
    state.put_user(UserState("alice", signed_in_at=SIGNED_IN, sessions_valid_from=SIGNED_IN))
    return state


def test_a_sign_out_inside_another_writers_update_survives(
    lake: Lake,  # noqa: F811
) -> None:
    state = _signed_in(lake)
    calls = 0

    def ingested(user: UserState) -> UserState:
        # The first run reads the state from before the sign-out, which then lands.
        nonlocal calls
        calls += 1
        if calls == 1:
            sign_out(state, LAPTOP)
        return replace(user, cursor_ms=1234, last_ingest_at=LATER)

    state.update_user("alice", ingested)

    stored = state.user("alice")
    assert calls == 2  # the first write lost the race and was made again
    assert (stored.cursor_ms, stored.last_ingest_at) == (1234, LATER)
    assert set(stored.revoked_sessions) == {"laptop"}
    assert not stored.accepts_session(SIGNED_IN, "laptop")


@pytest.mark.parametrize("other", ["sign_out", "sign_out_everywhere", "time_zone"])
def test_a_write_between_the_read_and_the_write_of_put_user_survives(
    lake: Lake,  # noqa: F811
    other: str,
) -> None:
    """Also as put_user's callers used it: a whole state read, changed, written."""
    plain = _signed_in(lake)
    others: dict[str, Callable[[], object]] = {
        "sign_out": lambda: sign_out(plain, LAPTOP),
        "sign_out_everywhere": lambda: sign_out_everywhere(plain, "alice", LATER),
        "time_zone": lambda: plain.update_user(
            "alice", lambda user: replace(user, time_zone="Europe/Berlin")
        ),
    }
    racing = StateStore(Interleaving(lake, user_state_key("alice"), others[other]))

    racing.update_user("alice", lambda user: replace(user, cursor_ms=1234))

    stored = plain.user("alice")
    assert stored.cursor_ms == 1234
    assert {
        "sign_out": not stored.accepts_session(SIGNED_IN, "laptop"),
        "sign_out_everywhere": stored.sessions_valid_from == LATER + timedelta(seconds=1),
        "time_zone": stored.time_zone == "Europe/Berlin",
    }[other]


def test_an_ingest_keeps_what_was_written_while_spotify_answered(
    lake: Lake,  # noqa: F811
    tmp_path: Path,
) -> None:
    """The real ingest: sign out, sign out everywhere and a new time zone all land while
    it waits on Spotify; its write brings none of them back."""
    state = _signed_in(lake)

    def answer() -> dict[str, Any]:
        sign_out(state, LAPTOP)
        sign_out_everywhere(state, "alice", SIGNED_IN + timedelta(minutes=30))
        state.update_user("alice", lambda user: replace(user, time_zone="Asia/Tokyo"))
        return {"items": [{"played_at": "x"}], "cursors": {"after": "1764000000000"}}

    assert _ingest(lake, tmp_path, answer).outcome == "ingested"

    stored = state.user("alice")
    assert (stored.cursor_ms, stored.last_ingest_at) == (1764000000000, LATER)
    assert stored.time_zone == "Asia/Tokyo"
    assert not stored.accepts_session(SIGNED_IN, "laptop")
    assert not stored.accepts_session(SIGNED_IN + timedelta(minutes=30), "phone")


@pytest.mark.parametrize("signs_in_meanwhile", [False, True])
def test_a_refused_token_asks_to_sign_in_again_unless_a_sign_in_came_since(
    lake: Lake,  # noqa: F811
    tmp_path: Path,
    signs_in_meanwhile: bool,
) -> None:
    state = _signed_in(lake)

    def answer() -> dict[str, Any]:
        if signs_in_meanwhile:
            record_sign_in(Settings(allowed_users=("alice",)), lake, {"id": "alice"}, LATER)
        raise InvalidGrant("invalid_grant")

    assert _ingest(lake, tmp_path, answer).outcome == "sign_in_again"

    expected = "connected" if signs_in_meanwhile else "sign_in_again"
    assert state.user("alice").sign_in_state == expected


def test_a_state_deleted_between_the_read_and_the_write_is_not_made_again(
    lake: Lake,  # noqa: F811
) -> None:
    plain = _signed_in(lake)
    key = user_state_key("alice")
    racing = StateStore(
        Interleaving(lake, key, lambda: lake.purge(key, lambda listed: listed == key))
    )

    assert racing.update_user("alice", lambda user: replace(user, cursor_ms=1)) is None
    sign_out(plain, LAPTOP)
    sign_out_everywhere(plain, "alice", LATER)

    assert plain.stored_user("alice") is None


def test_a_new_state_starts_from_new_unless_another_made_one_first(
    lake: Lake,  # noqa: F811
) -> None:
    state = StateStore(lake)

    def other_sign_in() -> None:  # makes the state first, then signs out a session
        state.put_user(UserState("alice", sessions_valid_from=SIGNED_IN))
        sign_out(state, LAPTOP)

    racing = StateStore(Interleaving(lake, user_state_key("alice"), other_sign_in))
    racing.update_user(
        "alice",
        lambda user: replace(user, signed_in_at=LATER),
        new=UserState("alice", sessions_valid_from=LATER),
    )

    stored = state.user("alice")
    assert (stored.signed_in_at, stored.sessions_valid_from) == (LATER, SIGNED_IN)
    assert set(stored.revoked_sessions) == {"laptop"}


def test_it_gives_up_after_as_many_conflicts_as_attempts(
    lake: Lake,  # noqa: F811
) -> None:
    state = _signed_in(lake)
    calls = 0

    def always_overtaken(user: UserState) -> UserState:
        nonlocal calls
        calls += 1
        state.update_user(
            "alice", lambda user: replace(user, revoked_sessions={f"s{calls}": SIGNED_IN})
        )
        return replace(user, cursor_ms=calls)

    with pytest.raises(Conflict, match=f"each of {UPDATE_ATTEMPTS} attempts.*gave up"):
        state.update_user("alice", always_overtaken)

    stored = state.user("alice")
    assert calls == UPDATE_ATTEMPTS
    assert stored.cursor_ms is None  # nothing of the losing writer was written
    assert set(stored.revoked_sessions) == {f"s{n}" for n in range(1, UPDATE_ATTEMPTS + 1)}


def test_concurrent_sign_outs_on_the_local_lake_are_never_lost_silently(
    tmp_path: Path,
) -> None:
    """Threads signing out at once, each write under its own lock: every sign-out that
    returned is kept (one that lost the race every time says so, it is not dropped)."""
    state = _signed_in(LocalLake(tmp_path / "lake"))
    writers, each = 4, 15
    returned: list[str] = []
    refused: list[str] = []

    def sign_outs(writer: int) -> None:
        for n in range(each):
            session_id = f"w{writer}-{n}"
            try:
                sign_out(state, replace(LAPTOP, session_id=session_id))
            except Conflict:
                refused.append(session_id)
            else:
                returned.append(session_id)

    threads = [threading.Thread(target=sign_outs, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert set(state.user("alice").revoked_sessions) == set(returned)
    assert len(returned) + len(refused) == writers * each
    assert len(refused) < len(returned)


def _ingest(on: Lake, tmp_path: Path, answer: Callable[[], dict[str, Any]]) -> UserIngest:
    """`ingest_user` of alice, with `answer` as Spotify's answer to recently-played."""

    class Answering(SpotifyApi):
        def __init__(self) -> None:
            pass  # asks nobody

        def recently_played(self, after_ms: int | None) -> dict[str, Any]:
            return answer()

    class AnsweringSpotify(Spotify):
        def user_api(self, user_id: str, refresh_token: str) -> SpotifyApi:
            return Answering()

    settings = Settings(home=tmp_path / "home", allowed_users=("alice",))
    return ingest_user(AnsweringSpotify(settings, on, _Tokens(), lambda: LATER), "alice")


class _Tokens:
    """The one refresh token ingest asks for."""

    def get(self, user_id: str) -> str | None:
        return "refresh-token"

    def put(self, user_id: str, token: str) -> None:
        raise AssertionError("not renewed in these tests")

    def delete(self, user_id: str) -> None:
        raise AssertionError("alice stays signed in")

    def users(self) -> list[str]:
        return ["alice"]


@pytest.mark.parametrize("first_set", [False, True], ids=["none-yet", "one-holds"])
def test_a_longer_cool_down_set_meanwhile_is_not_shortened(
    lake: Lake,  # noqa: F811
    first_set: bool,
) -> None:
    """Spotify's 429s can reach two functions at once: a shorter cool-down written over
    the version it read must not replace a longer one that landed in between."""
    plain = StateStore(lake)
    if first_set:
        plain.set_cool_down(
            CoolDown("spotify", SIGNED_IN + timedelta(minutes=1), "rate_limited", SIGNED_IN)
        )
    longer = CoolDown("spotify", LATER, "quota_exceeded", SIGNED_IN)
    racing = StateStore(
        Interleaving(lake, cool_down_key("spotify"), lambda: plain.set_cool_down(longer))
    )

    racing.set_cool_down(
        CoolDown("spotify", SIGNED_IN + timedelta(minutes=5), "rate_limited", SIGNED_IN)
    )

    assert plain.cool_down("spotify") == longer
