"""The fake Spotify over real HTTP: sign-in, tokens, the Web API as in 2026, faults.

Every test's Web API traffic is checked against Spotify's OpenAPI contract when it ends
(`assert_recorded_requests_follow_contract`), so the fake cannot drift from the contract.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import re
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from moodify.demo.simulation import FakeSpotify, PlayContext, SimulatedClock, SimulatedListener
from moodify.demo.simulation.catalog import Catalog, default_catalog
from moodify.demo.simulation.clock import unix_ms
from moodify.demo.simulation.objects import played_at
from tests.contract import (
    assert_recorded_requests_follow_contract,
    assert_web_api_request_follows_contract,
    assert_web_api_response_follows_contract,
)

START = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
REDIRECT_URI = "http://127.0.0.1:8000/auth/callback"
PUBLIC = "moodify-public"  # a PKCE client without a secret
CONFIDENTIAL = "moodify-server"
SECRET = "server-secret"
RECENTLY_PLAYED = "/v1/me/player/recently-played"
TIMEOUT = 5

_account_numbers = itertools.count()


@pytest.fixture(scope="module")
def clock() -> SimulatedClock:
    return SimulatedClock(START)


@pytest.fixture(scope="module")
def fake(clock: SimulatedClock) -> Iterator[FakeSpotify]:
    with FakeSpotify(clock=clock) as server:
        server.register_client(PUBLIC, None, [REDIRECT_URI])
        server.register_client(CONFIDENTIAL, SECRET, [REDIRECT_URI])
        yield server


@pytest.fixture(autouse=True)
def fresh(fake: FakeSpotify, clock: SimulatedClock) -> Iterator[None]:
    """Each test starts at START with no faults and switches off, and ends with its Web API
    traffic checked against the contract."""
    clock.set(START)
    fake.clear_faults()
    fake.clear_requests()
    fake.rotate_refresh_tokens = False
    fake.audio_features_access = False
    yield
    assert_recorded_requests_follow_contract(fake)


# Helpers -----------------------------------------------------------------------------------


def new_account(fake: FakeSpotify, *, allowlisted: bool = True, seed: int | None = None) -> str:
    """A fresh user (the server lives for the module), with a listener when given a seed."""
    account_id = f"acct{next(_account_numbers)}"
    listener = None if seed is None else SimulatedListener(fake.catalog, seed, "Europe/Berlin")
    fake.add_user(account_id, f"User {account_id}", allowlisted=allowlisted, listener=listener)
    return account_id


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)  # 64 characters
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class ConsentForm(HTMLParser):
    """The fields a browser would post from the consent page, and its buttons."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.buttons: dict[str, tuple[str, str]] = {}  # test id: (name, value)
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "input" and values.get("type") == "hidden":
            self.hidden[values["name"]] = values["value"]
        if tag == "button" and "data-testid" in values:
            self.buttons[values["data-testid"]] = (values["name"], values["value"])


def authorize_params(challenge: str | None, **overrides: str) -> dict[str, str]:
    params = {
        "client_id": PUBLIC,
        "response_type": "code",
        "redirect_uri": REDIRECT_URI,
        "state": "state-123",
        "scope": "user-read-recently-played user-read-private",
        "show_dialog": "true",
    }
    if challenge is not None:
        params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    return params | overrides


