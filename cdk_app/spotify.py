"""The deployer's Spotify app, and what signing in keeps: parameters, secrets, tokens.

The client id, client secret and allowlist are stack parameters (`cdk deploy --parameters
SpotifyClientId=...`); the client secret and the session-signing secret live in Secrets
Manager, and each user's refresh token in an SSM SecureString parameter that the functions
write at runtime. Functions get each piece through a `grant_*` method, which adds both the
permission and the environment variable that points the code at it.
"""

from __future__ import annotations

from aws_cdk import ArnFormat, CfnParameter, SecretValue, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from cdk_app.functions import PythonFunction
from cdk_app.nag import acknowledge

# etl.spotify.tokens.SsmTokenStore keeps one parameter per user: <path>/<user id>/refresh-token.
USER_PARAMETERS_PATH = "/moodify/users"
_SPOTIFY_ID = "^[0-9A-Za-z]+$"


class SpotifyApp(Construct):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.client_id = self._parameter(
            "SpotifyClientId",
            description="Client ID of your Spotify app (developer.spotify.com, Dashboard, "
            "your app, Settings).",
            allowed_pattern=_SPOTIFY_ID,
        ).value_as_string
        client_secret = self._parameter(
            "SpotifyClientSecret",
            description="Client secret of the same Spotify app; kept in Secrets Manager, "
            "never shown by CloudFormation.",
            allowed_pattern=_SPOTIFY_ID,
            no_echo=True,
        )
        self.allowed_users = self._parameter(
            "AllowedSpotifyUsers",
            description="Spotify account ids allowed to sign in, comma-separated (at most "
            "five, each also in the Spotify app's User Management). A refused sign-in "
            "shows the id to add.",
            allowed_pattern=r"^[^,\s]+(\s*,\s*[^,\s]+)*$",
        ).value_as_string
        self.client_secret = secretsmanager.Secret(
            self,
            "ClientSecret",
            description="Moodify: the Spotify app's client secret (parameter SpotifyClientSecret)",
            secret_string_value=SecretValue.cfn_parameter(client_secret),
        )
        acknowledge(
            self.client_secret,
            "Spotify issues this secret: it is rotated in Spotify's dashboard, then "
            "redeployed with the new SpotifyClientSecret.",
            "AwsSolutions-SMG4",
        )
        self.session_secret = secretsmanager.Secret(
            self,
            "SessionSecret",
            description="Moodify: signs browser sessions",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=64, exclude_punctuation=True
            ),
        )
        acknowledge(
            self.session_secret,
            "Rotating it would sign every user out; only the sign-in function and the "
            "authorizer can read it.",
            "AwsSolutions-SMG4",
        )

    def _parameter(
        self, name: str, *, description: str, allowed_pattern: str, no_echo: bool = False
    ) -> CfnParameter:
        """A parameter named `name` in the template, whatever its place in the tree."""
        parameter = CfnParameter(
            self,
            name,
            type="String",
            description=description,
            allowed_pattern=allowed_pattern,
            constraint_description=f"{name} must match {allowed_pattern}",
            no_echo=no_echo,
        )
        parameter.override_logical_id(name)
        return parameter

    def grant_client(self, function: PythonFunction) -> None:
        """Call Spotify as the app: its client id, and read access to its client secret."""
        self.client_secret.grant_read(function.function)
        function.function.add_environment("MOODIFY_SPOTIFY_CLIENT_ID", self.client_id)
        function.function.add_environment(
            "MOODIFY_SPOTIFY_CLIENT_SECRET_ARN", self.client_secret.secret_arn
        )

    def grant_sessions(self, function: PythonFunction) -> None:
        """Issue or check session cookies: read access to the session secret."""
        self.session_secret.grant_read(function.function)
        function.function.add_environment(
            "MOODIFY_SESSION_SECRET_ARN", self.session_secret.secret_arn
        )

    def grant_tokens(self, function: PythonFunction, *actions: str) -> None:
        """`actions` on the users' refresh-token parameters.

        `ssm:GetParametersByPath` (listing the users) is allowed on the prefix itself too.
        The parameters are encrypted with the AWS managed key `aws/ssm`, whose key policy
        admits the account's principals through SSM: no KMS grant is needed.
        """
        target = function.function
        target.add_to_role_policy(
            iam.PolicyStatement(actions=list(actions), resources=[self._tokens_arn("/*")])
        )
        if "ssm:GetParametersByPath" in actions:
            target.add_to_role_policy(
                iam.PolicyStatement(
                    actions=["ssm:GetParametersByPath"], resources=[self._tokens_arn("")]
                )
            )
        target.add_environment("MOODIFY_TOKEN_PARAMETER_PREFIX", USER_PARAMETERS_PATH)
        acknowledge(
            function,
            "One refresh-token parameter per user, created at sign-in: their names are known "
            "only at runtime, all under the Moodify prefix.",
            "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:"
            f"<AWS::AccountId>:parameter{USER_PARAMETERS_PATH}/*]",
        )

    def _tokens_arn(self, suffix: str) -> str:
        """The ARN of the refresh-token prefix (`""`) or of what is under it (`"/*"`)."""
        return Stack.of(self).format_arn(
            service="ssm",
            resource="parameter",
            resource_name=USER_PARAMETERS_PATH.lstrip("/") + suffix,
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )
