"""The pipeline's steps. Each takes the state the previous step returned and returns it
with its own results added; state holds lake keys and counts, never data, so it fits in
a Step Functions payload. Every step is idempotent."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from etl.context import PipelineContext
from etl.curated import curated_csv
from etl.features import AudioFeatures, fetch_features
from etl.lake import RawKey
from etl.pipeline import STEP_NAMES
from etl.transform import UnreadableObject, quarantine_report, transform_raw
from etl.warehouse.load import (
    load_curated_plays,
    load_facts,
    refresh_stale_aggregates,
    upsert_features,
)

State = dict[str, Any]


def transform(state: State, ctx: PipelineContext) -> State:
    raw = RawKey.parse(state["raw_key"])
    try:
        result = transform_raw(raw, ctx.lake.get(raw.key))
    except UnreadableObject as error:
        ctx.lake.put(raw.quarantine_report_key, quarantine_report(raw.key, str(error), []))
        return {**state, "user_id": raw.user_id, "curated_key": None, "quarantined": str(error)}
    if result.rejected:
        reason = f"{len(result.rejected)} records could not be read; the others were kept"
        ctx.lake.put(raw.quarantine_report_key, quarantine_report(raw.key, reason, result.rejected))
    ctx.lake.put(raw.curated_key, curated_csv(result.plays))
    facts_key = None
    if result.facts:
        facts_key = raw.facts_key
        ctx.lake.put(facts_key, json.dumps(result.facts).encode())
    return {
        **state,
        "user_id": raw.user_id,
        "curated_key": raw.curated_key,
        "facts_key": facts_key,
        "plays": len(result.plays),
        "rejected": len(result.rejected),
        "unidentified": result.unidentified,
    }


def load(state: State, ctx: PipelineContext) -> State:
    if state.get("curated_key") is None:
        return {**state, "pending_features_key": None}
    raw = RawKey.parse(state["raw_key"])
    with ctx.database() as conn:
        if state.get("facts_key"):
            load_facts(
                conn,
                json.loads(ctx.lake.get(state["facts_key"])),
                user_id=raw.user_id,
                time_zone=ctx.settings.time_zone,
                lake_key=raw.key,
                detected_at=datetime.now(UTC),
            )
        loaded = load_curated_plays(
            conn,
            ctx.lake.get(state["curated_key"]),
            user_id=raw.user_id,
            time_zone=ctx.settings.time_zone,
            lake_key=raw.key,
        )
    pending_key = None
    if loaded.tracks_without_features:
        pending_key = raw.pending_features_key
        ctx.lake.put(pending_key, json.dumps(loaded.tracks_without_features).encode())
    return {
        **state,
        "inserted": loaded.inserted,
        "duplicates": loaded.duplicates,
        "pending_features_key": pending_key,
    }


def enrich(state: State, ctx: PipelineContext) -> State:
    pending_key = state.get("pending_features_key")
    if pending_key is None:
        return {**state, "features_key": None}
    track_ids: list[str] = json.loads(ctx.lake.get(pending_key))
    found = fetch_features(ctx.providers, track_ids)
    features_key = RawKey.parse(state["raw_key"]).features_key
    body = {
        "requested": len(track_ids),
        "fetched_at": datetime.now(UTC).isoformat(),
        "features": [item.as_record() for item in found],
    }
    ctx.lake.put(features_key, json.dumps(body).encode())
    return {**state, "features_key": features_key, "features_found": len(found)}


def apply(state: State, ctx: PipelineContext) -> State:
    features_key = state.get("features_key")
    features = (
        [AudioFeatures.from_record(r) for r in json.loads(ctx.lake.get(features_key))["features"]]
        if features_key
        else []
    )
    with ctx.database() as conn:
        stored = upsert_features(conn, features) if features else 0
        refresh_stale_aggregates(conn)
    return {**state, "features_stored": stored}


STEP_FUNCTIONS: dict[str, Callable[[State, PipelineContext], State]] = {
    "transform": transform,
    "load": load,
    "enrich": enrich,
    "apply": apply,
}


def run_step(name: str, state: State, ctx: PipelineContext) -> State:
    if name not in STEP_FUNCTIONS:
        raise ValueError(f"Unknown pipeline step {name!r}; steps are {list(STEP_NAMES)}")
    return STEP_FUNCTIONS[name](state, ctx)


def run_pipeline(raw_key: str, ctx: PipelineContext) -> State:
    """All steps in the state machine's order, in-process (local mode)."""
    state: State = {"raw_key": raw_key}
    for name in STEP_NAMES:
        state = run_step(name, state, ctx)
    return state
