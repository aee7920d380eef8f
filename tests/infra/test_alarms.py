"""Alarms that reach the owner: the topic and its optional email, every alarm with its
threshold and the topic as its action, dead-letter queues on every rule, the dashboard."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Match

from cdk_app.alarms import CPU_CREDITS_LOW, FREE_STORAGE_BYTES
from cdk_app.functions import SERVICE_NAME
from etl.pipeline.order import STEPS
from lambdas import pipeline_step, unpack
from tests.infra.conftest import (
    API_HANDLER,
    AUTH_HANDLER,
    AUTHORIZER_HANDLER,
    EXPORT_HANDLER,
    INGEST_HANDLER,
    MIGRATE_HANDLER,
    TRIGGER_HANDLER,
    UNPACK_HANDLER,
    Resource,
    Synthesized,
)


def topic(synth: Synthesized) -> str:
    (logical_id,) = synth.of_type("AWS::SNS::Topic")
    return logical_id


def alarms(synth: Synthesized) -> dict[str, Resource]:
    return synth.of_type("AWS::CloudWatch::Alarm")


def alarm(synth: Synthesized, name: str) -> dict[str, Any]:
    (found,) = [
        dict(resource["Properties"])
        for logical_id, resource in alarms(synth).items()
        if logical_id.startswith(f"Alarms{name}")
    ]
    return found


def metric_ids(properties: dict[str, Any]) -> list[dict[str, Any]]:
    """The metrics an alarm reads, whether it watches one metric or an expression."""
    if "Metrics" not in properties:
        return [
            {
                "Namespace": properties["Namespace"],
                "MetricName": properties["MetricName"],
                "Dimensions": properties.get("Dimensions", []),
            }
        ]
    return [
        query["MetricStat"]["Metric"] for query in properties["Metrics"] if "MetricStat" in query
    ]


def test_the_topic_is_encrypted_and_refuses_plain_http(synth: Synthesized) -> None:
    properties = synth.resources[topic(synth)]["Properties"]
    assert "KmsMasterKeyId" in properties
    synth.template.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        )
                    ]
                )
            }
        },
    )


def test_cloudwatch_may_use_the_topics_key(synth: Synthesized) -> None:
    synth.template.has_resource_properties(
        "AWS::KMS::Key",
        {
            "EnableKeyRotation": True,
            "KeyPolicy": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                                "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                            }
                        )
                    ]
                )
            },
        },
    )


def test_the_email_is_an_optional_parameter(synth: Synthesized) -> None:
    template = synth.template.to_json()
    assert template["Parameters"]["AlarmEmail"]["Default"] == ""
    (subscription,) = synth.of_type("AWS::SNS::Subscription").values()
    assert subscription["Properties"]["Endpoint"] == {"Ref": "AlarmEmail"}
    assert subscription["Properties"]["TopicArn"] == {"Ref": topic(synth)}
    condition = template["Conditions"][subscription["Condition"]]
    assert condition == {"Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmEmail"}, ""]}]}


def test_every_alarm_notifies_the_topic(synth: Synthesized) -> None:
    assert alarms(synth)
    for logical_id, resource in alarms(synth).items():
        assert resource["Properties"]["AlarmActions"] == [{"Ref": topic(synth)}], logical_id
        assert "TreatMissingData" in resource["Properties"], logical_id


def test_a_failed_timed_out_or_aborted_etl_execution_alarms(synth: Synthesized) -> None:
    properties = alarm(synth, "EtlFailed")
    (machine,) = synth.of_type("AWS::StepFunctions::StateMachine")
    names = {m["MetricName"] for m in metric_ids(properties)}
    assert names == {"ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted"}
    for metric in metric_ids(properties):
        assert metric["Dimensions"] == [{"Name": "StateMachineArn", "Value": {"Ref": machine}}]
    assert properties["Threshold"] == 1
    assert properties["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"


def test_three_hours_without_a_successful_ingest_alarm_only_when_one_was_due(
    synth: Synthesized,
) -> None:
    properties = alarm(synth, "IngestMissed")
    assert {m["MetricName"] for m in metric_ids(properties)} == {"IngestDue", "IngestSucceeded"}
    (expression,) = [q["Expression"] for q in properties["Metrics"] if "Expression" in q]
    assert expression == "IF(due > 0, FILL(succeeded, 0), 1)"
    periods = {q["MetricStat"]["Period"] for q in properties["Metrics"] if "MetricStat" in q}
    assert periods == {3 * 3600}
    assert properties["Threshold"] == 1
    assert properties["ComparisonOperator"] == "LessThanThreshold"
    assert properties["TreatMissingData"] == "notBreaching"  # nobody signed in


def test_quarantined_objects_alarm_on_the_count_the_functions_report(synth: Synthesized) -> None:
    # lambdas/unpack.py and lambdas/pipeline_step.py (the transform) publish the count
    # (tests/unit/test_quarantine_metric.py); every function runs as SERVICE_NAME.
    properties = alarm(synth, "ObjectsQuarantined")
    assert (unpack.metrics.namespace, pipeline_step.metrics.namespace) == ("Moodify", "Moodify")
    assert properties["Namespace"] == "Moodify"
    assert properties["MetricName"] == "ObjectsQuarantined"
    assert properties["Dimensions"] == [{"Name": "service", "Value": SERVICE_NAME}]
    assert (properties["Statistic"], properties["Period"]) == ("Sum", 300)
    assert properties["Threshold"] == 1
    assert properties["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert properties["TreatMissingData"] == "notBreaching"  # nothing set aside
    # No rule is left without a target, only to be counted (AWS documents no metric for one).
    for logical_id, rule in synth.of_type("AWS::Events::Rule").items():
        assert rule["Properties"]["Targets"], logical_id


def test_api_5xx_alarms(synth: Synthesized) -> None:
    properties = alarm(synth, "Api5xx")
    (metric,) = metric_ids(properties)
    assert (metric["Namespace"], metric["MetricName"]) == ("AWS/ApiGateway", "5xx")
    assert properties["Threshold"] == 1


@pytest.mark.parametrize(
    "handler",
    [
        API_HANDLER,
        AUTH_HANDLER,
        AUTHORIZER_HANDLER,
        EXPORT_HANDLER,
        INGEST_HANDLER,
        MIGRATE_HANDLER,
        TRIGGER_HANDLER,
        UNPACK_HANDLER,
        *(step.name for step in STEPS),
    ],
)
def test_every_function_alarms_on_errors_and_throttles(synth: Synthesized, handler: str) -> None:
    functions = synth.functions_by_handler()
    watched = {
        (metric["MetricName"], dimension["Value"]["Ref"])
        for resource in alarms(synth).values()
        for metric in metric_ids(resource["Properties"])
        for dimension in metric["Dimensions"]
        if dimension["Name"] == "FunctionName"
    }
    for logical_id in functions[handler]:
        assert ("Errors", logical_id) in watched
        assert ("Throttles", logical_id) in watched


def test_all_moodify_functions_are_watched(synth: Synthesized) -> None:
    functions = {f for ids in synth.functions_by_handler().values() for f in ids}
    watched = {
        dimension["Value"]["Ref"]
        for resource in alarms(synth).values()
        for metric in metric_ids(resource["Properties"])
        for dimension in metric["Dimensions"]
        if dimension["Name"] == "FunctionName"
    }
    moodify = {
        logical_id
        for logical_id in functions
        if "POWERTOOLS_SERVICE_NAME"
        in synth.resources[logical_id]["Properties"].get("Environment", {}).get("Variables", {})
    }
    assert moodify
    assert moodify <= watched


def test_a_failed_unpack_alarms(synth: Synthesized) -> None:
    properties = alarm(synth, "UnpackFailed")
    unpack = synth.function(UNPACK_HANDLER)
    assert {"Name": "FunctionName", "Value": {"Ref": unpack}} in metric_ids(properties)[0][
        "Dimensions"
    ]
    assert properties["Threshold"] == 1


def test_database_storage_and_cpu_credits_alarm(synth: Synthesized) -> None:
    storage = alarm(synth, "DatabaseStorageLow")
    assert storage["MetricName"] == "FreeStorageSpace"
    assert storage["Threshold"] == FREE_STORAGE_BYTES == 2 * 1024**3
    assert storage["ComparisonOperator"] == "LessThanThreshold"
    credits = alarm(synth, "DatabaseCpuCreditsLow")
    assert credits["MetricName"] == "CPUCreditBalance"
    assert credits["Threshold"] == CPU_CREDITS_LOW == 20
    assert credits["ComparisonOperator"] == "LessThanThreshold"


def queues_with_depth_alarms(synth: Synthesized) -> set[str]:
    return {
        dimension["Value"]["Fn::GetAtt"][0]
        for resource in alarms(synth).values()
        for metric in metric_ids(resource["Properties"])
        if metric["MetricName"] == "ApproximateNumberOfMessagesVisible"
        and resource["Properties"]["Threshold"] == 1
        for dimension in metric["Dimensions"]
    }


def test_every_rule_target_has_a_dead_letter_queue_with_a_depth_alarm(
    synth: Synthesized,
) -> None:
    depth_alarmed = queues_with_depth_alarms(synth)
    queues = synth.of_type("AWS::SQS::Queue")
    targeted = 0
    for logical_id, rule in synth.of_type("AWS::Events::Rule").items():
        for target in rule["Properties"].get("Targets", []):
            queue = target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0]
            assert queue in queues, logical_id
            assert queue in depth_alarmed, logical_id
            targeted += 1
    assert targeted == 3  # raw/ to the ETL, uploads/ to unpack, exports/ to the export
    (schedule,) = synth.of_type("AWS::Scheduler::Schedule").values()
    queue = schedule["Properties"]["Target"]["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0]
    assert queue in depth_alarmed


def test_dead_letter_queues_are_encrypted_and_refuse_plain_http(synth: Synthesized) -> None:
    queues = synth.of_type("AWS::SQS::Queue")
    assert len(queues) == 4
    for queue in queues.values():
        assert queue["Properties"]["SqsManagedSseEnabled"] is True
    policies = [p["Properties"] for p in synth.of_type("AWS::SQS::QueuePolicy").values()]
    for logical_id in queues:
        (policy,) = [p for p in policies if {"Ref": logical_id} in p["Queues"]]
        statements = policy["PolicyDocument"]["Statement"]
        assert any(
            s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
            for s in statements
        )


def test_events_may_send_only_from_their_own_rule(synth: Synthesized) -> None:
    sends = [
        statement
        for policy in synth.of_type("AWS::SQS::QueuePolicy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if statement.get("Principal") == {"Service": "events.amazonaws.com"}
    ]
    assert len(sends) == 3
    for statement in sends:
        assert statement["Condition"]["ArnEquals"]["aws:SourceArn"]["Fn::GetAtt"][1] == "Arn"


def test_the_dashboard_shows_the_pipeline(synth: Synthesized) -> None:
    (dashboard,) = synth.of_type("AWS::CloudWatch::Dashboard").values()
    body = str(dashboard["Properties"]["DashboardBody"])
    for shown in (
        "IngestSucceeded",
        "ExecutionsSucceeded",
        "ExecutionsFailed",
        "ObjectsQuarantined",
        "5xx",
        "Latency",
        "Throttles",
        "CPUCreditBalance",
        "FreeStorageSpace",
        "ApproximateNumberOfMessagesVisible",
    ):
        assert shown in body, shown
