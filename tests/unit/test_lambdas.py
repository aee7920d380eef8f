"""The AWS handlers: thin shells that parse the event, call the core, shape the result."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import boto3
import pytest
from aws_lambda_powertools.utilities.parameters import base as parameters_base
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.response import StreamingBody
from botocore.stub import Stubber
from moto import mock_aws

from etl.context import PipelineContext
from etl.ingest import IngestReport, Spotify, UserIngest
from etl.warehouse.connection import ConnectionParams
from lambdas import ingest, migrate, migrate_trigger, pipeline_step

MASTER_PASSWORD = "correct-horse-battery-staple"


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
                sslmode="require",
            ),
            "moodify_app",
        )
    ]
    assert MASTER_PASSWORD not in capsys.readouterr().out


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


# --- ingest -------------------------------------------------------------------------------


def test_ingest_returns_the_report_and_publishes_its_counts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
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
    monkeypatch.setenv("MOODIFY_LAKE_BUCKET", "moodify-lake")
    monkeypatch.setenv("MOODIFY_TOKEN_PARAMETER_PREFIX", "/moodify/users")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")

    report = ingest.handler({}, CONTEXT)

    assert report == {
        "users": 2, "pages_written": 1, "outcomes": {"a": "ingested", "b": "skipped"}
    }  # fmt: skip
    assert seen[0].settings.lake_bucket == "moodify-lake"
    metrics = [json.loads(line) for line in capsys.readouterr().out.splitlines() if "_aws" in line]
    (emf,) = metrics
    assert (emf["pages_written"], emf["users"]) == ([1.0], [2.0])
    assert emf["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "Moodify"
