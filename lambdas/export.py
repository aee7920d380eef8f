"""Write a plays export the API asked for, started by the lake's Object Created event.

The rule's input is `{"request_key": <the request's key, as the event spells it>}`
(`exports/user=<id>/<export id>/request.json`). The file and its status document go beside
the request; the API reads the status and signs the link.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from etl.core.clock import system_clock
from etl.core.keys import parse_export_request_key
from etl.core.lake import S3Lake
from etl.core.settings import Settings
from etl.warehouse.export import S3ExportLinks
from etl.warehouse.export_jobs import run_export

logger = Logger()
metrics = Metrics(namespace="Moodify")


@cache
def settings() -> Settings:
    return Settings()


@cache
def lake() -> S3Lake:
    """The lake bucket's client, made once per container."""
    bucket = settings().lake_bucket
    if not bucket:
        raise RuntimeError("The export function needs MOODIFY_LAKE_BUCKET")
    return S3Lake(bucket)


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)  # a warm function must not keep the last key
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    key = event["request_key"]
    logger.append_keys(request_key=key)
    try:
        parse_export_request_key(key)
    except ValueError:
        # Not a key the API writes (someone put it there by hand): retrying cannot help.
        logger.warning("Not an export request: ignored")
        metrics.add_metric(name="exports_ignored", unit=MetricUnit.Count, value=1)
        return {"ignored": key}
    status = run_export(
        lake(), S3ExportLinks(lake().bucket, lake().client), settings(), key, system_clock
    )
    metrics.add_metric(name=f"exports_{status.state}", unit=MetricUnit.Count, value=1)
    return {"state": status.state, "file_key": status.file_key, "message": status.message}
