from fastapi import APIRouter

from api.answers import CachedAnswers
from api.db import load_query
from api.deps import CalendarDaysDep, DatabaseDep, DateRangeDep, UserIdDep
from api.models.common import Granularity
from api.models.mood import MoodCalendar, MoodDay, MoodPoint, MoodTrends

router = APIRouter(prefix="/mood", tags=["mood"], route_class=CachedAnswers)

_CALENDAR = load_query("mood_calendar")
_TRENDS = load_query("mood_trends")

_MUSIC_ONLY = (
    "Mood covers music only (episodes have no audio features): `plays` and `listening_ms` "
    "count music plays, valence and energy are means weighted by listening time over the "
    "tracks with known features, and `coverage` is the share of listening time they cover."
)


@router.get(
    "/calendar",
    summary="Daily mood",
    description="One entry per local day with music listening, for `year`, or `from`/`to` "
    "(at most 366 days; with one end only, the 365 days from or up to it), or by default the "
    "365 days up to the local day of the user's last play. " + _MUSIC_ONLY,
)
def calendar(days: CalendarDaysDep, user_id: UserIdDep, database: DatabaseDep) -> MoodCalendar:
    rows = database.fetch_all(_CALENDAR, {"user_id": user_id, **days.params()})
    return MoodCalendar(
        from_=days.start, to=days.end, days=[MoodDay.model_validate(row) for row in rows]
    )


@router.get(
    "/trends",
    summary="Mood over time",
    description="Mood per day, week (starting Monday) or month, for periods with music "
    "listening between the inclusive local days `from` and `to`. " + _MUSIC_ONLY,
)
def trends(
    period: DateRangeDep,
    user_id: UserIdDep,
    database: DatabaseDep,
    granularity: Granularity = Granularity.week,
) -> MoodTrends:
    params = {"user_id": user_id, "granularity": granularity.value, **period.params()}
    rows = database.fetch_all(_TRENDS, params)
    return MoodTrends(granularity=granularity, points=[MoodPoint.model_validate(r) for r in rows])
