"""The pipeline's state: each step adds what its part of `State` declares, and the JSON that
Step Functions hands from step to step keeps the keys a deployed state machine knows."""

from __future__ import annotations

import json

import pytest

from etl.core.keys import raw_export_key
from etl.core.settings import Settings
from etl.pipeline.context import PipelineContext
from etl.pipeline.order import STEP_NAMES
from etl.pipeline.steps import ApplyAdds, EnrichAdds, LoadAdds, State, TransformAdds, run_step
from tests.integration.test_import_pipeline import HISTORY

ADDS = {"transform": TransformAdds, "load": LoadAdds, "enrich": EnrichAdds, "apply": ApplyAdds}


@pytest.fixture
def ctx(settings: Settings) -> PipelineContext:
    return PipelineContext.from_settings(settings)  # the demo's catalog provider: it has none


def run_each_step(ctx: PipelineContext, body: bytes) -> State:
    """Every step in order, through JSON between them as on AWS; what each adds is checked."""
    raw_key = raw_export_key("me", "Streaming_History_Audio_2024_0.json", body)
    ctx.lake.put_new(raw_key, body)
    state: State = {"raw_key": raw_key}
    for name in STEP_NAMES:
        result = json.loads(json.dumps(run_step(name, state, ctx)))
        added = set(result) - set(state)
        declared = ADDS[name].__required_keys__ | ADDS[name].__optional_keys__
        assert added <= declared, f"{name} adds {added - declared}, undeclared"
        assert {key: result[key] for key in state} == state  # nothing taken away or changed
        state = result
    return state


def test_a_loaded_object_carries_every_steps_results(ctx: PipelineContext) -> None:
    state = run_each_step(ctx, json.dumps(HISTORY).encode())
    assert set(state) == {
        "raw_key", "user_id", "curated_key", "facts_key", "taken_as", "read", "plays",
        "not_plays", "rejected", "rejected_reasons", "records_key", "inserted",
        "already_stored", "superseded", "replaced", "pending_key", "enrichment_key",
        "features_found", "artists_looked_up", "features_stored",
    }  # fmt: skip
    assert (state["read"], state["plays"], state["inserted"]) == (5, 4, 4)


def test_an_object_set_aside_whole_carries_why_and_nothing_else(ctx: PipelineContext) -> None:
    state = run_each_step(ctx, b'{"not": "a list"}')
    assert set(state) == {
        "raw_key", "user_id", "curated_key", "quarantined", "pending_key", "enrichment_key",
        "features_stored",
    }  # fmt: skip
    assert (state["curated_key"], state["pending_key"], state["enrichment_key"]) == (None,) * 3
