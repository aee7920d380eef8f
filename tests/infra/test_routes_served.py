"""The HTTP API sends each request to a function whose app serves it: every route of the
whole app (as `moodify serve` runs it) that a route of the stack reaches is served by the
app of the function that route targets, the sign-in app (`api.signin_app`) for /auth/*."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI

from api.app import create_app
from api.signin_app import create_signin_app
from etl.core.settings import Settings
from tests.infra.conftest import API_HANDLER, AUTH_HANDLER, Synthesized

APPS: dict[str, Callable[[Settings], FastAPI]] = {
    API_HANDLER: create_app,
    AUTH_HANDLER: create_signin_app,
}


def _served(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path template) of each operation in the app's OpenAPI document."""
    return {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }


def _reaches(route_key: str, method: str, path: str) -> bool:
    """Whether an HTTP API route key (`ANY /auth/{proxy+}`, `GET /healthz`) takes a request
    for an app's route; a greedy `{proxy+}` takes one or more path segments."""
    key_method, _, key_path = route_key.partition(" ")
    pattern = re.escape(key_path).replace(re.escape("{proxy+}"), ".+")
    return key_method in {"ANY", method} and re.fullmatch(pattern, path) is not None


def _handlers_by_route(synth: Synthesized) -> dict[str, str]:
    """Each route key of the HTTP API, with the handler of the function it targets."""
    integrations = synth.of_type("AWS::ApiGatewayV2::Integration")
    handlers = {}
    for route in synth.of_type("AWS::ApiGatewayV2::Route").values():
        properties = route["Properties"]
        (_, integration) = properties["Target"]["Fn::Join"][1]
        uri = integrations[integration["Ref"]]["Properties"]["IntegrationUri"]
        function = synth.resources[uri["Fn::GetAtt"][0]]
        handlers[properties["RouteKey"]] = function["Properties"]["Handler"]
    return handlers


def test_each_function_serves_every_route_the_http_api_sends_it(
    synth: Synthesized, tmp_path: Path
) -> None:
    settings = Settings(home=tmp_path / ".moodify")
    whole = _served(create_app(settings))
    by_handler = {handler: _served(build(settings)) for handler, build in APPS.items()}
    reached: dict[str, set[tuple[str, str]]] = {handler: set() for handler in APPS}
    for route_key, handler in _handlers_by_route(synth).items():
        for method, path in whole:
            if _reaches(route_key, method, path):
                assert (method, path) in by_handler[handler], (route_key, method, path)
                reached[handler].add((method, path))
    assert ("GET", "/healthz") in reached[API_HANDLER]
    assert ("GET", "/api/v1/summary") in reached[API_HANDLER]
    # Sign-in serves every /auth route of the whole app, and all of them are reached.
    signin_paths = {route for route in by_handler[AUTH_HANDLER] if route[1].startswith("/auth/")}
    assert reached[AUTH_HANDLER] == signin_paths
    assert {path for _, path in signin_paths} == {
        "/auth/login",
        "/auth/callback",
        "/auth/logout",
        "/auth/logout-everywhere",
    }
    # ... and none of the history's.
    assert not any(path.startswith("/api/") for _, path in by_handler[AUTH_HANDLER])
