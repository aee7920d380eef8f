"""Each error the API documents, triggered, and its body checked against the schema the
OpenAPI document declares for it (openapi-core): 401 on every /api/v1 operation, and the
404, 403, 422 and 503 the routes name."""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

from api.app import create_app
from api.errors import ErrorDetail
from etl.core.settings import Settings
from etl.spotify.sessions import Session, SessionCodec, session_cookie_name
from tests.integration.test_schemathesis import NOW, SECRET, sign_in

NO_EXPORT = "00000000-0000-4000-8000-000000000000"
PATH_VALUES = {"export_id": NO_EXPORT, "rule_id": "999999"}


@pytest.fixture
def signed_in(settings: Settings) -> Settings:
    """Sign-in on, the user signed in, and no history."""
    return sign_in(settings)


@pytest.fixture
def client(signed_in: Settings) -> Iterator[TestClient]:
    user_id = signed_in.user_id
    session = SessionCodec(SECRET, lambda: NOW).issue(Session(user_id, (user_id,)))
    with TestClient(create_app(signed_in, clock=lambda: NOW)) as started:
        started.cookies.set(session_cookie_name(signed_in), session)
        yield started


_contracts: weakref.WeakKeyDictionary[Any, OpenAPI] = weakref.WeakKeyDictionary()


def assert_documented(client: TestClient, response: Response, status: int) -> None:
    """The answer has `status`, which its operation declares, with a body of its schema."""
    assert response.status_code == status, response.text
    app = client.app
    if app not in _contracts:  # built once per app: reading a document takes ~1 s
        _contracts[app] = OpenAPI.from_dict(app.openapi())  # type: ignore[attr-defined]
    request = MockRequest(
        "http://testserver",
        response.request.method,
        response.request.url.path,
        args=dict(response.request.url.params),
    )
    answer = MockResponse(
        response.content,
        status_code=response.status_code,
        content_type=response.headers["content-type"],
    )
    _contracts[app].validate_response(request, answer)


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for path, operations in document["paths"].items():
        if path.startswith("/api/v1/"):
            for method in operations:
                yield method, path


def test_every_signed_in_operation_answers_401_without_a_session(client: TestClient) -> None:
    client.cookies.clear()
    document: dict[str, Any] = client.app.openapi()  # type: ignore[attr-defined]
    operations = list(_operations(document))
    assert len(operations) >= 40
    for method, path in operations:
        concrete = re.sub(r"\{(\w+)\}", lambda name: PATH_VALUES.get(name[1], "x"), path)
        assert "security" in document["paths"][path][method], path
        assert_documented(client, client.request(method, concrete), 401)


MISSING = [
    ("GET", "/api/v1/tracks/no-such-track"),
    ("GET", "/api/v1/artists/no-such-artist"),
    ("GET", "/api/v1/albums/no-such-album"),
    ("GET", "/api/v1/imports/no-such-import"),
    ("GET", f"/api/v1/exports/{NO_EXPORT}"),
    ("PUT", "/api/v1/exclusions/999999"),
    ("DELETE", "/api/v1/exclusions/999999"),
]


def test_refusals_are_documented_with_their_bodies(client: TestClient) -> None:
    """One test (one database) for the refusals of a signed-in user: 404, 403 and 422."""
    for method, path in MISSING:
        body = {"kind": "artist", "item_id": "a1"} if method == "PUT" else None
        assert_documented(client, client.request(method, path, json=body), 404)
    unknown = client.get("/api/v1/no-such-endpoint")  # no operation: the shape by hand
    assert unknown.status_code == 404
    assert ErrorDetail.model_validate(unknown.json()).detail.startswith("No API endpoint")
    assert_documented(client, client.get("/api/v1/compare/someone"), 403)
    for query in (
        {"from": "2024-05-02", "to": "2024-05-01"},  # checked by the API itself
        {"from": "01/05/2024"},  # checked by FastAPI
    ):
        assert_documented(client, client.get("/api/v1/summary", params=query), 422)
    created = client.post("/api/v1/imports", json={"file_name": "a.zip", "size_bytes": 10})
    assert created.status_code == 201, created.text
    empty = client.put(f"/api/v1/imports/{created.json()['import_id']}/file", content=b"")
    assert_documented(client, empty, 422)


def test_an_unreachable_database_is_a_documented_503(settings: Settings) -> None:
    gone = settings.model_copy(
        update={"database_url": "postgresql://moodify@/moodify?host=/nonexistent/socket"}
    )
    with TestClient(create_app(gone)) as client:
        assert_documented(client, client.get("/api/v1/summary"), 503)
