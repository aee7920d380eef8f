"""Spotify sign-in on AWS: the /auth/* function and the authorizer that checks sessions.

Both run outside the VPC, where they can reach Secrets Manager (and Spotify); neither can
reach the database. The HTTP API routes to them (see `cdk_app.api`).
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from cdk_app.functions import API_TIMEOUT, PythonFunction
from cdk_app.lake import Lake
from cdk_app.origin import OriginSecret
from cdk_app.site import PUBLIC_HOST_HEADER
from cdk_app.spotify import SpotifyApp


class SignIn(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        code: lambda_.Code,
        spotify: SpotifyApp,
        lake: Lake,
        origin: OriginSecret,
    ) -> None:
        super().__init__(scope, id)
        self.function = PythonFunction(
            self,
            "Auth",
            code=code,
            handler="lambdas.auth.handler",
            description="Spotify sign-in: /auth/login, /auth/callback, /auth/logout(-everywhere)",
            environment={
                "MOODIFY_LAKE_BUCKET": lake.bucket.bucket_name,
                "MOODIFY_ALLOWED_USERS": spotify.allowed_users,
                # The public host comes with each request: as env, the CloudFront domain
                # would close a cycle (distribution -> API -> function -> distribution).
                "MOODIFY_REDIRECT_FROM_HOST_HEADER": PUBLIC_HOST_HEADER,
            },
            timeout=API_TIMEOUT,
        )
        spotify.grant_client(self.function)
        spotify.grant_sessions(self.function)
        spotify.grant_tokens(self.function, "ssm:GetParameter", "ssm:PutParameter")
        # The profile and the first recently-played page, and the user's sign-in state.
        # Sign out everywhere writes the instant sessions count from into that state.
        lake.grant(self.function, reads=("state/",), writes=("raw/", "state/"))
        self.integration = integrations.HttpLambdaIntegration("Auth", self.function.function)

        self.authorizer_function = PythonFunction(
            self,
            "Authorizer",
            code=code,
            handler="lambdas.authorizer.handler",
            description="Refuse requests CloudFront did not send; check /api/* sessions",
            # A user taken off the allowlist is refused from the next uncached request on.
            environment={
                "MOODIFY_ALLOWED_USERS": spotify.allowed_users,
                "MOODIFY_LAKE_BUCKET": lake.bucket.bucket_name,
            },
            timeout=Duration.seconds(10),
        )
        spotify.grant_sessions(self.authorizer_function)
        origin.grant_check(self.authorizer_function)
        # The user's sign-in state: since when their sessions count (sign out everywhere),
        # and none for a deleted user.
        lake.grant(self.authorizer_function, reads=("state/users/",))
        self.authorizer = authorizers.HttpLambdaAuthorizer(
            "Session",
            self.authorizer_function.function,
            response_types=[authorizers.HttpLambdaResponseType.SIMPLE],
            # A request without either header is refused (401) without invoking it.
            identity_source=["$request.header.cookie", origin.identity_source],
            # The cache key is the whole Cookie header (and the origin secret), so a cached
            # answer only ever serves the same session; five minutes spare most page loads
            # an invocation.
            results_cache_ttl=Duration.minutes(5),
        )
        # Sign-in and /healthz need no session, only to come through CloudFront: the same
        # function, asked with the origin secret alone (cached by its value).
        self.origin_authorizer = authorizers.HttpLambdaAuthorizer(
            "Origin",
            self.authorizer_function.function,
            response_types=[authorizers.HttpLambdaResponseType.SIMPLE],
            identity_source=[origin.identity_source],
            results_cache_ttl=Duration.minutes(5),
        )
