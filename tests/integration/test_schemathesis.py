"""The API against its own OpenAPI document: schemathesis generates requests for every
operation, sent in-process by a signed-in user to a small warehouse, and checks that no
answer is a server error and that each answer's status, content type, headers and body are
ones the document declares.

Two operations are left out, because they end the fuzzing user itself, so that every
request after them would test the 401 alone: POST /api/v1/erasure/everything (its typed
confirmation is tested in test_api_erasure.py) and POST /auth/logout-everywhere (tested in
test_sign_out_everywhere.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from pydantic import SecretStr
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.generation.case import Case
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from etl.core.lake import LocalLake
from etl.core.settings import Settings
from etl.imports.importer import import_export
from etl.pipeline.context import PipelineContext
from etl.spotify.sessions import Session, SessionCodec, session_cookie_name
from etl.spotify.signin import record_sign_in
from tests.integration.test_erasure import DAYS, _records
from tests.integration.test_import_pipeline import write_history

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)
SECRET = "a-session-secret-for-these-tests-only"
EXAMPLES_PER_OPERATION = 12
EXCLUDED = r"^/api/v1/erasure/everything$|^/auth/logout-everywhere$"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def signed_in(settings: Settings, tmp_path: Path) -> Settings:
    """The demo user's history (two plays a day from 2024-04-01 to 2024-04-06), with
    sign-in on and the user signed in."""
    folder = tmp_path / "export"
    write_history(folder, "Streaming_History_Audio_2024_0.json", _records(DAYS))
    import_export(folder, PipelineContext.from_settings(settings, lambda: NOW), settings.user_id)
    return sign_in(settings)


def sign_in(settings: Settings) -> Settings:
    """The settings with sign-in on, and the user signed in at NOW."""
    connected = settings.model_copy(
        update={
            "spotify_client_id": "the-client-id",
            "session_secret": SecretStr(SECRET),
            "allowed_users": (settings.user_id,),
        }
    )
    record_sign_in(connected, LocalLake(connected.lake_dir), {"id": settings.user_id}, NOW)
    return connected


def test_every_operation_answers_as_documented(signed_in: Settings) -> None:
    user_id = signed_in.user_id
    sessions = SessionCodec(SECRET, lambda: NOW)
    cookie_name = session_cookie_name(signed_in)
    app = create_app(signed_in, clock=lambda: NOW)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).exclude(path_regex=EXCLUDED)
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result.err()  # an operation the document describes badly
        operations.append(result.ok())
    examples = 0
    failures: dict[str, str] = {}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case: Case[APIOperation[Any, Any, Any, Any]]) -> None:
            nonlocal examples
            examples += 1
            # A session of its own: POST /auth/logout ends the one it is sent with.
            session = sessions.issue(Session(user_id, (user_id,)))
            case.call_and_validate(
                headers={"Cookie": f"{cookie_name}={session}"},
                checks=CHECKS,
                allow_redirects=False,  # the redirects lead to Spotify, or to the dashboard
            )

        try:
            fuzz()
        except (Exception, BaseExceptionGroup) as failure:  # every operation's, reported together
            failures[operation.label] = str(failure)
    print(f"schemathesis: {len(operations)} operations, {examples} examples")
    assert len(operations) >= 40
    assert failures == {}, "\n\n".join(f"{label}: {text}" for label, text in failures.items())
