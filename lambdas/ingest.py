"""The hourly ingest, invoked by EventBridge Scheduler."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from etl.spotify.ingest import Spotify, ingest_connected_users
from lambdas.secrets import settings_with_secrets

logger = Logger()
metrics = Metrics(namespace="Moodify")


@metrics.log_metrics
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, object]:
    run = ingest_connected_users(Spotify.from_settings(settings_with_secrets()))
    report = run.as_dict()
    for name, value in report.items():
        if isinstance(value, int) and not isinstance(value, bool):  # counts become metrics
            metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    # The alarm on missed ingests (cdk_app.alarms) counts runs that were due, and those
    # that succeeded.
    if run.due:
        metrics.add_metric(name="IngestDue", unit=MetricUnit.Count, value=1)
        metrics.add_metric(name="IngestSucceeded", unit=MetricUnit.Count, value=int(run.succeeded))
    logger.info("Ingest finished", extra={"report": report})
    return report
