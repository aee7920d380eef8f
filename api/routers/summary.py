from fastapi import APIRouter

from api.answers import CachedAnswers
from api.db import load_query
from api.deps import DatabaseDep, ScopeDep
from api.models.listening import Summary

router = APIRouter(tags=["listening"], route_class=CachedAnswers)

_SUMMARY = load_query("summary")


@router.get(
    "/summary",
    summary="Listening totals",
    description="Plays and listening time (from ms_played) of music and episodes started "
    "between `from` and `to`, inclusive local days in the user's time zone; open-ended "
    "when a bound is left out.",
)
def summary(scope: ScopeDep, database: DatabaseDep) -> Summary:
    row = database.fetch_one(_SUMMARY, scope.params())
    return Summary(from_=scope.period.start, to=scope.period.end, **row)
