"""The data lake bucket: raw/, curated/, enrichment/, quarantine/, state/, uploads/,
exports/ and tombstones/."""

from __future__ import annotations

from collections.abc import Iterable

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from cdk_app.buckets import private_bucket
from cdk_app.functions import PythonFunction
from cdk_app.nag import acknowledge, arn_ref

# The lake's top-level prefixes, as etl.core.keys lays them out (a test keeps the two equal:
# the stack imports no runtime code).
LAKE_PREFIXES = (
    "raw/",
    "curated/",
    "enrichment/",
    "quarantine/",
    "state/",
    "uploads/",
    "exports/",
    "tombstones/",
)


class Lake(Construct):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.bucket = private_bucket(
            self,
            "Bucket",
            # The lake is the source of truth: it outlives the stack (RETAIN) and keeps
            # versions against a mistaken delete. Raw keys are written once, so only
            # derived objects leave old versions behind.
            versioned=True,
            lifecycle_rules=[
                s3.LifecycleRule(
                    noncurrent_version_expiration=Duration.days(30),
                    abort_incomplete_multipart_upload_after=Duration.days(7),
                )
            ],
            why_no_access_logs="Only the stack's functions can reach the lake; S3 server "
            "access logs would need a log bucket of their own (CloudTrail data events can "
            "audit access on demand).",
        )
        # EventBridge delivery set on the bucket itself: the L2 `event_bridge_enabled`
        # would add a custom-resource Lambda to do what CloudFormation does natively.
        cfn_bucket = self.bucket.node.default_child
        assert isinstance(cfn_bucket, s3.CfnBucket)
        cfn_bucket.notification_configuration = s3.CfnBucket.NotificationConfigurationProperty(
            event_bridge_configuration=s3.CfnBucket.EventBridgeConfigurationProperty(
                event_bridge_enabled=True
            )
        )

    def grant_purge(self, function: PythonFunction, prefixes: Iterable[str]) -> None:
        """Let `function` delete objects under `prefixes` for good, every version (see
        `etl.core.lake.S3Lake.purge`), having listed them: erasure only."""
        prefixes = list(prefixes)
        target = function.function
        target.add_to_role_policy(
            iam.PolicyStatement(
                actions=["s3:ListBucket", "s3:ListBucketVersions"],
                resources=[self.bucket.bucket_arn],
                conditions=_listing_under(f"{prefix}*" for prefix in prefixes),
            )
        )
        target.add_to_role_policy(
            iam.PolicyStatement(
                actions=["s3:DeleteObject", "s3:DeleteObjectVersion"],
                resources=[self.bucket.arn_for_objects(f"{prefix}*") for prefix in prefixes],
            )
        )
        acknowledge(
            function,
            "Deleting a user deletes their objects under every prefix: each prefix holds a "
            "user= folder whose id is known only at runtime.",
            *sorted(
                f"AwsSolutions-IAM5[Resource::{arn_ref(self.bucket)}/{prefix}*]"
                for prefix in prefixes
            ),
        )

    def objects_created_under(self, prefix: str) -> events.EventPattern:
        """The EventBridge pattern of the bucket's "Object Created" events under `prefix`."""
        return events.EventPattern(
            source=["aws.s3"],
            detail_type=["Object Created"],
            detail={
                "bucket": {"name": [self.bucket.bucket_name]},
                "object": {"key": [{"prefix": prefix}]},
            },
        )

    def grant(
        self,
        function: PythonFunction,
        *,
        reads: Iterable[str] = (),
        writes: Iterable[str] = (),
    ) -> None:
        """Let `function` read objects under `reads` and write them under `writes`: prefixes
        (`raw/`), or key patterns where a prefix would grant too much
        (`exports/*/request.json`)."""
        findings = []
        read_patterns = [_objects(read) for read in reads]
        if read_patterns:
            # Reading is GetObject on the objects and listing only under the same prefixes
            # (a key pattern lists from its first wildcard: `exports/*/request.json` lists
            # `exports/*`), rather than grant_read's s3:List* on the whole bucket.
            function.function.add_to_role_policy(
                iam.PolicyStatement(
                    actions=["s3:GetObject"],
                    resources=[self.bucket.arn_for_objects(p) for p in read_patterns],
                )
            )
            function.function.add_to_role_policy(
                iam.PolicyStatement(
                    actions=["s3:ListBucket"],
                    resources=[self.bucket.bucket_arn],
                    conditions=_listing_under(read_patterns),
                )
            )
            findings += [f"Resource::{arn_ref(self.bucket)}/{p}" for p in read_patterns]
        for pattern in map(_objects, writes):
            self.bucket.grant_put(function.function, pattern)
            findings.append("Action::s3:Abort*")
            findings.append(f"Resource::{arn_ref(self.bucket)}/{pattern}")
        acknowledge(
            function,
            "Scoped to the lake prefixes this function reads and writes (for the ETL steps, "
            "their lists in etl/pipeline/order.py); s3:Abort* is CDK's grant_put set.",
            *sorted({f"AwsSolutions-IAM5[{finding}]" for finding in findings}),
        )


def _listing_under(patterns: Iterable[str]) -> dict[str, object]:
    """The condition that lets ListBucket list only under `patterns` (up to their first
    wildcard, as a prefix)."""
    prefixes = sorted({pattern.split("*", 1)[0] + "*" for pattern in patterns})
    return {"StringLike": {"s3:prefix": prefixes}}


def _objects(prefix_or_pattern: str) -> str:
    """The objects under a prefix (`raw/` -> `raw/*`); a key pattern as it is."""
    return f"{prefix_or_pattern}*" if prefix_or_pattern.endswith("/") else prefix_or_pattern
