"""Local mode: the pipeline in-process, the embedded warehouse, and the demo's data."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Literal

from etl.core.clock import Clock, system_clock
from etl.core.keys import SAMPLE_CATALOG_KEY
from etl.core.lake import lake_from_settings
from etl.core.settings import Settings
from etl.core.state import StateStore, UserState
from etl.imports.importer import FileDone, ImportReport, import_export
from etl.pipeline import erasure as user_erasure
from etl.pipeline.context import PipelineContext
from etl.pipeline.rebuild import Progress, Rebuilt, rebuild_warehouse
from etl.pipeline.steps import State, run_pipeline
from etl.spotify.ingest import IngestReport, Spotify, ingest_connected_users
from etl.spotify.tokens import token_store
from etl.warehouse import erasure
from etl.warehouse.erasure import PlaysInRange
from etl.warehouse.load import UserTotals, histories, user_totals
from etl.warehouse.migrate import upgrade
from etl.warehouse.user_settings import change_time_zone
from moodify.database import database_url
from moodify.demo.friends import FRIEND_IDS
from moodify.demo.sample import generate_sample_export
from moodify.demo.simulation.musicbrainz import FakeMusicBrainz, sample_data

# The demo's plays belong to their own user, so a real import in the same home never
# mixes with them: `moodify demo` serves this user, `moodify serve` the configured one.
DEMO_USER_ID = "demo"
DEMO_TIME_ZONE = "Europe/Berlin"


def local_settings(settings: Settings | None = None) -> Settings:
    """Settings with the warehouse resolved: DATABASE_URL, or the embedded server."""
    settings = settings or Settings()
    settings.home.mkdir(parents=True, exist_ok=True)
    return settings.model_copy(update={"database_url": database_url(settings)})


def migrate(settings: Settings) -> list[str]:
    with PipelineContext.from_settings(settings).database() as conn:
        return upgrade(conn)


def totals(settings: Settings) -> UserTotals:
    with PipelineContext.from_settings(settings).database() as conn:
        return user_totals(conn, settings.user_id)


@dataclass(frozen=True)
class Whose:
    """Whose listening history the local dashboard and the CLI's commands act on."""

    user_id: str
    generated: bool  # the demo's invented history, not someone's listening
    chosen: Literal["by MOODIFY_USER_ID", "the configured user", "the only history here"]
    histories: tuple[str, ...]  # every user with plays in this warehouse


def whose_data(settings: Settings) -> Whose:
    """The user that `MOODIFY_USER_ID` names; else the configured user (`me`) once it has
    plays; else the warehouse's only history (after `make demo`, the demo's).

    So `moodify serve` after `make demo` shows the demo, and an import of your own export
    (which goes to the configured user) takes its place.
    """
    migrate(settings)
    with PipelineContext.from_settings(settings).database() as conn:
        # The demo's friends are there to compare with, not a history to show.
        held = tuple(user for user in histories(conn) if user not in FRIEND_IDS)
    user_id = settings.user_id
    chosen: Literal["by MOODIFY_USER_ID", "the configured user", "the only history here"]
    if "user_id" in settings.model_fields_set:
        chosen = "by MOODIFY_USER_ID"
    elif user_id not in held and len(held) == 1:
        user_id, chosen = held[0], "the only history here"
    else:
        chosen = "the configured user"
    generated = StateStore(lake_from_settings(settings)).user(user_id).generated
    return Whose(user_id, generated, chosen, held)


def for_user(settings: Settings, whose: Whose) -> Settings:
    """The settings that act on `whose`'s history."""
    return settings.model_copy(update={"user_id": whose.user_id})


def import_path(path: Path, settings: Settings, on_file: FileDone) -> ImportReport:
    migrate(settings)
    return import_export(path, PipelineContext.from_settings(settings), settings.user_id, on_file)


@dataclass(frozen=True)
class DemoData:
    generated: bool  # False when the warehouse already held the demo's plays
    report: ImportReport | None
    totals: UserTotals


def demo_settings(settings: Settings) -> Settings:
    # No Spotify app in the demo: the API serves the demo user without sign-in.
    return settings.model_copy(
        update={
            "user_id": DEMO_USER_ID,
            "time_zone": DEMO_TIME_ZONE,
            "spotify_client_id": None,
            "feature_providers": ("sample",),
            # Genres and covers come from a loopback fake while the demo is prepared; the
            # real MusicBrainz is never asked about invented artists.
            "musicbrainz_call_budget": 0,
        }
    )


