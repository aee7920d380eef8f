"""MoodifyStack's template: every resource and property the design depends on."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from aws_cdk.assertions import Match

from api.gateway import ORIGIN_SECRET_HEADER
from cdk_app.bundling import tree_digest
from cdk_app.exports import EXPORT_REQUESTS
from cdk_app.migrations import MIGRATIONS_DIR
from cdk_app.nag import logical_id
from cdk_app.site import COPY_HOST, PUBLIC_HOST_HEADER
from etl.core.keys import PREFIXES
from etl.pipeline.order import STEP_NAMES, STEPS
from tests.infra.conftest import (
    API_HANDLER,
    AUTH_HANDLER,
    AUTHORIZER_HANDLER,
    EXPORT_HANDLER,
    INGEST_HANDLER,
    MIGRATE_HANDLER,
    TRIGGER_HANDLER,
    UNPACK_HANDLER,
    Synthesized,
)

DATABASE_STEPS = [step.name for step in STEPS if step.needs_database]
OTHER_STEPS = [step.name for step in STEPS if not step.needs_database]
IN_VPC = [*DATABASE_STEPS, API_HANDLER, MIGRATE_HANDLER, EXPORT_HANDLER]
INTERNET_STEPS = [step for step in STEPS if step.needs_internet]
OUTSIDE_VPC = [*OTHER_STEPS, INGEST_HANDLER, TRIGGER_HANDLER, AUTH_HANDLER, AUTHORIZER_HANDLER]
OUTSIDE_VPC += [UNPACK_HANDLER]
CONNECT_AS_APP_USER = [*DATABASE_STEPS, API_HANDLER, EXPORT_HANDLER]
OURS = [*IN_VPC, *OUTSIDE_VPC]

LAKE_WRITE = (
    "s3:PutObject",
    "s3:PutObjectLegalHold",
    "s3:PutObjectRetention",
    "s3:PutObjectTagging",
    "s3:PutObjectVersionTagging",
    "s3:Abort*",
)
SECRET_READ = ("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret")
TOKENS = "arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/moodify/users"
Grant = tuple[tuple[str, ...], set[str]]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def lake_paths(synth: Synthesized, resources: Any) -> set[str]:
    """The lake object patterns among IAM resources: `raw/*` for `<lake ARN>/raw/*`."""
    lake = {"Fn::GetAtt": [logical_id(synth.stack.lake.bucket), "Arn"]}
    paths = set()
    for resource in as_list(resources):
        parts = resource.get("Fn::Join", ["", []])[1] if isinstance(resource, dict) else []
        if len(parts) == 2 and parts[0] == lake:
            paths.add(parts[1].removeprefix("/"))
    return paths


def s3_paths(synth: Synthesized, function: str, action: str) -> set[str]:
    """The lake paths on which `function` is allowed `action`."""
    return {
        path
        for statement in synth.statements_of_function(synth.function(function))
        if action in as_list(statement["Action"])
        for path in lake_paths(synth, statement["Resource"])
    }


def render(value: Any) -> str:
    """An IAM resource as text: `<Id>` for a Ref, `<Id.Attribute>` for a GetAtt."""
    if isinstance(value, str):
        return value
    if "Ref" in value:
        return f"<{value['Ref']}>"
    if "Fn::GetAtt" in value:
        return "<{}.{}>".format(*value["Fn::GetAtt"])
    separator, parts = value["Fn::Join"]
    return str(separator).join(render(part) for part in parts)


def grants(synth: Synthesized, key: str) -> dict[str, set[str]]:
    """Every action the function may take, its own logs aside, with its resources."""
    found: dict[str, set[str]] = {}
    for statement in synth.statements_of_function(synth.function(key)):
        assert statement["Effect"] == "Allow"
        resources = {render(r) for r in as_list(statement["Resource"])}
        if "Condition" in statement:
            # The one condition granted: listing the lake under some prefixes only.
            assert list(statement["Condition"]) == ["StringLike"]
            (prefixes,) = statement["Condition"]["StringLike"].values()
            resources = {f"{r} listing {p}" for r in resources for p in as_list(prefixes)}
        for action in as_list(statement["Action"]):
            if not action.startswith("logs:"):
                found.setdefault(action, set()).update(resources)
    return found


def allowed(*pairs: Grant) -> dict[str, set[str]]:
    """(actions, resources) pairs, merged into the shape that `grants` returns."""
    found: dict[str, set[str]] = {}
    for actions, resources in pairs:
        for action in actions:
            found.setdefault(action, set()).update(resources)
    return found


def lake_arn(synth: Synthesized, path: str = "") -> str:
    return f"<{logical_id(synth.stack.lake.bucket)}.Arn>{path}"


def lake_reads(synth: Synthesized, *prefixes: str) -> tuple[Grant, Grant]:
    """GetObject under `prefixes` (or key patterns), ListBucket listing only under them."""
    patterns = [p if "*" in p else f"{p}*" for p in prefixes]
    return (
        (("s3:GetObject",), {lake_arn(synth, f"/{p}") for p in patterns}),
        (
            ("s3:ListBucket",),
            {f"{lake_arn(synth)} listing {p.split('*', 1)[0]}*" for p in patterns},
        ),
    )


def lake_writes(synth: Synthesized, *prefixes: str) -> Grant:
    return LAKE_WRITE, {lake_arn(synth, f"/{p}*") for p in prefixes}


def secret_reads(*secrets: Any) -> Grant:
    return SECRET_READ, {f"<{logical_id(secret)}>" for secret in secrets}


def variables(synth: Synthesized, key: str) -> dict[str, Any]:
    """The function's environment, without the Powertools settings every function has."""
    found = synth.resources[synth.function(key)]["Properties"]["Environment"]["Variables"]
    return {k: v for k, v in found.items() if not k.startswith("POWERTOOLS_")}


