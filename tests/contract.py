"""Spotify's Web API contract, as it holds in 2026, for tests.

`tests/spotify/openapi.yml` is sonallux's corrected description of the Web API (MIT, its
license beside it), kept in the repository so that a clean clone tests against it alone.

Both sides are checked against it: the fake Spotify's answers, and what a client asks of
the fake. The accounts service (`/authorize`, `/api/token`) is not in the contract; its
tests check it against Spotify's authorization guide by hand.

Where Spotify's answers in 2026 depart from the published description, the description is
adjusted in one place, `SPEC_EXCEPTIONS`, each with its reason (REFERENCE.md, "Spotify Web
API"). The adjusted description is built once per process.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from openapi_core import Config, OpenAPI
from openapi_core.exceptions import OpenAPIError
from openapi_core.testing import MockRequest, MockResponse
from openapi_core.validation.request.validators import V30RequestParametersValidator

from moodify.demo.simulation.server import FakeServer

SPEC_PATH = Path(__file__).with_name("spotify") / "openapi.yml"
SPOTIFY_API_HOST = "https://api.spotify.com"  # the spec's server is https://api.spotify.com/v1

Spec = dict[str, Any]


def _schema(spec: Spec, name: str) -> Spec:
    schema: Spec = spec["components"]["schemas"][name]
    return schema


def _removed_in_2026(spec: Spec) -> None:
    """Fields Spotify stopped serving in 2026 are neither required nor allowed."""
    removed = {
        "TrackObject": ("popularity", "available_markets", "linked_from"),
        "AlbumBase": ("available_markets",),  # the spec still requires it
        "AlbumObject": ("label", "popularity"),
        "ArtistObject": ("followers", "popularity"),
    }
    for name, fields in removed.items():
        schema = _schema(spec, name)
        parts = [schema, *schema.get("allOf", [])]
        for part in parts:
            required = [f for f in part.pop("required", []) if f not in fields]
            if required:
                part["required"] = required
        holder = parts[-1]  # the schema itself, or the inline part of its allOf
        for field in fields:
            holder.setdefault("properties", {})[field] = {"not": {}}  # must not appear


def _or_null(schema: Spec) -> Spec:
    # OpenAPI 3.0's `nullable` binds to a `type` in the same schema, so a schema made of
    # `allOf` or `$ref` takes null as an alternative instead.
    return {"anyOf": [schema, {"enum": [None]}]}


def _nullable_in_practice(spec: Spec) -> None:
    """Spotify answers null where the description allows no null."""
    paging = _schema(spec, "CursorPagingObject")["properties"]
    paging["next"]["nullable"] = True  # the last page ("`null` if none", says its own text)
    paging["cursors"] = _or_null(paging["cursors"])  # an empty page has no cursors
    history = _schema(spec, "PlayHistoryObject")["properties"]
    history["context"] = _or_null(history["context"])  # played outside any context
    many = spec["components"]["responses"]["ManyAudioFeatures"]["content"]["application/json"]
    features = many["schema"]["properties"]["audio_features"]
    features["items"] = _or_null(features["items"])  # a track Spotify has no features for


def _undocumented_statuses_are_errors(spec: Spec) -> None:
    """Statuses an operation does not list (400 for bad parameters, 404 for an unknown ID,
    5xx) still carry Spotify's error envelope `{"error": {"status", "message"}}`."""
    envelope = {"$ref": "#/components/responses/BadRequest"}
    for path in spec["paths"].values():
        for operation in path.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("default", envelope)


SPEC_EXCEPTIONS = (_removed_in_2026, _nullable_in_practice, _undocumented_statuses_are_errors)
# Not exceptions, but worth knowing: error objects may carry a `reason` (`QUOTA_EXCEEDED`),
# which the description allows (it forbids no extra properties); `GET /me` lists the
# user-read-private and user-read-email scopes, yet answers without them, leaving out the
# fields they cover (`country`, `product`, `explicit_content`, `email`).


@cache
def _contract() -> OpenAPI:
    with SPEC_PATH.open(encoding="utf-8") as spec_file:
        spec: Spec = yaml.load(spec_file, Loader=yaml.CSafeLoader)
    for adjust in SPEC_EXCEPTIONS:
        adjust(spec)
    # Parameters only: security is the fake's own business (and openapi-core cannot check
    # OAuth 2 tokens), and Moodify sends no request bodies to the Web API.
    config = Config(request_validator_cls=V30RequestParametersValidator)
    return OpenAPI.from_dict(spec, config=config)


def _request(method: str, path: str, query: Mapping[str, str]) -> MockRequest:
    """A request to Spotify's own host for `path`, which may be a fake's URL or path."""
    path = urlsplit(path).path
    if not path.startswith("/v1/"):
        raise AssertionError(f"{path} is not a Web API path (they start with /v1/)")
    return MockRequest(SPOTIFY_API_HOST, method, path, args=dict(query))


def _breach(what: str, error: OpenAPIError) -> AssertionError:
    """A readable failure: the breach, and where in the body or parameters it lies."""
    lines = [f"{what} breaks Spotify's contract: {str(error)[:300]}"]
    for schema_error in getattr(error.__cause__, "schema_errors", ()):
        location = "/".join(str(part) for part in schema_error.absolute_path) or "(top)"
        lines.append(f"  at {location}: {schema_error.message[:300]}")
    return AssertionError("\n".join(lines))


def assert_web_api_request_follows_contract(
    method: str, path: str, query: Mapping[str, str]
) -> None:
    """The operation exists, and its path and query parameters are valid for it."""
    request = _request(method, path, query)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openapi-core warns it cannot check OAuth 2
            _contract().validate_request(request)
    except OpenAPIError as error:
        raise _breach(f"request {method} {path} {dict(query)}", error) from error


def assert_web_api_response_follows_contract(
    method: str, path: str, query: Mapping[str, str], status: int, body: object
) -> None:
    """`body` (decoded JSON) is what the operation answers with `status`."""
    response = MockResponse(json.dumps(body).encode(), status_code=status)
    try:
        _contract().validate_response(_request(method, path, query), response)
    except OpenAPIError as error:
        raise _breach(f"response {status} to {method} {path}", error) from error


def assert_recorded_requests_follow_contract(fake: FakeServer) -> None:
    """Every Web API request the fake saw follows the contract, and so does the fake's
    answer, unless the test injected it. Accounts-service requests are skipped."""
    for recorded in fake.requests:
        if not recorded.path.startswith("/v1/"):
            continue
        assert_web_api_request_follows_contract(recorded.method, recorded.path, recorded.query)
        if not recorded.injected:
            assert_web_api_response_follows_contract(
                recorded.method, recorded.path, recorded.query, recorded.status, recorded.json()
            )
