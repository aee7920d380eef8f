"""GitHub Actions' deploy access: one repository and branch, and nothing but the CDK roles."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Capture, Match, Template

from cdk_app.bundling import REPO_ROOT
from cdk_app.deploy_access import DeployAccessStack
from tests.infra.test_nag import errors

REPOSITORY = "moodify-owner/moodify"
PROVIDER_ARN = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"


def stack_of(**kwargs: Any) -> DeployAccessStack:
    context = json.loads((REPO_ROOT / "cdk.json").read_text(encoding="utf-8"))["context"]
    return DeployAccessStack(cdk.App(context=context), "Access", repository=REPOSITORY, **kwargs)


@pytest.fixture(scope="module")
def stack() -> DeployAccessStack:
    return stack_of()


@pytest.fixture(scope="module")
def template(stack: DeployAccessStack) -> Template:
    return Template.from_stack(stack)


def test_the_provider_is_githubs_for_sts(template: Template) -> None:
    template.resource_count_is("AWS::IAM::OIDCProvider", 1)
    template.has_resource_properties(
        "AWS::IAM::OIDCProvider",
        {
            "Url": "https://token.actions.githubusercontent.com",
            "ClientIdList": ["sts.amazonaws.com"],
        },
    )
    # The native resource: no custom-resource function stands in for it.
    template.resource_count_is("AWS::Lambda::Function", 0)


def test_only_this_repositorys_deploy_environment_is_trusted(
    template: Template,
) -> None:
    statements = Capture()
    template.has_resource_properties(
        "AWS::IAM::Role", {"AssumeRolePolicyDocument": {"Statement": statements}}
    )
    (statement,) = statements.as_array()
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Effect"] == "Allow"
    assert set(statement["Principal"]) == {"Federated"}
    assert statement["Condition"] == {
        "StringEquals": {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            # Not the branch form: a job on main naming no environment is not let in.
            "token.actions.githubusercontent.com:sub": (
                "repo:moodify-owner/moodify:environment:deploy"
            ),
        }
    }


def test_the_trusted_provider_is_the_stacks_own(template: Template) -> None:
    (provider_id,) = template.find_resources("AWS::IAM::OIDCProvider")
    template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": [Match.object_like({"Principal": {"Federated": {"Ref": provider_id}}})]
            }
        },
    )


def test_an_existing_provider_is_reused_not_created() -> None:
    template = Template.from_stack(stack_of(existing_provider_arn=PROVIDER_ARN))
    template.resource_count_is("AWS::IAM::OIDCProvider", 0)
    template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": [Match.object_like({"Principal": {"Federated": PROVIDER_ARN}})]
            }
        },
    )


def test_the_role_may_only_assume_the_cdk_bootstrap_roles(template: Template) -> None:
    roles = template.find_resources("AWS::IAM::Role")
    (role,) = roles.values()
    assert "ManagedPolicyArns" not in role["Properties"]
    assert "Policies" not in role["Properties"]
    policies = template.find_resources("AWS::IAM::Policy")
    statements = [
        statement
        for policy in policies.values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]
    assert statements == [
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Resource": {
                "Fn::Join": [
                    "",
                    [
                        "arn:",
                        {"Ref": "AWS::Partition"},
                        ":iam::",
                        {"Ref": "AWS::AccountId"},
                        ":role/cdk-hnb659fds-*-",
                        {"Ref": "AWS::AccountId"},
                        "-",
                        {"Ref": "AWS::Region"},
                    ],
                ]
            },
        }
    ]
    template.resource_count_is("AWS::IAM::ManagedPolicy", 0)


def test_the_role_arn_is_an_output(template: Template) -> None:
    (role_id,) = template.find_resources("AWS::IAM::Role")
    template.has_output("DeployRoleArn", {"Value": {"Fn::GetAtt": [role_id, "Arn"]}})


@pytest.mark.parametrize(
    "repository",
    ["moodify", "owner/", "/moodify", "owner/moodify/extra", "owner/*", "*/*", "owner/mood?fy"],
)
def test_a_repository_that_is_not_one_owner_and_name_is_refused(repository: str) -> None:
    with pytest.raises(ValueError, match="OWNER/NAME"):
        DeployAccessStack(cdk.App(), "Access", repository=repository)


def test_cdk_nag_finds_nothing_unacknowledged(stack: DeployAccessStack) -> None:
    assert errors(stack) == []