def state_machine_definition(synth: Synthesized) -> dict[str, Any]:
    """The definition, with each function ARN replaced by the function's logical ID."""
    (machine,) = synth.of_type("AWS::StepFunctions::StateMachine").values()
    parts = machine["Properties"]["DefinitionString"]["Fn::Join"][1]
    text = "".join(part if isinstance(part, str) else part["Fn::GetAtt"][0] for part in parts)
    definition: dict[str, Any] = json.loads(text)
    return definition


# --- Lake -----------------------------------------------------------------------------


def test_lake_bucket_is_encrypted_private_retained_and_sends_events(synth: Synthesized) -> None:
    lake = synth.resources[logical_id(synth.stack.lake.bucket)]
    assert lake["DeletionPolicy"] == "Retain"
    properties = lake["Properties"]
    assert properties["BucketEncryption"]["ServerSideEncryptionConfiguration"] == [
        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
    ]
    assert properties["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert properties["NotificationConfiguration"] == {
        "EventBridgeConfiguration": {"EventBridgeEnabled": True}
    }


@pytest.mark.parametrize("bucket", ["lake", "site"])
def test_buckets_refuse_requests_without_tls(synth: Synthesized, bucket: str) -> None:
    construct = synth.stack.lake.bucket if bucket == "lake" else synth.stack.site.bucket
    synth.template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": logical_id(construct)},
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Action": "s3:*",
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        )
                    ]
                )
            },
        },
    )


# --- Network --------------------------------------------------------------------------


def test_no_nat_gateway_no_internet_gateway_no_interface_endpoint(synth: Synthesized) -> None:
    synth.template.resource_count_is("AWS::EC2::NatGateway", 0)
    synth.template.resource_count_is("AWS::EC2::InternetGateway", 0)
    synth.template.resource_count_is("AWS::EC2::EIP", 0)
    endpoints = synth.of_type("AWS::EC2::VPCEndpoint").values()
    assert [e["Properties"]["VpcEndpointType"] for e in endpoints] == ["Gateway"]
    (endpoint,) = endpoints
    assert endpoint["Properties"]["ServiceName"]["Fn::Join"][1][-1] == ".s3"


def test_subnets_are_isolated_in_two_azs(synth: Synthesized) -> None:
    subnets = synth.of_type("AWS::EC2::Subnet").values()
    assert len(subnets) == 2
    for subnet in subnets:
        properties = subnet["Properties"]
        assert properties["MapPublicIpOnLaunch"] is False
        assert {"Key": "aws-cdk:subnet-type", "Value": "Isolated"} in properties["Tags"]
    zones = {json.dumps(s["Properties"]["AvailabilityZone"]) for s in subnets}
    assert len(zones) == 2
    # No route anywhere but the VPC itself and the S3 endpoint's prefix list.
    synth.template.resource_count_is("AWS::EC2::Route", 0)


def test_database_accepts_connections_only_from_the_functions(synth: Synthesized) -> None:
    functions_group = logical_id(synth.stack.network.functions_security_group)
    (rule,) = synth.of_type("AWS::EC2::SecurityGroupIngress").values()
    assert rule["Properties"]["SourceSecurityGroupId"] == {
        "Fn::GetAtt": [functions_group, "GroupId"]
    }
    database = logical_id(synth.stack.database.instance)
    assert rule["Properties"]["FromPort"] == {"Fn::GetAtt": [database, "Endpoint.Port"]}
    assert rule["Properties"]["ToPort"] == {"Fn::GetAtt": [database, "Endpoint.Port"]}
    for group in synth.of_type("AWS::EC2::SecurityGroup").values():
        assert "SecurityGroupIngress" not in group["Properties"]


# --- Database -------------------------------------------------------------------------


def test_database_is_a_small_encrypted_postgres_16_with_iam_auth(synth: Synthesized) -> None:
    assert synth.resources[logical_id(synth.stack.database.instance)]["DeletionPolicy"] == (
        "Snapshot"
    )
    synth.template.resource_count_is("AWS::RDS::DBInstance", 1)
    synth.template.has_resource_properties(
        "AWS::RDS::DBInstance",
        {
            "Engine": "postgres",
            "EngineVersion": Match.string_like_regexp(r"^16(\.|$)"),
            "DBInstanceClass": "db.t4g.micro",
            "AllocatedStorage": "20",
            "StorageType": "gp3",
            "MultiAZ": False,
            "StorageEncrypted": True,
            "EnableIAMDatabaseAuthentication": True,
            "PubliclyAccessible": False,
            "DBName": "moodify",
            "MasterUsername": "moodify_admin",
            "BackupRetentionPeriod": 7,
        },
    )
    synth.template.has_resource_properties(
        "AWS::SecretsManager::Secret",
        {
            "GenerateSecretString": Match.object_like(
                {"SecretStringTemplate": '{"username":"moodify_admin"}'}
            )
        },
    )


# --- Migrations -----------------------------------------------------------------------


def test_migrations_custom_resource_reruns_when_a_migration_changes(synth: Synthesized) -> None:
    (resource,) = synth.of_type("Custom::MoodifyMigrations").values()
    properties = resource["Properties"]
    database = logical_id(synth.stack.database.instance)
    assert properties["MigrationsHash"] == tree_digest(MIGRATIONS_DIR)
    assert properties["Host"] == {"Fn::GetAtt": [database, "Endpoint.Address"]}
    assert properties["DatabaseName"] == "moodify"
    assert properties["AppUser"] == "moodify_app"
    assert "Ref" in properties["SecretArn"]
    framework = properties["ServiceToken"]["Fn::GetAtt"][0]
    variables = synth.resources[framework]["Properties"]["Environment"]["Variables"]
    trigger = synth.function(TRIGGER_HANDLER)
    assert variables["USER_ON_EVENT_FUNCTION_ARN"] == {"Fn::GetAtt": [trigger, "Arn"]}


