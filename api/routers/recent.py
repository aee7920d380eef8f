from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from api.answers import CachedAnswers
from api.db import Row, load_query
from api.deps import DatabaseDep, ScopeDep
from api.models.listening import RecentEpisode, RecentPlay, RecentPlays, RecentTrack

router = APIRouter(tags=["listening"], route_class=CachedAnswers)

_RECENT = load_query("recent")


def _play(row: Row) -> RecentPlay:
    track = episode = None
    if row["track_id"] is not None:
        track = RecentTrack(
            track_id=row["track_id"],
            name=row["track_name"],
            artists=row["artists"],
            album_id=row["album_id"],
            album=row["album"],
            image_url=row["image_url"],
        )
    else:
        episode = RecentEpisode(
            episode_id=row["episode_id"], name=row["episode_name"], show=row["show_name"]
        )
    return RecentPlay(
        started_at=row["started_at"],
        ended_at=row["ended_at"],
        ms_played=row["ms_played"],
        kind=row["kind"],
        skipped=row["skipped"],
        track=track,
        episode=episode,
    )


@router.get(
    "/recent",
    summary="Recently played",
    description="Plays newest first, within the inclusive local days `from`..`to`: `limit` "
    "of them started before `before` (the latest when left out), and any others started at "
    "the same instant as the oldest of them (a page never splits one instant). The answer's "
    "`next_before` asks for the next, older page.",
)
def recent(
    scope: ScopeDep,
    database: DatabaseDep,
    limit: Annotated[int, Query(ge=1, le=100, description="How many plays, 1 to 100.")] = 50,
    before: Annotated[
        AwareDatetime | None,
        Query(
            description="Only plays started before this moment: an ISO 8601 time with its "
            "offset, such as the previous page's `next_before`."
        ),
    ] = None,
) -> RecentPlays:
    rows = database.fetch_all(_RECENT, scope.params(limit=limit, before=before))
    more = bool(rows) and rows[0]["more"]
    return RecentPlays(
        items=[_play(row) for row in rows], next_before=rows[-1]["started_at"] if more else None
    )
