"""Spotify sign-in (/auth/*) behind the HTTP API, outside the VPC.

The sign-in app (`api.signin_app`: /auth/* and /healthz, none of the history's routes),
with the secrets it needs to sign sessions and exchange codes with Spotify; it is never
asked for a route that reads the database.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from mangum import Mangum
from mangum.types import LambdaContext

from api.signin_app import create_signin_app
from lambdas.secrets import settings_with_secrets


@cache
def app() -> Mangum:
    """Built on the first request and kept for the container's life."""
    return Mangum(create_signin_app(settings_with_secrets()), lifespan="off")


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app()(event, context)
