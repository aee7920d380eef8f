"""Sharing one's listening with the other users of this Moodify (opt-in), and comparing
with those who share too."""

from __future__ import annotations

import hashlib
from contextlib import closing
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request

from api.answers import CachedAnswers
from api.db import Database, Row, load_query
from api.deps import (
    ClockDep,
    DatabaseDep,
    DateRangeDep,
    SettingsDep,
    UserIdDep,
    current_user_id,
    services_of,
)
from api.models.compare import (
    Comparison,
    Friend,
    Friends,
    MonthMood,
    Mood,
    MoodComparison,
    MoodDifference,
    SharedArtist,
    SharedTrack,
    Sharing,
    SharingChoice,
)
from etl.warehouse.connection import connect
from etl.warehouse.sharing import MAX_SHARING_USERS, SharingFull, set_sharing

_SHARING_USERS = load_query("sharing_users")
_COMPARE_VERSION = load_query("compare_version")
_COMPARE_ARTISTS = load_query("compare_artists")
_COMPARE_TRACKS = load_query("compare_tracks")
_COMPARE_MOOD = load_query("compare_mood")

_MOOD_MEASURES = ("valence", "energy", "danceability")


class PairAnswers(CachedAnswers):
    """A comparison reads the friend's data and both sides' sharing choices as well as the
    requesting user's: its ETag keys them too, so a friend's new plays, a new time zone or
    name, or either side's change of mind make a new one, and no cached answer outlives
    them. (A sharing change is not counted as a data change: it would make every answer of
    every user new, where only the comparisons read it.)"""

    def tag(self, request: Request) -> str:
        services = services_of(request)
        pair = {
            "user_id": current_user_id(request, services),
            "friend_user_id": request.path_params["friend_user_id"],
        }
        version = services.database.fetch_one(_COMPARE_VERSION, pair)
        parts = (super().tag(request), *sorted(version.items()))
        return f'"{hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()}"'


# The sharing choice and the list of friends are read fresh on every request (they are
# small): each depends on every user's choice, which no one user's data version follows.
router = APIRouter(tags=["friends"])
comparisons = APIRouter(tags=["friends"], route_class=PairAnswers)

FriendUserId = Annotated[str, Path(description="The user id of a friend who shares.")]
Limit = Annotated[
    int, Query(ge=1, le=100, description="How many shared artists and tracks, 1 to 100.")
]


def _sharing_users(database: Database, user_id: str) -> tuple[Row | None, list[Friend]]:
    """My sharing row (None: I never chose), and the others who share."""
    rows = database.fetch_all(_SHARING_USERS, {"user_id": user_id})
    mine = next((row for row in rows if row["user_id"] == user_id), None)
    others = [Friend.model_validate(row) for row in rows if row["user_id"] != user_id]
    return mine, others


def _sharing(database: Database, user_id: str) -> Sharing:
    mine, others = _sharing_users(database, user_id)
    shared = mine is not None and mine["shared"]
    return Sharing(
        shared=shared,
        changed_at=mine["changed_at"] if mine else None,
        sharing=others,
        max_sharing=MAX_SHARING_USERS,
        slots_left=max(0, MAX_SHARING_USERS - len(others) - int(shared)),
    )


@router.get(
    "/sharing",
    summary="Whether I share my listening, and who else does",
    description="Sharing is opt-in: nobody shares until they choose to. Users who share "
    "can compare their listening with each other (`/compare`); at most "
    f"{MAX_SHARING_USERS} users of this Moodify share at once.",
)
def get_sharing(user_id: UserIdDep, database: DatabaseDep) -> Sharing:
    return _sharing(database, user_id)


@router.put(
    "/sharing",
    summary="Share my listening with the other users who share, or stop",
    description="A user who shares lets every other user who shares see their name, the "
    "artists and tracks both listened to, the similarity score and their mood. Stopping "
    "takes effect at once. 409 when "
    f"{MAX_SHARING_USERS} others already share.",
    responses={409: {"description": "The most users that may share already do."}},
)
def put_sharing(
    choice: SharingChoice,
    user_id: UserIdDep,
    settings: SettingsDep,
    clock: ClockDep,
    database: DatabaseDep,
) -> Sharing:
    with closing(connect(settings)) as conn:
        try:
            set_sharing(conn, user_id, choice.shared, clock(), time_zone=settings.time_zone)
        except SharingFull as full:
            raise HTTPException(409, str(full)) from full
    return _sharing(database, user_id)


