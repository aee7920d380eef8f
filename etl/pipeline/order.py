"""The ETL pipeline's steps and their order.

This module is the single source of the step list: the local runner executes the steps
in this order in-process, and the CDK stack builds one Lambda and one state per step from
it. It imports nothing heavier than the standard library so that `cdk_app` can read it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One state of the ETL state machine.

    `name` selects the step's function in `etl.pipeline.steps`; `needs_database` puts its Lambda in
    the VPC's isolated subnets (reaching S3 through the gateway endpoint only);
    `needs_internet` keeps it outside the VPC so it can call third-party APIs. `reads` and
    `writes` are the lake prefixes it touches, so its IAM grants come from this list too.
    """

    name: str
    description: str
    needs_database: bool
    needs_internet: bool
    reads: tuple[str, ...]
    writes: tuple[str, ...]


STEPS: tuple[Step, ...] = (
    Step(
        "transform",
        "Parse a raw lake object into curated rows",
        needs_database=False,
        needs_internet=False,
        reads=("raw/",),
        writes=("curated/", "quarantine/"),
    ),
    Step(
        "load",
        "Load curated rows into the warehouse; list tracks that lack audio features",
        needs_database=True,
        needs_internet=False,
        reads=("curated/",),
        # what became of each record: `RawKey.records_key`
        writes=("curated/records/", "enrichment/"),
    ),
    Step(
        "enrich",
        "Fetch audio features and artist details from the providers, within budget",
        needs_database=False,
        needs_internet=True,
        reads=("enrichment/", "state/"),
        writes=("enrichment/", "state/"),
    ),
    Step(
        "apply",
        "Upsert audio features and refresh the aggregates the new data touches",
        needs_database=True,
        needs_internet=False,
        reads=("enrichment/",),
        writes=(),
    ),
)

STEP_NAMES: tuple[str, ...] = tuple(step.name for step in STEPS)
