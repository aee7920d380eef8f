"""cdk-nag's AWS Solutions rules: every finding is fixed or acknowledged with a reason."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_s3 as s3
from cdk_nag import AwsSolutionsChecks

from tests.infra.conftest import Synthesized


def errors(scope: cdk.Stack) -> list[str]:
    report = AwsSolutionsChecks().validate_scope(scope)
    return [
        f"{violation.rule_name} at {resource.construct_path}"
        for violation in report.violations
        if violation.severity == "error"
        for resource in violation.violating_resources
    ]


def test_no_unacknowledged_aws_solutions_errors(synth: Synthesized) -> None:
    assert errors(synth.stack) == []


def test_the_check_does_find_errors() -> None:
    """A bucket with nothing configured: the rules run and report what they find."""
    stack = cdk.Stack(cdk.App(), "Bare")
    s3.Bucket(stack, "Bucket")
    assert "AwsSolutions-S10 at Bare/Bucket/Resource" in errors(stack)
