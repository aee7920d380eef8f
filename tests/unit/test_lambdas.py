"""The AWS handlers: thin shells that parse the event, call the core, shape the result."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from aws_lambda_powertools.utilities import parameters
from aws_lambda_powertools.utilities.parameters import base as parameters_base
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.response import StreamingBody
from botocore.stub import Stubber
from moto import mock_aws

from api.gateway import ORIGIN_SECRET_HEADER
from etl.core.clock import Clock, system_clock
from etl.core.lake import Lake, S3Lake
from etl.core.state import StateStore, UserState
from etl.imports.importer import FileOutcome
from etl.imports.status import ImportStatus
from etl.pipeline.context import PipelineContext
from etl.spotify.ingest import IngestReport, Spotify, UserIngest
from etl.spotify.sessions import (
    LOGIN_COOKIE,
    SECURE_SESSION_COOKIE,
    SESSION_MAX_AGE_S,
    PendingLogin,
    Session,
    SessionCodec,
    sign_out,
)
from etl.spotify.tokens import SsmTokenStore
from etl.warehouse.connection import ConnectionParams
from lambdas import (
    auth,
    authorizer,
    ingest,
    migrate,
    migrate_trigger,
    pipeline_step,
    secrets,
    unpack,
)

MASTER_PASSWORD = "correct-horse-battery-staple"
CLIENT_SECRET = "0123456789abcdef0123456789abcdef"
SESSION_SECRET = "s3ss10n-s1gn1ng-s3cr3t-that-n0b0dy-sh0uld-s33-1n-a-l0g"
ORIGIN_SECRET = "0r1g1n-s3cr3t-only-cl0udfr0nt-s3nds"


@dataclass
class FakeContext:
    function_name: str = "moodify-test"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:eu-west-1:123456789012:function:moodify-test"
    aws_request_id: str = "5f7a3c5e-0000-4000-8000-000000000000"


CONTEXT = cast(LambdaContext, FakeContext())


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }.items():
        monkeypatch.setenv(name, value)
    # Powertools keeps its Secrets Manager provider (and cache) between invocations.
    monkeypatch.setattr(parameters_base, "DEFAULT_PROVIDERS", {})
    with mock_aws():
        yield


@pytest.fixture(autouse=True)
def fresh_containers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test is a cold start: nothing cached from another test's environment."""
    for variable in secrets.SECRET_ARN_VARIABLES.values():
        monkeypatch.delenv(variable, raising=False)
    cached = (
        secrets.settings_with_secrets,
        authorizer.sessions,
        authorizer.state,
        authorizer.origin_secret,
        auth.app,
        unpack.lake,
    )
    for function in cached:
        function.cache_clear()
    yield
    for function in cached:
        function.cache_clear()


