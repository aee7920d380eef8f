from typing import Annotated

from fastapi import APIRouter, Query

from api.answers import CachedAnswers
from api.db import load_query
from api.deps import DatabaseDep, ScopeDep
from api.models.common import TopMeasure
from api.models.listening import ClockCell, ClockKind, ListeningClock

router = APIRouter(tags=["listening"], route_class=CachedAnswers)

_CLOCK = load_query("clock")

# The rollup's kinds: podcast episodes and audiobook chapters are both 'episode' there.
_ROLLUP_KIND = {ClockKind.all: None, ClockKind.music: "track", ClockKind.podcasts: "episode"}


@router.get(
    "/clock",
    summary="Listening clock",
    description="Plays and listening time per weekday and hour of day, in the user's time "
    "zone, within the inclusive local days `from`..`to`: all 168 cells, zeros included. A "
    "play counts in the hour it started. `kind` picks music, podcasts (episodes and "
    "audiobook chapters) or all listening; `by` decides which cell is the peak.",
)
def clock(
    scope: ScopeDep,
    database: DatabaseDep,
    by: Annotated[
        TopMeasure, Query(description="The measure the peak cell is the largest of.")
    ] = TopMeasure.listening_time,
    kind: Annotated[ClockKind, Query(description="Which plays count.")] = ClockKind.all,
) -> ListeningClock:
    rows = database.fetch_all(_CLOCK, scope.params(kind=_ROLLUP_KIND[kind]))
    cells = [ClockCell.model_validate(row) for row in rows]
    plays = sum(cell.plays for cell in cells)

    def weight(cell: ClockCell) -> tuple[int, int, int, int]:
        measures = (cell.plays, cell.listening_ms)
        first, second = measures if by is TopMeasure.plays else measures[::-1]
        return (first, second, -cell.weekday, -cell.hour)

    return ListeningClock(
        by=by,
        kind=kind,
        time_zone=scope.time_zone,
        plays=plays,
        listening_ms=sum(cell.listening_ms for cell in cells),
        peak=max(cells, key=weight) if plays else None,
        cells=cells,
    )
