"""The pipeline's steps. Each takes the state the previous step returned and returns it
with its own results added (`State`); state holds lake keys and counts, never data, so it
fits in a Step Functions payload. Every step is idempotent."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TypedDict

from etl.core.curated import curated_csv
from etl.core.keys import RawKey
from etl.enrich.artists import ArtistLookups, look_up_artists
from etl.enrich.features import fetch_features
from etl.enrich.genres import Lookups, look_up
from etl.enrich.providers import full_batch
from etl.exports.kinds import TakenAs, span_kind
from etl.exports.records import RecordCounts, most_first
from etl.pipeline.context import PipelineContext
from etl.pipeline.order import STEP_NAMES
from etl.pipeline.transform import (
    UnreadableObject,
    check_content,
    quarantine_report,
    transform_raw,
)
from etl.warehouse.genres import lookup_candidates, store_open_data
from etl.warehouse.load import (
    load_curated_plays,
    load_facts,
    pending_enrichment,
    record_etl_refresh,
    refresh_stale_aggregates,
    store_enrichment,
)


class Started(TypedDict):
    """What a run starts from (on AWS, the raw/ rule's input to the state machine)."""

    raw_key: str


class TransformAdds(TypedDict, total=False):
    """What the transform step adds: the raw object's curated rows, or why it has none."""

    user_id: str
    curated_key: str | None  # None: the object was set aside whole, for `quarantined`
    quarantined: str
    facts_key: str | None  # what the warehouse learns besides plays (a profile, gaps)
    taken_as: TakenAs | None  # what an export file was recognised as
    read: int  # records in the object: plays + not_plays + rejected
    plays: int
    not_plays: int
    rejected: int
    rejected_reasons: dict[str, int]  # a few reasons at most: each names a field and a rule


class LoadAdds(TypedDict, total=False):
    """What the load step adds: what became of the records, and what to enrich."""

    records_key: str  # the account of every record (`etl.exports.records.RecordCounts`)
    inserted: int
    already_stored: int
    superseded: int
    replaced: int  # stored plays of less trusted sources that this object's plays replaced
    pending_key: str | None  # None: nothing to enrich


class EnrichAdds(TypedDict, total=False):
    """What the enrich step adds: the providers' answers."""

    enrichment_key: str | None  # None: nothing was asked
    features_found: int
    artists_looked_up: int


class ApplyAdds(TypedDict, total=False):
    """What the apply step adds."""

    features_stored: int


class State(Started, TransformAdds, LoadAdds, EnrichAdds, ApplyAdds):
    """A run's state after any step. It is JSON as it is: Step Functions hands each step's
    result to the next as its event, so the keys are part of the deployed state machine."""


ProcessRawKeys = Callable[[list[str]], object]  # runs the pipeline on new raw objects
TRACKS_PER_RUN = 2_000  # tracks the providers are asked about in one enrich step


def transform(state: State, ctx: PipelineContext) -> State:
    raw = RawKey.parse(state["raw_key"])
    body = ctx.lake.get(raw.key)
    try:
        check_content(raw, body)
        result = transform_raw(raw, body)
    except UnreadableObject as error:
        ctx.lake.put(raw.quarantine_report_key, quarantine_report(raw.key, str(error), []))
        return {**state, "user_id": raw.user_id, "curated_key": None, "quarantined": str(error)}
    if result.rejected_count:
        count = result.rejected_count
        records = "1 record" if count == 1 else f"{count} records"
        reason = f"{records} could not be read; the others were kept"
        report = quarantine_report(raw.key, reason, result.rejected, result.rejected_count)
        ctx.lake.put(raw.quarantine_report_key, report)
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
        "taken_as": result.taken_as,
        "read": result.read,
        "plays": len(result.plays),
        "not_plays": result.not_plays,
        "rejected": result.rejected_count,
        "rejected_reasons": dict(result.rejected_reasons),
    }


