"""The secret CloudFront adds to every request it sends the API.

An HTTP API has no resource policy, and its execute-api endpoint is CloudFront's origin
(unless the API has a domain of its own: `cdk_app.api`). So CloudFront sends a generated
secret in a header of its own, and the HTTP API's authorizer, which stands before every
route, refuses any request that does not carry it: the API answers only through
CloudFront, where the response-headers policy applies.
"""

from __future__ import annotations

from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from cdk_app.functions import PythonFunction
from cdk_app.nag import acknowledge

# The runtime reads it as api.gateway.ORIGIN_SECRET_HEADER (tests/infra check they agree).
ORIGIN_SECRET_HEADER = "x-moodify-origin-secret"  # noqa: S105 (a header name)


class OriginSecret(Construct):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        # One more secret: $0.40 a month, the price of a door only CloudFront opens.
        self.secret = secretsmanager.Secret(
            self,
            "Secret",
            description="Moodify: CloudFront sends it to the API, whose authorizer "
            "refuses requests without it",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=48, exclude_punctuation=True
            ),
        )
        acknowledge(
            self.secret,
            "CloudFront's origin configuration holds the value, resolved at deploy time "
            "(and readable there by the account's principals allowed to read it): a "
            "rotation would not reach it until the next deploy, and would refuse every "
            "request in between.",
            "AwsSolutions-SMG4",
        )

    @property
    def origin_headers(self) -> dict[str, str]:
        """The header CloudFront adds: a dynamic reference, resolved by CloudFormation, so
        the value is in neither the template nor the CDK output."""
        return {ORIGIN_SECRET_HEADER: self.secret.secret_value.unsafe_unwrap()}

    @property
    def identity_source(self) -> str:
        """The header as an authorizer's identity source: a request without it is refused
        (401) by API Gateway itself, and a wrong value is cached as refused."""
        return f"$request.header.{ORIGIN_SECRET_HEADER}"

    def grant_check(self, function: PythonFunction) -> None:
        """Check requests against the secret: read access, and its ARN in the environment."""
        self.secret.grant_read(function.function)
        function.function.add_environment("MOODIFY_ORIGIN_SECRET_ARN", self.secret.secret_arn)
