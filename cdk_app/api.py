"""The HTTP API: FastAPI (through Mangum) in the VPC, next to the database, and the routes
to sign-in outside it."""

from __future__ import annotations

import json

import jsii
from aws_cdk import Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from cdk_app.database import API_CONCURRENCY, API_POOL_SIZE, Database
from cdk_app.exports import EXPORT_REQUESTS, EXPORTS_PREFIX
from cdk_app.functions import API_TIMEOUT, PythonFunction, VpcPlacement, log_group
from cdk_app.lake import LAKE_PREFIXES, Lake
from cdk_app.signin import SignIn
from cdk_app.spotify import SpotifyApp

# Access log fields: enough to follow a request, without the caller's IP address.
_ACCESS_LOG_FORMAT = {
    "requestId": "$context.requestId",
    "time": "$context.requestTime",
    "routeKey": "$context.routeKey",
    "status": "$context.status",
    "latencyMs": "$context.responseLatency",
    "integrationError": "$context.integrationErrorMessage",
}


@jsii.implements(apigwv2.IAccessLogSettings)
class _AccessLogs:
    """An interface in jsii, not a struct: it needs a class of its own in Python."""

    def __init__(self, group: logs.ILogGroup) -> None:
        self._group = group

    @property
    def destination(self) -> apigwv2.IAccessLogDestination:
        return apigwv2.LogGroupLogDestination(self._group)

    @property
    def format(self) -> apigw.AccessLogFormat:
        return apigw.AccessLogFormat.custom(json.dumps(_ACCESS_LOG_FORMAT))


# Context keys: the API on a domain of its own, so that its execute-api endpoint can close.
API_DOMAIN_CONTEXT, API_CERTIFICATE_CONTEXT = "api_domain", "api_certificate_arn"


class Api(Construct):
    """/api/* behind the session authorizer, /healthz, and /auth/* to sign-in."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        code: lambda_.Code,
        database: Database,
        placement: VpcPlacement,
        lake: Lake,
        spotify: SpotifyApp,
        sign_in: SignIn,
    ) -> None:
        super().__init__(scope, id)
        self.function = PythonFunction(
            self,
            "Api",
            code=code,
            handler="api.handler.handler",
            description="Moodify's FastAPI app behind the HTTP API",
            environment={
                **database.environment,
                "MOODIFY_LAKE_BUCKET": lake.bucket.bucket_name,
                # Sign-in is on: every /api request carries the authorizer's user id.
                "MOODIFY_SPOTIFY_CLIENT_ID": spotify.client_id,
                # One request at a time per container: its pool is one answer's reads.
                "MOODIFY_DB_POOL_SIZE": str(API_POOL_SIZE),
                "MOODIFY_DB_READS_SIDE_BY_SIDE": str(API_POOL_SIZE),
            },
            placement=placement,
            timeout=API_TIMEOUT,
            reserved_concurrency=API_CONCURRENCY,
        )
        database.grant_connect(self.function.function)
        # Through the S3 gateway endpoint: /api/v1/me reads sign-in state and cool-downs;
        # /api/v1/imports writes an import's status document when it starts one and reads
        # whether its files came through (curated/, quarantine/). A presigned upload acts
        # with its signer's permissions, so this function may put under uploads/ too
        # (signing is local: no call leaves the VPC). /api/v1/settings keeps a new time
        # zone in the user's state document, where a rebuild reads it (state/users/).
        lake.grant(
            self.function,
            reads=("state/", "curated/", "quarantine/"),
            writes=("uploads/", "state/imports/", "state/users/"),
        )

        # /api/v1/exports on AWS writes an export's request (the export function writes the
        # file: cdk_app.exports), reads its status back and answers a presigned link to the
        # file, which acts with this function's permission to read it.
        lake.grant(self.function, reads=(EXPORTS_PREFIX,), writes=(EXPORT_REQUESTS,))
        # /api/v1/erasure: a range's tombstone under tombstones/; deleting a user deletes
        # their objects under every prefix. Their refresh token lives in SSM, which this
        # function cannot reach (no interface endpoint): the next ingest forgets it.
        lake.grant(self.function, writes=("tombstones/",))
        lake.grant_purge(self.function, LAKE_PREFIXES)

        self.custom_domain = _custom_domain(self)
        # `$default` stage: no stage prefix in the path for Mangum to strip. With a domain
        # of its own, CloudFront's origin is that domain and the execute-api endpoint is
        # switched off; without one, that endpoint is the origin, and the authorizer before
        # every route refuses what CloudFront did not send (cdk_app.origin).
        self.http_api = apigwv2.HttpApi(
            self,
            "HttpApi",
            description="Moodify API",
            create_default_stage=False,
            disable_execute_api_endpoint=self.custom_domain is not None,
        )
        apigwv2.HttpStage(
            self,
            "DefaultStage",
            http_api=self.http_api,
            stage_name="$default",
            auto_deploy=True,
            # A handful of users: a ceiling that keeps a runaway client from scaling
            # Lambda (and database connections) without bound.
            throttle=apigwv2.ThrottleSettings(rate_limit=25, burst_limit=50),
            access_log_settings=_AccessLogs(log_group(self, "AccessLogs")),
            domain_mapping=apigwv2.DomainMappingOptions(domain_name=self.custom_domain)
            if self.custom_domain
            else None,
        )
        integration = integrations.HttpLambdaIntegration("Api", self.function.function)
        self.http_api.add_routes(
            path="/api/{proxy+}",
            methods=[apigwv2.HttpMethod.ANY],
            integration=integration,
            authorizer=sign_in.authorizer,
        )
        # No session here (/healthz, and /auth/* where a session is made), but still only
        # through CloudFront.
        self.http_api.add_routes(
            path="/healthz",
            methods=[apigwv2.HttpMethod.GET],
            integration=integration,
            authorizer=sign_in.origin_authorizer,
        )
        self.http_api.add_routes(
            path="/auth/{proxy+}",
            methods=[apigwv2.HttpMethod.ANY],
            integration=sign_in.integration,
            authorizer=sign_in.origin_authorizer,
        )

    @property
    def domain_name(self) -> str:
        """The API's host name as CloudFront's origin: its own domain, else execute-api's."""
        if self.custom_domain:
            return self.custom_domain.name
        stack = Stack.of(self)
        return f"{self.http_api.api_id}.execute-api.{stack.region}.{stack.url_suffix}"


def _custom_domain(scope: Construct) -> apigwv2.DomainName | None:
    """The API's own domain (`-c api_domain=... -c api_certificate_arn=...`, a certificate
    in the stack's region), if the deployer gave one; it is theirs to point at the API."""
    domain = scope.node.try_get_context(API_DOMAIN_CONTEXT)
    certificate_arn = scope.node.try_get_context(API_CERTIFICATE_CONTEXT)
    if bool(domain) != bool(certificate_arn):
        raise ValueError(f"set both {API_DOMAIN_CONTEXT} and {API_CERTIFICATE_CONTEXT}, or neither")
    if not domain:
        return None
    return apigwv2.DomainName(
        scope,
        "Domain",
        domain_name=domain,
        certificate=acm.Certificate.from_certificate_arn(scope, "Certificate", certificate_arn),
        security_policy=apigwv2.SecurityPolicy.TLS_1_2,
    )
