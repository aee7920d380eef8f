"""The hourly ingest: EventBridge Scheduler invokes a function outside the VPC."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_scheduler_targets as targets
from constructs import Construct

from cdk_app.functions import PythonFunction
from cdk_app.lake import Lake
from cdk_app.nag import acknowledge_invoke
from cdk_app.spotify import SpotifyApp


class Ingest(Construct):
    def __init__(
        self, scope: Construct, id: str, *, code: lambda_.Code, lake: Lake, spotify: SpotifyApp
    ) -> None:
        super().__init__(scope, id)
        self.function = PythonFunction(
            self,
            "Ingest",
            code=code,
            handler="lambdas.ingest.handler",
            description="Pull connected accounts' recent plays from Spotify into raw/",
            environment={
                "MOODIFY_LAKE_BUCKET": lake.bucket.bucket_name,
                "MOODIFY_ALLOWED_USERS": spotify.allowed_users,
            },
            # A run is a few short calls per user: a long Retry-After becomes a cool-down
            # in state/, never a sleep. A run cut short loses nothing: a cursor moves only
            # after its page is in the lake, and the next run starts from it.
            timeout=Duration.minutes(2),
        )
        spotify.grant_client(self.function)
        # Lists the users, keeps the new refresh token a refresh may return, and forgets the
        # token of a user taken off the allowlist.
        spotify.grant_tokens(
            self.function,
            "ssm:GetParameter",
            "ssm:PutParameter",
            "ssm:DeleteParameter",
            "ssm:GetParametersByPath",
        )
        # Pages under raw/; cursors, sign-in states and cool-downs under state/.
        lake.grant(self.function, reads=("state/",), writes=("raw/", "state/"))
        # The schedule's own role (the target would otherwise share one stack-wide).
        self.schedule_role = iam.Role(
            self, "ScheduleRole", assumed_by=iam.ServicePrincipal("scheduler.amazonaws.com")
        )
        acknowledge_invoke(self.schedule_role, self.function.function)
        self.schedule = scheduler.Schedule(
            self,
            "Hourly",
            description="Moodify: ingest recently played tracks",
            schedule=scheduler.ScheduleExpression.rate(Duration.hours(1)),
            # A missed run is caught up by the next one (it asks Spotify for everything
            # after the stored cursor), so retries stop well before that.
            target=targets.LambdaInvoke(
                self.function.function,
                role=self.schedule_role,
                retry_attempts=2,
                max_event_age=Duration.minutes(30),
            ),
        )
