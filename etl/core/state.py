"""Operational state kept beside the data in the lake's `state/` prefix.

Functions outside the VPC (ingest, enrich, sign-in) cannot reach PostgreSQL, and every
function can reach S3, so cursors, cool-downs and provider switches live here as small
JSON documents. A cursor, a cool-down or a switch has one writer; a user's state has
several (sign-in, ingest, signing out, settings), so it changes only through
`StateStore.update_user`, which writes on condition that nobody wrote since it read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from etl.core.keys import (
    USERS_STATE_PREFIX,
    cool_down_key,
    provider_switch_key,
    user_of_state_key,
    user_state_key,
)
from etl.core.lake import Conflict, Lake

CoolDownReason = Literal["rate_limited", "quota_exceeded"]
SignInState = Literal["connected", "sign_in_again"]
SIGN_IN_LIFETIME = timedelta(days=182)
SIGN_IN_WARNING = timedelta(days=152)
# A browser session's absolute lifetime: signing in again is cheap, a stolen cookie ages out.
SESSION_LIFETIME = timedelta(days=14)
# Reads of a user's state a change may make before it gives up: each failed one means
# another write landed in between, which is rare (a few writers, seconds apart).
UPDATE_ATTEMPTS = 5


@dataclass(frozen=True)
class CoolDown:
    """A service told us to stop until `until`; every caller honors it."""

    service: str
    until: datetime
    reason: CoolDownReason
    set_at: datetime

    def active(self, now: datetime) -> bool:
        return now < self.until


@dataclass(frozen=True)
class UserState:
    """What ingest knows about one connected account."""

    user_id: str
    cursor_ms: int | None = None  # `cursors.after` of the last page safely in the lake
    signed_in_at: datetime | None = None
    sign_in_state: SignInState = "connected"
    last_ingest_at: datetime | None = None
    # The ids the allowlist may name this account by; empty in states kept before there
    # were two, when the user id was the only one.
    spotify_ids: tuple[str, ...] = ()
    # The history was generated (the local demo), not listened to: the dashboard says so.
    generated: bool = False
    # The IANA zone chosen to cut this user's days, kept here too so that a rebuild of the
    # warehouse from the lake keeps it; None until one is chosen (the default applies).
    time_zone: str | None = None
    # Sessions issued before this instant are void ("sign out everywhere"; a state made at
    # sign-in starts it then, so that no session issued before a deletion comes back).
    sessions_valid_from: datetime | None = None
    # Sessions ended one by one ("sign out" in one browser): session id -> issued at, kept
    # until the session would have expired anyway.
    revoked_sessions: dict[str, datetime] = field(default_factory=dict)

    def accepts_session(self, issued_at: datetime, session_id: str) -> bool:
        if session_id in self.revoked_sessions:
            return False
        return self.sessions_valid_from is None or issued_at >= self.sessions_valid_from

    @property
    def allowlist_ids(self) -> tuple[str, ...]:
        return self.spotify_ids or (self.user_id,)

    def expires_at(self) -> datetime | None:
        # Spotify ends a sign-in six months after it was made; refreshing does not extend it.
        return None if self.signed_in_at is None else self.signed_in_at + SIGN_IN_LIFETIME

    def expires_soon(self, now: datetime) -> bool:
        """Five months in: time to warn, a month before the sign-in ends."""
        return self.signed_in_at is not None and now >= self.signed_in_at + SIGN_IN_WARNING


class StateStore:
    def __init__(self, lake: Lake) -> None:
        self._lake = lake

    def _get(self, key: str) -> dict[str, Any] | None:
        if not self._lake.exists(key):
            return None
        document: dict[str, Any] = json.loads(self._lake.get(key))
        return document

    def _put(self, key: str, document: dict[str, Any]) -> None:
        self._lake.put(key, _document_bytes(document))

    # cool-downs -------------------------------------------------------------------
    def cool_down(self, service: str) -> CoolDown | None:
        document = self._get(cool_down_key(service))
        return None if document is None else _cool_down(service, document)

    def set_cool_down(self, cool_down: CoolDown) -> None:
        """Keep `cool_down` unless a longer one holds: a shorter one set by another writer
        meanwhile never replaces a longer one."""
        body = _document_bytes(
            {"until": cool_down.until, "reason": cool_down.reason, "set_at": cool_down.set_at}
        )

        def longest(stored: dict[str, Any] | None) -> bytes | None:
            if (
                stored is not None
                and _cool_down(cool_down.service, stored).until >= cool_down.until
            ):
                return None  # a longer cool-down already holds
            return body

        self._write_changed(
            cool_down_key(cool_down.service), longest, f"The cool-down of {cool_down.service}"
        )

    def _write_changed(
        self, key: str, write: Callable[[dict[str, Any] | None], bytes | None], what: str
    ) -> None:
        """Write what `write` makes of the document under `key` (None when there is none; it
        answers None to leave it as it is), unless another write landed since the read:
        then read again and ask `write` again. Raises `Conflict` after `UPDATE_ATTEMPTS`
        reads that all lost the race."""
        for _ in range(UPDATE_ATTEMPTS):
            stored = self._lake.get_versioned(key)
            document, version = (
                (None, None) if stored is None else (json.loads(stored[0]), stored[1])
            )
            body = write(document)
            if body is None:
                return
            try:
                self._lake.put_if(key, body, version)
            except Conflict:
                continue
            return
        raise Conflict(
            f"{what} changed under each of {UPDATE_ATTEMPTS} attempts to change it; gave up"
        )

    # provider switches --------------------------------------------------------------
    def provider_disabled(self, provider: str) -> bool:
        document = self._get(provider_switch_key(provider))
        return bool(document and document.get("disabled"))

    def disable_provider(self, provider: str, reason: str, at: datetime) -> None:
        self._put(provider_switch_key(provider), {"disabled": True, "reason": reason, "at": at})

    # users -------------------------------------------------------------------------
    def users(self) -> list[UserState]:
        """Every user the state knows."""
        user_ids = (user_of_state_key(key) for key in self._lake.keys(USERS_STATE_PREFIX))
        return [self.user(user_id) for user_id in user_ids if user_id is not None]

    def user(self, user_id: str) -> UserState:
        return self.stored_user(user_id) or UserState(user_id=user_id)

    def stored_user(self, user_id: str) -> UserState | None:
        """The user's sign-in state; None when they have none (every signed-in user has
        one, a deleted one not)."""
        document = self._get(user_state_key(user_id))
        return None if document is None else _user(user_id, document)

    def update_user(
        self,
        user_id: str,
        change: Callable[[UserState], UserState],
        *,
        new: UserState | None = None,
    ) -> UserState | None:
        """Apply `change` to the user's stored state and write the result, unless another
        write landed since the read: then read again and apply it again (so `change` may
        run more than once). A user without a state starts from `new`; without `new` they
        are left without one (their data was deleted) and this returns None. Revocations
        only ever add and `sessions_valid_from` only moves forward, whatever `change`
        returns. Raises `Conflict` after `UPDATE_ATTEMPTS` reads that all lost the race."""
        changed: UserState | None = None

        def write(stored: dict[str, Any] | None) -> bytes | None:
            nonlocal changed
            if stored is not None:
                current = _user(user_id, stored)
            elif new is not None:
                current = new
            else:
                changed = None  # deleted since an earlier read: left without a state
                return None
            changed = _keeping_revocations(change(current), current)
            return _user_document(changed)

        self._write_changed(user_state_key(user_id), write, f"The state of {user_id}")
        return changed

    def put_user(self, state: UserState) -> None:
        """Make `state` the user's whole state (a first one, or a test's), keeping the
        revocations stored."""
        self.update_user(state.user_id, lambda _: state, new=state)


def _user(user_id: str, document: dict[str, Any]) -> UserState:
    return UserState(
        user_id=user_id,
        cursor_ms=document.get("cursor_ms"),
        signed_in_at=_decode(document.get("signed_in_at")),
        sign_in_state=document.get("sign_in_state", "connected"),
        last_ingest_at=_decode(document.get("last_ingest_at")),
        spotify_ids=tuple(document.get("spotify_ids", ())),
        generated=bool(document.get("generated", False)),
        time_zone=document.get("time_zone"),
        sessions_valid_from=_decode(document.get("sessions_valid_from")),
        revoked_sessions=_decode_revoked(document.get("revoked_sessions")),
    )


def _cool_down(service: str, document: dict[str, Any]) -> CoolDown:
    return CoolDown(
        service=service,
        until=datetime.fromisoformat(document["until"]),
        reason=document["reason"],
        set_at=datetime.fromisoformat(document["set_at"]),
    )


def _user_document(state: UserState) -> bytes:
    return _document_bytes(
        {
            "cursor_ms": state.cursor_ms,
            "signed_in_at": state.signed_in_at,
            "sign_in_state": state.sign_in_state,
            "last_ingest_at": state.last_ingest_at,
            "spotify_ids": list(state.spotify_ids),
            "generated": state.generated,
            "time_zone": state.time_zone,
            "sessions_valid_from": state.sessions_valid_from,
            "revoked_sessions": state.revoked_sessions,
        }
    )


def _keeping_revocations(changed: UserState, current: UserState) -> UserState:
    """`changed`, with every session `current` voids still void."""
    valid_from = max(
        (
            instant
            for instant in (changed.sessions_valid_from, current.sessions_valid_from)
            if instant is not None
        ),
        default=None,
    )
    revoked = current.revoked_sessions | changed.revoked_sessions
    return replace(
        changed,
        sessions_valid_from=valid_from,
        revoked_sessions=_still_revoked(revoked, valid_from),
    )


def _document_bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document, default=_encode, indent=2).encode()


def _encode(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"Cannot store {type(value).__name__} in state")


def _decode(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _decode_revoked(document: dict[str, str] | None) -> dict[str, datetime]:
    return {sid: datetime.fromisoformat(at) for sid, at in (document or {}).items()}


def _still_revoked(
    revoked: dict[str, datetime], valid_from: datetime | None
) -> dict[str, datetime]:
    """The revocations that still matter, without a clock: a session issued more than a
    lifetime before the newest revoked one (itself issued in the past) has expired, and
    one issued before `sessions_valid_from` is void anyway."""
    if not revoked:
        return {}
    horizon = max(revoked.values()) - SESSION_LIFETIME
    if valid_from is not None:
        horizon = max(horizon, valid_from)
    return {sid: at for sid, at in revoked.items() if at >= horizon}