def test_migrations_wait_until_the_database_admits_the_functions(synth: Synthesized) -> None:
    (resource,) = synth.of_type("Custom::MoodifyMigrations").values()
    (ingress,) = synth.of_type("AWS::EC2::SecurityGroupIngress")
    assert ingress in resource["DependsOn"]


def test_trigger_reads_the_secret_and_invokes_the_migrator(synth: Synthesized) -> None:
    trigger = synth.function(TRIGGER_HANDLER)
    migrator = synth.function(MIGRATE_HANDLER)
    variables = synth.resources[trigger]["Properties"]["Environment"]["Variables"]
    assert variables["MIGRATOR_FUNCTION_NAME"] == {"Ref": migrator}
    statements = synth.statements_of_function(trigger)
    invoke = [s for s in statements if "lambda:InvokeFunction" in as_list(s["Action"])]
    assert {"Fn::GetAtt": [migrator, "Arn"]} in invoke[0]["Resource"]
    assert any("secretsmanager:GetSecretValue" in as_list(s["Action"]) for s in statements)
    # The migrator itself holds no secret and no other grant than its logs and network.
    migrator_actions = {
        action for s in synth.statements_of_function(migrator) for action in as_list(s["Action"])
    }
    assert not {a for a in migrator_actions if a.startswith(("secretsmanager:", "s3:"))}


# --- Functions ------------------------------------------------------------------------


def test_every_function_of_ours_is_python_313_on_arm64(synth: Synthesized) -> None:
    for key in OURS:
        properties = synth.resources[synth.function(key)]["Properties"]
        assert properties["Runtime"] == "python3.13", key
        assert properties["Architectures"] == ["arm64"], key