def process_raw_keys(
    settings: Settings, raw_keys: list[str], clock: Clock = system_clock
) -> list[State]:
    """Run the pipeline on new raw objects in-process, as the state machine does on AWS."""
    ctx = PipelineContext.from_settings(settings, clock)
    return [run_pipeline(key, ctx) for key in raw_keys]


def ingest(settings: Settings, clock: Clock = system_clock) -> tuple[IngestReport, list[State]]:
    """One ingest run for every connected account, then the pipeline on what it wrote."""
    migrate(settings)
    report = ingest_connected_users(Spotify.from_settings(settings, clock))
    return report, process_raw_keys(settings, report.raw_keys, clock)


def prepare_demo(settings: Settings, clock: Clock) -> DemoData:
    """Fill the demo user's warehouse with the sample history through the real import
    path, once; the history ends when it is generated, so every recent range has plays.
    `settings` are the demo's (see `demo_settings`)."""
    migrate(settings)
    existing = totals(settings)
    if existing.plays:
        return DemoData(generated=False, report=None, totals=existing)
    sample_dir = settings.home / "sample"
    shutil.rmtree(sample_dir, ignore_errors=True)
    sample = generate_sample_export(sample_dir, end=clock(), time_zone=DEMO_TIME_ZONE)
    # The demo's genres and covers come from a fake MusicBrainz and Cover Art Archive on
    # loopback, whose covers are `data:` URLs that outlive it.
    with FakeMusicBrainz(sample_data(sample), min_interval=0, inline_images=True) as fake:
        ctx = PipelineContext.from_settings(demo_open_data(settings, fake), clock)
        ctx.lake.put(SAMPLE_CATALOG_KEY, sample.features_path.read_bytes())
        StateStore(ctx.lake).update_user(
            settings.user_id,
            lambda user: replace(user, generated=True, time_zone=settings.time_zone),
            new=UserState(settings.user_id),
        )
        report = import_export(sample.files[0].parent, ctx, settings.user_id)
    return DemoData(generated=True, report=report, totals=totals(settings))


def demo_open_data(settings: Settings, fake: FakeMusicBrainz) -> Settings:
    """`settings` asking `fake` for every artist's genres and every album's cover at once:
    no pause between requests, which only a loopback fake allows (MusicBrainz allows one
    request a second)."""
    return settings.model_copy(
        update={
            "musicbrainz_url": fake.api_url,
            "coverartarchive_url": fake.url,
            "musicbrainz_call_budget": 100_000,
            "musicbrainz_interval_s": 0.0,
        }
    )


def rebuild(settings: Settings, on_object: Progress) -> Rebuilt:
    migrate(settings)
    return rebuild_warehouse(PipelineContext.from_settings(settings), on_object)


def set_time_zone(settings: Settings, time_zone: str) -> None:
    """Cut the days of `settings.user_id` in `time_zone`, in the warehouse and in the lake
    (which a rebuild of the warehouse reads it from)."""
    migrate(settings)
    ctx = PipelineContext.from_settings(settings)
    with ctx.database() as conn:
        change_time_zone(conn, StateStore(ctx.lake), settings.user_id, time_zone, ctx.clock())


def erase_days(settings: Settings, first: date, last: date, *, dry_run: bool) -> PlaysInRange:
    """Erase (or, dry, count) the plays of `settings.user_id`'s local days `first` to
    `last`, up to now; ValueError for a range that ends before it starts or after today."""
    migrate(settings)
    ctx = PipelineContext.from_settings(settings)
    now = ctx.clock()
    # The zone that cuts the user's days is kept in their state whenever one was chosen.
    time_zone = StateStore(ctx.lake).user(settings.user_id).time_zone or settings.time_zone
    start, end = erasure.past_local_days(first, last, time_zone, now)
    with ctx.database() as conn:
        if dry_run:
            return erasure.plays_in_range(conn, settings.user_id, start, end)
        erased = erasure.ErasedRange(settings.user_id, start, end, now)
        return erasure.erase_range(conn, ctx.lake, erased)


def erase_user(settings: Settings) -> user_erasure.ErasedUser:
    """Delete everything this Moodify keeps of `settings.user_id`."""
    migrate(settings)
    ctx = PipelineContext.from_settings(settings)
    with ctx.database() as conn:
        return user_erasure.erase_user(conn, ctx.lake, token_store(settings), settings.user_id)
