"""Alarms that reach the owner: an SNS topic (with an optional email), the alarms that
publish to it, dead-letter queues for the schedule and event rules, and a dashboard.

Cost: 22 alarms at $0.10 each (12 functions' errors and throttles, the ETL, the ingest,
quarantine, the API's 5xx, RDS storage and CPU credits, 4 dead-letter queues), the
topic's key at $1, and one dashboard (free within an account's first three, $3 beyond).
The README's cost table carries the sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import CfnCondition, CfnParameter, Duration, Fn, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct, IConstruct

from cdk_app.api import Api
from cdk_app.database import Database
from cdk_app.functions import SERVICE_NAME, PythonFunction
from cdk_app.nag import acknowledge

METRICS_NAMESPACE = "Moodify"  # the Powertools namespace of the functions' own metrics
# Ingest runs hourly: three missed hours in a row is an outage, not a slow Spotify.
INGEST_WINDOW = Duration.hours(3)
# The window the event-driven alarms sum over (an alarm emails when its state changes).
EVENT_WINDOW = Duration.minutes(5)
# A db.t4g.micro has 20 GB; autoscaling grows it, but an alarm at 2 GiB left gives time
# to look before writes fail.
FREE_STORAGE_BYTES = 2 * 1024**3
# A t4g.micro earns 12 credits an hour and holds at most 288; below 20 it is about to be
# held to its 10 % baseline, and queries slow down by an order of magnitude.
CPU_CREDITS_LOW = 20
# Dead letters: a single event that could not be delivered is worth a look.
DEAD_LETTERS_KEPT = Duration.days(14)


@dataclass(frozen=True)
class Watched:
    """What the alarms watch, as the stack composed it."""

    functions: Sequence[PythonFunction]
    state_machine: sfn.StateMachine
    unpack: PythonFunction
    api: Api
    database: Database
    event_rules: Sequence[events.Rule]
    schedule: scheduler.Schedule
    schedule_role: iam.IRole


class Alarms(Construct):
    def __init__(self, scope: Construct, id: str, *, watched: Watched) -> None:
        super().__init__(scope, id)
        email = CfnParameter(
            Stack.of(self),
            "AlarmEmail",
            type="String",
            default="",
            description="Where alarms are emailed (confirm the subscription AWS sends); "
            "empty for no email",
        )
        # CloudWatch cannot publish to a topic under the AWS-managed aws/sns key (its
        # policy cannot grant CloudWatch), so the topic has a key of its own ($1/month).
        key = kms.Key(self, "TopicKey", enable_key_rotation=True, description="Moodify alarms")
        key.grant(
            iam.ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*"
        )
        self.topic = sns.Topic(
            self, "Topic", display_name="Moodify alarms", master_key=key, enforce_ssl=True
        )
        subscription = sns.CfnSubscription(
            self,
            "Email",
            topic_arn=self.topic.topic_arn,
            protocol="email",
            endpoint=email.value_as_string,
        )
        subscription.cfn_options.condition = CfnCondition(
            self,
            "HasAlarmEmail",
            expression=Fn.condition_not(Fn.condition_equals(email.value_as_string, "")),
        )
        self.action = actions.SnsAction(self.topic)
        self.alarms: list[cloudwatch.Alarm] = []
        self.dead_letter_queues: list[sqs.Queue] = []

        self._etl(watched.state_machine)
        self._ingest()
        self._quarantine()
        self._api(watched.api)
        for function in watched.functions:
            self._function(function, unpack=function is watched.unpack)
        self._database(watched.database)
        for rule in watched.event_rules:
            self._dead_letters_of_rule(rule)
        self._dead_letters_of_schedule(watched.schedule, watched.schedule_role)
        self.dashboard = self._dashboard(watched)

    def _alarm(
        self,
        id: str,
        *,
        alarm_description: str,
        metric: cloudwatch.IMetric,
        threshold: float,
        comparison_operator: cloudwatch.ComparisonOperator,
        treat_missing_data: cloudwatch.TreatMissingData,
    ) -> cloudwatch.Alarm:
        """An alarm on one five-minute (or three-hour) window, notifying the topic."""
        alarm = cloudwatch.Alarm(
            self,
            id,
            alarm_description=alarm_description,
            metric=metric,
            threshold=threshold,
            evaluation_periods=1,
            comparison_operator=comparison_operator,
            treat_missing_data=treat_missing_data,
        )
        alarm.add_alarm_action(self.action)
        self.alarms.append(alarm)
        return alarm

    def _etl(self, state_machine: sfn.StateMachine) -> None:
        self._alarm(
            "EtlFailed",
            alarm_description="An ETL execution failed, timed out or was aborted: see the "
            "state machine's execution history",
            metric=cloudwatch.MathExpression(
                expression="FILL(failed, 0) + FILL(timed_out, 0) + FILL(aborted, 0)",
                using_metrics={
                    "failed": state_machine.metric_failed(period=EVENT_WINDOW, statistic="Sum"),
                    "timed_out": state_machine.metric_timed_out(
                        period=EVENT_WINDOW, statistic="Sum"
                    ),
                    "aborted": state_machine.metric_aborted(period=EVENT_WINDOW, statistic="Sum"),
                },
                period=EVENT_WINDOW,
            ),
            threshold=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            # No executions, no data: nothing failed.
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )

    @staticmethod
    def _count(name: str, period: Duration) -> cloudwatch.Metric:
        """The sum of one of the Moodify functions' own metrics (Powertools, EMF)."""
        return cloudwatch.Metric(
            namespace=METRICS_NAMESPACE,
            metric_name=name,
            dimensions_map={"service": SERVICE_NAME},
            statistic="Sum",
            period=period,
        )

    def _ingest(self) -> None:
        # Every run with a signed-in user reports IngestDue, and IngestSucceeded when
        # Spotify answered for at least one of them. The expression has data only where
        # a run was due, so with nobody signed in there is nothing to alarm on.
        self._alarm(
            "IngestMissed",
            alarm_description="No successful ingest for 3 hours while someone is signed "
            "in: see the ingest function's logs",
            metric=cloudwatch.MathExpression(
                expression="IF(due > 0, FILL(succeeded, 0), 1)",
                using_metrics={
                    "due": self._count("IngestDue", INGEST_WINDOW),
                    "succeeded": self._count("IngestSucceeded", INGEST_WINDOW),
                },
                period=INGEST_WINDOW,
            ),
            threshold=1,
            comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            # Missing means no run was due (nobody signed in). A schedule that stops
            # invoking is caught by its dead-letter queue, a crashing run by its errors.
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )

    def _quarantine(self) -> None:
        # The unpack function and the ETL's transform step count what they set aside under
        # quarantine/ themselves. A target-less rule's TriggeredRules would be cheaper, but
        # AWS does not say a rule without targets reports it, and calls EventBridge's
        # metrics best-effort.
        self._alarm(
            "ObjectsQuarantined",
            alarm_description="Objects were set aside under quarantine/: each has a "
            ".report.json saying why",
            metric=self._count("ObjectsQuarantined", EVENT_WINDOW),
            threshold=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            # Reported only when something was set aside: no data, nothing quarantined.
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )

    def _api(self, api: Api) -> None:
        self._alarm(
            "Api5xx",
            alarm_description="The API answered 5xx: see the API function's logs",
            metric=api.http_api.metric_server_error(period=EVENT_WINDOW, statistic="Sum"),
            threshold=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            # No requests, no data: nothing failed.
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )

    def _function(self, function: PythonFunction, *, unpack: bool) -> None:
        name = function.node.path.removeprefix(Stack.of(self).node.path + "/")
        description = (
            "An import failed to unpack (or its function was throttled): the import's "
            "status says why"
            if unpack
            else f"{name} failed or was throttled: see its logs"
        )
        self._alarm(
            "UnpackFailed" if unpack else f"{name.replace('/', '')}Errors",
            alarm_description=description,
            metric=cloudwatch.MathExpression(
                expression="FILL(errors, 0) + FILL(throttles, 0)",
                using_metrics={
                    "errors": function.function.metric_errors(period=EVENT_WINDOW, statistic="Sum"),
                    "throttles": function.function.metric_throttles(
                        period=EVENT_WINDOW, statistic="Sum"
                    ),
                },
                period=EVENT_WINDOW,
            ),
            threshold=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            # Lambda reports only invoked functions: no invocations, nothing failed.
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )

    def _database(self, database: Database) -> None:
        instance = database.instance
        self._alarm(
            "DatabaseStorageLow",
            alarm_description="The database has less than 2 GiB free",
            metric=instance.metric_free_storage_space(period=EVENT_WINDOW, statistic="Minimum"),
            threshold=FREE_STORAGE_BYTES,
            comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            # RDS reports every minute while the instance runs: silence means it is not.
            treat_missing_data=cloudwatch.TreatMissingData.BREACHING,
        )
        self._alarm(
            "DatabaseCpuCreditsLow",
            alarm_description="The database is about to run out of CPU credits and be held "
            "to its baseline",
            metric=instance.metric("CPUCreditBalance", period=EVENT_WINDOW, statistic="Minimum"),
            threshold=CPU_CREDITS_LOW,
            comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            # Reported every 5 minutes; storage's alarm already speaks for a silent instance.
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )

    def _dead_letter_queue(self, id: str, what: str) -> sqs.Queue:
        queue = sqs.Queue(
            self,
            id,
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=DEAD_LETTERS_KEPT,
        )
        acknowledge(
            queue,
            "A dead-letter queue itself: what lands here is read by hand, never redriven "
            "into another queue.",
            "AwsSolutions-SQS3",
        )
        self._alarm(
            f"{id}Depth",
            alarm_description=f"{what} could not be delivered: the event waits in the "
            "dead-letter queue for 14 days",
            metric=queue.metric_approximate_number_of_messages_visible(
                period=EVENT_WINDOW, statistic="Maximum"
            ),
            threshold=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            # SQS reports every queue every minute; a gap says nothing about its depth.
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        self.dead_letter_queues.append(queue)
        return queue

    def _dead_letters_of_rule(self, rule: events.Rule) -> None:
        """Give the rule's one target a dead-letter queue.

        Added to the synthesized target rather than in each construct, so that every rule
        gets one from one place; each construct keeps the retries it chose (EventBridge's
        default, 24 hours and 185 attempts, where it chose none).
        """
        id = rule.node.path.removeprefix(Stack.of(self).node.path + "/").replace("/", "")
        queue = self._dead_letter_queue(f"{id}DeadLetters", f"An event of {rule.node.path}")
        cfn_rule = rule.node.default_child
        assert isinstance(cfn_rule, events.CfnRule)
        cfn_rule.add_property_override("Targets.0.DeadLetterConfig.Arn", queue.queue_arn)
        queue.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal("events.amazonaws.com")],
                actions=["sqs:SendMessage"],
                resources=[queue.queue_arn],
                conditions={"ArnEquals": {"aws:SourceArn": rule.rule_arn}},
            )
        )

    def _dead_letters_of_schedule(self, schedule: scheduler.Schedule, role: iam.IRole) -> None:
        queue = self._dead_letter_queue("IngestScheduleDeadLetters", "An hourly ingest run")
        cfn_schedule = schedule.node.default_child
        assert isinstance(cfn_schedule, scheduler.CfnSchedule)
        cfn_schedule.add_property_override("Target.DeadLetterConfig.Arn", queue.queue_arn)
        queue.grant_send_messages(role)  # Scheduler sends with the schedule's own role

    def _dashboard(self, watched: Watched) -> cloudwatch.Dashboard:
        window = Duration.hours(1)
        dashboard = cloudwatch.Dashboard(self, "Dashboard")

        def graph(title: str, metrics: Sequence[cloudwatch.IMetric]) -> cloudwatch.GraphWidget:
            return cloudwatch.GraphWidget(title=title, left=list(metrics), width=8)

        def count(name: str, label: str) -> cloudwatch.Metric:
            return self._count(name, window).with_(label=label)

        machine = watched.state_machine
        http_api = watched.api.http_api
        instance = watched.database.instance
        dashboard.add_widgets(
            graph(
                "Ingest runs",
                [count("IngestDue", "due"), count("IngestSucceeded", "succeeded")],
            ),
            graph(
                "ETL executions",
                [
                    machine.metric_succeeded(period=window, statistic="Sum", label="succeeded"),
                    machine.metric_failed(period=window, statistic="Sum", label="failed"),
                    machine.metric_timed_out(period=window, statistic="Sum", label="timed out"),
                ],
            ),
            graph(
                "Imports",
                [
                    watched.unpack.function.metric_invocations(
                        period=window, statistic="Sum", label="unpacked"
                    ),
                    watched.unpack.function.metric_errors(
                        period=window, statistic="Sum", label="failed"
                    ),
                    count("ObjectsQuarantined", "objects quarantined"),
                ],
            ),
        )
        dashboard.add_widgets(
            graph(
                "API requests and 5xx",
                [
                    http_api.metric_count(period=window, statistic="Sum", label="requests"),
                    http_api.metric_server_error(period=window, statistic="Sum", label="5xx"),
                ],
            ),
            graph(
                "API latency (ms)",
                [
                    http_api.metric_latency(period=window, statistic="p50", label="p50"),
                    http_api.metric_latency(period=window, statistic="p99", label="p99"),
                ],
            ),
            graph(
                "Dead letters",
                [
                    queue.metric_approximate_number_of_messages_visible(
                        period=window, statistic="Maximum"
                    )
                    for queue in self.dead_letter_queues
                ],
            ),
        )
        functions = [f.function for f in watched.functions]
        dashboard.add_widgets(
            graph(
                "Lambda errors",
                [f.metric_errors(period=window, statistic="Sum") for f in functions],
            ),
            graph(
                "Lambda throttles",
                [f.metric_throttles(period=window, statistic="Sum") for f in functions],
            ),
            cloudwatch.GraphWidget(
                title="Database",
                left=[instance.metric_free_storage_space(period=window, label="free bytes")],
                right=[instance.metric("CPUCreditBalance", period=window, label="CPU credits")],
                width=8,
            ),
        )
        return dashboard


def python_functions(scope: IConstruct) -> list[PythonFunction]:
    """Every Moodify function under `scope`, in construct order."""
    return [node for node in scope.node.find_all() if isinstance(node, PythonFunction)]
