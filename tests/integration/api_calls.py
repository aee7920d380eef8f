"""Calling the API in tests: the JSON of a 200 answer, and what a 422 answer refuses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

# What the `start_app` fixture gives: call it (with a moment for the app's clock to read,
# or none for the system clock) for a started client of the app.
StartApp = Callable[..., TestClient]


def get_json(client: TestClient, path: str, **params: object) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def refusals(client: TestClient, path: str, **params: object) -> list[tuple[str, str]]:
    """The (field, message) of each error of a 422 answer; the field ends the error's `loc`."""
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    return [(error["loc"][-1], error["msg"]) for error in response.json()["detail"]]
