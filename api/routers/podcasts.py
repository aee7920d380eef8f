from typing import Annotated

from fastapi import APIRouter, Query

from api.answers import CachedAnswers
from api.db import Row, load_query
from api.deps import DatabaseDep, ScopeDep
from api.models.podcasts import EpisodeCounts, HourListening, Podcasts, ShowGroup, ShowListening

router = APIRouter(tags=["podcasts"], route_class=CachedAnswers)

_SHOWS = load_query("podcasts_shows")
_HOURS = load_query("podcasts_hours")


def _group(rows: list[Row]) -> ShowGroup:
    """One kind's rows: its total first, then its shows by rank."""
    if not rows:
        empty = EpisodeCounts(plays=0, listening_ms=0, started=0, finished=0)
        return ShowGroup(totals=empty, count=0, items=[])
    total, *shows = rows
    return ShowGroup(
        totals=EpisodeCounts.model_validate(total),
        count=shows[0]["count"] if shows else 0,
        items=[ShowListening.model_validate({**row, "name": row["show_name"]}) for row in shows],
    )


@router.get(
    "/podcasts",
    summary="Podcasts and audiobooks",
    description="Listening to podcasts and audiobooks within the inclusive local days "
    "`from`..`to`: by show and by audiobook (known by name; exports give a show no id), how "
    "many episodes (chapters) were started and how many of those were played to the end "
    "(a play that ended with reason 'trackdone'), and the local hours they were played in. "
    "Audiobooks are told apart where the extended streaming history says a play is a "
    "chapter; the account data names none.",
)
def podcasts(
    scope: ScopeDep,
    database: DatabaseDep,
    limit: Annotated[
        int, Query(ge=1, le=100, description="How many shows and audiobooks, 1 to 100 each.")
    ] = 10,
) -> Podcasts:
    rows, hours = database.fetch_each(
        [(_SHOWS, scope.params(limit=limit)), (_HOURS, scope.params())]
    )
    return Podcasts(
        shows=_group([row for row in rows if row["kind"] == "episode"]),
        audiobooks=_group([row for row in rows if row["kind"] == "chapter"]),
        hours=[HourListening.model_validate(row) for row in hours],
    )