@pytest.fixture
def spotify_secrets(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stack's secrets, with their ARNs in the environment as the stack sets them, and
    the allowlist."""
    monkeypatch.setenv("MOODIFY_ALLOWED_USERS", "alice,bob")
    client = boto3.client("secretsmanager")
    for variable, value in [
        ("MOODIFY_SPOTIFY_CLIENT_SECRET_ARN", CLIENT_SECRET),
        ("MOODIFY_SESSION_SECRET_ARN", SESSION_SECRET),
        ("MOODIFY_ORIGIN_SECRET_ARN", ORIGIN_SECRET),
    ]:
        arn = client.create_secret(Name=variable.lower(), SecretString=value)["ARN"]
        monkeypatch.setenv(variable, arn)


# --- migrate_trigger --------------------------------------------------------------------


class JsonOf:
    """Equal to bytes holding this JSON document, whatever the key order."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def __eq__(self, other: object) -> bool:
        return isinstance(other, bytes) and json.loads(other) == self.document

    __hash__ = None  # type: ignore[assignment]


def _payload(document: dict[str, Any]) -> StreamingBody:
    body = json.dumps(document).encode()
    return StreamingBody(io.BytesIO(body), len(body))


@pytest.fixture
def secret_arn(aws: None) -> str:
    secret = boto3.client("secretsmanager").create_secret(
        Name="moodify-master",
        SecretString=json.dumps(
            {"username": "moodify_admin", "password": MASTER_PASSWORD, "engine": "postgres"}
        ),
    )
    return secret["ARN"]


@pytest.fixture
def lambda_stub(monkeypatch: pytest.MonkeyPatch, aws: None) -> Iterator[Stubber]:
    monkeypatch.setenv("MIGRATOR_FUNCTION_NAME", "moodify-migrator")
    client = boto3.client("lambda")
    monkeypatch.setattr(migrate_trigger, "lambda_client", lambda: client)
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def _event(request_type: str, secret_arn: str) -> dict[str, Any]:
    return {
        "RequestType": request_type,
        "PhysicalResourceId": "moodify-warehouse-migrations",
        "ResourceProperties": {
            "ServiceToken": "arn:aws:lambda:eu-west-1:123456789012:function:framework",
            "SecretArn": secret_arn,
            "Host": "moodify.abc.eu-west-1.rds.amazonaws.com",
            "Port": "5432",
            "DatabaseName": "moodify",
            "AppUser": "moodify_app",
            "MigrationsHash": "0" * 64,
        },
    }


@pytest.mark.parametrize("request_type", ["Create", "Update"])
def test_trigger_invokes_the_migrator_with_the_master_credentials(
    request_type: str,
    secret_arn: str,
    lambda_stub: Stubber,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lambda_stub.add_response(
        "invoke",
        {"StatusCode": 200, "Payload": _payload({"applied": ["0001", "0002"]})},
        expected_params={
            "FunctionName": "moodify-migrator",
            "Payload": JsonOf(
                {
                    "host": "moodify.abc.eu-west-1.rds.amazonaws.com",
                    "port": 5432,
                    "dbname": "moodify",
                    "username": "moodify_admin",
                    "password": MASTER_PASSWORD,
                    "app_user": "moodify_app",
                }
            ),
        },
    )
    result = migrate_trigger.handler(_event(request_type, secret_arn), CONTEXT)
    assert result == {
        "PhysicalResourceId": "moodify-warehouse-migrations",
        "Data": {"Applied": "0001,0002"},
    }
    assert MASTER_PASSWORD not in capsys.readouterr().out


def test_trigger_does_nothing_on_delete(lambda_stub: Stubber, aws: None) -> None:
    # No secret exists and no invoke is stubbed: either call would fail the test.
    event = _event("Delete", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:gone")
    assert migrate_trigger.handler(event, CONTEXT) == {
        "PhysicalResourceId": "moodify-warehouse-migrations"
    }


def test_trigger_fails_the_deploy_when_the_migrator_fails(
    secret_arn: str, lambda_stub: Stubber
) -> None:
    lambda_stub.add_response(
        "invoke",
        {
            "StatusCode": 200,
            "FunctionError": "Unhandled",
            "Payload": _payload(
                {"errorType": "OperationalError", "errorMessage": "could not connect to server"}
            ),
        },
    )
    with pytest.raises(RuntimeError, match="could not connect to server"):
        migrate_trigger.handler(_event("Update", secret_arn), CONTEXT)


# --- migrate ----------------------------------------------------------------------------


def test_migrator_applies_migrations_over_tls_as_the_given_user(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[tuple[ConnectionParams, str]] = []

    def migrate_database(params: ConnectionParams, app_user: str) -> list[str]:
        calls.append((params, app_user))
        return ["0001"]

    monkeypatch.setattr(migrate, "migrate_database", migrate_database)
    event = {
        "host": "db.internal",
        "port": 5432,
        "dbname": "moodify",
        "username": "moodify_admin",
        "password": MASTER_PASSWORD,
        "app_user": "moodify_app",
    }
    assert migrate.handler(event, CONTEXT) == {"applied": ["0001"]}
    assert calls == [
        (
            ConnectionParams(
                host="db.internal",
                port=5432,
                dbname="moodify",
                user="moodify_admin",
                password=MASTER_PASSWORD,
                connect_timeout_s=3,  # Settings.db_connect_timeout_s, the one default
                sslmode="require",
            ),
            "moodify_app",
        )
    ]
    assert MASTER_PASSWORD not in capsys.readouterr().out


# --- secrets ------------------------------------------------------------------------------


def test_settings_carry_the_secrets_named_by_the_environment(spotify_secrets: None) -> None:
    settings = secrets.settings_with_secrets()
    assert settings.spotify_client_secret is not None
    assert settings.spotify_client_secret.get_secret_value() == CLIENT_SECRET
    assert settings.session_secret is not None
    assert settings.session_secret.get_secret_value() == SESSION_SECRET
    assert secrets.settings_with_secrets() is settings  # once per container


def test_only_secrets_whose_arn_is_set_are_fetched(
    spotify_secrets: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MOODIFY_SESSION_SECRET_ARN")
    monkeypatch.setenv("MOODIFY_LAKE_BUCKET", "moodify-lake")
    settings = secrets.settings_with_secrets()
    assert settings.session_secret is None
    assert settings.spotify_client_secret is not None
    assert settings.lake_bucket == "moodify-lake"  # the rest comes from the environment


def test_without_secret_arns_nothing_is_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    def get_secret(name: str) -> str:
        raise AssertionError(f"fetched {name}")

    monkeypatch.setattr(parameters, "get_secret", get_secret)
    settings = secrets.settings_with_secrets()
    assert (settings.spotify_client_secret, settings.session_secret) == (None, None)


def test_secret_values_are_never_printed_or_logged(
    spotify_secrets: None, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    settings = secrets.settings_with_secrets()
    printed = f"{settings!r} {settings} {settings.model_dump()}"
    for value in (CLIENT_SECRET, SESSION_SECRET, ORIGIN_SECRET):
        assert value not in printed
        assert value not in capsys.readouterr().out + caplog.text


# --- authorizer -----------------------------------------------------------------------------


@pytest.fixture
def signed_up(spotify_secrets: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Alice and Bob have signed in: the lake holds their sign-in state, which the
    authorizer reads (a session counts only while it does)."""
    boto3.client("s3").create_bucket(
        Bucket="moodify-lake", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    monkeypatch.setenv("MOODIFY_LAKE_BUCKET", "moodify-lake")
    for user_id in ("alice", "bob"):
        StateStore(S3Lake("moodify-lake")).put_user(UserState(user_id))


def _authorizer_event(
    cookies: list[str] | None,
    *,
    origin_secret: str | None = ORIGIN_SECRET,
    route_key: str = "ANY /api/{proxy+}",
    path: str = "/api/v1/me",
) -> dict[str, Any]:
    """An HTTP API (payload 2.0) Lambda authorizer request, sent through CloudFront unless
    `origin_secret` is None; `cookies` absent when None."""
    headers = {"host": "abc123.execute-api.eu-west-1.amazonaws.com"}
    if origin_secret is not None:
        headers[ORIGIN_SECRET_HEADER] = origin_secret
    event: dict[str, Any] = {
        "version": "2.0",
        "type": "REQUEST",
        "routeArn": f"arn:aws:execute-api:eu-west-1:123456789012:abc123/$default/GET{path}",
        "identitySource": [v for v in ("; ".join(cookies or []), origin_secret) if v],
        "routeKey": route_key,
        "rawPath": path,
        "headers": headers,
        "requestContext": {"http": {"method": "GET", "path": path}},
    }
    if cookies is not None:
        event["cookies"] = cookies
    return event


def _session(user_id: str, secret: str = SESSION_SECRET, clock: Clock = system_clock) -> str:
    cookie = SessionCodec(secret, clock).issue(Session(user_id, (user_id,)))
    return f"{SECURE_SESSION_COOKIE}={cookie}"


def test_a_valid_session_is_authorized_with_its_user(signed_up: None) -> None:
    assert authorizer.handler(_authorizer_event([_session("alice")]), CONTEXT) == {
        "isAuthorized": True,
        "context": {"user_id": "alice"},
    }


def test_a_session_of_a_user_taken_off_the_allowlist_is_refused(
    signed_up: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOODIFY_ALLOWED_USERS", "bob")
    assert authorizer.handler(_authorizer_event([_session("alice")]), CONTEXT) == {
        "isAuthorized": False
    }


def test_the_session_is_found_among_other_cookies(signed_up: None) -> None:
    event = _authorizer_event(["theme=dark", _session("bob"), f"{LOGIN_COOKIE}=pending"])
    assert authorizer.handler(event, CONTEXT)["context"] == {"user_id": "bob"}


@pytest.mark.parametrize(
    "cookies",
    [None, [], ["theme=dark"], ["__Host-moodify_session="], ["__Host-moodify_session"]],
    ids=["no-cookies-key", "empty", "other-cookies-only", "empty-value", "no-value"],
)
def test_a_request_without_a_session_is_refused(signed_up: None, cookies: list[str] | None) -> None:
    assert authorizer.handler(_authorizer_event(cookies), CONTEXT) == {"isAuthorized": False}


def test_a_forged_session_is_refused(signed_up: None) -> None:
    genuine = _session("alice")
    login = SessionCodec(SESSION_SECRET, system_clock).issue_login(
        PendingLogin("state", "verifier")
    )
    for cookie in [
        _session("alice", secret="someone-elses-secret"),  # signed with another key
        genuine.replace("__Host-moodify_session=", "__Host-moodify_session=x"),  # tampered with
        f"__Host-moodify_session={login}",  # a login in progress, not a session
        "__Host-moodify_session=alice",  # not signed at all
    ]:
        assert authorizer.handler(_authorizer_event([cookie]), CONTEXT) == {
            "isAuthorized": False
        }, cookie


def test_the_authorizer_reads_only_the_host_prefixed_cookie(signed_up: None) -> None:
    """AWS is reached over HTTPS only: a plain-named cookie, which any subdomain or plain-HTTP
    page could have planted, is not a session there."""
    plain = _session("alice").removeprefix("__Host-")
    assert authorizer.handler(_authorizer_event([plain]), CONTEXT) == {"isAuthorized": False}


def test_the_authorizer_refuses_a_signed_out_session_and_its_copies(signed_up: None) -> None:
    kept, signed_out = _session("alice"), _session("alice")
    session = SessionCodec(SESSION_SECRET, system_clock).session(signed_out.partition("=")[2])
    assert session is not None
    sign_out(StateStore(S3Lake("moodify-lake")), session)
    assert authorizer.handler(_authorizer_event([signed_out]), CONTEXT) == {"isAuthorized": False}
    assert authorizer.handler(_authorizer_event([kept]), CONTEXT)["isAuthorized"]


def test_an_expired_session_is_refused(signed_up: None) -> None:
    issued_at = system_clock() - timedelta(seconds=SESSION_MAX_AGE_S + 60)
    expired = _session("alice", clock=lambda: issued_at)
    assert authorizer.handler(_authorizer_event([expired]), CONTEXT) == {"isAuthorized": False}


def test_the_authorizer_never_logs_the_secret_or_the_cookie(
    signed_up: None, capsys: pytest.CaptureFixture[str]
) -> None:
    cookie = _session("alice")
    authorizer.handler(_authorizer_event([cookie]), CONTEXT)
    authorizer.handler(_authorizer_event(["__Host-moodify_session=forged"]), CONTEXT)
    authorizer.handler(_authorizer_event([cookie], origin_secret="a-guess"), CONTEXT)
    output = capsys.readouterr().out
    assert SESSION_SECRET not in output
    assert ORIGIN_SECRET not in output
    assert cookie.partition("=")[2] not in output


@pytest.mark.parametrize(
    "origin_secret",
    [None, "", "a-guess", ORIGIN_SECRET[:-1], ORIGIN_SECRET + "x", ORIGIN_SECRET.upper()],
)
def test_a_request_cloudfront_did_not_send_is_refused_even_with_a_valid_session(
    signed_up: None, origin_secret: str | None
) -> None:
    """Straight to the API's own endpoint, around CloudFront: no origin secret, or a wrong
    one, and even a valid session does not get in."""
    event = _authorizer_event([_session("alice")], origin_secret=origin_secret)
    assert authorizer.handler(event, CONTEXT) == {"isAuthorized": False}


@pytest.mark.parametrize(
    ("route_key", "path"),
    [("ANY /auth/{proxy+}", "/auth/login"), ("GET /healthz", "/healthz")],
)
def test_sign_in_and_healthz_need_no_session_but_do_need_cloudfront(
    signed_up: None, route_key: str, path: str
) -> None:
    through = _authorizer_event(None, route_key=route_key, path=path)
    assert authorizer.handler(through, CONTEXT) == {"isAuthorized": True}
    around = _authorizer_event(None, origin_secret=None, route_key=route_key, path=path)
    assert authorizer.handler(around, CONTEXT) == {"isAuthorized": False}


def test_without_the_origin_secret_configured_the_authorizer_fails_closed(
    signed_up: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stack that forgot the grant: every request fails (an error, 500), none gets in."""
    monkeypatch.delenv("MOODIFY_ORIGIN_SECRET_ARN")
    with pytest.raises(RuntimeError, match="MOODIFY_ORIGIN_SECRET_ARN"):
        authorizer.handler(_authorizer_event([_session("alice")]), CONTEXT)


# --- auth -----------------------------------------------------------------------------------


def test_sign_in_starts_with_the_redirect_uri_of_the_viewers_host(
    spotify_secrets: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOODIFY_SPOTIFY_CLIENT_ID", "the-client-id")
    monkeypatch.setenv("MOODIFY_LAKE_BUCKET", "moodify-lake")
    monkeypatch.setenv("MOODIFY_REDIRECT_FROM_HOST_HEADER", "x-moodify-host")
    event = {
        "version": "2.0",
        "routeKey": "ANY /auth/{proxy+}",
        "rawPath": "/auth/login",
        "rawQueryString": "",
        "headers": {
            "host": "abc123.execute-api.eu-west-1.amazonaws.com",
            "x-moodify-host": "d111111abcdef8.cloudfront.net",
        },
        "requestContext": {
            "http": {
                "method": "GET",
                "path": "/auth/login",
                "protocol": "HTTP/1.1",
                "sourceIp": "192.0.2.1",
                "userAgent": "pytest",
            },
            "routeKey": "ANY /auth/{proxy+}",
            "stage": "$default",
        },
        "isBase64Encoded": False,
    }
    response = auth.handler(event, CONTEXT)
    assert response["statusCode"] == 302
    location = urlsplit(response["headers"]["location"])
    query = parse_qs(location.query)
    assert query["client_id"] == ["the-client-id"]
    assert query["redirect_uri"] == ["https://d111111abcdef8.cloudfront.net/auth/callback"]
    (login_cookie,) = response["cookies"]
    assert login_cookie.startswith(f"{LOGIN_COOKIE}=")
    assert "Secure" in login_cookie
    assert auth.app() is auth.app()  # the app is built once per container


# --- pipeline_step ------------------------------------------------------------------------


def test_step_handler_runs_the_configured_step_on_the_lake_bucket(
    monkeypatch: pytest.MonkeyPatch, aws: None
) -> None:
    calls: list[tuple[str, dict[str, Any], PipelineContext]] = []

    def run_step(name: str, state: dict[str, Any], ctx: PipelineContext) -> dict[str, Any]:
        calls.append((name, state, ctx))
        return {**state, "inserted": 3}

    monkeypatch.setattr(pipeline_step, "run_step", run_step)
    monkeypatch.setenv("MOODIFY_STEP", "load")
    monkeypatch.setenv("MOODIFY_LAKE_BUCKET", "moodify-lake")
    state = {"raw_key": "raw/api/user=me/2026/01/01/page.json", "curated_key": "curated/x.csv"}

    assert pipeline_step.handler(state, CONTEXT) == {**state, "inserted": 3}
    ((name, passed, ctx),) = calls
    assert (name, passed) == ("load", state)
    assert ctx.settings.lake_bucket == "moodify-lake"
    assert ctx.settings.spotify_client_secret is None  # no ARN, no secret


def test_internet_steps_get_the_client_secret(
    monkeypatch: pytest.MonkeyPatch, spotify_secrets: None
) -> None:
    contexts: list[PipelineContext] = []

    def run_step(name: str, state: dict[str, Any], ctx: PipelineContext) -> dict[str, Any]:
        contexts.append(ctx)
        return state

    monkeypatch.setattr(pipeline_step, "run_step", run_step)
    monkeypatch.delenv("MOODIFY_SESSION_SECRET_ARN")  # the stack gives enrich only this one
    monkeypatch.setenv("MOODIFY_STEP", "enrich")
    monkeypatch.setenv("MOODIFY_LAKE_BUCKET", "moodify-lake")
    pipeline_step.handler({"raw_key": "raw/x.json"}, CONTEXT)
    (ctx,) = contexts
    assert ctx.settings.spotify_client_secret is not None
    assert ctx.settings.spotify_client_secret.get_secret_value() == CLIENT_SECRET


# --- ingest -------------------------------------------------------------------------------


def test_ingest_returns_the_report_and_publishes_its_counts(
    monkeypatch: pytest.MonkeyPatch, spotify_secrets: None, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[Spotify] = []

    def ingest_connected_users(spotify: Spotify) -> IngestReport:
        seen.append(spotify)
        return IngestReport(
            [
                UserIngest("a", "ingested", raw_key="raw/api/user=a/x.json"),
                UserIngest("b", "skipped"),
            ]
        )

    monkeypatch.setattr(ingest, "ingest_connected_users", ingest_connected_users)
    monkeypatch.delenv("MOODIFY_SESSION_SECRET_ARN")  # the stack gives ingest only the other
    monkeypatch.setenv("MOODIFY_LAKE_BUCKET", "moodify-lake")
    monkeypatch.setenv("MOODIFY_SPOTIFY_CLIENT_ID", "the-client-id")
    monkeypatch.setenv("MOODIFY_TOKEN_PARAMETER_PREFIX", "/moodify/users")

    report = ingest.handler({}, CONTEXT)

    assert report == {
        "users": 2, "pages_written": 1, "outcomes": {"a": "ingested", "b": "skipped"}
    }  # fmt: skip
    (spotify,) = seen
    assert spotify.settings.lake_bucket == "moodify-lake"
    assert spotify.settings.spotify_client_id == "the-client-id"
    assert spotify.settings.spotify_client_secret is not None
    assert spotify.settings.spotify_client_secret.get_secret_value() == CLIENT_SECRET
    assert isinstance(spotify.tokens, SsmTokenStore)  # refresh tokens from SSM
    output = capsys.readouterr().out
    assert CLIENT_SECRET not in output
    metrics = [json.loads(line) for line in output.splitlines() if "_aws" in line]
    (emf,) = metrics
    assert (emf["pages_written"], emf["users"]) == ([1.0], [2.0])
    assert emf["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "Moodify"
    assert (emf["IngestDue"], emf["IngestSucceeded"]) == ([1.0], [1.0])


@pytest.mark.parametrize(
    ("outcomes", "due_and_succeeded"),
    [
        (["no_new_plays", "failed"], (1.0, 1.0)),  # Spotify answered for one of them
        (["failed", "cooling_down", "sign_in_again"], (1.0, 0.0)),
        ([], None),  # nobody signed in: no run was due, so the alarm sees no data
    ],
)
def test_ingest_reports_whether_a_due_run_succeeded(
    monkeypatch: pytest.MonkeyPatch,
    spotify_secrets: None,
    capsys: pytest.CaptureFixture[str],
    outcomes: list[str],
    due_and_succeeded: tuple[float, float] | None,
) -> None:
    report = IngestReport([UserIngest(f"user{i}", outcome) for i, outcome in enumerate(outcomes)])
    monkeypatch.setattr(ingest, "ingest_connected_users", lambda spotify: report)
    monkeypatch.delenv("MOODIFY_SESSION_SECRET_ARN")
    monkeypatch.setenv("MOODIFY_LAKE_BUCKET", "moodify-lake")
    monkeypatch.setenv("MOODIFY_SPOTIFY_CLIENT_ID", "the-client-id")

    ingest.handler({}, CONTEXT)

    (emf,) = [json.loads(line) for line in capsys.readouterr().out.splitlines() if "_aws" in line]
    if due_and_succeeded is None:
        assert "IngestDue" not in emf
        assert "IngestSucceeded" not in emf
    else:
        assert (emf["IngestDue"][0], emf["IngestSucceeded"][0]) == due_and_succeeded


# --- unpack ---------------------------------------------------------------------------------

IMPORT_ID = "0b0e8a4e-5d2c-4c52-9a51-7f0f6b1c2d3e"
UPLOAD_KEY = f"uploads/user=alice/{IMPORT_ID}/my_spotify_data.zip"


def test_unpack_handler_unpacks_the_events_key_in_the_lake_bucket(
    monkeypatch: pytest.MonkeyPatch, aws: None, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[tuple[Lake, str, Path]] = []

    def unpack_upload(lake: Lake, upload_key: str, work_dir: Path, clock: Clock) -> ImportStatus:
        assert clock is system_clock  # a handler is an edge: it hands the core the wall clock
        calls.append((lake, upload_key, work_dir))
        files = [
            FileOutcome("Streaming_History_Audio_2024_0.json", "imported", raw_key="raw/x"),
            FileOutcome("Streaming_History_Audio_2024_1.json", "quarantined", "not JSON"),
        ]
        at = datetime(2026, 11, 20, tzinfo=UTC)
        return ImportStatus(IMPORT_ID, "processing", files, 1, "Unpacked", at)

    monkeypatch.setattr(unpack, "unpack_upload", unpack_upload)
    monkeypatch.setenv("MOODIFY_LAKE_BUCKET", "moodify-lake")
    encoded = UPLOAD_KEY.replace("=", "%3D")  # as the Object Created event may spell it

    result = unpack.handler({"upload_key": encoded}, CONTEXT)

    ((lake, key, work_dir),) = calls
    assert isinstance(lake, S3Lake)
    assert lake.bucket == "moodify-lake"
    assert key == encoded  # decoded by the core, as RawKey.parse decodes raw keys
    assert work_dir == Path(tempfile.gettempdir())  # the function's ephemeral storage
    assert result["status"] == "processing"
    assert result["files"][1] == {
        "name": "Streaming_History_Audio_2024_1.json",
        "status": "quarantined",
        "reason": "not JSON",
    }
    (emf,) = [json.loads(line) for line in capsys.readouterr().out.splitlines() if "_aws" in line]
    assert (emf["upload_files_imported"], emf["upload_files_quarantined"]) == ([1.0], [1.0])
    assert unpack.lake() is lake  # one client per container


def test_unpack_handler_leaves_objects_that_are_no_import_alone(
    monkeypatch: pytest.MonkeyPatch, aws: None
) -> None:
    def unpack_upload(*args: Any) -> ImportStatus:
        raise AssertionError("unpacked")

    monkeypatch.setattr(unpack, "unpack_upload", unpack_upload)
    monkeypatch.setenv("MOODIFY_LAKE_BUCKET", "moodify-lake")
    key = "uploads/someone-put-this-here-by-hand.zip"
    assert unpack.handler({"upload_key": key}, CONTEXT) == {"ignored": key}


def test_unpack_handler_stages_an_uploaded_zip_under_raw(
    monkeypatch: pytest.MonkeyPatch, aws: None
) -> None:
    client = boto3.client("s3")
    client.create_bucket(
        Bucket="moodify-lake", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Streaming_History_Audio_2024_0.json", "[]")
    client.put_object(Bucket="moodify-lake", Key=UPLOAD_KEY, Body=buffer.getvalue())
    monkeypatch.setenv("MOODIFY_LAKE_BUCKET", "moodify-lake")

    result = unpack.handler({"upload_key": UPLOAD_KEY.replace("=", "%3D")}, CONTEXT)

    assert result["status"] == "processing"
    listed = client.list_objects_v2(Bucket="moodify-lake", Prefix="raw/export/user=alice/")
    (raw,) = listed["Contents"]
    assert raw["Key"].endswith("/Streaming_History_Audio_2024_0.json")
    status = client.get_object(
        Bucket="moodify-lake", Key=f"state/imports/user=alice/{IMPORT_ID}.json"
    )
    assert json.loads(status["Body"].read())["status"] == "processing"
