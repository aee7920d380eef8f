"""What GitHub Actions needs to deploy Moodify: GitHub's OIDC provider and a deploy role.

Deployed once, by hand, with administrator credentials (README, "CI/CD on GitHub Actions").
The role holds no AWS keys and no permissions of its own beyond assuming the CDK bootstrap
roles, which carry what `cdk deploy` does; only jobs of one repository that run in its
deploy environment can assume it, and that environment's rules on GitHub (main only,
reviewers) hold for every one of them.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import Aws, CfnOutput, DefaultStackSynthesizer, Duration, Stack
from aws_cdk import aws_iam as iam
from constructs import Construct

from cdk_app.nag import acknowledge

GITHUB_OIDC_ISSUER = "token.actions.githubusercontent.com"
AUDIENCE = "sts.amazonaws.com"


def trusted_subject(repository: str, environment: str) -> str:
    """The `sub` claim of a job in the deploy environment.

    Only that form: a job that names an environment gets it instead of the branch form, so
    trusting `ref:refs/heads/main` too would admit any job on main that names no
    environment, around the environment's deployment-branch rule and required reviewers.
    """
    return f"repo:{repository}:environment:{environment}"


class DeployAccessStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        repository: str,
        environment: str = "deploy",
        existing_provider_arn: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        owner, _, name = repository.partition("/")
        if not owner or not name or "/" in name or "*" in repository or "?" in repository:
            raise ValueError(f"repository must be OWNER/NAME, without wildcards: {repository!r}")

        # An account has one provider per issuer: reuse the one that is there, if any.
        provider: iam.IOidcProvider = (
            iam.OidcProviderNative.from_oidc_provider_arn(self, "GitHubOidc", existing_provider_arn)
            if existing_provider_arn
            else iam.OidcProviderNative(
                self, "GitHubOidc", url=f"https://{GITHUB_OIDC_ISSUER}", client_ids=[AUDIENCE]
            )
        )
        role = iam.Role(
            self,
            "DeployRole",
            description=f"cdk deploy from GitHub Actions, {repository} in {environment}",
            max_session_duration=Duration.hours(1),
            assumed_by=iam.WebIdentityPrincipal(
                provider.oidc_provider_arn,
                conditions={
                    "StringEquals": {
                        f"{GITHUB_OIDC_ISSUER}:aud": AUDIENCE,
                        f"{GITHUB_OIDC_ISSUER}:sub": trusted_subject(repository, environment),
                    }
                },
            ),
        )
        qualifier = DefaultStackSynthesizer.DEFAULT_QUALIFIER
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["sts:AssumeRole"],
                resources=[
                    f"arn:{Aws.PARTITION}:iam::{Aws.ACCOUNT_ID}:role/"
                    f"cdk-{qualifier}-*-{Aws.ACCOUNT_ID}-{Aws.REGION}"
                ],
            )
        )
        acknowledge(
            role,
            "The wildcard stands for the CDK bootstrap roles of this account and region "
            "(deploy, file-publishing, image-publishing, lookup), which `cdk deploy` assumes.",
            "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/"
            f"cdk-{qualifier}-*-<AWS::AccountId>-<AWS::Region>]",
        )
        CfnOutput(
            self,
            "DeployRoleArn",
            value=role.role_arn,
            description="The repository variable AWS_DEPLOY_ROLE_ARN of the deploy workflow",
        )
