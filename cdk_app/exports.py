"""Plays exports on AWS: the API writes a request under exports/, the lake's Object Created
event starts the export function, which writes the file and its status beside the request.

The function carries pyarrow (for Parquet), which the API function's bundle leaves out, and
runs as long as a large history takes, not the HTTP API's 29 s. See
`etl.warehouse.export_jobs` for the documents and `cdk_app.api` for the API's grants.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as events_targets
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from cdk_app.database import EXPORT_CONCURRENCY, Database
from cdk_app.functions import PythonFunction, VpcPlacement
from cdk_app.lake import Lake

EXPORTS_PREFIX = "exports/"
# The only objects whose creation starts an export: the API's requests (the file and the
# status written beside them must not start another).
EXPORT_REQUESTS = "exports/user=*/*/request.json"
# etl.warehouse.export_jobs.EXPORT_TIME_LIMIT: past it, a pending export reads as failed.
EXPORT_TIMEOUT = Duration.minutes(5)
# pyarrow's reader and writer hold a block (a MB of CSV) and a row group at a time; the
# memory buys CPU too (Lambda scales it with memory), which the Parquet conversion uses.
EXPORT_MEMORY_MB = 1024
# The CSV waits in /tmp while the Parquet is written beside it: a million plays (twelve
# years) are 270 MB of CSV and 35 MB of Parquet (README, Export); room for twice that.
EXPORT_TMP_MB = 1024


class Exports(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        code: lambda_.Code,
        lake: Lake,
        database: Database,
        placement: VpcPlacement,
    ) -> None:
        super().__init__(scope, id)
        # In the VPC beside the API function: it reads the warehouse as the app user.
        self.function = PythonFunction(
            self,
            "Export",
            code=code,
            handler="lambdas.export.handler",
            description="Write a plays export (CSV or Parquet) the API asked for under exports/",
            environment={**database.environment, "MOODIFY_LAKE_BUCKET": lake.bucket.bucket_name},
            placement=placement,
            memory_size=EXPORT_MEMORY_MB,
            timeout=EXPORT_TIMEOUT,
            tmp_mb=EXPORT_TMP_MB,
            reserved_concurrency=EXPORT_CONCURRENCY,
        )
        database.grant_connect(self.function.function)
        # Reads its request; writes the file and the status beside it (never reads them).
        lake.grant(self.function, reads=(EXPORT_REQUESTS,), writes=(EXPORTS_PREFIX,))
        self.rule = events.Rule(
            self,
            "ExportRequested",
            description="Write each plays export the API requests under exports/",
            event_pattern=events.EventPattern(
                source=["aws.s3"],
                detail_type=["Object Created"],
                detail={
                    "bucket": {"name": [lake.bucket.bucket_name]},
                    "object": {"key": events.Match.wildcard(EXPORT_REQUESTS)},
                },
            ),
        )
        # A failed export writes a failed status and returns: Lambda retries only what
        # never ran (an export is a click away from being asked again).
        self.rule.add_target(
            events_targets.LambdaFunction(
                self.function.function,
                event=events.RuleTargetInput.from_object(
                    {"request_key": events.EventField.from_path("$.detail.object.key")}
                ),
                max_event_age=Duration.minutes(15),
                retry_attempts=2,
            )
        )
        # A link lives five minutes; the file, its request and status a day (the bucket is
        # versioned: their old versions go a day later).
        lake.bucket.add_lifecycle_rule(
            id="ExpireExports",
            prefix=EXPORTS_PREFIX,
            expiration=Duration.days(1),
            noncurrent_version_expiration=Duration.days(1),
        )
