"""The demo's friends: two more listeners of the demo's catalog, who share their listening
with the demo's listener, so that the affinity view (/compare) has someone to compare with.

Each has the demo listener's favourites over the same years (the same catalog) but choices
and mood of their own: one reaches for brighter music, the other for darker.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace

from etl.core.clock import Clock
from etl.core.settings import Settings
from etl.core.state import StateStore, UserState
from etl.imports.importer import import_export
from etl.pipeline.context import PipelineContext
from etl.warehouse.load import histories, read_sql
from etl.warehouse.sharing import set_sharing
from moodify.demo.sample import generate_sample_export


@dataclass(frozen=True)
class DemoFriend:
    user_id: str
    display_name: str
    listener_seed: int
    mood_shift: float  # added to the valence the listener reaches for
    intensity: float  # sessions a day, against the demo listener's


FRIENDS = (
    DemoFriend("demo-friend-robin", "Robin", listener_seed=101, mood_shift=0.14, intensity=0.6),
    DemoFriend("demo-friend-sasha", "Sasha", listener_seed=202, mood_shift=-0.12, intensity=0.5),
)
FRIEND_IDS = frozenset(friend.user_id for friend in FRIENDS)


def prepare_friends(settings: Settings, clock: Clock) -> list[str]:
    """Generate and import the history of each friend the warehouse lacks, ending at
    `clock()` as the demo's does (the same instant gives the same catalog); when any was
    generated, they and the demo's user (`settings.user_id`) share. Returns the names of
    the friends generated.
    `settings` are the demo's (`moodify.local.demo_settings`)."""
    ctx = PipelineContext.from_settings(settings, clock)
    with ctx.database() as conn:
        held = set(histories(conn))
    end = clock()
    generated = []
    for friend in FRIENDS:
        if friend.user_id in held:
            continue
        sample_dir = settings.home / "sample-friends" / friend.user_id
        shutil.rmtree(sample_dir, ignore_errors=True)
        sample = generate_sample_export(
            sample_dir,
            end=end,
            time_zone=settings.time_zone,
            listener_seed=friend.listener_seed,
            mood_shift=friend.mood_shift,
            intensity=friend.intensity,
        )
        StateStore(ctx.lake).update_user(
            friend.user_id,
            lambda user: replace(user, generated=True, time_zone=settings.time_zone),
            new=UserState(friend.user_id),
        )
        with ctx.database() as conn, conn, conn.cursor() as cur:
            cur.execute(
                read_sql("upsert_profile"),
                {
                    "user_id": friend.user_id,
                    "display_name": friend.display_name,
                    "time_zone": settings.time_zone,
                },
            )
        import_export(sample.files[0].parent, ctx, friend.user_id)
        generated.append(friend.display_name)
    if generated:  # once: a demo run again leaves the choices made since as they are
        with ctx.database() as conn:
            for user_id in (settings.user_id, *(friend.user_id for friend in FRIENDS)):
                set_sharing(conn, user_id, True, end, time_zone=settings.time_zone)
    return generated
