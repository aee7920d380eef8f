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
ANSWERED = {"ingested", "no_new_plays"}  # outcomes where Spotify served the user's plays


@metrics.log_metrics
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, object]:
    run = ingest_connected_users(Spotify.from_settings(settings_with_secrets()))
    report = run.as_dict()
    for name, value in report.items():
        if isinstance(value, int) and not isinstance(value, bool):  # counts become metrics
            metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    # The alarm on missed ingests (cdk_app.alarms) counts runs with someone signed in, and
    # those where Spotify answered for at least one of them.
    if run.users:
        answered = any(user.outcome in ANSWERED for user in run.users)
        metrics.add_metric(name="IngestDue", unit=MetricUnit.Count, value=1)
        metrics.add_metric(name="IngestSucceeded", unit=MetricUnit.Count, value=int(answered))
    logger.info("Ingest finished", extra={"report": report})
    return report
