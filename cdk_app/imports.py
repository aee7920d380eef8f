"""Imports from the dashboard: the browser uploads an export under uploads/, a function
outside the VPC unpacks it into raw/, and the raw/ rule takes it from there.

The upload itself is a presigned POST that the API function signs (see `cdk_app.api` for
its grant); this construct holds what happens to the object once it is in the lake.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as events_targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from constructs import Construct

from cdk_app.functions import PythonFunction
from cdk_app.lake import Lake

UPLOADS_PREFIX = "uploads/"
UPLOADS_KEPT = Duration.days(7)
# A ~300 MB zip is downloaded to /tmp and read one member (one history file, tens of MB
# once inflated) at a time. 1 GB of memory is about $0.0008 per minute of unpacking on
# arm64; /tmp beyond the free 512 MB costs a fraction of that (about $0.00000003 per
# GB-second), so both are set with room rather than tuned to the byte.
UNPACK_MEMORY_MB = 1024
UNPACK_TMP_MB = 1024
UNPACK_TIMEOUT = Duration.minutes(5)


class Imports(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        code: lambda_.Code,
        lake: Lake,
        site_origin: str,
    ) -> None:
        super().__init__(scope, id)
        # Outside the VPC: it talks to S3 only, and needs neither the database nor a route.
        self.function = PythonFunction(
            self,
            "Unpack",
            code=code,
            handler="lambdas.unpack.handler",
            description="Unpack an uploaded Spotify export into raw/ (the ETL starts there)",
            environment={"MOODIFY_LAKE_BUCKET": lake.bucket.bucket_name},
            memory_size=UNPACK_MEMORY_MB,
            timeout=UNPACK_TIMEOUT,
            tmp_mb=UNPACK_TMP_MB,
        )
        # Reads the upload; writes raw objects, quarantined files and the status document
        # (written whole, never read back, so no read on state/).
        lake.grant(self.function, reads=(UPLOADS_PREFIX,), writes=("raw/", "quarantine/", "state/"))
        # Lambda tries an event three times in all: a failed attempt leaves nothing half
        # done (raw objects are put once), and the status document says "failed" between.
        self.rule = events.Rule(
            self,
            "UploadCreated",
            description="Unpack every export uploaded under uploads/",
            event_pattern=lake.objects_created_under(UPLOADS_PREFIX),
        )
        self.rule.add_target(
            events_targets.LambdaFunction(
                self.function.function,
                event=events.RuleTargetInput.from_object(
                    {"upload_key": events.EventField.from_path("$.detail.object.key")}
                ),
                max_event_age=Duration.hours(1),
                retry_attempts=2,
            )
        )
        # The raw copies are the source of truth: an upload is only kept long enough to
        # unpack it again by hand should something go wrong. The bucket is versioned, so
        # the expired upload's old version goes a day later.
        lake.bucket.add_lifecycle_rule(
            id="ExpireUploads",
            prefix=UPLOADS_PREFIX,
            expiration=UPLOADS_KEPT,
            noncurrent_version_expiration=Duration.days(1),
        )
        # The browser posts the file straight to the bucket, cross-origin from the site.
        # The presigned policy is what guards the bucket (exact key, size, expiry); CORS
        # only lets the dashboard's script follow the upload and read its answer. The
        # exact origin makes no cycle: the distribution depends on the site bucket and the
        # HTTP API, neither of which depends on the lake.
        lake.bucket.add_cors_rule(
            allowed_methods=[s3.HttpMethods.POST],
            allowed_origins=[site_origin],
            # A listener on the upload's progress makes the browser send a preflight.
            allowed_headers=["*"],
            max_age=3000,
        )