def test_functions_log_to_groups_that_expire(synth: Synthesized) -> None:
    checked = 0
    for logical, function in synth.of_type("AWS::Lambda::Function").items():
        if logical.startswith("CustomVpcRestrictDefaultSG"):
            continue  # CDK's own provider for the default security group takes no log group
        group = function["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        assert synth.resources[group]["Properties"]["RetentionInDays"] == 30, logical
        checked += 1
    # + API, sign-in, authorizer, ingest, migrator, trigger, framework, deployment, unpack,
    # export
    assert checked == len(STEPS) + 10


@pytest.mark.parametrize("key", IN_VPC)
def test_database_functions_run_in_the_isolated_subnets(synth: Synthesized, key: str) -> None:
    config = synth.resources[synth.function(key)]["Properties"]["VpcConfig"]
    group = logical_id(synth.stack.network.functions_security_group)
    assert config["SecurityGroupIds"] == [{"Fn::GetAtt": [group, "GroupId"]}]
    subnets = {ref["Ref"] for ref in config["SubnetIds"]}
    assert subnets == set(synth.of_type("AWS::EC2::Subnet"))


@pytest.mark.parametrize("key", OUTSIDE_VPC)
def test_internet_functions_run_outside_the_vpc(synth: Synthesized, key: str) -> None:
    assert "VpcConfig" not in synth.resources[synth.function(key)]["Properties"]


@pytest.mark.parametrize("key", CONNECT_AS_APP_USER)
def test_database_functions_connect_as_the_app_user_with_iam(synth: Synthesized, key: str) -> None:
    function = synth.function(key)
    variables = synth.resources[function]["Properties"]["Environment"]["Variables"]
    database = logical_id(synth.stack.database.instance)
    assert variables["MOODIFY_DB_HOST"] == {"Fn::GetAtt": [database, "Endpoint.Address"]}
    assert variables["MOODIFY_DB_PORT"] == {"Fn::GetAtt": [database, "Endpoint.Port"]}
    assert variables["MOODIFY_DB_NAME"] == "moodify"
    assert variables["MOODIFY_DB_USER"] == "moodify_app"
    assert variables["MOODIFY_DB_IAM_AUTH"] == "true"
    (connect,) = [
        s for s in synth.statements_of_function(function) if s["Action"] == "rds-db:connect"
    ]
    arn = connect["Resource"]["Fn::Join"][1]
    assert arn[-2:] == [{"Fn::GetAtt": [database, "DbiResourceId"]}, "/moodify_app"]


@pytest.mark.parametrize("key", [key for key in OURS if key not in CONNECT_AS_APP_USER])
def test_other_functions_cannot_connect_to_the_database(synth: Synthesized, key: str) -> None:
    statements = synth.statements_of_function(synth.function(key))
    assert not [s for s in statements if "rds-db:connect" in as_list(s["Action"])]


# --- Ingest ---------------------------------------------------------------------------


def test_ingest_runs_hourly(synth: Synthesized) -> None:
    (schedule,) = synth.of_type("AWS::Scheduler::Schedule").values()
    assert schedule["Properties"]["ScheduleExpression"] == "rate(1 hour)"
    assert schedule["Properties"]["State"] == "ENABLED"
    target = schedule["Properties"]["Target"]
    assert target["Arn"] == {"Fn::GetAtt": [synth.function(INGEST_HANDLER), "Arn"]}


def test_ingest_is_short_and_never_waits_out_a_cool_down(synth: Synthesized) -> None:
    assert synth.resources[synth.function(INGEST_HANDLER)]["Properties"]["Timeout"] <= 120


def test_ingest_has_exactly_its_grants(synth: Synthesized) -> None:
    spotify = synth.stack.spotify
    assert grants(synth, INGEST_HANDLER) == allowed(
        secret_reads(spotify.client_secret),
        (
            (
                "ssm:GetParameter",
                "ssm:PutParameter",
                "ssm:DeleteParameter",
                "ssm:GetParametersByPath",
            ),
            {f"{TOKENS}/*"},
        ),
        (("ssm:GetParametersByPath",), {TOKENS}),  # listing the users: the path itself
        *lake_reads(synth, "state/"),
        lake_writes(synth, "raw/", "state/"),
    )
    assert variables(synth, INGEST_HANDLER) == {
        "MOODIFY_LAKE_BUCKET": {"Ref": logical_id(synth.stack.lake.bucket)},
        "MOODIFY_SPOTIFY_CLIENT_ID": {"Ref": "SpotifyClientId"},
        "MOODIFY_SPOTIFY_CLIENT_SECRET_ARN": {"Ref": logical_id(spotify.client_secret)},
        "MOODIFY_TOKEN_PARAMETER_PREFIX": "/moodify/users",
        "MOODIFY_ALLOWED_USERS": {"Ref": "AllowedSpotifyUsers"},
    }


# --- ETL ------------------------------------------------------------------------------


def test_state_machine_runs_the_steps_in_pipeline_order(synth: Synthesized) -> None:
    definition = state_machine_definition(synth)
    order, name = [], definition["StartAt"]
    while True:
        order.append(name)
        state = definition["States"][name]
        if state.get("End"):
            break
        name = state["Next"]
    assert order == list(STEP_NAMES)
    for step in STEP_NAMES:
        # Each state invokes the function of the step of the same name.
        assert definition["States"][step]["Resource"] == synth.function(step)


@pytest.mark.parametrize("step", STEP_NAMES)
def test_every_step_retries_with_backoff_then_fails_the_execution(
    synth: Synthesized, step: str
) -> None:
    definition = state_machine_definition(synth)
    state = definition["States"][step]
    throttled, retry = state["Retry"]
    assert "States.TaskFailed" in retry["ErrorEquals"]
    assert retry["BackoffRate"] == 2
    assert retry["MaxAttempts"] == 3
    assert retry["JitterStrategy"] == "FULL"
    # A throttled step (2 at a time where they load) waits its turn far longer than a
    # failed one is retried: an export's files start their executions all at once.
    assert throttled["ErrorEquals"] == ["Lambda.TooManyRequestsException"]
    assert throttled["JitterStrategy"] == "FULL"
    delays = [
        min(
            throttled["IntervalSeconds"] * throttled["BackoffRate"] ** n,
            throttled["MaxDelaySeconds"],
        )
        for n in range(throttled["MaxAttempts"])
    ]
    assert sum(delays) / 2 >= 15 * 60  # the mean wait under full jitter, at least
    assert max(delays) <= 120
    (catch,) = state["Catch"]
    assert catch["ErrorEquals"] == ["States.ALL"]
    assert definition["States"][catch["Next"]]["Type"] == "Fail"
    assert catch["Next"] == "ETL failed"


def test_state_machine_logs_traces_and_times_out(synth: Synthesized) -> None:
    (machine,) = synth.of_type("AWS::StepFunctions::StateMachine").values()
    properties = machine["Properties"]
    assert properties["LoggingConfiguration"]["Level"] == "ALL"
    group = properties["LoggingConfiguration"]["Destinations"][0]["CloudWatchLogsLogGroup"]
    log_group = group["LogGroupArn"]["Fn::GetAtt"][0]
    assert synth.resources[log_group]["Properties"]["RetentionInDays"] == 30
    assert properties["TracingConfiguration"] == {"Enabled": True}
    assert state_machine_definition(synth)["TimeoutSeconds"] > 0


def objects_created_under(synth: Synthesized, prefix: str) -> dict[str, Any]:
    return {
        "source": ["aws.s3"],
        "detail-type": ["Object Created"],
        "detail": {
            "bucket": {"name": [{"Ref": logical_id(synth.stack.lake.bucket)}]},
            "object": {"key": [{"prefix": prefix}]},
        },
    }


def rule_for_prefix(synth: Synthesized, prefix: str) -> dict[str, Any]:
    """The one EventBridge rule for objects created under `prefix`."""
    (rule,) = [
        rule
        for rule in synth.of_type("AWS::Events::Rule").values()
        if rule["Properties"]["EventPattern"]["detail"]["object"]["key"] == [{"prefix": prefix}]
    ]
    return rule


def input_of(target: dict[str, Any]) -> dict[str, str]:
    """A target's input, with the event's object key written as "<key>"."""
    transformer = target["InputTransformer"]
    template = transformer["InputTemplate"]
    for name, path in transformer["InputPathsMap"].items():
        template = template.replace(f"<{name}>", json.dumps(f"<{path}>"))
    found: dict[str, str] = json.loads(template)
    return found


def test_new_raw_objects_start_the_pipeline_with_their_key(synth: Synthesized) -> None:
    # raw/, uploads/ and export requests (test_exports_stack.py)
    assert len(synth.of_type("AWS::Events::Rule")) == 3
    rule = rule_for_prefix(synth, "raw/")
    assert rule["Properties"]["EventPattern"] == objects_created_under(synth, "raw/")
    (target,) = rule["Properties"]["Targets"]
    assert target["Arn"] == {"Ref": logical_id(synth.stack.etl.state_machine)}
    assert input_of(target) == {"raw_key": "<$.detail.object.key>"}


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.name)
def test_steps_touch_only_their_lake_prefixes(synth: Synthesized, step: Any) -> None:
    assert s3_paths(synth, step.name, "s3:GetObject") == {f"{p}*" for p in step.reads}
    assert s3_paths(synth, step.name, "s3:PutObject") == {f"{p}*" for p in step.writes}
    variables = synth.resources[synth.function(step.name)]["Properties"]["Environment"]
    assert variables["Variables"]["MOODIFY_LAKE_BUCKET"] == {
        "Ref": logical_id(synth.stack.lake.bucket)
    }


