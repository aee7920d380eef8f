from __future__ import annotations

from collections import defaultdict
from datetime import date
from fractions import Fraction
from typing import Annotated

from fastapi import APIRouter, Query

from api.answers import CachedAnswers
from api.db import Row, load_query
from api.deps import DatabaseDep, DateRange, ScopeDep
from api.models.common import Granularity, TopMeasure
from api.models.genres import GenreTrend, GenreTrendPoint, ParentGenre, TopGenres
from api.routers.top import By

router = APIRouter(prefix="/genres", tags=["genres"], route_class=CachedAnswers)

_TOP = load_query("genres_top")
_TREND = load_query("genres_trend")

RAW_GENRES_PER_PARENT = 5
OTHER = "Other"
# The trend's points: by day up to a month, by week up to half a year, else by month.
DAILY_UP_TO_DAYS = 31
WEEKLY_UP_TO_DAYS = 183

_GENRES = (
    "Genres are the artists' (`artist_genres`: Spotify's, else MusicBrainz's), each mapped to "
    "a parent genre. Music only: `coverage` is the share of the music listening time whose "
    "track has at least one artist with a known genre."
)

TrendLimit = Annotated[
    int,
    Query(ge=1, le=15, description="How many parent genres to show apart from 'Other'."),
]


@router.get(
    "/top",
    summary="Top genres",
    description="Parent genres ranked by `by` (listening time unless told otherwise) within "
    "the inclusive local days `from`..`to`, each with its share of the music listening time "
    "and its raw genres most listened to. A play counts once for each distinct parent genre "
    "of its track's artists, so the shares can add up to more than the coverage. " + _GENRES,
)
def top_genres(
    scope: ScopeDep, database: DatabaseDep, by: By = TopMeasure.listening_time
) -> TopGenres:
    params = scope.params(by=by.value, raw_limit=RAW_GENRES_PER_PARENT)
    row = database.fetch_one(_TOP, params)
    listening_ms = int(row["listening_ms"])
    items = [
        ParentGenre.model_validate(
            {**parent, "genres": parent["genres"] or [], "share": _share(parent, listening_ms)}
        )
        for parent in row["parents"]
    ]
    return TopGenres(
        from_=scope.period.start,
        to=scope.period.end,
        by=by,
        listening_ms=listening_ms,
        coverage=int(row["covered_ms"]) / listening_ms if listening_ms else 0.0,
        items=items,
    )


def _share(parent: Row, listening_ms: int) -> float:
    return int(parent["listening_ms"]) / listening_ms if listening_ms else 0.0


def trend_granularity(period: DateRange) -> Granularity:
    """Days for a range of up to a month, weeks up to half a year, else (open ranges too)
    months."""
    if period.start is None or period.end is None:
        return Granularity.month
    days = (period.end - period.start).days + 1
    if days <= DAILY_UP_TO_DAYS:
        return Granularity.day
    if days <= WEEKLY_UP_TO_DAYS:
        return Granularity.week
    return Granularity.month


@router.get(
    "/trend",
    summary="Genre share over time",
    description="Each parent genre's share of the covered music listening time per period "
    f"within the inclusive local days `from`..`to`: by day for ranges of up to "
    f"{DAILY_UP_TO_DAYS} days, by week (from Monday) up to {WEEKLY_UP_TO_DAYS} days, else "
    "by month (a period's `period_start` is the first day of its day, week or month). The "
    "`limit` parent genres most listened to over the range are shown and the others are "
    "'Other'; a play's time is split evenly between the distinct parent genres of its "
    "track's artists, so each point's shares add up to 1 (0 where nothing is covered). "
    "Periods without music listening have no point. " + _GENRES,
)
def genre_trend(scope: ScopeDep, database: DatabaseDep, limit: TrendLimit = 6) -> GenreTrend:
    granularity = trend_granularity(scope.period)
    rows = database.fetch_all(_TREND, scope.params(granularity=granularity.value))
    # Exact fractions: a track's time split between its parents adds up to it again, and
    # the same plays give the same shares whatever order they are read in.
    listening: dict[date, int] = defaultdict(int)
    times: dict[date, dict[str, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    for row in rows:
        period, parents = row["period_start"], row["parents"] or []
        listening[period] += int(row["listening_ms"])
        for parent in parents:
            times[period][parent] += Fraction(int(row["listening_ms"]), len(parents))
    genres = _shown_genres(times, limit)
    points = []
    for period, listening_ms in listening.items():
        covered = sum(times[period].values(), Fraction(0))
        shown = dict.fromkeys(genres, Fraction(0))
        for parent, time in times[period].items():
            shown[parent if parent in shown else OTHER] += time
        points.append(
            GenreTrendPoint(
                period_start=period,
                listening_ms=listening_ms,
                coverage=float(covered / listening_ms) if listening_ms else 0.0,
                shares=[float(time / covered) if covered else 0.0 for time in shown.values()],
            )
        )
    return GenreTrend(
        from_=scope.period.start,
        to=scope.period.end,
        granularity=granularity,
        genres=genres,
        points=points,
    )


def _shown_genres(times: dict[date, dict[str, Fraction]], limit: int) -> list[str]:
    """The `limit` parent genres with the most time over the range (ties by name), then
    'Other' when any other parent genre (or the parent genre 'Other') has time."""
    totals: dict[str, Fraction] = defaultdict(Fraction)
    for period in times.values():
        for parent, time in period.items():
            totals[parent] += time
    ranked = sorted(
        (name for name, time in totals.items() if time > 0 and name != OTHER),
        key=lambda name: (-totals[name], name),
    )
    shown = ranked[:limit]
    rest = sum((time for name, time in totals.items() if name not in shown), Fraction(0))
    return [*shown, OTHER] if rest > 0 else shown
