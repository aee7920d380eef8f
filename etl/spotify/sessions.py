"""Signed browser sessions, checked by the local app and by the AWS Lambda authorizer.

A session is the user id and the Spotify ids the allowlist may name the user by, signed
with the session secret; a login-in-progress is the OAuth `state` and PKCE verifier,
signed separately and short-lived. Sessions are not stored server-side, so any function
holding the secret can check either, and the allowlist as it is now. Each user's sign-in
state in the lake says since when their sessions count ("sign out everywhere" moves it to
now) and which single sessions were signed out (each session carries a random id), and a
deleted user has none: every function that checks a session reads it.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer

from etl.core.clock import Clock
from etl.core.settings import Settings
from etl.core.state import SESSION_LIFETIME, StateStore

SESSION_COOKIE = "moodify_session"
# Over HTTPS the browser then refuses the cookie unless Secure, Path=/ and host-only, so
# neither a sibling subdomain nor a plain-HTTP page can plant or overwrite it.
SECURE_SESSION_COOKIE = "__Host-moodify_session"
LOGIN_COOKIE = "moodify_login"
SESSION_MAX_AGE_S = int(SESSION_LIFETIME.total_seconds())
LOGIN_MAX_AGE_S = 10 * 60  # from /auth/login to Spotify's redirect back


@dataclass(frozen=True)
class Session:
    user_id: str
    spotify_ids: tuple[str, ...]
    # Known once read back from a cookie (whole seconds); a session is who, not when.
    issued_at: datetime | None = field(default=None, compare=False)
    # Random, given at issue: what signing out of one browser revokes.
    session_id: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class PendingLogin:
    state: str
    verifier: str


class _ClockedSigner(TimestampSigner):
    """itsdangerous's timestamp signer, on Moodify's clock rather than the wall clock."""

    def __init__(self, *args: Any, clock: Clock, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clock = clock

    def get_timestamp(self) -> int:
        return int(self._clock().timestamp())


class SessionCodec:
    def __init__(self, secret: str, clock: Clock) -> None:
        on_clock = {"clock": clock}
        self._sessions = URLSafeTimedSerializer(
            secret, salt="moodify-session", signer=_ClockedSigner, signer_kwargs=on_clock
        )
        self._logins = URLSafeTimedSerializer(
            secret, salt="moodify-login", signer=_ClockedSigner, signer_kwargs=on_clock
        )

    def issue(self, session: Session) -> str:
        session_id = session.session_id or secrets.token_urlsafe(16)
        payload = {"uid": session.user_id, "ids": list(session.spotify_ids), "sid": session_id}
        return self._sessions.dumps(payload)

    def session(self, cookie: str | None) -> Session | None:
        """The signed-in user, or None for a missing, forged or expired cookie."""
        if not cookie:
            return None
        try:
            payload, issued_at = self._sessions.loads(
                cookie, max_age=SESSION_MAX_AGE_S, return_timestamp=True
            )
        except BadSignature:
            return None
        if not isinstance(payload, dict):
            return None
        user_id, spotify_ids, session_id = (
            payload.get("uid"),
            payload.get("ids"),
            payload.get("sid"),
        )
        # A session without an id (issued before they had one) could not be signed out.
        if not (isinstance(user_id, str) and isinstance(spotify_ids, list)):
            return None
        if not isinstance(session_id, str):
            return None
        return Session(user_id, tuple(map(str, spotify_ids)), issued_at, session_id)

    def allowed_user_id(self, cookie: str | None, settings: Settings) -> str | None:
        """The signed-in user while the allowlist still names them, else None."""
        session = self.session(cookie)
        if session is None or not settings.allows(session.spotify_ids):
            return None
        return session.user_id

    def signed_in_user_id(
        self, cookie: str | None, settings: Settings, state: StateStore
    ) -> str | None:
        """The signed-in user while the allowlist still names them and their sign-in state
        still accepts the session: the state exists (deleting the user deletes it) and the
        session was issued after they last signed out everywhere and was not signed out
        itself. Else None."""
        session = self.signed_in(cookie, settings, state)
        return None if session is None else session.user_id

    def signed_in(
        self, cookie: str | None, settings: Settings, state: StateStore
    ) -> Session | None:
        """The session of `signed_in_user_id`, or None."""
        session = self.session(cookie)
        if session is None or session.issued_at is None or session.session_id is None:
            return None
        if not settings.allows(session.spotify_ids):
            return None
        user = state.stored_user(session.user_id)
        if user is None or not user.accepts_session(session.issued_at, session.session_id):
            return None
        return session

    def issue_login(self, login: PendingLogin) -> str:
        return self._logins.dumps({"state": login.state, "verifier": login.verifier})

    def pending_login(self, cookie: str | None) -> PendingLogin | None:
        if not cookie:
            return None
        try:
            payload = self._logins.loads(cookie, max_age=LOGIN_MAX_AGE_S)
        except BadSignature:
            return None
        return PendingLogin(state=payload["state"], verifier=payload["verifier"])


def sign_out_everywhere(state: StateStore, user_id: str, now: datetime) -> None:
    """Void every session of `user_id` issued until now, in every browser. Sessions carry
    whole seconds: those of this second are void too."""
    valid_from = now.replace(microsecond=0) + timedelta(seconds=1)
    state.update_user(user_id, lambda user: replace(user, sessions_valid_from=valid_from))


def sign_out(state: StateStore, session: Session) -> None:
    """Void this one session, wherever its cookie was copied to."""
    session_id, issued_at = session.session_id, session.issued_at
    if session_id is None or issued_at is None:
        return
    state.update_user(
        session.user_id,
        lambda user: replace(
            user, revoked_sessions={**user.revoked_sessions, session_id: issued_at}
        ),
    )


def served_over_https(settings: Settings) -> bool:
    """Whether browsers reach the app over HTTPS: on AWS always (CloudFront, which names the
    public host in a header), locally when the redirect URI says so."""
    return settings.redirect_uri.startswith("https://") or bool(settings.redirect_from_host_header)


def session_cookie_name(settings: Settings) -> str:
    """`__Host-` where the app is reached over HTTPS, the plain name over HTTP on loopback,
    where browsers would drop a Secure cookie."""
    return SECURE_SESSION_COOKIE if served_over_https(settings) else SESSION_COOKIE


def session_secret(settings: Settings) -> str:
    """The configured secret, or one generated once under MOODIFY_HOME (owner-only)."""
    if settings.session_secret is not None:
        return settings.session_secret.get_secret_value()
    path = settings.secrets_dir / "session.key"
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()
