"""The hourly ingest: each connected account's new plays from Spotify into the lake.

For one user: refresh the access token, fetch `recently-played` after the stored cursor,
write the page verbatim under an immutable key, and only then advance the cursor. A
failure before the write leaves the cursor where it was, so nothing is skipped.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace

from etl.core.clock import Clock, system_clock
from etl.core.http import Caller, CoolingDown, ServiceError
from etl.core.keys import recently_played_key
from etl.core.lake import Lake, lake_from_settings
from etl.core.settings import Settings
from etl.core.state import StateStore, UserState
from etl.spotify.auth import InvalidGrant, SpotifyAccounts, TokenGrant
from etl.spotify.client import AccessToken, SpotifyApi
from etl.spotify.tokens import TokenStore, token_store

logger = logging.getLogger(__name__)


_ANSWERED = frozenset({"ingested", "no_new_plays"})  # outcomes where Spotify served the plays


@dataclass(frozen=True)
class UserIngest:
    user_id: str
    outcome: str  # ingested | no_new_plays | sign_in_again | cooling_down | failed | skipped
    raw_key: str | None = None
    plays: int = 0
    detail: str | None = None


@dataclass
class IngestReport:
    users: list[UserIngest] = field(default_factory=list)

    @property
    def raw_keys(self) -> list[str]:
        return [user.raw_key for user in self.users if user.raw_key]

    @property
    def due(self) -> bool:
        """Whether someone was signed in, so that this run had plays to ask for."""
        return bool(self.users)

    @property
    def succeeded(self) -> bool:
        """Whether Spotify served at least one user's recent plays (new ones, or none)."""
        return any(user.outcome in _ANSWERED for user in self.users)

    def as_dict(self) -> dict[str, object]:
        return {
            "users": len(self.users),
            "pages_written": len(self.raw_keys),
            "outcomes": {user.user_id: user.outcome for user in self.users},
        }


@dataclass
class Spotify:
    """The Spotify pieces one ingest run shares between users."""

    settings: Settings
    lake: Lake
    tokens: TokenStore
    clock: Clock = system_clock

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock = system_clock) -> Spotify:
        return cls(settings, lake_from_settings(settings), token_store(settings), clock)

    def __post_init__(self) -> None:
        self.state = StateStore(self.lake)
        self.caller = Caller.configured("spotify", self.state, self.settings, clock=self.clock)
        self.accounts = SpotifyAccounts(self.settings, self.caller)

    def user_api(self, user_id: str, refresh_token: str) -> SpotifyApi:
        def renew() -> TokenGrant:
            grant = self.accounts.refresh(refresh_token)
            if grant.refresh_token and grant.refresh_token != refresh_token:
                self.tokens.put(user_id, grant.refresh_token)  # else keep the old one
            return grant

        return SpotifyApi(self.settings.spotify_api_url, AccessToken(renew), self.caller)


def ingest_user(spotify: Spotify, user_id: str) -> UserIngest:
    state = spotify.state.stored_user(user_id)
    if state is None:
        # Sign-in keeps a state beside every token, and deleting a user deletes it: this
        # user's data was deleted where the token store is out of reach (the API in the
        # VPC on AWS), so the token is forgotten here, unused.
        spotify.tokens.delete(user_id)
        logger.warning("%s was deleted: refresh token forgotten", user_id)
        return UserIngest(user_id, "skipped", detail="deleted: refresh token forgotten")
    if not spotify.settings.allows(state.allowlist_ids):
        # Moodify keeps no key to the account of someone its owner no longer allows.
        spotify.tokens.delete(user_id)
        logger.warning("%s is no longer on the allowlist: refresh token forgotten", user_id)
        return UserIngest(user_id, "skipped", detail="not on the allowlist")
    if state.sign_in_state == "sign_in_again":
        return UserIngest(user_id, "skipped", detail="waiting for the user to sign in again")
    refresh_token = spotify.tokens.get(user_id)
    if refresh_token is None:
        return UserIngest(user_id, "skipped", detail="no refresh token")
    try:
        page = spotify.user_api(user_id, refresh_token).recently_played(state.cursor_ms)
    except InvalidGrant as error:
        spotify.state.update_user(user_id, lambda user: _refused(user, state))
        logger.warning("Spotify refused the refresh token of %s: sign in again", user_id)
        return UserIngest(user_id, "sign_in_again", detail=str(error))
    except CoolingDown as error:
        return UserIngest(user_id, "cooling_down", detail=str(error))
    except ServiceError as error:
        logger.error("Spotify failed for %s: %s", user_id, error)
        return UserIngest(user_id, "failed", detail=str(error))
    fetched_at = spotify.clock()
    items = page.get("items") or []
    if not items:
        spotify.state.update_user(user_id, lambda user: replace(user, last_ingest_at=fetched_at))
        return UserIngest(user_id, "no_new_plays")
    key = recently_played_key(user_id, fetched_at, state.cursor_ms)
    spotify.lake.put_new(key, json.dumps(page).encode())
    cursor = (page.get("cursors") or {}).get("after")
    cursor_ms = int(cursor) if cursor is not None else state.cursor_ms
    # Only ingest's own fields change: a sign-out or setting made while Spotify answered
    # stays, and a state deleted meanwhile is not made again.
    spotify.state.update_user(
        user_id, lambda user: replace(user, cursor_ms=cursor_ms, last_ingest_at=fetched_at)
    )
    return UserIngest(user_id, "ingested", raw_key=key, plays=len(items))


def _refused(user: UserState, read: UserState) -> UserState:
    """`user` waiting for a sign-in again, unless they signed in again since the refused
    token was read (the new sign-in stored a new token)."""
    if user.signed_in_at != read.signed_in_at:
        return user
    return replace(user, sign_in_state="sign_in_again")


def ingest_connected_users(spotify: Spotify) -> IngestReport:
    """One ingest run over every user with a stored refresh token."""
    report = IngestReport()
    for user_id in spotify.tokens.users():
        outcome = ingest_user(spotify, user_id)
        report.users.append(outcome)
        if outcome.outcome == "cooling_down":
            break  # the cool-down is the app's, not the user's: nobody else may call now
    return report
