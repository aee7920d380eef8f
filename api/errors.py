"""The API's error answers and its security scheme, as its OpenAPI document declares them.

Every error but a validation error answers `{"detail": "..."}` (FastAPI's HTTPException, and
the 503 of an unreachable database); a 422 answers FastAPI's validation shape.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Security
from fastapi.params import Security as SecurityParam
from fastapi.security import APIKeyCookie
from pydantic import BaseModel

from etl.core.settings import Settings
from etl.spotify.sessions import session_cookie_name

ERROR_DETAIL_REF = "#/components/schemas/ErrorDetail"
VALIDATION_ERROR_REF = "#/components/schemas/HTTPValidationError"  # FastAPI's own


class ErrorDetail(BaseModel):
    """What went wrong, in a sentence."""

    detail: str


def error(description: str) -> dict[str, Any]:
    """A declared error answer: its description and its `ErrorDetail` body."""
    return {"model": ErrorDetail, "description": description}


SIGNED_IN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: error("Not signed in, or the session was signed out or has expired."),
    503: error("The database is unavailable."),
}


def session_security(settings: Settings) -> SecurityParam:
    """Declares the session cookie, under the name this app's sign-in sets, as the security
    scheme of an operation. `api.deps.current_user_id` checks the session and gives the 401
    (or, with sign-in off, none), hence no `auto_error`."""
    cookie = APIKeyCookie(
        name=session_cookie_name(settings),
        scheme_name="session",
        description="The session that signing in with Spotify at /auth/login sets.",
        auto_error=False,
    )
    security: SecurityParam = Security(cookie)
    return security


def declare_error_bodies(app: FastAPI) -> None:
    """Give every error answer a route declares by description alone the body it sends:
    FastAPI's validation shape for a 422 (`api.deps.invalid` builds it too), `ErrorDetail`
    for the others (403, 404, 409, 413...)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = build()
        for path in document["paths"].values():
            for operation in path.values():
                for status, answer in operation.get("responses", {}).items():
                    if status.startswith(("4", "5")) and "content" not in answer:
                        body = VALIDATION_ERROR_REF if status == "422" else ERROR_DETAIL_REF
                        answer["content"] = {"application/json": {"schema": {"$ref": body}}}
        return document

    app.openapi = openapi  # type: ignore[method-assign]
