"""Unpack an export the dashboard uploaded, started by the lake's Object Created event.

The rule's input is `{"upload_key": <the object's key, as the event spells it>}`. What the
unpacking writes under raw/ starts the ETL through the raw/ rule, as any raw object does.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from etl.core.clock import system_clock
from etl.core.keys import UploadKey
from etl.core.lake import Lake, lake_from_settings
from etl.core.settings import Settings
from etl.imports.unpack import unpack_upload

logger = Logger()
metrics = Metrics(namespace="Moodify")


@cache
def lake() -> Lake:
    """The lake bucket's client, made once per container."""
    return lake_from_settings(Settings())


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)  # a warm function must not keep the last key
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    key = event["upload_key"]
    logger.append_keys(upload_key=key)
    try:
        UploadKey.parse(key)
    except ValueError:
        # Not one of the keys the API hands out (someone put it there by hand): retrying
        # cannot help, so it is logged and left for the uploads/ lifecycle rule.
        logger.warning("Not an import's upload: ignored")
        metrics.add_metric(name="uploads_ignored", unit=MetricUnit.Count, value=1)
        return {"ignored": key}
    status = unpack_upload(lake(), key, Path(tempfile.gettempdir()), system_clock)
    outcomes = Counter(f.status for f in status.files)
    for outcome in ("imported", "quarantined", "ignored"):
        count = outcomes[outcome]
        metrics.add_metric(name=f"upload_files_{outcome}", unit=MetricUnit.Count, value=count)
    # The alarm on quarantined objects (cdk_app.alarms) sums these with the ETL's.
    if quarantined := outcomes["quarantined"]:
        metrics.add_metric(name="ObjectsQuarantined", unit=MetricUnit.Count, value=quarantined)
    result = status.as_dict()
    logger.info("Upload unpacked", extra={"import": result})
    return result