@pytest.mark.parametrize("step", INTERNET_STEPS, ids=lambda step: step.name)
def test_internet_steps_call_spotify_as_the_app(synth: Synthesized, step: Any) -> None:
    spotify = synth.stack.spotify
    assert grants(synth, step.name) == allowed(
        secret_reads(spotify.client_secret),
        *lake_reads(synth, *step.reads),
        lake_writes(synth, *step.writes),
    )
    assert (
        variables(synth, step.name).items()
        >= {
            "MOODIFY_SPOTIFY_CLIENT_ID": {"Ref": "SpotifyClientId"},
            "MOODIFY_SPOTIFY_CLIENT_SECRET_ARN": {"Ref": logical_id(spotify.client_secret)},
        }.items()
    )


def test_enrich_keeps_budgets_and_cool_downs_in_state_with_both_providers(
    synth: Synthesized,
) -> None:
    granted = grants(synth, "enrich")
    assert lake_arn(synth, "/state/*") in granted["s3:GetObject"]
    assert lake_arn(synth, "/state/*") in granted["s3:PutObject"]
    assert variables(synth, "enrich")["MOODIFY_FEATURE_PROVIDERS"] == "spotify,reccobeats"


# --- API ------------------------------------------------------------------------------


def routes(synth: Synthesized) -> dict[str, dict[str, Any]]:
    return {
        route["Properties"]["RouteKey"]: route["Properties"]
        for route in synth.of_type("AWS::ApiGatewayV2::Route").values()
    }


def test_http_api_routes_to_the_api_and_sign_in_on_the_default_stage(
    synth: Synthesized,
) -> None:
    synth.template.has_resource_properties("AWS::ApiGatewayV2::Api", {"ProtocolType": "HTTP"})
    synth.template.has_resource_properties(
        "AWS::ApiGatewayV2::Stage",
        {"StageName": "$default", "AutoDeploy": True, "AccessLogSettings": Match.any_value()},
    )
    integrations = synth.of_type("AWS::ApiGatewayV2::Integration")
    targets = {}
    for key, route in routes(synth).items():
        (prefix, integration) = route["Target"]["Fn::Join"][1]
        assert prefix == "integrations/"
        properties = integrations[integration["Ref"]]["Properties"]
        assert properties["PayloadFormatVersion"] == "2.0"
        targets[key] = properties["IntegrationUri"]["Fn::GetAtt"][0]
    assert targets == {
        "ANY /api/{proxy+}": synth.function(API_HANDLER),
        "GET /healthz": synth.function(API_HANDLER),
        "ANY /auth/{proxy+}": synth.function(AUTH_HANDLER),
    }


def test_every_route_has_the_authorizer_and_only_api_routes_need_a_session(
    synth: Synthesized,
) -> None:
    """One function stands before every route: /api/* asks it with the session cookie and
    CloudFront's origin secret, sign-in and /healthz with the origin secret alone."""
    by_source = {
        tuple(a["Properties"]["IdentitySource"]): (logical, a["Properties"])
        for logical, a in synth.of_type("AWS::ApiGatewayV2::Authorizer").items()
    }
    origin = f"$request.header.{ORIGIN_SECRET_HEADER}"
    assert set(by_source) == {("$request.header.cookie", origin), (origin,)}
    session_id, _ = by_source["$request.header.cookie", origin]
    origin_id, _ = by_source[(origin,)]
    by_key = routes(synth)
    assert {key: (r["AuthorizationType"], r["AuthorizerId"]) for key, r in by_key.items()} == {
        "ANY /api/{proxy+}": ("CUSTOM", {"Ref": session_id}),
        "GET /healthz": ("CUSTOM", {"Ref": origin_id}),
        "ANY /auth/{proxy+}": ("CUSTOM", {"Ref": origin_id}),
    }
    for _, properties in by_source.values():
        assert properties["AuthorizerType"] == "REQUEST"
        assert properties["AuthorizerPayloadFormatVersion"] == "2.0"
        assert properties["EnableSimpleResponses"] is True
        assert 0 <= properties["AuthorizerResultTtlInSeconds"] <= 300
        uri = properties["AuthorizerUri"]["Fn::Join"][1]
        assert {"Fn::GetAtt": [synth.function(AUTHORIZER_HANDLER), "Arn"]} in uri


def test_api_function_reads_the_lake_signs_uploads_and_holds_no_secret(
    synth: Synthesized,
) -> None:
    granted = grants(synth, API_HANDLER)
    assert {a: r for a, r in granted.items() if a.startswith("s3:")} == allowed(
        # sign-in state and cool-downs; an import's status document and its files' fate
        *lake_reads(synth, "state/", "curated/", "quarantine/"),
        # a presigned POST acts with the signer's permissions; a new import's status; a
        # new time zone in the user's state
        lake_writes(synth, "uploads/", "state/imports/", "state/users/"),
        # a plays export's request, its status, and the presigned GET of its file
        *lake_reads(synth, "exports/"),
        (LAKE_WRITE, {lake_arn(synth, f"/{EXPORT_REQUESTS}")}),
        # erasure: a range's tombstone; a user's objects, every version, under every prefix
        lake_writes(synth, "tombstones/"),
        (
            ("s3:ListBucket", "s3:ListBucketVersions"),
            {f"{lake_arn(synth)} listing {prefix}*" for prefix in PREFIXES},
        ),
        (
            ("s3:DeleteObject", "s3:DeleteObjectVersion"),
            {lake_arn(synth, f"/{prefix}*") for prefix in PREFIXES},
        ),
    )
    assert not [a for a in granted if a.startswith(("secretsmanager:", "ssm:"))]
    assert (
        variables(synth, API_HANDLER).items()
        >= {
            "MOODIFY_LAKE_BUCKET": {"Ref": logical_id(synth.stack.lake.bucket)},
            "MOODIFY_SPOTIFY_CLIENT_ID": {"Ref": "SpotifyClientId"},
        }.items()
    )
    assert not [name for name in variables(synth, API_HANDLER) if name.endswith("_ARN")]


