"""The stack's doors: CloudFront's security headers and optional TLS 1.2 domain, the
database's protection and connection budget, and listings scoped to their prefixes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Capture, Match, Template

from api.gateway import ORIGIN_SECRET_HEADER
from cdk_app.api import API_CERTIFICATE_CONTEXT, API_DOMAIN_CONTEXT
from cdk_app.bundling import REPO_ROOT
from cdk_app.database import (
    CONNECTIONS_PER_API_CONTAINER,
    FUNCTION_CONNECTION_BUDGET,
    MAX_CONNECTIONS,
)
from cdk_app.lake import LAKE_PREFIXES
from cdk_app.nag import logical_id
from cdk_app.site import CERTIFICATE_CONTEXT, DOMAIN_CONTEXT, security_headers
from cdk_app.stack import MoodifyStack
from etl.core.settings import Settings
from tests.infra.conftest import API_HANDLER, Synthesized
from tests.infra.test_stack import as_list

CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0b0e8a4e-5d2c-4c52-9a51-7f0f6b1c2d3e"
API_CERTIFICATE = (
    "arn:aws:acm:eu-west-1:123456789012:certificate/5a1f0c3e-7d2b-4e8a-9c61-2b3d4e5f6a7b"
)


def test_every_behavior_answers_with_the_security_headers(synth: Synthesized) -> None:
    policy = Capture()
    synth.template.has_resource_properties(
        "AWS::CloudFront::ResponseHeadersPolicy",
        {
            "ResponseHeadersPolicyConfig": {
                "SecurityHeadersConfig": {
                    "ContentSecurityPolicy": {"ContentSecurityPolicy": policy, "Override": True},
                    "StrictTransportSecurity": {
                        "AccessControlMaxAgeSec": 2 * 365 * 24 * 3600,
                        "IncludeSubdomains": True,
                        "Override": True,
                        "Preload": False,
                    },
                    "ContentTypeOptions": {"Override": True},
                    "FrameOptions": {"FrameOption": "DENY", "Override": True},
                    "ReferrerPolicy": {
                        "ReferrerPolicy": security_headers()["referrer_policy"],
                        "Override": True,
                    },
                }
            }
        },
    )
    text = "".join(
        p if isinstance(p, str) else "<token>" for p in policy.as_object()["Fn::Join"][1]
    )
    directives = dict(d.split(" ", 1) for d in text.split("; "))
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "i.scdn.co" not in directives["default-src"]
    for host in ("https://*.scdn.co", "https://coverartarchive.org", "https://*.archive.org"):
        assert host in directives["img-src"].split()
    assert directives["connect-src"] == "'self' https://*.s3.<token>.<token> https://*.s3.<token>"
    (distribution,) = synth.of_type("AWS::CloudFront::Distribution").values()
    config = distribution["Properties"]["DistributionConfig"]
    behaviors = [config["DefaultCacheBehavior"], *config["CacheBehaviors"]]
    assert len(behaviors) == 3
    for behavior in behaviors:
        assert set(behavior["ResponseHeadersPolicyId"]) == {"Ref"}


def test_without_a_domain_cloudfront_keeps_its_own_certificate(synth: Synthesized) -> None:
    (distribution,) = synth.of_type("AWS::CloudFront::Distribution").values()
    config = distribution["Properties"]["DistributionConfig"]
    assert "Aliases" not in config
    assert "ViewerCertificate" not in config


def _synth_with(
    tmp_path_factory: pytest.TempPathFactory, site_dir: Path, **extra_context: str
) -> Template:
    """The stack synthesized with the repository's context and `extra_context`."""
    context = json.loads((REPO_ROOT / "cdk.json").read_text(encoding="utf-8"))["context"]
    context["aws:cdk:bundling-stacks"] = []
    context.update(extra_context)
    app = cdk.App(context=context, outdir=str(tmp_path_factory.mktemp("cdk.out")))
    return Template.from_stack(MoodifyStack(app, "MoodifyStack", site_dir=site_dir))


@pytest.fixture(scope="module")
def on_own_domain(tmp_path_factory: pytest.TempPathFactory, site_dir: Path) -> Template:
    domain = {DOMAIN_CONTEXT: "moodify.example.org", CERTIFICATE_CONTEXT: CERTIFICATE}
    return _synth_with(tmp_path_factory, site_dir, **domain)


def test_a_custom_domain_takes_tls_1_2_at_least(on_own_domain: Template) -> None:
    on_own_domain.has_resource_properties(
        "AWS::CloudFront::Distribution",
        {
            "DistributionConfig": Match.object_like(
                {
                    "Aliases": ["moodify.example.org"],
                    "ViewerCertificate": {
                        "AcmCertificateArn": CERTIFICATE,
                        "MinimumProtocolVersion": "TLSv1.2_2021",
                        "SslSupportMethod": "sni-only",
                    },
                }
            )
        },
    )
    redirect = Capture()
    on_own_domain.has_output("SpotifyRedirectUri", {"Value": redirect})
    assert redirect.as_string() == "https://moodify.example.org/auth/callback"


def test_a_domain_without_certificate_is_refused(site_dir: Path) -> None:
    app = cdk.App(context={DOMAIN_CONTEXT: "moodify.example.org"})
    with pytest.raises(ValueError, match=CERTIFICATE_CONTEXT):
        MoodifyStack(app, "MoodifyStack", site_dir=site_dir)


def _api_origin(template: Template) -> dict[str, Any]:
    """CloudFront's origin for /api/*."""
    (distribution,) = template.find_resources("AWS::CloudFront::Distribution").values()
    config = distribution["Properties"]["DistributionConfig"]
    (api_behavior,) = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    (origin,) = [o for o in config["Origins"] if o["Id"] == api_behavior["TargetOriginId"]]
    found: dict[str, Any] = origin
    return found


