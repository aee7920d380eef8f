from typing import Annotated

from fastapi import APIRouter, Query

from api.answers import CachedAnswers
from api.db import load_query
from api.deps import ClockDep, DatabaseDep, ScopeDep
from api.models.habits import (
    Discoveries,
    Discovery,
    DiscoveryKind,
    DiscoveryMonth,
    Session,
    SessionLengths,
    Sessions,
    Streak,
    Streaks,
)
from etl.core.clock import local_today

router = APIRouter(tags=["habits"], route_class=CachedAnswers)

_SESSIONS = load_query("sessions")
_LONGEST_SESSIONS = load_query("sessions_longest")
_STREAKS = load_query("streaks")
_CURRENT_STREAK = load_query("streaks_current")
_DISCOVERY_MONTHS = load_query("discoveries_months")
_DISCOVERED = {
    DiscoveryKind.track: load_query("discoveries_tracks"),
    DiscoveryKind.artist: load_query("discoveries_artists"),
}

# The histogram's buckets, in minutes: each from one edge up to the next, the last open.
SESSION_LENGTH_EDGES = (0, 15, 30, 60, 120, 240)
TOP_STREAKS = 5
RECENT_DAYS = 28

_SESSION = (
    "A session is a run of plays (music and episodes) each starting less than 20 minutes "
    "after the latest end of the run's earlier plays; it belongs to the local day it started "
    "on, and its duration runs from its first start to its latest end."
)


@router.get(
    "/sessions",
    summary="Listening sessions",
    description="The sessions that started within the inclusive local days `from`..`to`: "
    "how many, their total and average duration, listening time and plays, a histogram of "
    f"their durations, and the `limit` longest. {_SESSION}",
)
def sessions(
    scope: ScopeDep,
    database: DatabaseDep,
    limit: Annotated[
        int, Query(ge=1, le=100, description="How many of the longest sessions, 1 to 100.")
    ] = 10,
) -> Sessions:
    bucket_rows, longest = database.fetch_each(
        [
            (_SESSIONS, scope.params(edges=list(SESSION_LENGTH_EDGES))),
            (_LONGEST_SESSIONS, scope.params(limit=limit)),
        ]
    )
    buckets = {row["bucket"]: row for row in bucket_rows}
    count = sum(row["sessions"] for row in buckets.values())
    duration_ms = sum(row["duration_ms"] for row in buckets.values())
    plays = sum(row["plays"] for row in buckets.values())
    uppers = (*SESSION_LENGTH_EDGES[1:], None)
    lengths = [
        SessionLengths(
            min_minutes=lower,
            max_minutes=upper,
            sessions=buckets[number]["sessions"] if number in buckets else 0,
        )
        for number, (lower, upper) in enumerate(
            zip(SESSION_LENGTH_EDGES, uppers, strict=True), start=1
        )
    ]
    return Sessions(
        from_=scope.period.start,
        to=scope.period.end,
        sessions=count,
        duration_ms=duration_ms,
        listening_ms=sum(row["listening_ms"] for row in buckets.values()),
        plays=plays,
        average_duration_ms=round(duration_ms / count) if count else None,
        average_plays=plays / count if count else None,
        longest=[Session.model_validate(row) for row in longest],
        lengths=lengths,
    )


@router.get(
    "/streaks",
    summary="Listening streaks",
    description="Runs of consecutive local days with at least one play (music or episode): "
    f"the longest within the inclusive local days `from`..`to` (runs cut at the range's "
    f"ends), the {TOP_STREAKS} longest, the number of listening days in the range, and the "
    "current streak, which ends today or yesterday in the user's time zone whatever the "
    f"range (None when neither day has a play), with the listening days of the last "
    f"{RECENT_DAYS} days.",
)
def streaks(scope: ScopeDep, database: DatabaseDep, clock: ClockDep) -> Streaks:
    today = local_today(clock, scope.time_zone)
    runs, (current,) = database.fetch_each(
        [
            (_STREAKS, scope.params(limit=TOP_STREAKS)),
            (_CURRENT_STREAK, scope.params(today=today, recent=RECENT_DAYS)),
        ]
    )
    top = [Streak(start=row["start"], end=row["end"], days=row["days"]) for row in runs]
    return Streaks(
        from_=scope.period.start,
        to=scope.period.end,
        today=today,
        listening_days=runs[0]["listening_days"] if runs else 0,
        longest=top[0] if top else None,
        top=top,
        current=Streak.model_validate(current) if current["days"] else None,
        recent_days=current["recent_days"],
    )


@router.get(
    "/discoveries",
    summary="Discoveries",
    description="Tracks and artists first played (ever) within the inclusive local days "
    "`from`..`to`: how many of each, per local month (every month from the first discovery "
    "to the last), and a page of `limit` discoveries of `kind` from `offset`, newest first, "
    "each with all its plays since.",
)
def discoveries(
    scope: ScopeDep,
    database: DatabaseDep,
    kind: Annotated[DiscoveryKind, Query(description="What the list holds.")] = (
        DiscoveryKind.track
    ),
    limit: Annotated[int, Query(ge=1, le=100, description="How many items, 1 to 100.")] = 20,
    offset: Annotated[
        int, Query(ge=0, le=1_000_000, description="How many of the newest to skip.")
    ] = 0,
) -> Discoveries:
    month_rows, rows = database.fetch_each(
        [
            (_DISCOVERY_MONTHS, scope.params()),
            (_DISCOVERED[kind], scope.params(limit=limit, offset=offset)),
        ]
    )
    months = [DiscoveryMonth.model_validate(row) for row in month_rows]
    new_tracks = sum(month.tracks for month in months)
    new_artists = sum(month.artists for month in months)
    return Discoveries(
        from_=scope.period.start,
        to=scope.period.end,
        kind=kind,
        new_tracks=new_tracks,
        new_artists=new_artists,
        months=months,
        offset=offset,
        total=new_tracks if kind is DiscoveryKind.track else new_artists,
        items=[Discovery.model_validate(row) for row in rows],
    )