# --- Imports --------------------------------------------------------------------------


def test_unpack_has_room_for_a_large_export(synth: Synthesized) -> None:
    properties = synth.resources[synth.function(UNPACK_HANDLER)]["Properties"]
    assert properties["MemorySize"] == 1024
    assert properties["EphemeralStorage"] == {"Size": 1024}  # a ~300 MB zip in /tmp
    assert properties["Timeout"] == 300


def test_unpack_reads_uploads_and_writes_raw_quarantine_and_state_only(
    synth: Synthesized,
) -> None:
    assert grants(synth, UNPACK_HANDLER) == allowed(
        *lake_reads(synth, "uploads/"),
        lake_writes(synth, "raw/", "quarantine/", "state/"),
    )
    assert variables(synth, UNPACK_HANDLER) == {
        "MOODIFY_LAKE_BUCKET": {"Ref": logical_id(synth.stack.lake.bucket)}
    }


def test_only_the_api_puts_and_only_the_unpack_reads_uploads(synth: Synthesized) -> None:
    def touching(action: str) -> set[str]:
        return {key for key in OURS if "uploads/*" in s3_paths(synth, key, action)}

    assert touching("s3:PutObject") == {API_HANDLER}
    assert touching("s3:GetObject") == {UNPACK_HANDLER}


def test_new_uploads_start_the_unpack_with_their_key(synth: Synthesized) -> None:
    rule = rule_for_prefix(synth, "uploads/")
    assert rule["Properties"]["EventPattern"] == objects_created_under(synth, "uploads/")
    (target,) = rule["Properties"]["Targets"]
    unpack = synth.function(UNPACK_HANDLER)
    assert target["Arn"] == {"Fn::GetAtt": [unpack, "Arn"]}
    assert input_of(target) == {"upload_key": "<$.detail.object.key>"}
    assert target["RetryPolicy"] == {"MaximumEventAgeInSeconds": 3600, "MaximumRetryAttempts": 2}
    rule_id = next(k for k, v in synth.of_type("AWS::Events::Rule").items() if v is rule)
    synth.template.has_resource_properties(
        "AWS::Lambda::Permission",
        {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Fn::GetAtt": [unpack, "Arn"]},
            "Principal": "events.amazonaws.com",
            "SourceArn": {"Fn::GetAtt": [rule_id, "Arn"]},
        },
    )


def test_uploads_expire_after_a_week_and_other_objects_are_kept(synth: Synthesized) -> None:
    lake = synth.resources[logical_id(synth.stack.lake.bucket)]["Properties"]
    rules = lake["LifecycleConfiguration"]["Rules"]
    (uploads,) = [rule for rule in rules if rule.get("Prefix") == "uploads/"]
    assert uploads == {
        "Id": "ExpireUploads",
        "Prefix": "uploads/",
        "ExpirationInDays": 7,
        "NoncurrentVersionExpiration": {"NoncurrentDays": 1},
        "Status": "Enabled",
    }
    # Nothing else in the lake expires but exports (test_exports_stack.py); only old
    # versions of derived objects do.
    for rule in rules:
        assert rule.get("Prefix") in {"uploads/", "exports/"} or "ExpirationInDays" not in rule


def test_the_lake_takes_cross_origin_posts_from_the_site_only(synth: Synthesized) -> None:
    lake = synth.resources[logical_id(synth.stack.lake.bucket)]["Properties"]
    domain = {"Fn::GetAtt": [logical_id(synth.stack.site.distribution), "DomainName"]}
    assert lake["CorsConfiguration"] == {
        "CorsRules": [
            {
                "AllowedMethods": ["POST"],
                "AllowedOrigins": [{"Fn::Join": ["", ["https://", domain]]}],
                "AllowedHeaders": ["*"],
                "MaxAge": 3000,
            }
        ]
    }


def references(value: Any) -> set[str]:
    """The logical IDs a resource's JSON refers to (Ref, Fn::GetAtt, Fn::Sub)."""
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= references(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "Ref":
                found.add(item)
            elif key == "Fn::GetAtt":
                found.add(item[0] if isinstance(item, list) else item.split(".")[0])
            elif key == "Fn::Sub":
                text = item[0] if isinstance(item, list) else item
                found |= {name.split(".")[0] for name in re.findall(r"\$\{([^}!]+)\}", text)}
                found |= references(item[1] if isinstance(item, list) else [])
            else:
                found |= references(item)
    return found


def test_no_dependency_cycle(synth: Synthesized) -> None:
    """CloudFormation refuses a cyclic template at deploy time; `Template` does not check.
    The lake's CORS rule names the distribution, so this guards that choice."""
    graph = {
        logical: (references(resource) | set(as_list(resource.get("DependsOn", []))))
        & synth.resources.keys()
        for logical, resource in synth.resources.items()
    }
    done: set[str] = set()

    def visit(node: str, path: tuple[str, ...]) -> None:
        assert node not in path, " -> ".join((*path[path.index(node) :], node))
        if node not in done:
            for child in graph[node]:
                visit(child, (*path, node))
            done.add(node)

    for node in graph:
        visit(node, ())


# --- Spotify app and sign-in ---------------------------------------------------------


def test_spotify_app_is_three_parameters_without_defaults(synth: Synthesized) -> None:
    parameters = synth.template.to_json()["Parameters"]
    for name in ("SpotifyClientId", "SpotifyClientSecret", "AllowedSpotifyUsers"):
        assert parameters[name]["Type"] == "String", name
        assert len(parameters[name]["Description"]) > 40, name
        assert "Default" not in parameters[name], name  # a deploy must say
    assert parameters["SpotifyClientSecret"]["NoEcho"] is True
    assert parameters["SpotifyClientId"]["NoEcho"] is False


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("alice", True),
        ("alice,bob", True),
        ("alice, bob,carol", True),
        ("", False),
        ("alice,,bob", False),
        ("alice,", False),
    ],
)
def test_allowed_users_is_a_comma_separated_list_of_at_least_one(
    synth: Synthesized, value: str, accepted: bool
) -> None:
    pattern = synth.template.to_json()["Parameters"]["AllowedSpotifyUsers"]["AllowedPattern"]
    assert bool(re.fullmatch(pattern, value)) is accepted


