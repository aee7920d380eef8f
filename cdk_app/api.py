"""The HTTP API: FastAPI (through Mangum) in the VPC, next to the database, and the routes
to sign-in outside it."""

from __future__ import annotations

import json

import jsii
from aws_cdk import Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from cdk_app.database import API_CONCURRENCY, Database
from cdk_app.exports import EXPORT_REQUESTS, EXPORTS_PREFIX
from cdk_app.functions import API_TIMEOUT, PythonFunction, VpcPlacement, log_group
from cdk_app.lake import LAKE_PREFIXES, Lake
from cdk_app.nag import acknowledge
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

        # `$default` stage: no stage prefix in the path for Mangum to strip.
        self.http_api = apigwv2.HttpApi(
            self, "HttpApi", description="Moodify API", create_default_stage=False
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
        )
        integration = integrations.HttpLambdaIntegration("Api", self.function.function)
        self.http_api.add_routes(
            path="/api/{proxy+}",
            methods=[apigwv2.HttpMethod.ANY],
            integration=integration,
            authorizer=sign_in.authorizer,
        )
        public = [
            *self.http_api.add_routes(
                path="/healthz", methods=[apigwv2.HttpMethod.GET], integration=integration
            ),
            *self.http_api.add_routes(
                path="/auth/{proxy+}",
                methods=[apigwv2.HttpMethod.ANY],
                integration=sign_in.integration,
            ),
        ]
        for route in public:
            acknowledge(
                route,
                "Public by design: /healthz says only that the API is up, and /auth/* is "
                "where a session is made (OAuth state and PKCE checked, then the allowlist).",
                "AwsSolutions-APIG4",
            )

    @property
    def domain_name(self) -> str:
        """The API's execute-api host name, as a CloudFront origin."""
        stack = Stack.of(self)
        return f"{self.http_api.api_id}.execute-api.{stack.region}.{stack.url_suffix}"