def press(fake: FakeSpotify, params: dict[str, str], test_id: str) -> dict[str, list[str]]:
    """Open the consent page, press a button, and return the redirect's query."""
    page = requests.get(f"{fake.url}/authorize", params=params, timeout=TIMEOUT)
    assert page.status_code == 200, page.text
    form = ConsentForm(page.text)
    name, value = form.buttons[test_id]
    answer = requests.post(
        f"{fake.url}/authorize",
        data={**form.hidden, name: value},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert answer.status_code == 303
    location = urlsplit(answer.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == params["redirect_uri"]
    return parse_qs(location.query)


def sign_in_code(fake: FakeSpotify, account_id: str, challenge: str) -> str:
    query = press(fake, authorize_params(challenge), f"authorize-as-{account_id}")
    assert query["state"] == ["state-123"]
    return query["code"][0]


def token(
    fake: FakeSpotify, form: dict[str, str], auth: tuple[str, str] | None = None
) -> requests.Response:
    return requests.post(f"{fake.url}/api/token", data=form, auth=auth, timeout=TIMEOUT)


def exchange(fake: FakeSpotify, code: str, verifier: str) -> requests.Response:
    return token(
        fake,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier,
            "client_id": PUBLIC,
        },
    )


def refresh(fake: FakeSpotify, refresh_token: str) -> requests.Response:
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": PUBLIC}
    return token(fake, form)


def signed_in(fake: FakeSpotify, account_id: str, *scopes: str) -> dict[str, Any]:
    return fake.sign_in(account_id, PUBLIC, scopes or ("user-read-recently-played",))


def get(fake: FakeSpotify, path: str, access_token: str, **params: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {access_token}"}
    return requests.get(f"{fake.url}{path}", params=params, headers=headers, timeout=TIMEOUT)


def error_of(response: requests.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    return body["error"] if isinstance(body["error"], dict) else body


# Sign-in -----------------------------------------------------------------------------------


def test_pkce_sign_in_round_trip(fake: FakeSpotify) -> None:
    account = new_account(fake)
    verifier, challenge = pkce_pair()
    code = sign_in_code(fake, account, challenge)

    answer = exchange(fake, code, verifier)

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) == {"access_token", "token_type", "scope", "expires_in", "refresh_token"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "user-read-private user-read-recently-played"
    me = get(fake, "/v1/me", body["access_token"])
    assert me.status_code == 200
    assert me.json()["account_id"] == account


def test_consent_page_lists_every_user_as_a_button(fake: FakeSpotify) -> None:
    account = new_account(fake)
    page = requests.get(
        f"{fake.url}/authorize", params=authorize_params(pkce_pair()[1]), timeout=TIMEOUT
    )
    buttons = ConsentForm(page.text).buttons
    assert buttons[f"authorize-as-{account}"] == ("account_id", account)
    assert f"Continue as User {account}" in page.text
    assert "authorize-cancel" in buttons


def test_wrong_verifier_is_refused_and_the_code_still_works_with_the_right_one(
    fake: FakeSpotify,
) -> None:
    account = new_account(fake)
    verifier, challenge = pkce_pair()
    code = sign_in_code(fake, account, challenge)

    wrong = exchange(fake, code, pkce_pair()[0])

    assert wrong.status_code == 400
    assert wrong.json() == {
        "error": "invalid_grant",
        "error_description": "code_verifier was incorrect",
    }
    assert exchange(fake, code, verifier).status_code == 200
    assert exchange(fake, code, verifier).json()["error"] == "invalid_grant"  # used up


def test_redirect_uri_must_be_registered_exactly(fake: FakeSpotify) -> None:
    challenge = pkce_pair()[1]
    for uri in (f"{REDIRECT_URI}/", "http://127.0.0.1:8001/auth/callback"):
        page = requests.get(
            f"{fake.url}/authorize",
            params=authorize_params(challenge, redirect_uri=uri),
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        assert page.status_code == 400
        assert "INVALID_CLIENT: Invalid redirect URI" in page.text
    with pytest.raises(ValueError, match="loopback"):
        fake.register_client("local", None, ["http://localhost:8000/auth/callback"])


def test_token_exchange_with_another_redirect_uri_is_refused(fake: FakeSpotify) -> None:
    account = new_account(fake)
    verifier, challenge = pkce_pair()
    code = sign_in_code(fake, account, challenge)
    answer = token(
        fake,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "http://127.0.0.1:9999/elsewhere",
            "code_verifier": verifier,
            "client_id": PUBLIC,
        },
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"


def test_unknown_client_gets_an_error_page(fake: FakeSpotify) -> None:
    page = requests.get(
        f"{fake.url}/authorize",
        params=authorize_params(pkce_pair()[1], client_id="nobody"),
        timeout=TIMEOUT,
    )
    assert page.status_code == 400
    assert "INVALID_CLIENT: Invalid client" in page.text


def test_public_client_without_pkce_is_sent_back_with_an_error(fake: FakeSpotify) -> None:
    answer = requests.get(
        f"{fake.url}/authorize",
        params=authorize_params(None),
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert answer.status_code == 303
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert query == {"error": ["invalid_request"], "state": ["state-123"]}


def test_cancel_redirects_with_access_denied_and_the_state(fake: FakeSpotify) -> None:
    new_account(fake)
    query = press(fake, authorize_params(pkce_pair()[1]), "authorize-cancel")
    assert query == {"error": ["access_denied"], "state": ["state-123"]}


def test_confidential_client_signs_in_with_basic_auth_and_without_pkce(
    fake: FakeSpotify,
) -> None:
    account = new_account(fake)
    params = authorize_params(None, client_id=CONFIDENTIAL)
    code = press(fake, params, f"authorize-as-{account}")["code"][0]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}

    wrong = token(fake, form, auth=(CONFIDENTIAL, "not-the-secret"))
    right = token(fake, form, auth=(CONFIDENTIAL, SECRET))

    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    assert right.status_code == 200
    assert "refresh_token" in right.json()


def test_client_credentials_give_an_app_token_for_catalog_calls_only(fake: FakeSpotify) -> None:
    answer = token(fake, {"grant_type": "client_credentials"}, auth=(CONFIDENTIAL, SECRET))
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    artist_id = next(iter(fake.catalog.artists))

    assert get(fake, f"/v1/artists/{artist_id}", body["access_token"]).status_code == 200
    assert get(fake, "/v1/me", body["access_token"]).status_code == 401
    public = token(fake, {"grant_type": "client_credentials", "client_id": PUBLIC})
    assert (public.status_code, public.json()["error"]) == (401, "invalid_client")


# Tokens over time --------------------------------------------------------------------------


def test_refresh_keeps_the_refresh_token_unless_rotation_is_on(fake: FakeSpotify) -> None:
    account = new_account(fake)
    first = signed_in(fake, account)

    kept = refresh(fake, first["refresh_token"])
    assert kept.status_code == 200
    assert "refresh_token" not in kept.json()
    assert refresh(fake, first["refresh_token"]).status_code == 200  # still good

    fake.rotate_refresh_tokens = True
    rotated = refresh(fake, first["refresh_token"]).json()
    assert rotated["refresh_token"] != first["refresh_token"]
    assert refresh(fake, rotated["refresh_token"]).status_code == 200
    stale = refresh(fake, first["refresh_token"])  # a client that kept the old one
    assert (stale.status_code, stale.json()["error"]) == (400, "invalid_grant")


def test_access_tokens_expire_after_an_hour_by_the_clock(
    fake: FakeSpotify, clock: SimulatedClock
) -> None:
    access = signed_in(fake, new_account(fake))["access_token"]
    clock.advance(timedelta(minutes=59, seconds=59))
    assert get(fake, "/v1/me", access).status_code == 200

    clock.advance(timedelta(seconds=1))
    expired = get(fake, "/v1/me", access)

    assert expired.status_code == 401
    assert expired.json() == {"error": {"status": 401, "message": "The access token expired"}}


def test_refresh_tokens_end_six_months_after_sign_in(
    fake: FakeSpotify, clock: SimulatedClock
) -> None:
    refresh_token = signed_in(fake, new_account(fake))["refresh_token"]
    clock.set(datetime(2027, 5, 24, 9, 59, tzinfo=UTC))  # refreshing never extends it
    assert refresh(fake, refresh_token).status_code == 200

    clock.set(datetime(2027, 5, 24, 10, 0, tzinfo=UTC))
    expired = refresh(fake, refresh_token)

    assert expired.status_code == 400
    assert expired.json()["error"] == "invalid_grant"


def test_revoked_refresh_tokens_answer_invalid_grant_until_signed_in_again(
    fake: FakeSpotify,
) -> None:
    account = new_account(fake)
    refresh_token = signed_in(fake, account)["refresh_token"]
    fake.revoke_refresh_tokens(account)

    revoked = refresh(fake, refresh_token)

    assert revoked.status_code == 400
    assert revoked.json() == {
        "error": "invalid_grant",
        "error_description": "Refresh token revoked",
    }
    assert refresh(fake, signed_in(fake, account)["refresh_token"]).status_code == 200


# The Web API -------------------------------------------------------------------------------


def test_me_answers_the_profile_with_what_the_scopes_cover(fake: FakeSpotify) -> None:
    account = new_account(fake)
    narrow = get(fake, "/v1/me", signed_in(fake, account)["access_token"]).json()
    wide = get(
        fake,
        "/v1/me",
        signed_in(fake, account, "user-read-private", "user-read-email")["access_token"],
    ).json()

    assert narrow["account_id"] == wide["account_id"] == account
    assert narrow["id"] == wide["id"] != account
    assert narrow["type"] == "user"
    assert narrow["uri"] == f"spotify:user:{narrow['id']}"
    assert not {"email", "country", "product", "explicit_content"} & set(narrow)
    assert {"email", "country", "product", "explicit_content"} <= set(wide)


def test_user_missing_from_the_allowlist_signs_in_but_gets_403(fake: FakeSpotify) -> None:
    account = new_account(fake, allowlisted=False)
    verifier, challenge = pkce_pair()
    tokens = exchange(fake, sign_in_code(fake, account, challenge), verifier)
    assert tokens.status_code == 200

    for path in ("/v1/me", RECENTLY_PLAYED):
        refused = get(fake, path, tokens.json()["access_token"])
        assert refused.status_code == 403
        assert refused.json() == {
            "error": {"status": 403, "message": "User not registered in the Developer Dashboard"}
        }


def test_recently_played_needs_its_scope(fake: FakeSpotify) -> None:
    access = signed_in(fake, new_account(fake), "user-read-private")["access_token"]
    refused = get(fake, RECENTLY_PLAYED, access)
    assert refused.status_code == 403
    assert get(fake, RECENTLY_PLAYED, "not-a-token").status_code == 401
    assert requests.get(f"{fake.url}{RECENTLY_PLAYED}", timeout=TIMEOUT).status_code == 401


def add_plays(fake: FakeSpotify, account: str, count: int, start: datetime) -> list[int]:
    """`count` plays a minute apart from `start` (plus 123 ms); their unix ms, oldest first."""
    tracks = list(fake.catalog.tracks)
    moments = [start + timedelta(minutes=n, milliseconds=123) for n in range(count)]
    for n, moment in enumerate(moments):
        fake.add_play(account, tracks[n], moment)
    return [unix_ms(moment) for moment in moments]


def test_recently_played_shows_only_the_last_50_plays_newest_first(
    fake: FakeSpotify, clock: SimulatedClock
) -> None:
    account = new_account(fake)
    played = add_plays(fake, account, 60, START - timedelta(hours=2))
    access = signed_in(fake, account)["access_token"]

    page = get(fake, RECENTLY_PLAYED, access, limit=50).json()
    older = get(fake, RECENTLY_PLAYED, access, limit=50, before=page["cursors"]["before"]).json()

    stamps = [unix_ms(datetime.fromisoformat(i["played_at"])) for i in page["items"]]
    assert stamps == played[10:][::-1]
    assert page["cursors"] == {"after": str(played[-1]), "before": str(played[10])}
    assert page["next"] is None
    assert older == {
        "items": [],
        "next": None,
        "cursors": None,
        "limit": 50,
        "href": older["href"],
    }
    assert page["items"][0]["played_at"] == "2026-11-24T08:59:00.123Z"


def test_recently_played_only_shows_what_the_clock_has_reached(
    fake: FakeSpotify, clock: SimulatedClock
) -> None:
    account = new_account(fake)
    played = add_plays(fake, account, 5, START - timedelta(minutes=2))  # 3 still to come
    access = signed_in(fake, account)["access_token"]
    assert len(get(fake, RECENTLY_PLAYED, access).json()["items"]) == 2

    clock.advance(timedelta(minutes=3))

    items = get(fake, RECENTLY_PLAYED, access).json()["items"]
    assert [unix_ms(datetime.fromisoformat(i["played_at"])) for i in items] == played[::-1]


def test_after_and_before_exclude_their_cursor_and_page_with_next(fake: FakeSpotify) -> None:
    account = new_account(fake)
    played = add_plays(fake, account, 10, START - timedelta(hours=1))
    access = signed_in(fake, account)["access_token"]

    def stamps(page: dict[str, Any]) -> list[int]:
        return [unix_ms(datetime.fromisoformat(i["played_at"])) for i in page["items"]]

    after = get(fake, RECENTLY_PLAYED, access, after=played[3], limit=4).json()
    assert stamps(after) == played[4:8][::-1]  # right after the cursor, newest first
    assert after["next"] is not None
    rest = requests.get(
        after["next"], headers={"Authorization": f"Bearer {access}"}, timeout=TIMEOUT
    ).json()
    assert stamps(rest) == played[8:][::-1]
    assert rest["next"] is None

    before = get(fake, RECENTLY_PLAYED, access, before=played[6], limit=3).json()
    assert stamps(before) == played[3:6][::-1]
    assert before["cursors"] == {"after": str(played[5]), "before": str(played[3])}
    assert stamps(get(fake, RECENTLY_PLAYED, access, after=played[-1]).json()) == []


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 51}, {"limit": "ten"}, {"after": "yesterday"}],
    ids=["limit-0", "limit-51", "limit-text", "after-text"],
)
def test_recently_played_refuses_parameters_the_contract_refuses(
    fake: FakeSpotify, params: dict[str, Any]
) -> None:
    access = signed_in(fake, new_account(fake))["access_token"]
    answer = get(fake, RECENTLY_PLAYED, access, **params)

    assert answer.status_code == 400
    assert answer.json()["error"]["status"] == 400
    with pytest.raises(AssertionError, match="breaks Spotify's contract"):
        assert_web_api_request_follows_contract("GET", RECENTLY_PLAYED, fake.requests[-1].query)
    fake.clear_requests()  # refused on purpose: not a contract breach of the test's own


def test_after_and_before_together_are_refused(fake: FakeSpotify) -> None:
    access = signed_in(fake, new_account(fake))["access_token"]
    answer = get(fake, RECENTLY_PLAYED, access, after=1, before=2)
    assert answer.status_code == 400


def test_artist_lookup_answers_the_2026_artist_object(fake: FakeSpotify) -> None:
    access = signed_in(fake, new_account(fake))["access_token"]
    artist = next(iter(fake.catalog.artists.values()))

    found = get(fake, f"/v1/artists/{artist.id}", access)
    unknown = get(fake, "/v1/artists/0000000000000000000000", access)
    malformed = get(fake, "/v1/artists/not-an-id", access)

    assert found.status_code == 200
    body = found.json()
    assert (body["id"], body["name"], body["type"]) == (artist.id, artist.name, "artist")
    assert body["genres"] == list(artist.genres)
    assert not {"followers", "popularity"} & set(body)
    assert unknown.status_code == 404
    assert unknown.json() == {"error": {"status": 404, "message": "Resource not found"}}
    assert malformed.status_code == 400


def test_track_lookup_and_the_track_object(fake: FakeSpotify) -> None:
    access = signed_in(fake, new_account(fake))["access_token"]
    track = next(t for t in fake.catalog.tracks.values() if len(t.artist_ids) > 1)

    body = get(fake, f"/v1/tracks/{track.id}", access).json()

    assert body["external_ids"] == {"isrc": track.isrc}
    assert [a["id"] for a in body["artists"]] == list(track.artist_ids)
    assert body["album"]["id"] == track.album_id
    assert body["is_local"] is False
    assert not {"popularity", "available_markets", "linked_from"} & set(body)
    assert not {"label", "popularity", "available_markets"} & set(body["album"])


def test_batch_lookups_are_refused_and_counted(fake: FakeSpotify) -> None:
    access = signed_in(fake, new_account(fake))["access_token"]
    ids = ",".join(itertools.islice(fake.catalog.tracks, 3))
    assert fake.batch_lookup_calls == 0

    for path in ("/v1/artists", "/v1/tracks", "/v1/albums"):
        refused = get(fake, path, access, ids=ids)
        assert refused.status_code == 403
        assert refused.json()["error"]["status"] == 403

    assert fake.batch_lookup_calls == 3


def test_audio_features_are_refused_unless_the_app_kept_access(fake: FakeSpotify) -> None:
    access = signed_in(fake, new_account(fake))["access_token"]
    known = next(t for t in fake.catalog.tracks.values() if t.features is not None)
    missing = next(t for t in fake.catalog.tracks.values() if t.features is None)
    assert get(fake, "/v1/audio-features", access, ids=known.id).status_code == 403
    assert get(fake, f"/v1/audio-features/{known.id}", access).status_code == 403

    fake.audio_features_access = True
    many = get(fake, "/v1/audio-features", access, ids=f"{known.id},{missing.id}").json()
    one = get(fake, f"/v1/audio-features/{known.id}", access).json()

    assert known.features is not None
    assert many["audio_features"][0]["valence"] == known.features.valence
    assert many["audio_features"][1] is None
    assert one["id"] == known.id
    assert get(fake, f"/v1/audio-features/{missing.id}", access).status_code == 404


# Faults ------------------------------------------------------------------------------------


def test_429_carries_retry_after_and_is_consumed(fake: FakeSpotify) -> None:
    access = signed_in(fake, new_account(fake))["access_token"]
    fake.fail(RECENTLY_PLAYED, 429, times=2, retry_after=30)

    answers = [get(fake, RECENTLY_PLAYED, access) for _ in range(3)]

    assert [a.status_code for a in answers] == [429, 429, 200]
    assert answers[0].headers["Retry-After"] == "30"
    assert answers[0].json() == {"error": {"status": 429, "message": "API rate limit exceeded"}}
    assert_web_api_response_follows_contract("GET", RECENTLY_PLAYED, {}, 429, answers[0].json())


def test_quota_exceeded_answers_429_with_its_reason(fake: FakeSpotify) -> None:
    access = signed_in(fake, new_account(fake))["access_token"]
    artist_id = next(iter(fake.catalog.artists))
    fake.fail_quota_exceeded()

    answer = get(fake, f"/v1/artists/{artist_id}", access)

    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "75600"
    assert answer.json()["error"] == {
        "status": 429,
        "message": "Quota exceeded",
        "reason": "QUOTA_EXCEEDED",
    }
    assert_web_api_response_follows_contract(
        "GET", f"/v1/artists/{artist_id}", {}, 429, answer.json()
    )


def test_injected_401_is_cured_by_a_refresh(fake: FakeSpotify) -> None:
    tokens = signed_in(fake, new_account(fake))
    fake.fail("/v1/me", 401)

    refused = get(fake, "/v1/me", tokens["access_token"])
    renewed = refresh(fake, tokens["refresh_token"]).json()["access_token"]

    assert refused.json() == {"error": {"status": 401, "message": "The access token expired"}}
    assert get(fake, "/v1/me", renewed).status_code == 200


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_answer_the_error_envelope(fake: FakeSpotify, status: int) -> None:
    access = signed_in(fake, new_account(fake))["access_token"]
    fake.fail("/v1/*", status)

    answer = get(fake, "/v1/me", access)

    assert answer.status_code == status
    assert answer.json()["error"]["status"] == status
    assert get(fake, "/v1/me", access).status_code == 200


def test_a_gateway_page_can_stand_in_for_json(fake: FakeSpotify) -> None:
    access = signed_in(fake, new_account(fake))["access_token"]
    fake.fail("/v1/me", 502, body="<html><body>Bad gateway</body></html>")
    answer = get(fake, "/v1/me", access)
    assert answer.status_code == 502
    assert answer.headers["content-type"].startswith("text/html")


def test_invalid_grant_can_also_be_injected_at_the_token_endpoint(fake: FakeSpotify) -> None:
    tokens = signed_in(fake, new_account(fake))
    body = {"error": "invalid_grant", "error_description": "Refresh token revoked"}
    fake.fail("/api/token", 400, body=body)
    assert refresh(fake, tokens["refresh_token"]).json() == body
    assert refresh(fake, tokens["refresh_token"]).status_code == 200


def test_slow_answers_time_clients_out(fake: FakeSpotify) -> None:
    access = signed_in(fake, new_account(fake))["access_token"]
    fake.fail(RECENTLY_PLAYED, delay=0.5)
    with pytest.raises(requests.Timeout):
        requests.get(
            f"{fake.url}{RECENTLY_PLAYED}",
            headers={"Authorization": f"Bearer {access}"},
            timeout=0.1,
        )
    assert get(fake, RECENTLY_PLAYED, access).status_code == 200


def test_faults_are_consumed_in_order(fake: FakeSpotify) -> None:
    access = signed_in(fake, new_account(fake))["access_token"]
    fake.fail("/v1/me*", 503)
    fake.fail("/v1/me", 429, retry_after=1)

    statuses = [get(fake, "/v1/me", access).status_code for _ in range(3)]

    assert statuses == [503, 429, 200]


def test_requests_are_recorded(fake: FakeSpotify, clock: SimulatedClock) -> None:
    tokens = signed_in(fake, new_account(fake))
    refresh(fake, tokens["refresh_token"])
    get(fake, RECENTLY_PLAYED, tokens["access_token"], limit=50, after=1)

    posted, listed = fake.requests
    assert (posted.method, posted.path, posted.status) == ("POST", "/api/token", 200)
    assert posted.form["grant_type"] == "refresh_token"
    assert (listed.method, listed.path, listed.query) == (
        "GET",
        RECENTLY_PLAYED,
        {"limit": "50", "after": "1"},
    )
    assert listed.headers["authorization"] == f"Bearer {tokens['access_token']}"
    assert listed.at == clock.now()
    assert listed.json()["limit"] == 50
    assert fake.calls("/v1/me/player") == 1
    assert fake.calls("/api/token", method="GET") == 0


# Simulated listening -----------------------------------------------------------------------


def test_listener_gives_the_same_plays_hour_by_hour_as_in_one_jump() -> None:
    listener = SimulatedListener(default_catalog(), seed=11, time_zone="America/New_York")
    end = START + timedelta(days=2)
    hourly = []
    moment = START
    while moment < end:
        hourly += listener.plays_between(moment, moment + timedelta(hours=1))
        moment += timedelta(hours=1)

    at_once = listener.plays_between(START, end)

    assert hourly == at_once
    assert 20 < len(at_once) < 200
    assert at_once == SimulatedListener(default_catalog(), 11, "America/New_York").plays_between(
        START, end
    )
    assert at_once != SimulatedListener(default_catalog(), 12, "America/New_York").plays_between(
        START, end
    )
    assert all(START < p.played_at <= end for p in at_once)
    assert at_once == sorted(at_once, key=lambda p: p.played_at)
    contexts = {p.context.type if p.context else None for p in at_once}
    assert contexts <= {"album", "artist", "playlist", None}


def test_hourly_polling_after_the_cursor_collects_every_simulated_play(
    fake: FakeSpotify, clock: SimulatedClock
) -> None:
    account = new_account(fake, seed=5)
    tokens = signed_in(fake, account)
    cursor = unix_ms(START)
    collected: list[tuple[str, str]] = []
    for _ in range(36):
        clock.advance(timedelta(hours=1))
        access = refresh(fake, tokens["refresh_token"]).json()["access_token"]
        page = get(fake, RECENTLY_PLAYED, access, limit=50, after=cursor).json()
        collected += [(i["played_at"], i["track"]["id"]) for i in reversed(page["items"])]
        if page["cursors"]:
            cursor = int(page["cursors"]["after"])

    listener = SimulatedListener(fake.catalog, 5, "Europe/Berlin")  # as the account's
    expected = listener.plays_between(START, clock.now())
    assert len(expected) > 20
    assert collected == [(played_at(p.played_at), p.track_id) for p in expected]


def test_catalog_is_deterministic_and_looks_like_spotify() -> None:
    catalog = Catalog.generate(seed=3)
    again = Catalog.generate(seed=3)
    assert list(catalog.tracks) == list(again.tracks)
    assert 200 <= len(catalog.tracks) <= 600
    base62 = re.compile(r"[0-9A-Za-z]{22}")
    ids = [*catalog.artists, *catalog.albums, *catalog.tracks]
    assert all(base62.fullmatch(i) for i in ids)
    assert len(set(ids)) == len(ids)
    tracks = list(catalog.tracks.values())
    assert 0 < sum(t.features is None for t in tracks) < len(tracks) // 5
    assert all(1 <= len(t.artist_ids) <= 3 for t in tracks)
    assert any(len(t.artist_ids) > 1 for t in tracks)
    assert all(re.fullmatch(r"[A-Z]{2}[A-Z0-9]{3}\d{7}", t.isrc) for t in tracks)
    genres = [a.genres for a in catalog.artists.values()]
    assert sum(not g for g in genres) > len(genres) // 3  # often empty, as in 2026
    assert {a.album_type for a in catalog.albums.values()} == {"album", "single"}


def test_simulated_clock_moves_only_when_told() -> None:
    clock = SimulatedClock(START)
    assert clock() == clock.now() == START
    assert clock.advance(timedelta(minutes=5)) == START + timedelta(minutes=5)
    with pytest.raises(ValueError, match="forward"):
        clock.advance(timedelta(seconds=-1))
    with pytest.raises(ValueError, match="aware"):
        clock.set(datetime(2026, 1, 1))  # naive on purpose
    clock.set(START)
    assert clock() == START


def test_plays_of_a_user_can_carry_a_context(fake: FakeSpotify) -> None:
    account = new_account(fake)
    track = next(iter(fake.catalog.tracks.values()))
    context = PlayContext("album", f"spotify:album:{track.album_id}")
    fake.add_play(account, track.id, START - timedelta(minutes=1), context)

    item = get(fake, RECENTLY_PLAYED, signed_in(fake, account)["access_token"]).json()["items"][0]

    assert item["context"]["uri"] == context.uri
    assert item["context"]["type"] == "album"
    assert item["context"]["external_urls"]["spotify"].endswith(track.album_id)