def test_client_secret_is_kept_from_its_parameter_and_the_session_secret_generated(
    synth: Synthesized,
) -> None:
    spotify = synth.stack.spotify
    # + the database's and CloudFront's origin secret (test_doors)
    synth.template.resource_count_is("AWS::SecretsManager::Secret", 4)
    client = synth.resources[logical_id(spotify.client_secret)]["Properties"]
    assert client["SecretString"] == {"Ref": "SpotifyClientSecret"}
    # The secret parameter goes into the secret and nowhere else (no function's env).
    assert json.dumps(synth.template.to_json()).count('{"Ref": "SpotifyClientSecret"}') == 1
    session = synth.resources[logical_id(spotify.session_secret)]["Properties"]
    assert session["GenerateSecretString"]["PasswordLength"] >= 32
    assert "SecretString" not in session


@pytest.mark.parametrize(
    ("secret", "variable", "readers"),
    [
        (
            "client_secret",
            "MOODIFY_SPOTIFY_CLIENT_SECRET_ARN",
            {AUTH_HANDLER, INGEST_HANDLER, *(step.name for step in INTERNET_STEPS)},
        ),
        ("session_secret", "MOODIFY_SESSION_SECRET_ARN", {AUTH_HANDLER, AUTHORIZER_HANDLER}),
    ],
)
def test_each_secret_is_read_only_by_the_functions_that_need_it(
    synth: Synthesized, secret: str, variable: str, readers: set[str]
) -> None:
    reference = f"<{logical_id(getattr(synth.stack.spotify, secret))}>"
    found = {
        key
        for key in OURS
        if reference in grants(synth, key).get("secretsmanager:GetSecretValue", set())
    }
    assert found == readers
    assert {key for key in OURS if variable in variables(synth, key)} == readers


def test_only_sign_in_and_ingest_may_touch_refresh_tokens(synth: Synthesized) -> None:
    roles = {
        role["Ref"]
        for policy in synth.of_type("AWS::IAM::Policy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if any(action.startswith("ssm:") for action in as_list(statement["Action"]))
        for role in policy["Properties"]["Roles"]
    }

    def role(key: str) -> str:
        return str(synth.resources[synth.function(key)]["Properties"]["Role"]["Fn::GetAtt"][0])

    assert roles == {role(AUTH_HANDLER), role(INGEST_HANDLER)}


def test_sign_in_runs_outside_the_vpc_with_exactly_its_grants(synth: Synthesized) -> None:
    spotify = synth.stack.spotify
    granted = grants(synth, AUTH_HANDLER)
    assert granted == allowed(
        secret_reads(spotify.client_secret, spotify.session_secret),
        (("ssm:GetParameter", "ssm:PutParameter"), {f"{TOKENS}/*"}),
        *lake_reads(synth, "state/"),  # sign-in state, cool-downs
        lake_writes(synth, "raw/", "state/"),  # the profile and the first page
    )
    assert "rds-db:connect" not in granted
    assert variables(synth, AUTH_HANDLER) == {
        "MOODIFY_LAKE_BUCKET": {"Ref": logical_id(synth.stack.lake.bucket)},
        "MOODIFY_SPOTIFY_CLIENT_ID": {"Ref": "SpotifyClientId"},
        "MOODIFY_SPOTIFY_CLIENT_SECRET_ARN": {"Ref": logical_id(spotify.client_secret)},
        "MOODIFY_SESSION_SECRET_ARN": {"Ref": logical_id(spotify.session_secret)},
        "MOODIFY_ALLOWED_USERS": {"Ref": "AllowedSpotifyUsers"},
        "MOODIFY_TOKEN_PARAMETER_PREFIX": "/moodify/users",
        "MOODIFY_REDIRECT_FROM_HOST_HEADER": PUBLIC_HOST_HEADER,
    }
    # Behind API Gateway, which stops waiting at 30 s.
    assert synth.resources[synth.function(AUTH_HANDLER)]["Properties"]["Timeout"] < 30


def test_authorizer_reads_only_the_session_and_origin_secrets(synth: Synthesized) -> None:
    spotify, origin = synth.stack.spotify, synth.stack.origin
    assert grants(synth, AUTHORIZER_HANDLER) == allowed(
        secret_reads(spotify.session_secret, origin.secret),
        *lake_reads(synth, "state/users/"),  # since when sessions count; none once deleted
    )
    assert variables(synth, AUTHORIZER_HANDLER) == {
        "MOODIFY_SESSION_SECRET_ARN": {"Ref": logical_id(spotify.session_secret)},
        "MOODIFY_ORIGIN_SECRET_ARN": {"Ref": logical_id(origin.secret)},
        "MOODIFY_ALLOWED_USERS": {"Ref": "AllowedSpotifyUsers"},  # checked on every request
        "MOODIFY_LAKE_BUCKET": {"Ref": logical_id(synth.stack.lake.bucket)},
    }


# --- Site -----------------------------------------------------------------------------


def test_cloudfront_serves_the_private_site_bucket_through_oac(synth: Synthesized) -> None:
    site_bucket = logical_id(synth.stack.site.bucket)
    assert synth.resources[site_bucket]["Properties"]["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    synth.template.has_resource_properties(
        "AWS::CloudFront::OriginAccessControl",
        {
            "OriginAccessControlConfig": Match.object_like(
                {"OriginAccessControlOriginType": "s3", "SigningBehavior": "always"}
            )
        },
    )
    config = synth.resources[logical_id(synth.stack.site.distribution)]["Properties"]
    config = config["DistributionConfig"]
    origins = {origin["Id"]: origin for origin in config["Origins"]}
    default = config["DefaultCacheBehavior"]
    s3_origin = origins[default["TargetOriginId"]]
    assert s3_origin["DomainName"] == {"Fn::GetAtt": [site_bucket, "RegionalDomainName"]}
    assert "OriginAccessControlId" in s3_origin
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"
    (association,) = default["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"
    # Only CloudFront, for this distribution, may read the site bucket.
    synth.template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": site_bucket},
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Action": "s3:GetObject",
                                "Principal": {"Service": "cloudfront.amazonaws.com"},
                                "Condition": {"StringEquals": {"AWS:SourceArn": Match.any_value()}},
                            }
                        )
                    ]
                )
            },
        },
    )


