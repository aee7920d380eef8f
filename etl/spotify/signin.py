"""Completing a Spotify sign-in: who signed in, whether they may, and what to keep."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from etl.core.keys import profile_key, validate_user_id
from etl.core.lake import Lake
from etl.core.settings import Settings
from etl.core.state import StateStore, UserState
from etl.spotify.client import AccessToken, SpotifyApi
from etl.spotify.ingest import Spotify, ingest_user

# The profile fields Moodify uses; the rest (email, country, product...) is never stored.
PROFILE_FIELDS = ("id", "account_id", "display_name", "uri")


class SignInRefused(Exception):
    """The Spotify account is not on this Moodify's allowlist."""


@dataclass(frozen=True)
class SignedIn:
    user_id: str
    spotify_ids: tuple[str, ...]  # `account_id` and `id`: either may be on the allowlist
    display_name: str | None
    profile_key: str


def profile_user_id(profile: dict[str, Any]) -> str:
    """Users are keyed by `account_id` where Spotify gives it (since May 2026), else `id`."""
    return validate_user_id(str(profile.get("account_id") or profile["id"]))


def record_sign_in(
    settings: Settings, lake: Lake, profile: dict[str, Any], at: datetime
) -> SignedIn:
    """Check the allowlist, keep the profile in the lake and mark the user connected.

    The refresh token is stored by the caller, after this accepted the user.
    """
    user_id = profile_user_id(profile)
    spotify_ids = tuple(sorted({user_id, str(profile.get("id") or user_id)}))
    if not settings.allows(spotify_ids):
        raise SignInRefused(
            f"The Spotify account {profile.get('display_name') or user_id!r} is not allowed "
            f"on this Moodify. Its owner can allow it by adding {user_id!r} to "
            "MOODIFY_ALLOWED_USERS (locally) or to the AllowedSpotifyUsers stack parameter "
            "(on AWS)."
        )
    kept = {name: profile[name] for name in PROFILE_FIELDS if name in profile}
    key = profile_key(user_id, at)
    lake.put_new(key, json.dumps(kept).encode())
    state = StateStore(lake)
    # A state made now (a first sign-in, or one after the user's data was deleted) voids
    # every session issued before it; sessions carry whole seconds.
    state.update_user(
        user_id,
        lambda current: replace(
            current, signed_in_at=at, sign_in_state="connected", spotify_ids=spotify_ids
        ),
        new=UserState(user_id, sessions_valid_from=at.replace(microsecond=0)),
    )
    return SignedIn(
        user_id=user_id,
        spotify_ids=spotify_ids,
        display_name=profile.get("display_name"),
        profile_key=key,
    )


@dataclass(frozen=True)
class CompletedSignIn:
    user: SignedIn
    raw_keys: list[str]  # the profile and the first recently-played page, to process


def complete_sign_in(spotify: Spotify, code: str, pkce_verifier: str) -> CompletedSignIn:
    """Exchange the code, identify the user, keep their token and pull their last plays.

    Raises `SignInRefused` for accounts not on the allowlist (their token is not kept).
    """
    grant = spotify.accounts.exchange_code(code, pkce_verifier)
    api = SpotifyApi(spotify.settings.spotify_api_url, AccessToken(lambda: grant), spotify.caller)
    signed_in = record_sign_in(spotify.settings, spotify.lake, api.me(), spotify.clock())
    if grant.refresh_token:
        spotify.tokens.put(signed_in.user_id, grant.refresh_token)
    first = ingest_user(spotify, signed_in.user_id)
    raw_keys = [signed_in.profile_key] + ([first.raw_key] if first.raw_key else [])
    return CompletedSignIn(user=signed_in, raw_keys=raw_keys)
