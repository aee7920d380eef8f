from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.answers import CachedAnswers
from api.db import Row, load_query
from api.deps import ClockDep, DatabaseDep, Days, ScopeDep, invalid
from api.models.common import TopMeasure
from api.models.listening import TopArtist, TopTrack
from api.models.recap import (
    Recap,
    RecapChange,
    RecapComparison,
    RecapDay,
    RecapDiscovery,
    RecapMood,
    RecapSession,
    RecapTotals,
    RecapTrack,
)
from api.periods import compared_ranges
from etl.core.clock import local_today

router = APIRouter(tags=["recap"], route_class=CachedAnswers)

_TOTALS = load_query("recap_totals")
_DAYS = load_query("recap_days")
_MOOD = load_query("recap_mood")
_SESSION = load_query("recap_session")
_DISCOVERIES = load_query("recap_discoveries")
_TOP_TRACKS = load_query("top_tracks")
_TOP_ARTISTS = load_query("top_artists")
_LAST_LISTENING_DAY = load_query("last_listening_day")

TOP_LIMIT = 5
DISCOVERIES_LIMIT = 3
# A day's mood means something with half an hour of music, half of it with audio features.
MOOD_DAY_MIN_LISTENING_MS = 30 * 60_000
MOOD_DAY_MIN_COVERAGE = 0.5
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)

Year = Annotated[
    int | None,
    Query(ge=FIRST_DAY.year, le=LAST_DAY.year, description="A calendar year; not with from/to."),
]


def recap_range(scope: ScopeDep, database: DatabaseDep, clock: ClockDep, year: Year = None) -> Days:
    """`year`, or both `from` and `to`; with neither, the year of the user's last play."""
    start, end = scope.period.start, scope.period.end
    if year is not None:
        if start is not None or end is not None:
            raise invalid("year", "give either `year` or `from`/`to`, not both", year)
        return Days(date(year, 1, 1), date(year, 12, 31))
    if start is None and end is None:
        today = local_today(clock, scope.time_zone)
        last = database.fetch_one(_LAST_LISTENING_DAY, scope.params(today=today))["day"]
        return Days(date(last.year, 1, 1), date(last.year, 12, 31))
    if start is None or end is None:
        missing = "from" if start is None else "to"
        raise invalid(missing, "a recap needs both `from` and `to`, or a `year`", None)
    if start < FIRST_DAY or end > LAST_DAY:
        raise invalid(
            "from" if start < FIRST_DAY else "to",
            f"a recap covers days from {FIRST_DAY} to {LAST_DAY}",
            (start if start < FIRST_DAY else end).isoformat(),
        )
    return Days(start, end)


RecapDaysDep = Annotated[Days, Depends(recap_range)]


def _change(current: Row, previous: Row, name: str) -> RecapChange:
    now, before = int(current[name]), int(previous[name])
    return RecapChange(
        current=now, previous=before, change=(now - before) / before if before else None
    )


def _day(row: Row) -> RecapDay:
    track = RecapTrack.model_validate(row) if row["track_id"] is not None else None
    return RecapDay.model_validate({**row, "top_track": track})


@router.get(
    "/recap",
    summary="Recap of a range",
    description='A "Wrapped" of the inclusive local days of `year`, or of `from` to `to` '
    "(both needed; with none of them, the calendar year of the user's last play): "
    "listening totals and discoveries (tracks and artists first played in the range), the "
    "top 5 tracks and artists by listening time, the brightest and most melancholic days "
    f"(highest and lowest valence among days with at least "
    f"{MOOD_DAY_MIN_LISTENING_MS // 60_000} minutes of music, at least "
    f"{MOOD_DAY_MIN_COVERAGE:.0%} of it with audio features), the busiest day, the longest "
    "session, the music's mood, and a comparison with the range before: for whole calendar "
    "months (a year, a month, a quarter) the same months just before (2025 against 2024), "
    "otherwise as many days just before. While the range is under way (today falls inside "
    "it), the comparison counts its days up to today against the same part of the range "
    "before.",
)
def recap(days: RecapDaysDep, scope: ScopeDep, database: DatabaseDep, clock: ClockDep) -> Recap:
    def params(part: Days, **extra: object) -> dict[str, object]:
        return scope.params(**part.params(), **extra)

    compared, previous = compared_ranges(days, local_today(clock, scope.time_zone))
    tops = params(days, by=TopMeasure.listening_time.value, limit=TOP_LIMIT, offset=0)
    highlight_rules = {
        "min_mood_ms": MOOD_DAY_MIN_LISTENING_MS,
        "min_coverage": MOOD_DAY_MIN_COVERAGE,
    }
    # Independent reads of one answer, side by side on the pool; each range's totals once.
    periods = list(dict.fromkeys([days, compared, previous]))
    rows = database.fetch_each(
        [
            *[(_TOTALS, params(period)) for period in periods],
            (_DAYS, params(days, **highlight_rules)),
            (_SESSION, params(days)),
            (_TOP_TRACKS, tops),
            (_TOP_ARTISTS, tops),
            (_DISCOVERIES, params(days, limit=DISCOVERIES_LIMIT)),
            (_MOOD, params(days)),
        ]
    )
    totals_rows, others = rows[: len(periods)], rows[len(periods) :]
    totals_of = {period: found[0] for period, found in zip(periods, totals_rows, strict=True)}
    highlight_rows, session, top_tracks, top_artists, discoveries, (mood,) = others
    current_totals, previous_totals = totals_of[compared], totals_of[previous]
    highlights = {row["highlight"]: _day(row) for row in highlight_rows}
    return Recap(
        from_=days.start,
        to=days.end,
        days=(days.end - days.start).days + 1,
        totals=RecapTotals.model_validate(totals_of[days]),
        top_tracks=[TopTrack.model_validate(row) for row in top_tracks],
        top_artists=[TopArtist.model_validate(row) for row in top_artists],
        brightest_day=highlights.get("brightest"),
        melancholic_day=highlights.get("melancholic"),
        mood_day_min_listening_ms=MOOD_DAY_MIN_LISTENING_MS,
        mood_day_min_coverage=MOOD_DAY_MIN_COVERAGE,
        busiest_day=highlights.get("busiest"),
        longest_session=RecapSession.model_validate(session[0]) if session else None,
        top_discoveries=[RecapDiscovery.model_validate(row) for row in discoveries],
        mood=RecapMood.model_validate(mood),
        comparison=RecapComparison(
            from_=compared.start,
            to=compared.end,
            previous_from=previous.start,
            previous_to=previous.end,
            listening_ms=_change(current_totals, previous_totals, "listening_ms"),
            plays=_change(current_totals, previous_totals, "plays"),
            distinct_artists=_change(current_totals, previous_totals, "distinct_artists"),
            new_tracks=_change(current_totals, previous_totals, "new_tracks"),
            new_artists=_change(current_totals, previous_totals, "new_artists"),
        ),
    )
