"""What the HTTP API's authorizer checks besides a session: that CloudFront sent the request.

CloudFront adds a secret header to each request it forwards (`cdk_app.origin`); a caller
going around it, to the API's own endpoint, cannot. Every route has the authorizer: those
under /api/ also need a session, the others (sign-in, /healthz) only the header.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from pydantic import SecretStr

ORIGIN_SECRET_HEADER = "x-moodify-origin-secret"  # noqa: S105 (a header name)
_SESSION_ROUTES = "/api/"


def sent_by_cloudfront(headers: Mapping[str, str], origin_secret: SecretStr) -> bool:
    """Whether the request carries the origin secret (API Gateway lowercases header names)."""
    sent = headers.get(ORIGIN_SECRET_HEADER, "")
    # In constant time: a caller timing the answers learns nothing of the secret.
    return hmac.compare_digest(sent.encode(), origin_secret.get_secret_value().encode())


def needs_session(route_key: str) -> bool:
    """Whether the route (`ANY /api/{proxy+}`, as API Gateway names it) needs a session."""
    _, _, path = route_key.partition(" ")
    return path.startswith(_SESSION_ROUTES)
