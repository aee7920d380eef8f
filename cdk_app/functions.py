"""One place for what every Moodify Lambda function shares."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from aws_cdk import Duration, RemovalPolicy, Size
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from cdk_app.bundling import LAMBDA_PYTHON_VERSION
from cdk_app.nag import acknowledge

LOG_RETENTION = logs.RetentionDays.ONE_MONTH
SERVICE_NAME = "moodify"
DEFAULT_TIMEOUT = Duration.minutes(1)
API_TIMEOUT = Duration.seconds(29)  # API Gateway stops waiting at 30 s


def log_group(scope: Construct, id: str) -> logs.LogGroup:
    """A log group that expires its events (log groups keep them forever by default)."""
    return logs.LogGroup(scope, id, retention=LOG_RETENTION, removal_policy=RemovalPolicy.DESTROY)


@dataclass(frozen=True)
class VpcPlacement:
    """Where functions that talk to PostgreSQL run: isolated subnets, one security group."""

    vpc: ec2.IVpc
    security_group: ec2.ISecurityGroup

    @property
    def subnets(self) -> ec2.SubnetSelection:
        return ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)


class PythonFunction(Construct):
    """A Python 3.13 arm64 function with its own log group, role and Powertools settings.

    `placement` puts it in the VPC; without it the function runs outside, where it can
    reach the internet and AWS APIs but not the database. Its role may write to its own
    log group only; grants add the rest.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        code: lambda_.Code,
        handler: str,
        description: str,
        environment: Mapping[str, str] | None = None,
        placement: VpcPlacement | None = None,
        memory_size: int = 512,
        timeout: Duration = DEFAULT_TIMEOUT,
        tmp_mb: int | None = None,
        reserved_concurrency: int | None = None,
    ) -> None:
        super().__init__(scope, id)
        self.log_group = log_group(self, "Logs")
        role = iam.Role(self, "Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
        self.log_group.grant_write(role)
        if placement:
            # The EC2 part of the managed AWSLambdaVPCAccessExecutionRole, without its
            # rights on every log group.
            role.add_to_policy(
                iam.PolicyStatement(
                    actions=[
                        "ec2:CreateNetworkInterface",
                        "ec2:DescribeNetworkInterfaces",
                        "ec2:DescribeSubnets",
                        "ec2:DeleteNetworkInterface",
                        "ec2:AssignPrivateIpAddresses",
                        "ec2:UnassignPrivateIpAddresses",
                    ],
                    resources=["*"],
                )
            )
            acknowledge(
                self,
                "Lambda's network-interface actions take no resource-level permissions.",
                "AwsSolutions-IAM5[Resource::*]",
            )
        self.function = lambda_.Function(
            self,
            "Function",
            runtime=lambda_.Runtime.PYTHON_3_13,
            architecture=lambda_.Architecture.ARM_64,  # the bundles hold aarch64 wheels
            code=code,
            handler=handler,
            description=description,
            memory_size=memory_size,
            timeout=timeout,
            role=role,
            log_group=self.log_group,
            environment={
                "POWERTOOLS_SERVICE_NAME": SERVICE_NAME,
                "POWERTOOLS_LOG_LEVEL": "INFO",
                **(environment or {}),
            },
            vpc=placement.vpc if placement else None,
            vpc_subnets=placement.subnets if placement else None,
            security_groups=[placement.security_group] if placement else None,
            # /tmp beyond Lambda's free 512 MB, for functions that stage large files there.
            ephemeral_storage_size=Size.mebibytes(tmp_mb) if tmp_mb else None,
            # For functions that connect to the database: cdk_app.database's budget.
            reserved_concurrent_executions=reserved_concurrency,
        )
        acknowledge(
            self.function,
            f"The bundles are built for CPython {LAMBDA_PYTHON_VERSION} (binary wheels resolved "
            "for it from uv.lock); the runtime moves with the lock, not ahead of it.",
            "AwsSolutions-L1",
        )
