"""What Moodify's buckets share: private, encrypted, TLS only, kept when the stack goes."""

from __future__ import annotations

from typing import Any

from aws_cdk import RemovalPolicy
from aws_cdk import aws_s3 as s3
from constructs import Construct

from cdk_app.nag import acknowledge


def private_bucket(
    scope: Construct, id: str, *, why_no_access_logs: str, **props: Any
) -> s3.Bucket:
    bucket = s3.Bucket(
        scope,
        id,
        encryption=s3.BucketEncryption.S3_MANAGED,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        removal_policy=RemovalPolicy.RETAIN,
        **props,
    )
    acknowledge(bucket, why_no_access_logs, "AwsSolutions-S1")
    return bucket