@router.get(
    "/compare",
    summary="Who I can compare my listening with",
    description="The other users who share; none while I do not share myself.",
)
def friends(user_id: UserIdDep, database: DatabaseDep) -> Friends:
    mine, others = _sharing_users(database, user_id)
    shared = mine is not None and mine["shared"]
    return Friends(shared=shared, friends=others if shared else [])


def _mood(row: Row | None) -> Mood | None:
    return None if row is None else Mood.model_validate(row)


def _difference(mine: Mood, theirs: Mood) -> MoodDifference:
    def minus(measure: str) -> float | None:
        a, b = getattr(mine, measure), getattr(theirs, measure)
        return None if a is None or b is None else a - b

    return MoodDifference(**{measure: minus(measure) for measure in _MOOD_MEASURES})


def _mood_comparison(rows: list[Row]) -> tuple[MoodComparison, list[MonthMood]]:
    nothing = Mood(listening_ms=0, valence=None, energy=None, danceability=None, coverage=0)
    whole = {row["mine"]: row for row in rows if row["whole_range"]}
    mine, theirs = _mood(whole.get(True)) or nothing, _mood(whole.get(False)) or nothing
    by_month: dict[Any, dict[bool, Row]] = {}
    for row in rows:
        if not row["whole_range"]:
            by_month.setdefault(row["month"], {})[row["mine"]] = row
    months = [
        MonthMood(month=month, mine=_mood(sides.get(True)), theirs=_mood(sides.get(False)))
        for month, sides in sorted(by_month.items())
    ]
    return MoodComparison(mine=mine, theirs=theirs, difference=_difference(mine, theirs)), months


@comparisons.get(
    "/compare/{friend_user_id}",
    summary="How my listening compares with a friend's",
    description="Within the inclusive local days `from`..`to` (each side's days in its own "
    "time zone): the artists and tracks both listened to, a similarity score, and both "
    "sides' mood. 403 while I do not share; 404 for anyone who is not a user sharing their "
    "listening (a user who does not share cannot be told from one who does not exist).",
    responses={
        403: {"description": "I do not share my listening."},
        404: {"description": "No user shares their listening under this id."},
    },
)
def compare(
    friend_user_id: FriendUserId,
    period: DateRangeDep,
    user_id: UserIdDep,
    database: DatabaseDep,
    limit: Limit = 10,
) -> Comparison:
    mine, others = _sharing_users(database, user_id)
    if mine is None or not mine["shared"]:
        raise HTTPException(403, "Share your listening first (PUT /api/v1/sharing) to compare")
    friend = next((other for other in others if other.user_id == friend_user_id), None)
    if friend is None:
        raise HTTPException(404, f"No user shares their listening as {friend_user_id!r}")
    params = {"user_id": user_id, "friend_user_id": friend_user_id, "limit": limit}
    params |= period.params()
    artists, tracks, mood = database.fetch_each(
        [(_COMPARE_ARTISTS, params), (_COMPARE_TRACKS, params), (_COMPARE_MOOD, params)]
    )
    overlap = artists[0]
    mood_comparison, months = _mood_comparison(mood)
    return Comparison(
        from_=period.start,
        to=period.end,
        friend=friend,
        score=round(100 * min(1.0, overlap["overlap"]), 1),
        my_artists=overlap["my_artists"],
        their_artists=overlap["their_artists"],
        shared_artists=overlap["shared_artists"],
        shared_tracks=int(tracks[0]["total"]) if tracks else 0,
        artists=[SharedArtist.model_validate(item) for item in overlap["items"]],
        tracks=[SharedTrack.model_validate(row) for row in tracks],
        mood=mood_comparison,
        months=months,
    )


router.include_router(comparisons)
