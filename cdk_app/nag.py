"""Helpers for acknowledging cdk-nag findings, each with the reason it does not apply.

cdk-nag 3 names one finding per wildcard (`AwsSolutions-IAM5[Resource::<Id.Arn>/raw/*]`),
and an acknowledgment covers the construct it is made on and everything below it.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, CfnResource, Stack, Validations
from constructs import IConstruct


def acknowledge(scope: IConstruct, reason: str, *rule_ids: str) -> None:
    Validations.of(scope).acknowledge(
        *(Acknowledgment(id=rule, reason=reason) for rule in rule_ids)
    )


def logical_id(construct: IConstruct) -> str:
    """The template's logical ID of an L2 construct's resource."""
    resource = construct.node.default_child
    assert isinstance(resource, CfnResource)
    stack = Stack.of(resource)
    return str(stack.resolve(stack.get_logical_id(resource)))


def arn_ref(construct: IConstruct) -> str:
    """How cdk-nag writes the ARN of an L2 construct's resource: `<LogicalId.Arn>`."""
    return f"<{logical_id(construct)}.Arn>"


def acknowledge_invoke(scope: IConstruct, *functions: IConstruct) -> None:
    """`grant_invoke` also covers the functions' versions and aliases (`arn:*`)."""
    acknowledge(
        scope,
        "Invokes only the named function; the `:*` suffix is its versions and aliases, "
        "as CDK's grant_invoke writes it.",
        *(f"AwsSolutions-IAM5[Resource::{arn_ref(function)}:*]" for function in functions),
    )


BASIC_EXECUTION_ROLE = (
    "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
    "AWSLambdaBasicExecutionRole]"
)