def load(state: State, ctx: PipelineContext) -> State:
    curated_key, facts_key = state.get("curated_key"), state.get("facts_key")
    if curated_key is None:
        return {**state, "pending_key": None}
    raw = RawKey.parse(state["raw_key"])
    with ctx.database() as conn:
        if facts_key:
            load_facts(
                conn,
                json.loads(ctx.lake.get(facts_key)),
                user_id=raw.user_id,
                time_zone=ctx.settings.time_zone,
                lake_key=raw.key,
                detected_at=ctx.clock(),
            )
        loaded = load_curated_plays(
            conn,
            ctx.lake.get(curated_key),
            user_id=raw.user_id,
            time_zone=ctx.settings.time_zone,
            lake_key=raw.key,
            span_kind=span_kind(state.get("taken_as")),
        )
        pending = pending_enrichment(
            conn,
            tracks=TRACKS_PER_RUN,
            artists=ctx.settings.enrich_call_budget,
            now=ctx.clock(),
            batch=full_batch(ctx.settings.feature_providers),
            max_wait=ctx.settings.feature_max_wait,
        )
        # Each artist or album costs MusicBrainz at least one call: no more than the budget.
        candidates = lookup_candidates(
            conn,
            limit=ctx.settings.musicbrainz_call_budget,
            now=ctx.clock(),
            spotify_connected=ctx.settings.spotify_connected,
        )
    counts = RecordCounts(
        read=state["read"],
        new=loaded.inserted,
        already_stored=loaded.already_stored,
        superseded=loaded.superseded,
        not_plays=state["not_plays"],
        rejected=state["rejected"],
        superseded_by=loaded.superseded_by,
        rejected_reasons=most_first(state["rejected_reasons"].items()),
        replaced=loaded.replaced,
    )
    ctx.lake.put(raw.records_key, json.dumps(counts.as_json()).encode())
    pending_key = None
    if pending.track_ids or pending.artist_ids or candidates.artists or candidates.albums:
        pending_key = raw.pending_enrichment_key
        document = {
            "tracks": pending.track_ids,
            "artists": pending.artist_ids,
            "genre_artists": candidates.artists,
            "albums": candidates.albums,
        }
        ctx.lake.put(pending_key, json.dumps(document).encode())
    return {
        **state,
        "records_key": raw.records_key,
        "inserted": loaded.inserted,
        "already_stored": loaded.already_stored,
        "superseded": loaded.superseded,
        "replaced": sum(item.plays for item in loaded.replaced),
        "pending_key": pending_key,
    }


def enrich(state: State, ctx: PipelineContext) -> State:
    pending_key = state.get("pending_key")
    if pending_key is None:
        return {**state, "enrichment_key": None}
    pending = json.loads(ctx.lake.get(pending_key))
    features = fetch_features(ctx.providers, pending["tracks"])
    artists = ArtistLookups()
    if pending["artists"] and ctx.settings.spotify_connected:
        artists = look_up_artists(ctx.spotify_app_api(), pending["artists"])
    # Documents written before genres and covers have neither list.
    genre_artists, albums = pending.get("genre_artists") or [], pending.get("albums") or []
    lookups = Lookups()
    if genre_artists or albums:
        lookups = look_up(ctx.musicbrainz(), genre_artists, albums, ctx.clock)
    enrichment_key = RawKey.parse(state["raw_key"]).enrichment_key
    document = {
        "fetched_at": ctx.clock().isoformat(),
        "features": [item.as_record() for item in features.found],
        "unknown_tracks": features.unknown,
        "artists": artists.artists,
        "genres": lookups.genres,
        "album_art": lookups.album_art,
    }
    ctx.lake.put(enrichment_key, json.dumps(document).encode())
    return {
        **state,
        "enrichment_key": enrichment_key,
        "features_found": len(features.found),
        "artists_looked_up": len(artists.artists),
    }


def apply(state: State, ctx: PipelineContext) -> State:
    enrichment_key = state.get("enrichment_key")
    with ctx.database() as conn:
        stored = 0
        answer = json.loads(ctx.lake.get(enrichment_key)) if enrichment_key else None
        if answer:
            stored = store_enrichment(conn, answer)
        store_open_data(conn, answer, retry_after=ctx.settings.lookup_retry_after, now=ctx.clock())
        refresh_stale_aggregates(conn)
        record_etl_refresh(conn, ctx.clock())
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


def set_aside_by(name: str, state: State) -> int:
    """Objects the step `name` set aside under quarantine/ (a report there says why): 1 when
    the transform set its raw object aside whole or some of its records, else 0. The later
    steps only carry the transform's keys on, so they set nothing aside themselves."""
    return int(name == "transform" and bool(state.get("quarantined") or state.get("rejected")))


def run_steps(state: State, ctx: PipelineContext, names: Sequence[str]) -> State:
    for name in names:
        state = run_step(name, state, ctx)
    return state


def run_pipeline(raw_key: str, ctx: PipelineContext) -> State:
    """All steps in the state machine's order, in-process (local mode)."""
    return run_steps({"raw_key": raw_key}, ctx, STEP_NAMES)
