"""MoodifyStack's template: every resource and property the design depends on."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from aws_cdk.assertions import Match

from cdk_app.bundling import tree_digest
from cdk_app.migrations import MIGRATIONS_DIR
from cdk_app.nag import logical_id
from etl.pipeline import STEP_NAMES, STEPS
from tests.infra.conftest import (
    API_HANDLER,
    INGEST_HANDLER,
    MIGRATE_HANDLER,
    TRIGGER_HANDLER,
    Synthesized,
)

DATABASE_STEPS = [step.name for step in STEPS if step.needs_database]
OTHER_STEPS = [step.name for step in STEPS if not step.needs_database]
IN_VPC = [*DATABASE_STEPS, API_HANDLER, MIGRATE_HANDLER]
OUTSIDE_VPC = [*OTHER_STEPS, INGEST_HANDLER, TRIGGER_HANDLER]
CONNECT_AS_APP_USER = [*DATABASE_STEPS, API_HANDLER]


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
    ours = [*STEP_NAMES, API_HANDLER, INGEST_HANDLER, MIGRATE_HANDLER, TRIGGER_HANDLER]
    for key in ours:
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
    assert checked == len(STEPS) + 6  # + API, ingest, migrator, trigger, framework, deployment


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


@pytest.mark.parametrize("key", [*OTHER_STEPS, INGEST_HANDLER, MIGRATE_HANDLER, TRIGGER_HANDLER])
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


def test_ingest_may_only_write_under_raw(synth: Synthesized) -> None:
    ingest = synth.function(INGEST_HANDLER)
    s3 = [
        s
        for s in synth.statements_of_function(ingest)
        if any(action.startswith("s3:") for action in as_list(s["Action"]))
    ]
    assert len(s3) == 1
    assert "s3:PutObject" in s3[0]["Action"]
    assert not [a for a in s3[0]["Action"] if a.startswith(("s3:Get", "s3:List", "s3:Delete"))]
    assert lake_paths(synth, s3[0]["Resource"]) == {"raw/*"}
    assert len(as_list(s3[0]["Resource"])) == 1


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
    (retry,) = state["Retry"]
    assert {"States.TaskFailed", "Lambda.TooManyRequestsException"} <= set(retry["ErrorEquals"])
    assert retry["BackoffRate"] == 2
    assert retry["MaxAttempts"] == 3
    assert retry["JitterStrategy"] == "FULL"
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


def test_new_raw_objects_start_the_pipeline_with_their_key(synth: Synthesized) -> None:
    (rule,) = synth.of_type("AWS::Events::Rule").values()
    assert rule["Properties"]["EventPattern"] == {
        "source": ["aws.s3"],
        "detail-type": ["Object Created"],
        "detail": {
            "bucket": {"name": [{"Ref": logical_id(synth.stack.lake.bucket)}]},
            "object": {"key": [{"prefix": "raw/"}]},
        },
    }
    (target,) = rule["Properties"]["Targets"]
    assert target["Arn"] == {"Ref": logical_id(synth.stack.etl.state_machine)}
    transformer = target["InputTransformer"]
    (path_name,) = [
        k for k, v in transformer["InputPathsMap"].items() if v == "$.detail.object.key"
    ]
    assert json.loads(transformer["InputTemplate"].replace(f"<{path_name}>", '"K"')) == {
        "raw_key": "K"
    }


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.name)
def test_steps_touch_only_their_lake_prefixes(synth: Synthesized, step: Any) -> None:
    assert s3_paths(synth, step.name, "s3:GetObject*") == {f"{p}*" for p in step.reads}
    assert s3_paths(synth, step.name, "s3:PutObject") == {f"{p}*" for p in step.writes}
    variables = synth.resources[synth.function(step.name)]["Properties"]["Environment"]
    assert variables["Variables"]["MOODIFY_LAKE_BUCKET"] == {
        "Ref": logical_id(synth.stack.lake.bucket)
    }


# --- API ------------------------------------------------------------------------------


def test_http_api_routes_to_the_api_function_on_the_default_stage(synth: Synthesized) -> None:
    synth.template.has_resource_properties("AWS::ApiGatewayV2::Api", {"ProtocolType": "HTTP"})
    synth.template.has_resource_properties(
        "AWS::ApiGatewayV2::Stage",
        {"StageName": "$default", "AutoDeploy": True, "AccessLogSettings": Match.any_value()},
    )
    routes = {
        r["Properties"]["RouteKey"] for r in synth.of_type("AWS::ApiGatewayV2::Route").values()
    }
    assert routes == {"ANY /api/{proxy+}", "GET /healthz"}
    (integration,) = synth.of_type("AWS::ApiGatewayV2::Integration").values()
    assert integration["Properties"]["IntegrationUri"] == {
        "Fn::GetAtt": [synth.function(API_HANDLER), "Arn"]
    }
    assert integration["Properties"]["PayloadFormatVersion"] == "2.0"


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


def test_api_paths_go_uncached_to_the_http_api(synth: Synthesized) -> None:
    config = synth.resources[logical_id(synth.stack.site.distribution)]["Properties"]
    config = config["DistributionConfig"]
    (behavior,) = config["CacheBehaviors"]
    assert behavior["PathPattern"] == "/api/*"
    assert set(behavior["AllowedMethods"]) == {
        "GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"
    }  # fmt: skip
    assert behavior["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # CachingDisabled
    # AllViewerExceptHostHeader: API Gateway routes on its own host name.
    assert behavior["OriginRequestPolicyId"] == "b689b0a8-53d0-40ab-baf2-68738e2966ac"
    assert behavior["ViewerProtocolPolicy"] == "redirect-to-https"
    (origin,) = [o for o in config["Origins"] if o["Id"] == behavior["TargetOriginId"]]
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    host = origin["DomainName"]["Fn::Join"][1]
    assert host[:2] == [{"Ref": logical_id(synth.stack.api.http_api)}, ".execute-api."]


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


def test_stack_is_environment_agnostic(synth: Synthesized) -> None:
    text = json.dumps(synth.template.to_json())
    assert not re.search(r"\b\d{12}\b", text)  # no account ID
    assert not re.search(r'"(us|eu|ap|sa|ca|me|af)-[a-z]+-\d"', text)  # no region
