"""One ETL step of the state machine; MOODIFY_STEP says which (see etl/pipeline/order.py)."""

from __future__ import annotations

import os

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from etl.pipeline.context import PipelineContext
from etl.pipeline.steps import State, run_step, set_aside_by
from lambdas.secrets import settings_with_secrets

logger = Logger()
metrics = Metrics(namespace="Moodify")


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)  # a warm function must not keep the last key
def handler(event: State, context: LambdaContext) -> State:
    """Take the previous step's state and return it with this step's results added."""
    step = os.environ["MOODIFY_STEP"]
    logger.append_keys(step=step, raw_key=event.get("raw_key"))
    state = run_step(step, event, PipelineContext.from_settings(settings_with_secrets()))
    # The alarm on quarantined objects (cdk_app.alarms) counts these.
    if set_aside := set_aside_by(step, state):
        metrics.add_metric(name="ObjectsQuarantined", unit=MetricUnit.Count, value=set_aside)
    logger.info("Step finished", extra={"state": state})
    return state
