"""Spotify sign-in (/auth/*) behind the HTTP API, outside the VPC.

The same FastAPI app as the API function, with the secrets it needs to sign sessions and
exchange codes with Spotify; it is never asked for a route that reads the database.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from mangum import Mangum
from mangum.types import LambdaContext

from api.app import create_app
from lambdas.secrets import settings_with_secrets


@cache
def app() -> Mangum:
    """Built on the first request and kept for the container's life."""
    return Mangum(create_app(settings_with_secrets()), lifespan="off")


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app()(event, context)
