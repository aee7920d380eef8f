"""The ETL pipeline's steps and their order.

This module is the single source of the step list: the local runner executes the steps
in this order in-process, and the CDK stack builds one Lambda and one state per step from
it. It imports nothing heavier than the standard library so that `cdk_app` can read it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One state of the ETL state machine.

    `name` selects the step's function in `etl.steps`; `needs_database` puts its Lambda in
    the VPC's isolated subnets (reaching S3 through the gateway endpoint only);
    `needs_internet` keeps it outside the VPC so it can call third-party APIs.
    """

    name: str
    description: str
    needs_database: bool
    needs_internet: bool


STEPS: tuple[Step, ...] = (
    Step("transform", "Parse a raw lake object into curated rows", False, False),
    Step("load", "Load curated rows into the warehouse", True, False),
    Step("enrich", "Fetch audio features for tracks that lack them", False, True),
    Step("apply", "Upsert audio features and refresh aggregates", True, False),
)

STEP_NAMES: tuple[str, ...] = tuple(step.name for step in STEPS)