def cache_behaviors(synth: Synthesized) -> dict[str, dict[str, Any]]:
    config = synth.resources[logical_id(synth.stack.site.distribution)]["Properties"]
    behaviors = config["DistributionConfig"]["CacheBehaviors"]
    return {behavior["PathPattern"]: behavior for behavior in behaviors}


@pytest.mark.parametrize("path", ["/api/*", "/auth/*"])
def test_api_and_auth_paths_go_uncached_to_the_http_api(synth: Synthesized, path: str) -> None:
    behaviors = cache_behaviors(synth)
    assert set(behaviors) == {"/api/*", "/auth/*"}
    behavior = behaviors[path]
    assert set(behavior["AllowedMethods"]) == {
        "GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"
    }  # fmt: skip
    assert behavior["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # CachingDisabled
    # AllViewerExceptHostHeader: every cookie and query string; API Gateway routes on its
    # own host name.
    assert behavior["OriginRequestPolicyId"] == "b689b0a8-53d0-40ab-baf2-68738e2966ac"
    assert behavior["ViewerProtocolPolicy"] == "redirect-to-https"
    config = synth.resources[logical_id(synth.stack.site.distribution)]["Properties"]
    origins = config["DistributionConfig"]["Origins"]
    (origin,) = [o for o in origins if o["Id"] == behavior["TargetOriginId"]]
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    host = origin["DomainName"]["Fn::Join"][1]
    assert host[:2] == [{"Ref": logical_id(synth.stack.api.http_api)}, ".execute-api."]


def test_auth_paths_pass_the_viewer_host_to_sign_in(synth: Synthesized) -> None:
    behaviors = cache_behaviors(synth)
    assert "FunctionAssociations" not in behaviors["/api/*"]
    (association,) = behaviors["/auth/*"]["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"
    function = synth.resources[association["FunctionARN"]["Fn::GetAtt"][0]]
    assert function["Properties"]["FunctionCode"] == COPY_HOST
    assert f"'{PUBLIC_HOST_HEADER}'" in COPY_HOST
    auth = variables(synth, AUTH_HANDLER)
    assert auth["MOODIFY_REDIRECT_FROM_HOST_HEADER"] == PUBLIC_HOST_HEADER
    # No CloudFront domain in the function's settings: that would be a dependency cycle.
    distribution = logical_id(synth.stack.site.distribution)
    assert distribution not in json.dumps(synth.resources[synth.function(AUTH_HANDLER)])


def test_one_deployment_uploads_the_site_and_invalidates_the_cache(synth: Synthesized) -> None:
    (deployment,) = synth.of_type("Custom::CDKBucketDeployment").values()
    properties = deployment["Properties"]
    assert properties["DestinationBucketName"] == {"Ref": logical_id(synth.stack.site.bucket)}
    assert properties["DistributionId"] == {"Ref": logical_id(synth.stack.site.distribution)}
    assert properties["Prune"] is True
    assert len(properties["SourceObjectKeys"]) == 1
    assert "DestinationBucketKeyPrefix" not in properties


def test_outputs_the_site_url_and_the_spotify_redirect_uri(synth: Synthesized) -> None:
    domain = {"Fn::GetAtt": [logical_id(synth.stack.site.distribution), "DomainName"]}
    synth.template.has_output("SiteUrl", {"Value": {"Fn::Join": ["", ["https://", domain]]}})
    synth.template.has_output(
        "SpotifyRedirectUri",
        {"Value": {"Fn::Join": ["", ["https://", domain, "/auth/callback"]]}},
    )
    synth.template.has_output("LakeBucketName", {"Value": {"Ref": Match.any_value()}})
    next_steps = render(synth.template.find_outputs("NextSteps")["NextSteps"]["Value"])
    redirect_uri = f"https://<{domain['Fn::GetAtt'][0]}.DomainName>/auth/callback"
    assert redirect_uri in next_steps
    assert "AllowedSpotifyUsers" in next_steps


def test_stack_is_environment_agnostic(synth: Synthesized) -> None:
    text = json.dumps(synth.template.to_json())
    assert not re.search(r"\b\d{12}\b", text)  # no account ID
    assert not re.search(r'"(us|eu|ap|sa|ca|me|af)-[a-z]+-\d"', text)  # no region
