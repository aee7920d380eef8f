"""The ETL state machine: one Lambda per `etl.pipeline.order.STEPS` entry, chained in order.

Started for every object created under raw/. Each task hands its returned dict (lake keys
and counts, never data) to the next one.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as events_targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from cdk_app.database import ETL_STEP_CONCURRENCY, Database
from cdk_app.functions import PythonFunction, VpcPlacement, log_group
from cdk_app.lake import Lake
from cdk_app.nag import acknowledge, acknowledge_invoke
from cdk_app.spotify import SpotifyApp
from etl.pipeline.order import STEPS, Step

RETRIED_ERRORS = [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "States.TaskFailed",  # steps are idempotent, so a failed attempt is safe to repeat
]
# A throttled step waits its turn. The steps that load hold 2 of the database's connections
# each (cdk_app.database), and an export of N files starts N executions at once: each
# waits with a back-off capped at 2 minutes, for up to about half an hour in all (mean
# full jitter), long enough for some 30 files ahead of it.
THROTTLED = "Lambda.TooManyRequestsException"
THROTTLED_ATTEMPTS = 20
THROTTLED_MAX_DELAY = Duration.minutes(2)
# MusicBrainz calls per enrich run: at one a second, 4 minutes of the step's 10, leaving
# the rest for the audio features, Spotify's artists and a few 503 back-offs.
MUSICBRAINZ_CALL_BUDGET = 240
# Settings a step's function gets beyond the lake and the database, by step name.
STEP_ENVIRONMENT = {
    "enrich": {
        "MOODIFY_FEATURE_PROVIDERS": "spotify,reccobeats",
        "MOODIFY_MUSICBRAINZ_CALL_BUDGET": str(MUSICBRAINZ_CALL_BUDGET),
    },
}
STEP_TIMEOUT = Duration.minutes(10)


class EtlPipeline(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        code: lambda_.Code,
        lake: Lake,
        database: Database,
        placement: VpcPlacement,
        spotify: SpotifyApp,
    ) -> None:
        super().__init__(scope, id)
        self.functions: dict[str, PythonFunction] = {}
        failed = sfn.Fail(self, "ETL failed", cause="A pipeline step failed after retries")
        steps = [
            self._task(step, self._function(step, code, lake, database, placement, spotify))
            for step in STEPS
        ]
        for task in steps:
            task.add_catch(failed, errors=[sfn.Errors.ALL], result_path="$.error")
        chain = sfn.Chain.start(steps[0])
        for task in steps[1:]:
            chain = chain.next(task)

        self.state_machine = sfn.StateMachine(
            self,
            "StateMachine",
            definition_body=sfn.DefinitionBody.from_chainable(chain),
            timeout=Duration.hours(1),
            tracing_enabled=True,
            logs=sfn.LogOptions(destination=log_group(self, "Logs"), level=sfn.LogLevel.ALL),
        )
        acknowledge_invoke(self.state_machine, *(f.function for f in self.functions.values()))
        acknowledge(
            self.state_machine,
            "X-Ray tracing and CloudWatch Logs delivery actions take no resource-level "
            "permissions.",
            "AwsSolutions-IAM5[Resource::*]",
        )
        self.rule = events.Rule(
            self,
            "RawObjectCreated",
            description="Run the ETL pipeline for every new object under raw/",
            event_pattern=lake.objects_created_under("raw/"),
        )
        self.rule.add_target(
            events_targets.SfnStateMachine(
                self.state_machine,
                input=events.RuleTargetInput.from_object(
                    {"raw_key": events.EventField.from_path("$.detail.object.key")}
                ),
            )
        )

    def _function(
        self,
        step: Step,
        code: lambda_.Code,
        lake: Lake,
        database: Database,
        placement: VpcPlacement,
        spotify: SpotifyApp,
    ) -> lambda_.IFunction:
        function = PythonFunction(
            self,
            f"{step.name.title()}Function",
            code=code,
            handler="lambdas.pipeline_step.handler",
            description=f"ETL step {step.name}: {step.description}",
            environment={
                "MOODIFY_STEP": step.name,
                "MOODIFY_LAKE_BUCKET": lake.bucket.bucket_name,
                **(database.environment if step.needs_database else {}),
                **STEP_ENVIRONMENT.get(step.name, {}),
            },
            placement=placement if step.needs_database else None,
            memory_size=1024,
            timeout=STEP_TIMEOUT,
            reserved_concurrency=ETL_STEP_CONCURRENCY if step.needs_database else None,
        )
        self.functions[step.name] = function
        lake.grant(function, reads=step.reads, writes=step.writes)
        if step.needs_database:
            database.grant_connect(function.function)
        if step.needs_internet:
            spotify.grant_client(function)  # the Web API as the app (client credentials)
        return function.function

    def _task(self, step: Step, function: lambda_.IFunction) -> tasks.LambdaInvoke:
        task = tasks.LambdaInvoke(
            self,
            step.name,
            lambda_function=function,
            payload_response_only=True,
            retry_on_service_exceptions=False,  # replaced by the retry below
        )
        task.add_retry(
            errors=[THROTTLED],
            interval=Duration.seconds(10),
            backoff_rate=1.5,
            max_attempts=THROTTLED_ATTEMPTS,
            max_delay=THROTTLED_MAX_DELAY,
            jitter_strategy=sfn.JitterType.FULL,
        )
        task.add_retry(
            errors=RETRIED_ERRORS,
            interval=Duration.seconds(5),
            backoff_rate=2,
            max_attempts=3,
            jitter_strategy=sfn.JitterType.FULL,
        )
        return task