def test_cloudfront_sends_the_api_the_origin_secret_the_authorizer_checks(
    synth: Synthesized,
) -> None:
    """The value is a dynamic reference to the generated secret that the authorizer reads:
    resolved by CloudFormation, never in the template."""
    origin = _api_origin(synth.template)
    (header,) = origin["OriginCustomHeaders"]
    assert header["HeaderName"] == ORIGIN_SECRET_HEADER
    secret = logical_id(synth.stack.origin.secret)
    assert header["HeaderValue"] == {
        "Fn::Join": ["", ["{{resolve:secretsmanager:", {"Ref": secret}, ":SecretString:::}}"]]
    }
    assert synth.resources[secret]["Properties"]["GenerateSecretString"]["PasswordLength"] >= 32
    # Without a domain of its own, the execute-api endpoint is the origin, so it stays on.
    (api,) = synth.of_type("AWS::ApiGatewayV2::Api").values()
    assert not api["Properties"].get("DisableExecuteApiEndpoint")
    assert ".execute-api." in json.dumps(origin["DomainName"])


@pytest.fixture(scope="module")
def api_on_own_domain(tmp_path_factory: pytest.TempPathFactory, site_dir: Path) -> Template:
    domain = {
        API_DOMAIN_CONTEXT: "api.moodify.example.org",
        API_CERTIFICATE_CONTEXT: API_CERTIFICATE,
    }
    return _synth_with(tmp_path_factory, site_dir, **domain)


def test_with_a_domain_of_its_own_the_execute_api_endpoint_is_off(
    api_on_own_domain: Template,
) -> None:
    api_on_own_domain.has_resource_properties(
        "AWS::ApiGatewayV2::Api", {"DisableExecuteApiEndpoint": True}
    )
    domain = Capture()
    api_on_own_domain.has_resource_properties(
        "AWS::ApiGatewayV2::DomainName",
        {
            "DomainName": "api.moodify.example.org",
            "DomainNameConfigurations": [
                Match.object_like({"CertificateArn": API_CERTIFICATE, "SecurityPolicy": "TLS_1_2"})
            ],
        },
    )
    api_on_own_domain.has_resource_properties(
        "AWS::ApiGatewayV2::ApiMapping",
        {"DomainName": {"Ref": domain}, "Stage": "$default"},
    )
    origin = _api_origin(api_on_own_domain)
    assert origin["DomainName"] == {"Ref": domain.as_string()}
    # Its DNS record is the deployer's to make: the output names where it points.
    api_on_own_domain.has_output(
        "ApiDomainTarget",
        {"Value": {"Fn::GetAtt": [domain.as_string(), "RegionalDomainName"]}},
    )
    # Still only through CloudFront: the domain is as public as execute-api was.
    assert origin["OriginCustomHeaders"][0]["HeaderName"] == ORIGIN_SECRET_HEADER


def test_an_api_domain_without_certificate_is_refused(site_dir: Path) -> None:
    app = cdk.App(context={API_DOMAIN_CONTEXT: "api.moodify.example.org"})
    with pytest.raises(ValueError, match=API_CERTIFICATE_CONTEXT):
        MoodifyStack(app, "MoodifyStack", site_dir=site_dir)


def test_the_database_is_protected_and_grows(synth: Synthesized) -> None:
    synth.template.has_resource(
        "AWS::RDS::DBInstance",
        {
            "Properties": Match.object_like(
                {"DeletionProtection": True, "AllocatedStorage": "20", "MaxAllocatedStorage": 100}
            ),
            "DeletionPolicy": "Snapshot",
        },
    )


def test_database_functions_reserve_no_more_connections_than_the_instance_takes(
    synth: Synthesized,
) -> None:
    api = synth.function(API_HANDLER)
    environment = synth.resources[api]["Properties"]["Environment"]["Variables"]
    # What an API container opens at most: api.db.Database's pool, which one answer's
    # reads fill, and a write's own connection (`connect(settings)` in a router).
    settings = Settings(
        db_pool_size=environment["MOODIFY_DB_POOL_SIZE"],
        db_reads_side_by_side=environment["MOODIFY_DB_READS_SIDE_BY_SIDE"],
    )
    assert settings.db_pool_size + 1 == CONNECTIONS_PER_API_CONTAINER
    assert settings.db_reads_side_by_side == settings.db_pool_size  # none left idle
    connections = {}
    for function_id, function in synth.of_type("AWS::Lambda::Function").items():
        variables = function["Properties"].get("Environment", {}).get("Variables", {})
        if "MOODIFY_DB_HOST" in variables or "Migrator" in function_id:
            reserved = function["Properties"]["ReservedConcurrentExecutions"]
            per_container = CONNECTIONS_PER_API_CONTAINER if function_id == api else 1
            connections[function_id] = reserved * per_container
    assert len(connections) == 5  # the API, the export, two ETL steps, the migrator
    assert sum(connections.values()) <= FUNCTION_CONNECTION_BUDGET < MAX_CONNECTIONS


def test_listings_are_scoped_to_prefixes(synth: Synthesized) -> None:
    for policy_id, policy in synth.of_type("AWS::IAM::Policy").items():
        if "CDKBucketDeployment" in policy_id:
            continue  # CDK's copy of the dashboard into its own bucket (nag.py acknowledges)
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            actions = as_list(statement["Action"])
            assert "s3:List*" not in actions, policy_id
            if "s3:ListBucket" in actions:
                prefixes = statement["Condition"]["StringLike"]["s3:prefix"]
                for prefix in as_list(prefixes):  # under one of the lake's prefixes
                    assert prefix.endswith("*"), policy_id
                    assert f"{prefix.split('/', 1)[0]}/" in LAKE_PREFIXES, policy_id
